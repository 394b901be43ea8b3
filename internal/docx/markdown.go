package docx

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cchc/internal/vntext"
)

// Markdown writes the document as Markdown for the column (GitHub
// flavour with footnotes), each image as ![Alt](Placeholder).
//
// What becomes what:
//   - headings: "#"… by level; emphasis inside a heading is dropped (a
//     heading is bold already), line breaks become spaces;
//   - paragraphs: text with **bold**, *italic*, ~~struck~~; a line break
//     is a hard break (a backslash at the end of the line). Emphasis whose
//     markers Markdown would not read as emphasis at that place (between
//     letters and punctuation, say) is dropped rather than written as
//     stray asterisks; text is always kept;
//   - lists: bulleted levels and plain decimal levels ("%1." or "%1)")
//     become Markdown lists, nested by level, numbered from the number
//     Word shows. Every other numbering (I., a), 1.1., "Điều 1.") is kept
//     as text at the start of the paragraph: Markdown could only say 1.,
//     2., and citations name "điểm a" or "mục II";
//   - tables: a GitHub table whose first row is the header. A cell
//     spanning columns keeps its text in its first column and leaves the
//     others empty; a cell continuing a vertical merge is empty (the text
//     stays in the first cell of the merge). So every text appears once.
//     Paragraphs, lists and nested tables inside a cell are joined with
//     spaces on one line;
//   - links: only http, https and mailto addresses; other links keep
//     their text;
//   - footnotes and endnotes: [^N] where cited, their text at the end;
//   - text boxes: their paragraphs after the paragraph holding them.
//
// The result is NFC.
func (d *Doc) Markdown() string { return d.MarkdownWith(nil) }

// MarkdownWith writes the document as Markdown with image, when not nil,
// giving each image's address and alt text — once the caller has stored
// the images in its media library and asked for the missing alt texts.
func (d *Doc) MarkdownWith(image func(Image) (dest, alt string)) string {
	m := &mdWriter{doc: d, image: image}
	for _, b := range d.blocks {
		m.block(b)
	}
	m.footnotes()
	out := strings.TrimSpace(m.b.String())
	if out == "" {
		return ""
	}
	return vntext.NFC(out) + "\n"
}

type mdWriter struct {
	doc   *Doc
	image func(Image) (string, string)
	b     strings.Builder
	// lists are the open lists, outermost first.
	lists []openList
	// lastItem says the block written last was a list item; lastAlt which
	// markers the top-level list used, so a list right after it takes the
	// others and is not read as its continuation.
	lastItem bool
	lastAlt  bool
	lastKind listKind
	// noteText caches whether each note has text (0 unknown, 1 yes, 2 no):
	// a note cited many times is looked at once.
	noteText []int8
}

type openList struct {
	level  int
	kind   listKind
	key    string
	base   int // column of the marker
	indent int // column of the content
	alt    bool
}

// sep starts a new block: a blank line after whatever came before.
func (m *mdWriter) sep() {
	if m.b.Len() > 0 {
		m.b.WriteString("\n\n")
	}
}

func (m *mdWriter) endList() {
	m.lists = m.lists[:0]
	m.lastItem = false
}

func (m *mdWriter) block(b block) {
	switch x := b.(type) {
	case *paragraph:
		m.paragraph(x)
	case *table:
		m.endList()
		if t := m.table(x); t != "" {
			m.sep()
			m.b.WriteString(t)
		}
	}
}

func (m *mdWriter) paragraph(p *paragraph) {
	if p.heading > 0 {
		text := m.inlines(p.inlines, modeHeading)
		if p.list.kind == labelled || p.list.kind == orderedItem {
			text = strings.TrimSpace(escapeText(labelOf(p.list)) + " " + text)
		}
		if text == "" {
			return
		}
		m.endList()
		m.sep()
		m.b.WriteString(strings.Repeat("#", p.heading) + " " + text)
		return
	}
	text := m.inlines(p.inlines, modeBlock)
	switch p.list.kind {
	case bulletItem, orderedItem:
		if text != "" {
			m.item(p.list, text)
		}
		return
	case labelled:
		if text == "" {
			return
		}
		text = escapeText(p.list.label) + " " + text
	}
	if text == "" {
		return
	}
	m.endList()
	m.sep()
	m.b.WriteString(indentLines(text, 0))
}

func labelOf(it listItem) string {
	if it.kind == orderedItem {
		return strconv.Itoa(it.number) + "."
	}
	return it.label
}

