// Package search finds public items by what citizens type, with or without
// diacritics: an SQLite FTS5 index kept in the transaction of every item
// change, a query builder that never lets input become FTS5 syntax, bm25
// ranking with the title above the body, facet counts and snippets
// highlighted in the original Vietnamese.
//
// # Ranking
//
// A query is read into words and phrases (see parse). The hits are the
// items matching every term. They are ordered:
//
//  1. items whose document number or procedure code is what the whole query
//     names, in any typed form (1256/QĐ-UBND, 1256 qd ubnd, qđ 1256): an
//     exact key lookup through legalref.Key, or a pattern through
//     legalref.Loose;
//  2. items matching the whole query as one phrase (for a query of several
//     words the user did not quote), by bm25;
//  3. the other hits, by bm25.
//
// bm25 weighs the title 10, number/code 8, summary 3 and body 1 (the rank
// set in migration 0003). Both orders come from one SQL statement sorted by
// (phrase match, rank) with LIMIT, so a page costs one sort of the hits,
// never loading their text.
package search

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Index is the search index over the store's items.
type Index struct {
	store *store.Store

	// metas holds search_meta in memory (a few dozen bytes an item), so
	// that filtering and counting the hits of a query that matches
	// thousands of items does not join every hit in SQL. It is reloaded
	// when the site version (moved by triggers on every item change, by
	// any process) differs from the one it was loaded at.
	mu      sync.Mutex
	version int64
	loaded  bool
	byID    map[int64]meta

	// prepared holds text folded by Precompute, by item, until ItemsChanged
	// writes it.
	prepared sync.Map
}

// New returns the Index over st.
func New(st *store.Store) *Index { return &Index{store: st} }

// metas returns search_meta by item, current as of the site version.
func (ix *Index) metas(ctx context.Context) (map[int64]meta, error) {
	v, err := ix.store.SiteVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.loaded && v == ix.version {
		return ix.byID, nil
	}
	// The version is read again in the snapshot the rows come from, so
	// the map is never newer or older than the version it is kept under.
	v, rows, err := ix.store.SearchMetas(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	byID := make(map[int64]meta, len(rows))
	for _, r := range rows {
		byID[r.ID] = metaOf(r)
	}
	ix.byID, ix.version, ix.loaded = byID, v, true
	return byID, nil
}

// Query is one search.
type Query struct {
	Text string       // what was typed, any form
	Kind content.Kind // only this kind; "" for all
	Area string       // only this content area (e.g. "II.1"); "" for all
	Year int          // only this year; 0 for all
	Now  time.Time    // items public at this time
	// Limit is the page size (default 10, at most 100); Offset the number
	// of hits skipped.
	Limit, Offset int
	// Newest orders hits newest first instead of by relevance (feeds).
	Newest bool
}

// Result is one page of hits and what the whole search found.
type Result struct {
	// Query is the query text as understood (cleaned), for the search box.
	Query string
	// Hits is the page, in order.
	Hits []Hit
	// Total counts every hit with the filters applied.
	Total int
	// Kinds, Areas and Years count the hits by each value of a filter,
	// with the other filters applied (so each count is what choosing it
	// would give). Kinds are in content.Kinds order, areas by id, years
	// newest first.
	Kinds, Areas, Years []Facet
}

// IDs lists the item IDs of the page, in order.
func (r *Result) IDs() []int64 {
	ids := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.Item.ID
	}
	return ids
}

// Hit is one item found, with its text highlighted.
type Hit struct {
	Item *store.Item
	// Title is the title shown (for documents "Quyết định số 1256/QĐ-UBND"),
	// Summary the summary (for documents the trích yếu), Snippet a passage
	// of the body around the matches, "" when the body has none. All are
	// HTML-escaped with the matches in <mark>.
	Title, Summary, Snippet template.HTML
}

// Facet is one value of a filter and the number of hits it has.
type Facet struct {
	Value string
	Count int
}

// meta is one indexed item's search_meta row.
type meta struct {
	id        int64
	kind      string
	year      int
	published int64
	areas     string
}

