package database

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOpenReadOnly: a read-only open reads what is there, refuses every
// write, creates nothing, runs no migration, and says when the file lacks
// migrations.
func TestOpenReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)

	if _, err := OpenReadOnly(t.Context(), path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a read-only open of a missing file created %d files", len(entries))
	}

	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (1, 'a', 'x', 't', 'd', '')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !ro.ReadOnly() {
		t.Error("ReadOnly() is false")
	}
	if n := count(t, ro.Read, `SELECT COUNT(*) FROM audit_log`); n != 1 {
		t.Errorf("audit_log has %d rows, want 1", n)
	}
	if err := ro.CheckSchema(t.Context()); err != nil {
		t.Errorf("CheckSchema of a migrated file: %v", err)
	}
	err = ro.Tx(t.Context(), func(tx *sql.Tx) error { t.Error("Tx ran fn on a read-only database"); return nil })
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("Tx: %v, want ErrReadOnly", err)
	}
	if _, err := ro.Read.Exec(`DELETE FROM sessions`); err == nil {
		t.Error("the read-only pool accepted a write")
	}
	if err := ro.Close(); err != nil {
		t.Error(err)
	}

	// A file written by an older version: the last migration is missing.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := loadMigrations()
	last := ms[len(ms)-1]
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = ?`, last.version); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	ro, err = OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var se *SchemaError
	if err := ro.CheckSchema(t.Context()); !errors.As(err, &se) || len(se.Missing) != 1 || se.Missing[0] != strings.TrimSuffix(last.name, ".sql") {
		t.Errorf("CheckSchema: %v, want the missing %s", err, last.name)
	}
	if n := count(t, ro.Read, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, last.version); n != 0 {
		t.Error("a read-only open applied a migration")
	}
}

// TestDamaged: once marked damaged, Tx refuses (fn never runs), the
// OnDamage functions run once, and a transaction that meets SQLite's
// SQLITE_CORRUPT marks the database damaged by itself.
func TestDamaged(t *testing.T) {
	db := openTemp(t)
	var calls []string
	db.OnDamage(func(reason string) { calls = append(calls, reason) })
	db.MarkDamaged("first")
	db.MarkDamaged("second")
	if len(calls) != 1 || calls[0] != "first" || db.Damage() != "first" {
		t.Errorf("OnDamage calls %q, Damage %q", calls, db.Damage())
	}
	err := db.Tx(t.Context(), func(tx *sql.Tx) error { t.Error("Tx ran fn on a damaged database"); return nil })
	if !errors.Is(err, ErrDamaged) || !IsCorrupt(err) {
		t.Errorf("Tx: %v, want ErrDamaged", err)
	}

	// A write into a damaged index page: the header of the root page of
	// audit_log_at overwritten in the closed file.
	path := filepath.Join(t.TempDir(), FileName)
	db2, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := db2.Tx(t.Context(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (?, 'a', 'x', 't', 'd', '')`, i)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var root, pageSize int64
	if err := db2.Read.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'audit_log_at'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db2.Read.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := db2.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef}, (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db2, err = Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var reasons []string
	db2.OnDamage(func(reason string) { reasons = append(reasons, reason) })
	err = db2.Tx(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (25, 'a', 'x', 't', 'd', '')`)
		return err
	})
	if !IsCorrupt(err) || db2.Damage() == "" || len(reasons) != 1 {
		t.Errorf("write into a damaged index: %v; damage %q, OnDamage calls %d", err, db2.Damage(), len(reasons))
	}
}

// TestIsFull: a full disk is recognised from SQLite (SQLITE_FULL, made
// here by capping the file's pages) and from a file write (ENOSPC, from
// /dev/full).
func TestIsFull(t *testing.T) {
	db := openTemp(t)
	var pages int
	if err := db.Write.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	err := db.Tx(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (1, 'a', 'x', 't', ?, '')`, strings.Repeat("x", 1<<20))
		return err
	})
	if !IsFull(err) {
		t.Errorf("insert past max_page_count: %v, want IsFull", err)
	}
	if db.Damage() != "" {
		t.Error("a full disk marked the database damaged")
	}
	err = os.WriteFile("/dev/full", []byte("x"), 0)
	if !IsFull(err) {
		t.Errorf("write to /dev/full: %v, want IsFull", err)
	}
	if IsFull(context.Canceled) || IsFull(nil) || IsCorrupt(nil) {
		t.Error("IsFull or IsCorrupt of an unrelated error")
	}
}
