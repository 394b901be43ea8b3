package store_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/store"
)

// TestPublicCounts: list totals and area counts come from the counts kept
// on write (public_counts), and after any sequence of inserts, state
// changes, trashing, rescheduling and area changes they equal a count of
// the rows, at any time (scheduled items included).
func TestPublicCounts(t *testing.T) {
	db, err := database.Open(t.Context(), filepath.Join(t.TempDir(), database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := store.New(db)
	ctx := t.Context()
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []content.Kind{content.Article, content.Procedure, content.Document}
	areas := []string{"II.1", "II.2.a", "II.3"}
	statuses := []store.Status{store.Draft, store.Submitted, store.Published, store.Published, store.Withdrawn}
	randomize := func(it *store.Item) {
		it.Status = statuses[rng.IntN(len(statuses))]
		switch rng.IntN(4) {
		case 0:
			it.Published = time.Time{}
		case 1:
			it.Published = now.Add(time.Duration(rng.IntN(72)) * time.Hour) // scheduled
		default:
			it.Published = now.Add(-time.Duration(rng.IntN(10000)) * time.Hour)
		}
		it.Deleted = time.Time{}
		if rng.IntN(6) == 0 {
			it.Deleted = now
		}
		it.Areas = nil
		for _, a := range areas {
			if rng.IntN(2) == 0 {
				it.Areas = append(it.Areas, a)
			}
		}
	}
	var items []*store.Item
	for i := range 120 {
		it := &store.Item{Item: content.Item{Kind: kinds[i%3], Slug: fmt.Sprintf("m-%d", i), Title: "Mục", Number: fmt.Sprintf("%d/QĐ-UBND", i+1), Code: fmt.Sprintf("1.%06d", i)},
			UID: fmt.Sprintf("u%d", i), Created: now, Modified: now}
		if it.Kind != content.Document {
			it.Number = ""
		}
		if it.Kind != content.Procedure {
			it.Code = ""
		}
		randomize(it)
		if err := st.Tx(ctx, func(tx *sql.Tx) error { return st.InsertItem(ctx, tx, it, "t", "") }); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	check := func(step string, at time.Time) {
		t.Helper()
		count := func(where string, args ...any) int {
			var n int
			if err := db.Read.QueryRow(`SELECT COUNT(*) FROM items WHERE status = 'published' AND deleted_at IS NULL
				AND published_at IS NOT NULL AND published_at <= ? `+where, append([]any{at.Unix()}, args...)...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, k := range append(kinds, "") {
			_, total, err := st.PublicItems(ctx, store.PublicQuery{Kind: k, Now: at, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			want := count(`AND (? = '' OR kind = ?)`, string(k), string(k))
			if total != want {
				t.Errorf("%s: kind %q at %s: total %d, want %d", step, k, at.Format(time.DateTime), total, want)
			}
		}
		got, err := st.AreaCounts(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range areas {
			want := count(`AND id IN (SELECT item_id FROM item_areas WHERE area = ?)`, a)
			_, total, err := st.PublicItems(ctx, store.PublicQuery{Area: a, Now: at, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			if got[a] != want || total != want {
				t.Errorf("%s: area %s at %s: counted %d, listed %d, want %d", step, a, at.Format(time.DateTime), got[a], total, want)
			}
		}
	}
	check("after inserts", now)
	check("after inserts, two days later", now.Add(48*time.Hour))
	for round := range 3 {
		for _, it := range items {
			if rng.IntN(2) == 0 {
				continue
			}
			randomize(it)
			if err := st.Tx(ctx, func(tx *sql.Tx) error { return st.UpdateItem(ctx, tx, it, "t", "") }); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("after updates %d", round+1), now)
		check(fmt.Sprintf("after updates %d, three days later", round+1), now.Add(72*time.Hour))
	}

	// The counts are read, not counted: a count moved by hand shows.
	if _, err := db.Write.Exec(`UPDATE public_counts SET n = n + 1000 WHERE key IN ('kind:article', 'area:II.1')`); err != nil {
		t.Fatal(err)
	}
	_, total, err := st.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := st.AreaCounts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if total < 1000 || counts["II.1"] < 1000 {
		t.Errorf("totals %d and %d do not come from public_counts", total, counts["II.1"])
	}
}
