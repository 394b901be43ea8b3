package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
)

// LogRow is one row of the publication log (table publog, migrations
// 0004, 0030, 0100 and 0140) as stored. What the rows mean — the chain, its encoding, the
// types of change — is package publog's; the store only keeps them.
//
// Each agency's rows are a chain of their own (migration 0140): every
// method here reads and writes the chain of the agency ctx acts for
// (agency.IDFrom), so an agency's figures never include another's rows.
type LogRow struct {
	// AgencyID is the agency whose chain holds the row.
	AgencyID int64
	Seq      int64
	At       time.Time // UTC, whole seconds
	Recorded time.Time // UTC, whole seconds
	Type     string
	Actor    string
	ItemID   int64
	ItemUID  string
	Kind     content.Kind
	Ref      string
	Title    string
	URL      string
	PlanItem string
	Areas    []string
	Author   string
	Issued   string
	Note     string
	Imported bool
	PrevHash string
	Hash     string
	// Format is the row's encoding: 1 for rows written before migration
	// 0030, 2 after. Declared is the row's stored mark, written only by
	// format 2 (a format 1 row stores none and reads false here).
	Format   int
	Declared bool
	// Facts is the row's facts as stored (migration 0100): a JSON object
	// package publog writes, "" when the row has none (stored NULL).
	Facts string
}

const logColumns = `agency_id, seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url, plan_item, areas, author, issued, note, imported, prev_hash, hash, format, declared, facts`

// scanLogRow scans row into r, setting every field.
func scanLogRow(row scanner, r *LogRow) error {
	var (
		at, recorded int64
		kind, areas  string
		declared     sql.NullBool
		facts        sql.NullString
	)
	if err := row.Scan(&r.AgencyID, &r.Seq, &at, &recorded, &r.Type, &r.Actor, &r.ItemID, &r.ItemUID, &kind, &r.Ref, &r.Title, &r.URL,
		&r.PlanItem, &areas, &r.Author, &r.Issued, &r.Note, &r.Imported, &r.PrevHash, &r.Hash, &r.Format, &declared, &facts); err != nil {
		return err
	}
	r.Declared = declared.Bool
	r.Facts = facts.String
	r.At, r.Recorded = time.Unix(at, 0).UTC(), time.Unix(recorded, 0).UTC()
	r.Kind = content.Kind(kind)
	r.Areas = nil
	if areas != "" {
		r.Areas = strings.Split(areas, ",")
	}
	return nil
}

// reader is tx, or the read pool when tx is nil.
func (s *Store) reader(tx *sql.Tx) querier {
	if tx != nil {
		return tx
	}
	return s.db.Read
}

// LogChain is what the log_chains table (migration 0140) keeps of one
// chain: what sqlite_sequence kept of the one chain before.
type LogChain struct {
	AgencyID int64
	// Issued is the highest row number the chain ever gave (deleting rows
	// does not lower it), 0 when it has given none.
	Issued int64
	// Slug is the slug the chain's rows of format 3 hash: the agency's
	// slug when the chain began, or its slug now when it has not begun.
	Slug string
	// LastSeq and LastHash are the number and hash of the chain's last
	// row (0 and "" when it has none): what the next row follows.
	LastSeq  int64
	LastHash string
}

// LogChain reads the chain of the agency ctx acts for, its last row
// included, in one query in tx (the read pool when tx is nil); ErrNotFound
// when there is no such agency.
func (s *Store) LogChain(ctx context.Context, tx *sql.Tx) (LogChain, error) {
	const q = `SELECT a.id, COALESCE(c.issued, 0), COALESCE(c.slug, a.slug), COALESCE(p.seq, 0), COALESCE(p.hash, '')
		FROM agencies a LEFT JOIN log_chains c ON c.agency_id = a.id
		LEFT JOIN (SELECT seq, hash FROM publog WHERE agency_id = ?1 ORDER BY seq DESC LIMIT 1) p
		WHERE a.id = ?1`
	c := LogChain{AgencyID: agency.IDFrom(ctx)}
	var row *sql.Row
	if tx != nil {
		row = s.db.QueryRow(ctx, tx, q, c.AgencyID)
	} else {
		row = s.db.Read.QueryRowContext(ctx, q, c.AgencyID)
	}
	err := row.Scan(&c.AgencyID, &c.Issued, &c.Slug, &c.LastSeq, &c.LastHash)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("store: log chain of agency %d: %w", c.AgencyID, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("store: log chain of agency %d: %w", c.AgencyID, err)
	}
	return c, nil
}

