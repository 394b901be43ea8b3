package tthclist_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/content"
	"cchc/internal/tthclist"
)

// export is a list as the national database's CSV export looks: a title
// and a date above the header, an STT column, a long name wrapped onto
// two lines inside quotes, a name with a comma.
const export = "\ufeffDANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ\n" +
	"Ngày xuất: 01/03/2022\n" +
	"STT,Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan thực hiện,Quyết định công bố\n" +
	"1,1.002345.000.00.00.H48,Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ,Hoạt động khoa học và công nghệ,Cấp tỉnh,Sở Khoa học và Công nghệ,Quyết định số 1/QĐ-UBND (ví dụ)\n" +
	"2,1.005238,\"Cấp chứng chỉ nhân viên bức xạ\ncho người phụ trách an toàn\",\"Năng lượng nguyên tử, an toàn bức xạ và hạt nhân\",Cấp tỉnh,Sở Khoa học và Công nghệ,Quyết định số 1/QĐ-UBND (ví dụ)\n" +
	"\n" +
	"3,1.004127,Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ,Hoạt động khoa học và công nghệ,Cấp tỉnh,Sở Khoa học và Công nghệ,Quyết định số 2/QĐ-UBND (ví dụ)\n"

func TestParseCSV(t *testing.T) {
	l, err := tthclist.Parse("plans/2022-tthc.csv", []byte(export))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range l.Rows {
		got = append(got, fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s|%v", r.Line, r.Code, r.Name, r.Field, r.Level, r.Agency, r.Decision, r.Extra))
	}
	want := []string{
		"4|1.002345.000.00.00.H48|Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ|Hoạt động khoa học và công nghệ|Cấp tỉnh|Sở Khoa học và Công nghệ|Quyết định số 1/QĐ-UBND (ví dụ)|[{STT 1}]",
		"5|1.005238|Cấp chứng chỉ nhân viên bức xạ cho người phụ trách an toàn|Năng lượng nguyên tử, an toàn bức xạ và hạt nhân|Cấp tỉnh|Sở Khoa học và Công nghệ|Quyết định số 1/QĐ-UBND (ví dụ)|[{STT 2}]",
		"8|1.004127|Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ|Hoạt động khoa học và công nghệ|Cấp tỉnh|Sở Khoa học và Công nghệ|Quyết định số 2/QĐ-UBND (ví dụ)|[{STT 3}]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := l.Decisions(); !slices.Equal(d, []string{"Quyết định số 1/QĐ-UBND (ví dụ)", "Quyết định số 2/QĐ-UBND (ví dụ)"}) {
		t.Errorf("decisions %q", d)
	}
	if c := l.Columns; len(c) != 7 || c[1] != "Mã thủ tục" {
		t.Errorf("columns %q", c)
	}
}

// TestLayouts: the same list through the forms people send it in.
func TestLayouts(t *testing.T) {
	semicolon := "Ma TTHC;Ten TTHC;Linh vuc;Cap thuc hien;So quyet dinh cong bo\r\n1.004127;Đăng ký kết quả;KH&CN;Cấp tỉnh;2/QĐ-UBND\r\n"
	tab := "Tên thủ tục\tGhi chú\tMã thủ tục\n\"Đăng ký kết quả\"\tkhông\t 1.001612.000.00.00.h48 \n"
	// NFD (as macOS writes it) in the header and the name.
	nfd := "Ma\u0302\u0303 thu\u0309 tu\u0323c,Te\u0302n thu\u0309 tu\u0323c\n1.004127,Đa\u0306ng ky\u0301\n"
	cases := []struct{ name, src, want string }{
		{"semicolon, no diacritics in headers, CRLF", semicolon, "2|1.004127|Đăng ký kết quả|KH&CN|2/QĐ-UBND|[]"},
		{"tab, columns in another order, lower-case province letter", tab, "2|1.001612.000.00.00.H48|Đăng ký kết quả|||[{Ghi chú không}]"},
		{"NFD", nfd, "2|1.004127|Đăng ký|||[]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := tthclist.ParseCSV("x.csv", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			r := l.Rows[0]
			got := fmt.Sprintf("%d|%s|%s|%s|%s|%v", r.Line, r.Code, r.Name, r.Field, r.Decision, r.Extra)
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	head := "Mã thủ tục,Tên thủ tục,Quyết định công bố\n"
	cases := []struct {
		name, file, src string
		want            []string
	}{
		{"no code", "a.csv", head + "1.004127,Một,QĐ\n,Hai,QĐ\n", []string{"a.csv:3: thiếu mã thủ tục"}},
		{"bad code", "a.csv", head + "1-004127,Một,QĐ\n", []string{`a.csv:2: mã thủ tục "1-004127" không đúng dạng`}},
		{"code Excel made a number", "a.csv", head + "1.00236,Một,QĐ\n", []string{`a.csv:2: mã thủ tục "1.00236" không đúng dạng`, "định dạng cột mã là Văn bản"}},
		{"no name", "a.csv", head + "1.004127,,QĐ\n", []string{"a.csv:2: thủ tục 1.004127 thiếu tên thủ tục"}},
		{"twice", "a.csv", head + "1.004127,Một,QĐ\n1.005238,Hai,QĐ\n1.004127,Ba,QĐ\n", []string{"a.csv:4: mã thủ tục 1.004127 đã có ở dòng 2"}},
		{"every bad row named", "a.csv", head + ",Một,QĐ\n1.0,Hai,QĐ\n", []string{"a.csv:2: thiếu mã thủ tục", "a.csv:3: mã thủ tục \"1.0\""}},
		{"no header", "a.csv", "Mã,Tên gọi khác\n1.004127,Một\n", []string{`a.csv: không tìm thấy dòng tiêu đề có cột "Mã thủ tục" và cột "Tên thủ tục"`}},
		{"header too far down", "a.csv", strings.Repeat("tiêu đề\n", 40) + head + "1.004127,Một,QĐ\n", []string{"a.csv: không tìm thấy dòng tiêu đề"}},
		{"empty list", "a.csv", head, []string{"a.csv: danh mục không có thủ tục nào"}},
		{"not UTF-8", "a.csv", head + "1.004127,\xd0\xe3ng k\xfd,QĐ\n", []string{"a.csv:2: tệp không phải UTF-8"}},
		{"control character", "a.csv", head + "1.004127,Một\x1b[2J,QĐ\n", []string{"a.csv:2: ô chứa ký tự điều khiển U+001B (ESC)"}},
		{"stray quote", "a.csv", head + "1.004127,Một,QĐ\n1.005238,Hai \"x\" ba,QĐ\n", []string{"a.csv:3: dấu ngoặc kép"}},
		{"other extension", "a.ods", head, []string{"a.ods: danh mục thủ tục phải là tệp .csv hoặc .xlsx"}},
		{"not a workbook", "a.xlsx", head, []string{"a.xlsx: không mở được tệp .xlsx"}},
		{"too big", "a.csv", head + strings.Repeat("x", tthclist.MaxSize), []string{"a.csv: tệp quá lớn"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := tthclist.Parse(c.file, []byte(c.src))
			if err == nil {
				t.Fatalf("accepted: %+v", l)
			}
			var errs tthclist.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T %v", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no %q in\n%v", w, err)
				}
			}
		})
	}
}

