package database

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestUpgradeKeepsSearchTitles: a database made before the titles index
// (migration 0039) and before the index stopped keeping its text (0041)
// is upgraded in one open, in number order, so 0039 still reads the
// titles from the old index's text before 0041 drops it. Two branches
// added these numbers in parallel; this is the order a real upgrade takes.
func TestUpgradeKeepsSearchTitles(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
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
		if m.version >= 39 {
			break
		}
		if err := applyMigration(ctx, raw, m); err != nil {
			t.Fatal(err)
		}
	}
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
