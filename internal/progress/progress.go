// Package progress measures a year of the column against its plan
// (content/plans/YEAR.yaml), as of a day: every item of the plan — what
// was recorded for III.3–III.6 (activities and items serving them, per
// channel and per quarter; activities.go) and what the plan asks of
// items III.1 and III.2 (judged locale.T("report.level.done") / locale.T("report.level.not_done"), with the
// facts), the unit's own internal targets (shown apart, labelled), the
// procedures published against the official list the plan names, the
// plan's documents, the content areas, the gaps, and the report's
// deadline or its sending. Every figure comes from the publication log
// (package publog), never from the items as they are now, and says how
// many of the rows it counts rest on declared dates. A Report is what the
// dashboard at /bao-cao/ (package report) and `cchc report` show, and what
// its CSV, XLSX, Markdown and text forms carry. A Rollup (rollup.go) is
// one Report per agency of the instance, each measured with the agency in
// its context, for the province's roll-up.
//
// # Periods
//
// Figures run through the end of the cut-off day (AsOf: today by default,
// or a day chosen). A month or quarter not finished by then is "Đang thực
// hiện", never a shortfall; one not begun is locale.T("report.level.pending"); one that began
// before the plan was issued is shown apart ("Trước khi ban hành kế
// hoạch") and not judged.
package progress

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/tthclist"
	"cchc/internal/vntext"
)

// Level is where a target or a period stands. Colour is never the only
// signal: every level has words.
type Level string

// The levels. A plan's own requirements are Done, NotDone or InProgress
// (Unknown when they cannot be judged); internal targets are Met, Near or
// Missed; periods add Pending and BeforePlan.
const (
	Done       Level = "hoan-thanh"      // the plan's requirement is met
	NotDone    Level = "chua-hoan-thanh" // it is not, as of the cut-off
	InProgress Level = "dang-thuc-hien"  // the period is not over at the cut-off
	Unknown    Level = "chua-xac-dinh"   // nothing to judge it by (no official list)
	Met        Level = "dat"             // an internal target is met
	Near       Level = "gan-dat"         // at least three quarters of one
	Missed     Level = "chua-dat"        // less
	Pending    Level = "chua-den"        // the period begins after the cut-off
	BeforePlan Level = "truoc-ke-hoach"  // the period began before the plan was issued: not judged
	Untrack    Level = "khong"           // the item is not carried out through the column
	NoTarget   Level = "khong-chi-tieu"  // no target to judge the period by (a finished period, for Month.Period)
)

// nearShare is the share of a target (3/4) from which it is locale.T("report.level.near").
const nearNum, nearDen = 3, 4

// Label is the level in words.
func (l Level) Label() string {
	switch l {
	case Done:
		return locale.T("report.level.done")
	case NotDone:
		return locale.T("report.level.not_done")
	case InProgress:
		return locale.T("report.level.running")
	case Unknown:
		return locale.T("report.level.unknown")
	case Met:
		return locale.T("report.level.met")
	case Near:
		return locale.T("report.level.near")
	case Missed:
		return locale.T("report.level.missed")
	case Pending:
		return locale.T("report.level.pending")
	case BeforePlan:
		return locale.T("report.level.before_plan")
	case Untrack:
		return locale.T("report.level.untracked")
	case NoTarget:
		return "—"
	case NotStarted:
		return locale.T("report.level.not_started")
	}
	return string(l)
}

// Judged reports whether l is a verdict on a finished period or a target
// (met or not), as opposed to a period not judged.
func (l Level) Judged() bool {
	return l == Met || l == Missed || l == Done || l == NotDone || l == Near
}

// Report is one year measured against its plan as of a day: every figure
// the dashboard, the printable report, the exports and `cchc report` show.
type Report struct {
	Year int
	// Now is when the report was made (the deadline is counted from it).
	Now time.Time
	// AsOf is the cut-off day (midnight in Vietnam): every figure runs
	// through its end ("tính đến ngày").
	AsOf time.Time
	// Through is the instant the figures stop: the end of AsOf, or of
	// the year if sooner.
	Through time.Time
	// Plan is the year's plan, nil when there is none.
	Plan *content.Plan
	// List is the official list of procedures the plan names, nil when
	// none; ListPath its file in the content folder.
	List     *tthclist.List
	ListPath string
	// Areas are the plan's content areas, then any other area the log
	// names, in that order; Month.ByArea and Coverage follow it.
	Areas []content.Area
	// Entries are the year's log rows through the cut-off, in time order.
	Entries []*publog.Entry
	// Declared counts the Entries whose date is declared (an imported
	// file's, a backdated form's) rather than the clock's.
	Declared int

	Totals []KindTotal // one per kind, in content.Kinds order of display
	Total  KindTotal   // all kinds

	Months   []Month        // January to December
	Coverage []AreaRow      // per area, per quarter
	Progress []ItemProgress // one per plan item

	Procedures ProcedureStatus
	Documents  []PlanDocument // the documents the plan names
	// Withdrawals are the year's withdrawals, listed on their own.
	Withdrawals []*publog.Entry

	Due Deadline
	// DepartmentDue is the Sở's own report's deadline (plan section V),
	// nil when the plan sets none; its sending is a record with Report "so".
	DepartmentDue *Deadline
	// Unit is the unit the activity figures are limited to ("" for all);
	// Units the units the year's activities name, for choosing one.
	Unit  string
	Units []string
	// Department marks the figures of the Sở's consolidated report
	// (cap=so): the exports then name that report and its deadline.
	Department bool
	// Sent are the records of the year's reports having been sent (the
	// unit's and the Sở's), newest first (table report_sendings).
	Sent  []*store.ReportSending
	Delay Delay
	Chain *publog.Check
}

