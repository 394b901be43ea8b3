package docx

import (
	"net/url"
	"strings"
	"unicode"
)

// What the reader makes of a document: blocks of paragraphs and tables,
// paragraphs of inlines.
type block interface{ isBlock() }

type paragraph struct {
	heading int
	list    listItem
	inlines []inline

	// The text being gathered while reading (see add).
	pending  strings.Builder
	pendEm   emphasis
	pendLink int
	open     bool
}

type table struct {
	rows [][]cell
}

// cell is one grid position: a cell spanning columns is followed by
// cover cells for the columns it covers; a cell continuing a vertical
// merge is a cover cell too. Cover cells are written empty.
type cell struct {
	blocks []block
	span   int
	cover  bool
}

func (*paragraph) isBlock() {}
func (*table) isBlock()     {}

type inlineKind uint8

const (
	inText inlineKind = iota
	inBreak
	inImage
	inNote
)

// emphasis is a set of the emphasis Markdown can say.
type emphasis uint8

const (
	emBold emphasis = 1 << iota
	emItalic
	emStrike
)

type inline struct {
	kind inlineKind
	text string
	em   emphasis
	link int // 1-based index in parser.links; 0 none
	ref  int // image index, or note number (1-based)
}

type noteKey struct {
	endnote bool
	id      string
}

type note struct{ blocks []block }

// parser reads the body of one part, then of the notes.
type parser struct {
	pkg       *pkg
	styles    *styles
	numbering *numbering
	rels      map[string]relationship
	fields    []field
	links     []string
	// inNotes is set while the notes are read: a note citing a note is
	// not followed (its mark is dropped), so notes are numbered by the
	// body alone.
	inNotes bool
}

// field is an open complex field (w:fldChar begin … separate … end).
// Only HYPERLINK fields mean something here; every field's instructions
// are hidden and its result is text.
type field struct {
	instr  strings.Builder
	result bool
	link   int
}

// maxFields bounds nested complex fields; deeper ones are counted but
// not kept.
const maxFields = 64

func (p *parser) document(x *xmlReader) ([]block, error) {
	var out []block
	err := eachTop(x, func(se startElement) error {
		if isW(se.Name) && se.Name.Local == "body" {
			bs, err := p.blockChildren(x)
			out = append(out, bs...)
			return err
		}
		return x.skip()
	})
	return out, err
}

func (p *parser) blockChildren(x *xmlReader) ([]block, error) {
	var out []block
	err := x.children(func(se startElement) error { return p.block(x, se, &out) }, nil)
	return out, err
}

// block reads one block-level element into out.
func (p *parser) block(x *xmlReader, se startElement, out *[]block) error {
	if se.Name.Space == nsMC {
		return p.alternate(x, se, func(c startElement) error { return p.block(x, c, out) })
	}
	if !isW(se.Name) {
		return x.skip()
	}
	switch se.Name.Local {
	case "p":
		para, extra, err := p.paragraph(x)
		if err != nil {
			return err
		}
		*out = append(*out, para)
		*out = append(*out, extra...)
		return nil
	case "tbl":
		t, err := p.table(x)
		if err != nil {
			return err
		}
		if len(t.rows) > 0 {
			*out = append(*out, t)
		}
		return nil
	case "sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag", "txbxContent":
		// Wrappers: content controls, tracked insertions (the text as
		// it stands), custom XML.
		return x.children(func(c startElement) error { return p.block(x, c, out) }, nil)
	}
	// Section properties, tracked deletions, bookmarks, …
	return x.skip()
}

// alternate reads mc:AlternateContent: its first mc:Choice with fn, never
// its mc:Fallback (the same content again, for older programs). Other
// markup-compatibility elements are skipped.
func (p *parser) alternate(x *xmlReader, se startElement, fn func(startElement) error) error {
	if se.Name.Local != "AlternateContent" {
		return x.skip()
	}
	taken := false
	return x.children(func(c startElement) error {
		if c.Name.Space == nsMC && c.Name.Local == "Choice" && !taken {
			taken = true
			return x.children(fn, nil)
		}
		return x.skip()
	}, nil)
}

