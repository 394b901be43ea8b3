package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Revision is one saved version of an item.
type Revision struct {
	ID          int64
	ItemID      int64
	N           int
	Created     time.Time
	Actor       string
	Title       string
	Meta        string
	Body        string
	ContentHash string
	Note        string
	// Major marks a major update; Note is then its public change note.
	Major bool
}

func (s *Store) addRevision(ctx context.Context, tx *sql.Tx, it *Item, meta, actor, note string) error {
	_, err := s.db.Exec(ctx, tx, `INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, content_hash, note, major)
		VALUES (?, (SELECT COALESCE(MAX(n), 0) + 1 FROM revisions WHERE item_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.ID, it.ID, it.Modified.Unix(), actor, it.Title, meta, it.Body, it.ContentHash, note, it.Major)
	if err != nil {
		return fmt.Errorf("store: revision of item %d: %w", it.ID, err)
	}
	return nil
}

// Revisions lists an item's revisions, newest first.
func (s *Store) Revisions(ctx context.Context, itemID int64) ([]Revision, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, item_id, n, created_at, actor, title, meta, body_md, content_hash, note, major
		FROM revisions WHERE item_id = ? ORDER BY n DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var created int64
		if err := rows.Scan(&r.ID, &r.ItemID, &r.N, &created, &r.Actor, &r.Title, &r.Meta, &r.Body, &r.ContentHash, &r.Note, &r.Major); err != nil {
			return nil, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
		}
		r.Created = time.Unix(created, 0).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns revision n of an item.
func (s *Store) Revision(ctx context.Context, itemID int64, n int) (*Revision, error) {
	revs, err := s.Revisions(ctx, itemID)
	if err != nil {
		return nil, err
	}
	for i := range revs {
		if revs[i].N == n {
			return &revs[i], nil
		}
	}
	return nil, fmt.Errorf("store: revision %d of item %d: %w", n, itemID, ErrNotFound)
}

// Change is one entry of an item's public history: its first publication
// or a major update with its change note.
type Change struct {
	At   time.Time
	Note string
}

// MajorChanges lists the major updates of an item, oldest first.
func (s *Store) MajorChanges(ctx context.Context, itemID int64) ([]Change, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT created_at, note FROM revisions WHERE item_id = ? AND major = 1 ORDER BY n`, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: changes of item %d: %w", itemID, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var at int64
		var c Change
		if err := rows.Scan(&at, &c.Note); err != nil {
			return nil, fmt.Errorf("store: changes of item %d: %w", itemID, err)
		}
		c.At = time.Unix(at, 0).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
