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
}

func (s *Store) addRevision(ctx context.Context, tx *sql.Tx, it *Item, meta, actor, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, content_hash, note)
		VALUES (?, (SELECT COALESCE(MAX(n), 0) + 1 FROM revisions WHERE item_id = ?), ?, ?, ?, ?, ?, ?, ?)`,
		it.ID, it.ID, it.Modified.Unix(), actor, it.Title, meta, it.Body, it.ContentHash, note)
	if err != nil {
		return fmt.Errorf("store: revision of item %d: %w", it.ID, err)
	}
	return nil
}

// Revisions lists an item's revisions, newest first.
func (s *Store) Revisions(ctx context.Context, itemID int64) ([]Revision, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, item_id, n, created_at, actor, title, meta, body_md, content_hash, note
		FROM revisions WHERE item_id = ? ORDER BY n DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var created int64
		if err := rows.Scan(&r.ID, &r.ItemID, &r.N, &created, &r.Actor, &r.Title, &r.Meta, &r.Body, &r.ContentHash, &r.Note); err != nil {
			return nil, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
		}
		r.Created = time.Unix(created, 0).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
