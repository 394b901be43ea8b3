package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"cchc/internal/vntext"
)

// Write writes doc as a .docx to w. The output depends on doc alone: the
// zip's entries carry one fixed time (1980-01-01) and come in one order,
// so the same document gives the same bytes. A document that cannot be
// written as asked (a row whose cells do not cover the grid, a heading
// level past 6, text XML cannot carry) is an error, and nothing is
// written.
func Write(w io.Writer, doc *Document) error {
	if doc == nil {
		return fmt.Errorf("docx: no document")
	}
	wr := newWriter(doc)
	parts, err := wr.parts()
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		// The legacy DOS fields only, with Modified left zero: no extended
		// timestamp field, and the same bytes on every run.
		fh := &zip.FileHeader{Name: p.name, Method: zip.Deflate, ModifiedDate: dosDate1980}
		f, err := zw.CreateHeader(fh)
		if err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.data); err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: write: %w", err)
	}
	return nil
}

// dosDate1980 is 1980-01-01 in MS-DOS date format (day 1, month 1, year
// 1980+0), the earliest date a zip entry can carry.
const dosDate1980 = 1<<5 | 1

type part struct{ name, data string }

// writer holds what the parts of one document share: the resolved look and
// the lists met while writing the body.
type writer struct {
	doc   *Document
	page  Page
	text  TextStyle
	lists []listKey // one w:num each, numId = index+1
}

type listKey struct {
	kind ListKind
	list int
}

// place is where a paragraph stands; each place has its own default
// paragraph style.
type place int

const (
	inBody place = iota
	inCell
	inHeader
	inFooter
)

func newWriter(doc *Document) *writer {
	w := &writer{doc: doc, page: doc.Page, text: doc.Text}
	if w.page.Width == 0 || w.page.Height == 0 {
		w.page = Decree30Page()
	}
	if w.text.Font == "" {
		w.text.Font = "Times New Roman"
	}
	if w.text.Size == 0 {
		w.text.Size = 14
	}
	return w
}

func (w *writer) parts() ([]part, error) {
	body, err := w.body()
	if err != nil {
		return nil, err
	}
	var headerFooter []part
	var refs []string // sectPr references, in schema order
	var rels []rel
	rels = append(rels,
		rel{"rId1", relStyles, "styles.xml"},
		rel{"rId2", relSetting, "settings.xml"},
	)
	addHF := func(kind, file, typ string, blocks []Block, ctx place) error {
		root := "w:hdr"
		relType := relHeader
		if kind == "footer" {
			root, relType = "w:ftr", relFooter
		}
		var b xmlBuf
		b.WriteString(xmlHeader)
		b.open(root, "xmlns:w", nsW, "xmlns:r", nsR)
		if err := w.blocks(&b, blocks, ctx, true); err != nil {
			return fmt.Errorf("docx: %s: %w", kind, err)
		}
		b.close(root)
		if b.err != nil {
			return fmt.Errorf("docx: %s: %w", kind, b.err)
		}
		id := "rId" + itoa(len(rels)+1)
		rels = append(rels, rel{id, relType, file})
		headerFooter = append(headerFooter, part{"word/" + file, b.String()})
		refs = append(refs, fmt.Sprintf(`<w:%sReference w:type="%s" r:id="%s"/>`, kind, typ, id))
		return nil
	}
	if len(w.doc.Header) > 0 {
		if err := addHF("header", "header1.xml", "default", w.doc.Header, inHeader); err != nil {
			return nil, err
		}
	}
	if len(w.doc.Footer) > 0 {
		if err := addHF("footer", "footer1.xml", "default", w.doc.Footer, inFooter); err != nil {
			return nil, err
		}
	}
	if w.titlePage() {
		// An explicit empty first-page header or footer: without one,
		// some readers repeat the default one on page 1.
		if len(w.doc.Header) > 0 {
			if err := addHF("header", "header2.xml", "first", nil, inHeader); err != nil {
				return nil, err
			}
		}
		if len(w.doc.Footer) > 0 {
			if err := addHF("footer", "footer2.xml", "first", nil, inFooter); err != nil {
				return nil, err
			}
		}
	}
	if len(w.lists) > 0 {
		rels = append(rels, rel{"rId" + itoa(len(rels)+1), relNumber, "numbering.xml"})
	}

	var doc xmlBuf
	doc.WriteString(xmlHeader)
	doc.open("w:document", "xmlns:w", nsW, "xmlns:r", nsR)
	doc.open("w:body")
	doc.WriteString(body)
	w.sectPr(&doc, refs)
	doc.close("w:body")
	doc.close("w:document")

	core, err := w.core()
	if err != nil {
		return nil, err
	}
	styles, err := w.styles()
	if err != nil {
		return nil, err
	}
	ps := []part{
		{"[Content_Types].xml", w.contentTypes(headerFooter)},
		{"_rels/.rels", relsXML([]rel{
			{"rId1", relOffice, "word/document.xml"},
			{"rId2", relCore, "docProps/core.xml"},
		})},
		{"docProps/core.xml", core},
		{"word/document.xml", doc.String()},
		{"word/_rels/document.xml.rels", relsXML(rels)},
		{"word/styles.xml", styles},
		{"word/settings.xml", settingsXML},
	}
	if len(w.lists) > 0 {
		ps = append(ps, part{"word/numbering.xml", w.numbering()})
	}
	return append(ps, headerFooter...), nil
}

