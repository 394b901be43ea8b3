package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/vntext"
)

// The lists of the editors' workspace: every item of a kind, whatever its
// status, with filters.

// Filter values of AdminQuery.Status: the statuses an editor sees, where a
// published item whose time has not come is "scheduled".
const (
	FilterDraft     = "draft"
	FilterSubmitted = "submitted"
	FilterPublished = "published"
	FilterScheduled = "scheduled"
	FilterWithdrawn = "withdrawn"
)

// AdminQuery selects the items of an editors' list. Trashed items never
// appear.
type AdminQuery struct {
	Kind   content.Kind
	Status string // one of the Filter values, or "" for all
	Area   string // a content area id, or ""
	Author string // the account that created the item (created_by), or ""
	// Unit is an activity's unit in charge (its full name), or "".
	Unit string
	// PlanItem is a plan item the item serves (its plan_item or one of
	// its plan_items), or "".
	PlanItem string
	// Title is matched against titles without regard to case or
	// diacritics (vntext.FoldLower on both sides).
	Title string
	// Sort is the order: SortPublished (the default) or SortEdited.
	Sort   string
	Now    time.Time
	Limit  int
	Offset int
}

// Orders of AdminQuery.Sort.
const (
	// SortPublished lists newest publication date first; an item never
	// published counts its last edit. After an import every item was
	// last edited at the same moment, so that order would look random.
	SortPublished = ""
	// SortEdited lists the most recently changed first.
	SortEdited = "edited"
)

// where is q's condition for the agency ctx acts for, from WHERE on.
func (q AdminQuery) where(ctx context.Context) (string, []any) {
	conds := []string{`agency_id = ?`, `kind = ?`, `deleted_at IS NULL`}
	args := []any{agency.IDFrom(ctx), string(q.Kind)}
	switch q.Status {
	case FilterDraft, FilterSubmitted, FilterWithdrawn:
		conds = append(conds, `status = ?`)
		args = append(args, q.Status)
	case FilterPublished:
		conds = append(conds, `status = 'published'`, `published_at <= ?`)
		args = append(args, q.Now.Unix())
	case FilterScheduled:
		conds = append(conds, `status = 'published'`, `published_at > ?`)
		args = append(args, q.Now.Unix())
	}
	if q.Area != "" {
		conds = append(conds, `id IN (SELECT item_id FROM item_areas WHERE area = ?)`)
		args = append(args, q.Area)
	}
	if q.Author != "" {
		conds = append(conds, `created_by = ?`)
		args = append(args, q.Author)
	}
	if q.Unit != "" {
		conds = append(conds, `unit = ?`)
		args = append(args, q.Unit)
	}
	if q.PlanItem != "" {
		conds = append(conds, `(plan_item = ? OR EXISTS (SELECT 1 FROM json_each(meta, '$.plan_items') WHERE value = ?))`)
		args = append(args, q.PlanItem, q.PlanItem)
	}
	return `WHERE ` + strings.Join(conds, ` AND `), args
}

// sortKey is what q's order sorts by, newest first (then by id): the
// expressions of the indexes items_admin_published and items_admin_edited.
func (q AdminQuery) sortKey() string {
	if q.Sort == SortEdited {
		return `modified_at`
	}
	return `COALESCE(published_at, modified_at)`
}

// listQueries are q's count and the ids of its page (arguments: args, then
// limit and offset), both read from the index of q's order (migration
// 0250) when q matches no title.
func (q AdminQuery) listQueries(ctx context.Context) (count, page string, args []any) {
	where, args := q.where(ctx)
	return `SELECT COUNT(*) FROM items ` + where, `SELECT id FROM items ` + where + ` ORDER BY ` + q.sortKey() + ` DESC, id DESC LIMIT ? OFFSET ?`, args
}

