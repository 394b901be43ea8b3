package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"cchc/internal/docx"
	"cchc/internal/locale"
	"cchc/internal/progress"
)

// WriteDOCX writes the paper as a Word document (package docx) with the
// print's sections in the print's order: the letterhead, I–III, the
// signature, then Phụ lục I and II each on a new page. A4 with the
// decree's margins, Times New Roman 14 pt, the page number at the top
// from page 2; table header rows repeat on every page and no row splits.
func (p *Paper) WriteDOCX(w io.Writer) error {
	r := p.R
	doc := &docx.Document{
		Props: docx.Props{Title: locale.T("report.print.heading") + " " + p.Subject, Subject: r.Title(), Creator: p.UnitName,
			Created: r.Now, Modified: r.Now},
		Page:   docx.Decree30Page(),
		Text:   docx.Decree30Text(),
		Header: docx.Decree30PageNumber(),
	}
	add := func(b ...docx.Block) { doc.Blocks = append(doc.Blocks, b...) }
	para := func(s string) *docx.Paragraph { return &docx.Paragraph{Runs: []docx.Run{{Text: s}}} }
	heading := func(level int, s string) *docx.Paragraph {
		return &docx.Paragraph{Heading: level, KeepNext: true, Indent: docx.Indent{NoFirstLine: true}, Runs: []docx.Run{{Text: s, Bold: true}}}
	}

	add(docx.Letterhead{Parent: p.Parent, Unit: p.Unit, Number: p.Number(), Place: placeOnly(p), Date: r.AsOf,
		Kind: locale.T("report.print.heading"), Summary: p.Subject}.Blocks()...)
	add(&docx.Paragraph{Align: docx.AlignCenter, Indent: docx.Indent{NoFirstLine: true}, Spacing: &docx.Spacing{After: docx.Pt(12), Line: 1},
		Runs: []docx.Run{{Text: locale.T("report.print.to", p.To)}}})
	add(para(p.Basis))

	add(heading(1, "I. "+locale.T("report.print.results")))
	for i, it := range p.Tracked {
		add(heading(2, fmt.Sprintf("%d. %s", i+1, locale.T("report.print.item", it.Item.ID, it.Item.Title))))
		add(para(p.ItemLine(it.Item)))
		lv := &docx.Paragraph{Runs: []docx.Run{{Text: locale.T("report.print.level", it.Level.Label()), Bold: true}}}
		if len(it.Official) == 0 {
			lv.Runs = append(lv.Runs, docx.Run{Text: " " + it.Reason})
		}
		add(lv)
		for _, t := range it.Official {
			add(&docx.Paragraph{Runs: []docx.Run{{Text: "- " + locale.T("report.print.requirement", t.Name) + " "}, {Text: t.Level.Label(), Bold: true}, {Text: ". " + t.Reason}}})
		}
		for _, f := range p.ItemFacts(it) {
			add(para("- " + f))
		}
		if it.Item.ID == "III.2" {
			p.docxProcedures(add, para)
		}
	}
	if p.Department {
		add(heading(2, fmt.Sprintf("%d. %s", len(p.Tracked)+1, locale.T("report.print.units"))))
		for _, u := range p.Units {
			add(para("- " + u.Line()))
		}
	}
	add(heading(2, fmt.Sprintf("%d. %s", p.TotalsNumber(), locale.T("report.print.totals", r.Year))))
	totals := [][]string{{locale.T("report.detail.kind"), locale.T("publog.type.publish"), locale.T("publog.type.update"),
		locale.T("publog.type.withdraw"), locale.T("publog.type.republish"), locale.T("publog.type.unpublish")}}
	for _, k := range append(r.Totals, r.Total) {
		totals = append(totals, []string{k.Label(), strconv.Itoa(k.Publish), strconv.Itoa(k.Update), strconv.Itoa(k.Withdraw), strconv.Itoa(k.Republish), strconv.Itoa(k.Unpublish)})
	}
	add(grid([]float64{55, 22, 22, 22, 22, 22}, totals))
	add(para(r.DeclaredText()))
	if l := p.UntrackedLine(); l != "" {
		add(para(l))
	}

	add(heading(1, "II. "+locale.T("report.print.shortcomings")))
	for _, s := range p.Shortcomings {
		add(para(s))
	}
	add(heading(1, "III. "+locale.T("report.print.directions")))
	for _, s := range p.Directions {
		add(para(s))
	}
	add(para(locale.T("report.print.closing", p.UnitName)))
	name := p.Signer
	if name == "" {
		name = locale.T("report.print.signer_name")
	}
	add(docx.Signature{Recipients: p.Recipients, Authority: p.Authority, Position: p.Position, Name: name}.Block())

	// Phụ lục I: what was published, numbered 1…N.
	add(docx.PageBreak{}, centred(locale.T("report.print.appendix1"), true),
		centred(locale.T("report.print.appendix1.sub", p.Count2(len(p.Published)), r.Year, p.AsOf), false))
	if len(p.Published) == 0 {
		add(para(locale.T("report.print.appendix1.none")))
	} else {
		rows := [][]string{{locale.T("report.print.col.seq"), locale.T("report.print.col.date"), locale.T("report.col.kind"),
			locale.T("report.col.title"), locale.T("report.col.content"), locale.T("report.print.col.url")}}
		for _, e := range p.Published {
			rows = append(rows, []string{strconv.Itoa(e.N), e.Date, e.Kind, e.Title, e.Areas, e.URL})
		}
		add(grid([]float64{10, 22, 20, 55, 20, 38}, rows))
	}

	// Phụ lục II: internal, for reference.
	add(docx.PageBreak{}, centred(locale.T("report.print.appendix2"), true),
		&docx.Paragraph{Align: docx.AlignCenter, Indent: docx.Indent{NoFirstLine: true}, Runs: []docx.Run{{Text: "(" + locale.T("report.print.appendix.mark") + ")", Italic: true}}})
	n := 0
	sub := func(s string) { n++; add(heading(2, fmt.Sprintf("%d. %s", n, s))) }
	if len(p.Internal) > 0 {
		sub(locale.T("report.print.internal"))
		rows := [][]string{{locale.T("report.col.item"), locale.T("report.col.internal_target"), locale.T("report.col.source"), locale.T("report.col.result"), locale.T("report.col.level")}}
		for _, t := range p.Internal {
			rows = append(rows, []string{t.Item.ID, t.Name, t.SourceLabel(), t.Reason, t.Level.Label()})
		}
		add(grid([]float64{15, 35, 35, 55, 25}, rows))
		for _, g := range p.InternalGaps {
			add(para("- " + g))
		}
	}
	sub(locale.T("report.print.months"))
	months := [][]string{{locale.T("report.col.month"), locale.T("report.print.col.articles"), locale.T("report.print.col.updates")}}
	for _, m := range r.Months {
		if m.Period == progress.Pending {
			continue
		}
		label := m.Name()
		switch {
		case m.Period == progress.BeforePlan:
			label += " (" + locale.T("report.page.before_plan") + ")"
		case m.Current:
			label += " (" + locale.T("report.print.until", p.AsOf) + ")"
		}
		months = append(months, []string{label, strconv.Itoa(m.Articles), strconv.Itoa(m.Updates)})
	}
	months = append(months, []string{locale.T("report.print.sum"), strconv.Itoa(r.ArticleTotal()), ""})
	add(grid([]float64{85, 40, 40}, months))
	sub(locale.T("report.print.coverage"))
	cov := [][]string{{locale.T("report.col.content"), locale.T("report.quarter", "I"), locale.T("report.quarter", "II"),
		locale.T("report.quarter", "III"), locale.T("report.quarter", "IV"), locale.T("report.col.year")}}
	for _, row := range r.Coverage {
		line := []string{row.Area.ID + ". " + row.Area.Title}
		for _, c := range row.Cells {
			line = append(line, c.Text())
		}
		cov = append(cov, append(line, strconv.Itoa(row.Total)))
	}
	add(grid([]float64{65, 20, 20, 20, 20, 20}, cov))
	if s := r.QuartersBeforePlan(); s != "" {
		add(para(s))
	}
	sub(locale.T("report.print.verification"))
	head := locale.T("report.page.head.empty")
	if r.Chain.LastSeq > 0 {
		head = locale.T("report.print.head", p.Generated, r.Chain.LastSeq) + " " + r.Chain.Head + "."
	}
	add(para(locale.T("report.print.verification.text") + " " + r.Chain.Summary() + ". " + head + " " + locale.T("report.page.anchor", r.Chain.AnchorText()) + "."))
	doc.Props.Title, doc.Props.Subject, doc.Props.Creator = xmlText(doc.Props.Title), xmlText(doc.Props.Subject), xmlText(doc.Props.Creator)
	xmlBlocks(doc.Blocks)
	return docx.Write(w, doc)
}

