package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cchc/internal/content"
)

// The search index (migration 0003): table search, an FTS5 table of each
// indexed item's folded text under the item's id, search_title, the same
// titles in an FTS5 table of their own (migration 0039), and search_meta,
// what the filters and facets need of it. Package search decides what goes in
// (and folds it) and builds the FTS5 expressions; the SQL is here.

// SearchDoc is one item as the index holds it, its text already folded.
type SearchDoc struct {
	ID                          int64
	Kind                        content.Kind
	Title, Codes, Summary, Body string
	Year                        int
	Published                   int64  // unix seconds
	Areas                       string // area ids, each with a space on both sides
}

// SearchMeta is one indexed item's row of search_meta.
type SearchMeta struct {
	ID        int64
	Kind      string
	Year      int
	Published int64  // unix seconds
	Areas     string // area ids, each with a space on both sides
	// AgencyID is the agency that owns the item (search_meta.agency_id,
	// migration 0180: a copy of items.agency_id).
	AgencyID int64
}

// IndexDoc adds d to the index in tx (Unindex it first). The row of
// search_meta takes the owning agency from the item's row, which tx has
// already written (a trigger, migration 0180).
func (s *Store) IndexDoc(ctx context.Context, tx *sql.Tx, d *SearchDoc) error {
	return s.IndexDocs(ctx, tx, []*SearchDoc{d})
}

// IndexDocs is IndexDoc for many documents: every row of search_meta
// first, then the full-text rows. The order is what makes it cheap: an
// INSERT into search_meta fires its trigger (migration 0180), so it runs
// in a statement savepoint, and at every savepoint FTS5 flushes the terms
// it holds in memory into a new segment. Interleaved per document, an
// import of 10,000 items wrote a segment or two per item and spent a
// tenth of its CPU merging them (docs/PERFORMANCE.md, h21-import); this
// way a chunk's terms go into one segment per index.
func (s *Store) IndexDocs(ctx context.Context, tx *sql.Tx, docs []*SearchDoc) error {
	for _, d := range docs {
		if _, err := s.db.Exec(ctx, tx, `INSERT INTO search_meta (item_id, kind, year, published_at, areas) VALUES (?, ?, ?, ?, ?)`,
			d.ID, string(d.Kind), d.Year, d.Published, d.Areas); err != nil {
			return fmt.Errorf("store: index item %d: %w", d.ID, err)
		}
	}
	for _, d := range docs {
		if _, err := s.db.Exec(ctx, tx, `INSERT INTO search (rowid, title, codes, summary, body) VALUES (?, ?, ?, ?, ?)`,
			d.ID, d.Title, d.Codes, d.Summary, d.Body); err != nil {
			return fmt.Errorf("store: index item %d: %w", d.ID, err)
		}
		if _, err := s.db.Exec(ctx, tx, `INSERT INTO search_title (rowid, title) VALUES (?, ?)`, d.ID, d.Title); err != nil {
			return fmt.Errorf("store: index item %d: %w", d.ID, err)
		}
	}
	return nil
}

// Unindex removes item id from the index in tx.
func (s *Store) Unindex(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := s.db.Exec(ctx, tx, `DELETE FROM search WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("store: unindex item %d: %w", id, err)
	}
	if _, err := s.db.Exec(ctx, tx, `DELETE FROM search_title WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("store: unindex item %d: %w", id, err)
	}
	if _, err := s.db.Exec(ctx, tx, `DELETE FROM search_meta WHERE item_id = ?`, id); err != nil {
		return fmt.Errorf("store: unindex item %d: %w", id, err)
	}
	return nil
}

// ClearIndex empties the index in tx.
func (s *Store) ClearIndex(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`DELETE FROM search`, `DELETE FROM search_title`, `DELETE FROM search_meta`} {
		if _, err := s.db.Exec(ctx, tx, q); err != nil {
			return fmt.Errorf("store: clear index: %w", err)
		}
	}
	return nil
}