// titlePage says the first page differs: only when there is a header or a
// footer to leave off it.
func (w *writer) titlePage() bool {
	return w.page.TitlePage && (len(w.doc.Header) > 0 || len(w.doc.Footer) > 0)
}

func (w *writer) body() (string, error) {
	var b xmlBuf
	if err := w.blocks(&b, w.doc.Blocks, inBody, false); err != nil {
		return "", err
	}
	if n := len(w.doc.Blocks); n > 0 {
		if _, ok := w.doc.Blocks[n-1].(*Table); ok {
			// Word wants a paragraph between a table and the section's end.
			b.empty("w:p")
		}
	}
	if b.err != nil {
		return "", b.err
	}
	return b.String(), nil
}

func (w *writer) sectPr(b *xmlBuf, refs []string) {
	p := w.page
	b.open("w:sectPr")
	for _, r := range refs {
		b.WriteString(r)
	}
	b.empty("w:pgSz", "w:w", itoa(int(p.Width)), "w:h", itoa(int(p.Height)))
	b.empty("w:pgMar", "w:top", itoa(int(p.Top)), "w:right", itoa(int(p.Right)),
		"w:bottom", itoa(int(p.Bottom)), "w:left", itoa(int(p.Left)),
		"w:header", itoa(int(p.Header)), "w:footer", itoa(int(p.Footer)), "w:gutter", "0")
	b.empty("w:cols", "w:space", "720")
	if w.titlePage() {
		b.empty("w:titlePg")
	}
	b.close("w:sectPr")
}

// blocks writes a sequence of blocks. mustEndWithP closes it with an
// empty paragraph when it is empty or ends with a table: a table cell, a
// header or a footer must end with a paragraph.
func (w *writer) blocks(b *xmlBuf, blocks []Block, ctx place, mustEndWithP bool) error {
	for i, bl := range blocks {
		var err error
		switch x := bl.(type) {
		case *Paragraph:
			err = w.paragraph(b, x, ctx)
		case *Table:
			err = w.table(b, x)
		case PageBreak:
			b.open("w:p")
			b.open("w:r")
			b.empty("w:br", "w:type", "page")
			b.close("w:r")
			b.close("w:p")
		case nil:
			err = fmt.Errorf("nil block")
		default:
			err = fmt.Errorf("unknown block type %T", bl)
		}
		if err != nil {
			return fmt.Errorf("block %d: %w", i+1, err)
		}
	}
	if mustEndWithP {
		if len(blocks) == 0 {
			b.empty("w:p")
		} else if _, ok := blocks[len(blocks)-1].(*Table); ok {
			b.empty("w:p")
		}
	}
	return nil
}

