package publish_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/unicode/norm"

	demo "cchc/content"
	"cchc/internal/content"
	"cchc/internal/markdown"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// env is a service over a fresh migrated database, with a clock the test
// moves by hand.
type env struct {
	st  *store.Store
	svc *publish.Service
	db  *sql.DB
	now time.Time
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	db := testsupport.Database(tb)
	e := &env{st: store.New(db), db: db.Read, now: time.Date(2022, 12, 1, 2, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return e.now }
	e.svc = publish.New(e.st, markdown.New(), publog.New(e.st, clock), e.st, clock, nil)
	return e
}

func (e *env) importFS(tb testing.TB, fsys fs.FS) *publish.ImportResult {
	tb.Helper()
	res, err := e.svc.Import(context.Background(), fsys, "content")
	if err != nil {
		tb.Fatalf("Import: %v", err)
	}
	return res
}

func (e *env) count(tb testing.TB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := e.db.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

func (e *env) str(tb testing.TB, query string, args ...any) string {
	tb.Helper()
	var s string
	if err := e.db.QueryRow(query, args...).Scan(&s); err != nil {
		tb.Fatalf("%s %v: %v", query, args, err)
	}
	return s
}

// A small plan with two areas, so that area checks have something to say.
const testPlan = `number: 272/KH-SKHCN
title: Kế hoạch tuyên truyền cải cách hành chính năm 2022
issued: 2022-03-15
year: 2022
areas:
  - {id: II.1, title: Văn bản chỉ đạo}
  - {id: II.2.a, title: "Công tác chỉ đạo, điều hành"}
items:
  - {id: III.1, title: Mở mục tuyên truyền, tracked: true, targets: {articles_per_month: 2}}
  - {id: III.2, title: Đăng tải công khai, tracked: true}
`

const (
	goodArticle = `---
title: Sở triển khai Kế hoạch tuyên truyền
date: 2022-03-20T08:00:00+07:00
areas: [II.1]
---
Nội dung bài viết.
`
	goodProcedure = `---
title: Công bố hợp chuẩn
code: 1.001193
online: một phần
date: 2022-02-01
---
## Trình tự thực hiện
`
	goodDocument = `---
number: 1256/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh Quảng Ngãi
issued: 2021-12-22
title: Ban hành Kế hoạch cải cách hành chính
date: 2022-01-24
---
`
)

// tree builds a content tree with the test plan and files (path → text).
func tree(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{"plans/2022.yaml": {Data: []byte(testPlan)}}
	for p, s := range files {
		m[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return m
}

// demoCounts counts the content files and plans of the demo tree.
func demoCounts(t *testing.T) (items, plans int) {
	t.Helper()
	err := fs.WalkDir(testsupport.DemoRoot(t), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasSuffix(p, ".md") && !strings.HasPrefix(p, "plans/"):
			items++
		case strings.HasPrefix(p, "plans/") && strings.HasSuffix(p, ".yaml"):
			plans++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return items, plans
}

func TestImportDemo(t *testing.T) {
	e := newEnv(t)
	items, plans := demoCounts(t)
	if items < 50 || plans != 1 {
		t.Fatalf("demo tree has %d items and %d plans; the walk is wrong", items, plans)
	}
	res := e.importFS(t, testsupport.DemoRoot(t))
	if res.Added != items+plans || res.Failed != 0 || res.Updated != 0 || res.Unchanged != 0 || len(res.Errors) != 0 {
		t.Fatalf("first import: added %d updated %d unchanged %d failed %d, want %d added; errors: %v",
			res.Added, res.Updated, res.Unchanged, res.Failed, items+plans, res.Errors)
	}
	// The demo is what a newcomer sees first: every number it cites must be
	// in its own registry, so its import warns about nothing.
	for _, w := range res.Warnings {
		t.Errorf("demo import warns: %v", w)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items`); n != items {
		t.Errorf("items in the database = %d, want %d", n, items)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM revisions`); n != items {
		t.Errorf("revisions = %d, want one per item (%d)", n, items)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM plans`); n != plans {
		t.Errorf("plans = %d, want %d", n, plans)
	}

	revisions := e.count(t, `SELECT COUNT(*) FROM revisions`)
	before := e.modified(t)
	e.now = e.now.Add(time.Hour) // a rewrite would show in modified_at
	res = e.importFS(t, testsupport.DemoRoot(t))
	if res.Added != 0 || res.Updated != 0 || res.Failed != 0 || res.Unchanged != items+plans {
		t.Errorf("second import: added %d updated %d unchanged %d failed %d, want all %d unchanged",
			res.Added, res.Updated, res.Unchanged, res.Failed, items+plans)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM revisions`); n != revisions {
		t.Errorf("revisions after a second import = %d, want %d", n, revisions)
	}
	if after := e.modified(t); !maps(before, after) {
		t.Errorf("modified_at changed on an import of unchanged files")
	}
}

// modified maps item id → modified_at.
func (e *env) modified(t *testing.T) map[int64]int64 {
	t.Helper()
	rows, err := e.db.Query(`SELECT id, modified_at FROM items`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[int64]int64{}
	for rows.Next() {
		var id, mod int64
		if err := rows.Scan(&id, &mod); err != nil {
			t.Fatal(err)
		}
		m[id] = mod
	}
	return m
}

func maps(a, b map[int64]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestImportChangedFile(t *testing.T) {
	e := newEnv(t)
	files := map[string]string{"articles/tin.md": goodArticle, "procedures/hop-chuan.md": goodProcedure}
	if res := e.importFS(t, tree(files)); res.Added != 3 || res.Failed != 0 {
		t.Fatalf("first import: %+v", res)
	}
	first := e.now
	e.now = e.now.Add(time.Hour)
	files["articles/tin.md"] = strings.Replace(goodArticle, "Nội dung bài viết.", "Nội dung **đã sửa** của bài viết.", 1)
	res := e.importFS(t, tree(files))
	if res.Added != 0 || res.Updated != 1 || res.Unchanged != 2 || res.Failed != 0 {
		t.Errorf("second import: added %d updated %d unchanged %d failed %d, want 0/1/2/0", res.Added, res.Updated, res.Unchanged, res.Failed)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM revisions`); n != 3 {
		t.Errorf("revisions = %d, want 3 (two items, one of them revised)", n)
	}
	id := e.count(t, `SELECT id FROM items WHERE source_path = 'articles/tin.md'`)
	if n := e.count(t, `SELECT MAX(n) FROM revisions WHERE item_id = ?`, id); n != 2 {
		t.Errorf("revisions of the changed item = %d, want 2", n)
	}
	html := e.str(t, `SELECT body_html FROM items JOIN item_bodies ON item_id = id WHERE id = ?`, id)
	if !strings.Contains(html, "<strong>đã sửa</strong>") {
		t.Errorf("body_html = %q, want the new text", html)
	}
	if got := e.count(t, `SELECT modified_at FROM items WHERE id = ?`, id); int64(got) != e.now.Unix() {
		t.Errorf("modified_at = %d, want %d", got, e.now.Unix())
	}
	if got := e.count(t, `SELECT modified_at FROM items WHERE source_path = 'procedures/hop-chuan.md'`); int64(got) != first.Unix() {
		t.Errorf("unchanged procedure was rewritten: modified_at %d, want %d", got, first.Unix())
	}
}

func TestImportBadFile(t *testing.T) {
	good := map[string]string{
		"articles/tin.md":           goodArticle,
		"procedures/hop-chuan.md":   goodProcedure,
		"documents/1256-qd-ubnd.md": goodDocument,
	}
	tests := []struct {
		name   string
		path   string
		src    string
		line   int
		phrase string
	}{
		{"bad yaml", "articles/bad.md", "---\ntitle: Tin\nsummary: \"chưa đóng\n---\n", 3, "YAML không hợp lệ"},
		{"unknown field", "articles/bad.md", "---\ntitle: Tin\nauthor: A\nnguoi_viet: B\n---\n", 4, `trường "nguoi_viet" không dùng cho tin, bài`},
		{"duplicate key", "articles/bad.md", "---\ntitle: Tin\ntitle: Tin 2\n---\n", 3, "khai báo hai lần"},
		{"missing title", "articles/bad.md", "---\nsummary: Tóm tắt\n---\n", 1, `thiếu trường bắt buộc "title"`},
		{"bad date", "articles/bad.md", "---\ntitle: Tin\ndate: 31/02/2022\n---\n", 3, "không có thật"},
		{"wrong type", "articles/bad.md", "---\ntitle: Tin\ndraft: có\n---\n", 3, "true hoặc false"},
		{"invalid utf-8", "articles/bad.md", "---\ntitle: Tin\n---\nDòng 4\nVi\xeat\n", 5, "UTF-8"},
		{"no front matter", "articles/bad.md", "Chỉ có thân bài\n", 1, "thiếu phần khai báo"},
		{"empty file", "articles/bad.md", "", 1, "tệp trống"},
		{"area not in plan", "articles/bad.md", "---\ntitle: Tin\nareas: [II.1, II.4]\n---\n", 3, `"II.4" không có trong kế hoạch nào (có: II.1, II.2.a)`},
		{"bad procedure code", "procedures/bad.md", "---\ntitle: Thủ tục\ncode: H48\n---\n", 3, "mã thủ tục"},
		{"bad document number", "documents/bad.md", "---\nnumber: 15/3/2022\ntype: Quyết định\nissuer: UBND\nissued: 2022-03-15\ntitle: X\n---\n", 2, "số ký hiệu"},
		{"100k-column table", "articles/bad.md", "---\ntitle: Tin\n---\n|" + strings.Repeat("a|", 100000) + "\n|" + strings.Repeat("-|", 100000) + "\n", 5,
			"bảng có 100.000 cột (giới hạn 64 cột)"},
		{"10k headings", "articles/bad.md", "---\ntitle: Tin\n---\n" + strings.Repeat("# a\n", 10000), 2004,
			"nội dung có quá 2.000 tiêu đề (giới hạn 2.000 tiêu đề)"},
		{"missing attachment", "documents/bad.md", "---\nnumber: 34/KH-UBND\ntype: Kế hoạch\nissuer: UBND\nissued: 2022-03-03\ntitle: X\nfile: files/34.pdf\n---\n", 7, `không tìm thấy tệp đính kèm "files/34.pdf"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			files := map[string]string{tt.path: tt.src}
			for p, s := range good {
				files[p] = s
			}
			res := e.importFS(t, tree(files))
			if res.Failed != 1 || res.Added != len(good)+1 {
				t.Errorf("added %d failed %d, want %d and 1; errors: %v", res.Added, res.Failed, len(good)+1, res.Errors)
			}
			prefix := fmt.Sprintf("content/%s:%d: ", tt.path, tt.line)
			if !slices.ContainsFunc(res.Errors, func(e *content.Error) bool {
				return strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.phrase)
			}) {
				t.Errorf("errors %v, want one starting with %q containing %q", res.Errors, prefix, tt.phrase)
			}
			for _, err := range res.Errors {
				if !strings.HasPrefix(err.Path, "content/"+tt.path) {
					t.Errorf("error about a good file: %v", err)
				}
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items WHERE source_path = ?`, tt.path); n != 0 {
				t.Errorf("the bad file left %d rows", n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items`); n != len(good) {
				t.Errorf("items = %d, want %d", n, len(good))
			}
			if n := e.count(t, `SELECT COUNT(*) FROM revisions`); n != len(good) {
				t.Errorf("revisions = %d, want %d", n, len(good))
			}
		})
	}
}

func TestImportDuplicates(t *testing.T) {
	doc := func(number string) string {
		return "---\nnumber: " + number + "\ntype: Quyết định\nissuer: UBND tỉnh\nissued: 2021-12-22\ntitle: Kế hoạch CCHC\n---\n"
	}
	proc := func(title string) string {
		return "---\ntitle: " + title + "\ncode: 1.001612.000.00.00.H48\n---\n"
	}
	tests := []struct {
		name          string
		first, second map[string]string // second is imported with first still present
		path          string
		line          int
		phrase        string
	}{
		{
			"same slug in one import", nil,
			map[string]string{
				"articles/a.md": "---\ntitle: Tin A\nslug: tin-trung\n---\n",
				"articles/b.md": "---\ntitle: Tin B\nslug: tin-trung\n---\n",
			},
			"articles/b.md", 3, `slug "tin-trung" đã được dùng ở tệp content/articles/a.md`,
		},
		{
			"same number written differently", nil,
			map[string]string{"documents/a.md": doc("1256/QĐ-UBND"), "documents/b.md": doc("1256/QD-UBND")},
			"documents/b.md", 2, `số ký hiệu "1256/QD-UBND" đã có ở tệp content/documents/a.md`,
		},
		{
			"same procedure code", nil,
			map[string]string{"procedures/a.md": proc("Thủ tục A"), "procedures/b.md": proc("Thủ tục B")},
			"procedures/b.md", 3, `mã thủ tục "1.001612.000.00.00.H48" đã có ở tệp content/procedures/a.md`,
		},
		{
			"slug taken in an earlier import",
			map[string]string{"articles/a.md": "---\ntitle: Tin A\nslug: tin-trung\n---\n"},
			map[string]string{"articles/b.md": "---\ntitle: Tin B\nslug: tin-trung\n---\n"},
			"articles/b.md", 3, `slug "tin-trung" đã được dùng`,
		},
		{
			"number taken in an earlier import",
			map[string]string{"documents/a.md": doc("1256/QĐ-UBND")},
			map[string]string{"documents/b.md": doc("1256 / qđ - ubnd")},
			"documents/b.md", 2, "đã có",
		},
		{
			"code taken in an earlier import",
			map[string]string{"procedures/a.md": proc("Thủ tục A")},
			map[string]string{"procedures/b.md": proc("Thủ tục B")},
			"procedures/b.md", 3, "mã thủ tục",
		},
		{
			// The stored item is edited in the same import as a new file
			// that takes its slug: the new file is the duplicate.
			"slug of an item changed in the same import",
			map[string]string{"articles/b.md": "---\ntitle: Tin B\nslug: tin-trung\n---\n"},
			map[string]string{
				"articles/a.md": "---\ntitle: Tin A\nslug: tin-trung\n---\n",
				"articles/b.md": "---\ntitle: Tin B đã sửa\nslug: tin-trung\n---\n",
			},
			"articles/a.md", 3, `slug "tin-trung" đã được dùng`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			all := map[string]string{}
			if tt.first != nil {
				if res := e.importFS(t, tree(tt.first)); res.Failed != 0 {
					t.Fatalf("first import failed: %v", res.Errors)
				}
				for p, s := range tt.first {
					all[p] = s
				}
			}
			for p, s := range tt.second {
				all[p] = s
			}
			res := e.importFS(t, tree(all))
			if res.Failed != 1 {
				t.Errorf("failed = %d, want 1; errors: %v", res.Failed, res.Errors)
			}
			prefix := fmt.Sprintf("content/%s:%d: ", tt.path, tt.line)
			if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), prefix) || !strings.Contains(res.Errors[0].Msg, tt.phrase) {
				t.Errorf("errors %v, want one starting with %q containing %q", res.Errors, prefix, tt.phrase)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items WHERE source_path = ?`, tt.path); n != 0 {
				t.Errorf("the duplicate left %d rows", n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items`); n != 1 {
				t.Errorf("items = %d, want 1", n)
			}
		})
	}
}

func TestImportClaims(t *testing.T) {
	doc := func(number, slug string) string {
		return "---\nnumber: " + number + "\ntype: Quyết định\nissuer: UBND tỉnh\nissued: 2021-12-22\ntitle: Kế hoạch\nslug: " + slug + "\n---\n"
	}
	tests := []struct {
		name          string
		first, second map[string]string
		items         int
		failed        []string // content paths that fail
	}{
		{
			// A stored item moves to a new slug while a new file takes its
			// old one: both go in.
			"slug handed over",
			map[string]string{"articles/b.md": "---\ntitle: Tin B\nslug: tin-cu\ndate: 2022-05-01\n---\n"},
			map[string]string{
				"articles/a.md": "---\ntitle: Tin A\nslug: tin-cu\ndate: 2022-06-01\n---\n",
				"articles/b.md": "---\ntitle: Tin B\nslug: tin-moi\ndate: 2022-05-01\n---\n",
			},
			2, nil,
		},
		{
			// b fails on its number; the slug it asked for stays free for c.
			"failed file holds nothing",
			nil,
			map[string]string{
				"documents/a.md": doc("1256/QĐ-UBND", "van-ban-a"),
				"documents/b.md": doc("1256/QD-UBND", "van-ban-b"),
				"documents/c.md": doc("34/KH-UBND", "van-ban-b"),
			},
			2, []string{"content/documents/b.md"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.first != nil {
				if res := e.importFS(t, tree(tt.first)); res.Failed != 0 {
					t.Fatalf("first import: %v", res.Errors)
				}
			}
			res := e.importFS(t, tree(tt.second))
			var failed []string
			for _, err := range res.Errors {
				failed = append(failed, err.Path)
			}
			if !slices.Equal(failed, tt.failed) || res.Failed != len(tt.failed) {
				t.Errorf("failed %d: %v, want %q", res.Failed, res.Errors, tt.failed)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items`); n != tt.items {
				t.Errorf("items = %d, want %d", n, tt.items)
			}
		})
	}
}

func TestImportVisibility(t *testing.T) {
	e := newEnv(t)
	res := e.importFS(t, tree(map[string]string{
		"articles/cong-khai.md": goodArticle,
		"articles/nhap.md":      "---\ntitle: Bản nháp\ndate: 2022-05-01\ndraft: true\n---\n",
		"articles/hen-gio.md":   "---\ntitle: Bài hẹn giờ\ndate: 2027-03-20T08:00:00+07:00\n---\n",
		"documents/sap-toi.md":  strings.Replace(goodDocument, "date: 2022-01-24", "date: 2023-01-01", 1),
	}))
	if res.Added != 5 || res.Failed != 0 {
		t.Fatalf("import: %+v", res)
	}
	items, total, err := e.st.PublicItems(context.Background(), store.PublicQuery{Now: e.now, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, it := range items {
		slugs = append(slugs, string(it.Kind)+"/"+it.Slug)
	}
	if total != 1 || !slices.Equal(slugs, []string{"article/cong-khai"}) {
		t.Errorf("public items = %q (total %d), want only article/cong-khai", slugs, total)
	}
	tests := []struct {
		slug   string
		kind   content.Kind
		status store.Status
		public bool
	}{
		{"cong-khai", content.Article, store.Published, true},
		{"nhap", content.Article, store.Draft, false},
		{"hen-gio", content.Article, store.Published, false},
		{"sap-toi", content.Document, store.Published, false},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			it, err := e.st.ItemBySlug(context.Background(), tt.kind, tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			if it.Status != tt.status || it.Visible(e.now) != tt.public {
				t.Errorf("status %q public %v, want %q %v", it.Status, it.Visible(e.now), tt.status, tt.public)
			}
		})
	}
}

func TestImportSlug(t *testing.T) {
	tests := []struct {
		name string
		path string
		src  string
		kind content.Kind
		want string
	}{
		{"file name when no slug", "articles/tin-ngan.md", "---\ntitle: Một tiêu đề rất dài về cải cách hành chính\n---\n", content.Article, "tin-ngan"},
		{"explicit slug wins", "articles/ten-tep.md", "---\ntitle: Tiêu đề\nslug: slug-rieng\n---\n", content.Article, "slug-rieng"},
		{"title when the file name is no slug", "articles/Tin_Moi.md", "---\ntitle: Đẩy mạnh ứng dụng\n---\n", content.Article, "day-manh-ung-dung"},
		{"document file name", "documents/qd-1256.md", goodDocument, content.Document, "qd-1256"},
		{"document number when the file name is no slug", "documents/QĐ 1256.md", goodDocument, content.Document, "1256-qd-ubnd"},
		{"procedure file name", "procedures/hop-chuan.md", goodProcedure, content.Procedure, "hop-chuan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if res := e.importFS(t, tree(map[string]string{tt.path: tt.src})); res.Added != 2 || res.Failed != 0 {
				t.Fatalf("import: added %d failed %d: %v", res.Added, res.Failed, res.Errors)
			}
			got := e.str(t, `SELECT kind || '/' || slug FROM items WHERE source_path = ?`, tt.path)
			if want := string(tt.kind) + "/" + tt.want; got != want {
				t.Errorf("slug = %q, want %q", got, want)
			}
		})
	}
}

func TestImportReferences(t *testing.T) {
	e := newEnv(t)
	article := `---
title: Tin
date: 2022-03-20
areas: [II.1]
---
Thực hiện Quyết định số 1256/QĐ-UBND của UBND tỉnh.

Và Kế hoạch số 999/KH-UBND chưa có trong danh mục.
`
	res := e.importFS(t, tree(map[string]string{
		"articles/tin.md":           article,
		"documents/1256-qd-ubnd.md": goodDocument,
	}))
	if res.Added != 3 || res.Failed != 0 {
		t.Fatalf("import: %+v", res)
	}
	html := e.str(t, `SELECT body_html FROM items JOIN item_bodies ON item_id = id WHERE source_path = 'articles/tin.md'`)
	if !strings.Contains(html, `class="vb-ref"`) || !strings.Contains(html, `href="/van-ban/1256-qd-ubnd"`) {
		t.Errorf("body_html = %q, want a vb-ref link to /van-ban/1256-qd-ubnd", html)
	}
	if strings.Contains(html, `999/KH-UBND</a>`) {
		t.Errorf("unknown number was linked: %q", html)
	}
	// The body starts on file line 6; the unknown number is on its line 3.
	const want = "content/articles/tin.md:8: cảnh báo: văn bản 999/KH-UBND chưa có trong danh mục"
	if !slices.ContainsFunc(res.Warnings, func(w *content.Error) bool { return strings.HasPrefix(w.Error(), want) }) {
		t.Errorf("warnings %v, want one starting with %q", res.Warnings, want)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "1256/QĐ-UBND") {
			t.Errorf("warning about a number in the registry: %v", w)
		}
	}
}

func TestImportNFD(t *testing.T) {
	e := newEnv(t)
	src := norm.NFD.String("---\ntitle: Thủ tục công bố hợp chuẩn\ncode: 1.001193\nfield: Tiêu chuẩn đo lường chất lượng\n---\n## Thành phần hồ sơ\n\nBản chính giấy tờ.\n")
	if src == norm.NFC.String(src) {
		t.Fatal("test input is not NFD")
	}
	if res := e.importFS(t, tree(map[string]string{"procedures/cong-bo.md": src})); res.Added != 2 || res.Failed != 0 {
		t.Fatalf("import: %+v", res)
	}
	it, err := e.st.ItemBySlug(context.Background(), content.Procedure, "cong-bo")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"title", it.Title, "Thủ tục công bố hợp chuẩn"},
		{"field", it.Field, "Tiêu chuẩn đo lường chất lượng"},
		{"body", it.Body, "## Thành phần hồ sơ\n\nBản chính giấy tờ.\n"},
		{"title column", e.str(t, `SELECT title FROM items WHERE id = ?`, it.ID), "Thủ tục công bố hợp chuẩn"},
		{"revision title", e.str(t, `SELECT title FROM revisions WHERE item_id = ?`, it.ID), "Thủ tục công bố hợp chuẩn"},
	}
	for _, c := range checks {
		if c.got != c.want || !norm.NFC.IsNormalString(c.got) {
			t.Errorf("%s = %+q, want NFC %+q", c.name, c.got, c.want)
		}
	}
	if html := it.HTML; !strings.Contains(html, "Thành phần hồ sơ") || !norm.NFC.IsNormalString(html) {
		t.Errorf("body_html not NFC: %+q", html)
	}
}

func BenchmarkImportOne(b *testing.B) {
	e := newEnv(b)
	if res := e.importFS(b, testsupport.DemoRoot(b)); res.Failed != 0 {
		b.Fatalf("demo import: %v", res.Errors)
	}
	base, err := fs.ReadFile(demo.FS, "articles/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022.md")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		fsys := fstest.MapFS{"articles/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022.md": {
			Data: fmt.Appendf(append([]byte(nil), base...), "\nLần sửa %d.\n", i),
		}}
		res, err := e.svc.Import(ctx, fsys, "content")
		if err != nil {
			b.Fatal(err)
		}
		if res.Updated != 1 {
			b.Fatalf("iteration %d: %+v", i, res)
		}
	}
}
