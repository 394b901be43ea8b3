package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"cchc/internal/database"
	"cchc/internal/store"
)

// compactArticle is an article of a generated tree; v changes its body
// between two imports.
func compactArticle(i, v int) string {
	return fmt.Sprintf("---\ntitle: Bài cải cách hành chính số %d\ndate: 2022-03-%02dT08:00:00+07:00\n---\nNội dung thủ tục hành chính số %d, lần sửa %d.\n", i, 1+i%28, i, v)
}

// searchSegments opens data's database read-only and counts the segments
// of its two full-text indexes.
func searchSegments(t *testing.T, data string) (int, int) {
	t.Helper()
	db, err := database.OpenReadOnly(context.Background(), filepath.Join(data, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	text, titles, err := store.New(db).SearchSegments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return text, titles
}

// TestImportCompactsRewrittenIndex: `cchc import` of a tree whose items
// were all changed (each written again in the index: its old entry stays,
// masked, until FTS5 merges segments) leaves each full-text index in one
// segment, as a search walks it fastest; an import changing one item of
// many leaves the index as it was merged.
func TestImportCompactsRewrittenIndex(t *testing.T) {
	content := contentDir(t)
	writeFile(t, filepath.Join(content, "agencies", "so-tu-phap", "agency.yaml"),
		"name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: Sở Tư pháp\nprefix: /so-tu-phap\n")
	const n = 40
	write := func(v int, only int) {
		for i := range n {
			if only < 0 || i == only {
				writeFile(t, filepath.Join(content, "agencies", "so-tu-phap", "articles", fmt.Sprintf("bai-%02d.md", i)), compactArticle(i, v))
			}
		}
	}
	write(1, -1)
	data := t.TempDir()
	if code, out, errs := run(t, nil, "import", "--data", data, content); code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	// Every article changed: 40 of 43 items written again.
	write(2, -1)
	if code, out, errs := run(t, nil, "import", "--data", data, content); code != 0 {
		t.Fatalf("import again: %d\n%s\n%s", code, out, errs)
	}
	if text, titles := searchSegments(t, data); text != 1 || titles != 1 {
		t.Errorf("after an import that rewrote every article: %d segments in search, %d in search_title, want 1 and 1", text, titles)
	}
	// One changed of 43 (2%, under 1 in 20): no merge, a new segment.
	write(3, 7)
	if code, out, errs := run(t, nil, "import", "--data", data, content); code != 0 {
		t.Fatalf("import of one change: %d\n%s\n%s", code, out, errs)
	}
	if text, _ := searchSegments(t, data); text < 2 {
		t.Errorf("after an import of one change in 43 items: %d segments in search, want the new one beside the merged one", text)
	}
	// reindex writes every entry again, and merges.
	if code, out, errs := run(t, nil, "reindex", "--data", data); code != 0 {
		t.Fatalf("reindex: %d\n%s\n%s", code, out, errs)
	}
	if text, titles := searchSegments(t, data); text != 1 || titles != 1 {
		t.Errorf("after reindex: %d segments in search, %d in search_title, want 1 and 1", text, titles)
	}
}