// AdminItems returns one page of the agency's items q selects, in q's
// order, and how many it selects in all. Without a title to match, the
// count and the page's ids come from the index of q's order (migration
// 0250): however deep the page, only its own rows are read. A title is
// matched in Go against each title of the kind.
func (s *Store) AdminItems(ctx context.Context, q AdminQuery) ([]*Item, int, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	offset := max(q.Offset, 0)
	want := vntext.FoldLower(strings.TrimSpace(q.Title))
	if want == "" {
		count, page, args := q.listQueries(ctx)
		var total int
		if err := s.db.Read.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: admin items: %w", err)
		}
		if offset >= total {
			return nil, total, nil
		}
		items, err := s.pageOfItems(ctx, page, append(args, limit, offset)...)
		if err != nil {
			return nil, 0, fmt.Errorf("store: admin items: %w", err)
		}
		return items, total, nil
	}
	// Titles are folded here rather than in SQL: SQLite cannot fold đ or
	// stacked diacritics. The kind's titles are read in the table's order,
	// each row once from its page (in an index's order the rows are read
	// all over the file: 0.26 s against 0.06 s for 70,000 titles), and the
	// matches put in the list's order here.
	where, args := q.where(ctx)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, title, `+q.sortKey()+` FROM items NOT INDEXED `+where, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: admin items: %w", err)
	}
	defer rows.Close()
	type match struct{ id, key int64 }
	var found []match
	for rows.Next() {
		var m match
		var title string
		if err := rows.Scan(&m.id, &title, &m.key); err != nil {
			return nil, 0, fmt.Errorf("store: admin items: %w", err)
		}
		if strings.Contains(vntext.FoldLower(title), want) {
			found = append(found, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: admin items: %w", err)
	}
	slices.SortFunc(found, func(a, b match) int { return cmp.Or(cmp.Compare(b.key, a.key), cmp.Compare(b.id, a.id)) })
	ids := make([]int64, len(found))
	for i, m := range found {
		ids[i] = m.id
	}
	total := len(ids)
	lo := min(offset, total)
	hi := min(lo+limit, total)
	items, err := s.itemsInOrder(ctx, ids[lo:hi])
	if err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// itemsInOrder loads the items with ids, in the order of ids.
func (s *Store) itemsInOrder(ctx context.Context, ids []int64) ([]*Item, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	items, err := s.queryItems(ctx, s.db.Read, `WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	return inOrder(items, ids), nil
}

// inOrder returns items in the order of ids, leaving out ids no item has.
func inOrder(items []*Item, ids []int64) []*Item {
	byID := make(map[int64]*Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	out := make([]*Item, 0, len(ids))
	for _, id := range ids {
		if it := byID[id]; it != nil {
			out = append(out, it)
		}
	}
	return out
}

// itemAuthorsQuery lists the authors of the agency's items of a kind
// (arguments: the agency, the kind), from the lists' indexes.
const itemAuthorsQuery = `SELECT DISTINCT created_by FROM items WHERE agency_id = ? AND kind = ? AND deleted_at IS NULL
	AND created_by <> '' ORDER BY created_by`

// ItemAuthors lists the accounts that created the agency's items of kind
// k (the author filter of a list), in order.
func (s *Store) ItemAuthors(ctx context.Context, k content.Kind) ([]string, error) {
	rows, err := s.db.Read.QueryContext(ctx, itemAuthorsQuery, agency.IDFrom(ctx), string(k))
	if err != nil {
		return nil, fmt.Errorf("store: item authors: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("store: item authors: %w", err)
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// trashPageQuery finds the ids of one page of the agency's trash
// (arguments: the agency, limit, offset) from the index alone: reading the
// items with their texts beside them in one query looked each skipped
// row's texts up too (item_bodies, one seek each; 1.7-2 s for page 200
// of 10,000 trashed items when the file was not in memory).
const trashPageQuery = `SELECT id FROM items WHERE agency_id = ? AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC LIMIT ? OFFSET ?`

// TrashedItems returns one page of the agency's items in the trash, most
// recently trashed first, and how many there are.
func (s *Store) TrashedItems(ctx context.Context, limit, offset int) ([]*Item, int, error) {
	own := agency.IDFrom(ctx)
	var total int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE agency_id = ? AND deleted_at IS NOT NULL`, own).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: trash: %w", err)
	}
	if offset >= total {
		return nil, total, nil
	}
	items, err := s.pageOfItems(ctx, trashPageQuery, own, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: trash: %w", err)
	}
	return items, total, nil
}

// LastRevision returns the newest revision of an item of the agency ctx
// acts for: who changed it last, and when.
func (s *Store) LastRevision(ctx context.Context, itemID int64) (*Revision, error) {
	var r Revision
	var created int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT r.id, r.item_id, r.n, r.created_at, r.actor, r.title, r.note, r.major
		FROM revisions r JOIN items i ON i.id = r.item_id WHERE r.item_id = ? AND i.agency_id = ? ORDER BY r.n DESC LIMIT 1`,
		itemID, agency.IDFrom(ctx)).
		Scan(&r.ID, &r.ItemID, &r.N, &created, &r.Actor, &r.Title, &r.Note, &r.Major)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: last revision of item %d: %w", itemID, ErrNotFound)
		}
		return nil, fmt.Errorf("store: last revision of item %d: %w", itemID, err)
	}
	r.Created = time.Unix(created, 0).UTC()
	return &r, nil
}
