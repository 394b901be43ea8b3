package site

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/locale"
	"cchc/internal/search"
	"cchc/internal/store"
	"cchc/internal/web"
)

const (
	// searchPageSize is the number of hits on one results page: fewer
	// than a list page, since each hit carries a snippet.
	searchPageSize = 10
	// searchFeedSize is the most entries in a search feed (fewer when
	// --feed-entries says so): a search costs more than a list.
	searchFeedSize = 30
	// searchPath is the results page.
	searchPath = "/tim-kiem"
)

// SearchPage is the search form and, for a query, one page of results.
type SearchPage struct {
	Layout
	// Query is the query as understood, kept in the search box.
	Query string
	// Result is nil when nothing was asked.
	Result *search.Result
	Pager  Pager
	// Start is the number of the first hit on the page, for the list.
	Start               int
	Kinds, Areas, Years []FacetLink
	// Filtered is set when a filter is on; ClearURL is the same query
	// without filters.
	Filtered bool
	ClearURL string
	// SearchFeeds subscribe to the search, one link a format (Layout's
	// Feeds are the column's).
	SearchFeeds []FeedLink
}

// FormAction is where the search box sends its query: this column's
// results page (the province's page has its own).
func (SearchPage) FormAction() string { return searchPath }

// FormInputID is the search box's id, apart from the header's box.
func (SearchPage) FormInputID() string { return "q-trang" }

// FacetLink is one choice of a filter on the results page.
type FacetLink struct {
	Label    string
	Count    int
	URL      string // chooses the value, or drops it when Selected
	Selected bool
	// Approximate is set when Count is an estimate (search.Result's).
	Approximate bool
}

// FacetGroup is one filter of the results page with its choices.
type FacetGroup struct {
	Title string
	Links []FacetLink
}

