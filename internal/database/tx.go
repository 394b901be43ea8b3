package database

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"sync"
)

// Tx runs fn in one transaction on the writer connection. It commits when fn
// returns nil and rolls back otherwise. Every state change goes through here.
// On a database opened read-only it fails with ErrReadOnly, on one marked
// damaged with ErrDamaged; a transaction that meets a damaged page marks
// the database damaged. While writes are held (HoldWrites) it waits.
//
// Tx called again from inside fn — directly, or by any function fn calls on
// its goroutine, such as a store method that opens its own transaction —
// runs its function in a savepoint of the transaction already open instead
// of waiting for the one writer connection, which that transaction holds
// (that wait never ended): the inner function's writes commit with the
// outer transaction, and an error from it undoes only them. A goroutine fn
// starts is not fn: its Tx waits its turn like any other, so fn must never
// wait for a goroutine that opens a transaction; give it tx instead.
//
// The site version is read at the start and at the end of the
// transaction (two one-row reads on the writer, which holds the write
// lock from BEGIN IMMEDIATE, so nobody else can move it in between); the
// AfterPublicChange functions run after the commit only when it moved.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.readOnly {
		return ErrReadOnly
	}
	nested := false
	if st := db.open.Load(); st != nil && st.owner != 0 && st.owner == goroutineID() {
		nested = true
	} else if err := db.waitHeld(ctx); err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	if reason := db.Damage(); reason != "" {
		return fmt.Errorf("%w (%s)", ErrDamaged, reason)
	}
	var err error
	if st := db.open.Load(); nested && st != nil {
		err = st.savepoint(ctx, fn)
	} else {
		err = db.tx(ctx, fn)
	}
	if err != nil && IsCorrupt(err) {
		db.MarkDamaged(err.Error())
	}
	return err
}

func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	defer tx.Rollback()
	// The writer is ours until the commit or rollback: no other
	// transaction is open, so nothing can be in db.open.
	st := &txState{tx: tx, owner: goroutineID(), stmts: map[string]*sql.Stmt{}}
	db.open.Store(st)
	defer db.open.CompareAndSwap(st, nil)
	before, err := siteVersion(ctx, tx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	after, err := siteVersion(ctx, tx)
	if err != nil {
		return err
	}
	// Cleared before the commit hands the connection on, so that the next
	// transaction never finds this one open.
	db.open.CompareAndSwap(st, nil)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	if after != before {
		for _, f := range db.afterPublic {
			f()
		}
	}
	return nil
}

// siteVersion reads the counter that moves with every change to public
// content (migration 0010).
func siteVersion(ctx context.Context, tx *sql.Tx) (int64, error) {
	var v int64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM site_state WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("database: site version: %w", err)
	}
	return v, nil
}

// txState is the write transaction open on the writer: the goroutine that
// runs it, the savepoints open inside it, and its statements.
type txState struct {
	tx    *sql.Tx
	owner uint64 // goroutineID of the goroutine running fn; 0 when unknown
	depth int    // savepoints open; touched only by the owner

	// stmts are the statements prepared in this transaction, kept for the
	// rest of it: an import writes thousands of items with the same dozen
	// statements, and preparing each one every time cost a sixth of its
	// time. database/sql closes them when the transaction ends, and the
	// map goes with the transaction.
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// savepoint runs fn inside the open transaction, as SAVEPOINT … RELEASE,
// rolling back to the savepoint when fn fails.
func (st *txState) savepoint(ctx context.Context, fn func(tx *sql.Tx) error) error {
	st.depth++
	defer func() { st.depth-- }()
	name := "cchc_nested_" + strconv.Itoa(st.depth)
	if _, err := st.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("database: savepoint: %w", err)
	}
	if err := fn(st.tx); err != nil {
		// Undone even when ctx ended: the outer transaction may go on.
		undo := context.WithoutCancel(ctx)
		if _, rerr := st.tx.ExecContext(undo, "ROLLBACK TO "+name); rerr == nil {
			_, _ = st.tx.ExecContext(undo, "RELEASE "+name) // only closes the undone savepoint
		}
		return err
	}
	if _, err := st.tx.ExecContext(ctx, "RELEASE "+name); err != nil {
		return fmt.Errorf("database: release savepoint: %w", err)
	}
	return nil
}

// goroutineID is the number of the calling goroutine, read from the first
// line of its stack trace ("goroutine 18 [running]:"), 0 if that ever
// failed. Go gives no other way to know it, and nothing else tells Tx
// that its caller is the goroutine holding the writer: fn is given no
// context. Numbers are never reused. It costs a few microseconds, next
// to the hundreds a commit takes.
func goroutineID() uint64 {
	var buf [64]byte
	b := bytes.TrimPrefix(buf[:runtime.Stack(buf[:], false)], []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		if n, err := strconv.ParseUint(string(b[:i]), 10, 64); err == nil {
			return n
		}
	}
	return 0
}

// stmt is query prepared in tx, once per transaction, when tx is the
// write transaction open now; nil otherwise.
func (db *DB) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st := db.open.Load()
	if st == nil || st.tx != tx {
		return nil, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if s := st.stmts[query]; s != nil {
		return s, nil
	}
	s, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st.stmts[query] = s
	return s, nil
}

// Exec runs a statement in tx, prepared once per transaction when tx came
// from Tx.
func (db *DB) Exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	s, err := db.stmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return s.ExecContext(ctx, args...)
}

// QueryRow runs a one-row query in tx, prepared once per transaction when
// tx came from Tx. A preparation error surfaces from Scan.
func (db *DB) QueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	s, err := db.stmt(ctx, tx, query)
	if err != nil || s == nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}
