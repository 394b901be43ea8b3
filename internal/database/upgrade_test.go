package database

import (
	"bytes"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// databaseBelow creates the database file path with every migration
// below version applied, one by one as Open applies them, and returns it
// open on the writer's settings: the database as an older release left
// it, for a test to fill before Open upgrades it. Close it before Open.
func databaseBelow(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	ctx := t.Context()
	raw, err := sql.Open("sqlite", dsn(path, useWriter))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
	) STRICT`); err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version >= version {
			break
		}
		if err := applyMigration(ctx, raw, m); err != nil {
			t.Fatal(err)
		}
	}
	return raw
}

// TestUpgradeKeepsSearchTitles: a database made before the titles index
// (migration 0039) and before the index stopped keeping its text (0041)
// is upgraded in one open, in number order, so 0039 still reads the
// titles from the old index's text before 0041 drops it. Two branches
// added these numbers in parallel; this is the order a real upgrade takes.
func TestUpgradeKeepsSearchTitles(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	raw := databaseBelow(t, path, 39)
	if _, err := raw.ExecContext(ctx, `INSERT INTO search (rowid, title, codes, summary, body) VALUES (7, 'ke hoach tuyen truyen', '', '', 'noi dung')`); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	var id int64
	if err := db.Read.QueryRowContext(ctx, `SELECT rowid FROM search_title WHERE search_title MATCH '"hoach"'`).Scan(&id); err != nil || id != 7 {
		t.Errorf("titles index after the upgrade: rowid %d, %v; want 7", id, err)
	}
	var body sql.NullString
	if err := db.Read.QueryRowContext(ctx, `SELECT body FROM search WHERE rowid = 7`).Scan(&body); err != nil || body.Valid {
		t.Errorf("the main index after the upgrade keeps text %q (%v); want none (contentless)", body.String, err)
	}
	if err := db.Read.QueryRowContext(ctx, `SELECT rowid FROM search WHERE search MATCH '"noi dung"'`).Scan(&id); err != nil || id != 7 {
		t.Errorf("the main index after the upgrade: rowid %d, %v; want 7", id, err)
	}
}

// TestUpgradeToActivities: migration 0091 widens the CHECK on items.kind
// in place. A database with a published article (its revision, its area,
// its counts) upgraded to it keeps every row — rebuilding items would
// have cascade-deleted revisions and areas — passes integrity_check,
// takes an activity and still refuses an unknown kind; its public counts
// still count the article, and an activity stored hidden counts nowhere.
func TestUpgradeToActivities(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	raw := databaseBelow(t, path, 91)
	for _, q := range []string{
		`INSERT INTO items (id, uid, kind, slug, status, title, published_at, created_at, modified_at) VALUES (1, 'u1', 'article', 'a', 'published', 'Tin', 1647000000, 1, 1)`,
		`INSERT INTO item_areas (item_id, area) VALUES (1, 'II.1')`,
		`INSERT INTO revisions (item_id, n, created_at, title, meta, body_md, content_hash) VALUES (1, 1, 1, 'Tin', '{}', '', 'h')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO items (uid, kind, slug, title, created_at, modified_at) VALUES ('u2', 'activity', 'b', 'Hoạt động', 1, 1)`); err == nil {
		t.Fatal("before 0091 the CHECK takes an activity: the test checks nothing")
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	count := func(q string) int {
		var n int
		if err := db.Read.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM revisions`) + count(`SELECT COUNT(*) FROM item_areas`); n != 2 {
		t.Errorf("revisions and areas after the upgrade: %d rows, want 2", n)
	}
	var ic string
	if err := db.Read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Errorf("integrity_check: %q, %v", ic, err)
	}
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO items (uid, kind, slug, status, title, published_at, created_at, modified_at, public)
		VALUES ('u2', 'activity', 'b', 'published', 'Hoạt động', 1647000000, 1, 1, 0)`); err != nil {
		t.Errorf("an activity after 0091: %v", err)
	}
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO items (uid, kind, slug, title, created_at, modified_at) VALUES ('u3', 'tin-don', 'c', 'x', 1, 1)`); err == nil {
		t.Error("an unknown kind is taken after 0091")
	}
	if n := count(`SELECT COALESCE(SUM(n), 0) FROM public_counts WHERE key IN ('kind:article', 'area:II.1')`); n != 2 {
		t.Errorf("the article's counts after the upgrade: %d, want 2", n)
	}
	if n := count(`SELECT COALESCE(SUM(n), 0) FROM public_counts WHERE key = 'kind:activity'`); n != 0 {
		t.Errorf("a hidden activity counted: %d", n)
	}
	if n := count(`SELECT COUNT(*) FROM units`); n != 4 {
		t.Errorf("%d units, want the plan's 4", n)
	}
}

