package publog

import (
	"context"
	"fmt"

	"cchc/internal/agency"
	"cchc/internal/locale"
	"cchc/internal/store"
)

// Problem is the first place the chain does not hold.
type Problem struct {
	Seq int64  // the row named
	Msg string // what is wrong with it, in Vietnamese
}

func (p *Problem) Error() string { return locale.T("publog.problem", p.Seq, p.Msg) }

// Check is the result of walking one agency's chain.
type Check struct {
	// AgencyID is the agency whose chain was walked; Chain is the chain's
	// slug (what its format 3 rows and its anchors hash).
	AgencyID int64
	Chain    string
	Rows     int // rows in the chain
	// Head and LastSeq are the hash and number of the log's last row
	// (Genesis and 0 when it is empty), whether or not the chain holds:
	// what a report made now stands on. Write them down, or anchor them
	// (Anchor), and the chain up to them can no longer be rewritten
	// unnoticed.
	Head    string
	LastSeq int64
	Problem *Problem // nil when the chain holds
	// Anchor is the newest anchor recorded in the database, nil when none.
	Anchor *Anchor
}

// OK reports whether the chain holds.
func (c *Check) OK() bool { return c.Problem == nil }

// Summary is one Vietnamese line for people.
func (c *Check) Summary() string {
	if c.Problem != nil {
		return locale.T("publog.summary.broken", c.Problem.Error())
	}
	return locale.T("publog.summary.ok", c.Rows, short(c.Head))
}

// AnchorText says when the last anchor was made, for reports.
func (c *Check) AnchorText() string {
	if c.Anchor == nil {
		return locale.T("publog.anchor.none")
	}
	return c.Anchor.Text()
}

// HeadText names the last row and its full hash, for reports.
func (c *Check) HeadText() string {
	if c.LastSeq == 0 {
		return locale.T("publog.head.empty")
	}
	return locale.T("publog.head", c.LastSeq, c.Head)
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}

// Verify walks the chain of the agency ctx acts for in seq order and
// reports the first row that was changed (its hash no longer matches its
// content), deleted (a gap in the numbers, or rows cut off the end:
// log_chains remembers the highest number the chain gave), inserted (the
// row after it still points past it), written in a format that is not
// its chain's, or that does not follow the row before it (the chain
// forks). Last it checks the chain against the anchors of that agency
// recorded in the database. It reads no other agency's rows.
func (l *Log) Verify(ctx context.Context) (*Check, error) {
	return l.verify(ctx, nil)
}

