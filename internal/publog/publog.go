// Package publog is the publication log: an append-only, hash-chained
// record of every publish, major update, withdrawal, republish and
// unpublish, written in the transaction of the change it records (Append),
// and the checks that it was not changed since (Verify, anchors). Its rows
// live in the store (store/publog.go); what they mean is here. The plan's
// progress (package progress) is computed from it, never from the items as
// they are now.
//
// # The chain
//
// Every row carries prev_hash (the hash of the row before it; 64 zeros for
// the first) and hash, the hex SHA-256 of the row's canonical encoding:
// the line "cchc-publog-v1\n", then each field below in this order, each
// written as its length in bytes (decimal), ':', the bytes, '\n' (so no
// field can run into the next):
//
//	seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title,
//	url, plan_item, areas, author, issued, note, imported, prev_hash
//
// Numbers are decimal (times are unix seconds, UTC); areas are joined with
// ','; imported is "1" or "0". seq is part of the hash, so a row moved to
// another place in the chain no longer matches.
//
// That is format 1, the encoding of every row written before migration
// 0030. Rows written since are format 2 (the row's format column says
// which): the line "cchc-publog-v2\n", then the same fields with declared
// ("1" or "0") between imported and prev_hash. A row's format is part of
// what its hash covers (the first line differs), so no row can change its
// format, and rows of both formats chain into one another.
//
// # One chain per agency
//
// Each agency of the instance keeps its own chain (docs/DECISIONS.md,
// "One log chain per agency"): its rows are numbered from 1, the first
// points back at Genesis, and it verifies alone. Every method of Log acts
// on the chain of the agency its context acts for (agency.IDFrom); Append
// on the chain of the item's agency. Agency 1's chain is the chain of
// before agencies, in formats 1 and 2. The rows of every other agency are
// format 3: the line "cchc-publog-v3\n", then the agency's id and the
// chain's slug (the agency's slug when its chain began, kept in
// log_chains), then format 2's fields with the facts always present
// (empty when none), then prev_hash. A row carried into another chain, or
// a format 1 or 2 row put into a chain other than agency 1's, no longer
// matches. The highest number each chain ever gave is kept in log_chains,
// as sqlite_sequence kept it for the one chain: a chain whose last rows
// were cut off still shows the gap.
//
// # Two times, and declared dates
//
// Every row carries two times: recorded, the system's clock when the row
// was written — what the chain vouches for — and at, the date the change
// claims: the clock's for a change made in the workspace, but an imported
// file's own date, or a scheduled time caught up after a restart. When the
// two differ by more than DeclaredGap the row is declared: its date rests
// on what a file or a person said, not on the clock. Format 2 rows store
// the mark (and hash it); for format 1 rows it is derived from the two
// times by the same rule, so old and new rows read alike. Verify walks the rows in
// seq order and names the first that was changed, deleted or inserted, or
// — when the chain forks (a row points back at an earlier row, as the row
// after that one does) — the first row that does not follow the row before
// it.
//
// # Anchors
//
// The chain shows a row changed, deleted or slipped in, but not a chain
// rewritten from some row to the end with every hash recomputed, nor its
// last rows cut off with the sequence reset: what is left is a valid
// chain. An Anchor closes that gap from outside the file: the last row's
// number and hash at a date, signed with an Ed25519 key kept outside the
// data folder, in a small JSON file kept elsewhere (`cchc log anchor`).
// `cchc log verify --anchor FILE` then checks that the row is still there
// with that hash. The signature is over the line "cchc-publog-anchor-v1\n",
// then created (RFC 3339, UTC, whole seconds), seq, hash, rows and
// public_key (base64), each as its length in bytes, ':', the bytes, '\n'
// — the encoding of the rows. A copy of each anchor is kept in the
// database for the dashboard, and Verify checks the chain against those
// copies too.
package publog

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Genesis is the prev_hash of the first row.
var Genesis = strings.Repeat("0", 64)

