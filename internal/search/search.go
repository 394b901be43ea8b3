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
// never loading their text. This is the exact order, kept for every query
// with at most RankAll hits.
//
// # Large results
//
// A common word matches nearly every item; bm25 over 100,000 hits takes
// tenths of a second. Past RankAll hits — or with a word found in more
// than RareTerm items of a column of more than ExactMax, where bm25's
// own count of each word's items is the cost — the order is bounded (see
// rankedLarge): numbers first, then title matches from the titles' own
// index (search_title), then the rest newest first. Counts and facets are
// made from the list of hit ids, read from SQLite as one row, and the
// in-memory copy of search_meta (metaTable), without a map or a string
// per hit. In a column of more than ExactMax items, a match estimated at
// more than ExactMax hits is not walked at all for its counts: they are
// estimated from a sample (see match) and said as "khoảng"; the newest
// hits after the titles are found by reading items newest first.
//
// # Agencies
//
// A search is one column's (issue 20): the agency its context acts for
// (agency.IDFrom) — that agency's items and every agency's documents,
// which are one registry. Query.Agencies makes it province-wide: the
// items of the agencies listed. Each row of the in-memory table carries
// its item's agency (search_meta.agency_id, migration 0180), so the scope
// is one more comparison among the filters, and the SQL ranking takes it
// as a condition on the same row; a column that is the only one with
// items searches with no condition at all, as before there were agencies.
//
// # Merging
//
// FTS5 keeps an item written again as a new entry in a new segment and
// masks the old one with a tombstone until its own merges reach it: a
// match walks both. An import that rewrites many items (updates, or the
// link refresh after 50 agencies' trees) leaves enough of them to make a
// common word's match up to 4.5 × as slow; the import and reindex commands
// then merge the index into one segment (Index.Compact).
//
// At most GOMAXPROCS searches run at once (see New).
package search

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Index is the search index over the store's items.
type Index struct {
	store *store.Store

	// table holds search_meta in memory (see metaTable), reloaded when
	// the site version (moved by triggers on every item change, by any
	// process) differs from the one it was loaded at.
	mu    sync.Mutex
	table *metaTable

	// turns holds a token for each search running: as many as there are
	// cores (see New).
	turns chan struct{}

	// prepared holds text folded by Precompute, by item, until ItemsChanged
	// writes it.
	prepared sync.Map

	// removed counts the index rows this process removed (an item taken
	// out, or written again) since the index was last merged (Compact).
	removed atomic.Int64
}

