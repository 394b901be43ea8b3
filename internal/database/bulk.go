package database

import (
	"context"
	"fmt"
)

// Pages of WAL between checkpoints: SQLite's default (4 MiB in pages of
// 4 KiB), and the bytes a bulk write (an import) lets it grow to.
const (
	checkpointPages = 1000
	bulkCheckpoint  = 64 << 20
)

// BulkWrites lets the WAL grow to 64 MiB before the writer copies it into
// the database, and gives the writer a page cache of 64 MiB instead of its
// usual few MB, until the returned function is called. An import writes
// hundreds of MB in short transactions; at SQLite's default (4 MiB) every
// few transactions checkpoint, and the pages they all touch (index
// interiors, the search index's segments) are copied into the file again
// each time; the large cache keeps those pages in memory between
// transactions. Readers are not held up: they read the WAL as before.
func (db *DB) BulkWrites(ctx context.Context) (done func(), err error) {
	var size int
	if err := db.Write.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return nil, fmt.Errorf("database: page_size: %w", err)
	}
	if err := db.checkpointAfter(ctx, bulkCheckpoint/max(size, 512)); err != nil {
		return nil, err
	}
	if err := db.writerCache(ctx, bulkCacheKiB); err != nil {
		return nil, err
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		db.checkpointAfter(ctx, checkpointPages)
		db.writerCache(ctx, writerCacheKiB) // the pages past it are freed
	}, nil
}

// writerCache sets the writer's page cache to kib KiB.
func (db *DB) writerCache(ctx context.Context, kib int) error {
	if _, err := db.Write.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -kib)); err != nil {
		return fmt.Errorf("database: cache_size: %w", err)
	}
	return nil
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