// Format is the encoding new rows of agency 1's chain are written in (see
// the package comment).
const Format = 2

// FormatAgency is the encoding of every row of the chains of agencies
// other than agency 1: Format's fields, and the agency.
const FormatAgency = 3

// formatFor is the format new rows of agency id's chain are written in.
func formatFor(id int64) int {
	if id == agency.Root {
		return Format
	}
	return FormatAgency
}

// DeclaredGap is how far a row's claimed date may lie from the clock that
// wrote it before the row counts as declared: a day, so that a change
// dated earlier the same day, or a scheduled publication the scheduler
// caught a few minutes late, stays live.
const DeclaredGap = 24 * time.Hour

// declaredGap reports whether at and recorded lie more than DeclaredGap
// apart.
func declaredGap(at, recorded time.Time) bool {
	d := recorded.Sub(at)
	return d > DeclaredGap || d < -DeclaredGap
}

// Entry is one row of the log: the change, and the item as it was then.
type Entry struct {
	// AgencyID is the agency whose chain holds the row; Chain is the
	// chain's slug, which a format 3 row hashes.
	AgencyID int64
	Chain    string
	Seq      int64
	At       time.Time // when the change took effect (UTC)
	Recorded time.Time // when the row was written (UTC)
	Type     publish.EventType
	Actor    string
	ItemID   int64
	ItemUID  string
	Kind     content.Kind
	Ref      string // document number or procedure code
	Title    string
	URL      string
	PlanItem string
	Areas    []string
	Author   string
	Issued   string // yyyy-mm-dd, documents
	Note     string
	Imported bool
	PrevHash string
	Hash     string
	// Format is the row's encoding (1, 2 or 3; see the package comment).
	Format int
	// Declared marks a row whose date (At) lies more than DeclaredGap
	// from when it was written (Recorded): stored by format 2 rows,
	// derived for format 1.
	Declared bool
	// Facts are what counted beyond the common fields — every plan item,
	// an activity's channel, dates, unit, audience, evidence — and
	// FactsText their stored encoding, which a format 2 row hashes when
	// it is not empty (see the package comment). Both are empty for rows
	// that have none, every format 1 row among them.
	Facts     Facts
	FactsText string
}

// TypeLabel is the Vietnamese name of the entry's type.
func (e *Entry) TypeLabel() string { return TypeLabel(e.Type) }

// TypeLabel is the Vietnamese name of an event type.
func TypeLabel(t publish.EventType) string {
	switch t {
	case publish.EventPublish:
		return locale.T("publog.type.publish")
	case publish.EventUpdate:
		return locale.T("publog.type.update")
	case publish.EventWithdraw:
		return locale.T("publog.type.withdraw")
	case publish.EventRepublish:
		return locale.T("publog.type.republish")
	case publish.EventUnpublish:
		return locale.T("publog.type.unpublish")
	}
	return string(t)
}

// Local is the entry's time in Vietnam.
func (e *Entry) Local() time.Time { return e.At.In(vntext.Zone) }

