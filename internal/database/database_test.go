package database

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// openTemp opens a fresh database in a temporary folder and closes it when
// the test ends.
func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migrationFiles counts the .sql files in migrations/, independently of
// loadMigrations.
func migrationFiles(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no migration files")
	}
	return n
}

func count(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	return count(t, db, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name) == 1
}

func TestOpenEmpty(t *testing.T) {
	db := openTemp(t)
	for _, table := range []string{"schema_migrations", "items", "item_areas", "revisions", "plans"} {
		t.Run("table "+table, func(t *testing.T) {
			if !tableExists(t, db.Read, table) {
				t.Errorf("table %s missing", table)
			}
		})
	}
	if got, want := count(t, db.Read, `SELECT COUNT(*) FROM schema_migrations`), migrationFiles(t); got != want {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration file)", got, want)
	}
	v, err := db.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if want := ms[len(ms)-1].version; v != want {
		t.Errorf("Version = %d, want %d", v, want)
	}

	pragmas := []struct {
		name  string
		pool  *sql.DB
		query string
		want  string
	}{
		{"writer journal_mode", db.Write, "PRAGMA journal_mode", "wal"},
		{"reader journal_mode", db.Read, "PRAGMA journal_mode", "wal"},
		{"writer foreign_keys", db.Write, "PRAGMA foreign_keys", "1"},
		{"reader foreign_keys", db.Read, "PRAGMA foreign_keys", "1"},
		{"writer synchronous NORMAL", db.Write, "PRAGMA synchronous", "1"},
		{"writer busy_timeout", db.Write, "PRAGMA busy_timeout", "10000"},
		{"writer not query_only", db.Write, "PRAGMA query_only", "0"},
		{"reader query_only", db.Read, "PRAGMA query_only", "1"},
	}
	for _, p := range pragmas {
		t.Run(p.name, func(t *testing.T) {
			var got string
			if err := p.pool.QueryRowContext(t.Context(), p.query).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if strings.ToLower(got) != p.want {
				t.Errorf("%s = %q, want %q", p.query, got, p.want)
			}
		})
	}
	if db.Write.Stats().MaxOpenConnections != 1 {
		t.Errorf("writer pool allows %d connections, want 1", db.Write.Stats().MaxOpenConnections)
	}
}

func TestLoadMigrations(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != migrationFiles(t) {
		t.Fatalf("loaded %d migrations, want %d", len(ms), migrationFiles(t))
	}
	for i, m := range ms {
		// Numbers only grow; a gap is allowed because migrate applies every
		// version not yet recorded, so work landing out of order is safe.
		if i > 0 && m.version <= ms[i-1].version {
			t.Errorf("migration %s (version %d) does not come after %s", m.name, m.version, ms[i-1].name)
		}
		if strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration %s is empty", m.name)
		}
		if !strings.HasPrefix(strings.TrimSpace(m.sql), "--") {
			t.Errorf("migration %s does not start with a comment saying why", m.name)
		}
	}
}

func TestReopenKeepsDataAndAppliesNothing(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO plans (year, number, title, data, content_hash) VALUES (2022, '272/KH-SKHCN', 'Kế hoạch', '{}', 'h')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	type row struct {
		version  int
		name, at string
	}
	readRows := func(db *DB) []row {
		rows, err := db.Read.QueryContext(ctx, `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.version, &r.name, &r.at); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	before := readRows(db)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	after := readRows(db)
	if len(after) != len(before) {
		t.Fatalf("schema_migrations went from %d to %d rows on reopen", len(before), len(after))
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("schema_migrations row %d changed on reopen: %+v → %+v", i, before[i], after[i])
		}
	}
	var title string
	if err := db.Read.QueryRowContext(ctx, `SELECT title FROM plans WHERE year = 2022`).Scan(&title); err != nil {
		t.Fatalf("data lost on reopen: %v", err)
	}
	if title != "Kế hoạch" {
		t.Errorf("title = %q after reopen", title)
	}
}

func TestMigrate(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// setup prepares a database before migrate runs on it.
		setup      func(t *testing.T, db *sql.DB)
		wantRows   int
		wantTables []string
		wantNot    []string
	}{
		{
			name:       "empty database gets every migration",
			setup:      func(*testing.T, *sql.DB) {},
			wantRows:   len(ms),
			wantTables: []string{"items", "plans"},
		},
		{
			name: "migrated database gets none",
			setup: func(t *testing.T, db *sql.DB) {
				if err := migrate(t.Context(), db, nil); err != nil {
					t.Fatal(err)
				}
			},
			wantRows:   len(ms),
			wantTables: []string{"items", "plans"},
		},
		{
			// A database that records every version but has no tables shows
			// that recorded migrations are skipped, not re-run.
			name: "recorded versions are skipped",
			setup: func(t *testing.T, db *sql.DB) {
				if _, err := db.ExecContext(t.Context(), `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '') STRICT`); err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					if _, err := db.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
						t.Fatal(err)
					}
				}
			},
			wantRows: len(ms),
			wantNot:  []string{"items", "plans"},
		},
		{
			// An older database (every migration but the last applied) gets
			// only the last one; re-running an earlier one would fail on
			// its CREATE TABLE.
			name: "older database gets only the newer migration",
			setup: func(t *testing.T, db *sql.DB) {
				if _, err := db.ExecContext(t.Context(), `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '') STRICT`); err != nil {
					t.Fatal(err)
				}
				for _, m := range ms[:len(ms)-1] {
					if err := applyMigration(t.Context(), db, m); err != nil {
						t.Fatal(err)
					}
				}
			},
			wantRows:   len(ms),
			wantTables: []string{"items", "plans"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), FileName), useWriter))
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			defer db.Close()
			tt.setup(t, db)
			if err := migrate(t.Context(), db, nil); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM schema_migrations`); got != tt.wantRows {
				t.Errorf("schema_migrations rows = %d, want %d", got, tt.wantRows)
			}
			for _, table := range tt.wantTables {
				if !tableExists(t, db, table) {
					t.Errorf("table %s missing", table)
				}
			}
			for _, table := range tt.wantNot {
				if tableExists(t, db, table) {
					t.Errorf("table %s created by a skipped migration", table)
				}
			}
		})
	}
}

