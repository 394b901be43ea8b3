package database

import (
	"context"
	"fmt"
)

// Pages of WAL between checkpoints: SQLite's default, and what a bulk
// write (an import) lets it grow to.
const (
	checkpointPages     = 1000  // 4 MiB
	bulkCheckpointPages = 16384 // 64 MiB
)

// BulkWrites lets the WAL grow to 64 MiB before the writer copies it into
// the database, until the returned function is called. An import writes
// hundreds of MB in short transactions; at SQLite's default (4 MiB) every
// few transactions checkpoint, and the pages they all touch (index
// interiors, the search index's segments) are copied into the file again
// each time. Readers are not held up: they read the WAL as before.
func (db *DB) BulkWrites(ctx context.Context) (done func(), err error) {
	if err := db.checkpointAfter(ctx, bulkCheckpointPages); err != nil {
		return nil, err
	}
	return func() { db.checkpointAfter(context.WithoutCancel(ctx), checkpointPages) }, nil
}

func (db *DB) checkpointAfter(ctx context.Context, pages int) error {
	if db.readOnly {
		return ErrReadOnly
	}
	if _, err := db.Write.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", pages)); err != nil {
		return fmt.Errorf("database: wal_autocheckpoint: %w", err)
	}
	return nil
}
