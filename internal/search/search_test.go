package search_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"cchc/internal/app"
	"cchc/internal/content"
	"cchc/internal/search"
	"cchc/internal/store"
)

// ref names an item as kind/slug.
func ref(it *store.Item) string { return string(it.Kind) + "/" + it.Slug }

func refs(res *search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = ref(h.Item)
	}
	return out
}

func run(t *testing.T, env *app.Env, q search.Query) *search.Result {
	t.Helper()
	if q.Now.IsZero() {
		q.Now = testNow
	}
	res, err := env.Search.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return res
}

// TestQueries is the table: what citizens type, with and without
// diacritics, in NFC and NFD, and the items expected first, in order.
func TestQueries(t *testing.T) {
	env := openEnv(t)
	hotline := []string{"article/duong-day-nong-phan-anh-tthc", "article/ky-luat-ky-cuong-sap-xep-to-chuc", "article/vi-tri-viec-lam-ky-luat-cong-vu"}
	cchc := []string{"document/93-nq-hdnd", "document/04-nq-tu", "document/1256-qd-ubnd"}
	iso := []string{"article/iso-9001-2015-cap-xa", "article/kiem-tra-ap-dung-iso-9001-2022", "article/duy-tri-iso-9001-2015-tai-so"}
	cds := []string{"document/119-kh-ubnd"}
	tests := []struct {
		name  string
		q     string
		first []string // the first hits, in order
		total int      // 0: not checked
	}{
		{name: "cải cách hành chính without diacritics", q: "cai cach hanh chinh", first: cchc},
		{name: "cải cách hành chính with diacritics", q: "cải cách hành chính", first: cchc},
		{name: "cải cách hành chính in NFD", q: norm.NFD.String("cải cách hành chính"), first: cchc},
		{name: "cải cách hành chính in capitals", q: "CẢI CÁCH HÀNH CHÍNH", first: cchc},
		{name: "đường dây nóng", q: "đường dây nóng", first: hotline, total: 3},
		{name: "duong day nong", q: "duong day nong", first: hotline, total: 3},
		{name: "đường dây nóng in NFD", q: norm.NFD.String("Đường dây nóng"), first: hotline, total: 3},
		{name: "đường dây nóng quoted", q: `"đường dây nóng"`, first: hotline, total: 3},
		{name: "ISO 9001", q: "ISO 9001", first: iso},
		{name: "iso 9001 lower case", q: "iso 9001", first: iso},
		{name: "chuyển đổi số", q: "chuyển đổi số", first: cds},
		{name: "chuyen doi so", q: "chuyen doi so", first: cds},
		{name: "number as written", q: "1256/QĐ-UBND", first: []string{"document/1256-qd-ubnd"}},
		{name: "number without đ", q: "1256/QD-UBND", first: []string{"document/1256-qd-ubnd"}},
		{name: "number with spaces", q: "1256 qd ubnd", first: []string{"document/1256-qd-ubnd"}},
		{name: "number part", q: "qđ 1256", first: []string{"document/1256-qd-ubnd"}},
		{name: "number with type word", q: "Quyết định số 1256", first: []string{"document/1256-qd-ubnd"}},
		{name: "Party number without leading zero", q: "4 nq tu", first: []string{"document/04-nq-tu"}},
		{name: "law number", q: "29/2013/QH13", first: []string{"document/29-2013-qh13"}},
		{name: "procedure code", q: "1.006473.000.00.00.H48", first: []string{"procedure/cong-bo-hop-chuan"}, total: 1},
		{name: "procedure code start", q: "1.006473", first: []string{"procedure/cong-bo-hop-chuan"}, total: 1},
		{name: "nothing", q: "xyzzy", total: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, env, search.Query{Text: tt.q, Limit: 10})
			got := refs(res)
			if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
				t.Errorf("Search(%q) = %v, want first %v", tt.q, got, tt.first)
			}
			if tt.total > 0 && res.Total != tt.total {
				t.Errorf("Search(%q) total = %d, want %d", tt.q, res.Total, tt.total)
			}
			if tt.first == nil && res.Total != 0 {
				t.Errorf("Search(%q) = %v, want nothing", tt.q, got)
			}
		})
	}
}