func TestApplyMigrationAtomic(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	tests := []struct {
		name    string
		m       migration
		wantErr bool
	}{
		{
			name:    "second statement fails",
			m:       migration{version: 900, name: "0900_half.sql", sql: "CREATE TABLE half (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"},
			wantErr: true,
		},
		{
			name:    "syntax error after a change",
			m:       migration{version: 901, name: "0901_bad.sql", sql: "CREATE TABLE half (x INTEGER);\nCREATE TABLEX oops;"},
			wantErr: true,
		},
		{
			name:    "version already taken",
			m:       migration{version: 1, name: "0001_again.sql", sql: "CREATE TABLE half (x INTEGER);"},
			wantErr: true,
		},
		{
			name: "good migration",
			m:    migration{version: 902, name: "0902_good.sql", sql: "CREATE TABLE good (x INTEGER);\nINSERT INTO good VALUES (1);"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count(t, db.Write, `SELECT COUNT(*) FROM schema_migrations`)
			err := applyMigration(ctx, db.Write, tt.m)
			if tt.wantErr {
				if err == nil {
					t.Fatal("applyMigration succeeded, want an error")
				}
				if !strings.Contains(err.Error(), tt.m.name) {
					t.Errorf("error %q does not name %s", err, tt.m.name)
				}
				if tableExists(t, db.Write, "half") {
					t.Error("the partial change of a failed migration was kept")
				}
				if got := count(t, db.Write, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, tt.m.name); got != 0 {
					t.Error("a failed migration left its version row")
				}
				if got := count(t, db.Write, `SELECT COUNT(*) FROM schema_migrations`); got != before {
					t.Errorf("schema_migrations went from %d to %d rows", before, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("applyMigration: %v", err)
			}
			if got := count(t, db.Write, `SELECT COUNT(*) FROM good`); got != 1 {
				t.Errorf("good has %d rows, want 1", got)
			}
			if got := count(t, db.Write, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, tt.m.version); got != 1 {
				t.Errorf("version row missing")
			}
		})
	}
}

func TestTx(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	errBoom := errors.New("boom")
	insert := func(year int) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO plans (year, number, title, data, content_hash) VALUES (?, 'n', 't', '{}', 'h')`, year)
			return err
		}
	}
	tests := []struct {
		name     string
		year     int
		fn       func(tx *sql.Tx) error
		wantErr  error
		wantRows int
	}{
		{"commit on nil", 2022, insert(2022), nil, 1},
		{"rollback on error", 2023, func(tx *sql.Tx) error {
			if err := insert(2023)(tx); err != nil {
				return err
			}
			return errBoom
		}, errBoom, 0},
		{"rollback on failed statement", 2024, func(tx *sql.Tx) error {
			if err := insert(2024)(tx); err != nil {
				return err
			}
			return insert(2022)(tx) // duplicate primary key
		}, nil, 0},
		{"foreign key enforced", 2025, func(tx *sql.Tx) error {
			if err := insert(2025)(tx); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO item_areas (item_id, area) VALUES (424242, 'II.1')`)
			return err
		}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Tx(ctx, tt.fn)
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("Tx error = %v, want %v", err, tt.wantErr)
			case tt.wantErr == nil && tt.wantRows == 0 && err == nil:
				t.Error("Tx succeeded, want an error")
			case tt.wantRows == 1 && err != nil:
				t.Errorf("Tx: %v", err)
			}
			if got := count(t, db.Read, `SELECT COUNT(*) FROM plans WHERE year = ?`, tt.year); got != tt.wantRows {
				t.Errorf("plans rows for %d = %d, want %d", tt.year, got, tt.wantRows)
			}
		})
	}
	// The writer is usable again after every rollback.
	if err := db.Tx(ctx, insert(2030)); err != nil {
		t.Errorf("Tx after rollbacks: %v", err)
	}
}

