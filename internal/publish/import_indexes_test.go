package publish_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// schemaOf lists every entry of q's schema (type, name, table, SQL), in
// name order: what a database's tables, indexes and triggers are.
func schemaOf(tb testing.TB, ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) []string {
	tb.Helper()
	rows, err := q.QueryContext(ctx, `SELECT type || ' ' || name || ' ' || tbl_name || ' ' || COALESCE(sql, '')
		FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		tb.Fatalf("schema: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatalf("schema: %v", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("schema: %v", err)
	}
	return out
}

// schemaHook reads the schema inside every write transaction of an
// import, to see which indexes the rows went in with.
type schemaHook struct {
	tb    testing.TB
	seen  [][]string
	items int
}

func (h *schemaHook) ItemChanged(ctx context.Context, tx *sql.Tx, it *store.Item) error {
	return h.ItemsChanged(ctx, tx, []*store.Item{it})
}

func (h *schemaHook) ItemsChanged(ctx context.Context, tx *sql.Tx, items []*store.Item) error {
	h.seen = append(h.seen, schemaOf(h.tb, ctx, tx))
	h.items += len(items)
	return nil
}

// TestImportFreshIndexesOnce: an import into an empty database writes its
// rows without the secondary indexes of the tables it fills, builds them at
// the end, and ends with exactly the schema of a migrated empty database;
// an import into a database holding items drops nothing.
func TestImportFreshIndexesOnce(t *testing.T) {
	ctx := t.Context()
	want := schemaOf(t, ctx, testsupport.Database(t).Read)
	e := newEnv(t)
	hook := &schemaHook{tb: t}
	e.svc.AddHook(hook)

	res := e.importFS(t, testsupport.DemoRoot(t))
	if res.Failed != 0 || res.Added == 0 {
		t.Fatalf("first import: added %d failed %d: %v", res.Added, res.Failed, res.Errors)
	}
	// Every secondary (not unique) index of items and of the tables it
	// writes per item: 9 on items, 8 on the others (at migration 0110).
	if res.DeferredIndexes < 15 {
		t.Errorf("first import deferred %d indexes, want every secondary index of the tables it fills (≥ 15)", res.DeferredIndexes)
	}
	if len(hook.seen) == 0 {
		t.Fatal("the hook saw no write transaction")
	}
	for i, got := range hook.seen {
		if missing := len(want) - len(got); missing != res.DeferredIndexes {
			t.Errorf("write %d of the first import: %d schema entries missing, want the %d deferred indexes", i, missing, res.DeferredIndexes)
		}
		for _, s := range got {
			if !slices.Contains(want, s) {
				t.Errorf("write %d of the first import: schema entry %q not in a migrated database", i, s)
			}
		}
	}
	if got := schemaOf(t, ctx, e.db); !slices.Equal(got, want) {
		t.Errorf("schema after a first import differs from a migrated empty database:\n got %q\nwant %q", got, want)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM deferred_indexes`); n != 0 {
		t.Errorf("deferred_indexes keeps %d rows after the import", n)
	}
	// The indexes built at the end answer as the ones kept row by row.
	if n := e.count(t, `SELECT COUNT(*) FROM items INDEXED BY items_visible WHERE kind = 'article'`); n != e.count(t, `SELECT COUNT(*) FROM items NOT INDEXED WHERE kind = 'article'`) {
		t.Errorf("items_visible counts %d articles, the table another number", n)
	}
	if rows := e.str(t, `PRAGMA integrity_check`); rows != "ok" {
		t.Errorf("integrity_check after a first import: %s", rows)
	}

	// A second import, one file changed and one added: the database holds
	// items, every write sees the whole schema.
	hook.seen = nil
	fsys := tree(map[string]string{
		"articles/them-moi.md": "---\ntitle: Bài viết thêm sau\ndate: 2022-11-20\n---\nNội dung.\n",
	})
	res = e.importFS(t, fsys)
	if res.Added != 1 || res.Failed != 0 {
		t.Fatalf("second import: added %d failed %d: %v", res.Added, res.Failed, res.Errors)
	}
	if res.DeferredIndexes != 0 {
		t.Errorf("an import into a database holding items deferred %d indexes, want 0", res.DeferredIndexes)
	}
	if len(hook.seen) == 0 {
		t.Fatal("the hook saw no write transaction of the second import")
	}
	for i, got := range hook.seen {
		if !slices.Equal(got, want) {
			t.Errorf("write %d of the second import: schema differs from a migrated database (%d entries, want %d)", i, len(got), len(want))
		}
	}
}

// TestImportFreshIndexesOnceAcrossAgencies: an import into an empty
// database holding other agencies' trees writes every tree — not only the
// root's — without the deferred indexes, and builds them once at the end.
func TestImportFreshIndexesOnceAcrossAgencies(t *testing.T) {
	ctx := t.Context()
	want := schemaOf(t, ctx, testsupport.Database(t).Read)
	e := newEnv(t)
	hook := &schemaHook{tb: t}
	e.svc.AddHook(hook)
	doc := func(number string) string { return strings.Replace(goodDocument, "1256/QĐ-UBND", number, 1) }
	res := e.importFS(t, tree(map[string]string{
		"articles/a.md":                       "---\ntitle: Bài của Sở\ndate: 2022-03-21\n---\nNội dung.\n",
		"agencies/so-tu-phap/agency.yaml":     stpRecord,
		"agencies/so-tu-phap/documents/15.md": doc("15/KH-STP"),
		"agencies/so-y-te/agency.yaml":        "name: Sở Y tế tỉnh Quảng Ngãi\nshort_name: Sở Y tế\nprefix: /so-y-te\n",
		"agencies/so-y-te/articles/b.md":      "---\ntitle: Bài của Sở Y tế\ndate: 2022-04-02\n---\nNội dung.\n",
	}))
	if res.Failed != 0 || res.Added != 4 { // three files and the plan tree() adds
		t.Fatalf("import: added %d, failed %d: %v", res.Added, res.Failed, res.Errors)
	}
	if res.DeferredIndexes < 15 {
		t.Errorf("deferred %d indexes, want every secondary index of the tables it fills (≥ 15)", res.DeferredIndexes)
	}
	if len(hook.seen) < 3 {
		t.Fatalf("the hook saw %d write transactions, want one per tree at least", len(hook.seen))
	}
	for i, got := range hook.seen {
		if missing := len(want) - len(got); missing != res.DeferredIndexes {
			t.Errorf("write %d: %d schema entries missing, want the %d deferred indexes", i, missing, res.DeferredIndexes)
		}
	}
	if got := schemaOf(t, ctx, e.db); !slices.Equal(got, want) {
		t.Errorf("schema after the import differs from a migrated empty database")
	}
	if n := e.count(t, `SELECT COUNT(DISTINCT agency_id) FROM items`); n != 3 {
		t.Errorf("items of %d agencies, want 3", n)
	}
}
