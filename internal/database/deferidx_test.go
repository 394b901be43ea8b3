package database

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
)

// indexes lists the indexes of q's schema with their SQL, in name order.
func indexes(t *testing.T, q *sql.DB) []string {
	t.Helper()
	out, err := queryStrings(t.Context(), q, `SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// insertItem writes one minimal item row.
func insertItem(t *testing.T, db *DB, slug string) {
	t.Helper()
	err := db.Tx(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(t.Context(), `INSERT INTO items (uid, kind, slug, title, created_at, modified_at) VALUES (?, 'article', ?, 'x', 1, 1)`, "uid-"+slug, slug)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeferIndexes: on empty tables the secondary indexes are dropped (the
// unique ones kept) and built again by restore; on a table holding a row
// nothing is dropped.
func TestDeferIndexes(t *testing.T) {
	ctx := t.Context()
	db := openTemp(t)
	want := indexes(t, db.Read)
	restore, n, err := db.DeferIndexes(ctx, "items", "item_areas")
	if err != nil {
		t.Fatal(err)
	}
	// items_public, items_due, items_procedure_dir, items_document_dir,
	// items_title_key, items_kind_unit, items_visible, items_visible_id,
	// items_sitemap and item_areas_area (at migration 0110).
	if n < 10 {
		t.Errorf("deferred %d indexes, want every secondary index of items and item_areas (≥ 10)", n)
	}
	during := indexes(t, db.Read)
	if len(want)-len(during) != n {
		t.Errorf("%d indexes missing while deferred, want %d", len(want)-len(during), n)
	}
	for _, keep := range []string{"items_kind_slug", "items_number_key", "items_code", "sqlite_autoindex_items_1"} {
		if !slices.ContainsFunc(during, func(s string) bool { return len(s) > len(keep) && s[:len(keep)+1] == keep+":" }) {
			t.Errorf("unique index %s dropped; it must enforce its constraint during the load", keep)
		}
	}
	if got := count(t, db.Read, `SELECT COUNT(*) FROM deferred_indexes`); got != n {
		t.Errorf("deferred_indexes holds %d rows, want %d", got, n)
	}
	insertItem(t, db, "a")
	bulkDone, err := db.BulkWrites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer bulkDone()
	if err := restore(ctx); err != nil {
		t.Fatal(err)
	}
	// Built with the writer's usual cache, not an import's 64 MiB: the
	// sorter of each index keeps up to the cache's size in memory.
	if got := count(t, db.Write, `PRAGMA cache_size`); got != -writerCacheKiB {
		t.Errorf("writer's cache_size after restore = %d, want %d", got, -writerCacheKiB)
	}
	if err := restore(ctx); err != nil { // a second call does nothing
		t.Fatal(err)
	}
	if got := indexes(t, db.Read); !slices.Equal(got, want) {
		t.Errorf("indexes after restore:\n got %q\nwant %q", got, want)
	}
	if got := count(t, db.Read, `SELECT COUNT(*) FROM deferred_indexes`); got != 0 {
		t.Errorf("deferred_indexes keeps %d rows after restore", got)
	}

	// items now holds a row: nothing is dropped.
	restore, n, err = db.DeferIndexes(ctx, "items", "item_areas")
	if err != nil || n != 0 {
		t.Fatalf("DeferIndexes on a table with a row: %d dropped, %v; want 0", n, err)
	}
	if got := indexes(t, db.Read); !slices.Equal(got, want) {
		t.Errorf("indexes after DeferIndexes on a table with a row:\n got %q\nwant %q", got, want)
	}
	if err := restore(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestDeferIndexesCrash: a process that dies between dropping the indexes
// and building them again (the file is closed with the indexes missing)
// leaves the file whole: the next open builds them before anything else.
func TestDeferIndexesCrash(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := indexes(t, db.Read)
	if _, n, err := db.DeferIndexes(ctx, "items"); err != nil || n == 0 {
		t.Fatalf("DeferIndexes: %d, %v", n, err)
	}
	insertItem(t, db, "a")
	insertItem(t, db, "b")
	if err := db.Close(); err != nil { // restore never called
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("open after a load cut short: %v", err)
	}
	defer db.Close()
	if got := indexes(t, db.Read); !slices.Equal(got, want) {
		t.Errorf("indexes after reopening:\n got %q\nwant %q", got, want)
	}
	if got := count(t, db.Read, `SELECT COUNT(*) FROM deferred_indexes`); got != 0 {
		t.Errorf("deferred_indexes keeps %d rows after reopening", got)
	}
	if got := count(t, db.Read, `SELECT COUNT(*) FROM items INDEXED BY items_visible WHERE kind = 'article'`); got != 2 {
		t.Errorf("items_visible built at open counts %d articles, want 2", got)
	}
}