func (w *writer) paragraph(b *xmlBuf, p *Paragraph, ctx place) error {
	if p == nil {
		return fmt.Errorf("nil paragraph")
	}
	if p.Heading < 0 || p.Heading > 6 {
		return fmt.Errorf("heading level %d (1–6, or 0 for body text)", p.Heading)
	}
	b.open("w:p")
	b.open("w:pPr")
	style := ""
	switch {
	case p.Heading > 0:
		style = "Heading" + itoa(p.Heading)
	case ctx == inCell:
		style = "TableContents"
	case ctx == inHeader:
		style = "Header"
	case ctx == inFooter:
		style = "Footer"
	}
	if style != "" {
		b.val("w:pStyle", style)
	}
	if p.KeepNext {
		b.empty("w:keepNext")
	}
	if p.KeepLines {
		b.empty("w:keepLines")
	}
	if p.List != nil {
		l := p.List
		if l.Level < 0 || l.Level > 8 {
			return fmt.Errorf("list level %d (0–8)", l.Level)
		}
		if l.Kind < ListDecimal || l.Kind > ListOutline {
			return fmt.Errorf("unknown list kind %d", l.Kind)
		}
		b.open("w:numPr")
		b.val("w:ilvl", itoa(l.Level))
		b.val("w:numId", itoa(w.numID(listKey{l.Kind, l.List})))
		b.close("w:numPr")
	}
	if s := p.Spacing; s != nil {
		spacing(b, *s)
	}
	if in := p.Indent; in != (Indent{}) {
		attrs := []string{"w:left", itoa(int(in.Left)), "w:right", itoa(int(in.Right))}
		if in.FirstLine < 0 {
			attrs = append(attrs, "w:hanging", itoa(int(-in.FirstLine)))
		} else {
			attrs = append(attrs, "w:firstLine", itoa(int(in.FirstLine)))
		}
		b.empty("w:ind", attrs...)
	}
	if a := jc(p.Align); a != "" {
		b.val("w:jc", a)
	}
	b.close("w:pPr")
	for _, r := range p.Runs {
		writeRun(b, r)
	}
	b.close("w:p")
	return nil
}

func spacing(b *xmlBuf, s Spacing) {
	attrs := []string{"w:before", itoa(int(s.Before)), "w:after", itoa(int(s.After))}
	if s.Line > 0 {
		attrs = append(attrs, "w:line", itoa(int(math.Round(s.Line*240))), "w:lineRule", "auto")
	}
	b.empty("w:spacing", attrs...)
}

func jc(a Align) string {
	switch a {
	case AlignLeft:
		return "left"
	case AlignCenter:
		return "center"
	case AlignRight:
		return "right"
	case AlignJustify:
		return "both"
	}
	return ""
}

func runProps(b *xmlBuf, r Run) {
	if !r.Bold && !r.Italic && !r.Underline && !r.Strike && r.Size == 0 {
		return
	}
	b.open("w:rPr")
	if r.Bold {
		b.empty("w:b")
		b.empty("w:bCs")
	}
	if r.Italic {
		b.empty("w:i")
		b.empty("w:iCs")
	}
	if r.Strike {
		b.empty("w:strike")
	}
	if r.Size > 0 {
		hp := itoa(int(math.Round(r.Size * 2)))
		b.val("w:sz", hp)
		b.val("w:szCs", hp)
	}
	if r.Underline {
		b.val("w:u", "single")
	}
	b.close("w:rPr")
}