// KindTotal counts the year's rows of one kind by type.
type KindTotal struct {
	Kind                                            content.Kind
	Publish, Update, Withdraw, Republish, Unpublish int
}

// Label is the kind's Vietnamese name, or locale.T("report.total") for the total.
func (k KindTotal) Label() string {
	if k.Kind == "" {
		return locale.T("report.total")
	}
	return k.Kind.Label()
}

func (k *KindTotal) add(t publish.EventType) {
	switch t {
	case publish.EventPublish:
		k.Publish++
	case publish.EventUpdate:
		k.Update++
	case publish.EventWithdraw:
		k.Withdraw++
	case publish.EventRepublish:
		k.Republish++
	case publish.EventUnpublish:
		k.Unpublish++
	}
}

// Month is one month of the year.
type Month struct {
	Month    int // 1–12
	Articles int // articles first published for the monthly target's item
	Items    int // items of any kind first published
	// Updates counts publications, major updates and republications of
	// any kind: what "cập nhật thường xuyên" is measured by.
	Updates int
	// Declared counts, of the month's rows counted above, those whose
	// date is declared rather than the clock's.
	Declared int
	ByArea   []int
	Target   int   // articles a month the monthly target asks for; 0 when none
	Level    Level // against Target (NoTarget when none), or the period's state
	// Period is the month's own state: Pending, BeforePlan, InProgress,
	// or NoTarget for a finished month under the plan.
	Period  Level
	Current bool // the month the cut-off falls in, not finished by it
}

// Name is "Tháng 02".
func (m Month) Name() string { return locale.T("report.month", m.Month) }

// Cell is one area in one quarter.
type Cell struct {
	Quarter int
	Count   int
	Level   Level // Met, Missed, InProgress, Pending, BeforePlan, or NoTarget
}

// AreaRow is one area's coverage across the four quarters.
type AreaRow struct {
	Area  content.Area
	Cells [4]Cell
	Total int
}

// Target is one target of a plan item, measured.
type Target struct {
	Spec content.Target
	// Name is what the target asks: the plan's own words for a plan
	// target, a sentence for an internal one.
	Name        string
	Done, Total int
	Level       Level
	// Reason is the facts, in a sentence or two.
	Reason string
	// Gaps are what is missing for it, item by item.
	Gaps []GapLine
}

// Official reports whether the plan itself sets the target.
func (t Target) Official() bool { return t.Spec.Official() }

// SourceLabel says where the target comes from.
func (t Target) SourceLabel() string { return t.Spec.SourceLabel() }

// ItemProgress is one plan item against its targets.
type ItemProgress struct {
	Item content.PlanItem
	// Level is the verdict against what the plan asks (Done, NotDone,
	// InProgress, Unknown), Untrack when the item is not carried out
	// through the column; Reason says why in words.
	Level  Level
	Reason string
	// Official are the targets the plan sets; Internal the unit's own.
	Official []Target
	Internal []Target
	// InternalLevel is the worst level among the internal targets.
	InternalLevel Level
	// Done is everything recorded for the item by the cut-off, each
	// once, by its own date (see collect); Channels its counts per
	// channel (items with channel targets, III.3); InQuarter how many of
	// Done fall in the item's quarters (III.4–III.6).
	Done      []Record
	Channels  []ChannelCount
	InQuarter int
	// Missed marks an item counted by records whose time is over with
	// what the plan asks not done (a channel short at the year's end,
	// quarters passed with nothing in them): a shortcoming for section II.
	Missed bool
}

// Targets are all the item's targets, the plan's first.
func (p ItemProgress) Targets() []Target { return slices.Concat(p.Official, p.Internal) }

// ItemRef names an item.
type ItemRef struct {
	ID    int64
	Title string
	Ref   string // code or number
	URL   string
}

// ProcedureStatus is "every procedure is published", measured against the
// official list the plan names when it names one.
type ProcedureStatus struct {
	// HasList reports whether the plan names an official list.
	HasList bool
	// Decisions are the announcing decisions the list names.
	Decisions []string
	// Listed is the list's size; Published those of it public on the
	// column at the cut-off.
	Listed, Published int
	// Missing are the listed procedures not public on the column.
	Missing []tthclist.Row
	// Unlisted are procedures public on the column that the list lacks
	// (abolished, or a mistyped code).
	Unlisted []ItemRef
	// OnColumn counts the procedures public on the column at the cut-off.
	OnColumn int
}

