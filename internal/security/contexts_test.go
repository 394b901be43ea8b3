package security_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// An output document is read the way its reader reads it (a browser's
// HTML parser, an XML parser, a JSON parser, a spreadsheet, a Markdown
// viewer, a terminal, an HTTP client's header parser) into the texts a
// person sees there ("units", decoded), and the problems found on the
// way: an element or attribute that a value opened, a document that no
// longer parses, a cell that is a formula, a control character.

// readout is what reading one document gave.
type readout struct {
	units    []string
	problems []string
	// more are documents found inside this one (JSON-LD in an HTML page,
	// HTML inside a feed's entries), read in their own context and
	// reported under their own output.
	more []outDoc
}

func (r *readout) unit(s string) { r.units = append(r.units, s) }
func (r *readout) problem(format string, a ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, a...))
}

// injectedTag is the element the markers carry: present in a parsed
// document, a value broke out of its text.
var injectedTag = regexp.MustCompile(`^mk-\d+$`)

// suspiciousAttr is an attribute name only a broken-out value makes.
func suspiciousAttr(k string) bool {
	return strings.ContainsAny(k, `"'<=`) || k == "dq" || k == "sq" || strings.HasPrefix(k, "data-mk") || strings.Contains(k, "sq<")
}

// urlAttrs hold addresses: what a person reaches is the decoded URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "cite": true, "poster": true}

// readHTML parses b as a browser does and collects its text nodes, the
// text of small elements (so that a value split by highlighting still
// reads whole), attribute values (URLs decoded too), and the JSON-LD
// blocks as documents of their own.
func readHTML(b []byte, jsonldOutput string) readout {
	var r readout
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		r.problem("HTML: %v", err)
		return r
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if injectedTag.MatchString(n.Data) {
				r.problem("element <%s> made by a value", n.Data)
			}
			for _, a := range n.Attr {
				if suspiciousAttr(a.Key) || injectedTag.MatchString(a.Key) {
					r.problem("attribute %q made by a value (in <%s>)", a.Key, n.Data)
				}
				v := a.Val
				if urlAttrs[a.Key] {
					// What the address carries is what it decodes to.
					if u, err := url.QueryUnescape(v); err == nil {
						v = u
					}
				}
				r.unit(v)
			}
			if n.Data == "script" {
				text := nodeText(n)
				typ := attr(n, "type")
				if typ == "application/ld+json" {
					if strings.Contains(text, "</") || strings.Contains(text, "<!--") {
						r.problem("JSON-LD holds \"</\" or \"<!--\"")
					}
					r.more = append(r.more, outDoc{output: jsonldOutput, kind: kindJSON, body: []byte(text)})
				} else if strings.TrimSpace(text) != "" {
					r.problem("inline script: %.80q", text)
				}
				return
			}
			if n.Data == "style" {
				if t := nodeText(n); strings.Contains(t, "MK") || strings.Contains(t, "CT") {
					r.problem("a value in <style>: %.80q", t)
				}
				return
			}
			if n.Data == "textarea" && attr(n, "id") == "markdown" {
				// A Markdown snippet to copy into a body: it is read as
				// the body will read it.
				r.more = append(r.more, outDoc{output: "", kind: kindMarkdown, body: []byte(nodeText(n))})
				return
			}
			if t := nodeText(n); len(t) <= 4000 {
				r.unit(t)
			}
		case html.TextNode:
			r.unit(n.Data)
		case html.CommentNode:
			if markerID.MatchString(n.Data) {
				r.problem("a value in an HTML comment: %.80q", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return r
}

// ownContext tells the elements whose text is read in a context of its
// own: scripts, styles, and a Markdown snippet to copy.
func ownContext(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "textarea" && attr(n, "id") == "markdown")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText is the text content of n, without the scripts and styles
// inside it.
func nodeText(root *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n != root && ownContext(n) {
			return // read in their own context
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return b.String()
}

// htmlFields of the feeds: their text is HTML that a reader renders.
func feedHTMLElement(name xml.Name, attrs []xml.Attr) bool {
	switch name.Local {
	case "description", "encoded":
		return true // RSS
	case "content", "summary", "title", "subtitle", "rights":
		for _, a := range attrs {
			if a.Name.Local == "type" && (a.Value == "html" || a.Value == "xhtml") {
				return true // Atom
			}
		}
	}
	return false
}

// readXML parses b strictly as XML: a feed or a sitemap. Text of the
// elements a feed reader renders as HTML is read as HTML too.
func readXML(b []byte, htmlOutput string) readout {
	var r readout
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	type open struct {
		html bool
		text strings.Builder
	}
	var stack []*open
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			r.problem("invalid XML: %v", err)
			return r
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if injectedTag.MatchString(t.Name.Local) {
				r.problem("element <%s> made by a value", t.Name.Local)
			}
			for _, a := range t.Attr {
				if suspiciousAttr(a.Name.Local) {
					r.problem("attribute %q made by a value", a.Name.Local)
				}
				r.unit(decodeURL(a.Value))
			}
			stack = append(stack, &open{html: feedHTMLElement(t.Name, t.Attr)})
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			text := o.text.String()
			if !o.html {
				r.unit(decodeURL(text))
			} else if strings.TrimSpace(text) != "" {
				r.more = append(r.more, outDoc{output: htmlOutput, kind: kindHTMLFragment, body: []byte(text)})
			}
		}
	}
	return r
}

// readJSON parses b as JSON and collects every string; content_html (JSON
// Feed) is HTML to its reader.
func readJSON(b []byte, htmlOutput string) readout {
	var r readout
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		r.problem("invalid JSON: %v", err)
		return r
	}
	if dec.More() {
		r.problem("JSON: data after the value")
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case string:
			if key != "content_html" {
				r.unit(decodeURL(x))
			} else {
				r.more = append(r.more, outDoc{output: htmlOutput, kind: kindHTMLFragment, body: []byte(x)})
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		}
	}
	walk("", v)
	return r
}