func metaOf(r store.SearchMeta) meta {
	return meta{id: r.ID, kind: r.Kind, year: r.Year, published: r.Published, areas: r.Areas}
}

func (m meta) hasArea(a string) bool { return strings.Contains(m.areas, " "+a+" ") }

// passes reports whether m passes q's filters, leaving out the one named
// skip ("kind", "area", "year") so that facets count without their own
// filter.
func (q Query) passes(m meta, skip string) bool {
	return (skip == "kind" || q.Kind == "" || m.kind == string(q.Kind)) &&
		(skip == "area" || q.Area == "" || m.hasArea(q.Area)) &&
		(skip == "year" || q.Year == 0 || m.year == q.Year)
}

// Search runs q. A query with no letter or digit finds nothing and is not
// an error; no query text can produce one.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	p := parse(q.Text)
	res := &Result{Query: p.Text}
	if len(p.Terms) == 0 {
		return res, nil
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	q.Limit = min(q.Limit, 100)
	q.Offset = max(q.Offset, 0)
	now := q.Now.Unix()

	boosted, err := ix.boosted(ctx, &p, now)
	if err != nil {
		return nil, err
	}
	hits, err := ix.hits(ctx, p.matchAll(), now)
	if err != nil {
		return nil, err
	}
	inHits := make(map[int64]bool, len(hits))
	for _, m := range hits {
		inHits[m.id] = true
	}
	for _, m := range boosted {
		if !inHits[m.id] {
			hits = append(hits, m)
		}
	}
	countFacets(q, hits, res)

	var page []int64
	var top []int64 // boosted items passing the filters, in order
	for _, m := range boosted {
		if q.passes(m, "") {
			top = append(top, m.id)
		}
	}
	switch {
	case q.Newest:
		var all []meta
		for _, m := range hits {
			if q.passes(m, "") {
				all = append(all, m)
			}
		}
		slices.SortFunc(all, func(a, b meta) int {
			return cmp.Or(cmp.Compare(b.published, a.published), cmp.Compare(b.id, a.id))
		})
		for _, m := range all[min(q.Offset, len(all)):min(q.Offset+q.Limit, len(all))] {
			page = append(page, m.id)
		}
	case len(hits) > RankAll:
		order, err := ix.rankedLarge(ctx, q, p, top, hits, q.Offset+q.Limit)
		if err != nil {
			return nil, err
		}
		page = order[min(q.Offset, len(order)):min(q.Offset+q.Limit, len(order))]
	default:
		page = append(page, top[min(q.Offset, len(top)):min(q.Offset+q.Limit, len(top))]...)
		if rest := q.Limit - len(page); rest > 0 {
			ids, err := ix.ranked(ctx, q, p, top, max(0, q.Offset-len(top)), rest)
			if err != nil {
				return nil, err
			}
			page = append(page, ids...)
		}
	}

	items, err := ix.items(ctx, page)
	if err != nil {
		return nil, err
	}
	words := p.words()
	for _, it := range items {
		res.Hits = append(res.Hits, newHit(it, words))
	}
	return res, nil
}

