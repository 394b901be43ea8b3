package database

import (
	"context"
	"database/sql"
	"fmt"
)

// VacuumInto writes a compacted, consistent copy of the database file src
// into dst (which must not exist, or be empty) through a read-only
// connection of its own: one read transaction, so the copy is the state
// after some commit however busy the writer is, and the writer never
// waits for it.
func VacuumInto(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", dsn(src, useCopy))
	if err != nil {
		return fmt.Errorf("database: open %s: %w", src, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("database: copy %s: %w", src, err)
	}
	return nil
}
