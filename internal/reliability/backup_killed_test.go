package reliability_test

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killedBackupMB is how much the test database is inflated by, so that the
// copy takes long enough to be killed in the middle (VACUUM INTO copies
// page by page; modernc's SQLite does some 100–300 MB/s).
const killedBackupMB = 64

// TestBackupKilled kills `cchc backup` (SIGKILL, the real binary) while it
// writes the database copy. What it leaves is readable by its owner only
// and is never taken for a backup (FILE does not exist); the next backup
// into the folder succeeds and removes the leftovers.
func TestBackupKilled(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, out := runCmd(t, "import", "--data", data, filepath.Join("..", "..", "content")); code != 0 {
		t.Fatalf("import: %d\n%s", code, out)
	}
	db, err := sql.Open("sqlite", filepath.Join(data, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for range killedBackupMB {
		if _, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, target, detail, address)
			VALUES (1, 'test', 'x', 't', printf('%.*c', 1048576, 'x'), '')`); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	backups := filepath.Join(dir, "sao-luu")
	if err := os.MkdirAll(backups, 0o750); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(backups, "cchc-1.db")
	cmd := exec.Command(binary(t), "backup", first, "--data", data)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tmpRe := regexp.MustCompile(`^\.cchc-1\.db\.tmp-`)
	start := time.Now()
	var seen string
	var seenSize int64
	for seen == "" {
		entries, _ := os.ReadDir(backups)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && tmpRe.MatchString(e.Name()) && info.Size() > 1<<20 {
				seen, seenSize = e.Name(), info.Size()
			}
		}
		select {
		case err := <-done:
			t.Fatalf("the backup ended (%v) after %s before it could be killed mid-copy; raise killedBackupMB", err, time.Since(start))
		default:
		}
		if seen == "" {
			time.Sleep(time.Millisecond)
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	t.Logf("killed after %s, %s at %d bytes", time.Since(start).Round(time.Millisecond), seen, seenSize)

	if _, err := os.Stat(first); err == nil {
		t.Error("a killed backup left its FILE")
	}
	entries, _ := os.ReadDir(backups)
	left := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if tmpRe.MatchString(e.Name()) {
			left++
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("the killed backup left %s with mode %v: others may read it", e.Name(), info.Mode().Perm())
		}
	}
	if left == 0 {
		t.Errorf("no partial copy left after SIGKILL (the test did not kill it mid-copy)")
	}

	second := filepath.Join(backups, "cchc-2.db")
	out := runBackup(t, second, data)
	entries, _ = os.ReadDir(backups)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("%s stayed after the next backup", e.Name())
		}
	}
	if info, err := os.Stat(second); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the next backup: %v, mode %v\n%s", err, info.Mode().Perm(), out)
	}
	t.Logf("backup folder after the next backup: %v", names)
}