func (p *parser) paragraph(x *xmlReader) (*paragraph, []block, error) {
	p.pkg.paras++
	if p.pkg.paras > p.pkg.lim.Paragraphs {
		return nil, nil, &LimitError{What: "paragraphs", Limit: int64(p.pkg.lim.Paragraphs)}
	}
	para := &paragraph{}
	pc := &paraCtx{para: para, pStyle: p.styles.defaultPara, outline: -1}
	pc.format = p.styles.runFormat("p:" + pc.pStyle)
	err := x.children(func(se startElement) error { return p.inline(x, se, pc, 0) }, nil)
	if err != nil {
		return nil, nil, err
	}
	para.flush()
	switch {
	case pc.outline >= 0 && pc.outline <= 8:
		para.heading = min(pc.outline+1, 6)
	case pc.outline == 9:
	default:
		para.heading = p.styles.headingLevel(pc.pStyle)
	}
	numID, ilvl, ok := pc.numID, pc.ilvl, pc.hasNum
	if !ok {
		numID, ilvl, ok = p.styles.numPr(pc.pStyle)
	}
	if ok {
		para.list = p.numbering.item(numID, ilvl)
	}
	return para, pc.extra, nil
}

// paraCtx is what reading one paragraph gathers.
type paraCtx struct {
	para    *paragraph
	pStyle  string
	format  runFormat // of the paragraph's style
	outline int
	numID   string
	ilvl    int
	hasNum  bool
	extra   []block // text boxes, after the paragraph
}

// inline reads one child of a paragraph (or of a hyperlink, an
// insertion…) with link as the link around it.
func (p *parser) inline(x *xmlReader, se startElement, pc *paraCtx, link int) error {
	if se.Name.Space == nsMC {
		return p.alternate(x, se, func(c startElement) error { return p.inline(x, c, pc, link) })
	}
	if isMath(se) {
		return p.math(x, pc, link)
	}
	if !isW(se.Name) {
		return x.skip()
	}
	switch se.Name.Local {
	case "pPr":
		return readPPr(x, func(c startElement) {
			switch c.Name.Local {
			case "pStyle":
				pc.pStyle = wval(c)
				pc.format = p.styles.runFormat("p:" + pc.pStyle)
			case "outlineLvl":
				pc.outline = atoi(wval(c), -1, 9)
			}
		}, func(numID string, ilvl int) {
			pc.numID, pc.ilvl, pc.hasNum = numID, ilvl, true
		})
	case "r":
		return p.run(x, pc, link)
	case "hyperlink":
		inner := link
		if inner == 0 {
			if r, ok := p.rels[relID(se, "id")]; ok && r.external {
				inner = p.addLink(r.target)
			}
		}
		return x.children(func(c startElement) error { return p.inline(x, c, pc, inner) }, nil)
	case "fldSimple":
		inner := link
		if inner == 0 {
			inner = p.addLink(hyperlinkField(attr(se, "instr")))
		}
		return x.children(func(c startElement) error { return p.inline(x, c, pc, inner) }, nil)
	case "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo":
		return x.children(func(c startElement) error { return p.inline(x, c, pc, link) }, nil)
	}
	// Deletions, bookmarks, comments, proofing marks, …
	return x.skip()
}

// addLink keeps href when it is a link the column may carry (http, https,
// mailto) and returns its 1-based id; 0 otherwise.
func (p *parser) addLink(href string) int {
	href = safeHref(href)
	if href == "" {
		return 0
	}
	p.links = append(p.links, href)
	return len(p.links)
}

// safeHref returns href when it is an absolute http, https or mailto
// address without control characters, else "". Spaces inside (Word
// keeps them in addresses of files with spaces in their names) are
// percent-encoded when written.
func safeHref(href string) string {
	href = strings.TrimSpace(href)
	if href == "" || len(href) > 2048 || strings.IndexFunc(href, unicode.IsControl) >= 0 {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto":
		if u.Opaque == "" {
			return ""
		}
	default:
		return ""
	}
	return href
}

