package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/vntext"
)

// Status is where an item is in its life.
type Status string

// The statuses of an item.
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Published Status = "published"
	Withdrawn Status = "withdrawn"
)

// Item is a stored content item.
type Item struct {
	content.Item

	ID  int64
	UID string
	// AgencyID is the agency that owns the item (items.agency_id; issue 20).
	// The store fills it on every read and sets it from agency.IDFrom(ctx)
	// on every insert.
	AgencyID int64
	Status   Status
	// Published is when the item goes (or went) public; a future time means
	// scheduled.
	Published time.Time
	// Updated is the time of the last major update, zero when none.
	Updated time.Time

	HTML string
	Text string

	SourcePath  string
	ContentHash string
	Version     int
	Created     time.Time
	Modified    time.Time
	Deleted     time.Time

	WithdrawnReason string
	// Live is set once the item's publication has been recorded.
	Live bool
	// ReviewNote is an approver's comment when sending the item back.
	ReviewNote string
	// CreatedBy is the user who created the item, or "import".
	CreatedBy string
	// Major marks the save being written as a major update, whose
	// revision note is a public change note. It is not stored on the item.
	Major bool
	// Inserted is set by InsertItem: the item is new in the transaction
	// writing it, so it has nothing to replace (areas, citations, search
	// rows). It is not stored.
	Inserted bool

	// LegalState is a document's validity as of a day, derived from its
	// dates and relations (FillValidity); "" until derived.
	LegalState string

	// Refs are the documents the item cites, as last rendered. They are
	// written with the item when not nil, and not loaded by the queries
	// above (see Store.Refs).
	Refs []Ref
}

// Visible reports whether citizens may see the item at time now: an
// activity only when an approver chose to show it (content.Item.Public).
// It is not called Public so that it does not hide that field, which an
// activity's form and templates read.
func (it *Item) Visible(now time.Time) bool {
	return it.Deleted.IsZero() && (it.Status == Published || it.Status == Withdrawn) &&
		!it.Published.IsZero() && !it.Published.After(now) && shown(&it.Item)
}

// Shown reports whether the item has a public page once published: every
// kind but an activity an approver did not choose to show.
func (it *Item) Shown() bool { return shown(&it.Item) }

// shown is the items.public column of it: whether citizens may see it once
// published. Activities are records of the plan's work, shown only when an
// approver says so; every other kind is.
func shown(it *content.Item) bool { return it.Kind != content.Activity || it.Public }

// itemColumns is every column of items and its texts (item_bodies), in
// the order scanItem reads them, read from itemsWithBodies.
const itemColumns = `id, uid, kind, slug, status, title, summary, COALESCE(number, ''), COALESCE(code, ''),
	published_at, updated_at, meta, COALESCE(b.body_md, ''), COALESCE(b.body_html, ''), COALESCE(b.body_text, ''), COALESCE(source_path, ''),
	content_hash, version, created_at, modified_at, deleted_at, withdrawn_reason, live, review_note, created_by, agency_id`

type scanner interface{ Scan(dest ...any) error }

func scanItem(row scanner) (*Item, error) {
	var (
		it                       Item
		kind, status, meta       string
		published, updated, dele sql.NullInt64
		created, modified        int64
		body                     string
	)
	err := row.Scan(&it.ID, &it.UID, &kind, &it.Slug, &status, &it.Title, &it.Summary, &it.Number, &it.Code,
		&published, &updated, &meta, &body, &it.HTML, &it.Text, &it.SourcePath,
		&it.ContentHash, &it.Version, &created, &modified, &dele, &it.WithdrawnReason, &it.Live, &it.ReviewNote, &it.CreatedBy, &it.AgencyID)
	if err != nil {
		return nil, err
	}
	title, summary, number, code, slug := it.Title, it.Summary, it.Number, it.Code, it.Slug
	if err := json.Unmarshal([]byte(meta), &it.Item); err != nil {
		return nil, fmt.Errorf("store: item %d meta: %w", it.ID, err)
	}
	// Columns win over meta: they are what queries see.
	it.Kind, it.Status = content.Kind(kind), Status(status)
	it.Title, it.Summary, it.Number, it.Code, it.Slug = title, summary, number, code, slug
	it.Body = body
	it.Published, it.Updated, it.Deleted = fromUnix(published), fromUnix(updated), fromUnix(dele)
	it.Created, it.Modified = time.Unix(created, 0).UTC(), time.Unix(modified, 0).UTC()
	return &it, nil
}

