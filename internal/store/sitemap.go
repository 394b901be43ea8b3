package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
)

// SitemapItem is what the sitemap needs of a public item.
type SitemapItem struct {
	ID                           int64
	Kind                         content.Kind
	Slug                         string
	Published, Updated, Modified time.Time
	Areas                        []string
}

// sitemapWhere is which items the sitemap lists (arguments: the agency,
// now in Unix seconds), written once so that SitemapCount counts what
// SitemapItems lists.
const sitemapWhere = `agency_id = ? AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND published_at <= ? AND public = 1`

// SitemapCount is how many items SitemapItems lists at now, counted
// in the same index without reading a row out: how many parts a split
// sitemap has, without building it.
func (s *Store) SitemapCount(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM items INDEXED BY items_sitemap WHERE `+sitemapWhere,
		agency.IDFrom(ctx), now.Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: sitemap count: %w", err)
	}
	return n, nil
}

// SitemapItems lists the agency's items published and visible at now (withdrawn
// ones left out, as lists leave them out), oldest first: one walk of the
// index items_sitemap (migration 0043), which holds every column read, and
// one of item_areas.
func (s *Store) SitemapItems(ctx context.Context, now time.Time) ([]SitemapItem, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, kind, slug, published_at, updated_at, modified_at FROM items INDEXED BY items_sitemap
		WHERE `+sitemapWhere+` ORDER BY published_at, id`, agency.IDFrom(ctx), now.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: sitemap: %w", err)
	}
	defer rows.Close()
	var out []SitemapItem
	at := map[int64]int{}
	for rows.Next() {
		var it SitemapItem
		var kind string
		var published, updated sql.NullInt64
		var modified int64
		if err := rows.Scan(&it.ID, &kind, &it.Slug, &published, &updated, &modified); err != nil {
			return nil, fmt.Errorf("store: sitemap: %w", err)
		}
		it.Kind = content.Kind(kind)
		it.Published, it.Updated, it.Modified = fromUnix(published), fromUnix(updated), time.Unix(modified, 0).UTC()
		at[it.ID] = len(out)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sitemap: %w", err)
	}
	arows, err := s.db.Read.QueryContext(ctx, `SELECT item_id, area FROM item_areas ORDER BY item_id, area`)
	if err != nil {
		return nil, fmt.Errorf("store: sitemap areas: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var area string
		if err := arows.Scan(&id, &area); err != nil {
			return nil, fmt.Errorf("store: sitemap areas: %w", err)
		}
		if i, ok := at[id]; ok {
			out[i].Areas = append(out[i].Areas, area)
		}
	}
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("store: sitemap areas: %w", err)
	}
	return out, nil
}