// TestUpgradeMovesTextsCompactly: migration 0240 moves each item's three
// texts into item_bodies as they were, and the open that applies it
// leaves the file compact (its directive vacuumAfter): no page free, and
// no more pages than before the texts moved, although item_bodies was
// written beside them.
func TestUpgradeMovesTextsCompactly(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	raw := databaseBelow(t, path, 240)
	const n = 300
	tail := strings.Repeat("Cải cách hành chính. ", 400) // 8 KB: each row over a page
	itemsBelow240(t, raw, n, func(i int, what string) string { return fmt.Sprintf("%s %d ", what, i) + tail })
	pages := func(db *sql.DB) (count, free int) {
		t.Helper()
		if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&count); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
			t.Fatal(err)
		}
		return count, free
	}
	before, _ := pages(raw)
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	if before <= vacuumPages {
		t.Fatalf("the database before is %d pages: too small to be vacuumed", before)
	}

	var log bytes.Buffer
	db, err := Open(ctx, path, Logger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	// The operator is told why the start takes long, and what the
	// compaction gave.
	for _, want := range []string{`msg="upgrading the database: `, `first=0240_item_bodies.sql`, `msg="database upgraded"`, `msg="database compacted"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the upgrade's log lacks %s:\n%s", want, log.String())
		}
	}
	after, free := pages(db.Write)
	t.Logf("%d pages before, %d after (%d free)", before, after, free)
	if free != 0 || after > before+before/50 {
		t.Errorf("after the upgrade %d pages, %d of them free; want none free and at most 2%% more than the %d before", after, free, before)
	}
	var moved int
	if err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM item_bodies b JOIN items i ON i.id = b.item_id
		WHERE b.body_md = 'md ' || i.id || ' ' || ? AND b.body_html = 'html ' || i.id || ' ' || ? AND b.body_text = 'text ' || i.id || ' ' || ?`,
		tail, tail, tail).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	if moved != n {
		t.Errorf("%d items' texts moved as they were, want %d", moved, n)
	}
	var cols int
	if err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('items') WHERE name LIKE 'body_%'`).Scan(&cols); err != nil || cols != 0 {
		t.Errorf("items keeps %d text columns (%v)", cols, err)
	}
}

// itemsBelow240 inserts n published articles, ids 1 to n, into a database
// below migration 0240 (databaseBelow), in one transaction; text gives
// item i's body_md, body_html and body_text by their names "md", "html"
// and "text".
func itemsBelow240(t *testing.T, raw *sql.DB, n int, text func(i int, what string) string) {
	t.Helper()
	ctx := t.Context()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 1; i <= n; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO items (id, uid, kind, slug, status, title, meta, body_md, body_html, body_text, created_at, modified_at)
			VALUES (?, ?, 'article', ?, 'published', 'Tin', '{}', ?, ?, ?, 1, 1)`,
			i, fmt.Sprintf("u%d", i), fmt.Sprintf("tin-%d", i), text(i, "md"), text(i, "html"), text(i, "text")); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenSaysOnlyUpgrades: a new database, and one already up to date,
// are opened without a word; only an upgrade is said (as in
// TestUpgradeMovesTextsCompactly).
func TestOpenSaysOnlyUpgrades(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	for _, what := range []string{"new", "up to date"} {
		var log bytes.Buffer
		db, err := Open(t.Context(), path, Logger(slog.New(slog.NewTextHandler(&log, nil))))
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if log.Len() != 0 {
			t.Errorf("opening a database %s logged:\n%s", what, log.String())
		}
	}
}