// appendCanonical appends to b[:0] the byte string the entry's hash is
// taken over (see the package comment), in the entry's format. An
// unknown format gives a string no stored hash matches, so Verify names
// the row. b is grown to the size it needs at once: a report's walk
// hashes every row of the chain in one buffer, and what it allocates per
// row is what its garbage collection costs (most of a report's time at
// 100,000 rows when each field was a string of its own).
func (e *Entry) appendCanonical(b []byte) []byte {
	n := 64 + len(e.Chain) + len(e.Actor) + len(e.ItemUID) + len(e.Kind) + len(e.Ref) + len(e.Title) + len(e.URL) +
		len(e.PlanItem) + len(e.Author) + len(e.Issued) + len(e.Note) + len(e.FactsText) + len(e.PrevHash) + 20*12
	for _, a := range e.Areas {
		n += len(a) + 1
	}
	b = slices.Grow(b[:0], n)
	switch e.Format {
	case 1:
		b = append(b, "cchc-publog-v1\n"...)
	case 2:
		b = append(b, "cchc-publog-v2\n"...)
	case 3:
		b = append(b, "cchc-publog-v3\n"...)
	default:
		b = append(b, "cchc-publog-unknown-format-"...)
		b = strconv.AppendInt(b, int64(e.Format), 10)
		b = append(b, '\n')
	}
	field := func(s string) { b = appendField(b, s) }
	var num [20]byte
	integer := func(v int64) { b = appendField(b, strconv.AppendInt(num[:0], v, 10)) }
	flag := func(v bool) {
		if v {
			field("1")
		} else {
			field("0")
		}
	}
	if e.Format == 3 {
		integer(e.AgencyID)
		field(e.Chain)
	}
	integer(e.Seq)
	integer(e.At.Unix())
	integer(e.Recorded.Unix())
	field(string(e.Type))
	field(e.Actor)
	integer(e.ItemID)
	field(e.ItemUID)
	field(string(e.Kind))
	field(e.Ref)
	field(e.Title)
	field(e.URL)
	field(e.PlanItem)
	field(strings.Join(e.Areas, ",")) // no copy for the usual one area
	field(e.Author)
	field(e.Issued)
	field(e.Note)
	flag(e.Imported)
	if e.Format != 1 {
		flag(e.Declared)
		if e.FactsText != "" || e.Format == 3 {
			field(e.FactsText)
		}
	}
	field(e.PrevHash)
	return b
}

// appendField appends one field of the encoding: its length in decimal,
// ':', its bytes and '\n'.
func appendField[T string | []byte](b []byte, s T) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, '\n')
}

// ComputeHash is the hash the entry should carry, given its fields and
// PrevHash.
func (e *Entry) ComputeHash() string {
	sum := sha256.Sum256(e.appendCanonical(nil))
	return hex.EncodeToString(sum[:])
}

// hashHolds reports whether e carries the hash its fields and PrevHash
// give (ComputeHash() == e.Hash, without a string per row), encoding e in
// scratch, a buffer kept from one row to the next.
func (e *Entry) hashHolds(scratch *[]byte) bool {
	*scratch = e.appendCanonical(*scratch)
	sum := sha256.Sum256(*scratch)
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return string(h[:]) == e.Hash
}

// Log is the publication log. It implements publish.EventLog.
type Log struct {
	store *store.Store
	now   func() time.Time
}

// New returns the log kept in st's database. now is the clock (time.Now
// when nil); it stamps when rows are written.
func New(st *store.Store, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{store: st, now: now}
}

var _ publish.EventLog = (*Log)(nil)

// ErrNoItem is returned by Append for an event without its item.
var ErrNoItem = errors.New("publog: event without an item")

