package app

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"cchc/internal/database"
	"cchc/internal/locale"
)

// TestUpgradeTextSaysWhy: a compaction that failed says why in Vietnamese
// for the causes an operator meets (SQLite's own lock error, made for
// real; a full disk), and that the database works as it is.
func TestUpgradeTextSaysWhy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	a, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hold, err := a.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	if _, err := hold.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	_, busy := b.ExecContext(ctx, "CREATE TABLE t (x)")
	if !database.IsBusy(busy) {
		t.Fatalf("the second writer got %v, not SQLITE_BUSY", busy)
	}
	works := strings.SplitN(locale.T("cli.upgrade.not_compacted", "%s"), "%s", 2)[1]
	for _, tt := range []struct {
		err  error
		want string
	}{
		{busy, locale.T("cli.upgrade.compact_busy")},
		{&fs.PathError{Op: "write", Path: "cchc.db-wal", Err: syscall.ENOSPC}, locale.T("cli.upgrade.compact_full")},
	} {
		msg := upgradeText(database.Upgrade{Step: database.NotCompacted, Err: tt.err, SizeMiB: 4787})
		if !strings.Contains(msg, "("+tt.want+")") || !strings.HasSuffix(msg, works) {
			t.Errorf("%v: %q", tt.err, msg)
		}
	}
}
