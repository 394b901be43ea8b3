// Package progress measures a year of the column against its plan
// (content/plans/YEAR.yaml): articles a month against III.1's target,
// content areas covered each quarter, procedures and plan documents
// published, the gaps, the report's deadline and the delay from a
// document's issue to its publication. Every figure comes from the
// publication log (package publog), never from the items as they are
// now; the registry is read only for what the plan asks to be published.
// A Report is what the dashboard at /bao-cao/ (package report) and `cchc
// report` show, and what its CSV, XLSX, Markdown and text forms carry.
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
	"cchc/internal/vntext"
)

// DefaultArticlesPerMonth is III.1's target when the plan does not give
// one: the plan asks for the column to be updated regularly, and the
// department reads that as at least two articles a month.
const DefaultArticlesPerMonth = 2

// Level is how far a target is met. Colour is never the only signal:
// every level has words.
type Level string

// The levels.
const (
	Met     Level = "dat"      // green
	Near    Level = "gan-dat"  // amber: at least three quarters
	Missed  Level = "chua-dat" // red
	Pending Level = "chua-den" // nothing to measure yet
	Untrack Level = "khong"    // not tracked through the column
)

// nearShare is the share of a target (3/4) from which it is "Gần đạt".
const nearNum, nearDen = 3, 4

// Label is the level in words.
func (l Level) Label() string {
	switch l {
	case Met:
		return locale.T("report.level.met")
	case Near:
		return locale.T("report.level.near")
	case Missed:
		return locale.T("report.level.missed")
	case Pending:
		return locale.T("report.level.pending")
	case Untrack:
		return locale.T("report.level.untracked")
	}
	return string(l)
}

func levelOf(done, total int) Level {
	switch {
	case total == 0:
		return Pending
	case done >= total:
		return Met
	case done*nearDen >= total*nearNum:
		return Near
	}
	return Missed
}

// worse returns the worse of two levels (Pending counts as neutral).
func worse(a, b Level) Level {
	rank := map[Level]int{Untrack: 0, Pending: 1, Met: 2, Near: 3, Missed: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Report is one year measured against its plan: every figure the
// dashboard, the printable report, the exports and `cchc report` show.
type Report struct {
	Year int
	Now  time.Time
	// Plan is the year's plan, nil when there is none.
	Plan *content.Plan
	// Areas are the plan's content areas, then any other area the log
	// names, in that order; Month.ByArea and Coverage follow it.
	Areas []content.Area
	// Entries are the year's log rows in time order.
	Entries []*publog.Entry

	Totals []KindTotal // one per kind, in content.Kinds order of display
	Total  KindTotal   // all kinds

	Months   []Month        // January to December
	Coverage []AreaRow      // per area, per quarter
	Progress []ItemProgress // one per plan item

	Procedures ProcedureStatus
	Documents  []PlanDocument // the documents the plan names
	// Withdrawals are the year's withdrawals, listed on their own.
	Withdrawals []*publog.Entry

	Gaps  Gaps
	Due   Deadline
	Delay Delay
	Chain *publog.Check
}

// KindTotal counts the year's rows of one kind by type.
type KindTotal struct {
	Kind                                            content.Kind
	Publish, Update, Withdraw, Republish, Unpublish int
}

// Label is the kind's Vietnamese name, or report.total's for the total.
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
	Articles int // articles first published for the monthly target (III.1)
	Items    int // items of any kind first published
	ByArea   []int
	Target   int   // articles a month the plan asks for; 0 when none
	Level    Level // Met / Missed for ended months, Pending for later ones
	Current  bool  // the month the report is made in
}

// Name is "Tháng 02".
func (m Month) Name() string { return locale.T("report.month", m.Month) }

// Cell is one area in one quarter.
type Cell struct {
	Quarter int
	Count   int
	Level   Level // Met, Missed (a gap) or Pending (the quarter has not begun)
}

// AreaRow is one area's coverage across the four quarters.
type AreaRow struct {
	Area  content.Area
	Cells [4]Cell
	Total int
}

// Target is one measured target of a plan item.
type Target struct {
	Name        string
	Done, Total int
	Level       Level
	Reason      string
}

// ItemProgress is one plan item against its targets.
type ItemProgress struct {
	Item    content.PlanItem
	Level   Level
	Reason  string
	Targets []Target
}

// ItemRef names an item of the registry.
type ItemRef struct {
	ID    int64
	Title string
	Ref   string // code or number
	URL   string
}

// ProcedureStatus is III.2's "every procedure is published".
type ProcedureStatus struct {
	Total, Published int
	Missing          []ItemRef
}

// PlanDocument is one document the plan names.
type PlanDocument struct {
	Number     string
	InRegistry bool
	Item       ItemRef // when in the registry
	Published  bool    // its last state in the log is public
	Cited      int     // public articles citing it
}

// State is the document's state in words.
func (d PlanDocument) State() string {
	switch {
	case !d.InRegistry:
		return locale.T("report.document.missing")
	case !d.Published:
		return locale.T("report.document.unpublished")
	case d.Cited == 0:
		return locale.T("report.document.uncited")
	}
	return locale.T("report.document.cited", d.Cited)
}

// AreaGap is an area with too little in a quarter that has begun.
type AreaGap struct {
	Area    content.Area
	Quarter int
	Count   int
	Need    int
}

// Gaps are what is missing, plainly listed.
type Gaps struct {
	Months                []Month // ended months under the article target
	Areas                 []AreaGap
	MissingDocuments      []PlanDocument // named by the plan, not in the registry
	UnpublishedDocuments  []PlanDocument // in the registry, not public
	UncitedDocuments      []PlanDocument // public, cited by no article
	UnpublishedProcedures []ItemRef
}

// Empty reports whether nothing is missing.
func (g Gaps) Empty() bool {
	return len(g.Months)+len(g.Areas)+len(g.MissingDocuments)+len(g.UnpublishedDocuments)+
		len(g.UncitedDocuments)+len(g.UnpublishedProcedures) == 0
}

// Deadline is the report's due date relative to now.
type Deadline struct {
	Date time.Time
	Days int // days left (negative: days since it passed)
}

// Text says it in words.
func (d Deadline) Text() string {
	due := vntext.Date(d.Date)
	switch {
	case d.Days > 0:
		return locale.T("report.due.ahead", d.Days, due)
	case d.Days == 0:
		return locale.T("report.due.today", due)
	}
	return locale.T("report.due.past", -d.Days, due)
}

// Delay is the median time from a document's issue to its publication.
type Delay struct {
	Count  int     // documents measured
	Median float64 // days
}

// Text says it in words.
func (d Delay) Text() string {
	if d.Count == 0 {
		return locale.T("report.delay.none")
	}
	return locale.T("report.delay", formatDays(d.Median), d.Count)
}

func formatDays(f float64) string {
	if f == float64(int(f)) {
		return fmt.Sprint(int(f))
	}
	return strings.Replace(fmt.Sprintf("%.1f", f), ".", ",", 1)
}

// yearBounds is [1 January, 1 January next year) in Vietnam.
func yearBounds(year int) (time.Time, time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, vntext.Zone), time.Date(year+1, time.January, 1, 0, 0, 0, 0, vntext.Zone)
}

