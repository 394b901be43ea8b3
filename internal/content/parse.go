package content

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"

	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"cchc/internal/legalref"
	"cchc/internal/vntext"
)

// MaxFileSize is the largest content file accepted. The longest real
// procedure listing is well under 100 KB; anything this large is a mistake.
const MaxFileSize = 1 << 20

// Parse parses the content file at path (used only in messages) of kind k.
// It returns every problem found as Errors; an item is returned only when
// there are none.
func Parse(path string, k Kind, data []byte) (*Item, error) {
	p := &itemParser{path: path, kind: k}
	it := p.parse(data)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return it, nil
}

type itemParser struct {
	path string
	kind Kind
	errs Errors
}

// fieldf reports a problem with field name of it, on that field's line.
func (p *itemParser) fieldf(it *Item, name, format string, args ...any) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: it.Line(name), Field: name, Msg: fmt.Sprintf(format, args...)})
}

func (p *itemParser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// SplitFrontMatter checks and normalises a whole file and splits it into its
// YAML front matter and its Markdown body. bodyLine is the file line on which
// the body starts. Problems are returned as one *Error.
func SplitFrontMatter(path string, data []byte) (front, body string, bodyLine int, err error) {
	fail := func(line int, format string, args ...any) (string, string, int, error) {
		return "", "", 0, &Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if len(data) > MaxFileSize {
		return fail(0, "tệp quá lớn (%d byte; tối đa %d byte)", len(data), MaxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(1, "tệp trống")
	}
	if l := vntext.ValidUTF8Line(data); l > 0 {
		return fail(l, "tệp không phải UTF-8 hợp lệ (lưu lại tệp với bảng mã UTF-8)")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return fail(1+bytes.Count(data[:bytes.IndexByte(data, 0)], []byte("\n")), "tệp chứa ký tự NUL")
	}
	if i := bytes.IndexFunc(data, vntext.IsControl); i >= 0 {
		// The workspace's forms refuse these too (vntext.IsControl): invisible
		// on the page, commands to the terminal that prints a title.
		r, _ := utf8.DecodeRune(data[i:])
		return fail(1+bytes.Count(data[:i], []byte("\n")), "tệp chứa ký tự điều khiển %s; chỉ được dùng chữ, dấu câu, dấu tab và xuống dòng", vntext.ControlName(r))
	}
	text := strings.ReplaceAll(vntext.NFC(string(data)), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return fail(1, "thiếu phần khai báo (front matter): dòng đầu tiên phải là ---")
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
		return fail(1, "phần khai báo mở bằng --- nhưng không có dòng --- đóng lại")
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
	specs := fieldSpecs[p.kind]
	for _, f := range fields {
		spec, ok := specs[f.name]
		if !ok {
			p.errorf(f.line, "trường %q không dùng cho %s (các trường hợp lệ: %s)", f.name, strings.ToLower(p.kind.Label()), strings.Join(fieldNames(p.kind), ", "))
			continue
		}
		it.Lines[f.name] = f.line
		p.decode(it, spec, f)
	}
	for _, name := range requiredFields[p.kind] {
		if _, ok := it.Lines[name]; !ok {
			p.errorf(1, "thiếu trường bắt buộc %q", name)
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
		p.errorf(1, "phần khai báo (front matter) trống")
		return nil, false
	}
	if line, msg := frontMatterShape(front); line > 0 {
		p.errorf(line+1, "%s", msg)
		return nil, false
	}
	// Duplicate keys are reported below, in Vietnamese and with the file
	// line; go-yaml's own message gives a line within the front matter.
	file, err := parser.ParseBytes([]byte(front), 0, parser.AllowDuplicateMapKey())
	if err != nil {
		line, msg := yamlErrorPosition(err)
		p.errorf(line+1, "YAML không hợp lệ: %s", msg)
		return nil, false
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		p.errorf(2, "phần khai báo phải là một danh sách trường dạng \"tên: giá trị\"")
		return nil, false
	}
	var pairs []*ast.MappingValueNode
	switch n := file.Docs[0].Body.(type) {
	case *ast.MappingNode:
		pairs = n.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{n}
	default:
		p.errorf(nodeLine(n)+1, "phần khai báo phải là một danh sách trường dạng \"tên: giá trị\"")
		return nil, false
	}
	var out []field
	seen := map[string]bool{}
	for _, mv := range pairs {
		key, ok := mv.Key.(*ast.StringNode)
		line := nodeLine(mv.Key) + 1
		if !ok {
			p.errorf(line, "tên trường phải là chữ")
			continue
		}
		if seen[key.Value] {
			p.errorf(line, "trường %q khai báo hai lần", key.Value)
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

type fieldType int

const (
	tString fieldType = iota
	tText             // a string, possibly long; no newlines are refused
	tBool
	tList
	tDate
	tURL
)

type fieldSpec struct {
	typ fieldType
	set func(it *Item, v any)
}

func str(f func(*Item) *string) fieldSpec {
	return fieldSpec{tString, func(it *Item, v any) { *f(it) = v.(string) }}
}
func text(f func(*Item) *string) fieldSpec {
	return fieldSpec{tText, func(it *Item, v any) { *f(it) = v.(string) }}
}
func link(f func(*Item) *string) fieldSpec {
	return fieldSpec{tURL, func(it *Item, v any) { *f(it) = v.(string) }}
}
func list(f func(*Item) *[]string) fieldSpec {
	return fieldSpec{tList, func(it *Item, v any) { *f(it) = v.([]string) }}
}
func date(f func(*Item) *time.Time) fieldSpec {
	return fieldSpec{tDate, func(it *Item, v any) { *f(it) = v.(time.Time) }}
}

var commonFields = map[string]fieldSpec{
	"title":     str(func(it *Item) *string { return &it.Title }),
	"slug":      str(func(it *Item) *string { return &it.Slug }),
	"summary":   text(func(it *Item) *string { return &it.Summary }),
	"date":      date(func(it *Item) *time.Time { return &it.Date }),
	"updated":   date(func(it *Item) *time.Time { return &it.Updated }),
	"draft":     {tBool, func(it *Item, v any) { it.Draft = v.(bool) }},
	"areas":     list(func(it *Item) *[]string { return &it.Areas }),
	"plan_item": str(func(it *Item) *string { return &it.PlanItem }),
}

var fieldSpecs = map[Kind]map[string]fieldSpec{
	Article: with(commonFields, map[string]fieldSpec{
		"tags":   list(func(it *Item) *[]string { return &it.Tags }),
		"author": str(func(it *Item) *string { return &it.Author }),
		"image":  str(func(it *Item) *string { return &it.Image }),
	}),
	Procedure: with(commonFields, map[string]fieldSpec{
		"code":            str(func(it *Item) *string { return &it.Code }),
		"field":           str(func(it *Item) *string { return &it.Field }),
		"level":           str(func(it *Item) *string { return &it.Level }),
		"agency":          str(func(it *Item) *string { return &it.Agency }),
		"online":          str(func(it *Item) *string { return &it.Online }),
		"processing_time": text(func(it *Item) *string { return &it.ProcessingTime }),
		"fee":             text(func(it *Item) *string { return &it.Fee }),
		"submission":      list(func(it *Item) *[]string { return &it.Submission }),
		"applicants":      text(func(it *Item) *string { return &it.Applicants }),
		"result":          text(func(it *Item) *string { return &it.Result }),
		"legal_basis":     list(func(it *Item) *[]string { return &it.LegalBasis }),
		"portal_url":      link(func(it *Item) *string { return &it.PortalURL }),
	}),
	Document: with(commonFields, map[string]fieldSpec{
		"number":     str(func(it *Item) *string { return &it.Number }),
		"type":       str(func(it *Item) *string { return &it.Type }),
		"issuer":     str(func(it *Item) *string { return &it.Issuer }),
		"issued":     date(func(it *Item) *time.Time { return &it.Issued }),
		"signer":     str(func(it *Item) *string { return &it.Signer }),
		"effective":  date(func(it *Item) *time.Time { return &it.Effective }),
		"expires":    date(func(it *Item) *time.Time { return &it.Expires }),
		"validity":   str(func(it *Item) *string { return &it.Validity }),
		"field":      str(func(it *Item) *string { return &it.Field }),
		"file":       str(func(it *Item) *string { return &it.File }),
		"source_url": link(func(it *Item) *string { return &it.SourceURL }),
	}),
}

var requiredFields = map[Kind][]string{
	Article:   {"title"},
	Procedure: {"title", "code"},
	Document:  {"number", "type", "issuer", "issued", "title"},
}

func with(base, extra map[string]fieldSpec) map[string]fieldSpec {
	m := make(map[string]fieldSpec, len(base)+len(extra))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// fieldNames lists the field names of kind k, sorted.
func fieldNames(k Kind) []string {
	var names []string
	for name := range fieldSpecs[k] {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (p *itemParser) decode(it *Item, spec fieldSpec, f field) {
	line := f.line
	if n := nodeLine(f.value); f.value != nil && n+1 > line {
		line = n + 1
	}
	switch spec.typ {
	case tString, tText, tURL:
		s, ok := scalar(f.value)
		if !ok {
			p.errorf(line, "trường %q phải là một chuỗi chữ, không phải %s", f.name, describe(f.value))
			return
		}
		if !p.controlFree(line, f.name, s) {
			return
		}
		s = strings.TrimSpace(s)
		if spec.typ == tString && strings.ContainsAny(s, "\n\r") {
			p.errorf(line, "trường %q chỉ được viết trên một dòng", f.name)
			return
		}
		if spec.typ == tURL && s != "" {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				p.errorf(line, "trường %q phải là một địa chỉ http:// hoặc https:// đầy đủ", f.name)
				return
			}
		}
		spec.set(it, s)
	case tBool:
		b, ok := f.value.(*ast.BoolNode)
		if !ok {
			p.errorf(line, "trường %q phải là true hoặc false, không phải %s", f.name, describe(f.value))
			return
		}
		spec.set(it, b.Value)
	case tList:
		var out []string
		switch n := f.value.(type) {
		case *ast.SequenceNode:
			for _, v := range n.Values {
				s, ok := scalar(v)
				if !ok {
					p.errorf(nodeLine(v)+1, "mỗi mục của trường %q phải là một chuỗi chữ, không phải %s", f.name, describe(v))
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
				p.errorf(line, "trường %q phải là một danh sách, ví dụ [a, b], không phải %s", f.name, describe(f.value))
				return
			}
			if !p.controlFree(line, f.name, s) {
				return
			}
			if s = strings.TrimSpace(s); s != "" {
				out = []string{s}
			}
		}
		spec.set(it, out)
	case tDate:
		s, ok := scalar(f.value)
		if !ok || strings.TrimSpace(s) == "" {
			p.errorf(line, "trường %q phải là một ngày (dd/mm/yyyy hoặc yyyy-mm-dd), không phải %s", f.name, describe(f.value))
			return
		}
		t, err := vntext.ParseDate(s)
		if err != nil {
			p.errorf(line, "trường %q: %v", f.name, err)
			return
		}
		spec.set(it, t)
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
	p.errorf(line, "trường %q chứa ký tự điều khiển %s, không được phép", name, vntext.ControlName(r))
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
		return "một danh sách"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "một nhóm trường"
	case *ast.BoolNode:
		return "true/false"
	case *ast.IntegerNode, *ast.FloatNode:
		return "một số"
	case *ast.NullNode, nil:
		return "giá trị trống"
	case *ast.AnchorNode, *ast.AliasNode:
		return "một tham chiếu YAML (&, *)"
	case *ast.TagNode:
		return "một giá trị có thẻ YAML (!)"
	}
	return "giá trị này"
}

var (
	procedureCode = regexp.MustCompile(`^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$`)
	areaID        = regexp.MustCompile(`^II\.\d(\.[a-z])?$`)
	planItemID    = regexp.MustCompile(`^III\.\d+$`)
	slugShape     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// ValidSlug reports whether s can be used as a slug as it is.
func ValidSlug(s string) bool { return len(s) <= 120 && slugShape.MatchString(s) }

// ValidProcedureCode reports whether code has the national (1.001193) or
// local (1.001612.000.00.00.H48) form of a procedure code.
func ValidProcedureCode(code string) bool { return procedureCode.MatchString(code) }

// Online service levels of a procedure.
var onlineLevels = []string{"toàn trình", "một phần", "không"}

// Submission channels of a procedure.
var submissionChannels = []string{"trực tiếp", "trực tuyến", "bưu chính"}

// OnlineLevels lists the accepted values of a procedure's online field.
func OnlineLevels() []string { return slices.Clone(onlineLevels) }

func (p *itemParser) validate(it *Item) {
	if it.Title == "" {
		p.fieldf(it, "title", "trường \"title\" không được để trống")
	}
	if n := len([]rune(it.Title)); n > 500 {
		p.fieldf(it, "title", "tiêu đề quá dài (%d ký tự; tối đa 500)", n)
	}
	if it.Slug != "" && !ValidSlug(it.Slug) {
		p.fieldf(it, "slug", "slug %q chỉ được gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ %q)", it.Slug, vntext.Slug(it.Slug))
	}
	if !it.Updated.IsZero() && !it.Date.IsZero() && it.Updated.Before(it.Date) {
		p.fieldf(it, "updated", "ngày cập nhật (%s) trước ngày đăng (%s)", vntext.Date(it.Updated), vntext.Date(it.Date))
	}
	for _, a := range it.Areas {
		if !areaID.MatchString(a) {
			p.fieldf(it, "areas", "nội dung tuyên truyền %q không đúng dạng (ví dụ II.1, II.2.a, II.3)", a)
		}
	}
	if it.PlanItem == "" {
		it.PlanItem = it.Kind.DefaultPlanItem()
	} else if !planItemID.MatchString(it.PlanItem) {
		p.fieldf(it, "plan_item", "mục kế hoạch %q không đúng dạng (ví dụ III.1)", it.PlanItem)
	}
	switch it.Kind {
	case Procedure:
		p.validateProcedure(it)
	case Document:
		p.validateDocument(it)
	case Article:
		if it.Image != "" {
			p.checkRelPath(it, "image", it.Image)
		}
	}
	if it.Slug == "" {
		if it.Kind == Document {
			it.Slug = vntext.Slug(it.Number)
		} else {
			it.Slug = vntext.Slug(it.Title)
		}
		if it.Slug == "" {
			p.fieldf(it, "title", "không tạo được slug từ tiêu đề; hãy khai báo trường \"slug\"")
		}
	}
}

func (p *itemParser) validateProcedure(it *Item) {
	if !procedureCode.MatchString(it.Code) {
		p.fieldf(it, "code", "mã thủ tục %q không đúng dạng: cần dạng 1.001193 hoặc 1.001612.000.00.00.H48", it.Code)
	}
	if it.Online != "" {
		v := strings.ToLower(it.Online)
		if !slices.Contains(onlineLevels, v) {
			p.fieldf(it, "online", "mức dịch vụ trực tuyến %q không hợp lệ: dùng một trong %s", it.Online, strings.Join(onlineLevels, ", "))
		}
		it.Online = v
	}
	for i, s := range it.Submission {
		v := strings.ToLower(s)
		if !slices.Contains(submissionChannels, v) {
			p.fieldf(it, "submission", "cách thức nộp hồ sơ %q không hợp lệ: dùng %s", s, strings.Join(submissionChannels, ", "))
		}
		it.Submission[i] = v
	}
	for _, n := range it.LegalBasis {
		if _, ok := legalref.Key(n); !ok {
			p.fieldf(it, "legal_basis", "căn cứ pháp lý %q không phải là một số ký hiệu văn bản (ví dụ 08/2014/NĐ-CP)", n)
		}
	}
}

func (p *itemParser) validateDocument(it *Item) {
	if !legalref.Valid(it.Number) {
		p.fieldf(it, "number", "số ký hiệu %q không đúng dạng (ví dụ 1256/QĐ-UBND, 42/2022/NĐ-CP, 04-NQ/TU)", it.Number)
	}
	for _, f := range []struct {
		name, value string
	}{{"type", it.Type}, {"issuer", it.Issuer}} {
		if f.value == "" {
			p.fieldf(it, f.name, "trường %q không được để trống", f.name)
		}
	}
	if !it.Effective.IsZero() && !it.Issued.IsZero() && it.Effective.Before(it.Issued) {
		p.fieldf(it, "effective", "ngày có hiệu lực (%s) trước ngày ban hành (%s)", vntext.Date(it.Effective), vntext.Date(it.Issued))
	}
	if !it.Expires.IsZero() {
		start := it.Effective
		if start.IsZero() {
			start = it.Issued
		}
		if !it.Expires.After(start) {
			p.fieldf(it, "expires", "ngày hết hiệu lực (%s) phải sau ngày có hiệu lực (%s)", vntext.Date(it.Expires), vntext.Date(start))
		}
	}
	if it.Validity != "" {
		ok := false
		for _, v := range []string{ValidityInForce, ValidityPartly, ValidityExpired, ValidityNotYet} {
			if strings.EqualFold(it.Validity, v) {
				it.Validity, ok = v, true
			}
		}
		if !ok {
			p.fieldf(it, "validity", "tình trạng hiệu lực %q không hợp lệ: dùng một trong %s", it.Validity, validityValuesText)
		}
	}
	if it.File != "" {
		p.checkRelPath(it, "file", it.File)
	}
}

// Validate checks an item built outside a file (an editor's form) as Parse
// checks a file's, fills the same defaults (plan item, slug), and returns
// the problems as Errors whose Field names the form field at fault.
func Validate(it *Item) error {
	p := &itemParser{kind: it.Kind}
	if it.Lines == nil {
		it.Lines = map[string]int{}
	}
	normalize(it)
	for _, name := range requiredFields[it.Kind] {
		if name != "title" && fieldEmpty(it, name) {
			p.fieldf(it, name, "trường %q không được để trống", name)
		}
	}
	p.validate(it)
	if len(p.errs) > 0 {
		return p.errs
	}
	return nil
}

// normalize puts every text field of it in NFC without surrounding space,
// as Parse does for files (NFC before parsing).
func normalize(it *Item) {
	for _, p := range []*string{&it.Slug, &it.Title, &it.Summary, &it.PlanItem, &it.Author, &it.Image, &it.Code, &it.Field,
		&it.Level, &it.Agency, &it.Online, &it.ProcessingTime, &it.Fee, &it.Applicants, &it.Result, &it.PortalURL,
		&it.Number, &it.Type, &it.Issuer, &it.Signer, &it.Validity, &it.File, &it.SourceURL} {
		*p = strings.TrimSpace(vntext.NFC(*p))
	}
	for _, l := range []*[]string{&it.Areas, &it.Tags, &it.Submission, &it.LegalBasis} {
		var out []string
		for _, v := range *l {
			if v = strings.TrimSpace(vntext.NFC(v)); v != "" {
				out = append(out, v)
			}
		}
		*l = out
	}
	it.Body = strings.ReplaceAll(vntext.NFC(it.Body), "\r\n", "\n")
}

// fieldEmpty reports whether the required field name of it is unset.
func fieldEmpty(it *Item, name string) bool {
	switch name {
	case "title":
		return strings.TrimSpace(it.Title) == ""
	case "code":
		return strings.TrimSpace(it.Code) == ""
	case "number":
		return strings.TrimSpace(it.Number) == ""
	case "type":
		return strings.TrimSpace(it.Type) == ""
	case "issuer":
		return strings.TrimSpace(it.Issuer) == ""
	case "issued":
		return it.Issued.IsZero()
	}
	return false
}

// checkRelPath refuses anything but a plain relative path inside the content
// folder: file names are never trusted as paths.
func (p *itemParser) checkRelPath(it *Item, name, v string) {
	if strings.Contains(v, "://") {
		u, err := url.Parse(v)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return
		}
	}
	if strings.HasPrefix(v, "/") || strings.Contains(v, "\\") || slices.Contains(strings.Split(v, "/"), "..") || strings.ContainsAny(v, ":\x00") {
		p.fieldf(it, name, "đường dẫn %q không hợp lệ: dùng đường dẫn tương đối trong thư mục nội dung, không có \"..\"", v)
	}
}