// items loads the items with ids, in that order, in one snapshot of the
// read pool.
func (ix *Index) items(ctx context.Context, ids []int64) ([]*store.Item, error) {
	items, err := ix.store.ItemsSnapshot(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	byID := make(map[int64]*store.Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	out := make([]*store.Item, 0, len(ids))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// hits lists every item matching expr that is public at now.
func (ix *Index) hits(ctx context.Context, expr string, now int64) ([]meta, error) {
	ids, err := ix.matchIDs(ctx, expr)
	if err != nil {
		return nil, err
	}
	metas, err := ix.metas(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]meta, 0, len(ids))
	for _, id := range ids {
		if m, ok := metas[id]; ok && m.published <= now {
			out = append(out, m)
		}
	}
	return out, nil
}

// ranked returns limit IDs from offset of the hits of p passing q's
// filters, leaving out the IDs in skip: whole-phrase matches first, then
// by bm25.
func (ix *Index) ranked(ctx context.Context, q Query, p parsed, skip []int64, offset, limit int) ([]int64, error) {
	ids, err := ix.store.SearchRanked(ctx, store.SearchRank{
		Match: p.matchAll(), Phrase: p.matchPhrase(), Now: q.Now.Unix(),
		Kind: string(q.Kind), Area: q.Area, Year: q.Year, Skip: skip, Limit: limit, Offset: offset,
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return ids, nil
}

// RankAll is the most hits ranked by bm25 over every column (a variable
// only so tests can lower it). FTS5 computes
// bm25 for every hit before it can sort, so a query matching thousands of
// items (a common word in a big archive) would take tens of milliseconds;
// past this many hits, ranking is bounded (see rankedLarge).
var RankAll = 1500

// rankedLarge orders the hits of a query that matches more than RankAll
// items, without computing bm25 over all of them: the items named by
// number or code first (top), then the items whose title matches, by bm25
// over the title (whole phrase first) when there are at most RankAll of
// them, else newest first; then every other hit, newest first. Filters
// apply throughout. Only the first need IDs of that order are worked out:
// pages are cut from the front.
func (ix *Index) rankedLarge(ctx context.Context, q Query, p parsed, top []int64, hits []meta, need int) ([]int64, error) {
	seen := make(map[int64]bool, len(hits))
	order := make([]int64, 0, len(hits))
	for _, id := range top {
		if !seen[id] {
			seen[id] = true
			order = append(order, id)
		}
	}
	byID := make(map[int64]meta, len(hits))
	for _, m := range hits {
		byID[m.id] = m
	}
	title := "{title} : (" + p.matchAll() + ")"
	inTitle, err := ix.matchIDs(ctx, title)
	if err != nil {
		return nil, err
	}
	var titled []int64
	for _, id := range inTitle {
		if m, ok := byID[id]; ok && q.passes(m, "") && !seen[id] {
			titled = append(titled, id)
		}
	}
	if len(inTitle) <= RankAll {
		keep := make(map[int64]bool, len(titled))
		for _, id := range titled {
			keep[id] = true
		}
		ranked, err := ix.rankedExpr(ctx, q, p, title, "{title} : ("+p.matchPhrase()+")", min(len(inTitle), need+len(top)))
		if err != nil {
			return nil, err
		}
		titled = titled[:0]
		for _, id := range ranked {
			if keep[id] {
				titled = append(titled, id)
			}
		}
	} else {
		slices.SortFunc(titled, func(a, b int64) int {
			return cmp.Or(cmp.Compare(byID[b].published, byID[a].published), cmp.Compare(b, a))
		})
	}
	for _, id := range titled {
		if !seen[id] {
			seen[id] = true
			order = append(order, id)
		}
	}
	if len(order) >= need {
		return order, nil
	}
	// The newest (need - len(order)) of the rest, kept sorted as they come:
	// a page is small next to thousands of hits, so no full sort.
	type dated struct{ published, id int64 }
	before := func(a, b dated) bool { return a.published > b.published || (a.published == b.published && a.id > b.id) }
	k := need - len(order)
	best := make([]dated, 0, k)
	for _, m := range hits {
		if seen[m.id] || !q.passes(m, "") {
			continue
		}
		d := dated{m.published, m.id}
		if len(best) == k && !before(d, best[k-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, d, func(x, y dated) int {
			if before(x, y) {
				return -1
			}
			if before(y, x) {
				return 1
			}
			return 0
		})
		if len(best) < k {
			best = append(best, dated{})
		}
		copy(best[i+1:], best[i:len(best)-1])
		best[i] = d
	}
	for _, d := range best {
		order = append(order, d.id)
	}
	return order, nil
}

// matchIDs lists the rowids matching expr, unranked.
func (ix *Index) matchIDs(ctx context.Context, expr string) ([]int64, error) {
	ids, err := ix.store.SearchMatch(ctx, expr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return ids, nil
}

// rankedExpr returns up to limit rowids matching expr, phrase matches
// (phrase, when not "") first, then by bm25, with q's filters.
func (ix *Index) rankedExpr(ctx context.Context, q Query, p parsed, expr, phrase string, limit int) ([]int64, error) {
	if limit == 0 {
		return nil, nil
	}
	if p.matchPhrase() == "" {
		phrase = ""
	}
	ids, err := ix.store.SearchRanked(ctx, store.SearchRank{Match: expr, Phrase: phrase, Now: q.Now.Unix(), Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return ids, nil
}

// maxBoosted caps the items a number or code lookup puts first.
const maxBoosted = 20

// codeQuery matches a typed procedure code or its beginning: 1.001193,
// 1.006473.000.00.00.H48.
var codeQuery = regexp.MustCompile(`^[0-9]{1,3}\.[0-9]{3,}(\.[0-9A-Z]+)*$`)

// boosted lists the public items whose document number or procedure code
// is what the query names as a whole, in the order they rank first. When
// the query spells out a whole number that a document has, its words
// become one phrase, so that "1256 qd ubnd" ranks everything else as
// "1256/QĐ-UBND" does.
func (ix *Index) boosted(ctx context.Context, p *parsed, now int64) ([]meta, error) {
	text := p.Text
	exact := false
	var m store.RefMatch
	if k, ok := legalref.Key(text); ok {
		m.Key, exact = k, true
	} else if pat, ok := legalref.Loose(text); ok {
		m.KeyGlob = pat
	} else if c := strings.ToUpper(vntext.Fold(strings.TrimSpace(text))); codeQuery.MatchString(c) {
		m.Code = c // only digits, letters and dots: no GLOB syntax
	} else {
		return nil, nil
	}
	rows, err := ix.store.SearchByRef(ctx, m, now, maxBoosted)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]meta, len(rows))
	for i, r := range rows {
		out[i] = metaOf(r)
	}
	if exact && len(out) > 0 && !p.Quoted && len(p.Terms) > 1 {
		var all []string
		for _, t := range p.Terms {
			all = append(all, t...)
		}
		p.Terms = [][]string{all}
	}
	return out, nil
}

// countFacets fills res.Total and the facet counts from every hit.
func countFacets(q Query, hits []meta, res *Result) {
	kinds := map[string]int{}
	areas := map[string]int{}
	years := map[int]int{}
	for _, m := range hits {
		if q.passes(m, "") {
			res.Total++
		}
		if q.passes(m, "kind") {
			kinds[m.kind]++
		}
		if q.passes(m, "area") {
			for _, a := range strings.Fields(m.areas) {
				areas[a]++
			}
		}
		if q.passes(m, "year") {
			years[m.year]++
		}
	}
	for _, k := range []content.Kind{content.Article, content.Procedure, content.Document} {
		if n := kinds[string(k)]; n > 0 {
			res.Kinds = append(res.Kinds, Facet{Value: string(k), Count: n})
		}
	}
	for a, n := range areas {
		res.Areas = append(res.Areas, Facet{Value: a, Count: n})
	}
	slices.SortFunc(res.Areas, func(a, b Facet) int { return strings.Compare(a.Value, b.Value) })
	for y, n := range years {
		res.Years = append(res.Years, Facet{Value: strconv.Itoa(y), Count: n})
	}
	slices.SortFunc(res.Years, func(a, b Facet) int { return strings.Compare(b.Value, a.Value) })
}

// maxIDs caps the IDs SearchIDs returns.
const maxIDs = 1000

// SearchIDs returns the IDs of the public items of kind ("" for all)
// matching text, best first, at most 1000: the text box of the procedure
// and document directories, which filter and page themselves.
func (ix *Index) SearchIDs(ctx context.Context, text string, kind content.Kind, now time.Time) ([]int64, error) {
	p := parse(text)
	if len(p.Terms) == 0 {
		return nil, nil
	}
	q := Query{Text: text, Kind: kind, Now: now}
	boosted, err := ix.boosted(ctx, &p, now.Unix())
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range boosted {
		if q.passes(m, "") {
			ids = append(ids, m.id)
		}
	}
	rest, err := ix.ranked(ctx, q, p, ids, 0, maxIDs-len(ids))
	if err != nil {
		return nil, err
	}
	return append(ids, rest...), nil
}
