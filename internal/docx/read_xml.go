package docx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

type startElement = xml.StartElement

// xmlReader reads the tokens of one part and counts them, and the
// nesting, against the package's limits. encoding/xml expands no entity
// but the five predefined ones and refuses the others (Strict), so there
// is no entity expansion to bound.
type xmlReader struct {
	d     *xml.Decoder
	p     *pkg
	name  string
	depth int
}

// parse reads part name with fn. A missing part is nothing to read.
func (p *pkg) parse(name string, fn func(*xmlReader) error) error {
	rc, ok, err := p.open(name, p.lim.PartBytes)
	if err != nil || !ok {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	d.Strict = true
	return fn(&xmlReader{d: d, p: p, name: name})
}

// next returns the next token, io.EOF at the end of the part.
func (x *xmlReader) next() (xml.Token, error) {
	tok, err := x.d.Token()
	if err != nil {
		if err == io.EOF {
			if x.depth > 0 {
				return nil, fmt.Errorf("%w: %s: unexpected end", ErrDamaged, x.name)
			}
			return nil, io.EOF
		}
		if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrDamaged) {
			return nil, err // from the part's reader, which names the part
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, x.name, err)
	}
	x.p.tokens++
	if x.p.tokens > x.p.lim.Tokens {
		return nil, &LimitError{What: "XML tokens", Limit: int64(x.p.lim.Tokens)}
	}
	switch tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > x.p.lim.Depth {
			return nil, &LimitError{What: "XML nesting depth in " + x.name, Limit: int64(x.p.lim.Depth)}
		}
	case xml.EndElement:
		x.depth--
	}
	return tok, nil
}

// skip reads to the end of the element just started.
func (x *xmlReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// children calls fn for each child element of the element just started
// (fn must read the child to its end, or skip it) and returns at its end;
// character data between children is passed to text when not nil.
func (x *xmlReader) children(fn func(se startElement) error, text func(string)) error {
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if text != nil {
				text(string(t))
			}
		}
	}
}

// attr is the value of the attribute of local name name, in any namespace.
func attr(se startElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// relID is the r:id (or another attribute in the relationships namespace)
// of an element: hyperlinks and images name their targets so, and w:id
// means something else.
func relID(se startElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name && (a.Name.Space == nsR || a.Name.Space == nsRStrict) {
			return a.Value
		}
	}
	return ""
}

// isW reports whether an element is of the WordprocessingML vocabulary.
func isW(n xml.Name) bool { return n.Space == nsW || n.Space == nsWStrict }

// wval is an element's w:val.
func wval(se startElement) string { return attr(se, "val") }

// onOff reads an on/off property: <w:b/> is on, <w:b w:val="0"/> off.
func onOff(se startElement) tri {
	switch wval(se) {
	case "0", "false", "off", "none":
		return triOff
	}
	return triOn
}

// tri is a property that is on, off or not said (then inherited).
type tri int8

const (
	triUnset tri = iota
	triOn
	triOff
)

// or is t, or u when t is not said.
func (t tri) or(u tri) tri {
	if t != triUnset {
		return t
	}
	return u
}

// atoi reads a small non-negative integer: what is not one gives def, a
// larger one max.
func atoi(s string, def, max int) int {
	n, err := strconv.Atoi(s)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-"):
		return max
	case err != nil || n < 0:
		return def
	}
	return min(n, max)
}
