package docx

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"cchc/internal/vntext"
)

// style is what the reader needs of one style: how it makes a heading or a
// list, and the emphasis it gives its text.
type style struct {
	id, name, basedOn string
	// heading is what the style itself says of headings (ownHeading),
	// worked out once when the styles are read.
	heading int
	// outline is the outline level 0–8 of w:outlineLvl, 9 for body text,
	// -1 when not said.
	outline int
	numID   string
	ilvl    int
	hasNum  bool
	fmt     runFormat
}

// runFormat is the emphasis a run has, or inherits when unset.
type runFormat struct {
	bold, italic, strike, hidden tri
}

// over lays f over g: what f says wins.
func (f runFormat) over(g runFormat) runFormat {
	return runFormat{f.bold.or(g.bold), f.italic.or(g.italic), f.strike.or(g.strike), f.hidden.or(g.hidden)}
}

type styles struct {
	byID map[string]*style
	// formats caches runFormat by key: it is asked for every run.
	formats map[string]runFormat
	// defaultPara is the style of a paragraph that names none.
	defaultPara string
}

func newStyles() *styles {
	return &styles{byID: map[string]*style{}, formats: map[string]runFormat{}}
}

// chain is the style of key ("p:" or "c:" and its id: paragraph and
// character styles may share ids) and those it is based on, nearest first;
// a cycle or a chain past 16 styles stops there.
func (s *styles) chain(key string) []*style {
	var out []*style
	for id := key; id != "" && len(out) < 16; {
		st, ok := s.byID[id]
		if !ok {
			break
		}
		for _, seen := range out {
			if seen == st {
				return out
			}
		}
		out = append(out, st)
		id = st.basedOn
	}
	return out
}

// headingName matches the names of heading styles: Word's built-in
// "heading 1" (which Word keeps in English whatever the language of its
// interface), LibreOffice's "Heading 1", and names people give their own
// styles in Vietnamese ("Tiêu đề 1", "Đầu đề 1"), compared folded.
var headingName = regexp.MustCompile(`^(heading|tieu de|dau de)\s*([1-9])$`)

// headingID matches style ids: Word's "Heading1", LibreOffice's flat XML
// "Heading_20_1", and the ids a Vietnamese Word derives from localized
// names ("TieuDe1").
var headingID = regexp.MustCompile(`^(?i:heading|heading_20_|tieude|tiude|daude)([1-9])$`)

// headingLevel is the heading level 1–6 a paragraph style gives, 0 for
// none: the first style up the chain that is a heading by its name, its
// id or its outline level decides. Levels past 6 are 6: Markdown has six.
func (s *styles) headingLevel(id string) int {
	for _, st := range s.chain("p:" + id) {
		if st.heading >= 0 {
			return st.heading
		}
	}
	return 0
}

// ownHeading is the level this style itself says: 1–6, 0 for "not a
// heading" (body text outline level), -1 when it says nothing. An outline
// level written in the style wins, as in Word's navigation pane; then the
// name, then the id.
func (st *style) ownHeading() int {
	switch {
	case st.outline >= 0 && st.outline <= 8:
		return min(st.outline+1, 6)
	case st.outline == 9:
		return 0
	}
	name := strings.Join(strings.Fields(vntext.FoldLower(st.name)), " ")
	if m := headingName.FindStringSubmatch(name); m != nil {
		return min(int(m[2][0]-'0'), 6)
	}
	if name == "title" || name == "tieu de" {
		return 1
	}
	if m := headingID.FindStringSubmatch(st.id); m != nil {
		return min(int(m[1][0]-'0'), 6)
	}
	return -1
}

// numPr is the numbering a paragraph style gives, up its chain.
func (s *styles) numPr(id string) (numID string, ilvl int, ok bool) {
	for _, st := range s.chain("p:" + id) {
		if st.hasNum {
			return st.numID, st.ilvl, true
		}
	}
	return "", 0, false
}

// runFormat is the emphasis of a style, up its chain; key is "p:" or
// "c:" and the style's id.
func (s *styles) runFormat(key string) runFormat {
	if f, ok := s.formats[key]; ok {
		return f
	}
	var f runFormat
	for _, st := range s.chain(key) {
		f = f.over(st.fmt)
	}
	s.formats[key] = f
	return f
}

func (p *pkg) readStyles(name string, s *styles) error {
	return p.parse(name, func(x *xmlReader) error {
		return eachTop(x, func(se startElement) error {
			if !isW(se.Name) || se.Name.Local != "style" {
				return x.skip()
			}
			st := &style{id: attr(se, "styleId"), outline: -1}
			typ := attr(se, "type")
			err := x.children(func(c startElement) error {
				switch c.Name.Local {
				case "name":
					st.name = wval(c)
				case "basedOn":
					st.basedOn = wval(c)
				case "pPr":
					return readPPr(x, func(c startElement) {
						switch c.Name.Local {
						case "outlineLvl":
							st.outline = atoi(wval(c), -1, 9)
						}
					}, func(numID string, ilvl int) {
						st.numID, st.ilvl, st.hasNum = numID, ilvl, true
					})
				case "rPr":
					var err error
					st.fmt, _, err = readRPr(x)
					return err
				}
				return x.skip()
			}, nil)
			if err != nil {
				return err
			}
			if typ == "" {
				typ = "paragraph"
			}
			if typ != "paragraph" && typ != "character" {
				return nil
			}
			st.name = clipName(st.name)
			st.heading = st.ownHeading()
			key := typ[:1] + ":" + st.id // paragraph and character ids may clash
			if _, dup := s.byID[key]; !dup {
				if st.basedOn != "" {
					st.basedOn = typ[:1] + ":" + st.basedOn
				}
				s.byID[key] = st
			}
			if typ == "paragraph" && attr(se, "default") == "1" && s.defaultPara == "" {
				s.defaultPara = st.id
			}
			return nil
		})
	})
}