// LogAgencies lists, by id, every agency that has or may have a chain:
// every agency, and any id a log row or a log_chains row names (the
// foreign keys forbid one that is not an agency, but a damaged file may
// hold it, and its rows must be walked too).
func (s *Store) LogAgencies(ctx context.Context) ([]int64, error) {
	// The rows' agencies are found by stepping through the key, one
	// lookup per agency, not by reading every row.
	rows, err := s.db.Read.QueryContext(ctx, `WITH RECURSIVE rowsof(id) AS (
			SELECT min(agency_id) FROM publog
			UNION ALL SELECT (SELECT min(agency_id) FROM publog WHERE agency_id > rowsof.id) FROM rowsof WHERE rowsof.id IS NOT NULL)
		SELECT id FROM agencies UNION SELECT agency_id FROM log_chains
		UNION SELECT id FROM rowsof WHERE id IS NOT NULL ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("store: log agencies: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: log agencies: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: log agencies: %w", err)
	}
	return out, nil
}

// InsertLogRow appends r to the chain of agency r.AgencyID in tx, with
// the number, hashes and format r carries (a format 1 row stores no
// declared mark), and raises the chain's log_chains number to it; a chain
// begun by r records slug, the slug its format 3 rows hash.
func (s *Store) InsertLogRow(ctx context.Context, tx *sql.Tx, r *LogRow, slug string) error {
	var declared, facts any
	if r.Format != 1 {
		declared = r.Declared
	}
	if r.Facts != "" {
		facts = r.Facts
	}
	_, err := s.db.Exec(ctx, tx, `INSERT INTO publog (`+logColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.AgencyID, r.Seq, r.At.Unix(), r.Recorded.Unix(), r.Type, r.Actor, r.ItemID, r.ItemUID, string(r.Kind), r.Ref, r.Title, r.URL,
		r.PlanItem, strings.Join(r.Areas, ","), r.Author, r.Issued, r.Note, r.Imported, r.PrevHash, r.Hash, r.Format, declared, facts)
	if err != nil {
		return fmt.Errorf("store: log row %d of agency %d: %w", r.Seq, r.AgencyID, err)
	}
	_, err = s.db.Exec(ctx, tx, `INSERT INTO log_chains (agency_id, issued, slug) VALUES (?, ?, ?)
		ON CONFLICT (agency_id) DO UPDATE SET issued = max(issued, excluded.issued)`, r.AgencyID, r.Seq, slug)
	if err != nil {
		return fmt.Errorf("store: log chain of agency %d: %w", r.AgencyID, err)
	}
	return nil
}

// eachLogRow calls fn with every row of the chain of the agency ctx acts
// for that matches cond ("" for all), in order, one at a time (the whole
// log is never held at once).
func (s *Store) eachLogRow(ctx context.Context, fn func(*LogRow) error, cond, order string, args ...any) error {
	if cond != "" {
		cond = " AND " + cond
	}
	args = append([]any{agency.IDFrom(ctx)}, args...)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+logColumns+` FROM publog WHERE agency_id = ?`+cond+` ORDER BY `+order, args...)
	if err != nil {
		return fmt.Errorf("store: log rows: %w", err)
	}
	defer rows.Close()
	// One row value for the whole walk: a report walks every row of a
	// chain, and fn keeps what it needs (the strings, never r).
	var r LogRow
	for rows.Next() {
		if err := scanLogRow(rows, &r); err != nil {
			return fmt.Errorf("store: log rows: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: log rows: %w", err)
	}
	return nil
}

func (s *Store) logRows(ctx context.Context, cond, order string, args ...any) ([]*LogRow, error) {
	var out []*LogRow
	err := s.eachLogRow(ctx, func(r *LogRow) error {
		kept := *r
		out = append(out, &kept)
		return nil
	}, cond, order, args...)
	return out, err
}

// EachLogRow calls fn with every row of the chain of the agency ctx acts
// for, in number order, one at a time, until fn returns an error. fn must
// not read the store: the rows hold a connection of the read pool until
// the walk ends. Nor may it keep r: the next row is scanned into it (its
// fields may be kept).
func (s *Store) EachLogRow(ctx context.Context, fn func(*LogRow) error) error {
	return s.eachLogRow(ctx, fn, "", `seq`)
}

// LogRowsBetween returns the rows of the agency's chain whose change took
// effect in [from, to), in time order.
func (s *Store) LogRowsBetween(ctx context.Context, from, to time.Time) ([]*LogRow, error) {
	return s.logRows(ctx, `at >= ? AND at < ?`, `at, seq`, from.Unix(), to.Unix())
}

// LogHash returns the hash of row seq of the agency's chain; ErrNotFound
// when there is no such row.
func (s *Store) LogHash(ctx context.Context, seq int64) (string, error) {
	var hash string
	err := s.db.Read.QueryRowContext(ctx, `SELECT hash FROM publog WHERE agency_id = ? AND seq = ?`, agency.IDFrom(ctx), seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: log row %d: %w", seq, err)
	}
	return hash, nil
}

// LogSeqWithHash returns the number of the last row of the agency's chain
// below seq whose hash is hash, 0 when none.
func (s *Store) LogSeqWithHash(ctx context.Context, hash string, below int64) (int64, error) {
	var seq int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT seq FROM publog WHERE agency_id = ? AND hash = ? AND seq < ? ORDER BY seq DESC LIMIT 1`,
		agency.IDFrom(ctx), hash, below).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: log row with hash: %w", err)
	}
	return seq, nil
}

