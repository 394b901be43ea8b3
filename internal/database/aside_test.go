package database

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// present reports whether a file is at path.
func present(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Lstat(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

// installed installs db, built aside for path, checks that nothing is
// left aside, and opens the file installed (closed by the test's end).
func installed(t *testing.T, db *DB, path string) *DB {
	t.Helper()
	if err := db.Install(t.Context()); err != nil {
		t.Fatalf("Install: %v", err)
	}
	for _, s := range sidecars {
		if present(t, asideName(path)+s) {
			t.Errorf("%s left after Install", asideName(path)+s)
		}
	}
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOpenAsideInstall: a database built aside is invisible at its path
// until Install, which leaves the file at the path in the WAL, with its
// schema, the page size of a new file and every committed row; what a
// transaction or a failed statement undid stays undone without a WAL.
func TestOpenAsideInstall(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	if ok, err := Absent(path); err != nil || !ok {
		t.Fatalf("Absent of a new folder = %v, %v", ok, err)
	}
	db, err := OpenAside(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if present(t, path) {
		t.Fatal("a database aside appears at its path before Install")
	}
	var mode string
	if err := db.Write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "persist" {
		t.Errorf("journal_mode while built aside = %q, %v; want persist", mode, err)
	}
	if err := db.Tx(ctx, insertPlan(ctx, 2022)); err != nil {
		t.Fatal(err)
	}
	errBoom := errors.New("boom")
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertPlan(ctx, 2023)(tx); err != nil {
			return err
		}
		return errBoom
	}); !errors.Is(err, errBoom) {
		t.Fatalf("Tx = %v, want boom", err)
	}
	// One statement that fails on its third row, inside a transaction
	// that goes on and commits: its first two rows are undone.
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO plans (year, number, title, data, content_hash)
			SELECT column1, 'n', 't', '{}', 'h' FROM (VALUES (2040), (2041), (2022))`)
		if err == nil {
			return errors.New("the duplicate year was taken")
		}
		return insertPlan(ctx, 2050)(tx)
	}); err != nil {
		t.Fatal(err)
	}
	db = installed(t, db, path)
	var size int
	if err := db.Read.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode installed = %q, %v; want wal", mode, err)
	}
	if err := db.Read.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil || size != newPageSize {
		t.Errorf("page_size = %d, %v; want %d", size, err, newPageSize)
	}
	if got, want := count(t, db.Read, `SELECT COUNT(*) FROM schema_migrations`), migrationFiles(t); got != want {
		t.Errorf("migrations applied = %d, want %d", got, want)
	}
	for year, want := range map[int]int{2022: 1, 2023: 0, 2040: 0, 2041: 0, 2050: 1} {
		if got := count(t, db.Read, `SELECT COUNT(*) FROM plans WHERE year = ?`, year); got != want {
			t.Errorf("plans of %d = %d, want %d", year, got, want)
		}
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode of the installed file = %v, %v; want 0600", info.Mode(), err)
	}
}

// TestOpenAsideAfterCrash: what a build that stopped left aside (its
// file, its journal) is deleted by the next OpenAside, and Discard
// deletes the new one, leaving the path free.
func TestOpenAsideAfterCrash(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	aside := asideName(path)
	for _, s := range []string{"", "-journal"} {
		if err := os.WriteFile(aside+s, []byte("a build that stopped half way"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := OpenAside(ctx, path)
	if err != nil {
		t.Fatalf("OpenAside over a stopped build: %v", err)
	}
	if err := db.Tx(ctx, insertPlan(ctx, 2022)); err != nil {
		t.Fatal(err)
	}
	if err := db.Discard(); err != nil {
		t.Fatal(err)
	}
	for _, s := range sidecars {
		if present(t, aside+s) {
			t.Errorf("%s left after Discard", aside+s)
		}
	}
	if ok, err := Absent(path); err != nil || !ok {
		t.Errorf("Absent after Discard = %v, %v", ok, err)
	}
}

// TestInstallTaken: a database opened at the path while one was built
// aside (a `cchc serve` started meanwhile) keeps its place and its rows;
// Install fails with ErrInstallTaken and deletes the one built.
func TestInstallTaken(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	built, err := OpenAside(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := built.Tx(ctx, insertPlan(ctx, 2022)); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Tx(ctx, insertPlan(ctx, 2030)); err != nil {
		t.Fatal(err)
	}
	if err := built.Install(ctx); !errors.Is(err, ErrInstallTaken) {
		t.Fatalf("Install over an open database = %v, want ErrInstallTaken", err)
	}
	for year, want := range map[int]int{2022: 0, 2030: 1} {
		if got := count(t, other.Read, `SELECT COUNT(*) FROM plans WHERE year = ?`, year); got != want {
			t.Errorf("plans of %d in the database in place = %d, want %d", year, got, want)
		}
	}
	for _, s := range sidecars {
		if present(t, asideName(path)+s) {
			t.Errorf("%s left after a failed Install", asideName(path)+s)
		}
	}
}

// TestAbsent: a WAL or journal left without its file is not absence: a
// new file at the path would take it for its own.
func TestAbsent(t *testing.T) {
	for _, s := range sidecars {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path+s, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, err := Absent(path); err != nil || ok {
			t.Errorf("Absent with %q present = %v, %v; want false", FileName+s, ok, err)
		}
	}
}

// TestInstallWithoutHardLinks: on a file system that refuses hard links
// the file built aside is renamed into place instead, whole.
func TestInstallWithoutHardLinks(t *testing.T) {
	ctx := t.Context()
	link = func(string, string) error { return &os.LinkError{Op: "link", Err: errors.ErrUnsupported} }
	t.Cleanup(func() { link = os.Link })
	path := filepath.Join(t.TempDir(), FileName)
	db, err := OpenAside(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, insertPlan(ctx, 2022)); err != nil {
		t.Fatal(err)
	}
	db = installed(t, db, path)
	if got := count(t, db.Read, `SELECT COUNT(*) FROM plans WHERE year = 2022`); got != 1 {
		t.Errorf("plans of 2022 = %d, want 1", got)
	}
}