func (s *Store) queryItems(ctx context.Context, q querier, where string, args ...any) ([]*Item, error) {
	return s.selectItems(ctx, q, itemColumns, itemsWithBodies, where, args...)
}

// itemsWithBodies is items with each one's texts beside it (migration
// 0240). A LEFT JOIN reads items first, as the where clauses written for
// items expect, and looks each row's texts up by its id.
const itemsWithBodies = `items LEFT JOIN item_bodies b ON b.item_id = items.id`

// selectItems reads the items matching where, with columns itemColumns
// from itemsWithBodies or lightColumns from items, and their areas.
func (s *Store) selectItems(ctx context.Context, q querier, columns, from, where string, args ...any) ([]*Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM `+from+` `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: items: %w", err)
	}
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store: items: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: items: %w", err)
	}
	if err := s.loadAreas(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) queryItem(ctx context.Context, q querier, where string, args ...any) (*Item, error) {
	items, err := s.queryItems(ctx, q, where+` LIMIT 1`, args...)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ErrNotFound
	}
	return items[0], nil
}

// loadAreas fills Areas from item_areas, which is authoritative.
func (s *Store) loadAreas(ctx context.Context, q querier, items []*Item) error {
	if len(items) == 0 {
		return nil
	}
	byID := make(map[int64]*Item, len(items))
	ids := make([]string, 0, len(items))
	for _, it := range items {
		byID[it.ID] = it
		it.Areas = nil
		ids = append(ids, fmt.Sprint(it.ID))
	}
	rows, err := q.QueryContext(ctx, `SELECT item_id, area FROM item_areas WHERE item_id IN (`+strings.Join(ids, ",")+`) ORDER BY item_id, area`)
	if err != nil {
		return fmt.Errorf("store: item areas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var area string
		if err := rows.Scan(&id, &area); err != nil {
			return fmt.Errorf("store: item areas: %w", err)
		}
		byID[id].Areas = append(byID[id].Areas, area)
	}
	return rows.Err()
}

// ItemByID returns the item with id, trashed or not, when it is the
// agency's that ctx acts for: an id typed into another agency's workspace
// is ErrNotFound.
func (s *Store) ItemByID(ctx context.Context, id int64) (*Item, error) {
	it, err := s.queryItem(ctx, s.db.Read, `WHERE id = ? AND agency_id = ?`, id, agency.IDFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: item %d: %w", id, err)
	}
	return it, nil
}

// ItemBySlug returns the agency's item of kind k with slug, trashed or
// not. A document is the one registry's: when the agency has none with
// that slug, another agency's answers (the lowest id first), so a
// document's address resolves in every column.
func (s *Store) ItemBySlug(ctx context.Context, k content.Kind, slug string) (*Item, error) {
	where, args := `WHERE agency_id = ? AND kind = ? AND slug = ?`, []any{agency.IDFrom(ctx), string(k), slug}
	if k == content.Document {
		where, args = `WHERE kind = 'document' AND slug = ? ORDER BY agency_id <> ?, id`, []any{slug, agency.IDFrom(ctx)}
	}
	it, err := s.queryItem(ctx, s.db.Read, where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: item %s/%s: %w", k, slug, err)
	}
	return it, nil
}

// lightColumns is itemColumns without the three bodies, for reading every
// item at once: an import of 100,000 files must not hold them all.
const lightColumns = `id, uid, kind, slug, status, title, summary, COALESCE(number, ''), COALESCE(code, ''),
	published_at, updated_at, meta, '', '', '', COALESCE(source_path, ''),
	content_hash, version, created_at, modified_at, deleted_at, withdrawn_reason, live, review_note, created_by, agency_id`

// queryLight is queryItems without the bodies (see lightColumns).
func (s *Store) queryLight(ctx context.Context, q querier, where string, args ...any) ([]*Item, error) {
	return s.selectItems(ctx, q, lightColumns, "items", where, args...)
}

// ItemsBySource returns every imported item of the agency, keyed by its source path,
// without their bodies (Body, HTML and Text are empty): an import compares
// content hashes, and loads in full (ItemByID) only what changed.
func (s *Store) ItemsBySource(ctx context.Context) (map[string]*Item, error) {
	items, err := s.queryLight(ctx, s.db.Read, `WHERE agency_id = ? AND source_path IS NOT NULL`, agency.IDFrom(ctx))
	if err != nil {
		return nil, err
	}
	m := make(map[string]*Item, len(items))
	for _, it := range items {
		m[it.SourcePath] = it
	}
	return m, nil
}

// Claims are values only one item may hold, as an item (or an import's
// files) would claim them: slugs within a kind ("kind/slug") and procedure
// codes, each unique within an agency, and document number keys, unique
// across the instance (the one registry).
type Claims struct {
	Slugs   []string
	Numbers []string
	Codes   []string
}

// Owners tells which item holds each slug, document number key and
// procedure code, for duplicate checks.
type Owners struct {
	Slug   map[string]int64 // "kind/slug" → id
	Number map[string]int64 // number key → id
	Code   map[string]int64 // procedure code → id
}

// ownersQuery is ItemOwners': each part a lookup in its UNIQUE index, the
// values in JSON arrays, so that any number of them is one statement.
// Slugs and codes are looked for in the agency, number keys in the whole
// registry. An item of another agency
// found by its number reports its number only: its slug and code do not
// clash with this agency's.
const ownersQuery = `SELECT id, kind, slug, COALESCE(number_key, ''), COALESCE(code, ''), agency_id FROM items
	WHERE agency_id = ? AND (kind, slug) IN (SELECT substr(value, 1, instr(value, '/') - 1), substr(value, instr(value, '/') + 1) FROM json_each(?))
	UNION SELECT id, kind, slug, COALESCE(number_key, ''), COALESCE(code, ''), agency_id FROM items
	WHERE number_key IS NOT NULL AND number_key IN (SELECT value FROM json_each(?))
	UNION SELECT id, kind, slug, COALESCE(number_key, ''), COALESCE(code, ''), agency_id FROM items
	WHERE agency_id = ? AND code IS NOT NULL AND code IN (SELECT value FROM json_each(?))`

// ItemOwners finds the items that hold any of the values c claims, read
// in tx (the read pool when tx is nil), in one query: the one uniqueness
// check of the service, for the workspace's save (inside its transaction),
// an import's files (all of them at once) and the documents plans name.
// An item found fills all three maps with what it holds.
func (s *Store) ItemOwners(ctx context.Context, tx *sql.Tx, c Claims) (*Owners, error) {
	o := &Owners{Slug: map[string]int64{}, Number: map[string]int64{}, Code: map[string]int64{}}
	list := func(v []string) string {
		b, _ := json.Marshal(append([]string{}, v...)) // strings: cannot fail
		return string(b)
	}
	own := agency.IDFrom(ctx)
	rows, err := s.reader(tx).QueryContext(ctx, ownersQuery, own, list(c.Slugs), list(c.Numbers), own, list(c.Codes))
	if err != nil {
		return nil, fmt.Errorf("store: owners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, agencyID int64
		var kind, slug, key, code string
		if err := rows.Scan(&id, &kind, &slug, &key, &code, &agencyID); err != nil {
			return nil, fmt.Errorf("store: owners: %w", err)
		}
		if key != "" {
			o.Number[key] = id
		}
		if agencyID != own {
			continue
		}
		o.Slug[kind+"/"+slug] = id
		if code != "" {
			o.Code[code] = id
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: owners: %w", err)
	}
	return o, nil
}

// PublicQuery selects the public items of a list page.
type PublicQuery struct {
	Kind   content.Kind // empty for every kind
	Area   string       // a content area id, or empty
	Now    time.Time
	Limit  int
	Offset int
	// Withdrawn items stay online with a banner but leave lists; set this
	// to include them.
	WithWithdrawn bool
}

// where is q's condition for the agency ctx acts for.
func (q PublicQuery) where(ctx context.Context) (string, []any) {
	conds := []string{`agency_id = ?`}
	args := []any{agency.IDFrom(ctx)}
	conds = append(conds, `deleted_at IS NULL`, `published_at IS NOT NULL`, `published_at <= ?`, `public = 1`)
	args = append(args, q.Now.Unix())
	if q.WithWithdrawn {
		conds = append(conds, `status IN ('published', 'withdrawn')`)
	} else {
		conds = append(conds, `status = 'published'`)
	}
	if q.Kind != "" {
		conds = append(conds, `kind = ?`)
		args = append(args, string(q.Kind))
	}
	if q.Area != "" {
		conds = append(conds, `id IN (SELECT item_id FROM item_areas WHERE area = ?)`)
		args = append(args, q.Area)
	}
	return `WHERE ` + strings.Join(conds, ` AND `), args
}

// PublicItems returns one page of public items, newest first, and the total
// number of items the query matches. The page's ids are found first, in
// the index's order and through it alone (however deep the page, no row
// is read but the page's own), then those rows are read; the total comes
// from the counts kept on write (publicTotal).
func (s *Store) PublicItems(ctx context.Context, q PublicQuery) ([]*Item, int, error) {
	total, err := s.publicTotal(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	if q.Offset >= total {
		// Past the end: nothing to look for.
		return nil, total, nil
	}
	where, args := q.where(ctx)
	items, err := s.pageOfItems(ctx, `SELECT id FROM items `+where+` ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: public items: %w", err)
	}
	return items, total, nil
}

