package store_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestItemOwners: the one uniqueness query finds the holder of each
// claimed slug (within its kind), number key and code — through the read
// pool and inside a write transaction alike — with each part a lookup in
// its UNIQUE index, never a scan of items.
func TestItemOwners(t *testing.T) {
	db := testsupport.Database(t)
	st := store.New(db)
	err := st.Tx(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO items (id, uid, kind, slug, status, title, number, number_key, code, created_at, modified_at) VALUES
			(1, 'u1', 'article', 'tin-a', 'published', 'A', NULL, NULL, NULL, 1, 1),
			(2, 'u2', 'document', 'qd-1256', 'published', 'QĐ', '1256/QĐ-UBND', '1256/QD-UBND', NULL, 1, 1),
			(3, 'u3', 'procedure', 'tt-1', 'draft', 'TT', NULL, NULL, '1.000001', 1, 1)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		claims store.Claims
		want   string // slugs | numbers | codes found
	}{
		{"nothing claimed", store.Claims{}, "||"},
		{"a slug", store.Claims{Slugs: []string{"article/tin-a"}}, "article/tin-a:1||"},
		{"a slug of another kind is free", store.Claims{Slugs: []string{"procedure/tin-a"}}, "||"},
		{"a number key brings its holder's slug", store.Claims{Numbers: []string{"1256/QD-UBND"}}, "document/qd-1256:2|1256/QD-UBND:2|"},
		{"a code", store.Claims{Codes: []string{"1.000001"}}, "procedure/tt-1:3||1.000001:3"},
		{"free values", store.Claims{Slugs: []string{"article/moi"}, Numbers: []string{"9/QD"}, Codes: []string{"2.0"}}, "||"},
		{"empty values match nothing", store.Claims{Slugs: []string{"/"}, Numbers: []string{""}, Codes: []string{""}}, "||"},
		{"all at once", store.Claims{Slugs: []string{"article/tin-a", "document/x"}, Numbers: []string{"1256/QD-UBND"}, Codes: []string{"1.000001"}},
			"article/tin-a:1 document/qd-1256:2 procedure/tt-1:3|1256/QD-UBND:2|1.000001:3"},
	}
	show := func(o *store.Owners) string {
		part := func(m map[string]int64) string {
			var s []string
			for k, v := range m {
				s = append(s, fmt.Sprintf("%s:%d", k, v))
			}
			slices.Sort(s)
			return strings.Join(s, " ")
		}
		return part(o.Slug) + "|" + part(o.Number) + "|" + part(o.Code)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := st.ItemOwners(t.Context(), nil, tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(o); got != tt.want {
				t.Errorf("read pool: %s, want %s", got, tt.want)
			}
			err = st.Tx(t.Context(), func(tx *sql.Tx) error {
				o, err := st.ItemOwners(t.Context(), tx, tt.claims)
				if err != nil {
					return err
				}
				if got := show(o); got != tt.want {
					t.Errorf("in a transaction: %s, want %s", got, tt.want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	// A claim made in the transaction is seen by the check in it.
	err = st.Tx(t.Context(), func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE items SET slug = 'tin-b' WHERE id = 1`); err != nil {
			return err
		}
		o, err := st.ItemOwners(t.Context(), tx, store.Claims{Slugs: []string{"article/tin-b"}})
		if err != nil {
			return err
		}
		if o.Slug["article/tin-b"] != 1 {
			t.Errorf("a slug taken in the transaction is not seen in it: %v", o.Slug)
		}
		return sql.ErrTxDone // roll back
	})
	if err != sql.ErrTxDone {
		t.Fatal(err)
	}
	plan := explain(t, db.Read, store.OwnersQuery)
	if strings.Contains(plan, "SCAN items") {
		t.Errorf("the uniqueness query scans items:\n%s", plan)
	}
	for _, idx := range []string{"items_kind_slug", "items_number_key", "items_code"} {
		if !strings.Contains(plan, idx) {
			t.Errorf("the uniqueness query does not use %s:\n%s", idx, plan)
		}
	}
}

// explain is SQLite's query plan of query (with empty arguments), one
// step a line.
func explain(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	args := make([]any, strings.Count(query, "?"))
	for i := range args {
		args[i] = "[]"
	}
	rows, err := db.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}
