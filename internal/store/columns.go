package store

import (
	"context"
	"fmt"
	"strings"

	"cchc/internal/content"
)

// OwnDocuments reports which of slugs name documents that agency id keeps
// itself (items.agency_id): a page of its column links to those under its
// prefix, and to the others — the shared registry's — at the root
// column's address (issue 20, "One registry"). Slugs nobody holds are
// left out.
func (s *Store) OwnDocuments(ctx context.Context, id int64, slugs []string) (map[string]bool, error) {
	own := map[string]bool{}
	const chunk = 500 // well inside SQLite's limit on bound values
	for len(slugs) > 0 {
		part := slugs[:min(chunk, len(slugs))]
		slugs = slugs[len(part):]
		args := make([]any, 0, len(part)+2)
		args = append(args, string(content.Document), id)
		for _, sl := range part {
			args = append(args, sl)
		}
		rows, err := s.db.Read.QueryContext(ctx, `SELECT slug FROM items WHERE kind = ? AND agency_id = ? AND slug IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: own documents: %w", err)
		}
		for rows.Next() {
			var sl string
			if err := rows.Scan(&sl); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: own documents: %w", err)
			}
			own[sl] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: own documents: %w", err)
		}
	}
	return own, nil
}
