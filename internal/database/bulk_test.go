package database

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// walSize is the size of db's WAL file, 0 when there is none.
func walSize(t *testing.T, db *DB) int64 {
	t.Helper()
	info, err := os.Stat(db.Path + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestBulkWritesTruncatesWAL: during BulkWrites the WAL is checkpointed
// only past 64 MiB; when it ends, the WAL file is truncated to nothing
// while the database stays open (a serving process keeps its connections
// for days). Before, it stayed at the largest size the import gave it
// (the 64 MiB bound and more: the index build is one transaction).
func TestBulkWritesTruncatesWAL(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	if _, err := db.Write.ExecContext(ctx, `CREATE TABLE bulk_test (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	done, err := db.BulkWrites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var size, pages int
	if err := db.Write.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if err := db.Write.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if pages*size != bulkCheckpoint {
		t.Errorf("wal_autocheckpoint during BulkWrites: %d pages of %d bytes, want %d bytes", pages, size, bulkCheckpoint)
	}
	blob := []byte(strings.Repeat("x", 64<<10))
	for range 20 { // 20 transactions of 256 KiB: 5 MiB, past SQLite's default bound
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			for range 4 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO bulk_test (b) VALUES (?)`, blob); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := walSize(t, db); n < 5<<20 {
		t.Errorf("WAL during BulkWrites: %d bytes, want the 5 MiB written, not checkpointed", n)
	}
	if err := done(); err != nil {
		t.Fatal(err)
	}
	if n := walSize(t, db); n != 0 {
		t.Errorf("WAL after BulkWrites: %d bytes, want 0 (truncated)", n)
	}
	if err := db.Write.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if pages != checkpointPages {
		t.Errorf("wal_autocheckpoint after BulkWrites: %d, want %d", pages, checkpointPages)
	}
	if n := count(t, db.Read, `SELECT count(*) FROM bulk_test`); n != 80 {
		t.Errorf("%d rows after the checkpoint, want 80", n)
	}
}

// termRows is the rows writeTerms writes, each of termWords distinct
// words: some 360 KB of index a transaction, 90 of FTS5's leaves of 4 KB
// — FTS5 merges in units of 64 leaves written, so a transaction of a few
// small rows would never make it merge.
const termRows, termWords = 10, 3000

// writeTerms writes, in one transaction, termRows rows into the
// full-text tables, rowids from n*termRows+1, each body termWords words
// seen nowhere else.
func writeTerms(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := t.Context()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for r := range termRows {
			var b strings.Builder
			b.WriteString("cai cach hanh chinh")
			for k := range termWords {
				fmt.Fprintf(&b, " w%dr%dk%d", n, r, k)
			}
			id := n*termRows + r + 1
			if _, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, title, codes, summary, body) VALUES (?, 'thu tuc', '', 'tom tat', ?)`, id, b.String()); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO search_title (rowid, title) VALUES (?, 'thu tuc')`, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ftsSegments counts the segments of the FTS5 table t.
func ftsSegments(t *testing.T, q interface {
	QueryRow(string, ...any) *sql.Row
}, table string) int {
	t.Helper()
	var n int
	if err := q.QueryRow(`SELECT count(DISTINCT segid) FROM ` + table + `_idx`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// configRows lists the rows of the FTS5 table t's _config, in key order.
func configRows(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	out, err := queryStrings(t.Context(), db, `SELECT k || '=' || v FROM `+table+`_config ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

// TestBulkWritesMergesSearchOnce: while BulkWrites is in force FTS5
// merges nothing (each transaction leaves its segment), and done merges
// them once into one; the full-text tables' settings are then FTS5's
// defaults again, their _config rows as before, and every row is found.
// Before, FTS5 merged at every 4 segments of a level while the
// transactions went in, and 12 transactions ended in several segments.
func TestBulkWritesMergesSearchOnce(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	before := configRows(t, db.Read, "search") + " | " + configRows(t, db.Read, "search_title")
	done, err := db.BulkWrites(ctx, "search", "search_title")
	if err != nil {
		t.Fatal(err)
	}
	const txs = 12
	for i := range txs {
		writeTerms(t, db, i)
	}
	if n := ftsSegments(t, db.Read, "search"); n < txs {
		t.Errorf("search during BulkWrites: %d segments, want at least %d (one a transaction or more, none merged)", n, txs)
	}
	if err := done(); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"search", "search_title"} {
		if n := ftsSegments(t, db.Read, table); n != 1 {
			t.Errorf("%s after BulkWrites: %d segments, want 1", table, n)
		}
	}
	if after := configRows(t, db.Read, "search") + " | " + configRows(t, db.Read, "search_title"); after != before {
		t.Errorf("full-text settings after BulkWrites: %q, want %q as before", after, before)
	}
	if n := count(t, db.Read, `SELECT count(*) FROM search WHERE search MATCH 'cai AND hanh'`); n != txs*termRows {
		t.Errorf("search finds %d rows, want %d", n, txs*termRows)
	}
	if n := count(t, db.Read, `SELECT count(*) FROM search WHERE search MATCH 'w3r4k2999'`); n != 1 {
		t.Errorf("search finds %d rows of one word, want 1", n)
	}
	if n := count(t, db.Read, `SELECT count(*) FROM search_title WHERE search_title MATCH 'thu'`); n != txs*termRows {
		t.Errorf("search_title finds %d rows, want %d", n, txs*termRows)
	}
	// A later write merges as FTS5 does by default: its segment beside
	// the merged one, no crisis.
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO search (rowid, title, codes, summary, body) VALUES (?, 'moi', '', '', 'moi')`, txs*termRows+1); err != nil {
		t.Fatal(err)
	}
	if n := ftsSegments(t, db.Read, "search"); n != 2 {
		t.Errorf("search after one more write: %d segments, want 2", n)
	}
}

// TestOpenResetsInterruptedBulkMerge: a process that died inside
// BulkWrites left its FTS5 settings (no automerge) in the file; the next
// Open puts FTS5's defaults back, so the index merges again as it is
// written. Before, the settings stayed and every later save added a
// segment never merged but in a crisis (1999 of them).
func TestOpenResetsInterruptedBulkMerge(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	before := configRows(t, db.Read, "search")
	if _, err := db.BulkWrites(t.Context(), "search", "search_title"); err != nil {
		t.Fatal(err)
	}
	// Killed here: done never runs.
	if got := configRows(t, db.Read, "search"); !strings.Contains(got, "automerge=0") {
		t.Fatalf("search_config during BulkWrites: %q, want automerge=0", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := configRows(t, db.Read, "search"); got != before {
		t.Errorf("search_config after the next Open: %q, want %q", got, before)
	}
	if got := configRows(t, db.Read, "search_title"); strings.Contains(got, "merge") {
		t.Errorf("search_title_config after the next Open: %q, want no merge settings", got)
	}
	// Merging by default again: FTS5 merges at 4 segments of a level.
	const txs = 8
	for i := range txs {
		writeTerms(t, db, i)
	}
	if n := ftsSegments(t, db.Read, "search"); n >= txs {
		t.Errorf("search after %d transactions: %d segments, want FTS5's automerge to have merged some", txs, n)
	}
}