// LogYears lists the years (in Vietnam's time zone) that have rows in the
// agency's chain or a plan of the agency, newest first.
func (s *Store) LogYears(ctx context.Context) ([]int, error) {
	id := agency.IDFrom(ctx)
	rows, err := s.db.Read.QueryContext(ctx, `SELECT CAST(strftime('%Y', at + 7 * 3600, 'unixepoch') AS INTEGER) AS y FROM publog
		WHERE agency_id = ? UNION SELECT year FROM plans WHERE agency_id = ? ORDER BY 1 DESC`, id, id)
	if err != nil {
		return nil, fmt.Errorf("store: log years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("store: log years: %w", err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// LogHead is what a copy of the log comes to: its rows, and the number and
// hash of its last one.
type LogHead struct {
	Rows int
	Seq  int64  // 0 when the log is empty
	Hash string // "" when the log is empty
}

// LogHead reads the LogHead of the agency's chain.
func (s *Store) LogHead(ctx context.Context) (LogHead, error) {
	var h LogHead
	id := agency.IDFrom(ctx)
	err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(seq), 0),
		COALESCE((SELECT hash FROM publog WHERE agency_id = ? ORDER BY seq DESC LIMIT 1), '') FROM publog WHERE agency_id = ?`,
		id, id).Scan(&h.Rows, &h.Seq, &h.Hash)
	if err != nil {
		return h, fmt.Errorf("store: log head: %w", err)
	}
	return h, nil
}

// LogAnchor is the copy of a signed anchor of one agency's chain (table
// log_anchors, migrations 0015 and 0130); package publog makes and checks
// them.
type LogAnchor struct {
	Created   time.Time // UTC, whole seconds
	Seq       int64
	Hash      string
	Rows      int
	PublicKey string
	Signature string
}

// InsertLogAnchor records a, an anchor of the chain of the agency ctx
// acts for, in tx.
func (s *Store) InsertLogAnchor(ctx context.Context, tx *sql.Tx, a *LogAnchor) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO log_anchors (agency_id, created, seq, hash, rows, public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		agency.IDFrom(ctx), a.Created.Unix(), a.Seq, a.Hash, a.Rows, a.PublicKey, a.Signature)
	if err != nil {
		return fmt.Errorf("store: log anchor: %w", err)
	}
	return nil
}

// LogAnchors lists the recorded anchors of the agency's chain, oldest
// first.
func (s *Store) LogAnchors(ctx context.Context) ([]*LogAnchor, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT created, seq, hash, rows, public_key, signature FROM log_anchors
		WHERE agency_id = ? ORDER BY created, id`, agency.IDFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: log anchors: %w", err)
	}
	defer rows.Close()
	var out []*LogAnchor
	for rows.Next() {
		var a LogAnchor
		var created int64
		if err := rows.Scan(&created, &a.Seq, &a.Hash, &a.Rows, &a.PublicKey, &a.Signature); err != nil {
			return nil, fmt.Errorf("store: log anchors: %w", err)
		}
		a.Created = time.Unix(created, 0).UTC()
		out = append(out, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: log anchors: %w", err)
	}
	return out, nil
}

// PublicUpdates lists the major updates the publication log records for
// item itemID, oldest first, each at the date it claims (an imported
// file's updated date, not the day of the import) with its public note:
// the page's "Lịch sử cập nhật". An item's rows are all in its own
// agency's chain (item ids are global), so the item's id alone chooses
// them, whichever column shows it.
func (s *Store) PublicUpdates(ctx context.Context, itemID int64) ([]Change, error) {
	return s.changes(ctx, "updates", `SELECT at, note FROM publog WHERE item_id = ? AND type = 'update' ORDER BY at, seq`, itemID)
}

// changes reads the (unix time, note) rows query selects for item itemID;
// what names them in an error.
func (s *Store) changes(ctx context.Context, what, query string, itemID int64) ([]Change, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: %s of item %d: %w", what, itemID, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var at int64
		var c Change
		if err := rows.Scan(&at, &c.Note); err != nil {
			return nil, fmt.Errorf("store: %s of item %d: %w", what, itemID, err)
		}
		c.At = time.Unix(at, 0).UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s of item %d: %w", what, itemID, err)
	}
	return out, nil
}
