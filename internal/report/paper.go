package report

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Paper is the year's report as the administrative document of Nghị định
// 30/2020/NĐ-CP: the letterhead and signature from the plan's `report:`
// block, the figures from one progress.Report, sections II and III from
// the year's newest draft (or, while none is saved, the suggestion made
// from the figures), and the two appendices. The print page and the Word
// document are both made from it, so they say the same.
type Paper struct {
	R *progress.Report
	// Parent and Unit are the letterhead's bodies in capitals; UnitName
	// the unit as a sentence writes it.
	Parent, Unit, UnitName string
	// Symbol is the ký hiệu after the number ("BC-TTUD").
	Symbol string
	// Place is the place-and-date line, dated by the report's cut-off.
	Place string
	// Subject is the trích yếu under BÁO CÁO; To who it is sent to.
	Subject, To string
	// Basis is the opening paragraph.
	Basis string
	// PlanIssued and AsOf are dates as sentences write them (15/3/2022).
	PlanIssued, AsOf string
	// Generated is when it was made (the chain's head is as of then).
	Generated string
	// Tracked are the plan items carried out through the column (section
	// I); Untracked the others; Internal the internal targets (Phụ lục II).
	Tracked, Untracked []progress.ItemProgress
	Internal           []progress.ItemTarget
	// Shortcomings (II) and Directions (III) are paragraphs.
	Shortcomings, Directions []string
	// Draft is the revision sections II and III come from; nil when none
	// is saved and they are the suggestion.
	Draft *store.ReportDraft
	// Recipients are the lines of "Nơi nhận"; Authority, Position and
	// Signer the signature block ("" Signer leaves a line to fill in).
	Recipients                  []string
	Authority, Position, Signer string
	// Settings reports whether the plan has a `report:` block; without it
	// the letterhead and signature are the defaults, to check.
	Settings bool
	// Published is Phụ lục I: everything first published in the period.
	Published []PublishedRow
	// InternalGaps are the internal targets' gaps, one sentence per item.
	InternalGaps []string
	// Department marks the Sở's consolidated report (NewDepartmentPaper);
	// Units are then each unit's results.
	Department bool
	Units      []progress.UnitResult
}

// PublishedRow is one line of Phụ lục I.
type PublishedRow struct {
	N     int    // 1…N, the ordinal in the list (not the log's row)
	Date  string // 15/3/2022
	Kind  string
	Title string
	Areas string
	URL   string // the page's address, absolute when the site's is known
}

// NewPaper lays out r as the report: with the plan's report settings,
// the newest draft of sections II and III in st (the suggestion when none
// is saved), and page addresses under base ("" leaves them as paths).
func NewPaper(ctx context.Context, st *store.Store, r *progress.Report, base string) (*Paper, error) {
	p := &Paper{
		R:         r,
		Parent:    locale.T("report.print.parent"),
		UnitName:  locale.T("report.print.unit"),
		Symbol:    locale.T("report.print.symbol"),
		To:        locale.T("report.print.recipient"),
		Position:  locale.T("report.print.signer"),
		Subject:   locale.T("report.title.year", r.Year),
		AsOf:      vntext.TextDate(r.AsOf),
		Generated: vntext.DateTime(r.Now),
		Tracked:   r.Tracked(),
		Untracked: r.Untracked(),
		Internal:  r.InternalTargets(),
		Recipients: []string{
			locale.T("report.print.recipients.above"), locale.T("report.print.recipients.archive"),
		},
		InternalGaps: r.InternalGapSentences(),
	}
	place := locale.T("report.print.place.default")
	if pl := r.Plan; pl != nil {
		p.PlanIssued = vntext.TextDate(pl.Issued)
		p.Subject = locale.T("report.print.subject.plan", pl.Number)
		if !pl.Issued.IsZero() {
			p.Subject += " " + locale.T("report.print.subject.dated", p.PlanIssued)
		}
		p.Subject += " — " + pl.Title
		for _, it := range pl.Items {
			if it.Tracked && it.Lead != "" {
				p.UnitName = it.Lead
				break
			}
		}
		if s := pl.Report; s != nil {
			p.Settings = true
			p.Parent, p.UnitName, p.Symbol, place, p.To = s.Parent, s.Unit, s.Symbol, s.Place, s.To
			p.Authority, p.Position, p.Signer = s.Signer.Authority, s.Signer.Position, s.Signer.Name
			if len(s.Recipients) > 0 {
				p.Recipients = s.Recipients
			}
		}
	}
	p.finish(place)

	d, err := st.ReportDraft(ctx, r.Year)
	switch {
	case err == nil:
		p.Draft = d
		p.Shortcomings, p.Directions = Paragraphs(d.Shortcomings), Paragraphs(d.Directions)
	case errors.Is(err, store.ErrNotFound):
		sh, dir := Suggestion(r)
		p.Shortcomings, p.Directions = Paragraphs(sh), Paragraphs(dir)
	default:
		return nil, err
	}

	base = strings.TrimRight(base, "/")
	for _, e := range r.Entries {
		if e.Type != publish.EventPublish || !e.OnColumn() {
			continue
		}
		p.Published = append(p.Published, PublishedRow{
			N: len(p.Published) + 1, Date: vntext.TextDate(e.At), Kind: e.Kind.Label(),
			Title: titleWithRef(e.Ref, e.Title), Areas: strings.Join(e.Areas, ", "), URL: base + e.URL,
		})
	}
	return p, nil
}

