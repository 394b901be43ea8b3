package app_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"cchc/internal/database"
)

// TestCommandsSayUpgrade: a command that opens a database of an older
// version says, in Vietnamese on stderr, that it upgrades it first and
// when it is done (a large one takes minutes); on a new database or one
// up to date it says nothing of it.
func TestCommandsSayUpgrade(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	content := contentDir(t)
	code, _, stderr := run(t, nil, "import", "--data", data, content)
	if code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	if strings.Contains(stderr, "nâng cấp") {
		t.Errorf("a new database: %s", stderr)
	}
	// The database as a release before migration 0043 left it: without
	// that migration's index and its row (0043 only makes the index, so
	// Open applies it again as it would on an older file; should a later
	// migration change that index, undo another migration that only
	// makes one).
	older := func() {
		t.Helper()
		raw, err := sql.Open("sqlite", filepath.Join(data, database.FileName))
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.ExecContext(t.Context(), `DROP INDEX items_sitemap; DELETE FROM schema_migrations WHERE version = 43`); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"import", "--data", data, content},
		{"reindex", "--data", data},
	} {
		older()
		code, _, stderr := run(t, nil, args...)
		if code != 0 {
			t.Fatalf("%s: %d %s", args[0], code, stderr)
		}
		prefix := "cchc " + args[0] + ": "
		for _, want := range []string{
			prefix + "đang nâng cấp cơ sở dữ liệu cho phiên bản mới (1 bước)",
			prefix + "đã nâng cấp cơ sở dữ liệu (",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: no %q in:\n%s", args[0], want, stderr)
			}
		}
		code, _, stderr = run(t, nil, args...)
		if code != 0 || strings.Contains(stderr, "nâng cấp") {
			t.Errorf("%s again, up to date: %d %s", args[0], code, stderr)
		}
	}
}