// Append records ev in tx, chained to the last row of the chain of the
// item's agency (its row's agency_id; the agency ctx acts for when the
// item does not say). It runs inside the transaction of the change, so
// the row commits with the change or not at all; the writer is one
// connection, so rows never race for a number.
func (l *Log) Append(ctx context.Context, tx *sql.Tx, ev publish.Event) error {
	if ev.Item == nil {
		return ErrNoItem
	}
	it := ev.Item
	if it.AgencyID > 0 {
		ctx = agency.WithID(ctx, it.AgencyID)
	}
	id := agency.IDFrom(ctx)
	e := &Entry{
		AgencyID: id, At: ev.At.UTC(), Recorded: l.now().UTC(), Type: ev.Type, Actor: ev.Actor,
		ItemID: it.ID, ItemUID: it.UID, Kind: it.Kind, Title: it.Title, URL: it.URL(),
		PlanItem: it.PlanItem, Areas: append([]string(nil), it.Areas...), Author: it.Author,
		Note: ev.Note, Imported: ev.Imported, Format: formatFor(id),
	}
	if e.At.IsZero() {
		e.At = e.Recorded
	}
	// Rows keep whole seconds (the store writes unix seconds): the mark is
	// judged on the times as they will be read back.
	e.At, e.Recorded = e.At.Truncate(time.Second), e.Recorded.Truncate(time.Second)
	e.Declared = declaredGap(e.At, e.Recorded)
	if e.PlanItem == "" {
		e.PlanItem = it.Kind.DefaultPlanItem()
	}
	var err error
	if e.Facts, e.FactsText, err = factsOf(&it.Item); err != nil {
		return err
	}
	switch it.Kind {
	case content.Document:
		e.Ref = it.Number
		if !it.Issued.IsZero() {
			e.Issued = it.Issued.In(vntext.Zone).Format("2006-01-02")
		}
	case content.Procedure:
		e.Ref = it.Code
	}
	// The next number follows the highest the chain ever gave (log_chains),
	// not the last row left: if rows were cut off the end, the gap stays
	// visible.
	chain, err := l.store.LogChain(ctx, tx)
	if err != nil {
		return fmt.Errorf("publog: append: %w", err)
	}
	e.PrevHash, e.Chain = chain.LastHash, chain.Slug
	if chain.LastSeq == 0 {
		e.PrevHash = Genesis
	}
	e.Seq = max(chain.LastSeq, chain.Issued) + 1
	e.Hash = e.ComputeHash()
	if err := l.store.InsertLogRow(ctx, tx, e.row(), e.Chain); err != nil {
		return fmt.Errorf("publog: append %s of item %d: %w", e.Type, e.ItemID, err)
	}
	return nil
}

// row is the entry as the store keeps it.
func (e *Entry) row() *store.LogRow {
	return &store.LogRow{
		AgencyID: e.AgencyID, Seq: e.Seq, At: e.At, Recorded: e.Recorded, Type: string(e.Type), Actor: e.Actor,
		ItemID: e.ItemID, ItemUID: e.ItemUID, Kind: e.Kind, Ref: e.Ref, Title: e.Title, URL: e.URL,
		PlanItem: e.PlanItem, Areas: e.Areas, Author: e.Author, Issued: e.Issued, Note: e.Note,
		Imported: e.Imported, PrevHash: e.PrevHash, Hash: e.Hash, Format: e.Format, Declared: e.Declared,
		Facts: e.FactsText,
	}
}

// entryOf is the entry a stored row of the chain named chain holds; a
// format 1 row's declared mark is derived from its two times.
func entryOf(r *store.LogRow, chain string) *Entry {
	e := &Entry{
		AgencyID: r.AgencyID, Chain: chain, Seq: r.Seq, At: r.At, Recorded: r.Recorded, Type: publish.EventType(r.Type), Actor: r.Actor,
		ItemID: r.ItemID, ItemUID: r.ItemUID, Kind: r.Kind, Ref: r.Ref, Title: r.Title, URL: r.URL,
		PlanItem: r.PlanItem, Areas: r.Areas, Author: r.Author, Issued: r.Issued, Note: r.Note,
		Imported: r.Imported, PrevHash: r.PrevHash, Hash: r.Hash, Format: r.Format, Declared: r.Declared,
		FactsText: r.Facts, Facts: readFacts(r.Facts),
	}
	if e.Format == 1 {
		e.Declared = declaredGap(e.At, e.Recorded)
	}
	return e
}

// chain reads the chain of the agency ctx acts for: an agency that does
// not exist has an empty chain, with no slug.
func (l *Log) chain(ctx context.Context) (store.LogChain, error) {
	c, err := l.store.LogChain(ctx, nil)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("publog: %w", err)
	}
	return c, nil
}

