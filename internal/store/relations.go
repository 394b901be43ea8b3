package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"cchc/internal/content"
	"cchc/internal/vntext"
)

// setRelations replaces the relations item it states (doc_relations) in
// tx: a document's stated relations, from the acting side; none for other
// kinds.
func (s *Store) setRelations(ctx context.Context, tx *sql.Tx, it *Item) error {
	if _, err := s.db.Exec(ctx, tx, `DELETE FROM doc_relations WHERE item_id = ?`, it.ID); err != nil {
		return fmt.Errorf("store: relations of item %d: %w", it.ID, err)
	}
	for _, r := range it.Relations() {
		date := ""
		if !r.Date.IsZero() {
			date = r.Date.In(vntext.Zone).Format(time.DateOnly)
		}
		if _, err := s.db.Exec(ctx, tx, `INSERT INTO doc_relations (item_id, verb, actor_key, actor_text, target_key, target_text, date)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			it.ID, string(r.Verb), r.ActorKey, r.Actor, r.TargetKey, r.Target, date); err != nil {
			return fmt.Errorf("store: relations of item %d: %w", it.ID, err)
		}
	}
	return nil
}

// relationDate is the day (yyyy-mm-dd) relation row r takes effect: its
// own date, else the acting document's effective date, else its issue
// date; ” (at once) when the registry lacks the acting document. Its one
// argument is the time (unix) the acting document must be public at.
const relationDate = `COALESCE(NULLIF(r.date, ''), (SELECT COALESCE(NULLIF(a.effective, ''), a.issued) FROM items a
	WHERE a.kind = 'document' AND a.number_key = r.actor_key AND a.deleted_at IS NULL
	AND a.status IN ('published', 'withdrawn') AND a.published_at IS NOT NULL AND a.published_at <= ?), '')`

// relationPublic keeps relation rows r whose stating document is public
// at the time (unix) of its one argument.
const relationPublic = `EXISTS (SELECT 1 FROM items st WHERE st.id = r.item_id AND st.deleted_at IS NULL
	AND st.status IN ('published', 'withdrawn') AND st.published_at IS NOT NULL AND st.published_at <= ?)`

// validitySQL derives the validity of the documents of table t (an alias
// of items) on the day of now, and returns its arguments. The rules, in
// order:
//
//  1. the validity an editor set (validity:) stands;
//  2. past its expiry date (expires:, a plan's period), or replaced or
//     repealed in whole by a relation in effect, hết hiệu lực toàn bộ;
//  3. before its effective date, chưa có hiệu lực;
//  4. repealed in part by a relation in effect, hết hiệu lực một phần;
//  5. else còn hiệu lực.
//
// Amending and guiding leave a document in force. Relations are not
// followed further (a document replacing one that replaces it is two
// rows, each read once), so any set of relations derives in one pass.
func validitySQL(t string, now time.Time) (string, []any) {
	today := now.In(vntext.Zone).Format(time.DateOnly)
	unix := now.Unix()
	rel := func(verbs string) string {
		return `EXISTS (SELECT 1 FROM doc_relations r WHERE r.target_key = ` + t + `.number_key AND r.verb IN (` + verbs + `)
			AND ` + relationPublic + ` AND ` + relationDate + ` <= ?)`
	}
	expr := `(CASE WHEN ` + t + `.kind <> 'document' THEN ''
	WHEN ` + t + `.validity <> '' THEN ` + t + `.validity
	WHEN ` + t + `.expires <> '' AND ` + t + `.expires <= ? THEN '` + content.ValidityExpired + `'
	WHEN ` + rel(`'replaces', 'repeals'`) + ` THEN '` + content.ValidityExpired + `'
	WHEN ` + t + `.effective <> '' AND ` + t + `.effective > ? THEN '` + content.ValidityNotYet + `'
	WHEN ` + rel(`'repeals_part'`) + ` THEN '` + content.ValidityPartly + `'
	ELSE '` + content.ValidityInForce + `' END)`
	return expr, []any{today, unix, unix, today, today, unix, unix, today}
}

// Validities returns the validity on the day of now of the public
// documents (the registry) with keys, or of every one when keys is nil,
// by key, read in tx or the read pool when tx is nil. A key the registry
// lacks is not in the map.
func (s *Store) Validities(ctx context.Context, tx *sql.Tx, keys []string, now time.Time) (map[string]string, error) {
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	expr, args := validitySQL("d", now)
	query := `SELECT d.number_key, ` + expr + ` FROM items d WHERE d.kind = 'document' AND d.number_key IS NOT NULL AND d.deleted_at IS NULL
		AND d.status IN ('published', 'withdrawn') AND d.published_at IS NOT NULL AND d.published_at <= ?`
	args = append(args, now.Unix())
	if keys != nil {
		if len(keys) == 0 {
			return map[string]string{}, nil
		}
		query += ` AND d.number_key IN (SELECT value FROM json_each(?))`
		args = append(args, jsonList(keys))
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: validities: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var key, v string
		if err := rows.Scan(&key, &v); err != nil {
			return nil, fmt.Errorf("store: validities: %w", err)
		}
		out[key] = v
	}
	return out, rows.Err()
}

// FillValidity sets LegalState, the validity on the day of now, on the
// documents among items.
func (s *Store) FillValidity(ctx context.Context, items []*Item, now time.Time) error {
	var keys []string
	for _, it := range items {
		if it == nil {
			continue
		}
		if k := numberKey(it); k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	v, err := s.Validities(ctx, nil, keys, now)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it == nil {
			continue
		}
		if k := numberKey(it); k != "" {
			it.LegalState = v[k]
		}
	}
	return nil
}

// DocRelation is one relation of a document as its page shows it.
type DocRelation struct {
	Verb content.Verb
	// AsTarget is set when the page's document is the one acted on.
	AsTarget bool
	// Other is the other document's number as written, OtherKey its key,
	// and Document the other document when it is public (nil otherwise).
	Other, OtherKey string
	Document        *Item
	// Date is the day the relation takes effect as a document writes
	// it, zero when neither does.
	Date time.Time
}

// DocumentRelations returns the relations of the document with key that
// public documents state, from either side, each once (a relation both
// documents write is one), in the order of content.Verbs and then by date.
func (s *Store) DocumentRelations(ctx context.Context, key string, now time.Time) ([]DocRelation, error) {
	unix := now.Unix()
	// The date shown is the one written: one resolved from the acting
	// document (its issue date, say) would state what no one wrote.
	rows, err := s.db.Read.QueryContext(ctx, `SELECT r.verb, r.actor_key, r.actor_text, r.target_key, r.target_text, r.date
		FROM doc_relations r WHERE (r.actor_key = ? OR r.target_key = ?) AND `+relationPublic+`
		ORDER BY r.date DESC, r.item_id LIMIT ?`, key, key, unix, 4*content.MaxRelations)
	if err != nil {
		return nil, fmt.Errorf("store: relations of %s: %w", key, err)
	}
	defer rows.Close()
	var out []DocRelation
	seen := map[[3]string]int{}
	for rows.Next() {
		var verb, ak, at, tk, tt, date string
		if err := rows.Scan(&verb, &ak, &at, &tk, &tt, &date); err != nil {
			return nil, fmt.Errorf("store: relations of %s: %w", key, err)
		}
		d := DocRelation{Verb: content.Verb(verb), AsTarget: tk == key, Other: tt, OtherKey: tk}
		if d.AsTarget {
			d.Other, d.OtherKey = at, ak
		}
		if date != "" {
			if t, err := vntext.ParseDate(date); err == nil {
				d.Date = t
			}
		}
		id := [3]string{verb, ak, tk}
		if i, ok := seen[id]; ok {
			// Written on both sides: the first row has the given date
			// when either does (rows with a date come first).
			if out[i].Date.IsZero() {
				out[i].Date = d.Date
			}
			continue
		}
		seen[id] = len(out)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: relations of %s: %w", key, err)
	}
	var others []string
	for _, d := range out {
		others = append(others, d.OtherKey)
	}
	if len(others) > 0 {
		docs, err := s.queryLight(ctx, s.db.Read, `WHERE kind = 'document' AND number_key IN (SELECT value FROM json_each(?)) AND `+visible, jsonList(others), unix)
		if err != nil {
			return nil, err
		}
		byKey := map[string]*Item{}
		for _, d := range docs {
			byKey[numberKey(d)] = d
		}
		for i := range out {
			out[i].Document = byKey[out[i].OtherKey]
		}
	}
	slices.SortStableFunc(out, func(a, b DocRelation) int {
		if c := slices.Index(content.Verbs, a.Verb) - slices.Index(content.Verbs, b.Verb); c != 0 {
			return c
		}
		return a.Date.Compare(b.Date)
	})
	return out, nil
}

// RelatedKeys returns the keys of the documents the relations stated by
// item id name, on either side: the documents whose validity a change of
// id may move.
func (s *Store) RelatedKeys(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	var q querier = s.db.Read
	if tx != nil {
		q = tx
	}
	rows, err := q.QueryContext(ctx, `SELECT actor_key FROM doc_relations WHERE item_id = ? UNION SELECT target_key FROM doc_relations WHERE item_id = ?`, id, id)
	if err != nil {
		return nil, fmt.Errorf("store: related keys of item %d: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: related keys of item %d: %w", id, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// jsonList is keys as a JSON array of strings, for json_each.
func jsonList(keys []string) string {
	b, _ := json.Marshal(keys) // strings always marshal
	return string(b)
}