func writeRun(b *xmlBuf, r Run) {
	if r.Field != FieldNone {
		instr := " PAGE "
		if r.Field == FieldNumPages {
			instr = " NUMPAGES "
		}
		for i, piece := range []string{"begin", "instr", "separate", "1", "end"} {
			b.open("w:r")
			runProps(b, r)
			switch i {
			case 1:
				b.elem("w:instrText", instr, "xml:space", "preserve")
			case 3:
				b.elem("w:t", piece)
			default:
				b.empty("w:fldChar", "w:fldCharType", piece)
			}
			b.close("w:r")
		}
		return
	}
	b.open("w:r")
	runProps(b, r)
	text := vntext.NFC(strings.ReplaceAll(r.Text, "\r\n", "\n"))
	start := 0
	flush := func(end int) {
		if end > start {
			b.elem("w:t", text[start:end], "xml:space", "preserve")
		}
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			flush(i)
			b.empty("w:br")
			start = i + 1
		case '\t':
			flush(i)
			b.empty("w:tab")
			start = i + 1
		}
	}
	flush(len(text))
	b.close("w:r")
}

func (w *writer) table(b *xmlBuf, t *Table) error {
	if t == nil {
		return fmt.Errorf("nil table")
	}
	if len(t.Columns) == 0 {
		return fmt.Errorf("table without columns")
	}
	total := 0
	for i, c := range t.Columns {
		if c <= 0 {
			return fmt.Errorf("table column %d has width %d", i+1, c)
		}
		total += int(c)
	}
	b.open("w:tbl")
	b.open("w:tblPr")
	b.empty("w:tblW", "w:w", itoa(total), "w:type", "dxa")
	if a := jc(t.Align); a != "" && a != "both" {
		b.val("w:jc", a)
	}
	b.open("w:tblBorders")
	for _, side := range []string{"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"} {
		if t.Borders {
			b.empty(side, "w:val", "single", "w:sz", "4", "w:space", "0", "w:color", "000000")
		} else {
			b.empty(side, "w:val", "nil")
		}
	}
	b.close("w:tblBorders")
	b.empty("w:tblLayout", "w:type", "fixed")
	// Text in a bordered cell keeps 1.5 mm from the lines; a borderless
	// (layout) table's text lines up with the page's margins.
	pad := "85"
	if !t.Borders {
		pad = "0"
	}
	b.open("w:tblCellMar")
	b.empty("w:left", "w:w", pad, "w:type", "dxa")
	b.empty("w:right", "w:w", pad, "w:type", "dxa")
	b.close("w:tblCellMar")
	b.close("w:tblPr")
	b.open("w:tblGrid")
	for _, c := range t.Columns {
		b.empty("w:gridCol", "w:w", itoa(int(c)))
	}
	b.close("w:tblGrid")
	if len(t.Rows) == 0 {
		return fmt.Errorf("table without rows")
	}
	// open[c] says a vertical merge runs down grid column c.
	open := make([]bool, len(t.Columns))
	for ri, row := range t.Rows {
		if row.Header && ri > 0 && !t.Rows[ri-1].Header {
			return fmt.Errorf("row %d: a header row after a body row (header rows repeat only from the top)", ri+1)
		}
		b.open("w:tr")
		if row.Header || row.CantSplit {
			b.open("w:trPr")
			if row.CantSplit {
				b.empty("w:cantSplit")
			}
			if row.Header {
				b.empty("w:tblHeader")
			}
			b.close("w:trPr")
		}
		col := 0
		for ci, cell := range row.Cells {
			span := max(cell.GridSpan, 1)
			if col+span > len(t.Columns) {
				return fmt.Errorf("row %d, cell %d: spans past the table's %d columns", ri+1, ci+1, len(t.Columns))
			}
			width := 0
			for _, c := range t.Columns[col : col+span] {
				width += int(c)
			}
			switch cell.VMerge {
			case VMergeRestart:
				open[col] = true
			case VMergeContinue:
				if !open[col] {
					return fmt.Errorf("row %d, cell %d: continues a vertical merge that no cell above starts", ri+1, ci+1)
				}
			default:
				open[col] = false
			}
			b.open("w:tc")
			b.open("w:tcPr")
			b.empty("w:tcW", "w:w", itoa(width), "w:type", "dxa")
			if span > 1 {
				b.val("w:gridSpan", itoa(span))
			}
			switch cell.VMerge {
			case VMergeRestart:
				b.val("w:vMerge", "restart")
			case VMergeContinue:
				b.empty("w:vMerge")
			}
			switch cell.VAlign {
			case AlignCenter:
				b.val("w:vAlign", "center")
			case AlignRight:
				b.val("w:vAlign", "bottom")
			}
			b.close("w:tcPr")
			blocks := cell.Blocks
			if cell.VMerge == VMergeContinue {
				blocks = nil // not shown: Word keeps only the first cell's content
			}
			if err := w.blocks(b, blocks, inCell, true); err != nil {
				return fmt.Errorf("row %d, cell %d: %w", ri+1, ci+1, err)
			}
			b.close("w:tc")
			col += span
		}
		if col != len(t.Columns) {
			return fmt.Errorf("row %d: cells span %d of the table's %d columns", ri+1, col, len(t.Columns))
		}
		b.close("w:tr")
	}
	b.close("w:tbl")
	return nil
}