// entries reads the rows of the agency's chain read returns.
func (l *Log) entries(ctx context.Context, read func() ([]*store.LogRow, error)) ([]*Entry, error) {
	c, err := l.chain(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := read()
	if err != nil {
		return nil, fmt.Errorf("publog: entries: %w", err)
	}
	out := make([]*Entry, len(rows))
	for i, r := range rows {
		out[i] = entryOf(r, c.Slug)
	}
	return out, nil
}

// Entries returns the rows of the agency's chain whose change took effect
// in [from, to), in time order.
func (l *Log) Entries(ctx context.Context, from, to time.Time) ([]*Entry, error) {
	return l.entries(ctx, func() ([]*store.LogRow, error) { return l.store.LogRowsBetween(ctx, from, to) })
}

// All returns every row of the agency's chain in seq order.
func (l *Log) All(ctx context.Context) ([]*Entry, error) {
	c, err := l.chain(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Entry
	err = l.store.EachLogRow(ctx, func(r *store.LogRow) error {
		out = append(out, entryOf(r, c.Slug))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publog: entries: %w", err)
	}
	return out, nil
}

// Years lists the years (in Vietnam's time zone) that have rows in the
// agency's chain or a plan of the agency, newest first.
func (l *Log) Years(ctx context.Context) ([]int, error) {
	years, err := l.store.LogYears(ctx)
	if err != nil {
		return nil, fmt.Errorf("publog: years: %w", err)
	}
	return years, nil
}

// ItemState is what the log says of one item at a time: whether its last
// word leaves it public, and its latest row (the item as it then was:
// title, URL, code or number).
type ItemState struct {
	Public bool
	Last   *Entry
}

// Reading is what one walk of an agency's chain finds for a report made
// as of a time: whether the chain holds, the rows of the report's window,
// and each item's state at the window's end.
type Reading struct {
	Check *Check
	// Entries are the rows whose change took effect in the window [from,
	// to), in time order (as Entries gives them).
	Entries []*Entry
	// States are, per item a row names whose change took effect before
	// to, its ItemState: read from the log alone, never from the items as
	// they are now.
	States map[int64]*ItemState
}

// Read walks the chain of the agency ctx acts for once, in seq order, and
// gives what a report as of to needs: Verify's Check, Entries(from, to)
// and the items' states before to. A report needs all three, and each
// reads the whole chain (or the year's part of it): one walk instead of
// three, with only the window's rows and the latest rows of each item kept
// rather than every row. A chain that does not hold is still read to its
// end, as Verify reads it; its Check says where it breaks.
func (l *Log) Read(ctx context.Context, from, to time.Time) (*Reading, error) {
	lo, hi := from.Unix(), to.Unix()
	// Per item, its latest row before to and its latest row that says
	// whether it is public (any but an update), "latest" in time order
	// (at, then seq), as a report orders rows. Rows come in seq order,
	// so a row at the same second or later replaces the one kept.
	type latest struct{ row, word *Entry }
	items := map[int64]*latest{}
	later := func(e, than *Entry) bool { return than == nil || e.At.Unix() >= than.At.Unix() }
	rd := &Reading{}
	c, err := l.verify(ctx, func(e *Entry) {
		at := e.At.Unix()
		if at >= hi {
			return
		}
		if at >= lo {
			rd.Entries = append(rd.Entries, e)
		}
		it := items[e.ItemID]
		if it == nil {
			it = &latest{}
			items[e.ItemID] = it
		}
		if later(e, it.row) {
			it.row = e
		}
		if e.Type != publish.EventUpdate && later(e, it.word) {
			it.word = e
		}
	})
	if err != nil {
		return nil, err
	}
	rd.Check = c
	// Stable: rows of the same second stay in seq order.
	slices.SortStableFunc(rd.Entries, func(a, b *Entry) int { return cmp.Compare(a.At.Unix(), b.At.Unix()) })
	rd.States = make(map[int64]*ItemState, len(items))
	for id, it := range items {
		public := it.word != nil && (it.word.Type == publish.EventPublish || it.word.Type == publish.EventRepublish)
		rd.States[id] = &ItemState{Public: public, Last: it.row}
	}
	return rd, nil
}