// OptimizeSearch merges each full-text index (search, search_title) into
// one segment. FTS5 keeps an item written again in a new segment and the
// old entry in the old one, masked by a tombstone (contentless_delete),
// until segments merge: every match walks both. After an import that
// rewrote a tenth of 20,000 items (the link refresh of 50 agencies' trees)
// a common word's match took up to 4.5 × as long as in the same items
// imported once; merged, the same. The whole index is rewritten (about
// 1.5–2 s at 20,000 items), in steps of mergeStep pages, each its own
// transaction on the writer (FTS5's incremental 'optimize': a negative
// 'merge'), so that a server writing beside it (an editor's save) waits
// for one step, never for the whole merge, under its busy timeout. It is
// done when a step changes fewer than 2 rows, as FTS5's documentation
// says to tell.
func (s *Store) OptimizeSearch(ctx context.Context) error {
	// Two fixed names, never input.
	for _, t := range []string{"search", "search_title"} {
		if err := s.db.MergeFTS(ctx, t, -mergeStep); err != nil {
			return fmt.Errorf("store: optimize search index: %w", err)
		}
	}
	return nil
}

// mergeStep is the pages of merged index OptimizeSearch writes in one
// transaction (16 MB in pages of 16 KiB; database.MergeFTS).
const mergeStep = 1000

// SearchIndexed counts the indexed items (rows of search_meta).
func (s *Store) SearchIndexed(ctx context.Context) (int, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM search_meta`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: search index: %w", err)
	}
	return n, nil
}

// SearchSegments counts the segments of the full-text index of the whole
// text (search) and of the titles (search_title): 1 and 1 right after
// OptimizeSearch.
func (s *Store) SearchSegments(ctx context.Context) (text, titles int, err error) {
	if err := s.db.Read.QueryRowContext(ctx, `SELECT (SELECT count(DISTINCT segid) FROM search_idx), (SELECT count(DISTINCT segid) FROM search_title_idx)`).Scan(&text, &titles); err != nil {
		return 0, 0, fmt.Errorf("store: search index: %w", err)
	}
	return text, titles, nil
}

// IndexCandidates lists, in tx, the ids of the items that may belong in
// the index: published, shown to citizens, not in the trash.
func (s *Store) IndexCandidates(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	ids, err := queryIDs(ctx, tx, `SELECT id FROM items WHERE status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND public = 1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: index candidates: %w", err)
	}
	return ids, nil
}

// SiteVersion reads the counter every change to public content moves
// (migration 0010), in any process.
func (s *Store) SiteVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.Read.QueryRowContext(ctx, `SELECT version FROM site_state WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: site version: %w", err)
	}
	return v, nil
}

// SearchMetas returns every row of search_meta and the site version they
// are current at, both read in one snapshot.
func (s *Store) SearchMetas(ctx context.Context) (int64, []SearchMeta, error) {
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, nil, fmt.Errorf("store: search meta: %w", err)
	}
	defer tx.Rollback()
	var v int64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM site_state WHERE id = 1`).Scan(&v); err != nil {
		return 0, nil, fmt.Errorf("store: site version: %w", err)
	}
	col, err := metaAgency(ctx, tx)
	if err != nil {
		return 0, nil, err
	}
	metas, err := scanMetas(tx.QueryContext(ctx, `SELECT m.item_id, m.kind, m.year, m.published_at, m.areas, `+col+` FROM search_meta m`))
	if err != nil {
		return 0, nil, err
	}
	return v, metas, nil
}

