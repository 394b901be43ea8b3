package database

import (
	"database/sql"
	"testing"
)

// TestWriterTempStoreInMemory: the writer keeps its temporary data —
// the statement journal of an insert that runs triggers, the sort of an
// index build — in memory, and readers keep theirs in files. An import
// with temp_store at its default wrote 1.8 GB to unlinked files in
// /var/tmp, on disk, for 10,000 items (190,000 write calls; strace, in
// docs/PERFORMANCE.md, h28). Those files were no longer open when the
// statements that spilled returned, so a test cannot catch one from Go;
// it checks what each connection was given.
func TestWriterTempStoreInMemory(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	var store int
	if err := db.Write.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&store); err != nil {
		t.Fatal(err)
	}
	if store != 2 {
		t.Errorf("writer's temp_store = %d, want 2 (MEMORY)", store)
	}
	// Every reader of the pool, not only the first.
	var conns []*sql.Conn
	for range 4 {
		c, err := db.Read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if err := c.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&store); err != nil {
			t.Fatal(err)
		}
		if store != 0 {
			t.Errorf("reader's temp_store = %d, want 0 (the default: files)", store)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