// eachTop calls fn for each child of the part's root element.
func eachTop(x *xmlReader, fn func(se startElement) error) error {
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, ok := tok.(startElement); ok {
			if err := x.children(fn, nil); err != nil {
				return err
			}
		}
	}
}

// readPPr reads a w:pPr: numbering to num, every other property to fn
// (which must not read further).
func readPPr(x *xmlReader, fn func(startElement), num func(numID string, ilvl int)) error {
	return x.children(func(c startElement) error {
		if c.Name.Local == "numPr" {
			numID, ilvl, seen := "", 0, false
			err := x.children(func(n startElement) error {
				switch n.Name.Local {
				case "numId":
					numID, seen = wval(n), true
				case "ilvl":
					ilvl = atoi(wval(n), 0, 8)
				}
				return x.skip()
			}, nil)
			if err == nil && seen && num != nil {
				num(numID, ilvl)
			}
			return err
		}
		fn(c)
		return x.skip()
	}, nil)
}

// readRPr reads a w:rPr: the emphasis it gives, and its character style.
func readRPr(x *xmlReader) (runFormat, string, error) {
	var f runFormat
	var rStyle string
	err := x.children(func(c startElement) error {
		if isW(c.Name) {
			switch c.Name.Local {
			case "b":
				f.bold = onOff(c)
			case "i":
				f.italic = onOff(c)
			case "strike", "dstrike":
				f.strike = onOff(c)
			case "vanish", "specVanish":
				f.hidden = onOff(c)
			case "rStyle":
				rStyle = wval(c)
			}
		}
		return x.skip()
	}, nil)
	return f, rStyle, err
}

// level is one level of a list's numbering as read.
type numLevel struct {
	format, text string
	start        int
}

type abstractNum struct {
	levels [9]numLevel
}

type num struct {
	abstract string
	// starts are the levels' start overrides (-1 none).
	starts [9]int
}

type numbering struct {
	abstracts map[string]*abstractNum
	nums      map[string]*num
	// counters are the current numbers of each abstract numbering's
	// levels; started says which num instances have applied their
	// overrides.
	counters map[string]*[9]int
	started  map[string]bool
}

func newNumbering() *numbering {
	return &numbering{abstracts: map[string]*abstractNum{}, nums: map[string]*num{},
		counters: map[string]*[9]int{}, started: map[string]bool{}}
}

// maxStart bounds a list's start number: Markdown renderers take at most
// nine digits.
const maxStart = 1_000_000

func (p *pkg) readNumbering(name string, nb *numbering) error {
	return p.parse(name, func(x *xmlReader) error {
		return eachTop(x, func(se startElement) error {
			switch {
			case isW(se.Name) && se.Name.Local == "abstractNum":
				an := &abstractNum{}
				for i := range an.levels {
					an.levels[i] = numLevel{format: "decimal", start: 1}
				}
				err := x.children(func(c startElement) error {
					if c.Name.Local != "lvl" {
						return x.skip()
					}
					ilvl := atoi(attr(c, "ilvl"), -1, 8)
					lv := numLevel{format: "decimal", start: 1}
					err := x.children(func(d startElement) error {
						switch d.Name.Local {
						case "start":
							lv.start = atoi(wval(d), 1, maxStart)
						case "numFmt":
							lv.format = wval(d)
						case "lvlText":
							lv.text = clipName(wval(d))
						}
						return x.skip()
					}, nil)
					if ilvl >= 0 {
						an.levels[ilvl] = lv
					}
					return err
				}, nil)
				if _, dup := nb.abstracts[attr(se, "abstractNumId")]; !dup {
					nb.abstracts[attr(se, "abstractNumId")] = an
				}
				return err
			case isW(se.Name) && se.Name.Local == "num":
				n := &num{}
				for i := range n.starts {
					n.starts[i] = -1
				}
				err := x.children(func(c startElement) error {
					switch c.Name.Local {
					case "abstractNumId":
						n.abstract = wval(c)
					case "lvlOverride":
						ilvl := atoi(attr(c, "ilvl"), -1, 8)
						return x.children(func(d startElement) error {
							if d.Name.Local == "startOverride" && ilvl >= 0 {
								n.starts[ilvl] = atoi(wval(d), 1, maxStart)
							}
							return x.skip()
						}, nil)
					}
					return x.skip()
				}, nil)
				if _, dup := nb.nums[attr(se, "numId")]; !dup {
					nb.nums[attr(se, "numId")] = n
				}
				return err
			}
			return x.skip()
		})
	})
}

