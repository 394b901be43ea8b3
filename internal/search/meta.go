package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"cchc/internal/content"
	"cchc/internal/store"
)

// metaTable is search_meta in memory: what filters, facets and the
// newest-first order need of every indexed item, in a slice indexed by
// item id (24 bytes an item with padding, the agency included: about
// 2.4 MB at 100,000 items), so that a query matching most of the column is filtered and counted with array
// reads, no map and no string.
type metaTable struct {
	version int64
	rows    []meta  // by item id; kind 0: not indexed
	ids     []int64 // the indexed ids, ascending
	// areaSets are the distinct sets of content areas items have, as
	// indexes into areaNames; meta.areas indexes areaSets.
	areaSets  [][]uint16
	areaNames []string
	areaIndex map[string]uint16
	// agencies counts the indexed items of each agency, by agency id: a
	// filter that every indexed item passes is no filter (see scope).
	agencies map[uint32]int
}

// meta is one indexed item's row.
type meta struct {
	published int64  // unix seconds
	year      int32  // the year the year filter sees
	areas     uint32 // index into metaTable.areaSets
	agency    uint32 // the agency owning the item
	kind      uint8  // kindIndex; 0 when the id is not indexed
}

// kindOrder lists the kinds in the order facets show them; kindIndex of
// a kind is its position + 1.
var kindOrder = []content.Kind{content.Article, content.Procedure, content.Document, content.Activity}

func kindIndex(k string) uint8 {
	for i, kk := range kindOrder {
		if string(kk) == k {
			return uint8(i + 1)
		}
	}
	return 0
}

// newMetaTable builds the table from the rows of search_meta.
func newMetaTable(version int64, rows []store.SearchMeta) (*metaTable, error) {
	t := &metaTable{version: version, areaIndex: map[string]uint16{}, agencies: map[uint32]int{}}
	maxID := int64(0)
	for _, r := range rows {
		if r.ID <= 0 {
			return nil, fmt.Errorf("search: search_meta: item id %d", r.ID)
		}
		if r.AgencyID <= 0 || r.AgencyID > math.MaxUint32 {
			return nil, fmt.Errorf("search: search_meta: item %d: agency id %d", r.ID, r.AgencyID)
		}
		maxID = max(maxID, r.ID)
	}
	t.rows = make([]meta, maxID+1)
	sets := map[string]uint32{}
	for _, r := range rows {
		k := kindIndex(r.Kind)
		if k == 0 {
			continue // a kind this version does not know: not searchable
		}
		set, ok := sets[r.Areas]
		if !ok {
			var idx []uint16
			for _, a := range strings.Fields(r.Areas) {
				i, ok := t.areaIndex[a]
				if !ok {
					i = uint16(len(t.areaNames))
					t.areaIndex[a] = i
					t.areaNames = append(t.areaNames, a)
				}
				idx = append(idx, i)
			}
			set = uint32(len(t.areaSets))
			sets[r.Areas] = set
			t.areaSets = append(t.areaSets, idx)
		}
		t.rows[r.ID] = meta{published: r.Published, year: int32(r.Year), areas: set, agency: uint32(r.AgencyID), kind: k}
		t.agencies[uint32(r.AgencyID)]++
	}
	for id, m := range t.rows {
		if m.kind != 0 {
			t.ids = append(t.ids, int64(id))
		}
	}
	return t, nil
}

// get returns the row of id and whether id is indexed.
func (t *metaTable) get(id int64) (meta, bool) {
	if id <= 0 || id >= int64(len(t.rows)) || t.rows[id].kind == 0 {
		return meta{}, false
	}
	return t.rows[id], true
}

// agencyOf is the agency owning id (0 when id is not indexed).
func (t *metaTable) agencyOf(id int64) int64 {
	if m, ok := t.get(id); ok {
		return int64(m.agency)
	}
	return 0
}

// countBetween is the number of indexed ids in [lo, hi].
func (t *metaTable) countBetween(lo, hi int64) int {
	i, _ := slices.BinarySearch(t.ids, lo)
	j, found := slices.BinarySearch(t.ids, hi)
	if found {
		j++
	}
	return max(0, j-i)
}

// strata splits the indexed ids into n ranges of (nearly) as many ids
// each, in order, covering them all.
func (t *metaTable) strata(n int) [][2]int64 {
	n = min(n, len(t.ids))
	out := make([][2]int64, 0, n)
	for s := range n {
		lo, hi := s*len(t.ids)/n, (s+1)*len(t.ids)/n-1
		out = append(out, [2]int64{t.ids[lo], t.ids[hi]})
	}
	return out
}

// filter is a Query's filters in the table's terms.
type filter struct {
	kind  uint8 // 0: any
	area  int   // index into areaNames; -1: any; -2: an area no item has
	year  int32 // 0: any
	now   int64 // only items public by then
	scope scope
	table *metaTable
}

