package database

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Pages of WAL between checkpoints: SQLite's default (4 MiB in pages of
// 4 KiB), and the bytes a bulk write (an import) lets it grow to.
const (
	checkpointPages = 1000
	bulkCheckpoint  = 64 << 20
)

// FTS5's merge settings (its documentation's defaults), the crisis merge
// a bulk write sets (FTS5's largest: segments up to 1999 at one level),
// and the pages of merged index one step of the merge at its end writes
// in one transaction (16 MB in pages of 16 KiB).
const (
	ftsAutomerge    = 4
	ftsCrisismerge  = 16
	bulkCrisismerge = 1999
	bulkMergeStep   = 1000
	// maxMergeSteps bounds the steps of one merge (160 GB of index).
	maxMergeSteps = 10_000
)

// BulkWrites prepares the writer for a long run of short write
// transactions (an import) until the returned function is called:
//
//   - The WAL grows to 64 MiB before the writer copies it into the
//     database, and the writer's page cache is 64 MiB instead of its
//     usual few MB. At SQLite's default (4 MiB) every few transactions
//     checkpoint, and the pages they all touch (index interiors, the
//     search index's segments) are copied into the file again each time;
//     the large cache keeps those pages in memory between transactions.
//     Readers are not held up: they read the WAL as before. 16 MiB,
//     256 MiB and no bound each cost 3–7% more CPU at 10,000 items
//     (docs/PERFORMANCE.md, h26-writer).
//   - The FTS5 tables fts (full-text indexes the run writes) merge no
//     segments while it lasts (automerge 0, crisis merge at 1999
//     segments): each transaction leaves one new segment, and done merges
//     them once. FTS5's own merges rewrote each term's entries two or
//     three times over an import of 10,000 items (a merge at every 4
//     segments of a level); merged at the end, once, and the index ends
//     in fewer segments than FTS5 leaves it.
//
// done puts the settings back (FTS5's defaults, their rows removed from
// each table's _config, as a database never bulk-written has none),
// merges each index's segments level by level as FTS5's 'merge' does, in
// steps of bulkMergeStep pages each its own transaction, and truncates
// the WAL (a TRUNCATE checkpoint), which would otherwise stay at its
// largest. Only its first call does anything; it runs even when ctx was
// cancelled. A crash before done leaves the FTS5 settings in the file:
// Open puts them back (resetBulkMerge).
func (db *DB) BulkWrites(ctx context.Context, fts ...string) (done func() error, err error) {
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
	// Written through Tx, as every change: not while writes are held,
	// never into a damaged file.
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for _, t := range fts {
			if err := ftsMergeSettings(ctx, tx, t, 0, bulkCrisismerge); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var once sync.Once
	var derr error
	return func() error {
		once.Do(func() {
			ctx := context.WithoutCancel(ctx)
			keep := func(err error) {
				if derr == nil {
					derr = err
				}
			}
			keep(db.checkpointAfter(ctx, checkpointPages))
			keep(db.writerCache(ctx, writerCacheKiB)) // the pages past it are freed
			for _, t := range fts {
				keep(db.Tx(ctx, func(tx *sql.Tx) error { return resetMerge(ctx, tx, t) }))
				keep(db.MergeFTS(ctx, t, bulkMergeStep))
			}
			// Busy (a reader on an older snapshot) is no error: the WAL
			// is then reset by a later checkpoint.
			if _, err := db.Write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				keep(fmt.Errorf("database: checkpoint: %w", err))
			}
		})
		return derr
	}, nil
}

// execer is what runs a statement: a transaction of the writer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ftsMergeSettings sets the FTS5 table t's automerge and crisismerge
// (kept in its _config table, so for every connection).
func ftsMergeSettings(ctx context.Context, w execer, t string, automerge, crisismerge int) error {
	for _, kv := range []struct {
		k string
		v int
	}{{"automerge", automerge}, {"crisismerge", crisismerge}} {
		if _, err := w.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %q (%q, rank) VALUES (?, ?)`, t, t), kv.k, kv.v); err != nil {
			return fmt.Errorf("database: %s %s: %w", t, kv.k, err)
		}
	}
	return nil
}

// resetMerge gives the FTS5 table t FTS5's default merge settings again
// and removes their rows from t's _config: the settings in force are then
// those of a table never bulk-written, and so are its rows. The rows are
// removed after the settings were set through FTS5, which keeps them in
// each connection's memory: a connection that loads the settings again
// finds the same defaults.
func resetMerge(ctx context.Context, w execer, t string) error {
	if err := ftsMergeSettings(ctx, w, t, ftsAutomerge, ftsCrisismerge); err != nil {
		return err
	}
	if _, err := w.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %q WHERE k IN ('automerge', 'crisismerge')`, t+"_config")); err != nil {
		return fmt.Errorf("database: %s merge settings: %w", t, err)
	}
	return nil
}

// MergeFTS merges the FTS5 table t's segments in steps of |pages| pages
// of merged index, each its own transaction on the writer, so that a
// writer beside it (an editor's save) waits for one step, never for the
// whole merge, under its busy timeout. pages > 0 is FTS5's 'merge' (every
// level holding 4 segments or more merged into one at the next level, as
// automerge would have); pages < 0 its incremental 'optimize' (every
// segment into one). It is done when a step changes fewer than 2 rows, as
// FTS5's documentation says to tell; a merge that never says so ends
// after maxMergeSteps steps. t is a table name of the code, never input.
func (db *DB) MergeFTS(ctx context.Context, t string, pages int) error {
	for step := 0; ; step++ {
		if step == maxMergeSteps {
			return fmt.Errorf("database: merge %s: not done after %d steps", t, step)
		}
		var changed int64
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			var before, after int64
			if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %q (%q, rank) VALUES ('merge', ?)`, t, t), pages); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
				return err
			}
			changed = after - before
			return nil
		})
		if err != nil {
			return fmt.Errorf("database: merge %s: %w", t, err)
		}
		if changed < 2 {
			return nil
		}
	}
}

// resetBulkMerge puts back, at open and before the migrations, the merge
// settings of every FTS5 table a bulk write changed and did not put back
// (it crashed or was killed first): no migration sets them, so a row of
// them in a table's _config is a bulk write's. Left, the index would
// never merge its segments again but in crises.
func resetBulkMerge(ctx context.Context, w *sql.DB) error {
	tables, err := queryStrings(ctx, w, `SELECT name FROM sqlite_schema
		WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name`)
	if err != nil {
		return fmt.Errorf("database: full-text tables: %w", err)
	}
	for _, t := range tables {
		var n int
		if err := w.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %q WHERE k IN ('automerge', 'crisismerge')`, t+"_config")).Scan(&n); err != nil {
			return fmt.Errorf("database: %s merge settings: %w", t, err)
		}
		if n == 0 {
			continue
		}
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("database: %s merge settings: %w", t, err)
		}
		if err := resetMerge(ctx, tx, t); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("database: %s merge settings: %w", t, err)
		}
	}
	return nil
}

// queryStrings runs a query of one text column.
func queryStrings(ctx context.Context, w *sql.DB, query string) ([]string, error) {
	rows, err := w.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
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
