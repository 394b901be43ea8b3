package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cchc/internal/agency"
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

// addRevision adds the revision of it just written, in tx. Its body is
// the item's (body_in_item, migration 0040): the item's texts hold it
// until the next save, which first gives the revision its own copy
// (keepRevisionBody).
func (s *Store) addRevision(ctx context.Context, tx *sql.Tx, it *Item, meta, actor, note string) error {
	_, err := s.db.Exec(ctx, tx, `INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, body_in_item, content_hash, note, major)
		VALUES (?, (SELECT COALESCE(MAX(n), 0) + 1 FROM revisions WHERE item_id = ?), ?, ?, ?, ?, '', 1, ?, ?, ?)`,
		it.ID, it.ID, it.Modified.Unix(), actor, it.Title, meta, it.ContentHash, note, it.Major)
	if err != nil {
		return fmt.Errorf("store: revision of item %d: %w", it.ID, err)
	}
	return nil
}

// keepRevisionBody gives the revision of item id that shares the item's
// body its own copy, in tx, before the item's body is written over.
func (s *Store) keepRevisionBody(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := s.db.Exec(ctx, tx, `UPDATE revisions SET body_md = COALESCE((SELECT body_md FROM item_bodies WHERE item_id = ?), ''), body_in_item = 0
		WHERE item_id = ? AND body_in_item = 1`, id, id)
	if err != nil {
		return fmt.Errorf("store: revision of item %d: %w", id, err)
	}
	return nil
}

// revisionsWithTexts reads revisions with their texts, which Scan takes
// in this order: a revision whose body is the item's own (body_in_item)
// reads it from item_bodies.
const revisionsWithTexts = `SELECT r.id, r.item_id, r.n, r.created_at, r.actor, r.title, r.meta,
	CASE WHEN r.body_in_item THEN COALESCE(b.body_md, '') ELSE r.body_md END, r.content_hash, r.note, r.major
	FROM revisions r JOIN items i ON i.id = r.item_id LEFT JOIN item_bodies b ON b.item_id = r.item_id`

// Revisions lists the revisions of an item of the agency ctx acts for,
// newest first (none for another agency's item).
func (s *Store) Revisions(ctx context.Context, itemID int64) ([]Revision, error) {
	rows, err := s.db.Read.QueryContext(ctx, revisionsWithTexts+` WHERE r.item_id = ? AND i.agency_id = ? ORDER BY r.n DESC`, itemID, agency.IDFrom(ctx))
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

// RevisionList returns one page of the revisions of an item of the agency
// ctx acts for, newest first, without their texts (Meta and Body empty),
// and how many there are.
func (s *Store) RevisionList(ctx context.Context, itemID int64, limit, offset int) ([]Revision, int, error) {
	var total int
	err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM revisions r JOIN items i ON i.id = r.item_id WHERE r.item_id = ? AND i.agency_id = ?`,
		itemID, agency.IDFrom(ctx)).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
	}
	if offset >= total {
		return nil, total, nil
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT r.id, r.item_id, r.n, r.created_at, r.actor, r.title, r.content_hash, r.note, r.major
		FROM revisions r JOIN items i ON i.id = r.item_id WHERE r.item_id = ? AND i.agency_id = ? ORDER BY r.n DESC LIMIT ? OFFSET ?`,
		itemID, agency.IDFrom(ctx), limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var created int64
		if err := rows.Scan(&r.ID, &r.ItemID, &r.N, &created, &r.Actor, &r.Title, &r.ContentHash, &r.Note, &r.Major); err != nil {
			return nil, 0, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
		}
		r.Created = time.Unix(created, 0).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: revisions of item %d: %w", itemID, err)
	}
	return out, total, nil
}

// Revision returns revision n of an item of the agency ctx acts for, with
// its texts.
func (s *Store) Revision(ctx context.Context, itemID int64, n int) (*Revision, error) {
	var r Revision
	var created int64
	err := s.db.Read.QueryRowContext(ctx, revisionsWithTexts+` WHERE r.item_id = ? AND r.n = ? AND i.agency_id = ?`, itemID, n, agency.IDFrom(ctx)).
		Scan(&r.ID, &r.ItemID, &r.N, &created, &r.Actor, &r.Title, &r.Meta, &r.Body, &r.ContentHash, &r.Note, &r.Major)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: revision %d of item %d: %w", n, itemID, ErrNotFound)
		}
		return nil, fmt.Errorf("store: revision %d of item %d: %w", n, itemID, err)
	}
	r.Created = time.Unix(created, 0).UTC()
	return &r, nil
}

// Change is one entry of an item's public history: its first publication
// or a major update with its change note.
type Change struct {
	At   time.Time
	Note string
}

// MajorChanges lists the major updates of an item, oldest first: the
// public history of its page, whichever column shows it (a registry
// document's page is every agency's).
func (s *Store) MajorChanges(ctx context.Context, itemID int64) ([]Change, error) {
	return s.changes(ctx, "changes", `SELECT created_at, note FROM revisions WHERE item_id = ? AND major = 1 ORDER BY n`, itemID)
}