// pageOfItems reads the items whose ids idQuery selects, in its order:
// the ids first (through an index that holds every column the query
// reads, however deep the page), then only those rows — a row of items
// holds three bodies, and a column stored after them (deleted_at,
// modified_at) is read only by walking their overflow pages.
func (s *Store) pageOfItems(ctx context.Context, idQuery string, args ...any) ([]*Item, error) {
	ids, err := queryIDs(ctx, s.db.Read, idQuery, args...)
	if err != nil {
		return nil, err
	}
	items, err := s.ItemsByIDs(ctx, nil, ids)
	if err != nil {
		return nil, err
	}
	return inOrder(items, ids), nil
}

// kindsCounted are the keys of public_counts for every kind, without
// the agency's prefix (countKey).
var kindsCounted = func() []string {
	var keys []string
	for _, k := range content.Kinds {
		keys = append(keys, "kind:"+string(k))
	}
	return keys
}()

// countPrefix is what the keys of public_counts of agency id start with:
// nothing for agency 1, whose keys predate agencies (migration 0150),
// "a<id>:" for every other.
func countPrefix(id int64) string {
	if id == agency.Root {
		return ""
	}
	return fmt.Sprintf("a%d:", id)
}

// publicTotal is the number of items q matches. Lists (published items of
// a kind, of an area, or of every kind) read it from public_counts,
// kept up to date on write (migration 0042), less the items counted there
// that are dated after q.Now (scheduled; few, found through the index on
// kind, status and date). Other queries count.
func (s *Store) publicTotal(ctx context.Context, q PublicQuery) (int, error) {
	var keys []string
	switch {
	case q.WithWithdrawn || (q.Kind != "" && q.Area != ""):
		where, args := q.where(ctx)
		var n int
		if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM items `+where, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("store: public items: %w", err)
		}
		return n, nil
	case q.Kind != "":
		keys = []string{"kind:" + string(q.Kind)}
	case q.Area != "":
		keys = []string{"area:" + q.Area}
	default:
		keys = kindsCounted
	}
	own := agency.IDFrom(ctx)
	prefixed := make([]string, len(keys))
	for i, k := range keys {
		prefixed[i] = countPrefix(own) + k
	}
	list, _ := json.Marshal(prefixed) // strings: cannot fail
	future := `SELECT COUNT(*) FROM items WHERE agency_id = ? AND kind IN ('article', 'procedure', 'document', 'activity') AND status = 'published'
		AND deleted_at IS NULL AND published_at > ? AND public = 1`
	args := []any{string(list), own, q.Now.Unix()}
	switch {
	case q.Kind != "":
		future += ` AND kind = ?`
		args = append(args, string(q.Kind))
	case q.Area != "":
		future += ` AND id IN (SELECT item_id FROM item_areas WHERE area = ?)`
		args = append(args, q.Area)
	}
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT COALESCE((SELECT SUM(n) FROM public_counts WHERE key IN (SELECT value FROM json_each(?))), 0)
		- (`+future+`)`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: public items: %w", err)
	}
	return max(n, 0), nil
}