// decodeURL is what an address carries, decoded; any other text as it is.
func decodeURL(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "http://") && !strings.HasPrefix(t, "https://") && !strings.HasPrefix(t, "tag:") {
		return s
	}
	if u, err := url.QueryUnescape(t); err == nil {
		return u
	}
	return s
}

// formulaStart is what makes a spreadsheet cell a formula.
const formulaStart = "=+-@\t\r\x00"

// readCSV parses b as Excel would: the BOM, then records; a text cell that
// holds a value and starts like a formula is a problem.
func readCSV(b []byte) readout {
	var r readout
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		r.problem("invalid CSV: %v", err)
		return r
	}
	for _, rec := range recs {
		for _, cell := range rec {
			r.unit(cell)
			if cell != "" && strings.IndexByte(formulaStart, cell[0]) >= 0 && markerID.MatchString(cell) {
				r.problem("CSV cell is a formula: %.60q", cell)
			}
		}
	}
	return r
}

// readXLSX opens b as a workbook: no cell has a formula, no text cell
// that holds a value starts like one.
func readXLSX(b []byte) readout {
	var r readout
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		r.problem("XLSX does not open: %v", err)
		return r
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			r.problem("XLSX %s: %v", sheet, err)
			continue
		}
		for i, row := range rows {
			for j, cell := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
					r.problem("cell %s!%s holds the formula %q", sheet, ref, fm)
				}
				r.unit(cell)
				if cell != "" && strings.IndexByte(formulaStart, cell[0]) >= 0 && markerID.MatchString(cell) {
					r.problem("cell %s!%s starts like a formula: %.60q", sheet, ref, cell)
				}
			}
		}
	}
	return r
}

// mdViewer renders Markdown as a permissive viewer does (pandoc, most
// editors' previews): GFM tables, raw HTML kept.
var mdViewer = goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))

// readMarkdown checks that every table row of the report has the cells of
// its header, and renders the document as a viewer would: what a value
// shows there must be itself, with no element of its own.
func readMarkdown(b []byte) readout {
	var r readout
	header := -1
	for i, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		n := tableCells(line)
		if header < 0 {
			header = n
		} else if n != header {
			r.problem("Markdown table line %d has %d cells, its header %d", i+1, n, header)
		}
	}
	var out bytes.Buffer
	if err := mdViewer.Convert(b, &out); err != nil {
		r.problem("Markdown: %v", err)
		return r
	}
	h := readHTML(out.Bytes(), "")
	r.units = append(r.units, h.units...)
	r.problems = append(r.problems, h.problems...)
	return r
}

// tableCells counts the cells of a Markdown table row: pipes not escaped.
func tableCells(line string) int {
	n, esc := 0, false
	for _, c := range line {
		switch {
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '|':
			n++
		}
	}
	return n - 1
}

// readTerminal reads what a command printed as a terminal shows it: a
// control character (but line feed and tab) or an invalid byte is a
// problem, since the terminal would act on it.
func readTerminal(b []byte) readout {
	var r readout
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSuffix(line, "\r") // CRLF, as CSV ends its lines
		if !utf8.ValidString(line) {
			r.problem("line %d is not valid UTF-8: %.60q", i+1, line)
		}
		for _, c := range line {
			if c != '\t' && (unicode.IsControl(c) || c == utf8.RuneError) {
				r.problem("line %d holds the control character %U: %.60q", i+1, c, line)
				break
			}
		}
		r.unit(line)
	}
	return r
}

// readPlainText is the text report: the same rules as a terminal.
func readPlainText(b []byte) readout { return readTerminal(b) }

// readHeader reads one header value as a client does.
func readHeader(name string, v []byte) readout {
	var r readout
	s := string(v)
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			r.problem("%s holds the control character %U", name, c)
		}
	}
	switch strings.ToLower(name) {
	case "content-disposition":
		_, params, err := mime.ParseMediaType(s)
		if err != nil {
			r.problem("Content-Disposition does not parse (%v): %q", err, s)
			return r
		}
		for _, v := range params {
			r.unit(v)
		}
		// The plain parameter, for clients without RFC 6266: printable
		// ASCII only, inside its quotes.
		if i := strings.Index(s, `filename="`); i >= 0 {
			rest := s[i+len(`filename="`):]
			end := strings.IndexByte(rest, '"')
			if end < 0 {
				r.problem("filename not closed: %q", s)
			} else {
				for _, c := range rest[:end] {
					if c < 0x20 || c > 0x7e || c == '\\' {
						r.problem("filename holds %q", c)
					}
				}
			}
		}
	case "location":
		if strings.ContainsAny(s, " \"<>'`{}|\\^") {
			r.problem("Location not encoded: %q", s)
		}
		u, err := url.Parse(s)
		if err != nil {
			r.problem("Location does not parse: %v", err)
			return r
		}
		if u.Host != "" {
			r.problem("Location leads elsewhere: %q", s)
		}
		r.unit(u.Path)
		for _, vs := range u.Query() {
			for _, v := range vs {
				r.unit(v)
			}
		}
	default:
		r.unit(s)
	}
	return r
}
