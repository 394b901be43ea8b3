package store

import (
	"context"
	"fmt"

	"cchc/internal/agency"
	"cchc/internal/content"
)

// OldSlugs lists the old addresses of the agency's items whose slug
// changed (slug_history), each as the path it had: a static mirror asks
// the site for each, so their 301s survive without cchc. Whether the item
// is still public is the site's to answer.
func (s *Store) OldSlugs(ctx context.Context) ([]string, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT h.kind, h.slug FROM slug_history h JOIN items i ON i.id = h.item_id
		WHERE i.agency_id = ? ORDER BY h.kind, h.slug`, agency.IDFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: old slugs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, slug string
		if err := rows.Scan(&kind, &slug); err != nil {
			return nil, fmt.Errorf("store: old slugs: %w", err)
		}
		if k, ok := content.ParseKind(kind); ok {
			out = append(out, content.URL(k, slug))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: old slugs: %w", err)
	}
	return out, nil
}
