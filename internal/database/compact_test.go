package database

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// sparseFile makes a database file of well over vacuumPages pages, half of
// them free, and returns a connection pool on it whose busy timeout is
// short.
func sparseFile(t *testing.T) (path string, db *sql.DB) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "sparse.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(50)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
			INSERT INTO rows SELECT i, randomblob(3000) FROM n`,
		`DELETE FROM rows WHERE id % 2 = 0`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path, db
}

// TestCompactFailsSafely: a VACUUM that cannot run (another process holds
// the write lock) is told, not returned as an error, and leaves the file
// as it was and usable; run again once the lock is gone, it compacts.
func TestCompactFailsSafely(t *testing.T) {
	ctx := context.Background()
	path, db := sparseFile(t)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(50)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	hold, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hold.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var told []Upgrade
	tell := []func(Upgrade){func(u Upgrade) { told = append(told, u) }}
	compact(ctx, db, tell)
	if len(told) != 1 || told[0].Step != NotCompacted || told[0].Err == nil || told[0].SizeMiB < 5 || told[0].FreeMiB < 2 {
		t.Fatalf("with the write lock held elsewhere, told %+v, want one NotCompacted with its cause and sizes", told)
	}
	if !IsBusy(told[0].Err) {
		t.Errorf("the cause %v is not told as the lock it is", told[0].Err)
	}
	var n int
	var check string
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM rows`).Scan(&n); err != nil || n != 1000 {
		t.Fatalf("after the failed compaction: %d rows, %v", n, err)
	}
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity after the failed compaction: %q, %v", check, err)
	}
	if _, err := hold.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	hold.Close()
	told = nil
	compact(ctx, db, tell)
	if len(told) != 1 || told[0].Step != Compacted || told[0].AfterMiB >= told[0].SizeMiB {
		t.Fatalf("with the lock gone, told %+v, want one Compacted, smaller after", told)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM rows`).Scan(&n); err != nil || n != 1000 {
		t.Fatalf("after the compaction: %d rows, %v", n, err)
	}
}
