// Package store holds the SQL of the service, one file per table or
// group of tables (publog.go the publication log, search.go the search
// index). It reads through the database's reader pool; writes take the
// transaction they run in, so that a change and everything that goes with
// it (revision, references, log row, index rows) commit together. No other
// package holds the database: what they need of it is a method here (Tx,
// Damage, …). Only package database has SQL besides (migrations, pools,
// integrity checks, the backup's copy); TestSQLStaysInStore keeps it so.
//
// Every table that owns rows (items, plans, units, media, report_drafts,
// report_sendings, audit_log, settings) is read and written for the agency
// the context acts for (agency.IDFrom): a list, a count or a lookup never
// returns another agency's row, an insert takes the context's agency
// (issue 20; docs/DECISIONS.md, "The store acts for an agency"). What
// reads across agencies says so in its doc comment: the registry of
// documents, ItemsByIDs, DueItems, AllMedia.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cchc/internal/database"
)

// ErrNotFound is returned when the row asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when a row changed since the caller read it.
var ErrConflict = errors.New("store: changed since it was read")

// Store reads and writes the service's tables.
type Store struct {
	db *database.DB
}

// New returns a Store over db.
func New(db *database.DB) *Store { return &Store{db: db} }

// Tx runs fn in one write transaction (see database.DB.Tx: a Tx inside
// fn joins it).
func (s *Store) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.db.Tx(ctx, fn)
}

// BulkWrites prepares the database for a long run of writes (an import)
// until done is called, the full-text indexes (search, search_title)
// merged once by done instead of at every few transactions (see
// database.DB.BulkWrites).
func (s *Store) BulkWrites(ctx context.Context) (done func() error, err error) {
	return s.db.BulkWrites(ctx, "search", "search_title")
}

// DeferIndexes drops the secondary indexes of the tables an import writes
// per item when all of them are empty, until restore is called (see
// database.DB.DeferIndexes); deferred is how many were dropped.
func (s *Store) DeferIndexes(ctx context.Context) (restore func(context.Context) error, deferred int, err error) {
	// The tables an import writes a row into (or several) per item.
	return s.db.DeferIndexes(ctx, "items", "item_areas", "item_refs", "doc_relations", "revisions", "search_meta", "publog", "slug_history")
}

// Damage is why the database was found damaged, "" when it was not: the
// workspace refuses every page then (nothing may be written into a
// broken file).
func (s *Store) Damage() string { return s.db.Damage() }

// querier is what both *sql.DB and *sql.Tx offer, so reads can run inside a
// write transaction when they must see its changes.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func unix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func fromUnix(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SiteState is what the page cache watches: the counter every change to
// public content moves, and the time of the next scheduled publication
// (zero when none), at which lists change without any write.
type SiteState struct {
	Version       int64
	NextScheduled time.Time
}

// State reads the SiteState.
func (s *Store) State(ctx context.Context) (SiteState, error) {
	var st SiteState
	var next sql.NullInt64
	err := s.db.Read.QueryRowContext(ctx, `SELECT (SELECT version FROM site_state WHERE id = 1),
		(SELECT MIN(published_at) FROM items WHERE live = 0 AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL)`).Scan(&st.Version, &next)
	if err != nil {
		return st, fmt.Errorf("store: site state: %w", err)
	}
	st.NextScheduled = fromUnix(next)
	return st, nil
}
