package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/database"
)

// asideLeft lists the files of a database built aside left in data.
func asideLeft(t *testing.T, data string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(data, "."+database.FileName+".*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// bigTree is contentDir with n more articles.
func bigTree(t *testing.T, n int) string {
	content := contentDir(t)
	for i := range n {
		writeFile(t, filepath.Join(content, "articles", fmt.Sprintf("bai-%03d.md", i)),
			strings.Replace(article, "title: ", fmt.Sprintf("slug: bai-%03d\ntitle: Bài %d — ", i, i), 1))
	}
	return content
}

// dump is what data's database holds, without what differs between two
// imports of the same tree (times, random ids, hashes over them): the
// row count of every table but the search index's own, each item's
// public fields, its areas, and the log's rows.
func dump(t *testing.T, data string) string {
	t.Helper()
	db, err := database.OpenReadOnly(context.Background(), filepath.Join(data, database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	rows := func(q string) {
		rs, err := db.Read.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rs.Close()
		cols, _ := rs.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%q ", v.String)
			}
			b.WriteByte('\n')
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var tables []string
	rs, err := db.Read.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'search%' AND name NOT LIKE 'sqlite%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var n string
		if err := rs.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range append(tables, "search", "search_title") {
		fmt.Fprintf(&b, "%s: ", n)
		rows(fmt.Sprintf(`SELECT COUNT(*) FROM %q`, n))
	}
	rows(`SELECT kind, slug, status, title, number, code, body_md, body_html, body_text, content_hash, live, public, agency_id FROM items JOIN item_bodies ON item_id = id ORDER BY kind, slug`)
	rows(`SELECT i.slug, a.area FROM item_areas a JOIN items i ON i.id = a.item_id ORDER BY 1, 2`)
	rows(`SELECT seq, type, kind, ref, title, url, imported FROM publog ORDER BY agency_id, seq`)
	rows(`SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name`)
	return b.String()
}

// TestImportIntoNewFolder: `cchc import` into a data folder without a
// database builds it aside and installs it (nothing else left, the file
// in the WAL like any other); it holds what an import into an empty
// database opened in place holds, and later imports write into it in
// place.
func TestImportIntoNewFolder(t *testing.T) {
	content := bigTree(t, 40)
	fresh, inPlace := t.TempDir(), t.TempDir()
	if code, out, errs := run(t, nil, "import", "--data", fresh, content); code != 0 || !strings.Contains(out, "thêm mới: 43,") {
		t.Fatalf("import into a new folder: %d\n%s\n%s", code, out, errs)
	}
	if left := asideLeft(t, fresh); len(left) != 0 {
		t.Errorf("left after the import: %v", left)
	}
	db, err := database.Open(t.Context(), filepath.Join(inPlace, database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, errs := run(t, nil, "import", "--data", inPlace, content); code != 0 || !strings.Contains(out, "thêm mới: 43,") {
		t.Fatalf("import into an empty database: %d\n%s\n%s", code, out, errs)
	}
	if a, b := dump(t, fresh), dump(t, inPlace); a != b {
		t.Errorf("built aside and in place differ:\naside:\n%s\nin place:\n%s", a, b)
	}
	ro, err := sql.Open("sqlite", "file:"+filepath.Join(fresh, database.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := ro.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	ro.Close()
	writeFile(t, filepath.Join(content, "articles", "bai-000.md"), strings.Replace(article, "title: ", "slug: bai-000\ntitle: Bài 0 đã sửa — ", 1))
	if code, out, errs := run(t, nil, "import", "--data", fresh, content); code != 0 || !strings.Contains(out, "cập nhật: 1, không đổi: 42") {
		t.Fatalf("import again: %d\n%s\n%s", code, out, errs)
	}
	if left := asideLeft(t, fresh); len(left) != 0 {
		t.Errorf("left after the second import: %v", left)
	}
}

// whenAsideHolds calls fn, once, as soon as the database an import is
// building aside in data holds a first item, from a goroutine that looks
// every millisecond; stop ends the looking and waits for it.
func whenAsideHolds(t *testing.T, data string, fn func()) (stop func()) {
	t.Helper()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		aside := filepath.Join(data, "."+database.FileName+".dang-nhap")
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
			ro, err := sql.Open("sqlite", "file:"+aside+"?mode=ro&_pragma=busy_timeout(10000)")
			if err != nil {
				continue
			}
			var n int
			err = ro.QueryRow("SELECT COUNT(*) FROM items").Scan(&n)
			ro.Close()
			if err == nil && n > 0 {
				fn()
				return
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// TestImportIntoNewFolderTaken: a database created in the folder while
// an import builds its own aside (a `cchc serve` started meanwhile) is
// kept as it is; the import says so in Vietnamese, asks to be run again,
// exits 1 and deletes what it built.
func TestImportIntoNewFolderTaken(t *testing.T) {
	content := bigTree(t, 400)
	data := t.TempDir()
	var created error
	stop := whenAsideHolds(t, data, func() {
		db, err := database.Open(context.Background(), filepath.Join(data, database.FileName))
		if err == nil {
			err = db.Close()
		}
		created = err
	})
	code, out, errs := run(t, nil, "import", "--data", data, content)
	stop()
	if created != nil {
		t.Fatalf("the database meanwhile: %v", created)
	}
	if code != 1 || !strings.Contains(errs, "một tiến trình khác") || !strings.Contains(errs, "Hãy chạy lại lệnh nhập") {
		t.Fatalf("exit %d, want 1 and the message; stdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if left := asideLeft(t, data); len(left) != 0 {
		t.Errorf("left after a refused install: %v", left)
	}
	db, err := database.OpenReadOnly(context.Background(), filepath.Join(data, database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Read.QueryRow(`SELECT COUNT(*) FROM items`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the database made meanwhile holds %d items (%v), want it as it was: 0", n, err)
	}
}

// TestImportIntoNewFolderStopped: an import into a new folder stopped
// half way (its context ends after the first items were written aside)
// leaves no database, and the next import builds it whole.
func TestImportIntoNewFolderStopped(t *testing.T) {
	content := bigTree(t, 400)
	data := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// Cancel once the database aside holds a first item.
	stop := whenAsideHolds(t, data, cancel)
	var stdout, stderr strings.Builder
	code := app.Run(ctx, []string{"import", "--data", data, content}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	stop()
	if code == 0 {
		t.Fatalf("the import was not stopped: %s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(data, database.FileName)); !os.IsNotExist(err) {
		t.Errorf("a database is in the folder after a stopped import: %v", err)
	}
	if left := asideLeft(t, data); len(left) != 0 {
		t.Errorf("left after a stopped import: %v", left)
	}
	if code, out, errs := run(t, nil, "import", "--data", data, content); code != 0 || !strings.Contains(out, "thêm mới: 403,") {
		t.Fatalf("the import after: %d\n%s\n%s", code, out, errs)
	}
}

// TestImportsIntoNewFolderAtOnce: four `cchc import` of one tree into one
// new data folder at once: the first to hold the folder's lock builds
// the database, the others then find it and change nothing.
func TestImportsIntoNewFolderAtOnce(t *testing.T) {
	content := bigTree(t, 20)
	data := t.TempDir()
	const n = 4
	codes, outs, errs := make([]int, n), make([]string, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { codes[i], outs[i], errs[i] = run(t, nil, "import", "--data", data, content) })
	}
	wg.Wait()
	added := 0
	for i := range n {
		if codes[i] != 0 {
			t.Errorf("import %d: exit %d: %s", i, codes[i], errs[i])
		}
		if strings.Contains(outs[i], "thêm mới: 23,") {
			added++
		} else if !strings.Contains(outs[i], "thêm mới: 0, cập nhật: 0, không đổi: 23") {
			t.Errorf("import %d: %s", i, outs[i])
		}
	}
	if added != 1 {
		t.Errorf("%d imports added the tree, want 1", added)
	}
	if left := asideLeft(t, data); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
}
