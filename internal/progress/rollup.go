package progress

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/locale"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Rollup is the province's roll-up of a year (issue 20, point 5): every
// agency of the instance measured against its own plan as of one cut-off
// day. Each row is a Report made by MeasureAsOf for that agency alone
// (its context carries the agency: agency.WithID), so an agency's figures
// are counted by exactly the code its own dashboard uses, never by a copy.
type Rollup struct {
	Year int
	// Now is when the roll-up was made; AsOf the cut-off day every row's
	// figures run through.
	Now, AsOf time.Time
	Rows      []RollupRow
}

// RollupRow is one agency's line of the roll-up.
type RollupRow struct {
	Agency agency.Agency
	// R is the agency's own report, as its dashboard shows it.
	R *Report
	// Items are the plan items carried out through the column, with
	// their status as of the cut-off; Done, NotDone, Running and Unknown
	// count them by status.
	Items                           []ItemProgress
	Done, NotDone, Running, Unknown int
	// Published counts the items first published on the column in each
	// month (Month.Items), Total the year's.
	Published [12]int
	Total     int
	// Send is the report the agency owes the province: its consolidated
	// report (plan section V, Report "so") when the plan has one, else
	// its only report (Report ""); Due its deadline, as the agency's
	// dashboard computes it. Sent is the newest record of that report
	// dated on or before the cut-off; nil when none.
	Send string
	Due  time.Time
	Sent *store.ReportSending
	// Late: sent after the deadline, or not sent by the cut-off with the
	// deadline passed.
	Late bool
}

// HasPlan reports whether the agency has a plan for the year.
func (r RollupRow) HasPlan() bool { return r.R.Plan != nil }

// DueText is the deadline as dd/mm/yyyy with which report it is.
func (r RollupRow) DueText() string {
	if r.Send == "so" {
		return locale.T("rollup.due.department", vntext.Date(r.Due))
	}
	return locale.T("rollup.due.unit", vntext.Date(r.Due))
}

// SentText says whether and when the report was sent, in words.
func (r RollupRow) SentText() string {
	if r.Sent == nil {
		return locale.T("rollup.sent.none")
	}
	return locale.T("rollup.sent.on", vntext.Date(r.Sent.SentOn), r.Sent.Number)
}

// LateText is "Trễ hạn" or "Đúng hạn", or "" when not sent and not due.
func (r RollupRow) LateText() string {
	switch {
	case r.Late:
		return locale.T("rollup.late")
	case r.Sent != nil:
		return locale.T("rollup.on_time")
	}
	return ""
}

// PlanText names the plan, or says it is missing.
func (r RollupRow) PlanText() string {
	if r.R.Plan == nil {
		return locale.T("rollup.plan.missing")
	}
	return r.R.Plan.Number
}

// ProceduresText is the procedures published against the official list
// ("11/12"), or those on the column when the plan names no list.
func (r RollupRow) ProceduresText() string {
	ps := r.R.Procedures
	if ps.HasList {
		return fmt.Sprintf("%d/%d", ps.Published, ps.Listed)
	}
	return locale.T("rollup.procedures.no_list", ps.OnColumn)
}

// MeasureProvince measures year for every agency of agencies as of the
// end of day asOf (zero: today; see Cutoff), at time now: one
// MeasureAsOf per agency with the agency in its context. A cut-off that
// cannot be used is the CutoffError MeasureAsOf gives.
func MeasureProvince(ctx context.Context, st *store.Store, log *publog.Log, agencies []agency.Agency, year int, asOf, now time.Time) (*Rollup, error) {
	out := &Rollup{Year: year, Now: now}
	for _, a := range agencies {
		r, err := MeasureAsOf(agency.WithID(ctx, a.ID), st, log, year, asOf, now)
		if err != nil {
			return nil, err
		}
		out.AsOf = r.AsOf
		out.Rows = append(out.Rows, rollupRow(a, r))
	}
	if out.AsOf.IsZero() {
		day, err := Cutoff(year, asOf, now)
		if err != nil {
			return nil, err
		}
		out.AsOf = day
	}
	return out, nil
}

