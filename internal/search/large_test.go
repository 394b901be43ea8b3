package search_test

import (
	"strings"
	"testing"

	"cchc/internal/search"
	"cchc/internal/vntext"
)

// TestBoundedRanking runs queries through the path used when a query
// matches more than RankAll items (lowered here so the demo content
// reaches it): the totals and facets are exact, the pages cover every hit
// once, items whose title matches come before those matching only in the
// body, and a typed document number still comes first.
func TestBoundedRanking(t *testing.T) {
	env := openEnv(t)
	queries := []string{"cai cach hanh chinh", "chuyển đổi số", "khoa học", "1256/QĐ-UBND"}
	full := map[string]*search.Result{}
	for _, q := range queries {
		full[q] = run(t, env, search.Query{Text: q, Limit: 100})
	}
	old := search.RankAll
	search.RankAll = 2
	defer func() { search.RankAll = old }()
	for _, q := range queries {
		want := full[q]
		got := run(t, env, search.Query{Text: q, Limit: 100})
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("%q: total %d (%d hits), want %d (%d hits)", q, got.Total, len(got.Hits), want.Total, len(want.Hits))
		}
		seen := map[string]bool{}
		for _, r := range refs(want) {
			seen[r] = true
		}
		var paged []string
		for off := 0; off < got.Total; off += 3 {
			paged = append(paged, refs(run(t, env, search.Query{Text: q, Limit: 3, Offset: off}))...)
		}
		covered := map[string]bool{}
		for _, r := range paged {
			if covered[r] || !seen[r] {
				t.Errorf("%q: page item %s repeated or unexpected", q, r)
			}
			covered[r] = true
		}
		if len(covered) != got.Total {
			t.Errorf("%q: pages cover %d of %d hits", q, len(covered), got.Total)
		}
		// Title matches first: once an item whose title lacks the words
		// appears, no title match follows.
		words := strings.Fields(strings.ToLower(q))
		bodyOnly := false
		for _, h := range got.Hits {
			title := strings.ToLower(foldForTest(h.Item.Title))
			inTitle := true
			for _, w := range words {
				if !strings.Contains(title, foldForTest(w)) {
					inTitle = false
				}
			}
			if h.Item.Number != "" && strings.Contains(q, h.Item.Number) {
				continue
			}
			if !inTitle {
				bodyOnly = true
			} else if bodyOnly {
				t.Errorf("%q: title match %q ranked after a body-only match", q, h.Item.Title)
			}
		}
		if q == "1256/QĐ-UBND" && (len(got.Hits) == 0 || got.Hits[0].Item.Number != "1256/QĐ-UBND") {
			t.Errorf("the document named by number must come first")
		}
	}
}

func foldForTest(s string) string { return vntext.FoldLower(s) }
