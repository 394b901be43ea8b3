package progress

import (
	"slices"
	"strings"
	"time"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/vntext"
)

// NotStarted is a plan item with nothing recorded for it as of the
// cut-off (issue 16: "Chưa thực hiện").
const NotStarted Level = "chua-thuc-hien"

// Record is one thing recorded for a plan item — an activity of the
// register (hoạt động), or an article, procedure or document serving the
// item — as the publication log last recorded it before the cut-off.
// Each item is one Record per plan item it serves, never two.
type Record struct {
	ItemID int64
	Kind   content.Kind
	Title  string
	// Date is its own date: an activity's first day (DateEnd the last of
	// a range), or another item's first publication.
	Date, DateEnd time.Time
	Channel       string
	Unit          string
	Audience      int
	Evidence      []string
	// URL is its public page ("" for an activity not made public).
	URL string
}

// DateText is its date, or its range, as tables write them.
func (d Record) DateText() string {
	if d.DateEnd.IsZero() || d.DateEnd.Equal(d.Date) {
		return vntext.Date(d.Date)
	}
	return vntext.Date(d.Date) + "–" + vntext.Date(d.DateEnd)
}

// AudienceText is its audience count as a report writes it, "" for none:
// people attending a meeting, training or inspection, people reached by a
// broadcast, a newspaper page or a newsletter (500 copies of a bản tin are
// no 500 attendees), either for "khác".
func (d Record) AudienceText() string {
	switch {
	case d.Audience <= 0:
		return ""
	case d.Channel == "hoi-nghi" || d.Channel == "tap-huan" || d.Channel == "kiem-tra":
		return locale.T("report.page.audience", d.Audience)
	case d.Channel == "khac" || d.Channel == "":
		return locale.T("report.page.audience.other", d.Audience)
	}
	return locale.T("report.page.audience.reach", d.Audience)
}

// ChannelCount is one channel of an item (III.3): what was done through
// it by the cut-off, by month and by quarter, against the plan's target.
type ChannelCount struct {
	Code, Name string
	// Target is the plan's target on the channel; Target.Value is 0 when
	// the plan sets none.
	Target    content.ChannelTarget
	Count     int
	ByMonth   [12]int
	ByQuarter [4]int
	// Level is Done when the target is met, else InProgress while the
	// year runs, NotDone after it; NoTarget without a target.
	Level Level
	Done  []Record
}

// Short is how many are missing for the target, 0 when met or none.
func (c ChannelCount) Short() int { return max(0, c.Target.Value-c.Count) }

// Quarter is "Quý II".
func Quarter(q int) string { return locale.T("report.quarter", roman(q)) }

// collect reads, per plan item, what was recorded for it by the cut-off
// (see Done): activities by their own date, from the log's last word on
// each; other items at their first publication in the year. Only what the
// log leaves public (approved, not withdrawn) at the cut-off counts. With
// a unit chosen, only what that unit recorded (the rows' unit) counts.
func (r *Report) collect(states map[int64]*publog.ItemState) map[string][]Record {
	from, to := yearBounds(r.Year)
	first := map[int64]time.Time{}
	for _, e := range r.Entries {
		if e.Type == publish.EventPublish || e.Type == publish.EventRepublish {
			if _, ok := first[e.ItemID]; !ok {
				first[e.ItemID] = e.At
			}
		}
	}
	out := map[string][]Record{}
	ids := make([]int64, 0, len(states))
	for id := range states {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		st := states[id]
		if !st.Public || st.Last == nil {
			continue
		}
		e := st.Last
		d := Record{ItemID: id, Kind: e.Kind, Title: titleRef(e), URL: e.URL, Channel: e.Facts.Channel, Unit: e.Facts.Unit,
			Audience: e.Facts.Audience, Evidence: e.Facts.Evidence}
		if e.Kind == content.Activity {
			if !e.Facts.Public {
				d.URL = ""
			}
			var err error
			if d.Date, err = time.ParseInLocation("2006-01-02", e.Facts.Date, vntext.Zone); err != nil {
				continue
			}
			d.DateEnd, _ = time.ParseInLocation("2006-01-02", e.Facts.DateEnd, vntext.Zone)
			if d.Date.Before(from) || !d.Date.Before(to) || !d.Date.Before(r.Through) {
				continue
			}
		} else {
			at, ok := first[id]
			if !ok {
				continue
			}
			d.Date = at
		}
		if r.Unit != "" && d.Unit != r.Unit {
			continue
		}
		for _, p := range e.PlanItems() {
			out[p] = append(out[p], d)
		}
	}
	for p := range out {
		slices.SortStableFunc(out[p], func(a, b Record) int { return a.Date.Compare(b.Date) })
	}
	return out
}

func titleRef(e *publog.Entry) string {
	if e.Ref == "" {
		return e.Title
	}
	return e.Ref + ": " + e.Title
}