// DecisionText names the announcing decisions for a sentence: "Quyết
// định công bố số …" for one, each in turn for several.
func (p ProcedureStatus) DecisionText() string {
	if len(p.Decisions) == 0 {
		return locale.T("report.procedures.the_list")
	}
	var out []string
	for _, d := range p.Decisions {
		out = append(out, locale.T("report.procedures.decision", decisionNumber(d)))
	}
	return strings.Join(out, "; ")
}

// decisionNumber drops "Quyết định số" (or "QĐ số", "Số") from the front
// of a decision as the list writes it, so a sentence names it once.
func decisionNumber(d string) string {
	for _, p := range decisionPrefixes {
		if len(d) > len(p) && strings.EqualFold(d[:len(p)], p) {
			return strings.TrimSpace(d[len(p):])
		}
	}
	return d
}

// PlanDocument is one document the plan names.
type PlanDocument struct {
	Number     string
	InRegistry bool    // the registry holds it today
	Item       ItemRef // as the log last named it, else as the registry holds it
	Published  bool    // the log leaves it public at the cut-off
	Cited      int     // public articles citing it (today's citations)
}

// State is the document's state in words.
func (d PlanDocument) State() string {
	switch {
	case d.Published:
		return locale.T("report.published")
	case d.InRegistry:
		return locale.T("report.document.unpublished")
	}
	return locale.T("report.document.missing")
}

// Deadline is the report's due date relative to now, unless the report
// has been sent.
type Deadline struct {
	Date time.Time
	Days int // days left (negative: days since it passed)
	// Sent is the newest record of the report having been sent; nil when
	// it has not been.
	Sent *store.ReportSending
}

// Text says it in words: the sending when the report was sent, else the
// days left or past.
func (d Deadline) Text() string {
	if d.Sent != nil {
		return locale.T("report.due.sent", vntext.Date(d.Sent.SentOn), d.Sent.Number, vntext.Date(d.Date))
	}
	due := vntext.Date(d.Date)
	switch {
	case d.Days > 0:
		return locale.T("report.due.ahead", d.Days, due)
	case d.Days == 0:
		return locale.T("report.due.today", due)
	}
	return locale.T("report.due.past", -d.Days, due)
}

// Overdue reports whether the deadline passed without the report sent.
func (d Deadline) Overdue() bool { return d.Sent == nil && d.Days < 0 }

// Delay is the median time from a document's issue to its publication,
// over the documents issued in the plan's year.
type Delay struct {
	Year   int     // the year the documents measured were issued in
	Count  int     // documents measured
	Median float64 // days
}

// Text says it in words.
func (d Delay) Text() string {
	if d.Count == 0 {
		return locale.T("report.delay.none", d.Year)
	}
	return locale.T("report.delay", formatDays(d.Median), d.Count, d.Year)
}

func formatDays(f float64) string {
	if f == float64(int(f)) {
		return fmt.Sprint(int(f))
	}
	return vntext.Decimal(f, 1)
}

// yearBounds is [1 January, 1 January next year) in Vietnam.
func yearBounds(year int) (time.Time, time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, vntext.Zone), time.Date(year+1, time.January, 1, 0, 0, 0, 0, vntext.Zone)
}

// Day is t's date: midnight of its day in Vietnam.
func Day(t time.Time) time.Time {
	t = t.In(vntext.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vntext.Zone)
}