// xmlText is s with every character XML cannot carry (U+FFFE, U+FFFF;
// control characters never get this far) replaced by U+FFFD: a title
// that slipped one in still gives a document, not an error page.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0xFFFE || r == 0xFFFF || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
			return utf8.RuneError
		}
		return r
	}, s)
}

// xmlBlocks applies xmlText to every run of blocks, tables included.
func xmlBlocks(blocks []docx.Block) {
	for _, b := range blocks {
		switch b := b.(type) {
		case *docx.Paragraph:
			for i := range b.Runs {
				b.Runs[i].Text = xmlText(b.Runs[i].Text)
			}
		case *docx.Table:
			for _, row := range b.Rows {
				for _, c := range row.Cells {
					xmlBlocks(c.Blocks)
				}
			}
		}
	}
}

// docxProcedures is III.2's procedures and documents, as the print has
// them.
func (p *Paper) docxProcedures(add func(...docx.Block), para func(string) *docx.Paragraph) {
	r := p.R
	ps := r.Procedures
	if ps.HasList {
		add(para("a) " + locale.T("report.print.procedures", p.Count2(ps.Published), p.Count2(ps.Listed), ps.DecisionText())))
		if len(ps.Missing) > 0 {
			add(para(locale.T("report.print.procedures.missing")))
			for _, m := range ps.Missing {
				add(para("- " + m.Code + " — " + m.Name + ";"))
			}
		}
		if len(ps.Unlisted) > 0 {
			add(para(locale.T("report.print.procedures.unlisted")))
			for _, u := range ps.Unlisted {
				add(para("- " + u.Ref + " — " + u.Title + ";"))
			}
		}
	} else {
		add(para("a) " + locale.T("report.print.procedures.no_list", p.Count2(ps.OnColumn))))
	}
	if len(r.Documents) > 0 {
		add(para("b) " + locale.T("report.print.documents")))
		rows := [][]string{{locale.T("report.print.col.seq"), locale.T("field.number"), locale.T("report.col.state")}}
		for i, d := range r.Documents {
			rows = append(rows, []string{strconv.Itoa(i + 1), d.Number, d.State()})
		}
		add(grid([]float64{15, 75, 75}, rows))
	}
}

