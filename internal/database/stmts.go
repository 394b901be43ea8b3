package database

import (
	"context"
	"database/sql"
	"sync"
)

// Statements prepared inside a write transaction are kept for the rest of
// it: an import writes thousands of items with the same dozen statements,
// and preparing each one every time cost a sixth of its time. A statement
// prepared on a transaction is closed when the transaction ends.
var txStmts sync.Map // *sql.Tx → map[string]*sql.Stmt; a tx is used by one goroutine

func (db *DB) trackTx(tx *sql.Tx) func() {
	txStmts.Store(tx, map[string]*sql.Stmt{})
	return func() { txStmts.Delete(tx) }
}

func stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	v, ok := txStmts.Load(tx)
	if !ok {
		return nil, nil
	}
	m := v.(map[string]*sql.Stmt)
	if st := m[query]; st != nil {
		return st, nil
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	m[query] = st
	return st, nil
}

// Exec runs a statement in tx, prepared once per transaction when tx came
// from DB.Tx.
func Exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := stmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// QueryRow runs a one-row query in tx, prepared once per transaction when
// tx came from DB.Tx. A preparation error surfaces from Scan.
func QueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	st, err := stmt(ctx, tx, query)
	if err != nil || st == nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
