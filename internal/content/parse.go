package content

import (
	"bytes"
	"errors"
	"slices"

	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// MaxCount is the largest whole number a field takes (a count of
// people): more than the province's population is a typing mistake.
const MaxCount = 10_000_000

// MaxFileSize is the largest content file accepted. The longest real
// procedure listing is well under 100 KB; anything this large is a mistake.
const MaxFileSize = 1 << 20

// Parse parses the content file at path (used only in messages) of kind k
// with the default schema.
func Parse(path string, k Kind, data []byte) (*Item, error) {
	return DefaultSchema().Parse(path, k, data)
}

// Parse parses the content file at path (used only in messages) of kind k.
// It returns every problem found as Errors, in the order of their lines;
// an item is returned only when there are none.
func (s *Schema) Parse(path string, k Kind, data []byte) (*Item, error) {
	p := &itemParser{schema: s, path: path, kind: k}
	it := p.parse(data)
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, p.errs
	}
	return it, nil
}

type itemParser struct {
	schema *Schema
	path   string
	kind   Kind
	errs   Errors
	// reported are the fields already found at fault.
	reported map[string]bool
}

// atField reports msg, a problem with field name of it, on that field's
// line.
func (p *itemParser) atField(it *Item, name, msg string) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: it.Line(name), Field: name, Msg: msg})
	if p.reported == nil {
		p.reported = map[string]bool{}
	}
	p.reported[name] = true
}

// atLine reports msg on line.
func (p *itemParser) atLine(line int, msg string) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: line, Msg: msg})
}

// SplitFrontMatter checks and normalises a whole file and splits it into its
// YAML front matter and its Markdown body. bodyLine is the file line on which
// the body starts. Problems are returned as one *Error.
func SplitFrontMatter(path string, data []byte) (front, body string, bodyLine int, err error) {
	fail := func(line int, msg string) (string, string, int, error) {
		return "", "", 0, &Error{Path: path, Line: line, Msg: msg}
	}
	if len(data) > MaxFileSize {
		return fail(0, locale.T("content.file.too_big", len(data), MaxFileSize))
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(1, locale.T("content.file.empty"))
	}
	// Nearly every file is plain (vntext.Plain): one pass over its bytes
	// instead of the checks one by one and NFC's.
	plain := vntext.Plain(data)
	if !plain {
		if l := vntext.ValidUTF8Line(data); l > 0 {
			return fail(l, locale.T("content.file.not_utf8"))
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return fail(1+bytes.Count(data[:bytes.IndexByte(data, 0)], []byte("\n")), locale.T("content.file.nul"))
		}
		if i := vntext.ControlIndex(data); i >= 0 {
			// The workspace's forms refuse these too (vntext.IsControl): invisible
			// on the page, commands to the terminal that prints a title.
			r, _ := utf8.DecodeRune(data[i:])
			return fail(1+bytes.Count(data[:i], []byte("\n")), locale.T("content.file.control", vntext.ControlName(r)))
		}
	}
	text := string(data)
	if !plain {
		text = vntext.NFC(text)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return fail(1, locale.T("content.front.missing"))
	}
	rest := text[4:]
	end := -1
	if strings.HasPrefix(rest, "---\n") || rest == "---" {
		end = 0
	} else if i := strings.Index(rest, "\n---\n"); i >= 0 {
		end = i + 1
	} else if strings.HasSuffix(rest, "\n---") {
		end = len(rest) - 3
	}
	if end < 0 {
		return fail(1, locale.T("content.front.unclosed"))
	}
	front = rest[:end]
	body = strings.TrimPrefix(rest[end:], "---")
	body = strings.TrimPrefix(body, "\n")
	bodyLine = 2 + strings.Count(front, "\n") + 1
	return front, body, bodyLine, nil
}

func (p *itemParser) parse(data []byte) *Item {
	front, body, bodyLine, err := SplitFrontMatter(p.path, data)
	if err != nil {
		p.errs = append(p.errs, err.(*Error))
		return nil
	}
	fields, ok := p.fields(front)
	if !ok {
		return nil
	}
	it := &Item{Kind: p.kind, Body: body, Lines: map[string]int{"body": bodyLine}}
	for _, f := range fields {
		spec, ok := p.schema.Field(p.kind, f.name)
		if !ok {
			p.atLine(f.line, locale.T("content.field.unknown", f.name, strings.ToLower(p.kind.Label()), strings.Join(p.schema.names(p.kind), ", ")))
			continue
		}
		it.Lines[f.name] = f.line
		p.decode(it, spec, f)
	}
	for _, f := range p.schema.fields[p.kind] {
		if _, ok := it.Lines[f.Name]; !ok && f.Required != "" {
			p.atLine(1, locale.T("content.field.missing", f.Name))
		}
	}
	if len(p.errs) > 0 {
		return nil
	}
	p.validate(it)
	return it
}

// field is one top-level key of the front matter with its value node.
type field struct {
	name  string
	line  int
	value ast.Node
}