func TestReaderRefusesWrites(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	tests := []struct {
		name, stmt string
	}{
		{"insert", `INSERT INTO plans (year, number, title, data, content_hash) VALUES (2022, 'n', 't', '{}', 'h')`},
		{"create table", `CREATE TABLE x (y INTEGER)`},
		{"delete", `DELETE FROM schema_migrations`},
		{"drop", `DROP TABLE items`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.Read.ExecContext(ctx, tt.stmt); err == nil {
				t.Fatalf("reader accepted %s", tt.stmt)
			}
		})
	}
	if got, want := count(t, db.Read, `SELECT COUNT(*) FROM schema_migrations`), migrationFiles(t); got != want {
		t.Errorf("schema_migrations has %d rows after refused writes, want %d", got, want)
	}
	if !tableExists(t, db.Read, "items") {
		t.Error("items dropped through the reader")
	}
}

// TestAfterPublicChange: the hook (the page cache's drop) runs after a
// commit that changed public content — items, plans, media — and not
// after one that wrote only what the public never sees (an audit row, a
// session, a last-login time), nor after a rollback.
func TestAfterPublicChange(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	runs := 0
	db.AfterPublicChange(func() { runs++ })
	exec := func(stmts ...string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			for _, s := range stmts {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if err := db.Tx(ctx, exec(`INSERT INTO users (name, display_name, role, password_hash, created_at, modified_at, password_changed_at)
		VALUES ('bientap', 'Biên tập', 'editor', 'x', 1, 1, 1)`)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		fn     func(tx *sql.Tx) error
		public bool
	}{
		{"audit row", exec(`INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (1, 'x', 'login_failed', 'user:x', '', '192.0.2.1')`), false},
		{"session and last login", exec(
			`INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at, address, user_agent) VALUES ('h', 1, 'c', 1, 1, '', '')`,
			`UPDATE users SET last_login_at = 2 WHERE id = 1`), false},
		{"nothing", exec(), false},
		{"plan", exec(`INSERT INTO plans (year, number, title, data, content_hash) VALUES (2022, 'n', 't', '{}', 'h')`), true},
		{"media file", exec(`INSERT INTO media (name, content_type, size, uploaded_at) VALUES ('` + strings.Repeat("a", 64) + `.pdf', 'application/pdf', 10, 1)`), true},
		{"media file again (alt text)", exec(`UPDATE media SET alt = 'Ảnh' WHERE size = 10`), true},
		{"plan, rolled back", func(tx *sql.Tx) error {
			if err := exec(`UPDATE plans SET title = 'u' WHERE year = 2022`)(tx); err != nil {
				return err
			}
			return errors.New("boom")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runs
			err := db.Tx(ctx, tt.fn)
			if err != nil && tt.public {
				t.Fatalf("Tx: %v", err)
			}
			if ran := runs > before; ran != tt.public {
				t.Errorf("hook ran = %v, want %v", ran, tt.public)
			}
		})
	}
}

// TestOpenNewAtOnce: several processes opening one new database at the
// same moment (serve started while an operator runs `cchc import`, or
// two imports into a new data folder) each apply the migrations the
// file lacks. They read which were applied before taking the write
// lock, so all but one used to fail on a migration another had applied
// meanwhile ("table items already exists"). Each migration now checks,
// holding the lock, that it is still to apply. Handles in one process
// lock the file as processes do (SQLite's locks, not Go's).
func TestOpenNewAtOnce(t *testing.T) {
	ctx := t.Context()
	for round := range 3 {
		path := filepath.Join(t.TempDir(), FileName)
		const n = 4
		errs := make([]error, n)
		dbs := make([]*DB, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { dbs[i], errs[i] = Open(ctx, path) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d, open %d: %v", round, i, err)
			}
		}
		for _, db := range dbs {
			if db != nil {
				defer db.Close()
			}
		}
		if dbs[0] == nil {
			continue
		}
		ms, err := loadMigrations()
		if err != nil {
			t.Fatal(err)
		}
		var rows, distinct int
		if err := dbs[0].Read.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
			t.Fatal(err)
		}
		if rows != len(ms) || distinct != len(ms) {
			t.Errorf("round %d: %d rows of %d versions in schema_migrations; want each of the %d migrations once", round, rows, distinct, len(ms))
		}
	}
}
