package database

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestPageSize: a database this version creates has pages of 16 KiB (an
// item's row spans two instead of six); one made before keeps its own,
// and both open, migrate and take writes.
func TestPageSize(t *testing.T) {
	size := func(db *DB) int {
		t.Helper()
		var n int
		if err := db.Read.QueryRow(`PRAGMA page_size`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	dir := t.TempDir()
	fresh, err := Open(t.Context(), filepath.Join(dir, "moi dữ liệu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got := size(fresh); got != newPageSize {
		t.Errorf("new database: page size %d, want %d", got, newPageSize)
	}
	var mode string
	if err := fresh.Write.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("new database: journal mode %q, %v", mode, err)
	}

	oldPath := filepath.Join(dir, "old.db")
	raw, err := sql.Open("sqlite", "file:"+oldPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA page_size = 4096; CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	old, err := Open(t.Context(), oldPath)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if got := size(old); got != 4096 {
		t.Errorf("database made before: page size %d, want 4096 kept", got)
	}
	if _, err := old.Write.Exec(`INSERT INTO t (x) VALUES (1)`); err != nil {
		t.Errorf("write into the old database: %v", err)
	}
}

// TestIsBusy: the error SQLite gives a connection that does not wait for
// a lock another holds is what pageSize asks again on, and no other is.
func TestIsBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	holder, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	holder.SetMaxOpenConns(1)
	if _, err := holder.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec(`BEGIN EXCLUSIVE`); err != nil {
		t.Fatal(err)
	}
	defer holder.Exec(`ROLLBACK`)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.Exec(`INSERT INTO t VALUES (1)`)
	if !IsBusy(err) {
		t.Errorf("IsBusy(%v) = false; want true for a write under another's exclusive lock", err)
	}
	free, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "free.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer free.Close()
	if _, err := free.Exec(`SELECT * FROM no_such_table`); err == nil || IsBusy(err) {
		t.Errorf("IsBusy(%v) = true; want false for another SQLite error", err)
	}
	if IsBusy(nil) {
		t.Error("IsBusy(nil) = true")
	}
}
