package database

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// DeferIndexes drops the secondary indexes of tables when every one of
// them is empty, so that a load into an empty database (the first import)
// builds each index once at the end, by sorting, instead of inserting
// every row into every index's B-tree. Unique indexes (and the automatic
// ones of UNIQUE and PRIMARY KEY columns) are kept: they enforce the
// schema's constraints while rows go in. When a table holds a row nothing
// is dropped and restore does nothing.
//
// The statements of the dropped indexes are kept in deferred_indexes in
// the transaction that drops them; restore builds them again and deletes
// the rows in one transaction, so the indexes are either all missing with
// their rows kept, or all back. A crash in between leaves the rows, and
// Open builds the indexes before anything else. restore may be called
// more than once; only the first call does anything, and it leaves the
// writer with its usual page cache (see BulkWrites). deferred is the
// number of indexes dropped.
func (db *DB) DeferIndexes(ctx context.Context, tables ...string) (restore func(context.Context) error, deferred int, err error) {
	noop := func(context.Context) error { return nil }
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for _, t := range tables {
			var any int
			err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %q)`, t)).Scan(&any)
			if err != nil {
				return fmt.Errorf("database: defer indexes: %s: %w", t, err)
			}
			if any != 0 {
				return nil
			}
		}
		type index struct{ name, sql string }
		var drop []index
		for _, t := range tables {
			rows, err := tx.QueryContext(ctx, `SELECT s.name, s.sql FROM sqlite_schema s
				JOIN pragma_index_list(?1) l ON l.name = s.name
				WHERE s.type = 'index' AND s.tbl_name = ?1 AND s.sql IS NOT NULL AND l."unique" = 0
				ORDER BY s.name`, t)
			if err != nil {
				return fmt.Errorf("database: defer indexes: %s: %w", t, err)
			}
			for rows.Next() {
				var ix index
				if err := rows.Scan(&ix.name, &ix.sql); err != nil {
					rows.Close()
					return fmt.Errorf("database: defer indexes: %s: %w", t, err)
				}
				drop = append(drop, ix)
			}
			if err := rows.Close(); err != nil {
				return fmt.Errorf("database: defer indexes: %s: %w", t, err)
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("database: defer indexes: %s: %w", t, err)
			}
		}
		for _, ix := range drop {
			if _, err := tx.ExecContext(ctx, `INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)`, ix.name, ix.sql); err != nil {
				return fmt.Errorf("database: defer index %s: %w", ix.name, err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DROP INDEX %q`, ix.name)); err != nil {
				return fmt.Errorf("database: defer index %s: %w", ix.name, err)
			}
		}
		deferred = len(drop)
		return nil
	})
	if err != nil || deferred == 0 {
		return noop, 0, err
	}
	var once sync.Once
	var rerr error
	return func(ctx context.Context) error {
		once.Do(func() {
			// Built even when the load was cancelled: the rows it wrote
			// stay, and so must their indexes.
			ctx := context.WithoutCancel(ctx)
			// With the writer's usual cache, not an import's 64 MiB
			// (BulkWrites): SQLite's sorter keeps up to the cache's size
			// in memory for each index it builds. 17 indexes over
			// 100,000 items: 2.7 s and 22 MB with 8 MiB, 3.4 s and
			// 122 MB with 64 MiB (sqlite3, the same file).
			if rerr = db.writerCache(ctx, writerCacheKiB); rerr != nil {
				return
			}
			rerr = db.Tx(ctx, func(tx *sql.Tx) error {
				return buildDeferred(ctx, tx)
			})
		})
		return rerr
	}, deferred, nil
}

// buildDeferred builds the indexes deferred_indexes lists and deletes
// their rows, in the caller's transaction.
func buildDeferred(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM deferred_indexes ORDER BY name`)
	if err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	var stmts []string
	for rows.Next() {
		var name, stmt string
		if err := rows.Scan(&name, &stmt); err != nil {
			rows.Close()
			return fmt.Errorf("database: deferred indexes: %w", err)
		}
		stmts = append(stmts, stmt)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("database: build deferred index: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deferred_indexes`); err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	return nil
}

// restoreDeferred builds, at open and before the migrations, the indexes
// an import dropped and did not build again (it crashed or was killed in
// between): migrations and queries then find the schema whole.
func restoreDeferred(ctx context.Context, w *sql.DB) error {
	var has int
	if err := w.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'deferred_indexes'`).Scan(&has); err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	if has == 0 {
		return nil
	}
	var n int
	if err := w.QueryRowContext(ctx, `SELECT COUNT(*) FROM deferred_indexes`).Scan(&n); err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	if n == 0 {
		return nil
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	defer tx.Rollback()
	if err := buildDeferred(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: deferred indexes: %w", err)
	}
	return nil
}
