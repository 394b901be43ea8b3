package progress_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cchc/internal/content"
	"cchc/internal/progress"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/testsupport"
)

// formulas are free text a spreadsheet would run as a formula (OWASP's
// CSV injection list), as an editor could type them into a title, an
// author or a withdrawal reason.
var formulas = []string{`=HYPERLINK("http://x","y")`, "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"}

// hostileReport is the fixture's year with one withdrawal per formula,
// each carrying it as the item's title, author and the reason.
func hostileReport(t *testing.T, extra ...string) *progress.Report {
	t.Helper()
	env := open(t)
	testsupport.Import(t, env, fixture)
	ctx := context.Background()
	log := publog.New(env.Store, env.Now)
	for _, f := range append(slices.Clone(formulas), extra...) {
		it, err := env.Store.ItemBySlug(ctx, content.Article, "a05")
		if err != nil {
			t.Fatal(err)
		}
		it.Title, it.Author = f, f
		err = env.Store.Tx(ctx, func(tx *sql.Tx) error {
			return log.Append(ctx, tx, publish.Event{Type: publish.EventWithdraw, At: env.Now(), Actor: "nguyen.van.a", Item: it, Note: f})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := progress.Measure(ctx, env.Store, log, 2022, clock)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// inert fails for any cell a spreadsheet would read as a formula.
func inert(t *testing.T, where string, cells []string) {
	t.Helper()
	for _, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r\x00", rune(c[0])) {
			t.Errorf("%s: cell %q starts a formula", where, c)
		}
	}
}

// neutralised checks that every formula is in cells, behind a quote.
// In CSV a lone CR does not survive (encoding/csv drops it when writing
// CRLF lines), so there "\r=1" is looked for as "=1".
func neutralised(t *testing.T, where string, cells []string) {
	t.Helper()
	for _, f := range formulas {
		if where == "csv" {
			f = strings.ReplaceAll(f, "\r", "")
		}
		if n := strings.Count("\x00"+strings.Join(cells, "\x00")+"\x00", "\x00'"+f+"\x00"); n < 3 {
			t.Errorf("%s: %q behind a quote %d times, want title, author and reason at least", where, f, n)
		}
	}
}

func TestCSVFormulaInjection(t *testing.T) {
	r := hostileReport(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, rec := range recs {
		all = append(all, rec...)
	}
	inert(t, "csv", all)
	neutralised(t, "csv", all)
	// Counts stay plain numbers.
	if i := slices.IndexFunc(recs, func(rec []string) bool { return rec[0] == "Tin, bài" }); i < 0 || recs[i][3] != "6" {
		t.Errorf("withdrawals of articles: %q", recs[i])
	}
}

func TestXLSXFormulaInjection(t *testing.T) {
	r := hostileReport(t)
	var buf bytes.Buffer
	if err := r.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for i, row := range rows {
			all = append(all, row...)
			for j := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, err := f.GetCellFormula(sheet, ref); err != nil || formula != "" {
					t.Errorf("%s!%s: formula %q, %v", sheet, ref, formula, err)
				}
			}
		}
		inert(t, sheet, all)
		if sheet == progress.SheetDetail() {
			neutralised(t, sheet, all)
		}
	}
	// The withdrawals table on the summary sheet: a title "+1" or "-2" is
	// text, not the number 1 or -2.
	rows, _ := f.GetRows(progress.SheetSummary())
	i := slices.IndexFunc(rows, func(row []string) bool { return len(row) > 0 && row[0] == "Ngày" })
	if i < 0 {
		t.Fatal("no withdrawals table")
	}
	titles := 0
	for k, row := range rows[i+1:] {
		if len(row) < 2 || row[0] == "" {
			break
		}
		titles++
		ref, _ := excelize.CoordinatesToCellName(2, i+2+k)
		raw, _ := f.GetCellValue(progress.SheetSummary(), ref, excelize.Options{RawCellValue: true})
		if want := "'" + formulas[k]; raw != want {
			t.Errorf("%s: title %q, want the text %q", ref, raw, want)
		}
	}
	if titles != len(formulas) {
		t.Errorf("%d withdrawals listed, want %d", titles, len(formulas))
	}
}

// Titles that would break a Markdown table (a pipe, an escaped pipe, a
// line break) or the text report's columns (tabs, line breaks) stay in
// their cell.
func TestMarkdownAndTextCells(t *testing.T) {
	title := "Tiêu đề | có\\|ống\r\nxuống dòng\tvà tab"
	r := hostileReport(t, title)
	var md, text bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	// A table row has as many unescaped pipes as its header.
	pipes := func(line string) int {
		n := 0
		for i := 0; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '|':
				n++
			}
		}
		return n
	}
	lines := strings.Split(md.String(), "\n")
	header := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "| Số thứ tự |") })
	if header < 0 {
		t.Fatal("no detail table")
	}
	want := pipes(lines[header])
	found := false
	for _, l := range lines[header+2:] {
		if l == "" {
			break
		}
		if got := pipes(l); got != want {
			t.Errorf("row has %d cell borders, header %d: %s", got, want, l)
		}
		found = found || strings.Contains(l, "Tiêu đề")
	}
	if !found {
		t.Error("hostile title not in the table")
	}
	if !strings.Contains(text.String(), "Tiêu đề | có\\|ống xuống dòng và tab") {
		t.Errorf("text report: title not on one line:\n%s", text.String())
	}
	for _, l := range strings.Split(text.String(), "\n") {
		if strings.ContainsAny(l, "\r\t") {
			t.Errorf("text report line with a control character: %q", l)
		}
	}
}

func TestSpreadsheetText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"Cải cách hành chính", "Cải cách hành chính"},
		{"=1+1", "'=1+1"},
		{"+84 255", "'+84 255"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\x00=1", "'\x00=1"},
		{"'=1", "'=1"}, // already text for a spreadsheet
		{"Tin 1-2", "Tin 1-2"},
		{"1256/QĐ-UBND", "1256/QĐ-UBND"},
	}
	for _, c := range cases {
		if got := progress.SpreadsheetText(c.in); got != c.want {
			t.Errorf("SpreadsheetText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