// scope is whose items a search finds, in the table's terms.
type scope struct {
	// all is set when every indexed item is in scope: the other fields
	// are then not read, and the SQL gets no agency condition.
	all bool
	// own is the column's agency: its items and every agency's documents.
	own uint32
	// among, when own is 0, holds the agencies of a province-wide search.
	among map[uint32]bool
}

// has reports whether m is in the scope.
func (s scope) has(m meta) bool {
	switch {
	case s.all:
		return true
	case s.own != 0:
		return m.agency == s.own || m.kind == docKind
	}
	return s.among[m.agency]
}

// docKind is kindIndex(content.Document).
var docKind = kindIndex(string(content.Document))

// scopeOf is the scope of a search for the column of agency own, or,
// when among is not empty, across the agencies it lists. A scope every
// indexed item is in is all: a column that is the only one with items
// searches as before there were agencies.
func (t *metaTable) scopeOf(own int64, among []int64) scope {
	if len(among) > 0 {
		s := scope{among: make(map[uint32]bool, len(among))}
		for _, id := range among {
			if id > 0 && id <= math.MaxUint32 {
				s.among[uint32(id)] = true
			}
		}
		s.all = true
		for a := range t.agencies {
			if !s.among[a] {
				s.all = false
			}
		}
		return s
	}
	s := scope{own: uint32(min(max(own, 0), math.MaxUint32))}
	_, mine := t.agencies[s.own]
	s.all = len(t.agencies) == 0 || len(t.agencies) == 1 && mine
	return s
}

// rank is the scope as the store's ranked queries take it.
func (s scope) rank(q *store.SearchRank) {
	switch {
	case s.all:
	case s.own != 0:
		q.Agency = int64(s.own)
	default:
		q.Agencies = make([]int64, 0, len(s.among))
		for a := range s.among {
			q.Agencies = append(q.Agencies, int64(a))
		}
		slices.Sort(q.Agencies)
		if len(q.Agencies) == 0 {
			q.Agencies = []int64{0} // no agency: matches nothing
		}
	}
}

func (t *metaTable) filter(q Query, own int64) filter {
	f := filter{area: -1, year: int32(q.Year), now: q.Now.Unix(), scope: t.scopeOf(own, q.Agencies), table: t}
	if q.Kind != "" {
		f.kind = kindIndex(string(q.Kind))
		if f.kind == 0 {
			f.kind = 255 // matches nothing
		}
	}
	if q.Area != "" {
		f.area = -2
		if i, ok := t.areaIndex[q.Area]; ok {
			f.area = int(i)
		}
	}
	return f
}

// hasArea reports whether m is in area a (an index).
func (t *metaTable) hasArea(m meta, a int) bool {
	for _, i := range t.areaSets[m.areas] {
		if int(i) == a {
			return true
		}
	}
	return false
}

// passes reports whether m passes f, leaving out the filter named skip
// ("kind", "area", "year") so that facets count without their own filter.
// Publication time always applies.
func (f filter) passes(m meta, skip string) bool {
	return m.published <= f.now && f.scope.has(m) &&
		(skip == "kind" || f.kind == 0 || m.kind == f.kind) &&
		(skip == "area" || f.area == -1 || (f.area >= 0 && f.table.hasArea(m, f.area))) &&
		(skip == "year" || f.year == 0 || m.year == f.year)
}

// newer orders ids newest first (then the higher id first), as the
// newest-first order of feeds and of the hits past the ranked ones.
func (t *metaTable) newer(a, b int64) int {
	return cmp.Or(cmp.Compare(t.rows[b].published, t.rows[a].published), cmp.Compare(b, a))
}

// newest returns the first k of ids newest first. A page is small next to
// thousands of hits, so for a small k the ids are kept sorted as they
// come instead of sorting them all.
func (t *metaTable) newest(ids []int64, k int) []int64 {
	if k <= 0 {
		return nil
	}
	if k >= len(ids)/4 || k > 256 {
		out := slices.Clone(ids)
		slices.SortFunc(out, t.newer)
		return out[:min(k, len(out))]
	}
	best := make([]int64, 0, k)
	for _, id := range ids {
		if len(best) == k && t.newer(id, best[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, id, t.newer)
		if len(best) < k {
			best = append(best, 0)
		}
		copy(best[i+1:], best[i:len(best)-1])
		best[i] = id
	}
	return best
}

// loadMetas returns the table current as of the site version, loading it
// again when any process changed public content since.
func (ix *Index) loadMetas(ctx context.Context) (*metaTable, error) {
	v, err := ix.store.SiteVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.table != nil && ix.table.version == v {
		return ix.table, nil
	}
	// The version is read again in the snapshot the rows come from, so
	// the table is never newer or older than the version it is kept under.
	v, rows, err := ix.store.SearchMetas(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	t, err := newMetaTable(v, rows)
	if err != nil {
		return nil, err
	}
	ix.table = t
	return t, nil
}
