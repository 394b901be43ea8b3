package testsupport

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"cchc/internal/database"
)

// migrated is a new database file as database.Open leaves it, every
// migration applied and nothing else, made once per test process: a
// database with its 200-odd migrations applied one by one costs 0.1 s,
// and 3.4 s under the race detector (which slows the SQLite engine, pure
// Go here, most), where CI's race stage opens hundreds.
var migrated struct {
	once sync.Once
	data []byte
	err  error
}

// Migrated writes at path a new database file with every migration
// applied, for Open or database.Open to open as they would the file they
// create: the same bytes, made by database.Open once for the process and
// copied.
func Migrated(t testing.TB, path string) {
	t.Helper()
	migrated.once.Do(func() {
		dir, err := os.MkdirTemp("", "cchc-migrated-")
		if err != nil {
			migrated.err = err
			return
		}
		defer os.RemoveAll(dir)
		file := filepath.Join(dir, database.FileName)
		db, err := database.Open(context.Background(), file)
		if err != nil {
			migrated.err = err
			return
		}
		if migrated.err = db.Close(); migrated.err != nil {
			return
		}
		// Close ran PRAGMA optimize, which made the planner's statistics
		// tables: a database just created has none.
		raw, err := sql.Open("sqlite", file)
		if err != nil {
			migrated.err = err
			return
		}
		_, err = raw.Exec(`DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4`)
		// Closing the last connection checkpoints the write-ahead log
		// into the file and deletes it: the file alone is the database.
		if cerr := raw.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			migrated.err = err
			return
		}
		migrated.data, migrated.err = os.ReadFile(file)
	})
	if migrated.err != nil {
		t.Fatalf("the migrated database: %v", migrated.err)
	}
	if err := os.WriteFile(path, migrated.data, 0o600); err != nil {
		t.Fatal(err)
	}
}