// workbook is a sheet as the database's XLSX export looks: a title row,
// a blank row, the header on row 3, a blank row inside the data.
func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		if row == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParseXLSX(t *testing.T) {
	data := workbook(t, [][]any{
		{"DANH MỤC THỦ TỤC HÀNH CHÍNH"},
		nil,
		{"STT", "Mã TTHC", "Tên TTHC", "Cấp thực hiện", "Lĩnh vực", "Cơ quan thực hiện", "Quyết định công bố"},
		{1, "1.004127", "Đăng ký kết quả thực hiện nhiệm vụ", "Cấp tỉnh", "Hoạt động KH&CN", "Sở KH&CN", "Quyết định số 1/QĐ-UBND (ví dụ)"},
		nil,
		{2, "1.005238", "Cấp chứng chỉ nhân viên bức xạ", "Cấp tỉnh", "An toàn bức xạ", "Sở KH&CN", "Quyết định số 1/QĐ-UBND (ví dụ)"},
	})
	l, err := tthclist.Parse("plans/2022-tthc.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range l.Rows {
		got = append(got, fmt.Sprintf("%d|%s|%s|%s|%s|%s|%v", r.Line, r.Code, r.Name, r.Level, r.Field, r.Agency, r.Extra))
	}
	want := []string{
		"4|1.004127|Đăng ký kết quả thực hiện nhiệm vụ|Cấp tỉnh|Hoạt động KH&CN|Sở KH&CN|[{STT 1}]",
		"6|1.005238|Cấp chứng chỉ nhân viên bức xạ|Cấp tỉnh|An toàn bức xạ|Sở KH&CN|[{STT 2}]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	bad := workbook(t, [][]any{
		{"Mã thủ tục", "Tên thủ tục"},
		{"1.004127", "Một"},
		{"1.004127", "Hai"},
		{1.00236, "Ba"}, // a code Excel turned into a number
	})
	_, err = tthclist.Parse("ds.xlsx", bad)
	for _, w := range []string{"ds.xlsx:3: mã thủ tục 1.004127 đã có ở dòng 2", `ds.xlsx:4: mã thủ tục "1.00236" không đúng dạng`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("no %q in %v", w, err)
		}
	}
}