// TestSameResults checks that the forms of one query find the same items
// in the same order.
func TestSameResults(t *testing.T) {
	env := openEnv(t)
	groups := [][]string{
		{"cải cách hành chính", "cai cach hanh chinh", norm.NFD.String("cải cách hành chính"), "Cải Cách Hành Chính"},
		{"thủ tục cấp phép", "thu tuc cap phep", norm.NFD.String("thủ tục cấp phép")},
		{"1256/QĐ-UBND", "1256/QD-UBND", "1256 qd ubnd", "1256 / qđ - ubnd"},
	}
	for _, g := range groups {
		want := refs(run(t, env, search.Query{Text: g[0], Limit: 100}))
		for _, q := range g[1:] {
			if got := refs(run(t, env, search.Query{Text: q, Limit: 100})); !slices.Equal(got, want) {
				t.Errorf("Search(%q) = %v,\nwant as for %q: %v", q, got, g[0], want)
			}
		}
	}
}

func TestHighlightKeepsDiacritics(t *testing.T) {
	env := openEnv(t)
	res := run(t, env, search.Query{Text: "duong day nong", Limit: 1})
	if len(res.Hits) == 0 {
		t.Fatal("no hit")
	}
	h := res.Hits[0]
	for _, want := range []string{"<mark>đường</mark> <mark>dây</mark> <mark>nóng</mark>"} {
		if !strings.Contains(string(h.Title), want) || !strings.Contains(string(h.Snippet), want) {
			t.Errorf("title %q / snippet %q lack %q", h.Title, h.Snippet, want)
		}
	}
}

func TestFiltersAndFacets(t *testing.T) {
	env := openEnv(t)
	all := run(t, env, search.Query{Text: "cai cach hanh chinh", Limit: 100})
	if all.Total < 20 || len(all.Hits) != all.Total {
		t.Fatalf("total %d, %d hits", all.Total, len(all.Hits))
	}
	count := func(fs []search.Facet, v string) int {
		for _, f := range fs {
			if f.Value == v {
				return f.Count
			}
		}
		return 0
	}
	tests := []struct {
		name  string
		q     search.Query
		facet int // what the facet for the filter said
	}{
		{name: "kind", q: search.Query{Kind: content.Document}, facet: count(all.Kinds, "document")},
		{name: "area", q: search.Query{Area: "II.2.a"}, facet: count(all.Areas, "II.2.a")},
		{name: "year", q: search.Query{Year: 2021}, facet: count(all.Years, "2021")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Text, q.Limit = "cai cach hanh chinh", 100
			res := run(t, env, q)
			if res.Total == 0 || res.Total != tt.facet || len(res.Hits) != res.Total {
				t.Errorf("total %d, %d hits, facet said %d", res.Total, len(res.Hits), tt.facet)
			}
			for _, h := range res.Hits {
				it := h.Item
				switch {
				case q.Kind != "" && it.Kind != q.Kind,
					q.Area != "" && !slices.Contains(it.Areas, q.Area),
					q.Year != 0 && it.Kind == content.Document && it.Issued.Year() != q.Year:
					t.Errorf("%s passed filter %+v", ref(it), tt.q)
				}
			}
		})
	}
}