func (w *writer) numID(k listKey) int {
	for i, l := range w.lists {
		if l == k {
			return i + 1
		}
	}
	w.lists = append(w.lists, k)
	return len(w.lists)
}

// level is one level of a list's numbering.
type level struct{ format, text string }

func listLevels(kind ListKind) [9]level {
	var ls [9]level
	marks := []string{"–", "+", "•"}
	switch kind {
	case ListBullet:
		for i := range ls {
			ls[i] = level{"bullet", marks[i%len(marks)]}
		}
	case ListOutline:
		ls[0] = level{"upperRoman", "%1."}
		ls[1] = level{"decimal", "%2."}
		ls[2] = level{"lowerLetter", "%3)"}
		for i := 3; i < len(ls); i++ {
			ls[i] = level{"bullet", marks[(i-3)%len(marks)]}
		}
	default:
		text := ""
		for i := range ls {
			text += "%" + itoa(i+1) + "."
			ls[i] = level{"decimal", text}
		}
	}
	return ls
}

func (w *writer) numbering() string {
	var b xmlBuf
	b.WriteString(xmlHeader)
	b.open("w:numbering", "xmlns:w", nsW)
	step := int(MM(5))
	for i, l := range w.lists {
		b.open("w:abstractNum", "w:abstractNumId", itoa(i))
		b.val("w:multiLevelType", "multilevel")
		for lvl, lv := range listLevels(l.kind) {
			b.open("w:lvl", "w:ilvl", itoa(lvl))
			b.val("w:start", "1")
			b.val("w:numFmt", lv.format)
			first := int(w.text.FirstLine)
			if first > 0 {
				// The way of administrative texts: the number or dash
				// where a paragraph's first line starts (deeper levels of
				// plain lists a little further), one space, the text
				// wrapping back to the margin.
				b.val("w:suff", "space")
			}
			b.val("w:lvlText", lv.text)
			b.val("w:lvlJc", "left")
			b.open("w:pPr")
			switch {
			case first > 0 && l.kind == ListOutline:
				b.empty("w:ind", "w:left", "0", "w:firstLine", itoa(first))
			case first > 0:
				b.empty("w:ind", "w:left", "0", "w:firstLine", itoa(first+step*lvl))
			default:
				b.empty("w:ind", "w:left", itoa(step*(lvl+1)), "w:hanging", itoa(step))
			}
			b.close("w:pPr")
			b.close("w:lvl")
		}
		b.close("w:abstractNum")
	}
	for i := range w.lists {
		b.open("w:num", "w:numId", itoa(i+1))
		b.val("w:abstractNumId", itoa(i))
		b.close("w:num")
	}
	b.close("w:numbering")
	return b.String()
}