func rollupRow(a agency.Agency, r *Report) RollupRow {
	row := RollupRow{Agency: a, R: r, Items: r.Tracked()}
	for _, p := range row.Items {
		switch p.Level {
		case Done:
			row.Done++
		case NotDone:
			row.NotDone++
		case InProgress:
			row.Running++
		default:
			row.Unknown++
		}
	}
	for i, m := range r.Months {
		row.Published[i] = m.Items
		row.Total += m.Items
	}
	row.Due = r.Due.Date
	if r.DepartmentDue != nil {
		row.Send, row.Due = "so", r.DepartmentDue.Date
	}
	for _, s := range r.Sent { // newest first
		if s.Report == row.Send && !Day(s.SentOn).After(r.AsOf) {
			row.Sent = s
			break
		}
	}
	due := Day(row.Due)
	if row.Sent != nil {
		row.Late = Day(row.Sent.SentOn).After(due)
	} else {
		row.Late = r.AsOf.After(due)
	}
	return row
}

// The roll-up's orders (?sap-xep=) and filters (?loc=).
const (
	SortName    = "ten"             // by the agency's name (the default)
	SortDone    = "hoan-thanh"      // most items done first
	SortNotDone = "chua-hoan-thanh" // most items not done first
	SortSent    = "ngay-gui"        // earliest sent first, then not sent

	FilterNoPlan  = "thieu-ke-hoach" // no plan for the year
	FilterNotSent = "chua-gui"       // report not sent by the cut-off
	FilterLate    = "tre-han"        // sent late, or not sent past the deadline
)

// ValidSort and ValidFilter report whether a value of ?sap-xep= or
// ?loc= is one the roll-up knows ("" is: the default).
func ValidSort(s string) bool {
	return s == "" || s == SortName || s == SortDone || s == SortNotDone || s == SortSent
}

// ValidFilter: see ValidSort.
func ValidFilter(f string) bool {
	return f == "" || f == FilterNoPlan || f == FilterNotSent || f == FilterLate
}

// View is the rows passing filter, in the order sort asks for; ties and
// the default are by name (Vietnamese order), then id.
func (ru *Rollup) View(sort, filter string) []RollupRow {
	var rows []RollupRow
	for _, r := range ru.Rows {
		switch {
		case filter == FilterNoPlan && r.HasPlan(),
			filter == FilterNotSent && r.Sent != nil,
			filter == FilterLate && !r.Late:
			continue
		}
		rows = append(rows, r)
	}
	byName := func(a, b RollupRow) int {
		return cmp.Or(vntext.Compare(a.Agency.Name, b.Agency.Name), cmp.Compare(a.Agency.ID, b.Agency.ID))
	}
	slices.SortStableFunc(rows, func(a, b RollupRow) int {
		switch sort {
		case SortDone:
			return cmp.Or(cmp.Compare(b.Done, a.Done), byName(a, b))
		case SortNotDone:
			return cmp.Or(cmp.Compare(b.NotDone, a.NotDone), byName(a, b))
		case SortSent:
			switch {
			case a.Sent != nil && b.Sent != nil:
				return cmp.Or(a.Sent.SentOn.Compare(b.Sent.SentOn), byName(a, b))
			case a.Sent != nil:
				return -1
			case b.Sent != nil:
				return 1
			}
		}
		return byName(a, b)
	})
	return rows
}

// SourceText says where the roll-up's figures come from and as of when.
func (ru *Rollup) SourceText() string {
	return locale.T("rollup.source", vntext.Date(ru.AsOf), vntext.DateTime(ru.Now))
}

