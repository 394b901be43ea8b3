package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The agency that owns a row (issue 20, the accounts slice). The workflow
// and the workspace ask it before a change or a page, so that an account
// acting for one agency finds another's rows as if they did not exist
// (ErrNotFound), whatever the queries that list rows filter.

// ItemAgency returns the agency that owns item id (items.agency_id),
// read inside tx when tx is not nil; ErrNotFound when there is no item id.
func (s *Store) ItemAgency(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	return s.rowAgency(ctx, tx, `SELECT agency_id FROM items WHERE id = ?`, id)
}

// MediaAgency returns the agency that owns the stored file name
// (media.agency_id: its first uploader); ErrNotFound when there is none.
func (s *Store) MediaAgency(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	return s.rowAgency(ctx, tx, `SELECT agency_id FROM media WHERE name = ?`, name)
}

// UserAgency returns the agency account id acts for (users.agency_id);
// ErrNotFound when there is no account id.
func (s *Store) UserAgency(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	return s.rowAgency(ctx, tx, `SELECT agency_id FROM users WHERE id = ?`, id)
}

func (s *Store) rowAgency(ctx context.Context, tx *sql.Tx, query string, key any) (int64, error) {
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	var id int64
	err := q.QueryRowContext(ctx, query, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: owner of %v: %w", key, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: owner of %v: %w", key, err)
	}
	return id, nil
}