func civilDay(t time.Time) time.Time {
	t = t.In(vntext.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// CutoffError is a cut-off day that cannot be used, in Vietnamese.
type CutoffError struct{ Msg string }

func (e *CutoffError) Error() string { return e.Msg }

// Cutoff is the day figures of year run through when asOf is asked for at
// time now: asOf (zero: today), or 31 December when that is past. A day in
// the future, or before the year, is a CutoffError.
func Cutoff(year int, asOf, now time.Time) (time.Time, error) {
	today := Day(now)
	from, to := yearBounds(year)
	last := to.AddDate(0, 0, -1)
	if asOf.IsZero() {
		return earlier(today, last), nil
	}
	asOf = Day(asOf)
	switch {
	case asOf.After(today):
		return time.Time{}, &CutoffError{locale.T("report.cutoff.future", vntext.Date(asOf), vntext.Date(today))}
	case asOf.Before(from):
		return time.Time{}, &CutoffError{locale.T("report.cutoff.before_year", vntext.Date(asOf), year)}
	}
	return earlier(asOf, last), nil
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Measure measures year against its plan with figures through today, at
// time now, from log and the registry in st.
func Measure(ctx context.Context, st *store.Store, log *publog.Log, year int, now time.Time) (*Report, error) {
	return MeasureAsOf(ctx, st, log, year, time.Time{}, now)
}

// MeasureAsOf measures year against its plan with every figure through the
// end of day asOf (zero: today; see Cutoff), at time now.
func MeasureAsOf(ctx context.Context, st *store.Store, log *publog.Log, year int, asOf, now time.Time) (*Report, error) {
	return MeasureUnit(ctx, st, log, year, asOf, now, "")
}

// MeasureUnit is MeasureAsOf with what was recorded for each plan item
// (ItemProgress.Done, the channel and quarter figures) limited to unit's
// activities, as their log rows name the unit; "" for every unit.
func MeasureUnit(ctx context.Context, st *store.Store, log *publog.Log, year int, asOf, now time.Time, unit string) (*Report, error) {
	if year < 1900 || year > 9999 {
		return nil, locale.NewError("report.bad_year", year)
	}
	day, err := Cutoff(year, asOf, now)
	if err != nil {
		return nil, err
	}
	from, to := yearBounds(year)
	r := &Report{Year: year, Now: now, AsOf: day, Through: earlier(day.AddDate(0, 0, 1), to), Unit: strings.TrimSpace(unit)}
	sp, err := st.Plan(ctx, year)
	switch {
	case err == nil:
		r.Plan, r.List, r.ListPath = &sp.Plan, sp.Procedures, sp.ListPath
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	// One walk of the chain: whether it holds, the year's rows through the
	// cut-off, and what every item was then.
	rd, err := log.Read(ctx, from, r.Through)
	if err != nil {
		return nil, err
	}
	r.Chain, r.Entries = rd.Check, rd.Entries
	states := rd.States
	for _, e := range r.Entries {
		if e.Declared {
			r.Declared++
		}
		if e.Type == publish.EventWithdraw {
			r.Withdrawals = append(r.Withdrawals, e)
		}
	}
	r.areas()
	r.totals()
	r.months(from)
	r.coverage(from)
	r.procedures(states)
	if err := r.documents(ctx, st, states); err != nil {
		return nil, err
	}
	r.progress(states)
	r.delay()
	due := time.Date(year, time.November, 10, 0, 0, 0, 0, vntext.Zone)
	if r.Plan != nil && !r.Plan.ReportDue.IsZero() {
		due = r.Plan.ReportDue
	}
	r.Due = Deadline{Date: due, Days: int(civilDay(due).Sub(civilDay(now)).Hours() / 24)}
	if r.Plan != nil && !r.Plan.DepartmentDue.IsZero() {
		d := r.Plan.DepartmentDue
		r.DepartmentDue = &Deadline{Date: d, Days: int(civilDay(d).Sub(civilDay(now)).Hours() / 24)}
	}
	r.units(states)
	if r.Sent, err = st.ReportSendings(ctx, year, vntext.Zone); err != nil {
		return nil, err
	}
	for _, s := range r.Sent { // newest first: the first of each report is its latest
		switch {
		case s.Report == "" && r.Due.Sent == nil:
			r.Due.Sent = s
		case s.Report == "so" && r.DepartmentDue != nil && r.DepartmentDue.Sent == nil:
			r.DepartmentDue.Sent = s
		}
	}
	return r, nil
}

// AsOfText is "tính đến ngày dd/mm/yyyy", what every figure carries, as
// screens and tables write it.
func (r *Report) AsOfText() string { return locale.T("report.as_of", vntext.Date(r.AsOf)) }

// asOfSentence is the same in a report's sentences ("tính đến ngày
// 15/8/2022"): the reasons are the report's words.
func (r *Report) asOfSentence() string { return locale.T("report.as_of", vntext.TextDate(r.AsOf)) }

// DeclaredText says how many of the figures rest on declared dates.
func (r *Report) DeclaredText() string {
	if r.Declared == 0 {
		return locale.T("report.declared.none")
	}
	return locale.T("report.declared.some", r.Declared)
}

// planIssued is the plan's issue day, zero when there is no plan.
func (r *Report) planIssued() time.Time {
	if r.Plan == nil {
		return time.Time{}
	}
	return r.Plan.Issued
}

// period is the state of [start, end) as of the cut-off: Pending when it
// begins after it, BeforePlan when it began before the plan was issued,
// InProgress when it has begun but not ended, NoTarget (judge it) when
// it is over.
func (r *Report) period(start, end time.Time) Level {
	switch {
	case !start.Before(r.Through):
		return Pending
	case start.Before(r.planIssued()):
		return BeforePlan
	case end.After(r.Through):
		return InProgress
	}
	return NoTarget
}

func (r *Report) areas() {
	seen := map[string]bool{}
	if r.Plan != nil {
		for _, a := range r.Plan.Areas {
			r.Areas = append(r.Areas, a)
			seen[a.ID] = true
		}
	}
	var extra []string
	for _, e := range r.Entries {
		for _, a := range e.Areas {
			if !seen[a] {
				seen[a] = true
				extra = append(extra, a)
			}
		}
	}
	slices.Sort(extra)
	for _, a := range extra {
		r.Areas = append(r.Areas, content.Area{ID: a, Title: a})
	}
}

func (r *Report) areaIndex() map[string]int {
	m := make(map[string]int, len(r.Areas))
	for i, a := range r.Areas {
		m[a.ID] = i
	}
	return m
}

// totals counts the year's rows on the column by kind. A hidden activity
// is the register's, not the column's (DECISIONS.md), so it is in no row
// and not in the total; activities made public pages have a row of their
// own, shown only when there is one, so the total is always the rows' sum.
func (r *Report) totals() {
	kinds := []content.Kind{content.Article, content.Procedure, content.Document, content.Activity}
	r.Totals = make([]KindTotal, len(kinds))
	for i, k := range kinds {
		r.Totals[i].Kind = k
	}
	for _, e := range r.Entries {
		if !e.OnColumn() {
			continue
		}
		i := slices.Index(kinds, e.Kind)
		if i >= 0 {
			r.Totals[i].add(e.Type)
		}
		r.Total.add(e.Type)
	}
	if last := r.Totals[len(r.Totals)-1]; last == (KindTotal{Kind: content.Activity}) {
		r.Totals = r.Totals[:len(r.Totals)-1]
	}
}

// target finds the plan's target on measure m among tracked items, and
// the item that sets it.
func (r *Report) target(m content.Measure) (content.Target, string, bool) {
	if r.Plan == nil {
		return content.Target{}, "", false
	}
	for _, it := range r.Plan.Items {
		if !it.Tracked {
			continue
		}
		if t, ok := it.Targets.Get(m); ok {
			return t, it.ID, true
		}
	}
	return content.Target{}, "", false
}

// articleItem is the plan item whose articles the monthly figure counts:
// the one with the monthly target, else III.1.
func (r *Report) articleItem() (string, int) {
	if t, id, ok := r.target(content.ArticlesPerMonth); ok {
		return id, t.Value
	}
	return "III.1", 0
}

func (r *Report) months(from time.Time) {
	item, target := r.articleItem()
	idx := r.areaIndex()
	r.Months = make([]Month, 12)
	for i := range r.Months {
		start, end := from.AddDate(0, i, 0), from.AddDate(0, i+1, 0)
		m := &r.Months[i]
		m.Month, m.Target, m.ByArea = i+1, target, make([]int, len(r.Areas))
		m.Period = r.period(start, end)
		m.Current = m.Period == InProgress || (m.Period == BeforePlan && !end.Before(r.Through) && start.Before(r.Through))
	}
	for _, e := range r.Entries {
		if !e.OnColumn() {
			continue
		}
		m := &r.Months[e.Local().Month()-1]
		switch e.Type {
		case publish.EventPublish:
			m.Items++
			m.Updates++
			for _, a := range e.Areas {
				m.ByArea[idx[a]]++
			}
			if e.Kind == content.Article && e.Serves(item) {
				m.Articles++
			}
		case publish.EventUpdate, publish.EventRepublish:
			m.Updates++
		default:
			continue
		}
		if e.Declared {
			m.Declared++
		}
	}
	for i := range r.Months {
		m := &r.Months[i]
		switch {
		case target == 0:
			m.Level = NoTarget
		case m.Period == NoTarget && m.Articles >= target, m.Period == InProgress && m.Articles >= target:
			m.Level = Met
		case m.Period == NoTarget:
			m.Level = Missed
		default:
			m.Level = m.Period
		}
	}
}

func (r *Report) coverage(from time.Time) {
	need := 0
	if t, _, ok := r.target(content.EachAreaPerQuarter); ok {
		need = t.Value
	}
	r.Coverage = make([]AreaRow, len(r.Areas))
	for i, a := range r.Areas {
		r.Coverage[i].Area = a
		for q := range 4 {
			r.Coverage[i].Cells[q].Quarter = q + 1
		}
	}
	idx := r.areaIndex()
	for _, e := range r.Entries {
		if e.Type != publish.EventPublish || !e.OnColumn() {
			continue
		}
		q := (int(e.Local().Month()) - 1) / 3
		for _, a := range e.Areas {
			r.Coverage[idx[a]].Cells[q].Count++
			r.Coverage[idx[a]].Total++
		}
	}
	for i := range r.Coverage {
		for q := range r.Coverage[i].Cells {
			c := &r.Coverage[i].Cells[q]
			p := r.period(from.AddDate(0, 3*q, 0), from.AddDate(0, 3*q+3, 0))
			switch {
			case need == 0:
				c.Level = NoTarget
				if p == Pending {
					c.Level = Pending
				}
			case (p == NoTarget || p == InProgress) && c.Count >= need:
				c.Level = Met
			case p == NoTarget:
				c.Level = Missed
			default:
				c.Level = p
			}
		}
	}
}

// procedures measures the column's procedures, from the log, against the
// plan's official list.
func (r *Report) procedures(states map[int64]*publog.ItemState) {
	public := map[string]*publog.Entry{}
	for _, st := range states {
		if st.Public && st.Last.Kind == content.Procedure {
			public[tthclist.NormalizeCode(st.Last.Ref)] = st.Last
		}
	}
	ps := &r.Procedures
	ps.OnColumn = len(public)
	if r.List == nil {
		return
	}
	ps.HasList, ps.Decisions, ps.Listed = true, r.List.Decisions(), len(r.List.Rows)
	listed := map[string]bool{}
	for _, row := range r.List.Rows {
		listed[row.Code] = true
		if public[row.Code] != nil {
			ps.Published++
		} else {
			ps.Missing = append(ps.Missing, row)
		}
	}
	for code, e := range public {
		if !listed[code] {
			ps.Unlisted = append(ps.Unlisted, ItemRef{ID: e.ItemID, Title: e.Title, Ref: e.Ref, URL: e.URL})
		}
	}
	slices.SortFunc(ps.Unlisted, func(a, b ItemRef) int { return strings.Compare(a.Ref, b.Ref) })
}

// documents measures the documents the plan names: public or not from
// the log, and, for those never published, whether the registry holds
// them today.
func (r *Report) documents(ctx context.Context, st *store.Store, states map[int64]*publog.ItemState) error {
	if r.Plan == nil {
		return nil
	}
	logged := map[string]*publog.ItemState{}
	for _, s := range states {
		if s.Last.Kind != content.Document {
			continue
		}
		key, ok := legalref.Key(s.Last.Ref)
		if !ok {
			key = s.Last.Ref
		}
		if prev := logged[key]; prev == nil || (s.Public && !prev.Public) {
			logged[key] = s
		}
	}
	docs, err := st.NumberedDocuments(ctx)
	if err != nil {
		return fmt.Errorf("progress: documents: %w", err)
	}
	registry := make(map[string]ItemRef, len(docs))
	for _, d := range docs {
		registry[d.Key] = ItemRef{ID: d.ID, Title: d.Title, Ref: d.Ref, URL: content.URL(content.Document, d.Slug)}
	}
	for _, num := range r.Plan.Documents {
		d := PlanDocument{Number: num}
		key, ok := legalref.Key(num)
		if !ok {
			key = num
		}
		d.Item, d.InRegistry = registry[key]
		if s := logged[key]; s != nil {
			d.Published = s.Public
			d.Item = ItemRef{ID: s.Last.ItemID, Title: s.Last.Title, Ref: s.Last.Ref, URL: s.Last.URL}
		}
		if d.InRegistry || d.Published {
			citing, err := st.CitingItems(ctx, key, r.Through)
			if err != nil {
				return err
			}
			for _, it := range citing {
				if it.Kind == content.Article {
					d.Cited++
				}
			}
		}
		r.Documents = append(r.Documents, d)
	}
	return nil
}

// judge is the level of a target: a plan's requirement is done or not
// (in progress while nothing could be judged yet); an internal target is
// met, near or missed.
func judge(official bool, done, total int, open bool) Level {
	switch {
	case total == 0 && open:
		return InProgress
	case total == 0:
		return Unknown
	case official && done >= total:
		return Done
	case official:
		return NotDone
	case done >= total:
		return Met
	case done*nearDen >= total*nearNum:
		return Near
	}
	return Missed
}

// rank orders levels from best to worst for an item's verdict.
var rank = map[Level]int{Done: 1, Met: 1, InProgress: 2, Pending: 2, Unknown: 3, Near: 4, NotDone: 5, Missed: 5, NotStarted: 5}

func worse(a, b Level) Level {
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func (r *Report) progress(states map[int64]*publog.ItemState) {
	if r.Plan == nil {
		return
	}
	done := r.collect(states)
	for _, it := range r.Plan.Items {
		p := ItemProgress{Item: it, Done: done[it.ID]}
		if !it.Tracked {
			p.Level = Untrack
			p.Reason = locale.T("report.reason.untracked")
			r.Progress = append(r.Progress, p)
			continue
		}
		// Issue 16: items counted by what is recorded for them, per
		// channel or per quarter, rather than by the column's targets.
		switch {
		case len(it.ChannelTargets) > 0:
			r.countChannels(&p, p.Done)
		case len(it.Quarters) > 0:
			r.countQuarters(&p, p.Done)
		case len(it.Targets) == 0:
			r.countOther(&p, p.Done)
		}
		if p.Level != "" {
			r.Progress = append(r.Progress, p)
			continue
		}
		for _, spec := range it.Targets {
			t := r.measure(it, spec, states)
			if t.Official() {
				p.Official = append(p.Official, t)
			} else {
				p.Internal = append(p.Internal, t)
			}
		}
		var reasons []string
		for _, t := range p.Official {
			p.Level = worse(p.Level, t.Level)
			reasons = append(reasons, t.Reason)
		}
		for _, t := range p.Internal {
			p.InternalLevel = worse(p.InternalLevel, t.Level)
		}
		switch {
		case len(p.Official) == 0 && len(p.Internal) == 0:
			p.Level, reasons = Unknown, []string{locale.T("report.reason.no_requirement")}
		case len(p.Official) == 0:
			p.Level, reasons = Unknown, []string{locale.T("report.reason.internal_only")}
		}
		p.Reason = strings.Join(reasons, " ")
		r.Progress = append(r.Progress, p)
	}
}

// judgedMonths are the months a monthly measure judges: finished, under
// the plan, through the cut-off.
func (r *Report) judgedMonths() []Month {
	var out []Month
	for _, m := range r.Months {
		if m.Period == NoTarget {
			out = append(out, m)
		}
	}
	return out
}

// beforePlanNote says which months were not judged because they began
// before the plan was issued.
func (r *Report) beforePlanNote() string {
	var ms []string
	for _, m := range r.Months {
		if m.Period == BeforePlan {
			ms = append(ms, fmt.Sprintf("%02d", m.Month))
		}
	}
	if len(ms) == 0 {
		return ""
	}
	return " " + locale.T("report.months_before_plan", strings.Join(ms, ", "), r.Year, vntext.TextDate(r.planIssued()))
}

// QuartersBeforePlan says which quarters began before the plan was issued
// and are shown without being judged; "" when none.
func (r *Report) QuartersBeforePlan() string {
	from, _ := yearBounds(r.Year)
	var qs []string
	for q := range 4 {
		if r.period(from.AddDate(0, 3*q, 0), from.AddDate(0, 3*q+3, 0)) == BeforePlan {
			qs = append(qs, roman(q+1))
		}
	}
	if len(qs) == 0 {
		return ""
	}
	return locale.T("report.quarters_before_plan", strings.Join(qs, ", "), r.Year, vntext.TextDate(r.planIssued()))
}

// measure measures one target of item it.
func (r *Report) measure(it content.PlanItem, spec content.Target, states map[int64]*publog.ItemState) Target {
	t := Target{Spec: spec, Name: spec.Wording}
	official := spec.Official()
	gapKind := func(kind string) string {
		if official {
			return kind
		}
		return locale.T("report.gap.internal", kind)
	}
	switch spec.Measure {
	case content.ColumnOpen:
		if t.Name == "" {
			t.Name = locale.T("report.target.column_open")
		}
		// Only what is on the column: a hidden activity is public in the
		// log's sense (published) but no page of the column.
		public := 0
		for _, s := range states {
			if s.Public && s.Last.OnColumn() {
				public++
			}
		}
		var first *publog.Entry
		for _, e := range r.Entries {
			if e.Type == publish.EventPublish && e.OnColumn() {
				first = e
				break
			}
		}
		t.Total = 1
		if public > 0 || first != nil {
			t.Done = 1
			t.Reason = locale.T("report.reason.column_open", public, r.asOfSentence())
			if first != nil {
				t.Reason += "; " + locale.T("report.reason.column_first", vntext.TextDate(first.At))
			}
			t.Reason += "."
		} else {
			t.Reason = locale.T("report.reason.column_empty", r.asOfSentence())
			t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.column_closed")), Text: locale.T("report.gap.column_empty")})
		}
		t.Level = judge(official, t.Done, t.Total, false)

	case content.RegularUpdates:
		need := max(spec.Value, 1)
		if t.Name == "" {
			t.Name = locale.T("report.target.updates", need)
		}
		var under []string
		for _, m := range r.judgedMonths() {
			t.Total++
			if m.Updates >= need {
				t.Done++
			} else {
				under = append(under, fmt.Sprintf("%02d/%d", m.Month, r.Year))
				t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.month_no_update")), Text: locale.T("report.gap.month_no_update.text", m.Month, r.Year, Count2(m.Updates))})
			}
		}
		switch {
		case t.Total == 0:
			t.Reason = locale.T("report.reason.no_month")
		case len(under) == 0:
			t.Reason = locale.T("report.reason.updates", t.Done, t.Total)
		default:
			t.Reason = locale.T("report.reason.updates_under", t.Done, t.Total, strings.Join(under, ", "))
		}
		t.Reason += r.beforePlanNote()
		t.Level = judge(official, t.Done, t.Total, true)

	case content.ArticlesPerMonth:
		if t.Name == "" {
			t.Name = locale.T("report.target.months", spec.Value)
		}
		var under []string
		for _, m := range r.judgedMonths() {
			t.Total++
			if m.Articles >= spec.Value {
				t.Done++
			} else {
				under = append(under, locale.T("report.reason.month_under", m.Month, Count2(m.Articles)))
				t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.month")), Text: locale.T("report.gap.month.text", m.Month, r.Year, Count2(m.Articles), spec.Value)})
			}
		}
		switch {
		case t.Total == 0:
			t.Reason = locale.T("report.reason.no_month")
		case len(under) == 0:
			t.Reason = locale.T("report.reason.months", t.Done, t.Total, spec.Value)
		default:
			t.Reason = locale.T("report.reason.months_under", t.Done, t.Total, spec.Value, strings.Join(under, ", "))
		}
		t.Reason += r.beforePlanNote()
		t.Level = judge(official, t.Done, t.Total, true)

	case content.AllProcedures:
		if t.Name == "" {
			t.Name = locale.T("report.target.procedures")
		}
		ps := r.Procedures
		if !ps.HasList {
			t.Level = Unknown
			t.Reason = locale.T("report.reason.procedures.no_list", ps.OnColumn, r.asOfSentence())
			break
		}
		t.Done, t.Total = ps.Published, ps.Listed
		t.Reason = locale.T("report.reason.procedures", ps.Published, ps.Listed, ps.DecisionText(), r.asOfSentence())
		if n := len(ps.Missing); n > 0 {
			t.Reason += " " + locale.T("report.reason.procedures.missing", n)
		}
		if n := len(ps.Unlisted); n > 0 {
			t.Reason += " " + locale.T("report.reason.procedures.unlisted", n)
		}
		for _, m := range ps.Missing {
			t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.unpublished_procedure")), Text: m.Code + " — " + m.Name})
		}
		for _, u := range ps.Unlisted {
			t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.procedures.unlisted")), Text: u.Ref + " — " + u.Title})
		}
		t.Level = judge(official, t.Done, t.Total, false)

	case content.AllPlanDocuments:
		if t.Name == "" {
			t.Name = locale.T("report.target.documents")
		}
		t.Total = len(r.Documents)
		missing, unpublished := 0, 0
		for _, d := range r.Documents {
			switch {
			case d.Published:
				t.Done++
			case d.InRegistry:
				unpublished++
				t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.unpublished_document")), Text: d.Number + " — " + d.Item.Title})
			default:
				missing++
				t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.missing_document")), Text: d.Number})
			}
		}
		t.Reason = locale.T("report.reason.documents", t.Done, t.Total)
		if unpublished > 0 {
			t.Reason += "; " + locale.T("report.reason.documents.unpublished", unpublished)
		}
		if missing > 0 {
			t.Reason += "; " + locale.T("report.reason.documents.missing", missing)
		}
		t.Reason += "."
		t.Level = judge(official, t.Done, t.Total, false)

	case content.AreasCovered:
		if t.Name == "" {
			t.Name = locale.T("report.target.areas_all")
		}
		var none []string
		for _, row := range r.Coverage {
			if _, planned := r.Plan.Area(row.Area.ID); !planned {
				continue
			}
			t.Total++
			if row.Total > 0 {
				t.Done++
			} else {
				none = append(none, row.Area.ID)
				t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.area_none")), Text: row.Area.ID + " " + row.Area.Title})
			}
		}
		t.Reason = locale.T("report.reason.areas_all", t.Done, t.Total, r.asOfSentence())
		if len(none) > 0 {
			t.Reason += "; " + locale.T("report.reason.areas_missing", strings.Join(none, ", "))
		}
		t.Reason += "."
		t.Level = judge(official, t.Done, t.Total, false)

	case content.EachAreaPerQuarter:
		if t.Name == "" {
			t.Name = locale.T("report.target.areas", spec.Value)
		}
		for q := range 4 {
			for _, row := range r.Coverage {
				c := row.Cells[q]
				if c.Level == Met || c.Level == Missed {
					t.Total++
					if c.Level == Met {
						t.Done++
					}
				}
				if c.Level == Missed {
					t.Gaps = append(t.Gaps, GapLine{Kind: gapKind(locale.T("report.gap.area")),
						Text: locale.T("report.gap.area.text", roman(c.Quarter), row.Area.ID, row.Area.Title, c.Count, spec.Value)})
				}
			}
		}
		if t.Total == 0 {
			t.Reason = locale.T("report.reason.no_quarter")
		} else {
			t.Reason = locale.T("report.reason.areas", t.Done, t.Total, Count2(t.Total-t.Done))
		}
		t.Level = judge(official, t.Done, t.Total, true)
	}
	return t
}

func (r *Report) delay() {
	r.Delay.Year = r.Year
	if p := r.planIssued(); !p.IsZero() {
		r.Delay.Year = p.In(vntext.Zone).Year()
	}
	var days []int
	for _, e := range r.Entries {
		if e.Type != publish.EventPublish || e.Kind != content.Document || e.Issued == "" {
			continue
		}
		issued, err := time.Parse("2006-01-02", e.Issued)
		if err != nil || issued.Year() != r.Delay.Year {
			// An older law published now says nothing of how fast the
			// column follows what is issued.
			continue
		}
		days = append(days, int(civilDay(e.At).Sub(issued).Hours()/24))
	}
	r.Delay.Count = len(days)
	if len(days) == 0 {
		return
	}
	slices.Sort(days)
	n := len(days)
	if n%2 == 1 {
		r.Delay.Median = float64(days[n/2])
	} else {
		r.Delay.Median = float64(days[n/2-1]+days[n/2]) / 2
	}
}

// ArticleTotal is the year's articles counted for the monthly figure.
func (r *Report) ArticleTotal() int {
	n := 0
	for _, m := range r.Months {
		n += m.Articles
	}
	return n
}

// MonthlyTarget is the monthly article target, nil when the plan file
// sets none.
func (r *Report) MonthlyTarget() *Target {
	for _, p := range r.Progress {
		for _, t := range p.Targets() {
			if t.Spec.Measure == content.ArticlesPerMonth {
				return &t
			}
		}
	}
	return nil
}

// Title is the report's title.
func (r *Report) Title() string {
	if r.Plan != nil {
		return locale.T("report.title.plan", r.Plan.Number, r.Plan.Title)
	}
	return locale.T("report.title.year", r.Year)
}

// Tracked are the plan items carried out through the column; Untracked the
// others.
func (r *Report) Tracked() []ItemProgress {
	return slices.DeleteFunc(slices.Clone(r.Progress), func(p ItemProgress) bool { return p.Level == Untrack })
}

// Untracked are the plan items not carried out through the column.
func (r *Report) Untracked() []ItemProgress {
	return slices.DeleteFunc(slices.Clone(r.Progress), func(p ItemProgress) bool { return p.Level != Untrack })
}

// InternalTargets are every internal target of the plan's items, for the
// appendix marked as internal.
func (r *Report) InternalTargets() []ItemTarget {
	var out []ItemTarget
	for _, p := range r.Progress {
		for _, t := range p.Internal {
			out = append(out, ItemTarget{Item: p.Item, Target: t})
		}
	}
	return out
}

// ItemTarget is a target with the plan item it belongs to.
type ItemTarget struct {
	Item content.PlanItem
	Target
}