// AreaCounts counts the agency's public items of each content area at time now,
// from the counts kept on write (see publicTotal).
func (s *Store) AreaCounts(ctx context.Context, now time.Time) (map[string]int, error) {
	m := map[string]int{}
	read := func(query string, sign int, args ...any) error {
		rows, err := s.db.Read.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: area counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var area string
			var n int
			if err := rows.Scan(&area, &n); err != nil {
				return fmt.Errorf("store: area counts: %w", err)
			}
			m[area] += sign * n
		}
		return rows.Err()
	}
	own := agency.IDFrom(ctx)
	prefix := countPrefix(own)
	if err := read(`SELECT substr(key, ?), n FROM public_counts WHERE key > ? AND key < ?`, 1,
		len(prefix+"area:")+1, prefix+"area:", prefix+"area;"); err != nil {
		return nil, err
	}
	if err := read(`SELECT a.area, COUNT(*) FROM items i JOIN item_areas a ON a.item_id = i.id
		WHERE i.agency_id = ? AND i.kind IN ('article', 'procedure', 'document', 'activity') AND i.status = 'published' AND i.deleted_at IS NULL AND i.published_at > ?
		AND i.public = 1
		GROUP BY a.area`, -1, own, now.Unix()); err != nil {
		return nil, err
	}
	for area, n := range m {
		if n <= 0 {
			delete(m, area)
		}
	}
	return m, nil
}