func (w *writer) styles() (string, error) {
	var b xmlBuf
	t := w.text
	hp := itoa(int(math.Round(t.Size * 2)))
	b.WriteString(xmlHeader)
	b.open("w:styles", "xmlns:w", nsW)
	b.open("w:docDefaults")
	b.open("w:rPrDefault")
	b.open("w:rPr")
	b.empty("w:rFonts", "w:ascii", t.Font, "w:hAnsi", t.Font, "w:eastAsia", t.Font, "w:cs", t.Font)
	b.val("w:sz", hp)
	b.val("w:szCs", hp)
	b.empty("w:lang", "w:val", w.language(), "w:eastAsia", "en-US", "w:bidi", "ar-SA")
	b.close("w:rPr")
	b.close("w:rPrDefault")
	b.open("w:pPrDefault")
	b.open("w:pPr")
	spacing(&b, t.Spacing)
	b.close("w:pPr")
	b.close("w:pPrDefault")
	b.close("w:docDefaults")

	b.open("w:style", "w:type", "paragraph", "w:default", "1", "w:styleId", "Normal")
	b.val("w:name", "Normal")
	b.empty("w:qFormat")
	b.open("w:pPr")
	b.empty("w:widowControl")
	if t.FirstLine != 0 {
		b.empty("w:ind", "w:firstLine", itoa(int(t.FirstLine)))
	}
	if a := jc(t.Align); a != "" {
		b.val("w:jc", a)
	}
	b.close("w:pPr")
	b.close("w:style")

	b.open("w:style", "w:type", "character", "w:default", "1", "w:styleId", "DefaultParagraphFont")
	b.val("w:name", "Default Paragraph Font")
	b.val("w:uiPriority", "1")
	b.empty("w:semiHidden")
	b.empty("w:unhideWhenUsed")
	b.close("w:style")

	b.open("w:style", "w:type", "table", "w:default", "1", "w:styleId", "TableNormal")
	b.val("w:name", "Normal Table")
	b.empty("w:semiHidden")
	b.empty("w:unhideWhenUsed")
	b.open("w:tblPr")
	b.empty("w:tblInd", "w:w", "0", "w:type", "dxa")
	b.open("w:tblCellMar")
	b.empty("w:top", "w:w", "0", "w:type", "dxa")
	b.empty("w:left", "w:w", "108", "w:type", "dxa")
	b.empty("w:bottom", "w:w", "0", "w:type", "dxa")
	b.empty("w:right", "w:w", "108", "w:type", "dxa")
	b.close("w:tblCellMar")
	b.close("w:tblPr")
	b.close("w:style")

	b.open("w:style", "w:type", "numbering", "w:default", "1", "w:styleId", "NoList")
	b.val("w:name", "No List")
	b.empty("w:semiHidden")
	b.empty("w:unhideWhenUsed")
	b.close("w:style")

	for lvl := 1; lvl <= 6; lvl++ {
		b.open("w:style", "w:type", "paragraph", "w:styleId", "Heading"+itoa(lvl))
		b.val("w:name", "heading "+itoa(lvl))
		b.val("w:basedOn", "Normal")
		b.val("w:next", "Normal")
		b.val("w:uiPriority", "9")
		b.empty("w:qFormat")
		b.open("w:pPr")
		b.empty("w:keepNext")
		b.empty("w:keepLines")
		b.val("w:outlineLvl", itoa(lvl-1))
		b.close("w:pPr")
		b.open("w:rPr")
		// Nghị định 30 sets headings in the body's size: bold for the
		// first two levels, bold italic for the third, italic below.
		if lvl <= 3 {
			b.empty("w:b")
			b.empty("w:bCs")
		}
		if lvl >= 3 {
			b.empty("w:i")
			b.empty("w:iCs")
		}
		b.close("w:rPr")
		b.close("w:style")
	}

	compact := func(id, name string, align string) {
		b.open("w:style", "w:type", "paragraph", "w:styleId", id)
		b.val("w:name", name)
		b.val("w:basedOn", "Normal")
		b.open("w:pPr")
		b.empty("w:spacing", "w:before", "40", "w:after", "40", "w:line", "240", "w:lineRule", "auto")
		b.empty("w:ind", "w:firstLine", "0")
		b.val("w:jc", align)
		b.close("w:pPr")
		b.close("w:style")
	}
	compact("TableContents", "Table Contents", "left")
	compact("Header", "header", "center")
	compact("Footer", "footer", "center")
	b.close("w:styles")
	if b.err != nil {
		return "", fmt.Errorf("docx: styles: %w", b.err)
	}
	return b.String(), nil
}

