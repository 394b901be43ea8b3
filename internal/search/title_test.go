package search_test

import (
	"context"
	"slices"
	"testing"

	"cchc/internal/app"
	"cchc/internal/content"
	"cchc/internal/store"
)

// indexRows lists the rowids of an FTS table.
func indexRows(t *testing.T, env *app.Env, table string) []int64 {
	t.Helper()
	rows, err := env.DB.Read.Query(`SELECT rowid FROM ` + table + ` ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// titleMatches lists the rowids of table whose title matches expr.
func titleMatches(t *testing.T, env *app.Env, table, expr string) []int64 {
	t.Helper()
	col := "search_title"
	if table == "search" {
		col = "{title} :"
	}
	q := `SELECT rowid FROM ` + table + ` WHERE ` + table + ` MATCH ? ORDER BY rowid`
	if table == "search" {
		expr = col + " (" + expr + ")"
	}
	rows, err := env.DB.Read.Query(q, expr)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestTitleIndexInStep: the titles' index (search_title, migration 0039)
// holds exactly the items of the main index, finds by title exactly what a
// column filter on the main index finds, and stays so through withdrawal,
// republication, the trash and a rebuild.
func TestTitleIndexInStep(t *testing.T) {
	env := openEnv(t)
	check := func(when string) {
		t.Helper()
		if a, b := indexRows(t, env, "search"), indexRows(t, env, "search_title"); len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("%s: search has %d rows, search_title %d: %v / %v", when, len(a), len(b), a, b)
		}
		for _, expr := range []string{`"cai" AND "cach"`, `"duong day nong"`, `"iso"`, `"ke" AND "hoach"`} {
			if a, b := titleMatches(t, env, "search", expr), titleMatches(t, env, "search_title", expr); !slices.Equal(a, b) {
				t.Errorf("%s: title match %s: %v in search, %v in search_title", when, expr, a, b)
			}
		}
	}
	check("after import")
	setStatus(t, env, "duong-day-nong-phan-anh-tthc", content.Article, func(it *store.Item) { it.Status = store.Withdrawn })
	check("after withdrawal")
	setStatus(t, env, "duong-day-nong-phan-anh-tthc", content.Article, func(it *store.Item) {
		it.Status = store.Published
		it.Title = "Đường dây nóng mới về thủ tục hành chính"
	})
	check("after republication with a new title")
	if got := titleMatches(t, env, "search_title", `"moi"`); len(got) == 0 {
		t.Error("the new title is not in search_title")
	}
	setStatus(t, env, "1256-qd-ubnd", content.Document, func(it *store.Item) { it.Deleted = testNow })
	check("after the trash")
	if _, err := env.Search.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("after a rebuild")

	// The upgrade of a database made before the titles index is
	// database.TestUpgradeKeepsSearchTitles: the main index keeps no text
	// since migration 0041, so only a real old schema can show it.
}
