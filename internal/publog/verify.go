package publog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Problem is the first place the chain does not hold.
type Problem struct {
	Seq int64  // the row named
	Msg string // what is wrong with it, in Vietnamese
}

func (p *Problem) Error() string { return fmt.Sprintf("hàng số %d: %s", p.Seq, p.Msg) }

// Check is the result of walking the chain.
type Check struct {
	Rows    int    // rows read
	Head    string // hash of the last row (Genesis when empty): write it down to anchor the chain
	LastSeq int64
	Problem *Problem // nil when the chain holds
}

// OK reports whether the chain holds.
func (c *Check) OK() bool { return c.Problem == nil }

// Summary is one Vietnamese line for people.
func (c *Check) Summary() string {
	if c.Problem != nil {
		return "Chuỗi nhật ký bị phá vỡ — " + c.Problem.Error()
	}
	return fmt.Sprintf("Chuỗi nhật ký toàn vẹn: %d hàng, mã cuối chuỗi %s", c.Rows, short(c.Head))
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}

// Verify walks the chain in seq order and reports the first row that was
// changed (its hash no longer matches its content), deleted (a gap in the
// numbers, or rows cut off the end: sqlite_sequence remembers the highest
// number given) or inserted (the row after it still points past it).
func (l *Log) Verify(ctx context.Context) (*Check, error) {
	rows, err := l.store.DB().Read.QueryContext(ctx, `SELECT `+entryColumns+` FROM publog ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("publog: verify: %w", err)
	}
	defer rows.Close()
	c := &Check{Head: Genesis}
	// The two rows before the current one, to tell an insertion from a
	// change.
	var prev, prev2 *Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("publog: verify: %w", err)
		}
		c.Rows++
		if p := check(e, prev, prev2); p != nil {
			c.Problem = p
			return c, nil
		}
		prev2, prev = prev, e
		c.Head, c.LastSeq = e.Hash, e.Seq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("publog: verify: %w", err)
	}
	var issued sql.NullInt64
	err = l.store.DB().Read.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'publog'`).Scan(&issued)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("publog: verify: %w", err)
	}
	if issued.Int64 > c.LastSeq {
		c.Problem = &Problem{Seq: c.LastSeq + 1, Msg: fmt.Sprintf("đã bị xóa (số thứ tự đã cấp tới %d nhưng chuỗi dừng ở %d)", issued.Int64, c.LastSeq)}
	}
	return c, nil
}

// check finds what is wrong with e given the rows before it.
func check(e, prev, prev2 *Entry) *Problem {
	wantSeq, wantPrev := int64(1), Genesis
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
	}
	if e.PrevHash != wantPrev {
		switch {
		case prev != nil && e.PrevHash == prevHashBefore(prev2) && e.Seq == wantSeq:
			// e still points at the row before prev: prev was slipped in.
			return &Problem{Seq: prev.Seq, Msg: "bị chèn vào giữa chuỗi (hàng sau nó vẫn trỏ tới hàng trước nó)"}
		case e.Seq > wantSeq:
			return deleted(wantSeq, e.Seq)
		case e.ComputeHash() != e.Hash:
			return &Problem{Seq: e.Seq, Msg: "nội dung hoặc số thứ tự đã bị sửa (mã băm không khớp)"}
		case prev == nil:
			return &Problem{Seq: e.Seq, Msg: "không bắt đầu từ gốc của chuỗi"}
		default:
			// e is whole but points elsewhere: prev was changed and its
			// hash recomputed to hide it.
			return &Problem{Seq: prev.Seq, Msg: "đã bị sửa rồi tính lại mã băm (hàng sau nó trỏ tới mã băm khác)"}
		}
	}
	if e.Seq != wantSeq {
		if e.Seq > wantSeq {
			return deleted(wantSeq, e.Seq)
		}
		return &Problem{Seq: e.Seq, Msg: fmt.Sprintf("số thứ tự sai (cần %d)", wantSeq)}
	}
	if e.ComputeHash() != e.Hash {
		return &Problem{Seq: e.Seq, Msg: "nội dung đã bị sửa (mã băm không khớp)"}
	}
	return nil
}

func prevHashBefore(prev2 *Entry) string {
	if prev2 == nil {
		return Genesis
	}
	return prev2.Hash
}

func deleted(from, next int64) *Problem {
	if next-from == 1 {
		return &Problem{Seq: from, Msg: "đã bị xóa"}
	}
	return &Problem{Seq: from, Msg: fmt.Sprintf("đã bị xóa (các hàng %d–%d không còn)", from, next-1)}
}
