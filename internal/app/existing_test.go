package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// A command that works on the column already there, given a data folder
// without a database (a mistyped --data), says so and makes nothing: it
// used to make a new empty database there, and export then said it had
// exported 0 items.
func TestCommandsNeedTheirDatabase(t *testing.T) {
	key := keygen(t, t.TempDir())
	for _, tc := range []struct {
		name string
		args func(data string) []string
	}{
		{"export", func(data string) []string {
			return []string{"export", "--data", data, filepath.Join(t.TempDir(), "xuat")}
		}},
		{"reindex", func(data string) []string { return []string{"reindex", "--data", data} }},
		{"build-static", func(data string) []string {
			return []string{"build-static", "--data", data, "--base-url", "https://cchc.example.gov.vn", filepath.Join(t.TempDir(), "ban-sao")}
		}},
		{"log anchor", func(data string) []string {
			return []string{"log", "anchor", "--key", key, "--data", data, "-o", filepath.Join(t.TempDir(), "moc.json")}
		}},
		{"user passwd", func(data string) []string {
			return []string{"user", "passwd", "lan", "--password-stdin", "--data", data}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, data := range []string{t.TempDir(), filepath.Join(t.TempDir(), "khong-co")} {
				code, stdout, stderr := run(t, nil, tc.args(data)...)
				if code != 1 || !strings.Contains(stderr, "--data (CCHC_DATA): không có cơ sở dữ liệu "+filepath.Join(data, database.FileName)) {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 naming the missing database", data, code, stdout, stderr)
				}
				if entries, err := os.ReadDir(data); err == nil && len(entries) > 0 {
					t.Errorf("%s: the command made %s there", data, entries[0].Name())
				}
			}
		})
	}
}

// Export makes its folder even when there is nothing to export, so that
// what it says is true of the folder, and a file in its place is an
// error in Vietnamese, not "0 items exported" to it.
func TestExportEmptyColumn(t *testing.T) {
	env := testsupport.Open(t, config.Defaults, nil)
	data := env.Config.Data
	env.Close()
	out := filepath.Join(t.TempDir(), "xuat")
	if code, stdout, stderr := run(t, nil, "export", "--data", data, out); code != 0 || !strings.Contains(stdout, "đã xuất 0 mục ra "+out) {
		t.Fatalf("export of an empty column: exit %d, %q %q", code, stdout, stderr)
	}
	if fi, err := os.Stat(out); err != nil || !fi.IsDir() {
		t.Errorf("export of an empty column made no folder: %v", err)
	}
	file := filepath.Join(t.TempDir(), "tep")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, nil, "export", "--data", data, file)
	if want := "cchc export: không tạo được thư mục " + file + ": không phải thư mục"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("export to a file: exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, want)
	}
	if b, _ := os.ReadFile(file); string(b) != "x" {
		t.Errorf("export changed the file in its way: %q", b)
	}
}
