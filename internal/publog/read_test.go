package publog_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
)

// TestReadIsTheThreeReads: Read, the one walk a report makes, gives what
// the three reads it replaces give — Verify's check, Entries' rows of the
// window in time order, and each item's state before the window's end —
// on a chain whose dates do not follow its numbers (declared dates, rows
// in the same second, rows after the window, before it and at its first
// second), and still on
// the same chain once a row was changed behind the log's back. The
// states are checked against the rows folded in time order, the order a
// report reads them in.
func TestReadIsTheThreeReads(t *testing.T) {
	env := open(t)
	log := publog.New(env.Store, env.Now)
	ctx := context.Background()
	from := time.Date(clock.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(clock.Year(), time.July, 1, 0, 0, 0, 0, time.UTC)
	// Each item's events, with their dates as days from `from`, in the
	// order they are written: the dates go back and forth.
	steps := []struct {
		item int64
		typ  publish.EventType
		day  float64
	}{
		{1, publish.EventPublish, 10}, {1, publish.EventUpdate, 20}, {1, publish.EventWithdraw, 5}, // the withdrawal written last, dated first
		{2, publish.EventPublish, -40}, {2, publish.EventUpdate, 30}, // published the year before
		{3, publish.EventPublish, 50}, {3, publish.EventUnpublish, 50}, {3, publish.EventRepublish, 50}, // one second, in order
		{4, publish.EventPublish, 60}, {4, publish.EventUnpublish, 200}, // unpublished after the window
		{5, publish.EventPublish, 250},                                                                 // after the window only
		{6, publish.EventUpdate, 70},                                                                   // an update alone
		{9, publish.EventPublish, 0},                                                                   // at the window's first second
		{7, publish.EventPublish, 80}, {7, publish.EventWithdraw, 90}, {7, publish.EventRepublish, 85}, // the republication dated before the withdrawal
		{8, publish.EventRepublish, 100}, {8, publish.EventUnpublish, 100}, {8, publish.EventPublish, 99.99999}, // same second twice
	}
	for i, s := range steps {
		it := &store.Item{}
		it.ID, it.UID, it.Kind, it.Slug, it.PlanItem = s.item, fmt.Sprintf("2026-12-06:article/r%d", s.item), content.Article, fmt.Sprintf("r%d", s.item), "III.1"
		it.Title = fmt.Sprintf("Tin %d, bước %d", s.item, i)
		at := from.Add(time.Duration(s.day * float64(24*time.Hour))).Truncate(time.Second)
		if err := env.Store.Tx(ctx, func(tx *sql.Tx) error {
			return log.Append(ctx, tx, publish.Event{Type: s.typ, At: at, Actor: "duyet", Item: it})
		}); err != nil {
			t.Fatal(err)
		}
	}

	check := func(t *testing.T) {
		t.Helper()
		rd, err := log.Read(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want, err := log.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*rd.Check) != fmt.Sprint(*want) || fmt.Sprint(rd.Check.Problem) != fmt.Sprint(want.Problem) {
			t.Errorf("Read's check %+v (%v), Verify's %+v (%v)", *rd.Check, rd.Check.Problem, *want, want.Problem)
		}
		entries, err := log.Entries(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := seqs(rd.Entries), seqs(entries); !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("Read's rows %v, Entries' %v", got, want)
		}
		all, err := log.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortStableFunc(all, func(a, b *publog.Entry) int { return cmp.Compare(a.At.Unix(), b.At.Unix()) })
		states := map[int64]string{}
		public := map[int64]bool{}
		for _, e := range all {
			if !e.At.Before(to) {
				continue
			}
			if e.Type != publish.EventUpdate {
				public[e.ItemID] = e.Type == publish.EventPublish || e.Type == publish.EventRepublish
			}
			states[e.ItemID] = fmt.Sprintf("public %v, last %d", public[e.ItemID], e.Seq)
		}
		got := map[int64]string{}
		for id, st := range rd.States {
			got[id] = fmt.Sprintf("public %v, last %d", st.Public, st.Last.Seq)
		}
		if fmt.Sprint(got) != fmt.Sprint(states) {
			t.Errorf("Read's states\n%v\nthe rows folded in time order\n%v", got, states)
		}
		// What the chain says, item by item, as a reader of the steps
		// above would: the fold agrees with it, so the comparison above
		// is not two wrongs agreeing.
		for id, want := range map[int64]bool{1: true, 2: true, 3: true, 4: true, 6: false, 7: false, 8: false} {
			if st := rd.States[id]; st == nil || st.Public != want {
				t.Errorf("item %d: %+v, want public %v", id, st, want)
			}
		}
		if st := rd.States[5]; st != nil {
			t.Errorf("item 5, dated after the window: %+v", st)
		}
	}
	t.Run("whole", check)
	// As someone with the file would: the trigger that refuses it dropped.
	for _, q := range []string{`DROP TRIGGER publog_no_update`, `UPDATE publog SET title = 'Tiêu đề bị sửa' WHERE seq = 4`} {
		if _, err := env.DB.Write.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Run("a row changed", func(t *testing.T) {
		check(t)
		if c, err := log.Verify(ctx); err != nil || c.OK() {
			t.Errorf("the changed row is not seen: %+v, %v", c, err)
		}
	})
}

func seqs(es []*publog.Entry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}