// yearOver reports whether the cut-off is the year's last day.
func (r *Report) yearOver() bool {
	_, to := yearBounds(r.Year)
	return !r.Through.Before(to)
}

// countChannels measures an item with channel targets (III.3): every
// channel the plan declares that has a target or something done, its
// count against the target by month and quarter. Its status: Done when
// every target is met; NotStarted when nothing is recorded; else
// InProgress while the year runs, NotDone once it is over.
func (r *Report) countChannels(p *ItemProgress, done []Record) {
	for _, ch := range r.Plan.Channels {
		c := ChannelCount{Code: ch.Code, Name: ch.Name, Level: NoTarget}
		for _, t := range p.Item.ChannelTargets {
			if t.Channel == ch.Code {
				c.Target = t
			}
		}
		for _, d := range done {
			if d.Channel != ch.Code {
				continue
			}
			c.Count++
			m := d.Date.In(vntext.Zone).Month()
			c.ByMonth[m-1]++
			c.ByQuarter[(m-1)/3]++
			c.Done = append(c.Done, d)
		}
		if c.Target.Value == 0 && c.Count == 0 {
			continue
		}
		if c.Target.Value > 0 {
			switch {
			case c.Count >= c.Target.Value:
				c.Level = Done
			case r.yearOver():
				c.Level = NotDone
			default:
				c.Level = InProgress
			}
		}
		p.Channels = append(p.Channels, c)
	}
	met, reasons := true, []string{}
	for _, c := range p.Channels {
		if c.Target.Value == 0 {
			continue
		}
		if c.Count < c.Target.Value {
			met = false
		}
		reasons = append(reasons, locale.T("report.channel.reason", c.Name, Count2(c.Count), Count2(c.Target.Value)))
	}
	switch {
	case len(done) == 0:
		p.Level = NotStarted
	case met:
		p.Level = Done
	case r.yearOver():
		p.Level = NotDone
	default:
		p.Level = InProgress
	}
	p.Missed = !met && r.yearOver()
	p.Reason = locale.T("report.channel.reasons", strings.Join(reasons, "; "), r.asOfSentence())
}

// countQuarters measures an item bound to quarters (III.4–III.6): Done
// when something is recorded dated inside its quarters; else InProgress
// while its quarters run at the cut-off, NotStarted before they begin or
// once they are over with nothing in them (what was done outside them is
// listed, not counted).
func (r *Report) countQuarters(p *ItemProgress, done []Record) {
	from, _ := yearBounds(r.Year)
	qs := p.Item.Quarters
	start, end := from.AddDate(0, 3*(qs[0]-1), 0), from.AddDate(0, 3*qs[len(qs)-1], 0)
	for _, d := range done {
		if !d.Date.Before(start) && d.Date.Before(end) {
			p.InQuarter++
		}
	}
	when := p.Item.QuarterText()
	switch {
	case p.InQuarter > 0:
		p.Level = Done
		p.Reason = locale.T("report.quarter.done", Count2(p.InQuarter), when, r.asOfSentence())
	case !start.Before(r.Through):
		p.Level = NotStarted
		p.Reason = locale.T("report.quarter.ahead", when, r.asOfSentence())
	case end.After(r.Through):
		p.Level = InProgress
		p.Reason = locale.T("report.quarter.running", when, r.asOfSentence())
	default:
		p.Level = NotStarted
		p.Missed = true
		p.Reason = locale.T("report.quarter.missed", when)
	}
	if outside := len(done) - p.InQuarter; outside > 0 {
		p.Reason += " " + locale.T("report.quarter.outside", Count2(outside), when)
	}
}

// countOther is an item tracked with neither targets nor quarters:
// NotStarted with nothing recorded, else InProgress while the year runs
// and Done after it.
func (r *Report) countOther(p *ItemProgress, done []Record) {
	switch {
	case len(done) == 0:
		p.Level = NotStarted
		p.Missed = r.yearOver()
		p.Reason = locale.T("report.other.none", r.asOfSentence())
	case r.yearOver():
		p.Level = Done
		p.Reason = locale.T("report.other.some", Count2(len(done)), r.asOfSentence())
	default:
		p.Level = InProgress
		p.Reason = locale.T("report.other.some", Count2(len(done)), r.asOfSentence())
	}
}

// Units are the units named by the year's activities through the
// cut-off, for the dashboard's filter, sorted.
func (r *Report) units(states map[int64]*publog.ItemState) {
	seen := map[string]bool{}
	for _, st := range states {
		if st.Last != nil && st.Last.Facts.Unit != "" && !seen[st.Last.Facts.Unit] {
			seen[st.Last.Facts.Unit] = true
			r.Units = append(r.Units, st.Last.Facts.Unit)
		}
	}
	slices.Sort(r.Units)
}

// StatusText is the item's status as the report writes it: Hoàn thành,
// Đang thực hiện, Chưa thực hiện, Chưa hoàn thành (or, for III.1–III.2
// with nothing to judge, Chưa đánh giá được).
func (p ItemProgress) StatusText() string { return p.Level.Label() }

