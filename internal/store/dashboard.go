package store

import (
	"context"
	"time"

	"cchc/internal/agency"
)

// The lists of the editors' dashboard, of the agency ctx acts for.
// Trashed items never appear.

// draftsByWhere selects the drafts an actor saved a revision of
// (arguments: the agency, the actor, the limit). Each of the agency's
// drafts asks for its own revisions (the index on item_id, n); asking
// revisions for the actor's items instead read every revision ever saved,
// for every dashboard.
const draftsByWhere = `WHERE agency_id = ? AND status = 'draft' AND deleted_at IS NULL
	AND EXISTS (SELECT 1 FROM revisions r WHERE r.item_id = items.id AND r.actor = ?)
	ORDER BY modified_at DESC, id DESC LIMIT ?`

// DraftsBy lists drafts that actor has saved a revision of, most recently
// changed first.
func (s *Store) DraftsBy(ctx context.Context, actor string, limit int) ([]*Item, error) {
	return s.queryItems(ctx, s.db.Read, draftsByWhere, agency.IDFrom(ctx), actor, limit)
}

// ItemsWithStatus lists items in status st, most recently changed first.
func (s *Store) ItemsWithStatus(ctx context.Context, st Status, limit int) ([]*Item, error) {
	return s.queryItems(ctx, s.db.Read, `WHERE agency_id = ? AND status = ? AND deleted_at IS NULL
		ORDER BY modified_at DESC, id DESC LIMIT ?`, agency.IDFrom(ctx), string(st), limit)
}

// ScheduledItems lists published items whose publication time is after
// now, soonest first.
func (s *Store) ScheduledItems(ctx context.Context, now time.Time, limit int) ([]*Item, error) {
	return s.queryItems(ctx, s.db.Read, `WHERE agency_id = ? AND status = 'published' AND deleted_at IS NULL AND published_at > ?
		ORDER BY published_at, id LIMIT ?`, agency.IDFrom(ctx), now.Unix(), limit)
}

// RecentlyPublished lists items public at now, most recently published
// first.
func (s *Store) RecentlyPublished(ctx context.Context, now time.Time, limit int) ([]*Item, error) {
	return s.queryItems(ctx, s.db.Read, `WHERE agency_id = ? AND status = 'published' AND deleted_at IS NULL
		AND published_at IS NOT NULL AND published_at <= ?
		ORDER BY published_at DESC, id DESC LIMIT ?`, agency.IDFrom(ctx), now.Unix(), limit)
}
