package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// folderState lists the files of dir with a hash of each. It leaves out
// SQLite's -shm file (a shared-memory index readers may rebuild) and an
// empty -wal: SQLite creates both when it may, and they hold no data.
func folderState(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "-shm") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(b) == 0 && strings.HasSuffix(p, "-wal") {
			return nil
		}
		sum := sha256.Sum256(b)
		lines = append(lines, rel+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// readOnlyCopy copies the data folder from into a new folder and takes
// away every write permission (files and folders); the permissions come
// back at the end of the test so that it can be removed.
func readOnlyCopy(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "data")
	copyTree(t, from, to)
	var dirs []string
	filepath.WalkDir(to, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() {
			dirs = append(dirs, p)
			return os.Chmod(p, 0o555)
		}
		return os.Chmod(p, 0o444)
	})
	t.Cleanup(func() {
		for _, d := range dirs {
			os.Chmod(d, 0o755)
		}
	})
	return to
}

// TestReadOnlyCommands: log verify, report, user list and check work on a
// copy of the data folder with every write permission taken away — one
// closed cleanly and one copied with changes still in its WAL (and the
// -shm beside it) — and leave its data as it was. (Run as root, the
// permissions stop nothing; internal/reliability runs the binary as an
// unprivileged user, for whom they do.)
func TestReadOnlyCommands(t *testing.T) {
	clean, _ := demoWithMedia(t)

	// A copy taken while the server runs: the last changes only in the WAL.
	live := filepath.Join(t.TempDir(), "data")
	copyTree(t, clean, live)
	cfg := config.Defaults
	cfg.Data = live
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Write.Exec(`PRAGMA wal_autocheckpoint = 0`); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runIn(t, "mật khẩu của biên tập\n", "user", "add", "bientap", "--role", "editor", "--password-stdin", "--data", live); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	withWAL := filepath.Join(t.TempDir(), "data")
	copyTree(t, live, withWAL)
	env.Close()
	if info, err := os.Stat(filepath.Join(withWAL, database.FileName+"-wal")); err != nil || info.Size() == 0 {
		t.Fatalf("the live copy has no WAL: %v", err)
	}

	for _, tc := range []struct {
		name, data, user string
	}{
		{"closed cleanly", clean, ""},
		{"with a WAL", withWAL, "bientap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := readOnlyCopy(t, tc.data)
			before := folderState(t, data)
			for _, cmd := range []struct {
				args []string
				want string
			}{
				{[]string{"log", "verify", "--data", data}, "Nhật ký đăng tải toàn vẹn"},
				{[]string{"report", "--data", data, "--year", "2026"}, "2026"},
				{[]string{"user", "list", "--data", data}, tc.user},
				{[]string{"check", "--data", data}, "Dữ liệu toàn vẹn"},
			} {
				code, out, errs := runCLI(t, cmd.args...)
				if code != 0 || !strings.Contains(out, cmd.want) {
					t.Errorf("cchc %s: exit %d, want 0 with %q\n%s%s", strings.Join(cmd.args[:2], " "), code, cmd.want, out, errs)
				}
			}
			if after := folderState(t, data); after != before {
				t.Errorf("the read-only folder changed:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// TestReadOnlyCommandsRefuse: on a folder with no database the read-only
// commands say so and create nothing; on a database an older version
// wrote (a migration missing) they say it must be upgraded first and do
// not upgrade it.
func TestReadOnlyCommandsRefuse(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "data")
	old := migratedData(t)
	db := testsupport.FileDB(t, filepath.Join(old, database.FileName), false)
	var last int
	if err := db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `DELETE FROM schema_migrations WHERE version = ?`, last)
	db.Close()
	commands := [][]string{{"log", "verify"}, {"report"}, {"user", "list"}}
	for _, cmd := range commands {
		code, out, errs := runCLI(t, append(cmd, "--data", empty)...)
		if code != 1 || !strings.Contains(errs, "không có cơ sở dữ liệu") {
			t.Errorf("cchc %s on no database: exit %d\n%s%s", cmd[0], code, out, errs)
		}
		code, out, errs = runCLI(t, append(cmd, "--data", old)...)
		if code != 1 || !strings.Contains(errs, "chưa được nâng cấp") || !strings.Contains(errs, "cchc serve") {
			t.Errorf("cchc %s on an old database: exit %d\n%s%s", cmd[0], code, out, errs)
		}
	}
	if code, out, errs := runCLI(t, "check", "--data", empty); code != 1 || !strings.Contains(errs, "không có cơ sở dữ liệu") {
		t.Errorf("cchc check on no database: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(empty); err == nil {
		t.Error("a read-only command created the data folder")
	}
	code, out, errs := runCLI(t, "check", "--data", old)
	if code != 1 || !strings.Contains(out, "Cấu trúc cơ sở dữ liệu (PRAGMA integrity_check; thông báo của SQLite): tốt") ||
		!strings.Contains(errs, "không hỏng nhưng chưa được nâng cấp") {
		t.Errorf("cchc check on an old database: exit %d\n%s%s", code, out, errs)
	}
	db = testsupport.FileDB(t, filepath.Join(old, database.FileName), false)
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, last).Scan(&n); err != nil || n != 0 {
		t.Errorf("the old database was upgraded (%d, %v)", n, err)
	}
}
