package store_test

import (
	"database/sql"
	"errors"
	"testing"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestItemByOldSlug drives the slug_history trigger with plain SQL, as any
// write path (import, admin, a script) would change a slug.
func TestItemByOldSlug(t *testing.T) {
	db := testsupport.Database(t)
	st := store.New(db)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := st.Tx(t.Context(), func(tx *sql.Tx) error { _, err := tx.Exec(q, args...); return err }); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO items (id, uid, kind, slug, status, title, created_at, modified_at)
		VALUES (1, '2022-03-20:article/a', 'article', 'a', 'published', 'A', 1, 1),
		       (2, '2022-03-21:article/z', 'article', 'z', 'published', 'Z', 1, 1)`)
	moved := func(slug string) int64 {
		t.Helper()
		it, err := st.ItemByOldSlug(t.Context(), content.Article, slug)
		if errors.Is(err, store.ErrNotFound) {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return it.ID
	}
	steps := []struct {
		name string
		sql  string
		want map[string]int64 // old slug → item it leads to (0: none)
	}{
		{"same slug written again records nothing", `UPDATE items SET slug = 'a', title = 'A2' WHERE id = 1`,
			map[string]int64{"a": 0}},
		{"rename", `UPDATE items SET slug = 'b', modified_at = 5 WHERE id = 1`,
			map[string]int64{"a": 1, "b": 0}},
		{"rename again keeps every old slug", `UPDATE items SET slug = 'c' WHERE id = 1`,
			map[string]int64{"a": 1, "b": 1, "c": 0}},
		{"taking an old slug back makes it live", `UPDATE items SET slug = 'a' WHERE id = 1`,
			map[string]int64{"a": 0, "b": 1, "c": 1}},
		{"another item's old slug moves with it", `UPDATE items SET slug = 'y' WHERE id = 2`,
			map[string]int64{"z": 2, "b": 1}},
		{"deleting the item forgets its old slugs", `DELETE FROM items WHERE id = 1`,
			map[string]int64{"b": 0, "c": 0, "z": 2}},
	}
	for _, s := range steps {
		exec(s.sql)
		for slug, want := range s.want {
			if got := moved(slug); got != want {
				t.Errorf("%s: old slug %q leads to item %d, want %d", s.name, slug, got, want)
			}
		}
	}
	if _, err := st.ItemByOldSlug(t.Context(), content.Procedure, "z"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an article's old slug found as a procedure: %v", err)
	}
}
