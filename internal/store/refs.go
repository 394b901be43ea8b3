package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Ref is one document number an item cites.
type Ref struct {
	Key    string // legalref canonical key
	Source string // "body", "legal_basis" or "decision" (a procedure's quyết định công bố, migration 0061)
	Text   string // as written
	// State is what the rendering linked to: "" (not in the registry),
	// "ok", or the document's validity when it is not in force.
	State string
}

// Ref states other than a validity text.
const (
	RefUnresolved = ""
	RefOK         = "ok"
)

// SetRefs replaces the references of item id in tx.
func (s *Store) SetRefs(ctx context.Context, tx *sql.Tx, id int64, refs []Ref) error {
	if _, err := s.db.Exec(ctx, tx, `DELETE FROM item_refs WHERE item_id = ?`, id); err != nil {
		return fmt.Errorf("store: refs of item %d: %w", id, err)
	}
	return s.addRefs(ctx, tx, id, refs)
}

// refsAtOnce is the most references addRefs writes in one statement
// (5 parameters each, well under SQLite's limit).
const refsAtOnce = 64

// addRefs writes the references of item id, which has none stored, a
// few statements in all rather than one a reference.
func (s *Store) addRefs(ctx context.Context, tx *sql.Tx, id int64, refs []Ref) error {
	for lo := 0; lo < len(refs); lo += refsAtOnce {
		part := refs[lo:min(lo+refsAtOnce, len(refs))]
		args := make([]any, 0, 5*len(part))
		for _, r := range part {
			args = append(args, id, r.Key, r.Source, r.Text, r.State)
		}
		if _, err := s.db.Exec(ctx, tx, `INSERT INTO item_refs (item_id, key, source, text, state) VALUES (?, ?, ?, ?, ?)`+
			strings.Repeat(", (?, ?, ?, ?, ?)", len(part)-1)+` ON CONFLICT DO NOTHING`, args...); err != nil {
			return fmt.Errorf("store: refs of item %d: %w", id, err)
		}
	}
	return nil
}

// Refs returns the references of item id.
func (s *Store) Refs(ctx context.Context, id int64) ([]Ref, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT key, source, text, state FROM item_refs WHERE item_id = ? ORDER BY source, key`, id)
	if err != nil {
		return nil, fmt.Errorf("store: refs of item %d: %w", id, err)
	}
	defer rows.Close()
	var out []Ref
	for rows.Next() {
		var r Ref
		if err := rows.Scan(&r.Key, &r.Source, &r.Text, &r.State); err != nil {
			return nil, fmt.Errorf("store: refs of item %d: %w", id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// publicWhere restricts a query over items i to what citizens may see at
// a time given as the next argument.
const publicWhere = `i.deleted_at IS NULL AND i.status IN ('published', 'withdrawn') AND i.published_at IS NOT NULL AND i.published_at <= ?
	AND i.public = 1`

// visible is publicWhere for the unaliased items table of queryItems.
const visible = `deleted_at IS NULL AND status IN ('published', 'withdrawn') AND published_at IS NOT NULL AND published_at <= ?
	AND public = 1`

// CitingItems returns the public items citing the document with key,
// newest first.
func (s *Store) CitingItems(ctx context.Context, key string, now time.Time) ([]*Item, error) {
	return s.queryItems(ctx, s.db.Read, `WHERE id IN (SELECT r.item_id FROM item_refs r JOIN items i ON i.id = r.item_id
		WHERE r.key = ? AND i.status = 'published' AND `+publicWhere+`) ORDER BY published_at DESC, id DESC`, key, now.Unix())
}

// CitedDocuments returns the public documents item id cites, by key.
func (s *Store) CitedDocuments(ctx context.Context, id int64, now time.Time) (map[string]*Item, error) {
	items, err := s.queryItems(ctx, s.db.Read, `WHERE kind = 'document' AND number_key IN (SELECT key FROM item_refs WHERE item_id = ?)
		AND `+visible+` ORDER BY issued DESC, id DESC`, id, now.Unix())
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Item, len(items))
	for _, it := range items {
		out[numberKey(it)] = it
	}
	return out, nil
}

// RegistryDocuments returns the documents (without bodies) legal references may link to at
// time now: public (withdrawn ones stay online) and not in the trash. q is
// the read pool or a write transaction that must see its own changes.
func (s *Store) RegistryDocuments(ctx context.Context, tx *sql.Tx, now time.Time) ([]*Item, error) {
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	// Links need a document's number, type, title, slug and dates, never
	// its body: with thousands of documents the bodies were most of serve's
	// memory at start.
	return s.queryLight(ctx, q, `WHERE kind = 'document' AND `+visible, now.Unix())
}

// RegistryDocumentsByKeys is RegistryDocuments for the documents with
// keys only: what a check of a few items' links needs.
func (s *Store) RegistryDocumentsByKeys(ctx context.Context, tx *sql.Tx, keys []string, now time.Time) ([]*Item, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	return s.queryLight(ctx, q, `WHERE kind = 'document' AND number_key IN (SELECT value FROM json_each(?)) AND `+visible, jsonList(keys), now.Unix())
}

// StaleRefs lists, in increasing order, the items whose rendering
// recorded, for a key it cites (only those in keys, unless keys is nil),
// a state other than want(key): the renderings to do again. want is
// asked once per key. The keys go in as one JSON list (any number of
// them: SQLite binds at most 32,766 values), and the rows are compared
// as they are read, without a map of every citation. It reads in tx, or
// the read pool when tx is nil.
func (s *Store) StaleRefs(ctx context.Context, tx *sql.Tx, keys []string, want func(key string) string) ([]int64, error) {
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	query := `SELECT key, item_id, state FROM item_refs`
	var args []any
	if keys != nil {
		if len(keys) == 0 {
			return nil, nil
		}
		query += ` WHERE key IN (SELECT value FROM json_each(?))`
		args = append(args, jsonList(keys))
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: stale refs: %w", err)
	}
	defer rows.Close()
	wanted := map[string]string{}
	stale := map[int64]bool{}
	var key, state sql.RawBytes // valid until the next Next: not kept
	var id int64
	for rows.Next() {
		if err := rows.Scan(&key, &id, &state); err != nil {
			return nil, fmt.Errorf("store: stale refs: %w", err)
		}
		w, ok := wanted[string(key)]
		if !ok {
			k := string(key)
			w = want(k)
			wanted[k] = w
		}
		if string(state) != w {
			stale[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: stale refs: %w", err)
	}
	ids := make([]int64, 0, len(stale))
	for id := range stale {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// ItemsByIDs returns the items with ids, read in tx, or from the read
// pool when tx is nil.
func (s *Store) ItemsByIDs(ctx context.Context, tx *sql.Tx, ids []int64) ([]*Item, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return s.queryItems(ctx, q, `WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
}