func civilDay(t time.Time) time.Time {
	t = t.In(vntext.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Measure measures year against its plan at time now, from log and the
// registry in st.
func Measure(ctx context.Context, st *store.Store, log *publog.Log, year int, now time.Time) (*Report, error) {
	if year < 1900 || year > 9999 {
		return nil, locale.NewError("report.bad_year", year)
	}
	from, to := yearBounds(year)
	r := &Report{Year: year, Now: now}
	sp, err := st.Plan(ctx, year)
	switch {
	case err == nil:
		r.Plan = &sp.Plan
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	if r.Entries, err = log.Entries(ctx, from, to); err != nil {
		return nil, err
	}
	if r.Chain, err = log.Verify(ctx); err != nil {
		return nil, err
	}
	r.areas()
	r.totals()
	r.months(from, now)
	r.coverage(now)
	// What is public is the log's last word on each item at the end of
	// the year, or now if the year is not over.
	asOf := min(to.Unix(), now.Unix()+1)
	public, err := log.PublicAt(ctx, time.Unix(asOf, 0))
	if err != nil {
		return nil, err
	}
	if err := r.procedures(ctx, st, public); err != nil {
		return nil, err
	}
	if err := r.documents(ctx, st, public, now); err != nil {
		return nil, err
	}
	r.progress()
	r.delay()
	due := time.Date(year, time.November, 10, 0, 0, 0, 0, vntext.Zone)
	if r.Plan != nil && !r.Plan.ReportDue.IsZero() {
		due = r.Plan.ReportDue
	}
	r.Due = Deadline{Date: due, Days: int(civilDay(due).Sub(civilDay(now)).Hours() / 24)}
	for _, e := range r.Entries {
		if e.Type == publish.EventWithdraw {
			r.Withdrawals = append(r.Withdrawals, e)
		}
	}
	return r, nil
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

func (r *Report) totals() {
	kinds := []content.Kind{content.Article, content.Procedure, content.Document}
	r.Totals = make([]KindTotal, len(kinds))
	for i, k := range kinds {
		r.Totals[i].Kind = k
	}
	for _, e := range r.Entries {
		i := slices.Index(kinds, e.Kind)
		if i >= 0 {
			r.Totals[i].add(e.Type)
		}
		r.Total.add(e.Type)
	}
}

// articleTarget is the plan item measured by articles a month, and its
// target: III.1 (default 2 when absent), or any tracked item whose
// targets name articles_per_month.
func (r *Report) articleTarget() (string, int) {
	if r.Plan == nil {
		return "", 0
	}
	for _, it := range r.Plan.Items {
		if !it.Tracked {
			continue
		}
		if it.Targets.ArticlesPerMonth > 0 {
			return it.ID, it.Targets.ArticlesPerMonth
		}
		if it.ID == "III.1" {
			return it.ID, DefaultArticlesPerMonth
		}
	}
	return "", 0
}

func (r *Report) months(from, now time.Time) {
	item, target := r.articleTarget()
	idx := r.areaIndex()
	r.Months = make([]Month, 12)
	for i := range r.Months {
		start := from.AddDate(0, i, 0)
		end := from.AddDate(0, i+1, 0)
		m := &r.Months[i]
		m.Month, m.Target, m.ByArea = i+1, target, make([]int, len(r.Areas))
		m.Current = !now.Before(start) && now.Before(end)
		switch {
		case target == 0 || now.Before(start):
			m.Level = Pending
		case m.Current:
			m.Level = Pending // judged once it ends (or once it reaches the target, below)
		default:
			m.Level = Missed
		}
	}
	for _, e := range r.Entries {
		if e.Type != publish.EventPublish {
			continue
		}
		m := &r.Months[e.Local().Month()-1]
		m.Items++
		for _, a := range e.Areas {
			m.ByArea[idx[a]]++
		}
		if e.Kind == content.Article && item != "" && e.PlanItem == item {
			m.Articles++
		}
	}
	for i := range r.Months {
		m := &r.Months[i]
		if target > 0 && m.Articles >= target && (m.Level == Missed || m.Current) {
			m.Level = Met
		}
	}
}

// quarterTarget is each_area_per_quarter of the tracked item that sets it.
func (r *Report) quarterTarget() int {
	if r.Plan == nil {
		return 0
	}
	for _, it := range r.Plan.Items {
		if it.Tracked && it.Targets.EachAreaPerQuarter > 0 {
			return it.Targets.EachAreaPerQuarter
		}
	}
	return 0
}

func (r *Report) coverage(now time.Time) {
	need := r.quarterTarget()
	from, _ := yearBounds(r.Year)
	r.Coverage = make([]AreaRow, len(r.Areas))
	for i, a := range r.Areas {
		r.Coverage[i].Area = a
		for q := range 4 {
			r.Coverage[i].Cells[q].Quarter = q + 1
		}
	}
	idx := r.areaIndex()
	for _, e := range r.Entries {
		if e.Type != publish.EventPublish {
			continue
		}
		q := (int(e.Local().Month()) - 1) / 3
		for _, a := range e.Areas {
			r.Coverage[idx[a]].Cells[q].Count++
			r.Coverage[idx[a]].Total++
		}
	}
	for i := range r.Coverage {
		row := &r.Coverage[i]
		for q := range row.Cells {
			c := &row.Cells[q]
			started := !now.Before(from.AddDate(0, 3*q, 0))
			switch {
			case !started || need == 0:
				c.Level = Pending
			case c.Count >= need:
				c.Level = Met
			default:
				c.Level = Missed
				r.Gaps.Areas = append(r.Gaps.Areas, AreaGap{Area: row.Area, Quarter: q + 1, Count: c.Count, Need: need})
			}
		}
	}
	slices.SortStableFunc(r.Gaps.Areas, func(a, b AreaGap) int { return a.Quarter - b.Quarter })
}

func (r *Report) procedures(ctx context.Context, st *store.Store, public map[int64]bool) error {
	procs, err := st.Procedures(ctx)
	if err != nil {
		return fmt.Errorf("progress: procedures: %w", err)
	}
	for _, p := range procs {
		ref := ItemRef{ID: p.ID, Title: p.Title, Ref: p.Ref, URL: content.URL(content.Procedure, p.Slug)}
		r.Procedures.Total++
		if public[ref.ID] {
			r.Procedures.Published++
		} else {
			r.Procedures.Missing = append(r.Procedures.Missing, ref)
		}
	}
	r.Gaps.UnpublishedProcedures = r.Procedures.Missing
	return nil
}

func (r *Report) documents(ctx context.Context, st *store.Store, public map[int64]bool, now time.Time) error {
	if r.Plan == nil {
		return nil
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
		if ref, ok := registry[key]; ok {
			d.InRegistry, d.Item, d.Published = true, ref, public[ref.ID]
			citing, err := st.CitingItems(ctx, key, now)
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
		switch {
		case !d.InRegistry:
			r.Gaps.MissingDocuments = append(r.Gaps.MissingDocuments, d)
		case !d.Published:
			r.Gaps.UnpublishedDocuments = append(r.Gaps.UnpublishedDocuments, d)
		case d.Cited == 0:
			r.Gaps.UncitedDocuments = append(r.Gaps.UncitedDocuments, d)
		}
	}
	return nil
}

func (r *Report) progress() {
	if r.Plan == nil {
		return
	}
	articleItem, target := r.articleTarget()
	need := r.quarterTarget()
	for _, it := range r.Plan.Items {
		p := ItemProgress{Item: it, Level: Pending}
		if !it.Tracked {
			p.Level = Untrack
			p.Reason = locale.T("report.reason.untracked")
			r.Progress = append(r.Progress, p)
			continue
		}
		if it.ID == articleItem {
			p.Targets = append(p.Targets, r.monthTarget(target))
		}
		if it.Targets.AllProcedures {
			t := Target{Name: locale.T("report.target.procedures"), Done: r.Procedures.Published, Total: r.Procedures.Total}
			t.Level = levelOf(t.Done, t.Total)
			if t.Total == 0 {
				t.Reason = locale.T("report.reason.no_procedures")
			} else {
				t.Reason = locale.T("report.reason.procedures", t.Done, t.Total)
			}
			p.Targets = append(p.Targets, t)
		}
		if it.Targets.AllPlanDocuments {
			t := Target{Name: locale.T("report.target.documents"), Total: len(r.Documents)}
			for _, d := range r.Documents {
				if d.Published {
					t.Done++
				}
			}
			t.Level = levelOf(t.Done, t.Total)
			t.Reason = locale.T("report.reason.documents", t.Done, t.Total)
			if n := len(r.Gaps.MissingDocuments); n > 0 {
				t.Reason += "; " + locale.T("report.reason.documents.missing", n)
			}
			if n := len(r.Gaps.UncitedDocuments); n > 0 {
				t.Reason += "; " + locale.T("report.reason.documents.uncited", n)
			}
			t.Reason += "."
			p.Targets = append(p.Targets, t)
		}
		if it.Targets.EachAreaPerQuarter > 0 && need > 0 {
			t := Target{Name: locale.T("report.target.areas", need)}
			for _, row := range r.Coverage {
				for _, c := range row.Cells {
					if c.Level == Met || c.Level == Missed {
						t.Total++
						if c.Level == Met {
							t.Done++
						}
					}
				}
			}
			t.Level = levelOf(t.Done, t.Total)
			if t.Total == 0 {
				t.Reason = locale.T("report.reason.no_quarter")
			} else {
				t.Reason = locale.T("report.reason.areas", t.Done, t.Total, t.Total-t.Done)
			}
			p.Targets = append(p.Targets, t)
		}
		var reasons []string
		for _, t := range p.Targets {
			p.Level = worse(p.Level, t.Level)
			reasons = append(reasons, t.Reason)
		}
		if len(p.Targets) == 0 {
			reasons = append(reasons, locale.T("report.reason.no_target"))
		}
		p.Reason = strings.Join(reasons, " ")
		r.Progress = append(r.Progress, p)
	}
}

func (r *Report) monthTarget(target int) Target {
	t := Target{Name: locale.T("report.target.months", target)}
	var under []string
	for _, m := range r.Months {
		switch m.Level {
		case Met:
			t.Done++
			t.Total++
		case Missed:
			t.Total++
			under = append(under, locale.T("report.reason.month_under", m.Month, m.Articles))
			r.Gaps.Months = append(r.Gaps.Months, m)
		}
	}
	t.Level = levelOf(t.Done, t.Total)
	switch {
	case t.Total == 0:
		t.Reason = locale.T("report.reason.no_month")
	case len(under) == 0:
		t.Reason = locale.T("report.reason.months", t.Done, t.Total, target)
	default:
		t.Reason = locale.T("report.reason.months_under", t.Done, t.Total, target, strings.Join(under, ", "))
	}
	return t
}

func (r *Report) delay() {
	var days []int
	for _, e := range r.Entries {
		if e.Type != publish.EventPublish || e.Kind != content.Document || e.Issued == "" {
			continue
		}
		issued, err := time.Parse("2006-01-02", e.Issued)
		if err != nil {
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

// ArticleTotal is the year's articles counted for the monthly target.
func (r *Report) ArticleTotal() int {
	n := 0
	for _, m := range r.Months {
		n += m.Articles
	}
	return n
}

// Title is the report's title.
func (r *Report) Title() string {
	if r.Plan != nil {
		return locale.T("report.title.plan", r.Plan.Number, r.Plan.Title)
	}
	return locale.T("report.title.year", r.Year)
}