// listItem is what numbering makes of a paragraph.
type listItem struct {
	kind   listKind
	level  int
	number int    // ordered items
	label  string // labelled paragraphs: "a)", "1.2.", "Điều 3."
	key    string // the list it belongs to (the abstract numbering)
}

type listKind int

const (
	notList listKind = iota
	bulletItem
	orderedItem
	labelled // a paragraph starting with its number, as text
)

// item counts a paragraph numbered numID at level ilvl and tells what it
// is. Word counts per abstract numbering, a deeper level starting again
// under each item of a shallower one.
func (nb *numbering) item(numID string, ilvl int) listItem {
	n, ok := nb.nums[numID]
	if !ok || numID == "0" {
		return listItem{}
	}
	an, ok := nb.abstracts[n.abstract]
	if !ok {
		// A list whose definition is missing: still a list.
		return listItem{kind: bulletItem, level: ilvl, key: "num:" + numID}
	}
	c := nb.counters[n.abstract]
	if c == nil {
		c = new([9]int)
		for i := range c {
			c[i] = an.levels[i].start - 1
		}
		nb.counters[n.abstract] = c
	}
	if !nb.started[numID] {
		nb.started[numID] = true
		for i, s := range n.starts {
			if s >= 0 {
				c[i] = s - 1
			}
		}
	}
	c[ilvl] = min(c[ilvl]+1, maxStart)
	for i := ilvl + 1; i < len(c); i++ {
		c[i] = an.levels[i].start - 1
	}
	lv := an.levels[ilvl]
	// Lists sharing an abstract numbering are one list in Word, counted
	// on; a num that starts again (an override) is a list of its own.
	key := "abs:" + n.abstract
	for _, s := range n.starts {
		if s >= 0 {
			key = "num:" + numID
		}
	}
	it := listItem{level: ilvl, key: key, number: c[ilvl]}
	switch {
	case lv.format == "bullet":
		it.kind = bulletItem
	case lv.format == "none":
		it.kind = notList
	case lv.format == "decimal" && (lv.text == fmt.Sprintf("%%%d.", ilvl+1) || lv.text == fmt.Sprintf("%%%d)", ilvl+1)):
		it.kind = orderedItem
	default:
		it.kind = labelled
		it.label = label(lv.text, an, c)
		if strings.TrimSpace(it.label) == "" {
			it.kind = notList
		}
	}
	return it
}

// label writes a level's text ("%1.%2.", "Điều %1.") with the counters.
func label(text string, an *abstractNum, c *[9]int) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			l := int(text[i+1] - '1')
			b.WriteString(formatNumber(c[l], an.levels[l].format))
			i++
			continue
		}
		b.WriteByte(text[i])
	}
	return vntext.NFC(b.String())
}

// formatNumber writes n as a list's number format does; formats other
// than these are written in decimal.
func formatNumber(n int, format string) string {
	switch format {
	case "upperRoman":
		return roman(n)
	case "lowerRoman":
		return strings.ToLower(roman(n))
	case "upperLetter":
		return letters(n)
	case "lowerLetter":
		return strings.ToLower(letters(n))
	case "decimalZero":
		return fmt.Sprintf("%02d", n)
	case "bullet", "none":
		return ""
	}
	return fmt.Sprint(n)
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return fmt.Sprint(n)
	}
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= r.v {
			b.WriteString(r.s)
			n -= r.v
		}
	}
	return b.String()
}

// letters writes n as Word does: A…Z, then AA…ZZ, AAA… (the letter
// repeated), up to a bound.
func letters(n int) string {
	if n <= 0 || n > 780 {
		return fmt.Sprint(n)
	}
	return strings.Repeat(string(rune('A'+(n-1)%26)), (n-1)/26+1)
}

// readCore reads the title and the creation time from docProps/core.xml.
func (p *pkg) readCore(name string) error {
	return p.parse(name, func(x *xmlReader) error {
		return eachTop(x, func(se startElement) error {
			if se.Name.Local == "created" {
				var b strings.Builder
				err := x.children(func(startElement) error { return x.skip() }, func(s string) {
					if b.Len() < 100 {
						b.WriteString(s)
					}
				})
				if t, perr := time.Parse(time.RFC3339, strings.TrimSpace(b.String())); perr == nil && p.doc.Created.IsZero() {
					p.doc.Created = t
				}
				return err
			}
			if se.Name.Local != "title" {
				return x.skip()
			}
			var b strings.Builder
			err := x.children(func(startElement) error { return x.skip() }, func(s string) {
				if b.Len() < 1000 {
					b.WriteString(s)
				}
			})
			if p.doc.Title == "" {
				p.doc.Title = oneLine(b.String())
			}
			return err
		})
	})
}

// clipName cuts a style's name or a list level's text to 64 bytes: they
// are short in any real document, and their cost is paid per paragraph.
func clipName(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "")
	}
	return s
}

// oneLine is s in NFC without control characters, its spaces collapsed.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if vntext.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return vntext.NFC(strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " "))
}
