package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrWALWithoutSHM is returned by OpenReadOnly for a database whose -wal
// file holds changes but whose -shm file is missing, in a folder it cannot
// create that file in: SQLite cannot read the changes without it.
var ErrWALWithoutSHM = errors.New("database: the -wal file needs its -shm file beside it")

// OpenReadOnly opens the existing database file at path for reading only:
// nothing is created, no migration runs, and Tx fails with ErrReadOnly. It
// works on a data folder the process may not write to (a copy made
// read-only): with changes still in the -wal file it needs the -shm file
// beside it; a database closed cleanly (no -wal, or an empty one) is read
// as immutable, because SQLite could not create the -shm file there. The
// schema is not checked; see CheckSchema.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	r, err := openReader(ctx, abs, false)
	if err != nil {
		wal, walErr := os.Stat(abs + "-wal")
		switch {
		case walErr != nil || wal.Size() == 0:
			// Nothing in a WAL to miss: read the file as it is.
			var err2 error
			if r, err2 = openReader(ctx, abs, true); err2 != nil {
				return nil, err
			}
		case !exists(abs + "-shm"):
			return nil, fmt.Errorf("%w (%s): %w", ErrWALWithoutSHM, abs, err)
		default:
			return nil, err
		}
	}
	return &DB{Read: r, Write: r, Path: abs, readOnly: true}, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// openReader opens a pool of read-only connections to path and reads the
// schema once, so that a file SQLite cannot open or read fails here.
func openReader(ctx context.Context, path string, immutable bool) (*sql.DB, error) {
	u := useReadOnly
	if immutable {
		u = useImmutable
	}
	db, err := sql.Open("sqlite", dsn(path, u))
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(0)
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema`).Scan(&tables); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	return db, nil
}

// SchemaError says that migrations this program knows have not been
// applied to the database, which a read-only open cannot do.
type SchemaError struct {
	// Missing are the names of the migrations not applied, in order.
	Missing []string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("database: %d migrations not applied (first %s)", len(e.Missing), e.Missing[0])
}

// CheckSchema returns a *SchemaError when migrations this program knows are
// missing from the database (a file written by an older version, or one
// that was never migrated); Open applies them, OpenReadOnly cannot.
func (db *DB) CheckSchema(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	applied := map[int]bool{}
	var has int
	if err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&has); err != nil {
		return fmt.Errorf("database: schema version: %w", err)
	}
	if has == 1 {
		var err error
		if applied, err = appliedVersions(ctx, db.Read); err != nil {
			return err
		}
	}
	var missing []string
	for _, m := range ms {
		if !applied[m.version] {
			missing = append(missing, strings.TrimSuffix(m.name, ".sql"))
		}
	}
	if len(missing) > 0 {
		return &SchemaError{Missing: missing}
	}
	return nil
}
