package report

import (
	"io"
	"strconv"

	"cchc/internal/docx"
	"cchc/internal/locale"
)

// WriteDOCX writes the province's summary as a Word document with the
// print's parts in the print's order (the letterhead, the basis, the
// summary table, the notes on the figures, the signature, then an
// appendix per agency, each on a new page), in the decree's page form as
// Paper.WriteDOCX. The summary table keeps the print's columns but folds
// the twelve months into one cell ("1:2 2:0 …") to fit 165 mm.
func (p *ProvincePaper) WriteDOCX(w io.Writer) error {
	ru := p.R
	doc := &docx.Document{
		Props: docx.Props{Title: xmlText(p.Subject), Subject: xmlText(p.Subject), Creator: xmlText(p.Unit), Created: ru.Now, Modified: ru.Now},
		Page:  docx.Decree30Page(), Text: docx.Decree30Text(), Header: docx.Decree30PageNumber(),
	}
	add := func(b ...docx.Block) { doc.Blocks = append(doc.Blocks, b...) }
	para := func(s string) *docx.Paragraph { return &docx.Paragraph{Runs: []docx.Run{{Text: s}}} }
	heading := func(s string) *docx.Paragraph {
		return &docx.Paragraph{Heading: 1, KeepNext: true, Indent: docx.Indent{NoFirstLine: true}, Runs: []docx.Run{{Text: s, Bold: true}}}
	}
	add(docx.Letterhead{Parent: p.Parent, Unit: p.Unit, Number: p.Number, Place: locale.T("report.print.place.default"), Date: ru.AsOf,
		Kind: locale.T("report.print.heading"), Summary: p.Subject}.Blocks()...)
	add(&docx.Paragraph{Align: docx.AlignCenter, Indent: docx.Indent{NoFirstLine: true}, Spacing: &docx.Spacing{After: docx.Pt(12), Line: 1},
		Runs: []docx.Run{{Text: locale.T("report.print.to", p.To)}}})
	add(para(p.Basis))

	add(heading("I. " + locale.T("rollup.print.summary")))
	rows := [][]string{{locale.T("report.print.col.seq"), locale.T("rollup.col.agency"), locale.T("rollup.col.plan"),
		locale.T("rollup.col.status"), locale.T("rollup.col.published"), locale.T("rollup.col.procedures"), locale.T("rollup.col.sent")}}
	for i, r := range p.Rows {
		rows = append(rows, []string{strconv.Itoa(i + 1), r.Agency.Name, r.PlanText(), r.StatusText(), r.MonthsText(),
			r.ProceduresText(), r.SentText() + "; " + r.DueText() + lateSuffix(r.LateText())})
	}
	add(grid([]float64{10, 33, 22, 30, 30, 18, 22}, rows))
	add(para(ru.SourceText()))
	add(para(locale.T("rollup.deadline_rule")))
	add(docx.Signature{Recipients: p.Recipients, Position: locale.T("rollup.print.position"), Name: locale.T("report.print.signer_name")}.Block())

	for i, r := range p.Rows {
		t := r.Appendix(i + 1)
		add(docx.PageBreak{}, centred(t.Title, true), centred(locale.T("rollup.print.appendix_sub", r.PlanText(), p.AsOfText()), false))
		rows := [][]string{t.Header}
		rows = append(rows, t.Rows...)
		add(grid([]float64{15, 55, 30, 65}, rows))
	}
	xmlBlocks(doc.Blocks)
	return docx.Write(w, doc)
}

func lateSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