func TestPagination(t *testing.T) {
	env := openEnv(t)
	all := refs(run(t, env, search.Query{Text: "cai cach", Limit: 100}))
	var paged []string
	for off := 0; off < len(all); off += 7 {
		paged = append(paged, refs(run(t, env, search.Query{Text: "cai cach", Limit: 7, Offset: off}))...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("pages of 7 = %v,\nwant %v", paged, all)
	}
	// The same with a number lookup ranking items first.
	all = refs(run(t, env, search.Query{Text: "qđ 1256", Limit: 100}))
	paged = nil
	for off := 0; off < len(all); off += 2 {
		paged = append(paged, refs(run(t, env, search.Query{Text: "qđ 1256", Limit: 2, Offset: off}))...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("pages of 2 = %v,\nwant %v", paged, all)
	}
}

func TestNewest(t *testing.T) {
	env := openEnv(t)
	res := run(t, env, search.Query{Text: "iso", Limit: 100, Newest: true})
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Item.Published.After(res.Hits[i-1].Item.Published) {
			t.Errorf("%s after %s", ref(res.Hits[i].Item), ref(res.Hits[i-1].Item))
		}
	}
}

func TestHostileQueries(t *testing.T) {
	env := openEnv(t)
	for _, q := range []string{`"`, `""`, `*`, `NEAR(`, `NEAR(a b, 2)`, `a OR`, `OR`, `AND NOT`, `title:x`, `{title}: x`, `)(`, `^cach`, `-`,
		strings.Repeat("cải cách ", 2000), "cai\x00cach", "\x00", "\xff\xfe", "ISO 9001\"", "'; DROP TABLE items; --"} {
		if _, err := env.Search.Search(context.Background(), search.Query{Text: q, Now: testNow}); err != nil {
			t.Errorf("Search(%.40q): %v", q, err)
		}
	}
}

// setStatus changes an item as the workflow will: through a transaction
// that runs the hook.
func setStatus(t *testing.T, env *app.Env, slug string, k content.Kind, change func(it *store.Item)) {
	t.Helper()
	ctx := context.Background()
	it, err := env.Store.ItemBySlug(ctx, k, slug)
	if err != nil {
		t.Fatal(err)
	}
	change(it)
	err = env.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := env.Store.UpdateItem(ctx, tx, it, "test", ""); err != nil {
			return err
		}
		return env.Search.ItemChanged(ctx, tx, it)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOnlyPublicItems(t *testing.T) {
	env := openEnv(t)
	has := func(q string, now time.Time, want string) bool {
		t.Helper()
		return slices.Contains(refs(run(t, env, search.Query{Text: q, Now: now, Limit: 100})), want)
	}
	const hot = "article/duong-day-nong-phan-anh-tthc"
	if has("đánh giá nội bộ", testNow, "article/nhap-huong-dan-danh-gia-noi-bo") {
		t.Error("draft found")
	}
	if has("kế hoạch tuyên truyền 2027", testNow, "article/ke-hoach-tuyen-truyen-cchc-2027") {
		t.Error("scheduled article found before its time")
	}
	if !has("kế hoạch tuyên truyền 2027", time.Date(2027, 3, 21, 0, 0, 0, 0, time.UTC), "article/ke-hoach-tuyen-truyen-cchc-2027") {
		t.Error("scheduled article not found once public")
	}
	if !has("duong day nong", testNow, hot) {
		t.Fatal("published article not found")
	}

	setStatus(t, env, "duong-day-nong-phan-anh-tthc", content.Article, func(it *store.Item) { it.Status = store.Withdrawn })
	if has("duong day nong", testNow, hot) {
		t.Error("withdrawn article found")
	}
	setStatus(t, env, "duong-day-nong-phan-anh-tthc", content.Article, func(it *store.Item) { it.Status = store.Published })
	if !has("duong day nong", testNow, hot) {
		t.Error("republished article not found")
	}
	setStatus(t, env, "duong-day-nong-phan-anh-tthc", content.Article, func(it *store.Item) { it.Status = store.Draft })
	if has("duong day nong", testNow, hot) {
		t.Error("article back in draft found")
	}
	setStatus(t, env, "duong-day-nong-phan-anh-tthc", content.Article, func(it *store.Item) { it.Status = store.Submitted })
	if has("duong day nong", testNow, hot) {
		t.Error("submitted article found")
	}
	setStatus(t, env, "1256-qd-ubnd", content.Document, func(it *store.Item) { it.Deleted = testNow })
	if has("1256/QĐ-UBND", testNow, "document/1256-qd-ubnd") {
		t.Error("trashed document found")
	}

	// Rebuilding gives the same index.
	before := refs(run(t, env, search.Query{Text: "cai cach", Limit: 100}))
	n, err := env.Search.Rebuild(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want int
	if err := env.DB.Read.QueryRow(`SELECT COUNT(*) FROM items WHERE status = 'published' AND deleted_at IS NULL AND public = 1`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("Rebuild indexed %d items, want %d", n, want)
	}
	if after := refs(run(t, env, search.Query{Text: "cai cach", Limit: 100})); !slices.Equal(after, before) {
		t.Errorf("after rebuild %v,\nbefore %v", after, before)
	}
}

func TestSearchIDs(t *testing.T) {
	env := openEnv(t)
	ids, err := env.Search.SearchIDs(context.Background(), "qđ 1256", content.Document, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		t.Fatal("nothing found")
	}
	it, err := env.Store.ItemByID(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if ref(it) != "document/1256-qd-ubnd" {
		t.Errorf("first = %s", ref(it))
	}
	for _, id := range ids {
		it, err := env.Store.ItemByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind != content.Document {
			t.Errorf("%s is not a document", ref(it))
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	env := openEnv(b)
	ctx := context.Background()
	for _, q := range []string{"cai cach hanh chinh", "đường dây nóng", "1256/QĐ-UBND", "thu tuc"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := env.Search.Search(ctx, search.Query{Text: q, Now: testNow, Limit: 10}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
