package report

import (
	"context"
	"strings"

	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/store"
)

// Which report a print, a Word document or an export is (?cap=): the
// Trung tâm's to the Sở (the default, due 10/11) or the Sở's own,
// consolidated, to the provincial People's Committee (cap=so, due 15/11,
// plan section V).
const (
	LevelCentre     = ""
	LevelDepartment = "so"
)

// NewDepartmentPaper lays out r as the Sở's consolidated report: the same
// document form and appendices as NewPaper, with the letterhead, addressee
// and signature of the plan's `department_report:` block (the Sở's
// leadership signs), every item of the plan in section I, and each unit's
// results. Sections II and III are the suggestion made from the figures:
// the saved draft is the Trung tâm's report's.
func NewDepartmentPaper(ctx context.Context, st *store.Store, r *progress.Report, base string) (*Paper, error) {
	p, err := NewPaper(ctx, st, r, base)
	if err != nil {
		return nil, err
	}
	p.Department = true
	p.Parent, p.UnitName = locale.T("report.print.department.parent"), locale.T("report.print.department.unit")
	p.Symbol, p.To = locale.T("report.print.department.symbol"), locale.T("report.print.department.to")
	p.Authority, p.Position, p.Signer = locale.T("report.print.department.authority"), locale.T("report.print.department.position"), ""
	p.Recipients = []string{locale.T("report.print.recipients.above"), locale.T("report.print.recipients.archive")}
	p.Settings = false
	place := locale.T("report.print.place.default")
	if pl := r.Plan; pl != nil && pl.DepartmentReport != nil {
		s := pl.DepartmentReport
		p.Settings = true
		p.Parent, p.UnitName, p.Symbol, place, p.To = s.Parent, s.Unit, s.Symbol, s.Place, s.To
		p.Authority, p.Position, p.Signer = s.Signer.Authority, s.Signer.Position, s.Signer.Name
		if len(s.Recipients) > 0 {
			p.Recipients = s.Recipients
		}
	}
	p.finish(place)
	p.Draft = nil
	sh, dir := Suggestion(r)
	p.Shortcomings, p.Directions = Paragraphs(sh), Paragraphs(dir)
	p.Units = r.UnitResults()
	return p, nil
}

// ItemFacts are the facts of an item counted by what was recorded for it
// (III.3–III.6), one line each: its channels against the plan's numbers,
// then what was recorded, with date, channel, unit and audience. Items
// judged by the column's targets (III.1–III.2) have their own lines.
func (p *Paper) ItemFacts(it progress.ItemProgress) []string {
	if len(it.Item.Targets) > 0 {
		return nil
	}
	var out []string
	for _, c := range it.Channels {
		if c.Target.Value > 0 {
			out = append(out, locale.T("report.print.channel", c.Name, progress.Count2(c.Count), progress.Count2(c.Target.Value), c.Level.Label()))
		} else {
			out = append(out, locale.T("report.print.channel.untargeted", c.Name, progress.Count2(c.Count)))
		}
	}
	for _, d := range it.Done {
		var parts []string
		if d.Channel != "" && p.R.Plan != nil {
			parts = append(parts, p.R.Plan.ChannelName(d.Channel))
		}
		if d.Unit != "" {
			parts = append(parts, d.Unit)
		}
		if a := d.AudienceText(); a != "" {
			parts = append(parts, a)
		}
		line := d.DateText() + ": " + d.Title
		if len(parts) > 0 {
			line += " (" + strings.Join(parts, "; ") + ")"
		}
		out = append(out, line)
	}
	return out
}

// TotalsNumber is the number of section I's last part, the year's totals:
// after the items, and after the units' results in the Sở's report.
func (p *Paper) TotalsNumber() int {
	if p.Department {
		return len(p.Tracked) + 2
	}
	return len(p.Tracked) + 1
}