// New returns the Index over st.
//
// At most GOMAXPROCS searches run at once; the others wait their turn
// (bounded by their context). A search is CPU work inside SQLite, and
// modernc's SQLite keeps every connection's page cache under one global
// mutex: with 8 clients searching at once through 4 connections on 2
// cores, p99 was 133 ms (median of 5 runs of 400 queries at 100,000
// items) against 70 ms with 2 at a time, for the same CPU time.
func New(st *store.Store) *Index {
	return &Index{store: st, turns: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
}

// turn waits for a turn to search, or for ctx to end, and returns the
// function that gives it back.
func (ix *Index) turn(ctx context.Context) (func(), error) {
	select {
	case ix.turns <- struct{}{}:
		return func() { <-ix.turns }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
	// Agencies, when not empty, makes the search province-wide: the items
	// of these agencies' columns, every kind. When empty the search is
	// the column of the agency the context acts for (agency.IDFrom): its
	// own items and every agency's documents, the one registry.
	Agencies []int64
}

// Result is one page of hits and what the whole search found.
type Result struct {
	// Query is the query text as understood (cleaned), for the search box.
	Query string
	// Hits is the page, in order.
	Hits []Hit
	// Total counts every hit with the filters applied.
	Total int
	// Approximate is set when Total and the facet counts are estimates,
	// rounded, from a sample of the hits: a match too large to count every
	// hit cheaply (see ExactMax). Pages say them as "khoảng".
	Approximate bool
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
	// Agency is the id of the agency owning the item, as the index holds
	// it: what labels and links a hit of a province-wide search.
	Agency int64
}

// Facet is one value of a filter and the number of hits it has.
type Facet struct {
	Value string
	Count int
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
	done, err := ix.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	page, t, err := ix.page(ctx, q, p, res)
	if err != nil {
		return nil, err
	}
	items, err := ix.items(ctx, page)
	if err != nil {
		return nil, err
	}
	words := p.words()
	for _, it := range items {
		h := newHit(it, words)
		h.Agency = t.agencyOf(it.ID)
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// page returns the IDs of the page of q's hits (parsed as p), best first,
// with the table of items they were found in, and fills res's counts: the
// work of Search short of reading the items, on a search turn the caller
// holds.
func (ix *Index) page(ctx context.Context, q Query, p parsed, res *Result) ([]int64, *metaTable, error) {
	now := q.Now.Unix()
	boosted, err := ix.boosted(ctx, &p, now)
	if err != nil {
		return nil, nil, err
	}
	t, err := ix.loadMetas(ctx)
	if err != nil {
		return nil, nil, err
	}
	f := t.filter(q, agency.IDFrom(ctx))
	// Feeds order every hit newest first: they walk the whole match.
	ms, err := ix.match(ctx, t, p.matchAll(), q.Newest)
	if err != nil {
		return nil, nil, err
	}
	// hits: every public match (when ms is exact), and the boosted items
	// the match missed (a number typed in a form the text does not hold).
	var hits []int64
	publicHits := func(ms *matchSet) {
		hits = hits[:0]
		seen := map[int64]bool{}
		for _, g := range ms.groups {
			for _, id := range g.ids {
				if m, ok := t.get(id); ok && m.published <= now && f.scope.has(m) {
					hits = append(hits, id)
					if len(boosted) > 0 {
						seen[id] = true
					}
				}
			}
		}
		var missed []int64
		for _, id := range boosted {
			if m, ok := t.get(id); ok && m.published <= now && f.scope.has(m) && !seen[id] {
				missed = append(missed, id)
			}
		}
		hits = append(hits, missed...)
		ms.groups = append(ms.groups, weighted{missed, 1})
		*res = Result{Query: res.Query}
		countFacets(t, f, ms, res)
	}
	publicHits(ms)
	// all is every public hit, walking the whole match when ms was a
	// sample; the counts are then made exact.
	all := func() ([]int64, error) {
		if !ms.exact {
			if ms, err = ix.match(ctx, t, p.matchAll(), true); err != nil {
				return nil, err
			}
			publicHits(ms)
		}
		return hits, nil
	}

	exactCheap := true
	if ms.exact && len(hits) <= RankAll && !q.Newest {
		if exactCheap, err = ix.exactIsCheap(ctx, t, p); err != nil {
			return nil, nil, err
		}
	}
	var page []int64
	var top []int64 // boosted items passing the filters, in order
	for _, id := range boosted {
		if m, ok := t.get(id); ok && f.passes(m, "") {
			top = append(top, id)
		}
	}
	// A page past the last hit holds none: it is answered from the
	// counts, without ranking, which sized its buffers by the page asked
	// for (?trang=999999 of a common word at 100,000 items allocated
	// 360 MB for a 404). With estimated counts the last hit is not known,
	// but no page can start past every item indexed.
	if (!res.Approximate && q.Offset >= max(res.Total, len(top))) || q.Offset >= len(t.ids)+len(top) {
		return nil, t, nil
	}
	need := q.Offset + q.Limit
	switch {
	case q.Newest:
		var sorted []int64
		for _, id := range hits {
			if f.passes(t.rows[id], "") {
				sorted = append(sorted, id)
			}
		}
		sorted = t.newest(sorted, need)
		page = sorted[min(q.Offset, len(sorted)):]
	case !ms.exact || len(hits) > RankAll || !exactCheap:
		order, known, err := ix.rankedLarge(ctx, q, p, t, f, top, all, !ms.exact, need)
		if err != nil {
			return nil, nil, err
		}
		page = order[min(q.Offset, len(order)):min(need, len(order))]
		if res.Approximate {
			// The estimate never says fewer than the hits already known.
			res.Total = max(res.Total, known)
		}
	default:
		page = append(page, top[min(q.Offset, len(top)):min(need, len(top))]...)
		if rest := q.Limit - len(page); rest > 0 {
			ids, err := ix.ranked(ctx, q, f, p, top, max(0, q.Offset-len(top)), rest)
			if err != nil {
				return nil, nil, err
			}
			page = append(page, ids...)
		}
	}
	return page, t, nil
}

// Newest returns the newest public items in q's scope and filters, at
// most q.Limit (default 10, at most 1000) from q.Offset, newest first —
// a province-wide feed — with no text to match: q.Text is not read, and
// the hits have no highlighted text, only Item and Agency. It reads the
// in-memory table, never the whole column from SQLite.
func (ix *Index) Newest(ctx context.Context, q Query) ([]Hit, error) {
	if q.Limit <= 0 {
		q.Limit = 10
	}
	q.Limit = min(q.Limit, 1000)
	q.Offset = max(q.Offset, 0)
	done, err := ix.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	t, err := ix.loadMetas(ctx)
	if err != nil {
		return nil, err
	}
	f := t.filter(q, agency.IDFrom(ctx))
	var ids []int64
	for _, id := range t.ids {
		if f.passes(t.rows[id], "") {
			ids = append(ids, id)
		}
	}
	ids = t.newest(ids, q.Offset+q.Limit)
	items, err := ix.items(ctx, ids[min(q.Offset, len(ids)):])
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, len(items))
	for i, it := range items {
		hits[i] = Hit{Item: it, Agency: t.agencyOf(it.ID)}
	}
	return hits, nil
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

// ranked returns limit IDs from offset of the hits of p passing q's
// filters, leaving out the IDs in skip: whole-phrase matches first, then
// by bm25.
func (ix *Index) ranked(ctx context.Context, q Query, f filter, p parsed, skip []int64, offset, limit int) ([]int64, error) {
	sr := store.SearchRank{
		Match: p.matchAll(), Phrase: p.matchPhrase(), Now: q.Now.Unix(),
		Kind: string(q.Kind), Area: q.Area, Year: q.Year, Skip: skip, Limit: limit, Offset: offset,
	}
	f.scope.rank(&sr)
	ids, err := ix.store.SearchRanked(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return ids, nil
}

// RankAll is the most hits ranked by bm25 over every column (a variable
// only so tests can lower it). FTS5 computes bm25 for every hit before it
// can sort, so a query matching thousands of items (a common word in a big
// archive: ORDER BY rank over 99,320 hits of "công" at 100,000 items takes
// 0.2–0.4 s) would cost that on every search; past this many hits, ranking
// is bounded (see rankedLarge). Up to it, the order is the exact one.
var RankAll = 1500

// rankedLarge orders the hits of a query that matches more than RankAll
// items, without computing bm25 over all of them: the items named by
// number or code first (top), then the items whose title matches (found
// in the titles' own index, search_title, whose doclists are a fraction
// of the whole index's), by bm25 over the title (whole phrase first) when
// there are at most RankAll of them, else newest first; then every other
// hit, newest first, which only then needs every hit (all). Filters apply
// throughout. Only the first need IDs of that order are worked out: pages
// are cut from the front. known is how many hits passing the filters
// the numbers and titles alone found.
func (ix *Index) rankedLarge(ctx context.Context, q Query, p parsed, t *metaTable, f filter, top []int64, all func() ([]int64, error), sampled bool, need int) (order []int64, known int, err error) {
	// Sized by what the index holds, never by the page alone.
	size := min(need, len(t.ids)) + len(top)
	order = make([]int64, 0, size)
	seen := make(map[int64]bool, size)
	add := func(ids []int64) {
		for _, id := range ids {
			if len(order) < need && !seen[id] {
				seen[id] = true
				order = append(order, id)
			}
		}
	}
	add(top)
	inTitle, err := ix.matchIDs(ctx, p.matchAll(), true)
	if err != nil {
		return nil, 0, err
	}
	titled := inTitle[:0]
	for _, id := range inTitle {
		if m, ok := t.get(id); ok && f.passes(m, "") && !slices.Contains(top, id) {
			titled = append(titled, id)
		}
	}
	known = len(top) + len(titled)
	if len(order) >= need {
		return order, known, nil
	}
	if len(inTitle) <= RankAll {
		sr := store.SearchRank{
			Match: p.matchAll(), Phrase: p.matchPhrase(), Titles: true, Now: q.Now.Unix(),
			Kind: string(q.Kind), Area: q.Area, Year: q.Year, Limit: need + len(top),
		}
		f.scope.rank(&sr)
		ranked, err := ix.store.SearchRanked(ctx, sr)
		if err != nil {
			return nil, 0, fmt.Errorf("search: %w", err)
		}
		add(ranked)
	} else {
		add(t.newest(titled, need-len(order)))
	}
	if len(order) >= need {
		return order, known, nil
	}
	if sampled && need-len(order) <= newestProbes {
		// A match of thousands of hits: its newest are found by reading
		// items newest first, without walking it.
		sr := store.SearchRank{
			Match: p.matchAll(), Now: q.Now.Unix(), Kind: string(q.Kind), Area: q.Area, Year: q.Year,
			Limit: need - len(order) + len(seen),
		}
		f.scope.rank(&sr)
		newest, err := ix.store.SearchNewest(ctx, sr)
		if err != nil {
			return nil, 0, fmt.Errorf("search: %w", err)
		}
		add(newest)
		return order, known, nil
	}
	hits, err := all()
	if err != nil {
		return nil, 0, err
	}
	var rest []int64
	for _, id := range hits {
		if !seen[id] && f.passes(t.rows[id], "") {
			rest = append(rest, id)
		}
	}
	add(t.newest(rest, need-len(order)))
	return order, known, nil
}

// newestProbes is the most hits rankedLarge finds newest first by reading
// items in that order (store.SearchNewest) rather than by walking the
// whole match: each costs a lookup in the index, about 60 µs at 100,000
// items, so past a few pages walking the match is cheaper.
const newestProbes = 40

// RareTerm is the most items a term of the query may match for the exact
// order (bm25 over every column) to count as cheap in a column of more
// than ExactMax items. bm25 first counts the items matching each term of
// the query, walking its whole doclist: at 100,000 items ordering the 452
// hits of "trí tuệ tháng 11/2023" took 14 ms on top of the 6 ms match,
// for "tháng", "11/2023" and the rest. A variable only for tests.
var RareTerm = 2000

// exactIsCheap reports whether the exact order of a query with at most
// RankAll hits costs little: always in a column of at most ExactMax items,
// else when every term matches at most RareTerm items (each checked by a
// count that stops there).
func (ix *Index) exactIsCheap(ctx context.Context, t *metaTable, p parsed) (bool, error) {
	if len(t.ids) <= ExactMax {
		return true, nil
	}
	for _, term := range p.Terms {
		n, err := ix.store.SearchCountUpTo(ctx, ftsString(strings.Join(term, " ")), RareTerm+1)
		if err != nil {
			return false, fmt.Errorf("search: %w", err)
		}
		if n > RareTerm {
			return false, nil
		}
	}
	return true, nil
}

// matchIDs lists the rowids matching expr, unranked: of the whole index,
// or with titles of the titles' index.
func (ix *Index) matchIDs(ctx context.Context, expr string, titles bool) ([]int64, error) {
	ids, err := ix.store.SearchMatch(ctx, expr, titles)
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
func (ix *Index) boosted(ctx context.Context, p *parsed, now int64) ([]int64, error) {
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
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
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

// countFacets fills res.Total and the facet counts from the hits of ms
// (with their weights when ms is a sample, and then res.Approximate).
func countFacets(t *metaTable, f filter, ms *matchSet, res *Result) {
	var total float64
	var kinds [5]float64
	areas := make([]float64, len(t.areaNames))
	years := map[int32]float64{}
	for _, g := range ms.groups {
		w := g.weight
		for _, id := range g.ids {
			m, ok := t.get(id)
			if !ok || m.published > f.now {
				continue
			}
			if f.passes(m, "") {
				total += w
			}
			if f.passes(m, "kind") {
				kinds[m.kind] += w
			}
			if f.passes(m, "area") {
				for _, a := range t.areaSets[m.areas] {
					areas[a] += w
				}
			}
			if f.passes(m, "year") {
				years[m.year] += w
			}
		}
	}
	count := func(x float64) int { return int(math.Round(x)) }
	if !ms.exact {
		res.Approximate = true
		count = approx
	}
	res.Total = count(total)
	for i, k := range kindOrder {
		if n := count(kinds[i+1]); n > 0 {
			res.Kinds = append(res.Kinds, Facet{Value: string(k), Count: n})
		}
	}
	for a, x := range areas {
		if n := count(x); n > 0 {
			res.Areas = append(res.Areas, Facet{Value: t.areaNames[a], Count: n})
		}
	}
	slices.SortFunc(res.Areas, func(a, b Facet) int { return strings.Compare(a.Value, b.Value) })
	for y, x := range years {
		if n := count(x); n > 0 {
			res.Years = append(res.Years, Facet{Value: strconv.Itoa(int(y)), Count: n})
		}
	}
	slices.SortFunc(res.Years, func(a, b Facet) int { return strings.Compare(b.Value, a.Value) })
}

// maxIDs caps the IDs SearchIDs returns.
const maxIDs = 1000

// SearchIDs returns the IDs of the public items of kind ("" for all)
// matching text in the column of the agency ctx acts for (its items and
// the registry's documents), best first, at most 1000: the text box of
// the procedure and document directories, which filter and page
// themselves. They are the first 1000 of Search's order for the same
// text, bounded as it is: ranking every hit of a few common words by
// bm25 took half a second at 100,000 items, thirty times the search
// page's answer to the same words.
func (ix *Index) SearchIDs(ctx context.Context, text string, kind content.Kind, now time.Time) ([]int64, error) {
	p := parse(text)
	if len(p.Terms) == 0 {
		return nil, nil
	}
	done, err := ix.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	ids, _, err := ix.page(ctx, Query{Text: text, Kind: kind, Now: now, Limit: maxIDs}, p, &Result{})
	return ids, err
}