// metaAgency is what reads a row's agency in search_meta (aliased m):
// its column, or 1 in a database whose schema is older than migration
// 0180, where every item is agency 1's. The service upgrades a database
// before it serves it; only agency's upgrade test runs this code on the
// older schema, to crawl the column as it was before the upgrade.
func metaAgency(ctx context.Context, q querier) (string, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('search_meta') WHERE name = 'agency_id'`).Scan(&n); err != nil {
		return "", fmt.Errorf("store: search meta: %w", err)
	}
	if n == 0 {
		return "1", nil
	}
	return "m.agency_id", nil
}

func scanMetas(rows *sql.Rows, err error) ([]SearchMeta, error) {
	if err != nil {
		return nil, fmt.Errorf("store: search meta: %w", err)
	}
	defer rows.Close()
	var out []SearchMeta
	for rows.Next() {
		var m SearchMeta
		if err := rows.Scan(&m.ID, &m.Kind, &m.Year, &m.Published, &m.Areas, &m.AgencyID); err != nil {
			return nil, fmt.Errorf("store: search meta: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search meta: %w", err)
	}
	return out, nil
}

// SearchMatch lists the ids of the indexed items matching the FTS5
// expression expr, unranked; with Titles, those whose title alone matches
// (search_title).
//
// The ids come back as one row, a comma-separated list, not one row an
// id: a common word matches nearly every item, and database/sql's work for
// each row (locks, a driver.Value, a conversion) cost three times SQLite's
// own walk of the match — at 100,000 items 26 ms against 9 ms for the
// same 99,320 ids.
func (s *Store) SearchMatch(ctx context.Context, expr string, titles bool) ([]int64, error) {
	table := "search"
	if titles {
		table = "search_title"
	}
	var list []byte
	if err := s.db.Read.QueryRowContext(ctx, `SELECT group_concat(rowid) FROM `+table+` WHERE `+table+` MATCH ?`, expr).Scan(&list); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	ids, err := parseIDList(list)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return ids, nil
}

// SearchSample lists, for each range of rowids [lo, hi], the first limit
// ids (ascending) of the indexed items in it matching expr, all read in
// one snapshot. FTS5 seeks to a range's start in every doclist and stops
// at the limit, so a sample of a match that covers the whole column costs
// a fraction of walking it.
func (s *Store) SearchSample(ctx context.Context, expr string, ranges [][2]int64, limit int) ([][]int64, error) {
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: search sample: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `SELECT group_concat(rowid) FROM
		(SELECT rowid FROM search WHERE search MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?)`)
	if err != nil {
		return nil, fmt.Errorf("store: search sample: %w", err)
	}
	defer stmt.Close()
	out := make([][]int64, len(ranges))
	for i, r := range ranges {
		var list []byte
		if err := stmt.QueryRowContext(ctx, expr, r[0], r[1], limit).Scan(&list); err != nil {
			return nil, fmt.Errorf("store: search sample: %w", err)
		}
		if out[i], err = parseIDList(list); err != nil {
			return nil, fmt.Errorf("store: search sample: %w", err)
		}
	}
	return out, nil
}

// parseIDList reads the comma-separated integers group_concat wrote.
func parseIDList(b []byte) ([]int64, error) {
	if len(b) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, bytes.Count(b, []byte{','})+1)
	var n int64
	digits := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9' && digits < 18:
			n = n*10 + int64(c-'0')
			digits++
		case c == ',' && digits > 0:
			ids = append(ids, n)
			n, digits = 0, 0
		default:
			return nil, fmt.Errorf("id list: unexpected %q", c)
		}
	}
	if digits == 0 {
		return nil, errors.New("id list: ends without a number")
	}
	return append(ids, n), nil
}

// SearchRank is a ranked search of the index.
type SearchRank struct {
	Match string // FTS5 expression every hit matches
	// Titles ranks the titles alone (search_title, bm25 over the title)
	// instead of the whole index.
	Titles bool
	// Phrase, when not "", is an FTS5 expression whose hits rank first.
	Phrase string
	Now    int64 // unix seconds: only items published by then
	// Kind, Area and Year filter when set.
	Kind string
	Area string
	Year int
	// Agency, when not 0, keeps to one agency's column: its own items and
	// every agency's documents (the one registry). Agencies, when not
	// empty, keeps to the items of those agencies (a province-wide
	// search). Neither set: every agency's items.
	Agency   int64
	Agencies []int64
	// Skip are ids left out.
	Skip          []int64
	Limit, Offset int
}

// metaFilters writes q's filters on search_meta (aliased m) into b and
// returns args with their values.
func (q SearchRank) metaFilters(b *strings.Builder, args []any) []any {
	if q.Kind != "" {
		b.WriteString(` AND m.kind = ?`)
		args = append(args, q.Kind)
	}
	if q.Area != "" {
		b.WriteString(` AND instr(m.areas, ?) > 0`)
		args = append(args, " "+q.Area+" ")
	}
	if q.Year != 0 {
		b.WriteString(` AND m.year = ?`)
		args = append(args, q.Year)
	}
	switch {
	case q.Agency != 0:
		b.WriteString(` AND (m.agency_id = ? OR m.kind = 'document')`)
		args = append(args, q.Agency)
	case len(q.Agencies) > 0:
		b.WriteString(` AND m.agency_id IN (?` + strings.Repeat(`, ?`, len(q.Agencies)-1) + `)`)
		for _, id := range q.Agencies {
			args = append(args, id)
		}
	}
	return args
}

// SearchRanked lists the ids of q's hits, Phrase matches first, then by
// bm25 (the rank set in migration 0003, or the title's alone with
// Titles), then by id.
func (s *Store) SearchRanked(ctx context.Context, q SearchRank) ([]int64, error) {
	// t is one of two fixed names, never input.
	t := "search"
	if q.Titles {
		t = "search_title"
	}
	var b strings.Builder
	args := []any{q.Match, q.Now}
	b.WriteString(`SELECT ` + t + `.rowid FROM ` + t + ` JOIN search_meta m ON m.item_id = ` + t + `.rowid
		WHERE ` + t + ` MATCH ? AND m.published_at <= ?`)
	args = q.metaFilters(&b, args)
	if len(q.Skip) > 0 {
		b.WriteString(` AND ` + t + `.rowid NOT IN (?` + strings.Repeat(`, ?`, len(q.Skip)-1) + `)`)
		for _, id := range q.Skip {
			args = append(args, id)
		}
	}
	b.WriteString(` ORDER BY `)
	if q.Phrase != "" {
		b.WriteString(t + `.rowid IN (SELECT rowid FROM ` + t + ` WHERE ` + t + ` MATCH ?) DESC, `)
		args = append(args, q.Phrase)
	}
	b.WriteString(`rank, ` + t + `.rowid LIMIT ? OFFSET ?`)
	args = append(args, q.Limit, q.Offset)
	ids, err := queryIDs(ctx, s.db.Read, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return ids, nil
}

// SearchNewest lists the ids of q's hits newest first (published_at, then
// id, both descending), at most q.Limit from q.Offset, without walking the
// whole match: search_meta is read in that order through its index and
// each row is looked up in the full-text index (CROSS JOIN fixes that
// order), so the cost grows with the rows read, not with the hits. For a
// word in half the items, the 10 newest hits of 57,842 take 1.2 ms
// against 4.8 ms to merely count them. A rare word would read most of
// search_meta: callers use this only for matches known to be large.
// Phrase, Titles and Skip are not used.
func (s *Store) SearchNewest(ctx context.Context, q SearchRank) ([]int64, error) {
	var b strings.Builder
	args := []any{q.Now}
	b.WriteString(`SELECT m.item_id FROM search_meta m CROSS JOIN search ON search.rowid = m.item_id
		WHERE m.published_at <= ?`)
	args = q.metaFilters(&b, args)
	b.WriteString(` AND search MATCH ? ORDER BY m.published_at DESC, m.item_id DESC LIMIT ? OFFSET ?`)
	args = append(args, q.Match, q.Limit, q.Offset)
	ids, err := queryIDs(ctx, s.db.Read, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return ids, nil
}

// SearchCountUpTo counts the indexed items matching expr, stopping at
// limit: whether a term is rarer than limit costs at most limit rows.
func (s *Store) SearchCountUpTo(ctx context.Context, expr string, limit int) (int, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ? LIMIT ?)`, expr, limit).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: search: %w", err)
	}
	return n, nil
}

