// Package tthclist reads an official list of administrative procedures
// (danh mục thủ tục hành chính): the procedures the Chairman of the
// provincial People's Committee has announced (quyết định công bố) for a
// department, as exported from the national procedure database — CSV or
// XLSX, one row per procedure, with the columns mã thủ tục, tên thủ tục,
// lĩnh vực, cấp thực hiện, cơ quan thực hiện and quyết định công bố.
//
// A year's plan names such a file (content/plans/2022-tthc.csv) as the
// denominator of "publish every procedure"; `cchc import` reads it through
// Parse. The reader is forgiving about layout and strict about content:
// title rows above the header, columns in any order, headers with or
// without diacritics, extra columns (kept in Row.Extra), a ',' ';' or tab
// separator, a byte order mark — but a row without a code or a name, a
// code not shaped like one, or a code listed twice is an error at its
// line (`path:line: message`), and nothing of the list is used.
package tthclist

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Limits of a list. A department's list has tens of procedures and a
// province's a few thousand; these keep a hostile file cheap to refuse.
const (
	// MaxSize is the largest file read, in bytes.
	MaxSize = 10 << 20
	// MaxRows is the most procedures a list may hold.
	MaxRows = 20000
	// headerSearch is how many rows from the top the header may be
	// looked for in (exports put a title and a date above it).
	headerSearch = 30
	// maxColumns is the most columns a row may have.
	maxColumns = 200
)

// Row is one procedure of the list.
type Row struct {
	// Line is the row's line in a CSV file (the first, when a quoted cell
	// spans several) or its row number in an XLSX sheet.
	Line     int    `json:"line"`
	Code     string `json:"code"`               // mã thủ tục: 1.001193 or 1.001612.000.00.00.H48
	Name     string `json:"name"`               // tên thủ tục
	Field    string `json:"field,omitempty"`    // lĩnh vực
	Level    string `json:"level,omitempty"`    // cấp thực hiện
	Agency   string `json:"agency,omitempty"`   // cơ quan thực hiện
	Decision string `json:"decision,omitempty"` // quyết định công bố
	// Extra are the row's other columns (STT, loại thủ tục, …), in the
	// file's order, each under its header as written.
	Extra []Cell `json:"extra,omitempty"`
}

// Cell is one value of a column the reader has no field for.
type Cell struct {
	Header string `json:"header"`
	Value  string `json:"value"`
}

// List is an official list as read.
type List struct {
	// Columns are the header's cells as written, in the file's order.
	Columns []string `json:"columns"`
	// Rows are the procedures, in the file's order.
	Rows []Row `json:"rows"`
}

// Codes returns the list's codes in its order.
func (l *List) Codes() []string {
	out := make([]string, len(l.Rows))
	for i, r := range l.Rows {
		out[i] = r.Code
	}
	return out
}

// Decisions returns the announcing decisions the rows name, each once, in
// the order they first appear ("" left out).
func (l *List) Decisions() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range l.Rows {
		if r.Decision != "" && !seen[r.Decision] {
			seen[r.Decision] = true
			out = append(out, r.Decision)
		}
	}
	return out
}

// Error is one problem with a list, at a line of its file (0: the file as
// a whole).
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// Errors are every problem found in a list, in line order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// code is the shape of a procedure code in the national database: a
// national code (1.001193) or a local one (1.001612.000.00.00.H48). It is
// the shape content.ValidProcedureCode accepts (a test holds them
// together).
var code = regexp.MustCompile(`^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$`)

// ValidCode reports whether s is shaped like a procedure code.
func ValidCode(s string) bool { return code.MatchString(s) }

// NormalizeCode is a code as compared: spaces around it dropped, the
// province's letter in capitals (1.001612.000.00.00.h48 → …H48).
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Parse reads the list in data, named path in messages, as CSV or XLSX by
// path's extension. On any problem it returns Errors (every row's, in line
// order) and no list.
func Parse(name string, data []byte) (*List, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return ParseCSV(name, data)
	case ".xlsx":
		return ParseXLSX(name, data)
	}
	return nil, Errors{{Path: name, Msg: locale.T("tthclist.bad_ext")}}
}

// The fields a header cell can name.
const (
	colOther = iota
	colCode
	colName
	colField
	colLevel
	colAgency
	colDecision
)

// headers maps a header, as vntext.Slug writes it, to its field: the
// names the national database's export uses, and the usual variants.
var headers = map[string]int{
	"ma-thu-tuc": colCode, "ma-tthc": colCode, "ma-thu-tuc-hanh-chinh": colCode, "ma-so-thu-tuc": colCode, "ma-so-tthc": colCode, "ma-so": colCode, "ma": colCode,
	"ten-thu-tuc": colName, "ten-tthc": colName, "ten-thu-tuc-hanh-chinh": colName,
	"linh-vuc": colField, "linh-vuc-thuc-hien": colField,
	"cap-thuc-hien": colLevel, "cap": colLevel,
	"co-quan-thuc-hien": colAgency, "co-quan-giai-quyet": colAgency, "don-vi-thuc-hien": colAgency, "co-quan-to-chuc-thuc-hien": colAgency,
	"quyet-dinh-cong-bo": colDecision, "so-quyet-dinh-cong-bo": colDecision, "qd-cong-bo": colDecision, "so-qd-cong-bo": colDecision,
	"quyet-dinh": colDecision, "so-quyet-dinh": colDecision, "van-ban-cong-bo": colDecision,
}

