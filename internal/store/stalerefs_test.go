package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/store"
)

// TestStaleRefs: the items whose recorded state of a cited key differs
// from the state wanted now, each once and in order, for the keys asked
// (all when nil, none when empty), with want asked once per key; and a
// list of keys longer than SQLite binds as values (32,766) goes in whole.
func TestStaleRefs(t *testing.T) {
	ctx := t.Context()
	db, err := database.Open(ctx, filepath.Join(t.TempDir(), database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := store.New(db)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	// Item i cites the keys of refs[i], each with its recorded state.
	refs := [][]store.Ref{
		{{Key: "1/qd-a", State: store.RefOK}},
		{{Key: "1/qd-a", State: store.RefUnresolved}, {Key: "2/qd-a", State: store.RefOK}},
		{{Key: "2/qd-a", State: store.RefOK}, {Key: "3/qd-a", State: "het-hieu-luc"}},
		{{Key: "3/qd-a", State: store.RefOK}},
	}
	ids := make([]int64, len(refs))
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for i, rs := range refs {
			for j := range rs {
				rs[j].Source, rs[j].Text = "body", rs[j].Key
			}
			it := &store.Item{Item: content.Item{Kind: content.Article, Slug: fmt.Sprintf("tin-%d", i), Title: fmt.Sprintf("Tin %d", i)},
				UID: fmt.Sprintf("u%d", i), Status: store.Published, Published: now, Created: now, Modified: now, Refs: rs}
			if err := st.InsertItem(ctx, tx, it, "import", ""); err != nil {
				return err
			}
			ids[i] = it.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Now: 1/qd-a is in force, 2/qd-a is not in the registry, 3/qd-a has
	// expired.
	now2 := map[string]string{"1/qd-a": store.RefOK, "2/qd-a": store.RefUnresolved, "3/qd-a": "het-hieu-luc"}
	asked := map[string]int{}
	want := func(key string) string { asked[key]++; return now2[key] }
	long := make([]string, 40_000)
	for i := range long {
		long[i] = fmt.Sprintf("%d/qd-b", i)
	}
	long = append(long, "3/qd-a")
	for _, tt := range []struct {
		name string
		keys []string
		want []int64
	}{
		{"every key", nil, []int64{ids[1], ids[2], ids[3]}},
		{"no key", []string{}, nil},
		{"one key", []string{"1/qd-a"}, []int64{ids[1]}},
		{"two keys", []string{"2/qd-a", "1/qd-a"}, []int64{ids[1], ids[2]}},
		{"past SQLite's bound on values", long, []int64{ids[3]}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clear(asked)
			got, err := st.StaleRefs(ctx, nil, tt.keys, want)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("StaleRefs = %v, want %v", got, tt.want)
			}
			for k, n := range asked {
				if n != 1 {
					t.Errorf("want(%q) asked %d times", k, n)
				}
			}
		})
	}
}