// InsertItem stores a new item of the agency ctx acts for and its first
// revision in tx, setting its ID, AgencyID and Version.
func (s *Store) InsertItem(ctx context.Context, tx *sql.Tx, it *Item, actor, note string) error {
	it.AgencyID = agency.IDFrom(ctx)
	meta, err := json.Marshal(&it.Item)
	if err != nil {
		return fmt.Errorf("store: insert item: %w", err)
	}
	key := numberKey(it)
	if err := s.uniqueUID(ctx, tx, it); err != nil {
		return err
	}
	cols, vals := fieldColumns(&it.Item)
	res, err := s.db.Exec(ctx, tx, `INSERT INTO items (uid, kind, slug, status, title, summary, number, number_key, code,
		published_at, updated_at, meta, source_path, content_hash, version, created_at, modified_at,
		withdrawn_reason, title_key, live, review_note, created_by, agency_id, `+strings.Join(cols, ", ")+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?`+strings.Repeat(", ?", len(cols))+`)`,
		append([]any{it.UID, string(it.Kind), it.Slug, string(it.Status), it.Title, it.Summary, nullString(it.Number), nullString(key), nullString(it.Code),
			unix(it.Published), unix(it.Updated), string(meta), nullString(it.SourcePath), it.ContentHash,
			it.Created.Unix(), it.Modified.Unix(), it.WithdrawnReason, vntext.SortKey(it.Title), it.Live, it.ReviewNote, it.CreatedBy, it.AgencyID}, vals...)...)
	if err != nil {
		return fmt.Errorf("store: insert item %s/%s: %w", it.Kind, it.Slug, err)
	}
	if it.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: insert item: %w", err)
	}
	it.Version, it.Inserted = 1, true
	if err := s.setBodies(ctx, tx, it); err != nil {
		return err
	}
	if err := s.addAreas(ctx, tx, it); err != nil {
		return err
	}
	if err := s.setRelations(ctx, tx, it); err != nil {
		return err
	}
	if err := s.addRefs(ctx, tx, it.ID, it.Refs); err != nil {
		return err
	}
	return s.addRevision(ctx, tx, it, string(meta), actor, note)
}

// UpdateItem writes it over its stored row and adds a revision, provided
// the stored version is still it.Version and the item is the agency's ctx
// acts for; otherwise it returns ErrConflict.
// On success it.Version is the new version.
func (s *Store) UpdateItem(ctx context.Context, tx *sql.Tx, it *Item, actor, note string) error {
	meta, err := json.Marshal(&it.Item)
	if err != nil {
		return fmt.Errorf("store: update item: %w", err)
	}
	if err := s.keepRevisionBody(ctx, tx, it.ID); err != nil {
		return err
	}
	cols, vals := fieldColumns(&it.Item)
	res, err := s.db.Exec(ctx, tx, `UPDATE items SET slug = ?, status = ?, title = ?, summary = ?, number = ?, number_key = ?, code = ?,
		published_at = ?, updated_at = ?, meta = ?, source_path = ?, content_hash = ?,
		version = version + 1, modified_at = ?, deleted_at = ?, withdrawn_reason = ?, title_key = ?, live = ?, review_note = ?, `+
		strings.Join(cols, " = ?, ")+` = ?
		WHERE id = ? AND version = ? AND agency_id = ?`,
		append(append([]any{it.Slug, string(it.Status), it.Title, it.Summary, nullString(it.Number), nullString(numberKey(it)), nullString(it.Code),
			unix(it.Published), unix(it.Updated), string(meta), nullString(it.SourcePath), it.ContentHash,
			it.Modified.Unix(), unix(it.Deleted), it.WithdrawnReason, vntext.SortKey(it.Title), it.Live, it.ReviewNote}, vals...),
			it.ID, it.Version, agency.IDFrom(ctx))...)
	if err != nil {
		return fmt.Errorf("store: update item %d: %w", it.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: update item %d: %w", it.ID, err)
	} else if n == 0 {
		return fmt.Errorf("store: update item %d: %w", it.ID, ErrConflict)
	}
	it.Version++
	it.Inserted = false
	if err := s.setBodies(ctx, tx, it); err != nil {
		return err
	}
	if err := s.setAreas(ctx, tx, it); err != nil {
		return err
	}
	if err := s.setRelations(ctx, tx, it); err != nil {
		return err
	}
	if it.Refs != nil {
		if err := s.SetRefs(ctx, tx, it.ID, it.Refs); err != nil {
			return err
		}
	}
	return s.addRevision(ctx, tx, it, string(meta), actor, note)
}

// SetRendered replaces an item's rendered HTML, text and references
// without making a revision: its source did not change, only what its
// references point to.
func (s *Store) SetRendered(ctx context.Context, tx *sql.Tx, it *Item) error {
	if _, err := s.db.Exec(ctx, tx, `UPDATE item_bodies SET body_html = ?, body_text = ? WHERE item_id = ?`, it.HTML, it.Text, it.ID); err != nil {
		return fmt.Errorf("store: item %d rendered: %w", it.ID, err)
	}
	return s.SetRefs(ctx, tx, it.ID, it.Refs)
}

// setBodies writes its three texts (its Markdown, HTML and plain text)
// beside its row, in tx: the row of item_bodies under its id, made when
// there is none.
func (s *Store) setBodies(ctx context.Context, tx *sql.Tx, it *Item) error {
	_, err := s.db.Exec(ctx, tx, `INSERT INTO item_bodies (item_id, body_md, body_html, body_text) VALUES (?, ?, ?, ?)
		ON CONFLICT (item_id) DO UPDATE SET body_md = excluded.body_md, body_html = excluded.body_html, body_text = excluded.body_text`,
		it.ID, it.Body, it.HTML, it.Text)
	if err != nil {
		return fmt.Errorf("store: item %d texts: %w", it.ID, err)
	}
	return nil
}

func (s *Store) setAreas(ctx context.Context, tx *sql.Tx, it *Item) error {
	if _, err := s.db.Exec(ctx, tx, `DELETE FROM item_areas WHERE item_id = ?`, it.ID); err != nil {
		return fmt.Errorf("store: item %d areas: %w", it.ID, err)
	}
	return s.addAreas(ctx, tx, it)
}

// addAreas writes the areas of it, which has none stored, in one
// statement.
func (s *Store) addAreas(ctx context.Context, tx *sql.Tx, it *Item) error {
	if len(it.Areas) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(it.Areas))
	for _, a := range it.Areas {
		args = append(args, it.ID, a)
	}
	if _, err := s.db.Exec(ctx, tx, `INSERT OR IGNORE INTO item_areas (item_id, area) VALUES (?, ?)`+
		strings.Repeat(", (?, ?)", len(it.Areas)-1), args...); err != nil {
		return fmt.Errorf("store: item %d areas: %w", it.ID, err)
	}
	return nil
}

func numberKey(it *Item) string {
	if it.Kind != content.Document || it.Number == "" {
		return ""
	}
	if k, ok := legalref.Key(it.Number); ok {
		return k
	}
	return it.Number
}

// fieldColumns are the columns of items that keep front matter fields for
// queries, as the field table names them (content.Field.Column), and
// their values in it: text as it is, a date as yyyy-mm-dd (” when none).
// A field given a column in the table needs only the migration adding it.
func fieldColumns(it *content.Item) ([]string, []any) {
	fields := content.DefaultSchema().Columns()
	cols, vals := make([]string, len(fields)), make([]any, len(fields))
	for i, f := range fields {
		cols[i] = f.Column
		if f.Type == content.TypeDate {
			vals[i] = isoDate(f.Time(it))
		} else {
			vals[i] = f.Str(it)
		}
	}
	// public is no field's: it follows from the kind and the approver's
	// choice (shown), and every public query reads it.
	return append(cols, "public"), append(vals, shown(it))
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// IsUniqueViolation reports whether err comes from a UNIQUE constraint.
func IsUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Due is a scheduled item whose time has come, and the agency it is to
// be published for.
type Due struct {
	ID       int64
	AgencyID int64
}

// DueItems lists the scheduled items whose time has come but whose
// publication is not yet recorded, of every agency: one scheduler
// publishes for all of them, each item acting for its own agency.
func (s *Store) DueItems(ctx context.Context, now time.Time) ([]Due, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, agency_id FROM items WHERE live = 0 AND status = 'published'
		AND deleted_at IS NULL AND published_at IS NOT NULL AND published_at <= ? ORDER BY published_at, id`, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: due items: %w", err)
	}
	defer rows.Close()
	var out []Due
	for rows.Next() {
		var d Due
		if err := rows.Scan(&d.ID, &d.AgencyID); err != nil {
			return nil, fmt.Errorf("store: due items: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// uniqueUID makes it.UID unique by a numbered suffix when another item
// already holds it (an item that gave up its slug the same day a new one
// took it). Identities are never reused, so feed readers never confuse two
// items.
func (s *Store) uniqueUID(ctx context.Context, tx *sql.Tx, it *Item) error {
	base := it.UID
	for n := 2; ; n++ {
		var one int
		err := s.db.QueryRow(ctx, tx, `SELECT 1 FROM items WHERE uid = ?`, it.UID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: uid %s: %w", it.UID, err)
		}
		it.UID = fmt.Sprintf("%s~%d", base, n)
	}
}

// AllItems returns every item of the agency, trashed or not, by kind and slug.
func (s *Store) AllItems(ctx context.Context) ([]*Item, error) {
	return s.queryItems(ctx, s.db.Read, `WHERE agency_id = ? ORDER BY kind, slug`, agency.IDFrom(ctx))
}

// ItemName is what a list of the registry shows of an item: enough to
// name it and link to it.
type ItemName struct {
	ID    int64
	Title string
	Ref   string // procedure code or document number
	Key   string // document number key
	Slug  string
}

func (s *Store) itemNames(ctx context.Context, what, query string, args ...any) ([]ItemName, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []ItemName
	for rows.Next() {
		var n ItemName
		if err := rows.Scan(&n.ID, &n.Title, &n.Ref, &n.Key, &n.Slug); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// Procedures names every procedure of the agency not in the trash, by code.
func (s *Store) Procedures(ctx context.Context) ([]ItemName, error) {
	return s.itemNames(ctx, "procedures", `SELECT id, title, COALESCE(code, ''), '', slug FROM items
		WHERE agency_id = ? AND kind = 'procedure' AND deleted_at IS NULL ORDER BY code, id`, agency.IDFrom(ctx))
}

// NumberedDocuments names every document not in the trash that has a
// number key, of every agency: the one registry any agency may cite.
func (s *Store) NumberedDocuments(ctx context.Context) ([]ItemName, error) {
	return s.itemNames(ctx, "documents", `SELECT id, title, COALESCE(number, ''), number_key, slug FROM items
		WHERE kind = 'document' AND deleted_at IS NULL AND number_key IS NOT NULL`)
}

// CountItems counts the agency's items, trashed or not.
func (s *Store) CountItems(ctx context.Context) (int, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE agency_id = ?`, agency.IDFrom(ctx)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count items: %w", err)
	}
	return n, nil
}
