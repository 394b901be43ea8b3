package app_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/internal/database"
	"cchc/internal/docx"
)

// wordFixtures holds the .docx files LibreOffice made from the sources
// beside them, and the Markdown each becomes
// (internal/docx/testdata/fixtures/README.md).
const wordFixtures = "../docx/testdata/fixtures"

func copyFixture(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportDocx runs `cchc import` on a content folder holding Word
// documents made by LibreOffice beside Markdown: a report in Unicode NFD
// with a sidecar, a table without one (its title from the document's
// properties), and files that fail alone with `path: message` or, for a
// sidecar's line, `path:line: message` — images without alt text, a
// macro-enabled document, a bad sidecar field. What goes in has the body
// the golden Markdown says; a second run changes nothing.
func TestImportDocx(t *testing.T) {
	content, data := t.TempDir(), t.TempDir()
	art := filepath.Join(content, "articles")
	writeFile(t, filepath.Join(art, "trien-khai-ke-hoach.md"), article)
	copyFixture(t, filepath.Join(wordFixtures, "report.docx"), filepath.Join(art, "bao-cao.docx"))
	writeFile(t, filepath.Join(art, "bao-cao.yaml"), "date: 2026-03-20T08:00:00+07:00\r\nsummary: Báo cáo từ tệp Word.\r\ntags: [báo cáo, Word]\r\n")
	copyFixture(t, filepath.Join(wordFixtures, "table.docx"), filepath.Join(art, "bang-so-lieu.docx"))
	copyFixture(t, filepath.Join(wordFixtures, "image.docx"), filepath.Join(art, "hinh-anh.docx"))
	copyFixture(t, "../admin/testdata/word/table.docm", filepath.Join(art, "macro.docx"))
	copyFixture(t, filepath.Join(wordFixtures, "table.docx"), filepath.Join(content, "documents", "12-kh.docx"))
	writeFile(t, filepath.Join(content, "documents", "12-kh.yaml"), "number: 12/KH-SKHCN\ntype: Kế hoạch\nissuer: Sở Khoa học và Công nghệ\nissued: 2026-03-15\nsai_truong: x\n")

	code, stdout, stderr := run(t, nil, "import", "--data", data, content)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "thêm mới: 3, cập nhật: 0, không đổi: 0, lỗi: 3") {
		t.Errorf("stdout:\n%s", stdout)
	}
	shown := filepath.ToSlash(content)
	for _, want := range []string{
		shown + "/articles/hinh-anh.docx: ảnh image2.png trong tệp Word chưa có mô tả",
		shown + "/articles/macro.docx: tệp Word có macro (.docm) không được nhận",
		shown + `/documents/12-kh.yaml:5: trường "sai_truong"`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, database.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct{ source, title, golden, summary string }{
		{"articles/bao-cao.docx", "Báo cáo cải cách hành chính", "report.md", "Báo cáo từ tệp Word."},
		{"articles/bang-so-lieu.docx", "Bảng số liệu", "table.md", ""},
	} {
		var title, body, meta string
		if err := db.QueryRow(`SELECT title, body_md, meta FROM items JOIN item_bodies ON item_id = id WHERE source_path = ?`, tc.source).Scan(&title, &body, &meta); err != nil {
			t.Errorf("%s: %v", tc.source, err)
			continue
		}
		want, err := os.ReadFile(filepath.Join(wordFixtures, tc.golden))
		if err != nil {
			t.Fatal(err)
		}
		if title != tc.title || strings.TrimSpace(body) != strings.TrimSpace(string(want)) {
			t.Errorf("%s: title %q, body\n%s\nwant %q and\n%s", tc.source, title, body, tc.title, want)
		}
		if !strings.Contains(meta, tc.summary) {
			t.Errorf("%s: meta %s lacks the sidecar's summary", tc.source, meta)
		}
	}

	code, stdout, _ = run(t, nil, "import", "--data", data, content)
	if code != 1 || !strings.Contains(stdout, "thêm mới: 0, cập nhật: 0, không đổi: 3, lỗi: 3") {
		t.Errorf("second run: exit %d\n%s", code, stdout)
	}
}

// TestImportDocxProperties: a Word document without a sidecar nor a title
// in its properties takes its first heading as title (out of the body)
// and its creation time as date.
func TestImportDocxProperties(t *testing.T) {
	content, data := t.TempDir(), t.TempDir()
	var b bytes.Buffer
	err := docx.Write(&b, &docx.Document{Props: docx.Props{Created: time.Date(2026, 3, 20, 1, 30, 0, 0, time.UTC)},
		Blocks: []docx.Block{&docx.Paragraph{Heading: 1, Runs: []docx.Run{{Text: "Tin viết bằng Word"}}}, &docx.Paragraph{Runs: []docx.Run{{Text: "Nội dung "}, {Text: "đậm", Bold: true}, {Text: "."}}}}})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(content, "articles", "tin-word.docx"), b.String())
	if code, stdout, stderr := run(t, nil, "import", "--data", data, content); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, database.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var title, body, slug string
	var published int64
	if err := db.QueryRow(`SELECT title, body_md, slug, published_at FROM items JOIN item_bodies ON item_id = id WHERE source_path = 'articles/tin-word.docx'`).Scan(&title, &body, &slug, &published); err != nil {
		t.Fatal(err)
	}
	if title != "Tin viết bằng Word" || strings.TrimSpace(body) != "Nội dung **đậm**." || slug != "tin-word" {
		t.Errorf("title %q, slug %q, body %q", title, slug, body)
	}
	if got := time.Unix(published, 0).UTC(); !got.Equal(time.Date(2026, 3, 20, 1, 30, 0, 0, time.UTC)) {
		t.Errorf("published %v, want the document's creation time", got)
	}
}
