package store_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/store"
)

// bodyCopies counts, by raw SQL, where an item's body is stored: the
// revisions holding a copy of it, and whether the search index keeps
// text of its own.
func bodyCopies(t *testing.T, db *database.DB, id int64) (revCopies int, ftsText string) {
	t.Helper()
	if err := db.Read.QueryRow(`SELECT COUNT(*) FROM revisions WHERE item_id = ? AND body_md != ''`, id).Scan(&revCopies); err != nil {
		t.Fatal(err)
	}
	var text sql.NullString
	if err := db.Read.QueryRow(`SELECT body FROM search WHERE rowid = ?`, id).Scan(&text); err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	return revCopies, text.String
}

// TestBodyStoredOnce: a new item's body is stored in its row only — its
// first revision shares it and the search index keeps no text — and
// every revision still reads its own body after later saves (the save
// gives the revision it replaces its copy first).
func TestBodyStoredOnce(t *testing.T) {
	db, err := database.Open(t.Context(), filepath.Join(t.TempDir(), database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := store.New(db)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	it := &store.Item{Item: content.Item{Kind: content.Article, Slug: "tin-a", Title: "Tin A", Body: "Nội dung thứ nhất."},
		UID: "u1", Status: store.Published, Published: now, Text: "Nội dung thứ nhất.", Created: now, Modified: now}
	write := func(fn func(tx *sql.Tx) error) {
		t.Helper()
		if err := st.Tx(t.Context(), fn); err != nil {
			t.Fatal(err)
		}
	}
	write(func(tx *sql.Tx) error {
		if err := st.InsertItem(t.Context(), tx, it, "import", ""); err != nil {
			return err
		}
		return st.IndexDoc(t.Context(), tx, &store.SearchDoc{ID: it.ID, Kind: it.Kind, Title: "tin a", Body: "noi dung thu nhat"})
	})
	if n, text := bodyCopies(t, db, it.ID); n != 0 || text != "" {
		t.Errorf("after insert: %d revision copies of the body, search keeps %q; want 0 and none", n, text)
	}
	if ids, err := st.SearchMatch(t.Context(), `"noi dung"`, false); err != nil || len(ids) != 1 {
		t.Errorf("search without stored text: %v, %v; want the item", ids, err)
	}
	for i, body := range []string{"Nội dung thứ hai.", "Nội dung thứ ba."} {
		it.Body, it.Modified = body, now.Add(time.Duration(i+1)*time.Hour)
		write(func(tx *sql.Tx) error { return st.UpdateItem(t.Context(), tx, it, "bientap", "") })
	}
	revs, err := st.Revisions(t.Context(), it.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range revs {
		got = append(got, strconv.Itoa(r.N)+":"+r.Body)
	}
	if want := "3:Nội dung thứ ba.|2:Nội dung thứ hai.|1:Nội dung thứ nhất."; strings.Join(got, "|") != want {
		t.Errorf("revisions read %q, want %q", strings.Join(got, "|"), want)
	}
	if n, _ := bodyCopies(t, db, it.ID); n != 2 {
		t.Errorf("%d revisions keep a copy, want 2 (the newest shares the item's)", n)
	}
}

// TestBodiesAfterUpgrade: a database written before migrations 0040 and
// 0041 (every revision with its copy of the body, the search index with
// its text) reads the same revisions after the upgrade, still finds what
// it found, and keeps the old revisions' bodies through a later save.
func TestBodiesAfterUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), database.FileName)
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := old.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))) STRICT`)
	const dir = "../database/migrations"
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		v, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0])
		if err != nil || v >= 40 {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		exec(string(src))
		exec(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, v, f.Name())
	}
	// As the store wrote them before: the body in the item, in each
	// revision, and the folded text in the index.
	exec(`INSERT INTO items (id, uid, kind, slug, status, title, published_at, meta, body_md, body_html, body_text, version, created_at, modified_at, live)
		VALUES (1, 'u1', 'article', 'tin-a', 'published', 'Tin A', 1, '{}', 'Bản hai.', '<p>Bản hai.</p>', 'Bản hai.', 2, 1, 2, 1)`)
	exec(`INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, content_hash) VALUES
		(1, 1, 1, 'import', 'Tin A', '{}', 'Bản một.', 'h1'), (1, 2, 2, 'bientap', 'Tin A', '{}', 'Bản hai.', 'h2')`)
	exec(`INSERT INTO search (rowid, title, codes, summary, body) VALUES (1, 'tin a', '', '', 'ban hai')`)
	exec(`INSERT INTO search_meta (item_id, kind, year, published_at, areas) VALUES (1, 'article', 2026, 1, '')`)
	old.Close()

	db, err := database.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := store.New(db)
	read := func() string {
		revs, err := st.Revisions(t.Context(), 1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range revs {
			got = append(got, strconv.Itoa(r.N)+":"+r.Body)
		}
		return strings.Join(got, "|")
	}
	if got, want := read(), "2:Bản hai.|1:Bản một."; got != want {
		t.Errorf("after the upgrade the revisions read %q, want %q", got, want)
	}
	if ids, err := st.SearchMatch(t.Context(), `"ban hai"`, false); err != nil || len(ids) != 1 || ids[0] != 1 {
		t.Errorf("after the upgrade the index finds %v, %v; want item 1", ids, err)
	}
	if _, text := bodyCopies(t, db, 1); text != "" {
		t.Errorf("after the upgrade the index keeps text %q", text)
	}
	it, err := st.ItemByID(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	// The texts moved into item_bodies (migration 0240) as they were.
	if it.Body != "Bản hai." || it.HTML != "<p>Bản hai.</p>" || it.Text != "Bản hai." {
		t.Errorf("after the upgrade the item reads %q, %q, %q", it.Body, it.HTML, it.Text)
	}
	it.Body = "Bản ba."
	if err := st.Tx(t.Context(), func(tx *sql.Tx) error { return st.UpdateItem(t.Context(), tx, it, "bientap", "") }); err != nil {
		t.Fatal(err)
	}
	if got, want := read(), "3:Bản ba.|2:Bản hai.|1:Bản một."; got != want {
		t.Errorf("after a save the revisions read %q, want %q", got, want)
	}
}
