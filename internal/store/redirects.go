package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cchc/internal/agency"
	"cchc/internal/content"
)

// ItemByOldSlug returns the agency's item of kind k that once had slug
// and has since moved (slug_history, filled by a trigger on every slug
// change), so its old address can answer 301. It is ErrNotFound when slug
// never belonged to a moved item of the agency. The agency is the moved
// item's (the same as the row's own agency_id, which the key holds since
// migration 0150).
func (s *Store) ItemByOldSlug(ctx context.Context, k content.Kind, slug string) (*Item, error) {
	var id int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT h.item_id FROM slug_history h JOIN items i ON i.id = h.item_id
		WHERE h.kind = ? AND h.slug = ? AND i.agency_id = ?`, string(k), slug, agency.IDFrom(ctx)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: old slug %s/%s: %w", k, slug, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: old slug %s/%s: %w", k, slug, err)
	}
	it, err := s.queryItem(ctx, s.db.Read, `WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("store: old slug %s/%s: %w", k, slug, err)
	}
	return it, nil
}