func (w *writer) language() string {
	if w.doc.Props.Language != "" {
		return w.doc.Props.Language
	}
	return "vi-VN"
}

// settingsXML asks for Word 2013+ layout (compatibility mode 15), so Word
// does not open the document in compatibility mode.
const settingsXML = xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="720"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

func (w *writer) core() (string, error) {
	p := w.doc.Props
	var b xmlBuf
	b.WriteString(xmlHeader)
	b.open("cp:coreProperties",
		"xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
		"xmlns:dc", "http://purl.org/dc/elements/1.1/",
		"xmlns:dcterms", "http://purl.org/dc/terms/",
		"xmlns:dcmitype", "http://purl.org/dc/dcmitype/",
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
	for _, e := range []struct{ name, value string }{
		{"dc:title", p.Title},
		{"dc:subject", p.Subject},
		{"dc:creator", p.Creator},
		{"dc:description", p.Description},
	} {
		if e.value != "" {
			b.elem(e.name, vntext.NFC(e.value))
		}
	}
	b.elem("dc:language", w.language())
	for _, e := range []struct {
		name string
		t    time.Time
	}{{"dcterms:created", p.Created}, {"dcterms:modified", p.Modified}} {
		if !e.t.IsZero() {
			b.elem(e.name, e.t.UTC().Format("2006-01-02T15:04:05Z"), "xsi:type", "dcterms:W3CDTF")
		}
	}
	b.close("cp:coreProperties")
	if b.err != nil {
		return "", fmt.Errorf("docx: properties: %w", b.err)
	}
	return b.String(), nil
}

func (w *writer) contentTypes(headerFooter []part) string {
	const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	var b xmlBuf
	b.WriteString(xmlHeader)
	b.open("Types", "xmlns", nsTypes)
	b.empty("Default", "Extension", "rels", "ContentType", "application/vnd.openxmlformats-package.relationships+xml")
	b.empty("Default", "Extension", "xml", "ContentType", "application/xml")
	over := func(name, ct string) { b.empty("Override", "PartName", name, "ContentType", ct) }
	over("/word/document.xml", wml+"document.main+xml")
	over("/word/styles.xml", wml+"styles+xml")
	over("/word/settings.xml", wml+"settings+xml")
	if len(w.lists) > 0 {
		over("/word/numbering.xml", wml+"numbering+xml")
	}
	for _, p := range headerFooter {
		kind := "footer"
		if strings.Contains(p.name, "header") {
			kind = "header"
		}
		over("/"+p.name, wml+kind+"+xml")
	}
	over("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
	b.close("Types")
	return b.String()
}

type rel struct{ id, typ, target string }

func relsXML(rels []rel) string {
	var b xmlBuf
	b.WriteString(xmlHeader)
	b.open("Relationships", "xmlns", nsPkgRels)
	for _, r := range rels {
		b.empty("Relationship", "Id", r.id, "Type", r.typ, "Target", r.target)
	}
	b.close("Relationships")
	return b.String()
}
