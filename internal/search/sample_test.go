package search_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/bench/corpus"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/search"
	"cchc/internal/vntext"
)

// corpusNow is after every date the generated corpus holds.
var corpusNow = time.Date(2026, 1, 1, 9, 0, 0, 0, vntext.Zone)

var (
	corpusMu  sync.Mutex
	corpusEnv *app.Env
)

// generated is a data folder holding the benchmark's generated corpus of
// 600 items (bench/corpus), imported once for the package's tests.
func generated(t *testing.T) *app.Env {
	t.Helper()
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if corpusEnv != nil {
		return corpusEnv
	}
	dir := t.TempDir()
	if err := corpus.Generate(dir+"/tree", 600, 1); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cfg := config.Defaults
	var err error
	cfg.Data, err = os.MkdirTemp("", "cchc-search-")
	if err != nil {
		t.Fatal(err)
	}
	env, err := app.Open(ctx, &cfg, nil, func() time.Time { return corpusNow })
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Publish.Import(ctx, os.DirFS(dir+"/tree"), "corpus")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import: %v %v", err, res)
	}
	corpusEnv = env
	return env
}

func TestMain(m *testing.M) {
	code := m.Run()
	if corpusEnv != nil {
		corpusEnv.Close()
		os.RemoveAll(corpusEnv.Config.Data)
	}
	os.Exit(code)
}

// setVar sets a package variable for the rest of the test.
func setVar(t *testing.T, v *int, to int) {
	old := *v
	*v = to
	t.Cleanup(func() { *v = old })
}

func searchAt(t *testing.T, env *app.Env, q search.Query) *search.Result {
	t.Helper()
	q.Now = corpusNow
	res, err := env.Search.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return res
}

// TestApproximateCounts: a match estimated at more than ExactMax hits in
// a column of more than ExactMax items is counted from a sample and says
// so; its total and facets stay near the exact ones; the pages are the
// same ones in the same order (the bounded one) as when every hit is
// walked; a page that
// needs hits past the numbers and titles walks the match and is exact
// again; and a smaller match, or any match in a column of at most
// ExactMax items, is counted exactly.
func TestApproximateCounts(t *testing.T) {
	env := generated(t)
	type query struct {
		q      search.Query
		approx bool // with ExactMax lowered to 120
	}
	queries := []query{
		{search.Query{Text: "công nghệ"}, true},
		{search.Query{Text: "cai cach hanh chinh"}, true},
		{search.Query{Text: "hồ sơ", Kind: content.Article}, true},
		{search.Query{Text: "thủ tục", Year: 2023}, true},
		{search.Query{Text: "kiểm tra", Area: "II.2.c"}, true},
		{search.Query{Text: "vuong dinh"}, false}, // fewer hits than ExactMax
	}
	exact := map[int]*search.Result{}
	for i, q := range queries {
		exact[i] = searchAt(t, env, q.q)
		if exact[i].Approximate {
			t.Fatalf("%q: approximate in a column of %d items", q.q.Text, 600)
		}
	}
	// The bounded order for every query here, sampled or not.
	setVar(t, &search.RankAll, 10)
	setVar(t, &search.ExactMax, 120)
	setVar(t, &search.SamplePerStratum, 8)
	for i, q := range queries {
		want := exact[i]
		got := searchAt(t, env, q.q)
		if got.Approximate != q.approx {
			t.Errorf("%q: approximate %v, want %v (exact total %d)", q.q.Text, got.Approximate, q.approx, want.Total)
		}
		if !q.approx {
			if got.Total != want.Total || !slices.Equal(got.Kinds, want.Kinds) || !slices.Equal(got.Years, want.Years) {
				t.Errorf("%q: counts %d %v %v, want exactly %d %v %v", q.q.Text, got.Total, got.Kinds, got.Years, want.Total, want.Kinds, want.Years)
			}
			continue
		}
		if math.Abs(float64(got.Total-want.Total)) > 0.25*float64(want.Total) {
			t.Errorf("%q: estimated %d hits, exactly %d", q.q.Text, got.Total, want.Total)
		}
		for _, f := range want.Kinds {
			for _, g := range got.Kinds {
				if g.Value == f.Value && math.Abs(float64(g.Count-f.Count)) > 0.35*float64(f.Count)+10 {
					t.Errorf("%q: kind %s estimated %d, exactly %d", q.q.Text, f.Value, g.Count, f.Count)
				}
			}
		}
		// The same pages, in the same order, whether counted or sampled.
		pages := (want.Total + 9) / 10
		for _, n := range []int{1, 2, 3, pages/2 + 1, pages} {
			qq := q.q
			qq.Limit, qq.Offset = 10, (n-1)*10
			setVar(t, &search.ExactMax, 1_000_000)
			a := searchAt(t, env, qq)
			setVar(t, &search.ExactMax, 120)
			b := searchAt(t, env, qq)
			if !slices.Equal(a.IDs(), b.IDs()) {
				t.Errorf("%q page %d: sampled %v, counted %v", q.q.Text, n, b.IDs(), a.IDs())
			}
			if n == pages && b.Approximate {
				t.Errorf("%q: the last page (%d) still approximate: it walked every hit", q.q.Text, n)
			}
			if n == pages && b.Total != want.Total {
				t.Errorf("%q: the last page says %d hits, want %d", q.q.Text, b.Total, want.Total)
			}
		}
	}
}