// verify is Verify, calling visit (when not nil) with every row of the
// chain in seq order as the walk reads it.
func (l *Log) verify(ctx context.Context, visit func(*Entry)) (*Check, error) {
	chain, err := l.chain(ctx)
	if err != nil {
		return nil, err
	}
	c, bad, prev, err := l.walk(ctx, chain, visit)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		// Classified once the walk's rows are closed: it may need to look
		// up an earlier row, and a reader must not hold two connections.
		if c.Problem, err = l.classify(ctx, bad, prev); err != nil {
			return nil, err
		}
	}
	if c.Problem == nil && chain.Issued > c.LastSeq {
		c.Problem = &Problem{Seq: c.LastSeq + 1, Msg: locale.T("publog.deleted.tail", chain.Issued, c.LastSeq)}
	}
	if err := l.checkRecordedAnchors(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// VerifyAll verifies every agency's chain (Verify), one Check each, by
// agency id.
func (l *Log) VerifyAll(ctx context.Context) ([]*Check, error) {
	ids, err := l.store.LogAgencies(ctx)
	if err != nil {
		return nil, fmt.Errorf("publog: verify: %w", err)
	}
	out := make([]*Check, 0, len(ids))
	for _, id := range ids {
		c, err := l.Verify(agency.WithID(ctx, id))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// walk reads every row of the chain in seq order, giving each to visit
// (when not nil). It returns the first row that does not follow the one
// before it (bad, with that one, prev), and keeps counting to the end so
// that Head is the real last row.
func (l *Log) walk(ctx context.Context, chain store.LogChain, visit func(*Entry)) (c *Check, bad, prev *Entry, err error) {
	c = &Check{AgencyID: agency.IDFrom(ctx), Chain: chain.Slug, Head: Genesis}
	var last *Entry
	var scratch []byte // each row's encoding, hashed
	err = l.store.EachLogRow(ctx, func(r *store.LogRow) error {
		e := entryOf(r, chain.Slug)
		if visit != nil {
			visit(e)
		}
		c.Rows++
		if bad == nil && !follows(e, last, &scratch) {
			bad, prev = e, last
		}
		last = e
		c.Head, c.LastSeq = e.Hash, e.Seq
		return nil
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("publog: verify: %w", err)
	}
	return c, bad, prev, nil
}

// follows reports whether e is whole, in its chain's format and comes
// right after prev (nil: e should be the first row). scratch is the
// buffer e is encoded in to be hashed, kept from one row to the next.
func follows(e, prev *Entry, scratch *[]byte) bool {
	wantSeq, wantPrev := int64(1), Genesis
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
	}
	return e.PrevHash == wantPrev && e.Seq == wantSeq && e.fits() && e.hashHolds(scratch)
}

// fits reports whether e's format is one its chain's rows are written in:
// 1 or 2 in agency 1's chain, 3 in any other. A row of agency 1's chain
// hashes no agency, so in another chain it would otherwise verify.
func (e *Entry) fits() bool {
	if e.AgencyID == agency.Root {
		return e.Format == 1 || e.Format == 2
	}
	return e.Format == FormatAgency
}

// classify says what is wrong with e, the first row that does not follow
// prev (nil when e is the first row).
func (l *Log) classify(ctx context.Context, e, prev *Entry) (*Problem, error) {
	wantSeq, wantPrev := int64(1), Genesis
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
	}
	if !e.fits() {
		return &Problem{Seq: e.Seq, Msg: locale.T("publog.wrong_format", e.Format)}, nil
	}
	whole := e.ComputeHash() == e.Hash
	if e.PrevHash != wantPrev {
		// Does e point back at an earlier row? Then the chain forks there.
		var back int64
		if prev != nil {
			var err error
			if back, err = l.store.LogSeqWithHash(ctx, e.PrevHash, prev.Seq); err != nil {
				return nil, fmt.Errorf("publog: verify: %w", err)
			}
		}
		switch {
		case back > 0 && !whole && e.hashAt(back+1) == e.Hash:
			// e is the row that stood right after row back, renumbered:
			// the rows between were slipped in.
			if e.Seq-back == 2 {
				return &Problem{Seq: back + 1, Msg: locale.T("publog.inserted.row")}, nil
			}
			return &Problem{Seq: back + 1, Msg: locale.T("publog.inserted.rows", back+1, e.Seq-1, back)}, nil
		case e.Seq > wantSeq:
			return deleted(wantSeq, e.Seq), nil
		case !whole:
			return &Problem{Seq: e.Seq, Msg: locale.T("publog.changed.content_or_seq")}, nil
		case prev == nil:
			return &Problem{Seq: e.Seq, Msg: locale.T("publog.not_genesis")}, nil
		case back > 0:
			// e is whole and follows an earlier row, as the row after that
			// one does: a fork. e is the first row off the line; whether e
			// was rewritten or the rows before it slipped in, the file
			// cannot tell.
			between := locale.T("publog.rows", back+1, prev.Seq)
			if back+1 == prev.Seq {
				between = locale.T("publog.row", prev.Seq)
			}
			return &Problem{Seq: e.Seq, Msg: locale.T("publog.fork", prev.Seq, back, between)}, nil
		default:
			// e is whole but points at a hash no row has: prev was changed
			// and its hash recomputed to hide it.
			return &Problem{Seq: prev.Seq, Msg: locale.T("publog.rehashed")}, nil
		}
	}
	if e.Seq != wantSeq {
		if e.Seq > wantSeq {
			return deleted(wantSeq, e.Seq), nil
		}
		return &Problem{Seq: e.Seq, Msg: locale.T("publog.bad_seq", wantSeq)}, nil
	}
	return &Problem{Seq: e.Seq, Msg: locale.T("publog.changed.content")}, nil
}

// hashAt is the hash e would carry at number seq.
func (e *Entry) hashAt(seq int64) string {
	moved := *e
	moved.Seq = seq
	return moved.ComputeHash()
}

func deleted(from, next int64) *Problem {
	if next-from == 1 {
		return &Problem{Seq: from, Msg: locale.T("publog.deleted")}
	}
	return &Problem{Seq: from, Msg: locale.T("publog.deleted.rows", from, next-1)}
}
