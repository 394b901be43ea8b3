package app_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/store"
)

// TestBackupRemovesStaleTemps: a backup killed half-way leaves its
// temporary files (internal/reliability kills a real one); the next backup
// into the folder removes them — unless another backup is running into it
// at that moment, when only those older than a day go — and what it
// writes is the owner's alone.
func TestBackupRemovesStaleTemps(t *testing.T) {
	data, _ := demoWithMedia(t)
	dir := filepath.Join(t.TempDir(), "sao-luu")
	media := filepath.Join(dir, store.MediaDirName)
	if err := os.MkdirAll(media, 0o750); err != nil {
		t.Fatal(err)
	}
	// What the previous version left when killed: readable by everyone.
	stale := []string{filepath.Join(dir, ".cchc-1.db.tmp-ABCDEFGH"), filepath.Join(dir, ".cchc-1.db.tmp-ABCDEFGH-journal"),
		filepath.Join(media, ".chep-123456")}
	oldStale := filepath.Join(dir, ".cchc-0.db.tmp-QRSTUVWX")
	keep := []string{filepath.Join(dir, "ghi-chu.txt"), filepath.Join(dir, ".cchc-1.db.tmp-short")}
	for _, p := range append(append(stale, oldStale), keep...) {
		if err := os.WriteFile(p, []byte("SQLite format 3\x00 nửa chừng"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	twoDaysAgo := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(oldStale, twoDaysAgo, twoDaysAgo); err != nil {
		t.Fatal(err)
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	// Another backup runs into the folder: it holds the folder's lock.
	lock, err := os.OpenFile(filepath.Join(dir, ".cchc-sao-luu.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_SH); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Backup(t.Context(), data, filepath.Join(dir, "cchc-2.db")); err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		if !exists(p) {
			t.Errorf("%s was removed while another backup was running", filepath.Base(p))
		}
	}
	if exists(oldStale) {
		t.Error("a two-day-old temporary file stayed")
	}
	lock.Close()

	res, err := app.Backup(t.Context(), data, filepath.Join(dir, "cchc-3.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		if exists(p) {
			t.Errorf("%s stayed after the next backup", filepath.Base(p))
		}
	}
	for _, p := range keep {
		if !exists(p) {
			t.Errorf("%s is not a backup's temporary file but was removed", filepath.Base(p))
		}
	}
	for _, p := range []string{res.File, filepath.Join(dir, "cchc-2.db"), filepath.Join(dir, ".cchc-sao-luu.lock")} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), info.Mode().Perm())
		}
	}
	// The two uploads, and the demo activities' evidence.
	if want := 2 + demoEvidence(t); res.MediaFiles != want {
		t.Errorf("%d media files in the backup, want %d", res.MediaFiles, want)
	}
}