// exactOrder is the exact order, straight from SQL: the whole query as a
// phrase first (for several words), then bm25 over every column, then id.
func exactOrder(t *testing.T, db *sql.DB, terms []string, limit int) []int64 {
	t.Helper()
	var all []string
	for _, w := range terms {
		all = append(all, `"`+w+`"`)
	}
	match := strings.Join(all, " AND ")
	phrase := `"` + strings.Join(terms, " ") + `"`
	rows, err := db.Query(`SELECT search.rowid FROM search JOIN search_meta m ON m.item_id = search.rowid
		WHERE search MATCH ? AND m.published_at <= ?
		ORDER BY search.rowid IN (SELECT rowid FROM search WHERE search MATCH ?) DESC, rank, search.rowid LIMIT ?`,
		match, corpusNow.Unix(), phrase, limit)
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

// TestExactOrderWhereCheap: the first page is the exact order (whole
// phrase first, then bm25 over every column) for a query with at most
// RankAll hits, in a column of at most ExactMax items whatever its words,
// and in a larger column when each of its words is rare (at most
// RareTerm items); a common word in a larger column gets the bounded
// order, title matches first.
func TestExactOrderWhereCheap(t *testing.T) {
	env := generated(t)
	db := env.DB.Read
	setVar(t, &search.RankAll, 60)
	tests := []struct {
		text  string
		terms []string // folded, as the index holds them
	}{
		{"hàng hóa nhập khẩu", []string{"hang", "hoa", "nhap", "khau"}},
		{"quý II năm 2025", []string{"quy", "ii", "nam", "2025"}},
		{"phê duyệt đề", []string{"phe", "duyet", "de"}},
		{"vuong dinh", []string{"vuong", "dinh"}},
		{"thuyết", []string{"thuyet"}},
	}
	checked := 0
	for _, tt := range tests {
		all := searchAt(t, env, search.Query{Text: tt.text, Limit: 100})
		if all.Total == 0 || all.Total > search.RankAll {
			continue // not a case for the exact order here
		}
		checked++
		want := exactOrder(t, db, tt.terms, 10)
		if got := searchAt(t, env, search.Query{Text: tt.text, Limit: 10}).IDs(); !slices.Equal(got, want) {
			t.Errorf("%q (%d hits): first page %v, exact order %v", tt.text, all.Total, got, want)
		}
	}
	if checked < 2 {
		t.Fatalf("only %d queries with at most RankAll hits: pick others", checked)
	}

	// A larger column (ExactMax lowered): rare words keep the exact order,
	// a common one does not need to.
	setVar(t, &search.ExactMax, 100)
	setVar(t, &search.RareTerm, 100)
	var rares, commons int
	for _, tt := range tests {
		res := searchAt(t, env, search.Query{Text: tt.text, Limit: 10})
		if res.Total == 0 || res.Total > search.RankAll {
			continue
		}
		rare := true
		for _, w := range tt.terms {
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM search WHERE search MATCH ?`, `"`+w+`"`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			rare = rare && n <= search.RareTerm
		}
		if rare {
			rares++
		} else {
			commons++
		}
		want := exactOrder(t, db, tt.terms, 10)
		if rare && !slices.Equal(res.IDs(), want) {
			t.Errorf("%q, rare words: first page %v, exact order %v", tt.text, res.IDs(), want)
		}
		if !rare {
			// Bounded: items whose title has every word come first.
			titled := true
			for _, h := range res.Hits {
				has := true
				for _, w := range tt.terms {
					has = has && slices.Contains(strings.FieldsFunc(vntext.FoldLower(h.Item.Title), func(r rune) bool { return r == ' ' || r == ',' || r == '.' }), w)
				}
				if has && !titled {
					t.Errorf("%q, common words: a title match after a body match", tt.text)
				}
				titled = titled && has
			}
		}
	}
	if rares == 0 || commons == 0 {
		t.Errorf("%d queries of rare words, %d with a common one: pick others", rares, commons)
	}
}

// TestPagePastTheEnd: a page past the last hit, as deep as the site lets
// anyone ask (?trang= up to a million, ten hits a page), holds no hit and
// costs the counts alone, in every path of Search: counted, sampled and
// bounded. Ranking sized its buffers by the page asked for: at 100,000
// items one such 404 of a common word allocated 360 MB.
func TestPagePastTheEnd(t *testing.T) {
	env := generated(t)
	setVar(t, &search.RankAll, 10)
	setVar(t, &search.SamplePerStratum, 8)
	for _, exactMax := range []int{1_000_000, 120} {
		setVar(t, &search.ExactMax, exactMax)
		for _, text := range []string{"công nghệ", "cai cach hanh chinh", "vuong dinh"} {
			first := searchAt(t, env, search.Query{Text: text, Limit: 10})
			if first.Total == 0 {
				t.Fatalf("%q finds nothing: the test needs hits", text)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			deep := searchAt(t, env, search.Query{Text: text, Limit: 10, Offset: 10_000_000})
			runtime.ReadMemStats(&after)
			if len(deep.Hits) != 0 || deep.Total != first.Total || deep.Approximate != first.Approximate || !slices.Equal(deep.Kinds, first.Kinds) {
				t.Errorf("ExactMax %d, %q, a page past the end: %d hits, total %d (approximate %v), kinds %v; want none, and page 1's %d (%v), %v",
					exactMax, text, len(deep.Hits), deep.Total, deep.Approximate, deep.Kinds, first.Total, first.Approximate, first.Kinds)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
				t.Errorf("ExactMax %d, %q: a page past the end allocated %d MiB", exactMax, text, got>>20)
			}
			if first.Approximate {
				continue
			}
			// Exact counts: the last hit is on its page, and the next is empty.
			last := searchAt(t, env, search.Query{Text: text, Limit: 1, Offset: first.Total - 1})
			next := searchAt(t, env, search.Query{Text: text, Limit: 1, Offset: first.Total})
			if len(last.Hits) != 1 || len(next.Hits) != 0 {
				t.Errorf("ExactMax %d, %q: offset %d gives %d hits, offset %d gives %d; want 1 and 0",
					exactMax, text, first.Total-1, len(last.Hits), first.Total, len(next.Hits))
			}
		}
	}
}

// TestSearchIDsBounded: the directories' text box (SearchIDs) gives the
// search page's order, bounded as it is, rather than ranking every hit by
// bm25 (half a second for a few common words at 100,000 items): its IDs
// are Search's pages end to end, for every kind, counted or sampled.
func TestSearchIDsBounded(t *testing.T) {
	env := generated(t)
	ctx := context.Background()
	for _, bounds := range [][2]int{{1500, 1_000_000}, {10, 1_000_000}, {10, 120}} {
		setVar(t, &search.RankAll, bounds[0])
		setVar(t, &search.ExactMax, bounds[1])
		for _, kind := range []content.Kind{"", content.Procedure, content.Document} {
			for _, text := range []string{"công nghệ", "cai cach hanh chinh", "thủ tục", "vuong dinh"} {
				got, err := env.Search.SearchIDs(ctx, text, kind, corpusNow)
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for off := 0; ; off += 100 {
					res := searchAt(t, env, search.Query{Text: text, Kind: kind, Limit: 100, Offset: off})
					want = append(want, res.IDs()...)
					if len(res.Hits) < 100 {
						break
					}
				}
				if len(want) == 0 && text != "vuong dinh" {
					t.Fatalf("%q (%s) finds nothing: the test needs hits", text, kind)
				}
				if !slices.Equal(got, want[:min(len(want), 1000)]) {
					t.Errorf("RankAll %d, ExactMax %d, %q (%q): SearchIDs gives %d IDs, not the search page's order of %d (first %v, want %v)",
						bounds[0], bounds[1], text, kind, len(got), len(want), got[:min(5, len(got))], want[:min(5, len(want))])
				}
			}
		}
	}
}