// fields parses the front matter into its top-level keys, in order.
// Lines are file lines: the front matter starts on line 2.
func (p *itemParser) fields(front string) ([]field, bool) {
	if strings.TrimSpace(front) == "" {
		p.atLine(1, locale.T("content.front.empty"))
		return nil, false
	}
	if line, msg := frontMatterShape(front); line > 0 {
		p.atLine(line+1, msg)
		return nil, false
	}
	// Duplicate keys are reported below, in Vietnamese and with the file
	// line; go-yaml's own message gives a line within the front matter.
	file, err := parser.ParseBytes([]byte(front), 0, parser.AllowDuplicateMapKey())
	if err != nil {
		line, msg := yamlErrorPosition(err)
		p.atLine(line+1, locale.T("content.front.yaml", msg))
		return nil, false
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		p.atLine(2, locale.T("content.front.not_map"))
		return nil, false
	}
	var pairs []*ast.MappingValueNode
	switch n := file.Docs[0].Body.(type) {
	case *ast.MappingNode:
		pairs = n.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{n}
	default:
		p.atLine(nodeLine(n)+1, locale.T("content.front.not_map"))
		return nil, false
	}
	var out []field
	seen := map[string]bool{}
	for _, mv := range pairs {
		key, ok := mv.Key.(*ast.StringNode)
		line := nodeLine(mv.Key) + 1
		if !ok {
			p.atLine(line, locale.T("content.field.name_not_text"))
			continue
		}
		if seen[key.Value] {
			p.atLine(line, locale.T("content.field.twice", key.Value))
			continue
		}
		seen[key.Value] = true
		out = append(out, field{name: key.Value, line: line, value: mv.Value})
	}
	return out, len(p.errs) == 0
}

// yamlErrorPosition extracts the 1-based line (within the YAML) and the
// message from a go-yaml error.
func yamlErrorPosition(err error) (int, string) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		line := 1
		if t := ye.GetToken(); t != nil && t.Position != nil {
			line = t.Position.Line
		}
		return line, ye.GetMessage()
	}
	return 1, err.Error()
}

func nodeLine(n ast.Node) int {
	if n == nil {
		return 1
	}
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line
	}
	return 1
}

// decode reads the value of f into it as its row spec's type says: the
// shape of the YAML; the value's own checks are validate's.
func (p *itemParser) decode(it *Item, spec Field, f field) {
	line := f.line
	if n := nodeLine(f.value); f.value != nil && n+1 > line {
		line = n + 1
	}
	switch spec.Type {
	case TypeString, TypeText, TypeURL:
		s, ok := scalar(f.value)
		if !ok {
			p.atLine(line, locale.T("content.field.not_string", f.name, describe(f.value)))
			return
		}
		if !p.controlFree(line, f.name, s) {
			return
		}
		s = strings.TrimSpace(s)
		if spec.Type == TypeString && strings.ContainsAny(s, "\n\r") {
			p.atLine(line, locale.T("content.field.one_line", f.name))
			return
		}
		if spec.Type == TypeURL && s != "" && !WebAddress(s) {
			p.atLine(line, locale.T("content.field.not_url", f.name))
			return
		}
		spec.Set(it, s)
	case TypeBool:
		b, ok := f.value.(*ast.BoolNode)
		if !ok {
			p.atLine(line, locale.T("content.field.not_bool", f.name, describe(f.value)))
			return
		}
		spec.Set(it, b.Value)
	case TypeInt:
		n, ok := f.value.(*ast.IntegerNode)
		v, isInt := 0, false
		if ok {
			switch x := n.Value.(type) {
			case int64:
				v, isInt = int(x), x >= 0 && x <= MaxCount
			case uint64:
				v, isInt = int(x), x <= MaxCount
			}
		}
		if _, null := f.value.(*ast.NullNode); null {
			return
		}
		if !isInt {
			p.atLine(line, locale.T("content.field.not_count", f.name, MaxCount))
			return
		}
		spec.Set(it, v)
	case TypeList:
		var out []string
		switch n := f.value.(type) {
		case *ast.SequenceNode:
			for _, v := range n.Values {
				s, ok := scalar(v)
				if !ok {
					p.atLine(nodeLine(v)+1, locale.T("content.field.entry_not_string", f.name, describe(v)))
					return
				}
				if !p.controlFree(nodeLine(v)+1, f.name, s) {
					return
				}
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		case *ast.NullNode:
		default:
			// A single value is taken as a list of one: editors write
			// "areas: II.1" as often as "areas: [II.1]".
			s, ok := scalar(f.value)
			if !ok {
				p.atLine(line, locale.T("content.field.not_list", f.name, describe(f.value)))
				return
			}
			if !p.controlFree(line, f.name, s) {
				return
			}
			if s = strings.TrimSpace(s); s != "" {
				out = []string{s}
			}
		}
		spec.Set(it, out)
	case TypeDate:
		s, ok := scalar(f.value)
		if !ok || strings.TrimSpace(s) == "" {
			p.atLine(line, locale.T("content.field.not_date", f.name, describe(f.value)))
			return
		}
		t, err := vntext.ParseDate(s)
		if err != nil {
			p.atLine(line, locale.T("content.field.problem", f.name, locale.Text(err)))
			return
		}
		spec.Set(it, t)
	}
}

// controlFree reports a control character in the value s of field name
// (a quoted YAML string can hold one as an escape, "\e" or "\x1b", that
// the check of the file's bytes does not see). The rule is the workspace
// forms' (vntext.IsControl).
func (p *itemParser) controlFree(line int, name, s string) bool {
	i := vntext.ControlAt(s)
	if i < 0 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	p.atLine(line, locale.T("content.field.control", name, vntext.ControlName(r)))
	return false
}

// scalar returns the text of a scalar node as written.
func scalar(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode:
		return v.GetToken().Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.SequenceNode:
		return locale.T("content.value.list")
	case *ast.MappingNode, *ast.MappingValueNode:
		return locale.T("content.value.map")
	case *ast.BoolNode:
		return "true/false"
	case *ast.IntegerNode, *ast.FloatNode:
		return locale.T("content.value.number")
	case *ast.NullNode, nil:
		return locale.T("content.value.empty")
	case *ast.AnchorNode, *ast.AliasNode:
		return locale.T("content.value.alias")
	case *ast.TagNode:
		return locale.T("content.value.tag")
	}
	return locale.T("content.value.other")
}
