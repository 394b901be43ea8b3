package site

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/locale"
	"cchc/internal/search"
	"cchc/internal/store"
	"cchc/internal/web"
)

// The province's view for citizens (issue 20, point 6): one search and
// one feed across every agency's column, each result labelled with its
// agency and linking to the item in that agency's own column. They live
// under their own first segment, /toan-tinh (reserved in agency.Reserved,
// so no agency may take it as its prefix): the same addresses whichever
// column's page links to them, and outside every column's /tim-kiem,
// whose answers stay that column's.
const (
	// provincePath is the first segment of the province's pages.
	provincePath = "/toan-tinh"
	// provinceSearchPath is the province-wide results page.
	provinceSearchPath = provincePath + searchPath
	// agencyParam chooses one agency on the province-wide results page.
	agencyParam = "co-quan"
)

// registerProvince adds the province-wide search, its feeds and the
// province-wide feeds (/toan-tinh/rss.xml, atom.xml, feed.json) to r.
func (s *Site) registerProvince(r gin.IRoutes, h func(web.HandlerFunc) gin.HandlerFunc) {
	r.GET(provinceSearchPath, h(s.provinceSearch))
	for _, f := range feed.Formats {
		r.GET(provincePath+"/"+f.FileName(), h(s.provinceFeed(f)))
		r.GET(provinceSearchPath+"/"+f.FileName(), h(s.provinceSearchFeed(f)))
	}
}

// columns are the agencies of the instance with where their columns
// answer, read once per request (a handful of rows).
type columns struct {
	list []agency.Agency
	byID map[int64]*agency.Agency
	// scheme starts a host agency's absolute links: the public base's.
	scheme string
	base   string // the public base, without a trailing slash
}

func (s *Site) columns(ctx context.Context) (*columns, error) {
	list, err := s.store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	cs := &columns{list: list, byID: make(map[int64]*agency.Agency, len(list)), scheme: "https", base: s.publicBase}
	if u, err := url.Parse(s.publicBase); err == nil && u.Scheme != "" {
		cs.scheme = u.Scheme
	}
	for i := range list {
		cs.byID[list[i].ID] = &list[i]
	}
	return cs, nil
}

// ids lists every agency's id, the scope of a province-wide search.
func (cs *columns) ids() []int64 {
	out := make([]int64, len(cs.list))
	for i, a := range cs.list {
		out[i] = a.ID
	}
	return out
}

// bySlug is the agency slug names, if any.
func (cs *columns) bySlug(slug string) (*agency.Agency, bool) {
	for i := range cs.list {
		if cs.list[i].Slug == slug {
			return &cs.list[i], true
		}
	}
	return nil, false
}

// link is the address of path in the column of agency id, as a page of
// this site links to it: the root column's path as it is, a prefixed
// column's under its prefix, a column with its own host absolute on that
// host. An agency that is gone links as the root column.
func (cs *columns) link(id int64, path string) string {
	a := cs.byID[id]
	switch {
	case a == nil || a.IsRoot():
		return path
	case a.Host != "":
		return cs.scheme + "://" + a.Host + path
	}
	return a.Prefix + path
}

// absolute is link made absolute under the public base, for feeds.
func (cs *columns) absolute(id int64, path string) string {
	l := cs.link(id, path)
	if strings.HasPrefix(l, "/") {
		return cs.base + l
	}
	return l
}

// label is the short name of agency id ("" for one that is gone).
func (cs *columns) label(id int64) string {
	if a := cs.byID[id]; a != nil {
		return a.ShortName
	}
	return ""
}

// ProvinceHit is one result of a province-wide search: the hit, its
// agency's short name and its address in that agency's column.
type ProvinceHit struct {
	search.Hit
	AgencyLabel string
	URL         string
}

// ProvinceSearchPage is the province-wide search form and results: the
// column's search page with each hit labelled, and a choice of agency.
type ProvinceSearchPage struct {
	SearchPage
	Hits []ProvinceHit
	// Agencies choose one agency's results (or drop the choice).
	Agencies []FacetLink
	// Agency is the chosen agency's short name, "" for all.
	Agency string
}

// FormAction is where the search box sends its query: the
// province-wide results page.
func (ProvinceSearchPage) FormAction() string { return provinceSearchPath }