// hyperlinkField is the address of a HYPERLINK field's instructions
// (`HYPERLINK "https://…" \o "tip"`), "" for any other field or a link
// inside the document (\l).
func hyperlinkField(instr string) string {
	args := fieldArgs(instr)
	if len(args) < 2 || !strings.EqualFold(args[0], "HYPERLINK") {
		return ""
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, `\`) {
			switch strings.ToLower(a) {
			case `\l`:
				return "" // a place in this document
			case `\o`, `\t`:
				i++ // the switch's argument
			}
			continue
		}
		return a
	}
	return ""
}

// fieldArgs splits field instructions at spaces, keeping quoted arguments
// whole.
func fieldArgs(s string) []string {
	var out []string
	for len(out) < 16 {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				out = append(out, s[1:])
				break
			}
			out = append(out, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// inInstructions reports whether the reader is inside some field's
// instructions, where no text is shown.
func (p *parser) inInstructions() bool {
	for i := range p.fields {
		if !p.fields[i].result {
			return true
		}
	}
	return false
}

// fieldLink is the link of the innermost HYPERLINK field whose result is
// being read.
func (p *parser) fieldLink() int {
	for i := len(p.fields) - 1; i >= 0; i-- {
		if p.fields[i].link != 0 {
			return p.fields[i].link
		}
	}
	return 0
}

func (p *parser) fieldChar(kind string) {
	switch kind {
	case "begin":
		if len(p.fields) < maxFields {
			p.fields = append(p.fields, field{})
		}
	case "separate":
		if n := len(p.fields); n > 0 && !p.fields[n-1].result {
			f := &p.fields[n-1]
			f.result = true
			f.link = p.addLink(hyperlinkField(f.instr.String()))
		}
	case "end":
		if n := len(p.fields); n > 0 {
			p.fields = p.fields[:n-1]
		}
	}
}

func (p *parser) run(x *xmlReader, pc *paraCtx, link int) error {
	format := pc.format
	em := toEmphasis(format)
	hidden := format.hidden == triOn
	// A w:hyperlink around the run wins; else the HYPERLINK field whose
	// result is being read, if any.
	outer := link
	linkNow := func() int {
		if outer != 0 {
			return outer
		}
		return p.fieldLink()
	}
	text := func(s string) {
		if hidden || p.inInstructions() {
			return
		}
		pc.para.add(inline{kind: inText, text: s, em: em, link: linkNow()})
	}
	var child func(se startElement) error
	child = func(se startElement) error {
		if se.Name.Space == nsMC {
			return p.alternate(x, se, child)
		}
		if !isW(se.Name) {
			return x.skip()
		}
		switch se.Name.Local {
		case "rPr":
			direct, rStyle, err := readRPr(x)
			if err != nil {
				return err
			}
			f := direct
			if rStyle != "" {
				f = f.over(p.styles.runFormat("c:" + rStyle))
			}
			f = f.over(pc.format)
			em, hidden = toEmphasis(f), f.hidden == triOn
			return nil
		case "t":
			return x.children(func(startElement) error { return x.skip() }, text)
		case "tab", "ptab":
			text("\t")
		case "br":
			if t := attr(se, "type"); t != "page" && t != "column" && !hidden && !p.inInstructions() {
				pc.para.add(inline{kind: inBreak, link: linkNow()})
			}
		case "cr":
			if !hidden && !p.inInstructions() {
				pc.para.add(inline{kind: inBreak, link: linkNow()})
			}
		case "noBreakHyphen":
			text("-")
		case "fldChar":
			p.fieldChar(attr(se, "fldCharType"))
		case "instrText":
			return x.children(func(startElement) error { return x.skip() }, func(s string) {
				if n := len(p.fields); n > 0 && !p.fields[n-1].result && p.fields[n-1].instr.Len() < 4096 {
					p.fields[n-1].instr.WriteString(s)
				}
			})
		case "footnoteReference", "endnoteReference":
			if !hidden && !p.inInstructions() && !p.inNotes {
				n := p.noteRef(noteKey{endnote: se.Name.Local == "endnoteReference", id: attr(se, "id")})
				pc.para.add(inline{kind: inNote, ref: n, link: linkNow()})
			}
		case "drawing", "pict":
			return p.drawing(x, pc, linkNow(), hidden || p.inInstructions())
		}
		return x.skip()
	}
	return x.children(child, nil)
}

func toEmphasis(f runFormat) emphasis {
	var em emphasis
	if f.bold == triOn {
		em |= emBold
	}
	if f.italic == triOn {
		em |= emItalic
	}
	if f.strike == triOn {
		em |= emStrike
	}
	return em
}

// add appends an inline, joining text to the text before it when they
// look the same (Word splits runs for reasons of its own). Joined text
// gathers in a builder: a paragraph of 100,000 one-letter runs is read in
// linear time.
func (para *paragraph) add(in inline) {
	if in.kind == inText {
		if in.text == "" {
			return
		}
		if para.open && para.pendEm == in.em && para.pendLink == in.link {
			para.pending.WriteString(in.text)
			return
		}
		para.flush()
		para.open, para.pendEm, para.pendLink = true, in.em, in.link
		para.pending.WriteString(in.text)
		return
	}
	para.flush()
	para.inlines = append(para.inlines, in)
}

// flush ends the text being gathered.
func (para *paragraph) flush() {
	if para.open {
		para.inlines = append(para.inlines, inline{kind: inText, text: para.pending.String(), em: para.pendEm, link: para.pendLink})
		para.pending.Reset()
		para.open = false
	}
}

func (p *parser) noteRef(k noteKey) int {
	if n, ok := p.pkg.notes[k]; ok {
		return n
	}
	p.pkg.noteIDs = append(p.pkg.noteIDs, k)
	n := len(p.pkg.noteIDs)
	p.pkg.notes[k] = n
	return n
}

// drawing reads a w:drawing (DrawingML) or w:pict (VML): its images, with
// the alt text of the drawing (wp:docPr descr, else the picture's own
// descr, else a title), and the text of its text boxes, which go after
// the paragraph.
func (p *parser) drawing(x *xmlReader, pc *paraCtx, link int, hidden bool) error {
	var descr, picDescr, title string
	var embeds []string
	var visit func(se startElement) error
	visit = func(se startElement) error {
		switch {
		case se.Name.Space == nsMC:
			return p.alternate(x, se, visit)
		case isW(se.Name) && se.Name.Local == "txbxContent":
			bs, err := p.blockChildren(x)
			if !hidden {
				pc.extra = append(pc.extra, bs...)
			}
			return err
		}
		switch se.Name.Local {
		case "docPr":
			if descr == "" {
				descr = attr(se, "descr")
			}
			if title == "" {
				title = attr(se, "title")
			}
		case "cNvPr":
			if picDescr == "" {
				picDescr = attr(se, "descr")
			}
		case "shape":
			if descr == "" {
				descr = attr(se, "alt")
			}
		case "blip":
			if id := relID(se, "embed"); id != "" {
				embeds = append(embeds, id)
			}
		case "imagedata":
			if id := relID(se, "id"); id != "" {
				embeds = append(embeds, id)
			}
			if title == "" {
				title = attr(se, "title")
			}
		case "chart", "OLEObject":
			return x.skip()
		}
		return x.children(visit, nil)
	}
	if err := x.children(visit, nil); err != nil {
		return err
	}
	if hidden {
		return nil
	}
	alt := oneLine(descr)
	if alt == "" {
		alt = oneLine(picDescr)
	}
	if alt == "" {
		alt = oneLine(title)
	}
	for _, id := range embeds {
		r, ok := p.rels[id]
		if !ok || r.external || !strings.HasSuffix(r.typ, "/image") {
			continue
		}
		i, err := p.pkg.image(r.target, alt)
		if err != nil {
			return err
		}
		if i >= 0 {
			pc.para.add(inline{kind: inImage, ref: i, link: link})
		}
	}
	return nil
}

const nsMath = "http://schemas.openxmlformats.org/officeDocument/2006/math"

func isMath(se startElement) bool {
	return (se.Name.Space == nsMath || se.Name.Space == "http://purl.oclc.org/ooxml/officeDocument/math") &&
		(se.Name.Local == "oMath" || se.Name.Local == "oMathPara")
}

// math keeps the text of an equation (m:t) as plain text: Markdown has no
// equations here, and the characters are better than nothing.
func (p *parser) math(x *xmlReader, pc *paraCtx, link int) error {
	var b strings.Builder
	var visit func(se startElement) error
	visit = func(se startElement) error {
		if se.Name.Local == "t" {
			return x.children(func(startElement) error { return x.skip() }, func(s string) {
				if b.Len() < 1<<16 {
					b.WriteString(s)
				}
			})
		}
		return x.children(visit, nil)
	}
	if err := x.children(visit, nil); err != nil {
		return err
	}
	if !p.inInstructions() {
		pc.para.add(inline{kind: inText, text: b.String(), link: link})
	}
	return nil
}

func (p *parser) table(x *xmlReader) (*table, error) {
	t := &table{}
	var child func(se startElement) error
	child = func(se startElement) error {
		if se.Name.Space == nsMC {
			return p.alternate(x, se, child)
		}
		if !isW(se.Name) {
			return x.skip()
		}
		switch se.Name.Local {
		case "tr":
			row, err := p.row(x)
			if err != nil {
				return err
			}
			if len(row) > 0 {
				t.rows = append(t.rows, row)
			}
			return nil
		case "sdt", "sdtContent", "customXml", "ins", "moveTo":
			return x.children(child, nil)
		}
		return x.skip()
	}
	if err := x.children(child, nil); err != nil {
		return nil, err
	}
	return t, nil
}

func (p *parser) row(x *xmlReader) ([]cell, error) {
	var cells []cell
	before, after := 0, 0
	lim := p.pkg.lim.Columns
	var child func(se startElement) error
	child = func(se startElement) error {
		if se.Name.Space == nsMC {
			return p.alternate(x, se, child)
		}
		if !isW(se.Name) {
			return x.skip()
		}
		switch se.Name.Local {
		case "trPr":
			return x.children(func(c startElement) error {
				switch c.Name.Local {
				case "gridBefore":
					before = atoi(wval(c), 0, lim+1)
				case "gridAfter":
					after = atoi(wval(c), 0, lim+1)
				}
				return x.skip()
			}, nil)
		case "tc":
			c, err := p.cell(x)
			if err != nil {
				return err
			}
			cells = append(cells, c)
			if len(cells) > lim {
				return &LimitError{What: "table columns", Limit: int64(lim)}
			}
			return nil
		case "sdt", "sdtContent", "customXml", "ins", "moveTo":
			return x.children(child, nil)
		}
		return x.skip()
	}
	if err := x.children(child, nil); err != nil {
		return nil, err
	}
	var out []cell
	for range before {
		out = append(out, cell{span: 1, cover: true})
	}
	for _, c := range cells {
		out = append(out, c)
		for i := 1; i < c.span; i++ {
			out = append(out, cell{span: 1, cover: true})
		}
	}
	for range after {
		out = append(out, cell{span: 1, cover: true})
	}
	if len(out) > lim {
		return nil, &LimitError{What: "table columns", Limit: int64(lim)}
	}
	p.pkg.cells += len(out)
	if p.pkg.cells > p.pkg.lim.Cells {
		return nil, &LimitError{What: "table cells", Limit: int64(p.pkg.lim.Cells)}
	}
	return out, nil
}

func (p *parser) cell(x *xmlReader) (cell, error) {
	c := cell{span: 1}
	lim := p.pkg.lim.Columns
	err := x.children(func(se startElement) error {
		if isW(se.Name) && se.Name.Local == "tcPr" {
			return x.children(func(pr startElement) error {
				switch pr.Name.Local {
				case "gridSpan":
					c.span = max(atoi(wval(pr), 1, lim+1), 1)
					if c.span > lim {
						return &LimitError{What: "table columns", Limit: int64(lim)}
					}
				case "vMerge":
					// No value, or "continue": this cell continues the
					// merge started above, and shows nothing.
					c.cover = wval(pr) != "restart"
				case "hMerge":
					c.cover = c.cover || wval(pr) != "restart"
				}
				return x.skip()
			}, nil)
		}
		return p.block(x, se, &c.blocks)
	}, nil)
	if c.cover {
		c.blocks = nil
	}
	return c, err
}

// readNotes reads the footnotes and endnotes referenced, each part with
// its own relationships, and keeps them in the order of their numbers.
func (p *pkg) readNotes(ps *parser, mainRels map[string]relationship) error {
	found := map[noteKey][]block{}
	for _, kind := range []struct {
		endnote bool
		rel     string
		elem    string
	}{{false, "/footnotes", "footnote"}, {true, "/endnotes", "endnote"}} {
		r, ok := relOfType(mainRels, kind.rel)
		if !ok {
			continue
		}
		rels, err := p.rels(r.target)
		if err != nil {
			return err
		}
		ps.rels, ps.fields, ps.inNotes = rels, nil, true
		err = p.parse(r.target, func(x *xmlReader) error {
			return eachTop(x, func(se startElement) error {
				if !isW(se.Name) || se.Name.Local != kind.elem {
					return x.skip()
				}
				key := noteKey{endnote: kind.endnote, id: attr(se, "id")}
				if _, ref := p.notes[key]; !ref || attr(se, "type") != "" && attr(se, "type") != "normal" {
					return x.skip() // separators, and notes nobody cites
				}
				if _, dup := found[key]; dup {
					return x.skip()
				}
				bs, err := ps.blockChildren(x)
				found[key] = bs
				return err
			})
		})
		if err != nil {
			return err
		}
	}
	for _, k := range p.noteIDs {
		p.doc.notes = append(p.doc.notes, note{blocks: found[k]})
	}
	return nil
}