// layout is where each field sits in the rows, found from the header.
type layout struct {
	header []string
	col    []int // per column: its field
}

// findHeader reports whether cells is the header row: it names a code
// column and a name column.
func findHeader(cells []string) (*layout, bool) {
	l := &layout{header: make([]string, len(cells)), col: make([]int, len(cells))}
	var code, name bool
	seen := map[int]bool{}
	for i, c := range cells {
		c = clean(c)
		l.header[i] = c
		f := headers[vntext.Slug(c)]
		if f != colOther && seen[f] {
			f = colOther // a second column of the same name is kept as extra
		}
		seen[f] = true
		l.col[i] = f
		code = code || f == colCode
		name = name || f == colName
	}
	return l, code && name
}

// clean is a cell as kept: NFC, every run of spaces and line breaks one
// space, none at the ends (Excel wraps long names onto several lines).
func clean(s string) string {
	return strings.Join(strings.Fields(vntext.NFC(s)), " ")
}

// reader turns the rows of a file, header included, into a list.
type reader struct {
	path   string
	layout *layout
	list   *List
	errs   Errors
	lines  map[string]int // code → line of its row
}

func newReader(path string) *reader {
	return &reader{path: path, list: &List{}, lines: map[string]int{}}
}

func (r *reader) fail(line int, msg string) {
	r.errs = append(r.errs, &Error{Path: r.path, Line: line, Msg: msg})
}

// row takes one row of the file at line. Rows before the header are
// skipped until one is the header.
func (r *reader) row(line int, cells []string) {
	if len(cells) > maxColumns {
		r.fail(line, locale.T("tthclist.columns", len(cells), maxColumns))
		return
	}
	for _, c := range cells {
		if i := strings.IndexFunc(c, vntext.IsControl); i >= 0 {
			ch := []rune(c[i:])[0]
			r.fail(line, locale.T("tthclist.control", vntext.ControlName(ch)))
			return
		}
	}
	if r.layout == nil {
		if l, ok := findHeader(cells); ok {
			r.layout = l
			r.list.Columns = l.header
		}
		return
	}
	if blank(cells) {
		return
	}
	if len(r.list.Rows) >= MaxRows {
		if len(r.errs) == 0 || r.errs[len(r.errs)-1].Msg != tooLong() {
			r.fail(line, tooLong())
		}
		return
	}
	row := Row{Line: line}
	for i, c := range cells {
		c = clean(c)
		f := colOther
		if i < len(r.layout.col) {
			f = r.layout.col[i]
		}
		switch f {
		case colCode:
			row.Code = NormalizeCode(c)
		case colName:
			row.Name = c
		case colField:
			row.Field = c
		case colLevel:
			row.Level = c
		case colAgency:
			row.Agency = c
		case colDecision:
			row.Decision = c
		default:
			if c == "" {
				continue
			}
			h := ""
			if i < len(r.layout.header) {
				h = r.layout.header[i]
			}
			row.Extra = append(row.Extra, Cell{Header: h, Value: c})
		}
	}
	switch {
	case row.Code == "":
		r.fail(line, locale.T("tthclist.no_code"))
		return
	case !ValidCode(row.Code):
		r.fail(line, locale.T("tthclist.bad_code", row.Code))
		return
	case row.Name == "":
		r.fail(line, locale.T("tthclist.no_name", row.Code))
		return
	}
	if first, dup := r.lines[row.Code]; dup {
		r.fail(line, locale.T("tthclist.twice", row.Code, first))
		return
	}
	r.lines[row.Code] = line
	r.list.Rows = append(r.list.Rows, row)
}

// tooLong is the refusal of a list over MaxRows.
func tooLong() string { return locale.T("tthclist.too_long") }

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// done ends the read: the list, or every problem.
func (r *reader) done() (*List, error) {
	if r.layout == nil && len(r.errs) == 0 {
		r.fail(0, locale.T("tthclist.no_header", headerSearch))
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	if len(r.list.Rows) == 0 {
		return nil, Errors{{Path: r.path, Msg: locale.T("tthclist.empty")}}
	}
	return r.list, nil
}

// tooBig is the error for a file over MaxSize.
func tooBig(path string, n int) error {
	return Errors{{Path: path, Msg: locale.T("content.file.too_big", n, MaxSize)}}
}
