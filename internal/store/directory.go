package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
)

// DirectoryQuery selects public procedures or documents for a directory
// page. Empty fields do not filter.
type DirectoryQuery struct {
	Kind content.Kind
	Now  time.Time

	// Procedures.
	Field, Level, Online string
	// Documents.
	Type, Issuer, Validity string
	Year                   int
	// NumberGlob restricts documents to numbers whose key matches this
	// SQLite GLOB pattern (legalref.Key or legalref.Loose).
	NumberGlob string
	// IDs restricts the result to these items (the hits of a text search),
	// and orders by them when Sort is "".
	IDs      []int64
	Restrict bool

	Sort          string // "ten" (name, Vietnamese collation), "moi" (newest), "" (default)
	Limit, Offset int
}

// Directory dimensions that can be faceted.
const (
	DimField    = "field"
	DimLevel    = "level"
	DimOnline   = "online"
	DimType     = "doc_type"
	DimIssuer   = "issuer"
	DimYear     = "year"
	DimValidity = "validity"
)

// dimExpr is the SQL of dimension dim on the day of now, with its
// arguments: validity is derived (validitySQL), the others are columns.
func dimExpr(dim string, now time.Time) (string, []any) {
	switch dim {
	case DimYear:
		return `substr(issued, 1, 4)`, nil
	case DimValidity:
		return validitySQL("items", now)
	}
	return dim, nil
}

// where builds the conditions of q for the agency ctx acts for, leaving
// out the dimension skip (for facet counts, which count each value as if
// it were chosen).
func (q DirectoryQuery) where(ctx context.Context, skip string) (string, []any) {
	conds := []string{`agency_id = ?`, `kind = ?`, `deleted_at IS NULL`, `status = 'published'`, `published_at IS NOT NULL`, `published_at <= ?`, `public = 1`}
	args := []any{agency.IDFrom(ctx), string(q.Kind), q.Now.Unix()}
	add := func(dim, value string) {
		if value == "" || dim == skip {
			return
		}
		expr, exprArgs := dimExpr(dim, q.Now)
		conds = append(conds, expr+` = ?`)
		args = append(append(args, exprArgs...), value)
	}
	add(DimField, q.Field)
	add(DimLevel, q.Level)
	add(DimOnline, q.Online)
	add(DimType, q.Type)
	add(DimIssuer, q.Issuer)
	add(DimValidity, q.Validity)
	if q.Year > 0 {
		add(DimYear, fmt.Sprintf("%04d", q.Year))
	}
	if q.NumberGlob != "" {
		conds = append(conds, `number_key GLOB ?`)
		args = append(args, q.NumberGlob)
	}
	if q.Restrict {
		if len(q.IDs) == 0 {
			conds = append(conds, `0`)
		} else {
			ids := make([]string, len(q.IDs))
			for i, id := range q.IDs {
				ids[i] = fmt.Sprint(id)
			}
			conds = append(conds, `id IN (`+strings.Join(ids, ",")+`)`)
		}
	}
	return `WHERE ` + strings.Join(conds, ` AND `), args
}

// Directory returns one page of the agency's directory and the number of
// items the query matches.
func (s *Store) Directory(ctx context.Context, q DirectoryQuery) ([]*Item, int, error) {
	where, args := q.where(ctx, "")
	var total int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM items `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: directory: %w", err)
	}
	order := `published_at DESC, id DESC`
	switch {
	case q.Sort == "ten":
		order = `title_key, id`
	case q.Kind == content.Document && q.Sort != "moi" && !(q.Restrict && q.Sort == ""):
		order = `issued DESC, published_at DESC, id DESC`
	case q.Restrict && q.Sort == "" && len(q.IDs) > 0:
		// Keep the search's ranking.
		var b strings.Builder
		b.WriteString(`CASE id`)
		for i, id := range q.IDs {
			fmt.Fprintf(&b, ` WHEN %d THEN %d`, id, i)
		}
		b.WriteString(` END`)
		order = b.String()
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	if q.Offset >= total {
		return nil, total, nil
	}
	items, err := s.pageOfItems(ctx, `SELECT id FROM items `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: directory: %w", err)
	}
	return items, total, nil
}

// Facet is one value of a directory dimension and how many items have it.
type Facet struct {
	Value string
	Count int
}

// DirectoryFacets counts the items of q for each value of dim, with every
// filter of q applied except dim's own.
func (s *Store) DirectoryFacets(ctx context.Context, q DirectoryQuery, dim string) ([]Facet, error) {
	where, args := q.where(ctx, dim)
	expr, exprArgs := dimExpr(dim, q.Now)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+expr+` AS v, COUNT(*) FROM items `+where+` GROUP BY v HAVING v <> '' ORDER BY v`,
		append(exprArgs, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: facets %s: %w", dim, err)
	}
	defer rows.Close()
	var out []Facet
	for rows.Next() {
		var f Facet
		if err := rows.Scan(&f.Value, &f.Count); err != nil {
			return nil, fmt.Errorf("store: facets %s: %w", dim, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
