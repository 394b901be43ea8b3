package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// A first import fills a new database with everything at once. Built in
// place, every page goes through the WAL and is copied again into the
// file at each checkpoint, so that a crash at any moment leaves a file
// that opens. OpenAside builds it instead in a file of its own beside the
// data folder's, which nobody opens until Install links it into place
// whole: until then a crash or an error costs that file only, so it needs
// no WAL, no checkpoint and no fsync. A rollback journal still undoes a
// transaction rolled back or a statement that fails (journal_mode OFF
// would leave their changes in the file); it holds only the pages a
// transaction changes that were in the file before it. Kept in memory
// instead (MEMORY), those pages raised an import's peak by 60 MiB at
// 10,000 items (docs/PERFORMANCE.md).
//
// The caller holds the data folder's import lock from OpenAside to
// Install or Discard: the file aside is the one import's own.

// asideName is the file a database at path is built in, in path's folder.
func asideName(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".dang-nhap")
}

// sidecars are the files SQLite keeps beside a database file.
var sidecars = []string{"", "-journal", "-wal", "-shm"}

// Absent reports whether no database is at path: neither the file nor
// any of the files SQLite keeps beside it (a WAL left without its file
// would be read into a new file of the same name).
func Absent(path string) (bool, error) {
	for _, s := range sidecars {
		_, err := os.Lstat(path + s)
		if err == nil {
			return false, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("database: %w", err)
		}
	}
	return true, nil
}

// OpenAside opens a new database to be installed at path (which Absent
// said is free) when complete, built in a file aside. A file aside left
// by a build that stopped (a crash, a kill) is deleted first.
func OpenAside(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	aside := asideName(abs)
	if err := removeAside(aside); err != nil {
		return nil, err
	}
	if err := createPrivate(aside); err != nil {
		return nil, fmt.Errorf("database: open %s: %w", aside, err)
	}
	db, err := open(ctx, aside, useBuildWriter, useBuildReader, nil)
	if err != nil {
		removeAside(aside)
		return nil, err
	}
	db.installAt = abs
	return db, nil
}

// ErrInstallTaken is Install's error when a database appeared at the
// path while the one aside was built (a `cchc serve` started on the data
// folder): that one is left as it was, and the one built is deleted.
var ErrInstallTaken = errors.New("database: a database was created in its place meanwhile")

// Install completes a database OpenAside opened: it switches the file to
// the WAL (as Open leaves every file), closes it, writes it to the disk
// and links it at its path, only if nothing is there yet. db is closed
// after, whatever the result; on an error the file aside is deleted.
func (db *DB) Install(ctx context.Context) error {
	if db.installAt == "" {
		return errors.New("database: Install of a database not opened aside")
	}
	aside := db.Path
	fail := func(err error) error {
		db.Close()
		removeAside(aside)
		return err
	}
	// Readers first: the switch to WAL wants the file to itself.
	if err := db.Read.Close(); err != nil {
		return fail(fmt.Errorf("database: close: %w", err))
	}
	if _, err := db.Write.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return fail(fmt.Errorf("database: journal_mode: %w", err))
	}
	if err := db.Close(); err != nil {
		return fail(err)
	}
	if err := syncFile(aside); err != nil {
		return fail(err)
	}
	if ok, err := Absent(db.installAt); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("%w: %s", ErrInstallTaken, db.installAt)
		}
		return fail(err)
	}
	// A link, not a rename: it fails when something took the name
	// since Absent looked, where a rename would replace it. A file
	// system without hard links gets the rename, Absent having just
	// looked: a database created in the microseconds between is the
	// one case it would replace.
	if err := link(aside, db.installAt); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fail(fmt.Errorf("%w: %s", ErrInstallTaken, db.installAt))
		}
		if err := os.Rename(aside, db.installAt); err != nil {
			return fail(err)
		}
	}
	if err := removeAside(aside); err != nil {
		return err
	}
	return syncFile(filepath.Dir(db.installAt))
}

// link is os.Link; a test replaces it to play a file system without
// hard links.
var link = os.Link

// Discard closes a database OpenAside opened and deletes its file.
func (db *DB) Discard() error {
	if db.installAt == "" {
		return errors.New("database: Discard of a database not opened aside")
	}
	cerr := db.Close()
	if err := removeAside(db.Path); err != nil {
		return err
	}
	return cerr
}

// RemoveAside deletes what a build aside for the database at path left
// and never installed (the process was killed), and reports whether there
// was anything. The caller holds the data folder's import lock, so that
// no build is under way.
func RemoveAside(path string) (bool, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false, fmt.Errorf("database: %w", err)
	}
	aside := asideName(abs)
	absent, err := Absent(aside)
	if err != nil {
		return false, err
	}
	return !absent, removeAside(aside)
}

// removeAside deletes the file aside and SQLite's files beside it.
func removeAside(aside string) error {
	for _, s := range sidecars {
		if err := os.Remove(aside + s); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("database: %w", err)
		}
	}
	return nil
}

// syncFile writes the file or folder at path to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("database: sync %s: %w", path, err)
	}
	return nil
}
