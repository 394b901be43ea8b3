package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// importTTHCStart is the column before the list: two procedures.
const importTTHCProcedure = `---
title: Công bố hợp chuẩn
code: "1.001193"
field: Tiêu chuẩn đo lường chất lượng
level: Cấp tỉnh
agency: Sở Khoa học và Công nghệ
date: 2026-01-05
---
## Trình tự thực hiện
`

// TestImportTTHC runs cchc import-tthc on a list with a new code, a
// changed one and an unchanged one, then on a list with bad rows.
func TestImportTTHC(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	contentDir := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(contentDir, "procedures", "cong-bo.md"), importTTHCProcedure)
	writeFile(t, filepath.Join(contentDir, "procedures", "khac.md"), strings.NewReplacer("1.001193", "1.001194", "Công bố hợp chuẩn", "Thủ tục không đổi").Replace(importTTHCProcedure))
	if code, _, stderr := run(t, nil, "import", "--data", data, contentDir); code != 0 {
		t.Fatalf("import: %d\n%s", code, stderr)
	}
	list := filepath.Join(dir, "danh-muc.csv")
	writeFile(t, list, "\ufeffDANH MỤC THỦ TỤC HÀNH CHÍNH\r\n"+
		"STT,Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan thực hiện,Quyết định công bố,Thời hạn giải quyết\r\n"+
		// Changed: the name and the agency differ, the decision is new.
		"1,1.001193,Công bố hợp chuẩn dựa trên kết quả tự đánh giá,Tiêu chuẩn đo lường chất lượng,Cấp tỉnh,Sở Khoa học và Công nghệ tỉnh Quảng Ngãi,Quyết định số 123/QĐ-UBND ngày 05/01/2026,\r\n"+
		// Unchanged (spaces and the decision cell's prose aside).
		"2,1.001194,Thủ tục  không đổi,Tiêu chuẩn đo lường chất lượng,Cấp tỉnh,Sở Khoa học và Công nghệ,,\r\n"+
		// New.
		`3,1.002345.000.00.00.H48,"Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",Hoạt động khoa học và công nghệ,Cấp tỉnh,Sở Khoa học và Công nghệ,123/QĐ-UBND,15 ngày làm việc`+"\r\n")
	code, stdout, stderr := run(t, nil, "import-tthc", "--data", data, list)
	if code != 0 {
		t.Fatalf("import-tthc: %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		list + ":5: tạo bản nháp thủ tục 1.002345.000.00.00.H48: Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
		list + ":3: thủ tục 1.001193 (/quan-tri/thu-tuc/",
		`Tên thủ tục: chuyên mục ghi "Công bố hợp chuẩn", danh mục ghi "Công bố hợp chuẩn dựa trên kết quả tự đánh giá"`,
		`Cơ quan thực hiện: chuyên mục ghi "Sở Khoa học và Công nghệ", danh mục ghi "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"`,
		`Quyết định công bố: chuyên mục ghi "", danh mục ghi "123/QĐ-UBND"`,
		"tạo bản nháp: 1, khác danh mục: 1, không đổi: 1, trong thùng rác: 0",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "1.001194") || strings.Contains(stdout, "Lĩnh vực:") {
		t.Errorf("an unchanged row or field is reported:\n%s", stdout)
	}

	env := openData(t, data)
	ctx := context.Background()
	items, err := env.Store.AllItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]*store.Item{}
	for _, it := range items {
		byCode[it.Code] = it
	}
	// Nothing overwritten.
	if it := byCode["1.001193"]; it.Title != "Công bố hợp chuẩn" || it.Agency != "Sở Khoa học và Công nghệ" || it.Decision != "" {
		t.Errorf("the existing procedure changed: %+v", it.Item)
	}
	// The new code is a draft with the row's fields.
	it := byCode["1.002345.000.00.00.H48"]
	if it == nil || it.Status != store.Draft || it.Kind != content.Procedure || it.Decision != "123/QĐ-UBND" ||
		it.ProcessingTime != "15 ngày làm việc" || it.Field != "Hoạt động khoa học và công nghệ" ||
		it.Slug != "cap-giay-chung-nhan-dang-ky-hoat-dong-khoa-hoc-va-cong-nghe" {
		t.Fatalf("new draft: %+v", it)
	}
	env.Close()

	// Run again: the draft now exists, so nothing new.
	code, stdout, _ = run(t, nil, "import-tthc", "--data", data, list)
	if code != 0 || !strings.Contains(stdout, "tạo bản nháp: 0, khác danh mục: 1, không đổi: 2") {
		t.Errorf("second run: %d\n%s", code, stdout)
	}

	// Bad rows: every one at its line, and nothing of the list used.
	bad := filepath.Join(dir, "loi.csv")
	writeFile(t, bad, "Mã thủ tục,Tên thủ tục\n1.009999,Thủ tục mới\n1.2345,Mã sai\n,Không mã\n1.009999,Lặp mã\n")
	code, stdout, stderr = run(t, nil, "import-tthc", "--data", data, bad)
	if code != 1 {
		t.Errorf("bad list: exit %d, want 1", code)
	}
	for _, want := range []string{bad + ":3: mã thủ tục \"1.2345\" không đúng dạng", bad + ":4: thiếu mã thủ tục", bad + ":5: mã thủ tục 1.009999 đã có ở dòng 2", "chưa nhập thủ tục nào"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q\n%s", want, stderr)
		}
	}
	env = openData(t, data)
	if _, err := env.Store.ItemBySlug(ctx, content.Procedure, "thu-tuc-moi"); err == nil {
		t.Error("a row of a refused list was imported")
	}
}