// TestCodeShapeAgrees: a code the list accepts is one an item's code
// field accepts, and the other way round.
func TestCodeShapeAgrees(t *testing.T) {
	for _, c := range []string{"1.001193", "1.001612.000.00.00.H48", "2.000123", "1.00236", "1.001612.000.00.00.h48", "1.001612.000.00.H48", "", "1.0011930", " 1.001193"} {
		if a, b := tthclist.ValidCode(c), content.ValidProcedureCode(c); a != b {
			t.Errorf("%q: list %v, item %v", c, a, b)
		}
	}
}

// TestBounds: a list of MaxRows procedures is read in bounded time; one
// more is refused. 20,000 rows is ten times a province's whole list; the
// bound (10 s) is far above what it takes (well under a second here), so
// only a blow-up trips it.
func TestBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("Mã thủ tục,Tên thủ tục\n")
	for i := range tthclist.MaxRows {
		fmt.Fprintf(&b, "1.%06d,Thủ tục số %d\n", i, i)
	}
	start := time.Now()
	l, err := tthclist.ParseCSV("lon.csv", []byte(b.String()))
	if err != nil || len(l.Rows) != tthclist.MaxRows {
		t.Fatalf("%d rows: %v", tthclist.MaxRows, err)
	}
	d := time.Since(start)
	if d > 10*time.Second {
		t.Errorf("%d rows took %v", tthclist.MaxRows, d)
	}
	t.Logf("%d rows (%d KiB) read in %v", tthclist.MaxRows, b.Len()>>10, d.Round(time.Millisecond))
	rows := [][]any{{"Mã thủ tục", "Tên thủ tục"}}
	for i := range tthclist.MaxRows {
		rows = append(rows, []any{fmt.Sprintf("1.%06d", i), fmt.Sprintf("Thủ tục số %d", i)})
	}
	data := workbook(t, rows)
	start = time.Now()
	if l, err := tthclist.ParseXLSX("lon.xlsx", data); err != nil || len(l.Rows) != tthclist.MaxRows {
		t.Fatalf("xlsx of %d rows: %v", tthclist.MaxRows, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("xlsx of %d rows took %v", tthclist.MaxRows, d)
	} else {
		t.Logf("%d rows as XLSX (%d KiB) read in %v", tthclist.MaxRows, len(data)>>10, d.Round(time.Millisecond))
	}
	b.WriteString("1.999999,Một thủ tục nữa\n")
	if _, err := tthclist.ParseCSV("lon.csv", []byte(b.String())); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("lon.csv:%d: danh mục quá dài", tthclist.MaxRows+2)) {
		t.Errorf("one row past the limit: %v", err)
	}
}

// TestZipBomb: a real workbook whose sheet is padded to inflate to 128
// MiB (128 KiB on disk) is refused by the unzip limits, without being
// inflated.
func TestZipBomb(t *testing.T) {
	good := workbook(t, [][]any{{"Mã thủ tục", "Tên thủ tục"}, {"1.004127", "Một"}})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			data = bytes.Replace(data, []byte("<sheetData>"), append([]byte("<sheetData>"), bytes.Repeat([]byte(" "), 128<<20)...), 1)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = tthclist.Parse("bom.xlsx", b.Bytes())
	d := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "không mở được tệp .xlsx") {
		t.Errorf("a zip bomb of %d KiB: %v", b.Len()>>10, err)
	}
	// Refusing it reads the ZIP's directory only; 2 s is far above that.
	if d > 2*time.Second {
		t.Errorf("refusing it took %v", d)
	}
	t.Logf("%d KiB inflating to 128 MiB refused in %v", b.Len()>>10, d.Round(time.Millisecond))
}

// FuzzParse: any bytes, as CSV or XLSX, give a list or errors at lines
// inside the file — never a panic, never a list with a bad, blank or
// repeated code.
func FuzzParse(f *testing.F) {
	f.Add([]byte(export), false)
	f.Add([]byte("Mã thủ tục;Tên thủ tục\n1.004127;\"a\"\"b\"\n"), false)
	f.Add([]byte("Mã thủ tục,Tên thủ tục\n\"1.004127,Một\n"), false)
	f.Add(workbook(f, [][]any{{"Mã thủ tục", "Tên thủ tục"}, {"1.004127", "Một"}}), true)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "ds.csv"
		if xlsx {
			name = "ds.xlsx"
		}
		l, err := tthclist.Parse(name, data)
		if err != nil {
			var errs tthclist.Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			for _, e := range errs {
				if e.Line < 0 || (!xlsx && e.Line > lines) || e.Msg == "" {
					t.Fatalf("error outside the file: %v (%d lines)", e, lines)
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range l.Rows {
			if !tthclist.ValidCode(r.Code) || r.Name == "" || seen[r.Code] || r.Line < 1 {
				t.Fatalf("bad row %+v", r)
			}
			seen[r.Code] = true
		}
	})
}