// FacetGroups lists the filters that have choices, in the order shown.
func (p SearchPage) FacetGroups() []FacetGroup {
	var out []FacetGroup
	for _, g := range []FacetGroup{{locale.T("site.search.facet.kind"), p.Kinds}, {locale.T("site.areas.title"), p.Areas}, {locale.T("site.search.facet.year"), p.Years}} {
		if len(g.Links) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// searchParams are the query parameters of a search; values that make no
// sense are dropped rather than refused, so any link still answers.
type searchParams struct {
	q    string
	kind content.Kind
	area string // the plan code, what the index holds
	// areaSlug is the area's public name, what links carry.
	areaSlug string
	year     int
}

func readSearchParams(c *gin.Context, areas []content.Area) searchParams {
	p := searchParams{q: search.Clean(c.Query("q"))}
	if k, ok := content.ParseKind(c.Query("loai")); ok {
		p.kind = k
	}
	// The area by its slug, or by the plan code links used before.
	if a, _, ok := areaByParam(areas, c.Query("chu-de")); ok {
		p.area, p.areaSlug = a.ID, a.URLSlug()
	}
	if y, err := strconv.Atoi(c.Query("nam")); err == nil && y >= 1900 && y <= 2100 {
		p.year = y
	}
	return p
}

// url is the address of path with these parameters (page 1), the query
// first.
func (p searchParams) url(path string) string {
	u := path + "?q=" + url.QueryEscape(p.q)
	if p.kind != "" {
		u += "&loai=" + string(p.kind)
	}
	if p.area != "" {
		u += "&chu-de=" + url.QueryEscape(p.areaSlug)
	}
	if p.year != 0 {
		u += "&nam=" + strconv.Itoa(p.year)
	}
	return u
}

func (p searchParams) query(now time.Time) search.Query {
	return search.Query{Text: p.q, Kind: p.kind, Area: p.area, Year: p.year, Now: now}
}

// registerSearch adds the results page and the search feeds to r.
func (s *Site) registerSearch(r gin.IRoutes, h func(web.HandlerFunc) gin.HandlerFunc) {
	r.GET(searchPath, h(s.searchPage))
	for _, f := range feed.Formats {
		r.GET(searchPath+"/"+f.FileName(), h(s.searchFeed(f)))
	}
}

// searchChannel is the feed of the search p: under /tim-kiem, with the
// same parameters as its results page.
func searchChannel(p searchParams) feed.Channel {
	page := p.url(searchPath)
	return feed.Channel{
		Title:       locale.T("site.feed.title", locale.T("site.search.feed", p.q), columnTitle()),
		Description: locale.T("site.search.feed.description", p.q),
		Page:        page,
		Dir:         searchPath,
		Query:       strings.TrimPrefix(page, searchPath),
	}
}

// searchFeedLinks are the feeds of the search p, one a format.
func searchFeedLinks(p searchParams) []FeedLink {
	ch := searchChannel(p)
	out := make([]FeedLink, 0, len(feed.Formats))
	for _, f := range feed.Formats {
		out = append(out, FeedLink{Title: locale.T("site.search.feed.link", p.q, f.Label()), URL: ch.URL(f), Type: f.MediaType(), Label: f.Label()})
	}
	return out
}

// searchPage is the search form and, for a query, one page of results
// with their filters.
func (s *Site) searchPage(c *gin.Context) error {
	ctx := c.Request.Context()
	// Search stays on the origin (no mirror holds it): its pages stay
	// ?trang=N.
	n, err := web.PageNumber(c)
	if err != nil {
		return err
	}
	lay := s.layout(ctx, searchPath, locale.T("site.search.title"), locale.T("site.search.description"), "tim-kiem", Crumb{Title: locale.T("site.search.title")})
	// Results are not pages of their own for search engines.
	lay.Canonical = ""
	p := readSearchParams(c, lay.Areas)
	page := SearchPage{Query: p.q}
	if p.q == "" {
		page.Layout = lay
		return s.render(c, "search", page)
	}
	now := s.now()
	q := p.query(now)
	q.Limit, q.Offset = searchPageSize, (n-1)*searchPageSize
	res, err := s.index.Search(ctx, q)
	if err != nil {
		return err
	}
	hits := make([]*store.Item, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = h.Item
	}
	if err := s.store.FillValidity(ctx, hits, now); err != nil {
		return err
	}
	page.Result = res
	page.Pager = Pager{Page: n, Pages: max(1, (res.Total+searchPageSize-1)/searchPageSize), Total: res.Total, Base: p.url(searchPath)}
	if n > page.Pager.Pages {
		return s.notFound()
	}
	page.Start = (n-1)*searchPageSize + 1
	page.facets(p, lay.Areas)
	page.SearchFeeds = searchFeedLinks(p)
	lay.Title = locale.T("site.search.results_title", p.q)
	if n > 1 {
		lay.Title = locale.T("site.search.results_title_page", p.q, n)
	}
	lay.Path = page.Pager.URL(n)
	page.Layout = lay
	return s.render(c, "search", page)
}

// facets turns the result's counts into links that choose or drop each
// filter, keeping the others.
func (page *SearchPage) facets(p searchParams, areas []content.Area) {
	res := page.Result
	page.Filtered = p.kind != "" || p.area != "" || p.year != 0
	page.ClearURL = searchParams{q: p.q}.url(searchPath)
	link := func(label string, count int, selected bool, with searchParams) FacetLink {
		return FacetLink{Label: label, Count: count, URL: with.url(searchPath), Selected: selected, Approximate: res.Approximate && count > 0}
	}
	found := false
	for _, f := range res.Kinds {
		k := content.Kind(f.Value)
		with := p
		with.kind = k
		if k == p.kind {
			with.kind, found = "", true
		}
		page.Kinds = append(page.Kinds, link(k.SectionTitle(), f.Count, k == p.kind, with))
	}
	if p.kind != "" && !found {
		with := p
		with.kind = ""
		page.Kinds = append(page.Kinds, link(p.kind.SectionTitle(), 0, true, with))
	}
	found = false
	for _, f := range res.Areas {
		a, _, ok := areaByParam(areas, f.Value)
		if !ok { // an area no plan defines any more: not offered
			continue
		}
		with := p
		with.area, with.areaSlug = a.ID, a.URLSlug()
		if a.ID == p.area {
			with.area, with.areaSlug, found = "", "", true
		}
		page.Areas = append(page.Areas, link(a.Title, f.Count, a.ID == p.area, with))
	}
	if p.area != "" && !found {
		with := p
		with.area, with.areaSlug = "", ""
		label := p.area
		if a, _, ok := areaByParam(areas, p.area); ok {
			label = a.Title
		}
		page.Areas = append(page.Areas, link(label, 0, true, with))
	}
	found = false
	for _, f := range res.Years {
		y, _ := strconv.Atoi(f.Value)
		with := p
		with.year = y
		if y == p.year {
			with.year, found = 0, true
		}
		page.Years = append(page.Years, link(f.Value, f.Count, y == p.year, with))
	}
	if p.year != 0 && !found {
		with := p
		with.year = 0
		page.Years = append(page.Years, link(strconv.Itoa(p.year), 0, true, with))
	}
}

// searchFeed serves a search in format f, newest first, so that a citizen
// can follow it: built by feed.Build like every other feed of the column.
func (s *Site) searchFeed(f feed.Format) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		areas, err := s.planAreas(ctx)
		if err != nil {
			return err
		}
		p := readSearchParams(c, areas)
		q := p.query(s.now())
		q.Newest, q.Limit = true, min(s.feedEntries, searchFeedSize)
		res, err := s.index.Search(ctx, q)
		if err != nil {
			return err
		}
		items := make([]*store.Item, len(res.Hits))
		for i, h := range res.Hits {
			items[i] = h.Item
		}
		return s.writeFeed(c, searchChannel(p), items, f, areas)
	}
}
