package database

import (
	"database/sql"
	"testing"
)

// TestCacheSizeByRole: every reader connection has a small page cache and
// the writer a modest one, made large only while BulkWrites is in force
// (an import). Before, every connection had 64 MiB: after the start check
// and a few searches at 100,000 items, serve held 4 readers' worth of
// pages it would never read again (docs/PERFORMANCE.md, issue 18).
func TestCacheSizeByRole(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	readers := make([]*sql.Conn, 0, 4)
	for range 4 { // held at once: four distinct connections of the pool
		c, err := db.Read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, c)
	}
	checkReaders := func(when string) {
		t.Helper()
		for i, c := range readers {
			var n int
			if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != -readerCacheKiB {
				t.Errorf("%s: reader %d has cache_size %d, want %d", when, i, n, -readerCacheKiB)
			}
		}
	}
	writer := func() int {
		t.Helper()
		var n int
		if err := db.Write.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	checkReaders("at open")
	if n := writer(); n != -writerCacheKiB {
		t.Errorf("writer cache_size %d, want %d", n, -writerCacheKiB)
	}
	done, err := db.BulkWrites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := writer(); n != -bulkCacheKiB {
		t.Errorf("writer cache_size during BulkWrites %d, want %d", n, -bulkCacheKiB)
	}
	checkReaders("during BulkWrites")
	done()
	if n := writer(); n != -writerCacheKiB {
		t.Errorf("writer cache_size after BulkWrites %d, want %d", n, -writerCacheKiB)
	}
	for _, c := range readers {
		c.Close()
	}
	if readerCacheKiB > 4<<10 || writerCacheKiB > 16<<10 || bulkCacheKiB < 32<<10 {
		t.Errorf("cache sizes %d / %d / %d KiB: readers and the writer must stay small, an import's writer large",
			readerCacheKiB, writerCacheKiB, bulkCacheKiB)
	}
}
