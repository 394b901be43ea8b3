package database

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// insertPlan is a write to see whether a transaction committed.
func insertPlan(ctx context.Context, year int) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO plans (year, number, title, data, content_hash) VALUES (?, 'n', 't', '{}', 'h')`, year)
		return err
	}
}

// within runs fn and fails the test when it has not returned after a
// minute: a transaction that waits for the writer it holds never returns.
// (A minute, not a second: the check is for "never", and a slow machine
// must not trip it.)
func within(t *testing.T, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("deadlock: a transaction inside a transaction waited for the writer its caller holds")
		return nil
	}
}

// TestTxNested: Tx called from inside a transaction's function — as a store
// method that opens its own transaction is — joins that transaction as a
// savepoint. Before, it waited for the one writer connection, which its
// own caller held: a deadlock that only the context's end could break.
func TestTxNested(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	errBoom := errors.New("boom")
	tests := []struct {
		name      string
		fn        func(tx *sql.Tx) error
		wantErr   error
		wantYears []int // committed
	}{
		{"inner joins, both commit", func(tx *sql.Tx) error {
			if err := insertPlan(ctx, 2001)(tx); err != nil {
				return err
			}
			return db.Tx(ctx, insertPlan(ctx, 2002))
		}, nil, []int{2001, 2002}},
		{"three deep", func(tx *sql.Tx) error {
			return db.Tx(ctx, func(*sql.Tx) error {
				return db.Tx(ctx, func(tx *sql.Tx) error {
					return insertPlan(ctx, 2003)(tx)
				})
			})
		}, nil, []int{2003}},
		{"inner error undoes only the inner writes", func(tx *sql.Tx) error {
			if err := insertPlan(ctx, 2004)(tx); err != nil {
				return err
			}
			err := db.Tx(ctx, func(tx *sql.Tx) error {
				if err := insertPlan(ctx, 2005)(tx); err != nil {
					return err
				}
				return errBoom
			})
			if !errors.Is(err, errBoom) {
				t.Errorf("inner Tx = %v, want %v", err, errBoom)
			}
			return insertPlan(ctx, 2006)(tx) // the outer transaction goes on
		}, nil, []int{2004, 2006}},
		{"outer error undoes the inner writes too", func(tx *sql.Tx) error {
			if err := db.Tx(ctx, insertPlan(ctx, 2007)); err != nil {
				return err
			}
			return errBoom
		}, errBoom, nil},
		{"inner failed statement", func(tx *sql.Tx) error {
			if err := insertPlan(ctx, 2008)(tx); err != nil {
				return err
			}
			if err := db.Tx(ctx, insertPlan(ctx, 2008)); err == nil { // duplicate key
				t.Error("inner Tx with a duplicate key succeeded")
			}
			return nil
		}, nil, []int{2008}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := within(t, func() error { return db.Tx(ctx, tt.fn) })
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Tx = %v, want %v", err, tt.wantErr)
			}
			for _, y := range tt.wantYears {
				if count(t, db.Read, `SELECT COUNT(*) FROM plans WHERE year = ?`, y) != 1 {
					t.Errorf("plan %d not committed", y)
				}
			}
		})
	}
	if n := count(t, db.Read, `SELECT COUNT(*) FROM plans WHERE year IN (2005, 2007)`); n != 0 {
		t.Errorf("%d rows of undone savepoints committed", n)
	}
	if db.open.Load() != nil {
		t.Error("a transaction is still recorded as open")
	}
}

// TestTxOthersWait: only the goroutine running a transaction joins it; a
// transaction begun on another goroutine meanwhile waits for the commit,
// as before.
func TestTxOthersWait(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	var (
		mu    sync.Mutex
		order []string
		wg    sync.WaitGroup
	)
	note := func(s string) {
		mu.Lock()
		order = append(order, s)
		mu.Unlock()
	}
	err := within(t, func() error {
		return db.Tx(ctx, func(tx *sql.Tx) error {
			wg.Go(func() {
				if err := db.Tx(ctx, func(tx *sql.Tx) error { note("other"); return insertPlan(ctx, 2011)(tx) }); err != nil {
					t.Errorf("other goroutine's Tx: %v", err)
				}
			})
			// Had the other goroutine joined this transaction, it would
			// have written meanwhile.
			time.Sleep(200 * time.Millisecond)
			note("outer")
			return insertPlan(ctx, 2010)(tx)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(order) != 2 || order[0] != "outer" || order[1] != "other" {
		t.Errorf("order = %v, want [outer other]", order)
	}
	if n := count(t, db.Read, `SELECT COUNT(*) FROM plans WHERE year IN (2010, 2011)`); n != 2 {
		t.Errorf("%d of 2 plans committed", n)
	}
}

// TestStatementCache: a statement run twice in one transaction is prepared
// once, in that transaction; the cache goes with it.
func TestStatementCache(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	const q = `INSERT INTO plans (year, number, title, data, content_hash) VALUES (?, 'n', 't', '{}', 'h')`
	var first *sql.Stmt
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for _, y := range []int{2020, 2021} {
			if _, err := db.Exec(ctx, tx, q, y); err != nil {
				return err
			}
		}
		st := db.open.Load()
		if st == nil || len(st.stmts) != 1 || st.stmts[q] == nil {
			t.Fatalf("statements of the open transaction = %v, want the one insert", st)
		}
		first = st.stmts[q]
		var n int
		if err := db.QueryRow(ctx, tx, `SELECT COUNT(*) FROM plans`).Scan(&n); err != nil || n != 2 {
			t.Errorf("QueryRow in tx = %d, %v; want 2", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if db.open.Load() != nil {
		t.Fatal("the committed transaction is still open")
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.Exec(ctx, tx, q, 2022); err != nil {
			return err
		}
		if st := db.open.Load(); st.stmts[q] == first {
			t.Error("a statement of a finished transaction was used again")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A transaction not begun by Tx runs its statements unprepared.
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := db.Exec(ctx, tx, q, 2023); err != nil {
		t.Errorf("Exec on a transaction of its own: %v", err)
	}
}

func TestGoroutineID(t *testing.T) {
	here := goroutineID()
	if here == 0 {
		t.Fatal("goroutineID = 0: the stack header could not be read")
	}
	if again := goroutineID(); again != here {
		t.Errorf("goroutineID changed on one goroutine: %d, then %d", here, again)
	}
	other := make(chan uint64)
	go func() { other <- goroutineID() }()
	if o := <-other; o == here || o == 0 {
		t.Errorf("another goroutine's id = %d, this one's %d", o, here)
	}
}

// TestDSN: the one connection-string builder gives each use its pragmas;
// the backup's copy connection is read-only but not query_only, which
// would refuse VACUUM INTO.
func TestDSN(t *testing.T) {
	tests := []struct {
		use      use
		has, not []string
	}{
		{useWriter, []string{"busy_timeout", "journal_mode%28WAL%29", "foreign_keys%281%29", "_txlock=immediate"}, []string{"query_only", "mode=ro"}},
		{useReader, []string{"busy_timeout", "journal_mode%28WAL%29", "query_only%281%29"}, []string{"_txlock", "mode=ro"}},
		{useReadOnly, []string{"busy_timeout", "query_only%281%29", "mode=ro"}, []string{"journal_mode", "immutable"}},
		{useImmutable, []string{"mode=ro", "immutable=1"}, []string{"journal_mode"}},
		{useCopy, []string{"busy_timeout", "mode=ro"}, []string{"query_only", "journal_mode", "_txlock"}},
	}
	for _, tt := range tests {
		got := dsn("/data/cơ sở/cchc.db", tt.use)
		if !strings.HasPrefix(got, "file:/data/c%C6%A1%20s%E1%BB%9F/cchc.db?_pragma=busy_timeout") {
			t.Errorf("use %d: %s does not start with the escaped path and busy_timeout", tt.use, got)
		}
		for _, s := range tt.has {
			if !strings.Contains(got, s) {
				t.Errorf("use %d: %s lacks %s", tt.use, got, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(got, s) {
				t.Errorf("use %d: %s has %s", tt.use, got, s)
			}
		}
	}
	// The copy connection does copy.
	db := openTemp(t)
	if err := db.Tx(t.Context(), insertPlan(t.Context(), 2022)); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := VacuumInto(t.Context(), db.Path, dst); err != nil {
		t.Fatalf("VacuumInto: %v", err)
	}
	cp, err := OpenReadOnly(t.Context(), dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if n := count(t, cp.Read, `SELECT COUNT(*) FROM plans`); n != 1 {
		t.Errorf("copy has %d plans, want 1", n)
	}
}

// BenchmarkTx is one write transaction with one insert; "nested" adds a
// Tx inside it (a savepoint). The goroutine's id read at BEGIN is in
// both.
func BenchmarkTx(b *testing.B) {
	db, err := Open(b.Context(), filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := b.Context()
	const q = `INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (1, 'x', 'login', '', '', '')`
	b.Run("flat", func(b *testing.B) {
		for b.Loop() {
			if err := db.Tx(ctx, func(tx *sql.Tx) error { _, err := db.Exec(ctx, tx, q); return err }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nested", func(b *testing.B) {
		for b.Loop() {
			err := db.Tx(ctx, func(*sql.Tx) error {
				return db.Tx(ctx, func(tx *sql.Tx) error { _, err := db.Exec(ctx, tx, q); return err })
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGoroutineID is what every write transaction pays to know its
// goroutine (and a Tx called while one is open, to know whether it is
// nested).
func BenchmarkGoroutineID(b *testing.B) {
	for b.Loop() {
		goroutineID()
	}
}
