package store_test

import (
	"database/sql"
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// TestFieldColumns: every field the table keeps in a column of items is
// written there on insert and on update, text as it is and a date as
// yyyy-mm-dd, for every kind that has it.
func TestFieldColumns(t *testing.T) {
	db := testsupport.Database(t)
	st := store.New(db)
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, vntext.Zone)
	day := time.Date(2021, 12, 22, 0, 0, 0, 0, vntext.Zone)
	for _, k := range content.Kinds {
		t.Run(string(k), func(t *testing.T) {
			it := &store.Item{Item: content.Item{Kind: k, Slug: "muc-" + string(k), Title: "Mục"}, UID: "u-" + string(k),
				Status: store.Draft, Created: now, Modified: now}
			fill := func(suffix string, d time.Time) {
				for _, f := range content.Fields(k) {
					if f.Column == "" {
						continue
					}
					if f.Type == content.TypeDate {
						f.Set(&it.Item, d)
					} else {
						f.Set(&it.Item, f.Name+suffix)
					}
				}
			}
			check := func(suffix, date string) {
				t.Helper()
				for _, f := range content.Fields(k) {
					if f.Column == "" {
						continue
					}
					var got string
					if err := db.Read.QueryRow(`SELECT `+f.Column+` FROM items WHERE id = ?`, it.ID).Scan(&got); err != nil {
						t.Fatalf("%s: %v", f.Column, err)
					}
					want := f.Name + suffix
					if f.Type == content.TypeDate {
						want = date
					}
					if got != want {
						t.Errorf("column %s = %q, want %q", f.Column, got, want)
					}
				}
			}
			fill("", day)
			if err := st.Tx(t.Context(), func(tx *sql.Tx) error { return st.InsertItem(t.Context(), tx, it, "t", "") }); err != nil {
				t.Fatal(err)
			}
			check("", "2021-12-22")
			fill(" 2", day.AddDate(0, 0, 1))
			if err := st.Tx(t.Context(), func(tx *sql.Tx) error { return st.UpdateItem(t.Context(), tx, it, "t", "") }); err != nil {
				t.Fatal(err)
			}
			check(" 2", "2021-12-23")
		})
	}
}