// finish writes the letterhead's bodies and the signature in capitals,
// the place-and-date line and the opening paragraph, from the settings.
func (p *Paper) finish(place string) {
	p.Parent, p.Unit = vntext.NFC(strings.ToUpper(p.Parent)), vntext.NFC(strings.ToUpper(p.UnitName))
	p.Authority, p.Position = vntext.NFC(strings.ToUpper(p.Authority)), vntext.NFC(strings.ToUpper(p.Position))
	p.Place = place + ", " + vntext.LongDate(p.R.AsOf)
	p.Basis = p.basis()
}

func titleWithRef(ref, title string) string {
	if ref == "" {
		return title
	}
	return ref + ": " + title
}

// basis is the opening paragraph: what the report answers and as of when.
func (p *Paper) basis() string {
	r := p.R
	var b strings.Builder
	b.WriteString(locale.T("report.print.basis") + " ")
	if pl := r.Plan; pl != nil {
		b.WriteString(locale.T("report.print.basis.plan", pl.Number))
		if !pl.Issued.IsZero() {
			b.WriteString(" " + locale.T("report.print.subject.dated", p.PlanIssued))
		}
		issuer := pl.Issuer
		if issuer == "" {
			issuer = locale.T("site.header.name")
		}
		b.WriteString(" " + locale.T("report.print.basis.of") + " " + issuer)
	} else {
		b.WriteString(locale.T("report.print.basis.task"))
	}
	// Both reports cover every item of the plan, most of them work off the
	// column (a broadcast, a training): not only what the column published.
	key := "report.print.basis.reports"
	if p.Department {
		key = "report.print.basis.reports_department"
	}
	b.WriteString(", " + locale.T(key, p.UnitName, r.Year, p.AsOf))
	return b.String()
}

// Paragraphs splits text the staff typed into paragraphs: one a line,
// blank lines dropped.
func Paragraphs(text string) []string {
	var out []string
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Suggestion is what sections II and III say until the staff save their
// own: II the plan's requirements not met, one sentence an item, with a
// line for the causes; III the usual tasks and one per item not done,
// with a line for the recommendations. Lines with "…" are for the staff
// to complete.
func Suggestion(r *progress.Report) (shortcomings, directions string) {
	var ii, iii []string
	gaps := r.GapSentences()
	for _, p := range r.Progress {
		if p.Missed {
			gaps = append(gaps, locale.T("report.gap.item", p.Item.ID, strings.TrimSuffix(p.Reason, ".")))
		}
	}
	if len(gaps) == 0 {
		ii = append(ii, locale.T("report.print.all_met", vntext.TextDate(r.AsOf)))
	} else {
		for _, g := range gaps {
			ii = append(ii, "- "+g)
		}
		ii = append(ii, "- "+locale.T("report.draft.suggest.causes"))
	}
	iii = append(iii, "- "+locale.T("report.draft.suggest.keep_on"))
	for _, p := range r.Progress {
		if p.Level == progress.NotDone || p.Missed {
			iii = append(iii, "- "+locale.T("report.draft.suggest.fix", p.Item.ID))
		}
	}
	iii = append(iii, "- "+locale.T("report.draft.suggest.proposals"))
	return strings.Join(ii, "\n"), strings.Join(iii, "\n")
}

// Roman numbers the report's sections.
func (p *Paper) Roman(i int) string {
	return [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}[i%8]
}

// Number is the "Số:" line's value: blank for the number the clerk writes
// when the report is registered, then the symbol.
func (p *Paper) Number() string { return "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/" + p.Symbol }

// Count2 writes a count as the report does ("02").
func (p *Paper) Count2(n int) string { return progress.Count2(n) }

// ItemLine is an item's first line: who leads it and when.
func (p *Paper) ItemLine(it content.PlanItem) string {
	s := locale.T("report.print.lead", it.Lead)
	if it.Schedule != "" {
		s += "; " + locale.T("report.print.schedule", it.Schedule)
	} else if q := it.QuarterText(); q != "" {
		s += "; " + locale.T("report.print.schedule", q)
	}
	return s + "."
}

// UntrackedLine names the items reported by their own units.
func (p *Paper) UntrackedLine() string {
	if len(p.Untracked) == 0 {
		return ""
	}
	var parts []string
	for _, u := range p.Untracked {
		parts = append(parts, fmt.Sprintf("%s (%s)", u.Item.ID, u.Item.Title))
	}
	return locale.T("report.print.untracked") + " " + strings.Join(parts, "; ") + "."
}