// RollupHeader is the summary table's header, the page's and every export's.
func RollupHeader() []string {
	h := []string{locale.T("report.print.col.seq"), locale.T("rollup.col.agency"), locale.T("rollup.col.plan"),
		locale.T("report.level.done"), locale.T("report.level.not_done"), locale.T("report.level.running"), locale.T("report.level.unknown")}
	for m := 1; m <= 12; m++ {
		h = append(h, locale.T("rollup.col.month", m))
	}
	return append(h, locale.T("rollup.col.total"), locale.T("rollup.col.procedures"), locale.T("rollup.col.due"),
		locale.T("rollup.col.sent"), locale.T("rollup.col.late"))
}

// Cells is the row as the summary table's text, n its ordinal.
func (r RollupRow) Cells(n int) []string {
	c := []string{strconv.Itoa(n), r.Agency.Name, r.PlanText(), itoa(r.Done), itoa(r.NotDone), itoa(r.Running), itoa(r.Unknown)}
	for _, v := range r.Published {
		c = append(c, itoa(v))
	}
	return append(c, itoa(r.Total), r.ProceduresText(), r.DueText(), r.SentText(), r.LateText())
}

// Tables are the roll-up as tables for the exports: where the figures
// come from, the summary (one row per agency, rows in order), then an
// appendix per agency with its plan items and their status.
func (ru *Rollup) Tables(rows []RollupRow) []Table {
	info := Table{Title: locale.T("report.info"), Header: []string{locale.T("report.col.item"), locale.T("report.col.value")},
		Rows: [][]string{
			{locale.T("report.info.year"), strconv.Itoa(ru.Year)},
			{locale.T("report.info.as_of"), vntext.Date(ru.AsOf)},
			{locale.T("rollup.info.source"), ru.SourceText()},
			{locale.T("rollup.info.deadline"), locale.T("rollup.deadline_rule")},
			{locale.T("report.info.made"), vntext.DateTime(ru.Now)},
		}}
	sum := Table{Title: locale.T("rollup.summary", ru.Year, vntext.Date(ru.AsOf)), Header: RollupHeader()}
	for i, r := range rows {
		sum.Rows = append(sum.Rows, r.Cells(i+1))
	}
	out := []Table{info, sum}
	for i, r := range rows {
		out = append(out, r.Appendix(i+1))
	}
	return out
}

// Appendix is the agency's plan items and their status, numbered n.
func (r RollupRow) Appendix(n int) Table {
	t := Table{Title: locale.T("rollup.appendix", n, r.Agency.Name), Header: []string{locale.T("report.col.item"),
		locale.T("report.col.requirement"), locale.T("report.col.level"), locale.T("report.col.result")}}
	if r.R.Plan == nil {
		t.Rows = append(t.Rows, []string{"", locale.T("rollup.plan.missing_long", r.R.Year), "", ""})
		return t
	}
	for _, p := range r.Items {
		t.Rows = append(t.Rows, []string{p.Item.ID, p.Item.Title, p.Level.Label(), p.Reason})
	}
	return t
}

// Heading is the exports' first line.
func (ru *Rollup) Heading() string { return locale.T("rollup.heading", ru.Year) }

// StatusText counts the items by status in a sentence.
func (r RollupRow) StatusText() string {
	if r.R.Plan == nil {
		return locale.T("rollup.plan.missing")
	}
	return locale.T("rollup.status", Done.Label(), r.Done, NotDone.Label(), r.NotDone, InProgress.Label(), r.Running, Unknown.Label(), r.Unknown)
}

// MonthsText is what was published per month, the months with none left
// out, then the year's total.
func (r RollupRow) MonthsText() string {
	var parts []string
	for i, n := range r.Published {
		if n > 0 {
			parts = append(parts, locale.T("rollup.month_count", i+1, n))
		}
	}
	if len(parts) == 0 {
		return locale.T("rollup.months.none")
	}
	return locale.T("rollup.months", strings.Join(parts, "; "), r.Total)
}
