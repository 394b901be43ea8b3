package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cchc/internal/database"
)

// TestImportLockWaits: a second holder waits for the first, and gives up
// when its context ends.
func TestImportLockWaits(t *testing.T) {
	data := t.TempDir()
	unlock, err := lockImport(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := lockImport(ctx, data); err == nil {
		t.Fatal("the lock was taken twice")
	}
	got := make(chan error, 1)
	go func() {
		u, err := lockImport(context.Background(), data)
		if err == nil {
			u()
		}
		got <- err
	}()
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Errorf("the second holder: %v", err)
		}
	case <-time.After(30 * time.Second): // generous: it polls every 50 ms
		t.Error("the second holder never got the lock")
	}
}

// TestSweepAside: serve deletes what a killed first import left aside
// (the file and its journal) when nobody holds the import lock. While an
// import holds the lock it waits, its context ending the wait, and
// deletes nothing: that build is running.
func TestSweepAside(t *testing.T) {
	data := t.TempDir()
	left := []string{
		filepath.Join(data, "."+database.FileName+".dang-nhap"),
		filepath.Join(data, "."+database.FileName+".dang-nhap-journal"),
	}
	for _, f := range left {
		if err := os.WriteFile(f, []byte("a build that was killed"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.DiscardHandler)
	unlock, err := lockImport(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := settleAside(ctx, data, log); err == nil {
		t.Error("settled while an import held the lock")
	}
	for _, f := range left {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("deleted while an import held the lock: %v", err)
		}
	}
	unlock()
	release, err := settleAside(context.Background(), data, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range left {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s left after the sweep: %v", f, err)
		}
	}
	// settleAside holds the lock until released.
	if _, held, _ := tryLockImport(data); !held {
		t.Error("the lock was free before the release")
	}
	release()
	if u, held, err := tryLockImport(data); held || err != nil {
		t.Errorf("the lock after the release: held %v, %v", held, err)
	} else {
		u()
	}
	// A folder that is not there yet is made, and its lock held: an
	// import started at the same moment waits for serve's open.
	missing := filepath.Join(data, "nothing-here")
	release, err = settleAside(context.Background(), missing, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, held, err := tryLockImport(missing); !held {
		t.Errorf("the new folder's lock is not held: %v", err)
	}
	release()
}

// TestTryLockImportError: a lock that cannot be tried is an error, not
// a lock another process holds (which a command would say it waits for).
func TestTryLockImportError(t *testing.T) {
	data := t.TempDir()
	if err := os.Mkdir(filepath.Join(data, importLockName), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, held, err := tryLockImport(data); held || err == nil {
		t.Errorf("a lock file that is a folder: held %v, error %v", held, err)
	}
}