// placeOnly is the settings' place, without the date the letterhead adds.
func placeOnly(p *Paper) string {
	if p.R.Plan != nil && p.R.Plan.Report != nil {
		return p.R.Plan.Report.Place
	}
	return locale.T("report.print.place.default")
}

// grid is a bordered table of text: the first row a bold header repeated
// on every page, no row split across pages; widths in millimetres (the
// text is 165 mm wide).
func grid(widths []float64, rows [][]string) *docx.Table {
	t := &docx.Table{Borders: true}
	for _, w := range widths {
		t.Columns = append(t.Columns, docx.MM(w))
	}
	for i, row := range rows {
		r := docx.Row{Header: i == 0, CantSplit: true}
		for j, s := range row {
			align := docx.AlignCenter
			if i > 0 && j > 0 && len(s) > 12 {
				align = docx.AlignLeft
			}
			r.Cells = append(r.Cells, docx.Cell{Blocks: []docx.Block{&docx.Paragraph{Align: align,
				Runs: []docx.Run{{Text: s, Bold: i == 0, Size: 12}}}}})
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

func centred(s string, bold bool) *docx.Paragraph {
	return &docx.Paragraph{Align: docx.AlignCenter, KeepNext: true, Indent: docx.Indent{NoFirstLine: true}, Runs: []docx.Run{{Text: s, Bold: bold}}}
}