// MonthsText is the channel's count by month, the months with something
// ("Tháng 4: 01; Tháng 6: 01"), "—" when none.
func (c ChannelCount) MonthsText() string {
	var parts []string
	for i, n := range c.ByMonth {
		if n > 0 {
			parts = append(parts, locale.T("report.channel.month", i+1, Count2(n)))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "; ")
}

// UnitResult is one unit's results in the Sở's report: the items it leads
// with their status, and what it recorded itself.
type UnitResult struct {
	Name string
	// Leads are the items the plan puts it in charge of, "III.3 (Đang
	// thực hiện)".
	Leads []string
	// Records counts the activities it recorded, by item ("III.3: 03").
	Records []string
}

// Line is the unit's results in one sentence.
func (u UnitResult) Line() string {
	s := u.Name + ": "
	if len(u.Leads) > 0 {
		s += locale.T("report.print.unit.leads", strings.Join(u.Leads, "; "))
	} else {
		s += locale.T("report.print.unit.leads_none")
	}
	if len(u.Records) > 0 {
		s += "; " + locale.T("report.print.unit.records", strings.Join(u.Records, "; "))
	}
	return s + "."
}

// UnitResults are the units the plan puts in charge (a lead of "A; B" is
// two units), then any other unit the year's activities name, each with
// its items and its records.
func (r *Report) UnitResults() []UnitResult {
	var names []string
	add := func(n string) {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if r.Plan != nil {
		for _, it := range r.Plan.Items {
			for n := range strings.SplitSeq(it.Lead, ";") {
				add(n)
			}
		}
	}
	for _, p := range r.Progress {
		for _, d := range p.Done {
			add(d.Unit)
		}
	}
	var out []UnitResult
	for _, n := range names {
		u := UnitResult{Name: n}
		for _, p := range r.Progress {
			for l := range strings.SplitSeq(p.Item.Lead, ";") {
				if strings.TrimSpace(l) == n {
					u.Leads = append(u.Leads, p.Item.ID+" ("+p.Level.Label()+")")
				}
			}
			count := 0
			for _, d := range p.Done {
				if d.Unit == n {
					count++
				}
			}
			if count > 0 {
				u.Records = append(u.Records, p.Item.ID+": "+Count2(count))
			}
		}
		out = append(out, u)
	}
	return out
}

// activityTables are the exports' tables of issue 16: each item's
// channels against the plan's numbers, by quarter and month; every record
// counted for an item, with its evidence; and, in the Sở's report, each
// unit's results.
func (r *Report) activityTables() []Table {
	var out []Table
	ch := Table{Title: locale.T("report.page.channels"), Header: []string{locale.T("report.col.item"), locale.T("report.col.channel"),
		locale.T("report.col.plan_target"), locale.T("report.col.done")}}
	for q := 1; q <= 4; q++ {
		ch.Header = append(ch.Header, Quarter(q))
	}
	for m := 1; m <= 12; m++ {
		ch.Header = append(ch.Header, locale.T("report.month", m))
	}
	ch.Header = append(ch.Header, locale.T("report.col.level"))
	rec := Table{Title: locale.T("report.records"), Header: []string{locale.T("report.col.item"), locale.T("report.col.date"),
		locale.T("report.col.title"), locale.T("report.col.kind"), locale.T("report.col.channel"), locale.T("report.page.unit"),
		locale.T("report.col.audience"), locale.T("report.col.evidence")}}
	for _, p := range r.Progress {
		for _, c := range p.Channels {
			row := []string{p.Item.ID, c.Name, itoa(c.Target.Value), itoa(c.Count)}
			for _, n := range c.ByQuarter {
				row = append(row, itoa(n))
			}
			for _, n := range c.ByMonth {
				row = append(row, itoa(n))
			}
			ch.Rows = append(ch.Rows, append(row, c.Level.Label()))
		}
		if len(p.Item.Targets) > 0 {
			continue
		}
		for _, d := range p.Done {
			channel := d.Channel
			if channel != "" && r.Plan != nil {
				channel = r.Plan.ChannelName(channel)
			}
			audience := ""
			if d.Audience > 0 {
				audience = itoa(d.Audience)
			}
			rec.Rows = append(rec.Rows, []string{p.Item.ID, d.DateText(), d.Title, d.Kind.Label(), channel, d.Unit, audience, strings.Join(d.Evidence, " ")})
		}
	}
	if len(ch.Rows) > 0 {
		out = append(out, ch)
	}
	if len(rec.Rows) > 0 {
		out = append(out, rec)
	}
	if r.Department {
		units := Table{Title: locale.T("report.print.units"), Header: []string{locale.T("report.page.unit"), locale.T("report.col.result")}}
		for _, u := range r.UnitResults() {
			units.Rows = append(units.Rows, []string{u.Name, u.Line()})
		}
		out = append(out, units)
	}
	return out
}