// FormInputID is the search box's id, apart from the header's box.
func (ProvinceSearchPage) FormInputID() string { return "q-toan-tinh" }

// provinceParams are a province-wide search's parameters: the column's
// (no content area: each agency's plan has its own) and the agency
// chosen.
type provinceParams struct {
	searchParams
	agency string // slug; "" for every agency
}

func (p provinceParams) url(path string) string {
	u := p.searchParams.url(path)
	if p.agency != "" {
		u += "&" + agencyParam + "=" + url.QueryEscape(p.agency)
	}
	return u
}

// readProvinceParams reads the parameters; an agency that is not one is
// dropped, as the column's filters drop what makes no sense.
func readProvinceParams(c *gin.Context, cs *columns) (provinceParams, []int64) {
	p := provinceParams{searchParams: readSearchParams(c, nil)}
	if a, ok := cs.bySlug(c.Query(agencyParam)); ok {
		p.agency = a.Slug
		return p, []int64{a.ID}
	}
	return p, cs.ids()
}

// provinceChannel is the feed of the province-wide search p.
func provinceChannel(p provinceParams) feed.Channel {
	page := p.url(provinceSearchPath)
	return feed.Channel{
		Title:       locale.T("site.feed.title", locale.T("site.search.feed", p.q), locale.T("site.province.title")),
		Description: locale.T("site.province.search.feed.description", p.q),
		Page:        page,
		Dir:         provinceSearchPath,
		Query:       strings.TrimPrefix(page, provinceSearchPath),
	}
}

// provinceSearch is the province-wide search form and, for a query, one
// page of results across every agency's column.
func (s *Site) provinceSearch(c *gin.Context) error {
	ctx := c.Request.Context()
	n, err := web.PageNumber(c)
	if err != nil {
		return err
	}
	cs, err := s.columns(ctx)
	if err != nil {
		return err
	}
	lay := s.layout(ctx, provinceSearchPath, locale.T("site.province.search.title"), locale.T("site.province.search.description"), "tim-kiem",
		Crumb{Title: locale.T("site.province.search.title")})
	lay.Canonical = ""
	lay.Feeds = provinceFeedLinks()
	p, scope := readProvinceParams(c, cs)
	page := ProvinceSearchPage{SearchPage: SearchPage{Query: p.q}}
	for _, a := range cs.list {
		with := p
		with.agency = a.Slug
		if a.Slug == p.agency {
			with.agency = ""
			page.Agency = a.ShortName
		}
		page.Agencies = append(page.Agencies, FacetLink{Label: a.ShortName, URL: with.url(provinceSearchPath), Selected: a.Slug == p.agency})
	}
	if p.q == "" {
		page.Layout = lay
		return s.render(c, "province-search", page)
	}
	now := s.now()
	q := p.query(now)
	q.Agencies = scope
	q.Limit, q.Offset = searchPageSize, (n-1)*searchPageSize
	res, err := s.index.Search(ctx, q)
	if err != nil {
		return err
	}
	items := make([]*store.Item, len(res.Hits))
	for i, h := range res.Hits {
		items[i] = h.Item
	}
	if err := s.store.FillValidity(ctx, items, now); err != nil {
		return err
	}
	for _, h := range res.Hits {
		page.Hits = append(page.Hits, ProvinceHit{Hit: h, AgencyLabel: cs.label(h.Agency), URL: cs.link(h.Agency, h.Item.URL())})
	}
	page.Result = res
	page.Pager = Pager{Page: n, Pages: max(1, (res.Total+searchPageSize-1)/searchPageSize), Total: res.Total, Base: p.url(provinceSearchPath)}
	if n > page.Pager.Pages {
		return s.notFound()
	}
	page.Start = (n-1)*searchPageSize + 1
	page.provinceFacets(p)
	ch := provinceChannel(p)
	for _, f := range feed.Formats {
		page.SearchFeeds = append(page.SearchFeeds, FeedLink{Title: locale.T("site.search.feed.link", p.q, f.Label()), URL: ch.URL(f), Type: f.MediaType(), Label: f.Label()})
	}
	lay.Title = locale.T("site.province.search.results_title", p.q)
	if n > 1 {
		lay.Title = locale.T("site.province.search.results_title_page", p.q, n)
	}
	lay.Path = page.Pager.URL(n)
	page.Layout = lay
	return s.render(c, "province-search", page)
}

