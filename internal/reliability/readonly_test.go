package reliability_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// nobody is the unprivileged account the read-only test runs the binary
// as when the test runs as root (for root, permissions stop nothing).
const nobody = 65534

// runAs runs the binary with args as an unprivileged user when the test
// runs as root, else as the test's own user; it returns the exit code and
// the output.
func runAs(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent"}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// worldDir is a new folder every user may enter (t.TempDir's are the
// owner's only), removed at the end of the test.
func worldDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "cchc-ro-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	return dir
}

// copyFolder copies the files of from into the new folder to.
func copyFolder(t *testing.T, from, to string, skip ...string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		for _, s := range skip {
			if rel == s {
				return nil
			}
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readOnly takes every write permission away under dir.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		return os.Chmod(p, 0o444)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
	}
}

// tree is every file under dir with the hash of its bytes.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, rel+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestReadOnlyCopy copies a data folder and takes every write permission
// away (chmod a-w on files and folders), then runs log verify, report,
// user list and check on it as a user the permissions bind (the binary
// drops to uid 65534 when the test runs as root). Two copies: one of a
// folder closed cleanly (no -wal: read as immutable) and one taken while
// a connection had changes only in its WAL (with the -wal and -shm
// files). Every command works and the folder is byte for byte what it
// was. A copy with the -wal but without its -shm is refused with a
// message saying what to copy.
func TestReadOnlyCopy(t *testing.T) {
	dir := worldDir(t)
	if err := os.Chmod(filepath.Dir(binary(t)), 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if code, out := runCmd(t, "import", "--data", data, filepath.Join("..", "..", "content")); code != 0 {
		t.Fatalf("import: %d\n%s", code, out)
	}
	add := exec.Command(binary(t), "user", "add", "bientap", "--role", "editor", "--password-stdin", "--data", data)
	add.Stdin = strings.NewReader("mật khẩu của biên tập\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	clean := filepath.Join(dir, "sach")
	copyFolder(t, data, clean)

	// Changes only in the WAL: a connection that does not checkpoint.
	db, err := sql.Open("sqlite", filepath.Join(data, "cchc.db")+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`PRAGMA wal_autocheckpoint = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO users (name, role, password_hash, created_at, modified_at, password_changed_at)
		VALUES ('chitrongwal', 'viewer', 'x', 1, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	withWAL := filepath.Join(dir, "wal")
	copyFolder(t, data, withWAL)
	noSHM := filepath.Join(dir, "thieu-shm")
	copyFolder(t, data, noSHM, "cchc.db-shm")
	db.Close()
	if info, err := os.Stat(filepath.Join(withWAL, "cchc.db-wal")); err != nil || info.Size() == 0 {
		t.Fatalf("the WAL copy has no WAL: %v", err)
	}
	if _, err := os.Stat(filepath.Join(clean, "cchc.db-wal")); err == nil {
		t.Fatal("the clean copy has a WAL")
	}

	for _, tc := range []struct {
		name, data, user string
	}{
		{"closed cleanly", clean, "bientap"},
		{"with a WAL", withWAL, "chitrongwal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			readOnly(t, tc.data)
			before := tree(t, tc.data)
			for _, cmd := range []struct {
				args []string
				want string
			}{
				{[]string{"log", "verify", "--data", tc.data}, "Nhật ký đăng tải toàn vẹn"},
				{[]string{"report", "--data", tc.data, "--year", "2026"}, "2026"},
				{[]string{"user", "list", "--data", tc.data}, tc.user},
				{[]string{"check", "--data", tc.data}, "Dữ liệu toàn vẹn"},
			} {
				code, out := runAs(t, cmd.args...)
				if code != 0 || !strings.Contains(out, cmd.want) {
					t.Errorf("cchc %s: exit %d, want 0 with %q\n%s", strings.Join(cmd.args[:2], " "), code, cmd.want, out)
				}
			}
			if after := tree(t, tc.data); after != before {
				t.Errorf("the read-only folder changed:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}

	readOnly(t, noSHM)
	code, out := runAs(t, "user", "list", "--data", noSHM)
	if code != 1 || !strings.Contains(out, "thiếu tệp cchc.db-shm") || !strings.Contains(out, "hãy chép cả tệp -shm") {
		t.Errorf("a WAL copy without its -shm: exit %d\n%s", code, out)
	}
}