// item writes a list item, opening, nesting or closing lists as its level
// and its list say.
func (m *mdWriter) item(it listItem, text string) {
	for len(m.lists) > 0 && m.lists[len(m.lists)-1].level > it.level {
		m.lists = m.lists[:len(m.lists)-1]
	}
	var cur openList
	var popped *openList // a list at this depth that ends here
	fresh := true
	if n := len(m.lists); n > 0 && m.lists[n-1].level == it.level {
		top := m.lists[n-1]
		if top.kind == it.kind && top.key == it.key {
			cur, fresh = top, false
		} else {
			popped = &top
			m.lists = m.lists[:n-1]
		}
	}
	if fresh {
		// A list right after another of the same kind takes the other
		// markers, so Markdown does not read it as the same list.
		cur = openList{level: it.level, kind: it.kind, key: it.key}
		if n := len(m.lists); n > 0 {
			cur.base = m.lists[n-1].indent
			cur.alt = popped != nil && popped.kind == it.kind && !popped.alt
		} else {
			cur.alt = m.lastItem && m.lastKind == it.kind && !m.lastAlt
			m.lastAlt, m.lastKind = cur.alt, it.kind
		}
	}
	var marker string
	switch {
	case it.kind == bulletItem && cur.alt:
		marker = "*"
	case it.kind == bulletItem:
		marker = "-"
	case cur.alt:
		marker = strconv.Itoa(it.number) + ")"
	default:
		marker = strconv.Itoa(it.number) + "."
	}
	cur.indent = cur.base + len(marker) + 1
	if fresh {
		m.lists = append(m.lists, cur)
	} else {
		m.lists[len(m.lists)-1] = cur
	}
	if m.lastItem && len(m.lists) > 1 || m.lastItem && !fresh {
		m.b.WriteString("\n")
	} else {
		m.sep()
	}
	m.b.WriteString(strings.Repeat(" ", cur.base) + marker + " " + indentLines(text, cur.indent))
	m.lastItem = true
}