// TestImportTTHCXLSX reads the same kind of list from an XLSX export.
func TestImportTTHCXLSX(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	f := excelize.NewFile()
	rows := [][]any{{"Danh mục thủ tục hành chính"}, {"Mã TTHC", "Tên TTHC", "Lĩnh vực"}, {"1.001193", "Công bố hợp chuẩn", "Tiêu chuẩn"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	list := filepath.Join(dir, "ds.xlsx")
	if err := f.SaveAs(list); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, nil, "import-tthc", "--data", data, list)
	if code != 0 || !strings.Contains(stdout, list+":3: tạo bản nháp thủ tục 1.001193: Công bố hợp chuẩn") {
		t.Errorf("xlsx: %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestImportTTHCHostile refuses what is not a list before touching the data.
func TestImportTTHCHostile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	huge := filepath.Join(dir, "lon.csv")
	if err := os.WriteFile(huge, []byte(strings.Repeat("x", 11<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctrl := filepath.Join(dir, "ctrl.csv")
	writeFile(t, ctrl, "Mã thủ tục,Tên thủ tục\n1.001193,Tên\x1b[2J\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"import-tthc", "--data", data}, 2, "cần đúng một tệp"},
		{"missing", []string{"import-tthc", "--data", data, filepath.Join(dir, "khong-co.csv")}, 1, "không đọc được tệp"},
		{"a folder", []string{"import-tthc", "--data", data, dir}, 1, "không phải tệp thông thường"},
		{"a device", []string{"import-tthc", "--data", data, "/dev/zero"}, 1, "không phải tệp thông thường"},
		{"too big", []string{"import-tthc", "--data", data, huge}, 1, "tệp quá lớn"},
		{"control character", []string{"import-tthc", "--data", data, ctrl}, 1, ctrl + ":2: ô chứa ký tự điều khiển U+001B (ESC)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			code, _, stderr := run(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q\n%s", code, tt.code, tt.want, stderr)
			}
			if strings.Contains(stderr, "\x1b") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr carries a raw escape or a panic:\n%s", stderr)
			}
			// 11 MiB refused by size must not be read whole and parsed:
			// 2 s is far beyond what reading 10 MiB takes on a slow disk.
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(data, "cchc.db")); err == nil {
		t.Error("a refused list created the database")
	}
}

// openData opens the data folder dir as serve would.
func openData(t *testing.T, dir string) *app.Env {
	t.Helper()
	cfg := config.Defaults
	cfg.Data = dir
	env, err := app.Open(context.Background(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

// TestImportTTHCThousand imports a list of 1,000 procedures into an empty
// column (1,000 drafts), then again (1,000 compared, none written). The
// bounds only say "not hours" on a slow shared machine; the figures are in
// docs/RELIABILITY.md.
func TestImportTTHCThousand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var b strings.Builder
	b.WriteString("Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Cơ quan thực hiện,Quyết định công bố\n")
	const n = 1000
	for i := range n {
		fmt.Fprintf(&b, "1.%06d,Thủ tục hành chính thử số %d về hoạt động khoa học và công nghệ,Lĩnh vực %d,Cấp tỉnh,Sở Khoa học và Công nghệ,%d/QĐ-UBND\n", 100000+i, i, i%7, 1000+i%5)
	}
	list := filepath.Join(dir, "lon.csv")
	writeFile(t, list, b.String())
	start := time.Now()
	code, stdout, stderr := run(t, nil, "import-tthc", "--data", data, list)
	first := time.Since(start)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("tạo bản nháp: %d, khác danh mục: 0, không đổi: 0", n)) {
		t.Fatalf("first: %d\n%.500s\n%.500s", code, stdout, stderr)
	}
	start = time.Now()
	code, stdout, _ = run(t, nil, "import-tthc", "--data", data, list)
	second := time.Since(start)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("tạo bản nháp: 0, khác danh mục: 0, không đổi: %d", n)) {
		t.Fatalf("second: %d\n%.500s", code, stdout)
	}
	t.Logf("import-tthc of %d rows: %v creating drafts, %v comparing", n, first.Round(time.Millisecond), second.Round(time.Millisecond))
	if first > 3*time.Minute || second > time.Minute {
		t.Errorf("took %v and %v", first, second)
	}
}

// TestExportForms exports a procedure whose form came from the content
// folder: the form goes back to its path, and the export imports into an
// empty database with the same stored file.
func TestExportForms(t *testing.T) {
	ctx := context.Background()
	src := openData(t, t.TempDir())
	docx := testsupport.DOCX()
	proc := "---\ntitle: Thủ tục có mẫu\ncode: \"1.001193\"\nforms: [\"Mẫu 01 (mau/mau-01.docx)\", \"Tờ khai (https://example.gov.vn/tk.pdf)\"]\ndate: 2026-01-01\n---\n"
	if _, err := src.Publish.Import(ctx, fstest.MapFS{"procedures/co-mau.md": {Data: []byte(proc)}, "mau/mau-01.docx": {Data: docx}}, "content"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "xuat")
	if _, err := app.Export(ctx, src.Store, src.Publish.Schema(), out); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(out, "procedures", "co-mau.md"))
	if err != nil || !strings.Contains(string(written), "Mẫu 01 (mau/mau-01.docx)") || !strings.Contains(string(written), "Tờ khai (https://example.gov.vn/tk.pdf)") {
		t.Fatalf("exported file: %v\n%s", err, written)
	}
	if got, err := os.ReadFile(filepath.Join(out, "mau", "mau-01.docx")); err != nil || !bytes.Equal(got, docx) {
		t.Fatalf("exported form: %v", err)
	}
	dst := openData(t, t.TempDir())
	res, err := dst.Publish.Import(ctx, os.DirFS(out), "xuat")
	if err != nil || res.Failed != 0 {
		t.Fatalf("re-import: %v %+v", err, res)
	}
	a, _ := src.Store.ItemBySlug(ctx, "procedure", "co-mau")
	b, _ := dst.Store.ItemBySlug(ctx, "procedure", "co-mau")
	if !slices.Equal(a.Forms, b.Forms) {
		t.Errorf("forms %v, after the round trip %v", a.Forms, b.Forms)
	}
}