// provinceFacets are the kind and year choices of the results, as the
// column's search page makes them, under the province's address.
func (page *ProvinceSearchPage) provinceFacets(p provinceParams) {
	res := page.Result
	page.Filtered = p.kind != "" || p.year != 0 || p.agency != ""
	page.ClearURL = provinceParams{searchParams: searchParams{q: p.q}}.url(provinceSearchPath)
	link := func(label string, count int, selected bool, with provinceParams) FacetLink {
		return FacetLink{Label: label, Count: count, URL: with.url(provinceSearchPath), Selected: selected, Approximate: res.Approximate && count > 0}
	}
	for _, f := range res.Kinds {
		with := p
		with.kind = content.Kind(f.Value)
		if with.kind == p.kind {
			with.kind = ""
		}
		page.Kinds = append(page.Kinds, link(content.Kind(f.Value).SectionTitle(), f.Count, content.Kind(f.Value) == p.kind, with))
	}
	for _, f := range res.Years {
		with := p
		with.year = year(f.Value)
		if with.year == p.year {
			with.year = 0
		}
		page.Years = append(page.Years, link(f.Value, f.Count, year(f.Value) == p.year, with))
	}
}

// provinceFeedLinks are the province-wide feeds, one a format.
func provinceFeedLinks() []FeedLink {
	ch := provinceFeedChannel()
	out := make([]FeedLink, 0, len(feed.Formats))
	for _, f := range feed.Formats {
		out = append(out, FeedLink{Title: ch.Title + " (" + f.Label() + ")", URL: ch.URL(f), Type: f.MediaType(), Label: f.Label()})
	}
	return out
}

func provinceFeedChannel() feed.Channel {
	return feed.Channel{
		Title:       locale.T("site.province.title"),
		Description: locale.T("site.province.feed.description"),
		Page:        provinceSearchPath,
		Dir:         provincePath,
	}
}

// provinceFeed serves the newest public items of every agency's column
// in format f, each entry labelled with its agency and linking into its
// column.
func (s *Site) provinceFeed(f feed.Format) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		cs, err := s.columns(ctx)
		if err != nil {
			return err
		}
		hits, err := s.index.Newest(ctx, search.Query{Agencies: cs.ids(), Now: s.now(), Limit: s.feedEntries})
		if err != nil {
			return err
		}
		return s.writeProvinceFeed(c, cs, provinceFeedChannel(), hits, f)
	}
}

// provinceSearchFeed serves a province-wide search in format f, newest
// first.
func (s *Site) provinceSearchFeed(f feed.Format) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		cs, err := s.columns(ctx)
		if err != nil {
			return err
		}
		p, scope := readProvinceParams(c, cs)
		q := p.query(s.now())
		q.Agencies, q.Newest, q.Limit = scope, true, min(s.feedEntries, searchFeedSize)
		res, err := s.index.Search(ctx, q)
		if err != nil {
			return err
		}
		return s.writeProvinceFeed(c, cs, provinceChannel(p), res.Hits, f)
	}
}

// writeProvinceFeed sends hits as the channel's feed: each entry's link
// in its agency's column, its agency its first category. Content areas
// are each agency's plan's, so entries carry none.
func (s *Site) writeProvinceFeed(c *gin.Context, cs *columns, ch feed.Channel, hits []search.Hit, f feed.Format) error {
	ctx := c.Request.Context()
	items := make([]*store.Item, len(hits))
	owner := make(map[*store.Item]int64, len(hits))
	for i, h := range hits {
		items[i] = h.Item
		owner[h.Item] = h.Agency
	}
	o := s.feedOptions(ctx, nil)
	o.Link = func(it *store.Item) string { return cs.absolute(owner[it], it.URL()) }
	o.Agency = func(it *store.Item) (feed.Source, bool) {
		a := cs.byID[owner[it]]
		if a == nil {
			return feed.Source{}, false
		}
		return feed.Source{Slug: a.Slug, ShortName: a.ShortName, Name: a.Name}, true
	}
	body, err := feed.Build(ch, items, f, o)
	if err != nil {
		return err
	}
	web.SetLastModified(c, feed.Updated(items))
	c.Data(http.StatusOK, f.ContentType(), body)
	return nil
}

// year is a year facet's value as a number.
func year(v string) int {
	y, _ := strconv.Atoi(v)
	return y
}