// indentLines escapes what would start a block at the start of each line
// of text (lines are separated by hard breaks) and indents the lines
// after the first by n spaces.
func indentLines(text string, n int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = escapeLineStart(l)
		if i > 0 {
			l = strings.Repeat(" ", n) + l
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// escapeLineStart escapes a list marker or a setext underline at the
// start of a line ("- ", "+ ", "1. ", "2) ", "==="). "#", ">" and the
// rest are escaped wherever they are.
func escapeLineStart(l string) string {
	if l == "" {
		return l
	}
	switch l[0] {
	case '-', '+', '=':
		return `\` + l
	}
	i := 0
	for i < len(l) && i < 10 && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i > 0 && i < len(l) && (l[i] == '.' || l[i] == ')') {
		return l[:i] + `\` + l[i:]
	}
	return l
}

type mode int

const (
	modeBlock   mode = iota // paragraphs, list items, notes: emphasis, hard breaks
	modeHeading             // no emphasis, breaks as spaces
	modeCell                // one line
)

// piece is a part of a paragraph as written: text with its emphasis, or
// an atom written whole (an image, a note, a break, a link).
type piece struct {
	text string // escaped Markdown
	em   emphasis
	atom bool
}

// inlines writes a paragraph's inlines. Lines are separated by "\n"
// (after a hard break's backslash); each line is trimmed and empty lines
// dropped.
func (m *mdWriter) inlines(ins []inline, md mode) string {
	var pieces []piece
	for i := 0; i < len(ins); {
		if id := ins[i].link; id > 0 {
			j := i
			var inside, notes []inline // a note's mark goes after the link
			for ; j < len(ins) && ins[j].link == id; j++ {
				if ins[j].kind == inNote {
					notes = append(notes, ins[j])
				} else {
					inside = append(inside, ins[j])
				}
			}
			inner := strings.ReplaceAll(m.render(m.pieces(inside, md), '[', ']'), "\\\n", " ")
			if core := strings.TrimSpace(inner); core == "" && inner != "" {
				pieces = append(pieces, piece{text: " "}) // a link around a space: the space
			} else if core != "" {
				// Spaces at the ends of the link's text go outside it.
				if core[0] != inner[0] {
					pieces = append(pieces, piece{text: " "})
				}
				pieces = append(pieces, piece{text: "[" + core + "](" + escapeDest(m.doc.links[id-1]) + ")", atom: true})
				if core[len(core)-1] != inner[len(inner)-1] {
					pieces = append(pieces, piece{text: " "})
				}
			}
			pieces = append(pieces, m.pieces(notes, md)...)
			i = j
			continue
		}
		j := i
		for j < len(ins) && ins[j].link == 0 {
			j++
		}
		pieces = append(pieces, m.pieces(ins[i:j], md)...)
		i = j
	}
	// Lines are split at the hard breaks (escaped text never holds a
	// backslash before a line feed), trimmed, and empty ones dropped: a
	// break at the start or end of a paragraph, or two in a row, would be
	// a stray backslash.
	lines := strings.Split(m.render(pieces, '\n', '\n'), "\\\n")
	var b strings.Builder
	for _, l := range lines {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if b.Len() > 0 {
			// goldmark takes no backslash after a backslash for a hard
			// break: after a line ending with an escaped one, two spaces.
			if strings.HasSuffix(b.String(), `\`) {
				b.WriteString("  \n")
			} else {
				b.WriteString("\\\n")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// pieces turns inlines (none in a link, or all in one) into pieces: text
// split from its surrounding spaces, atoms written whole.
func (m *mdWriter) pieces(ins []inline, md mode) []piece {
	var out []piece
	push := func(p piece) { out = append(out, p) }
	for _, in := range ins {
		switch in.kind {
		case inText:
			em := in.em
			if md == modeHeading {
				em = 0
			}
			s := escapeText(in.text)
			trimmed := strings.TrimLeft(s, " ")
			push(piece{text: s[:len(s)-len(trimmed)]})
			core := strings.TrimRight(trimmed, " ")
			push(piece{text: core, em: em})
			push(piece{text: trimmed[len(core):]})
		case inBreak:
			if md == modeBlock {
				push(piece{text: "\\\n", atom: true})
			} else {
				push(piece{text: " "})
			}
		case inImage:
			if in.ref >= 0 && in.ref < len(m.doc.Images) {
				img := m.doc.Images[in.ref]
				dest, alt := img.Placeholder, img.Alt
				if m.image != nil {
					dest, alt = m.image(img)
				}
				push(piece{text: "![" + escapeText(oneLine(alt)) + "](" + escapeDest(dest) + ")", atom: true})
			}
		case inNote:
			if m.noteHasText(in.ref) {
				push(piece{text: "[^" + strconv.Itoa(in.ref) + "]", atom: true})
			}
		}
	}
	return out
}

// mergePieces joins neighbouring texts of the same emphasis, and
// neighbouring emphasised texts (with the emphasis they share), so that
// emphasis markers never touch. Joined texts gather in slices: a
// paragraph of 100,000 pieces is joined in linear time.
func mergePieces(ps []piece) []piece {
	out := ps[:0]
	var parts [][]string
	for _, p := range ps {
		if p.text == "" {
			continue
		}
		if n := len(out); n > 0 && !out[n-1].atom && !p.atom && (out[n-1].em == p.em || out[n-1].em != 0 && p.em != 0) {
			parts[n-1] = append(parts[n-1], p.text)
			out[n-1].em &= p.em
			continue
		}
		out = append(out, p)
		parts = append(parts, []string{p.text})
	}
	for i := range out {
		if len(parts[i]) > 1 {
			out[i].text = strings.Join(parts[i], "")
		}
	}
	return out
}

// render writes pieces, emphasis markers around emphasised text when
// Markdown will read them so there (left- and right-flanking delimiter
// runs, as goldmark decides them); before and after are the characters
// around the whole.
func (m *mdWriter) render(ps []piece, before, after rune) string {
	ps = mergePieces(ps)
	var b strings.Builder
	prev := before
	for i, p := range ps {
		next := after
		if i+1 < len(ps) {
			next, _ = utf8.DecodeRuneInString(ps[i+1].text)
		}
		text := p.text
		if !p.atom && next == '[' && strings.HasSuffix(text, "!") {
			// "!" before a link or an image would make it an image.
			text = text[:len(text)-1] + `\!`
		}
		if p.em != 0 && !p.atom {
			if open, close := markers(p.em); canWrap(prev, open, text, close, next) {
				text = open + text + close
			}
		}
		b.WriteString(text)
		if r, _ := utf8.DecodeLastRuneInString(text); r != utf8.RuneError {
			prev = r
		}
	}
	return b.String()
}

func markers(em emphasis) (open, close string) {
	var o string
	if em&emStrike != 0 {
		o += "~~"
	}
	switch {
	case em&emBold != 0 && em&emItalic != 0:
		o += "***"
	case em&emBold != 0:
		o += "**"
	case em&emItalic != 0:
		o += "*"
	}
	r := []rune(o)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return o, string(r)
}

// canWrap reports whether open+text+close, between prev and next, is
// read as emphasis: every delimiter run of open can open (is
// left-flanking) and every one of close can close (is right-flanking).
func canWrap(prev rune, open, text, close string, next rune) bool {
	if text == "" || open == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(text)
	last, _ := utf8.DecodeLastRuneInString(text)
	runs := func(s string) []string {
		var out []string
		for i := 0; i < len(s); {
			j := i
			for j < len(s) && s[j] == s[i] {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
		return out
	}
	o := runs(open)
	for k := range o {
		before, after := prev, first
		if k > 0 {
			before = rune(o[k-1][0])
		}
		if k+1 < len(o) {
			after = rune(o[k+1][0])
		}
		if !leftFlanking(before, after) || !tildeOK(o[k], before) {
			return false
		}
	}
	c := runs(close)
	for k := range c {
		before, after := last, next
		if k > 0 {
			before = rune(c[k-1][0])
		}
		if k+1 < len(c) {
			after = rune(c[k+1][0])
		}
		if !rightFlanking(before, after) || !tildeOK(c[k], before) {
			return false
		}
	}
	return true
}

// tildeOK applies goldmark's own rule for strikethrough: a run of tildes
// right after a tilde (even an escaped one) is no delimiter.
func tildeOK(run string, before rune) bool {
	return run[0] != '~' || before != '~'
}

// The delimiter rules of CommonMark as goldmark applies them
// (parser.ScanDelimiter): punctuation is Unicode punctuation or symbol,
// whitespace Unicode space.
func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
func isSpace(r rune) bool { return unicode.IsSpace(r) }

func leftFlanking(before, after rune) bool {
	return !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before))
}

func rightFlanking(before, after rune) bool {
	return !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after))
}

// escapeText escapes s as Markdown text: every character that could start
// markup is backslash-escaped (an "&" only before what could be an entity;
// the pipe too, for table cells), line breaks and tabs become spaces,
// control characters go.
func escapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '&':
			if i+1 < len(s) && (isASCIILetter(s[i+1]) || s[i+1] == '#') {
				b.WriteByte('\\')
			}
			b.WriteByte('&')
		case '\t', '\n', '\r', '\v', '\f', '\u2028', '\u2029':
			b.WriteByte(' ')
		case utf8.RuneError:
			// not UTF-8: dropped
		default:
			if !vntext.IsControl(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// escapeDest writes an address as a link destination: spaces, controls,
// parentheses, angle brackets and backslashes percent-encoded.
func escapeDest(d string) string {
	var b strings.Builder
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`<>()\`, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (m *mdWriter) noteHasText(n int) bool {
	if n < 1 || n > len(m.doc.notes) {
		return false
	}
	if m.noteText == nil {
		m.noteText = make([]int8, len(m.doc.notes))
	}
	if m.noteText[n-1] == 0 {
		m.noteText[n-1] = 2
		for _, b := range m.doc.notes[n-1].blocks {
			if m.flat(b) != "" {
				m.noteText[n-1] = 1
				break
			}
		}
	}
	return m.noteText[n-1] == 1
}

// flat writes a block on one line, for a table cell or a note.
func (m *mdWriter) flat(b block) string {
	switch x := b.(type) {
	case *paragraph:
		text := m.inlines(x.inlines, modeCell)
		if text != "" && (x.list.kind == labelled || x.list.kind == orderedItem) {
			text = escapeText(labelOf(x.list)) + " " + text
		}
		return text
	case *table:
		var parts []string
		for _, row := range x.rows {
			for _, c := range row {
				for _, cb := range c.blocks {
					if s := m.flat(cb); s != "" {
						parts = append(parts, s)
					}
				}
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func (m *mdWriter) table(t *table) string {
	cols := 0
	for _, r := range t.rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	var b strings.Builder
	for ri, r := range t.rows {
		b.WriteString("|")
		for ci := range cols {
			text := ""
			if ci < len(r) {
				var parts []string
				for _, cb := range r[ci].blocks {
					if s := m.flat(cb); s != "" {
						parts = append(parts, s)
					}
				}
				text = strings.Join(parts, " ")
			}
			b.WriteString(" " + text + " |")
		}
		b.WriteString("\n")
		if ri == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// footnotes writes the notes cited: the first paragraph after the label,
// the others indented by four spaces, as goldmark reads them.
func (m *mdWriter) footnotes() {
	m.endList()
	for i := range m.doc.notes {
		if !m.noteHasText(i + 1) {
			continue
		}
		var paras []string
		for _, b := range m.doc.notes[i].blocks {
			var s string
			if p, ok := b.(*paragraph); ok {
				s = m.inlines(p.inlines, modeBlock)
				if s != "" && (p.list.kind == labelled || p.list.kind == orderedItem) {
					s = escapeText(labelOf(p.list)) + " " + s
				}
			} else {
				s = m.flat(b)
			}
			if s != "" {
				paras = append(paras, indentLines(s, 4))
			}
		}
		m.sep()
		m.b.WriteString("[^" + strconv.Itoa(i+1) + "]: " + strings.Join(paras, "\n\n    "))
	}
}