// RefMatch names items by what they are numbered: one of its fields is
// set.
type RefMatch struct {
	Key     string // a document number key, exactly
	KeyGlob string // a GLOB pattern over document number keys
	Code    string // a procedure code or its beginning (digits, letters and dots)
}

// SearchByRef lists, newest issue first, at most limit indexed items
// public at now whose document number or procedure code m names.
func (s *Store) SearchByRef(ctx context.Context, m RefMatch, now int64, limit int) ([]SearchMeta, error) {
	col, err := metaAgency(ctx, s.db.Read)
	if err != nil {
		return nil, err
	}
	sel := `SELECT m.item_id, m.kind, m.year, m.published_at, m.areas, ` + col + ` FROM items i JOIN search_meta m ON m.item_id = i.id WHERE m.published_at <= ? AND `
	var where string
	args := []any{now}
	switch {
	case m.Key != "":
		where = `i.number_key = ?`
		args = append(args, m.Key)
	case m.KeyGlob != "":
		where = `i.number_key GLOB ?`
		args = append(args, m.KeyGlob)
	case m.Code != "":
		where = `(i.code = ? OR i.code GLOB ?)`
		args = append(args, m.Code, m.Code+".*")
	default:
		return nil, nil
	}
	return scanMetas(s.db.Read.QueryContext(ctx, sel+where+` ORDER BY i.issued DESC, m.published_at DESC, i.id LIMIT `+strconv.Itoa(limit), args...))
}

// ItemsSnapshot returns the items with ids (in no order), read in one
// snapshot of the read pool.
func (s *Store) ItemsSnapshot(ctx context.Context, ids []int64) ([]*Item, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	tx, err := s.db.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: items: %w", err)
	}
	defer tx.Rollback()
	return s.ItemsByIDs(ctx, tx, ids)
}

// queryIDs runs a query of one integer column.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
