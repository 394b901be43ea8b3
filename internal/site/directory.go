package site

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/search"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// Filter is one dimension of a directory with its choices.
type Filter struct {
	Param   string // query parameter
	Label   string
	Value   string // chosen value, "" for all
	Choices []store.Facet
	Total   int // items matching with this dimension left open
}

// ActiveFilter is a chosen filter with the URL that removes it.
type ActiveFilter struct {
	Label, Value, RemoveURL string
}

// DirectoryPage is the procedures or documents directory.
type DirectoryPage struct {
	Layout
	Kind    content.Kind
	Query   string
	Sort    string
	Filters []Filter
	Active  []ActiveFilter
	Items   []*store.Item
	Pager   Pager
	// NumberMatch is set when the query was read as a document number.
	NumberMatch string

	section string
	params  url.Values
}

// SortURL is the current address with sort order sort, from page 1.
func (p DirectoryPage) SortURL(sort string) string {
	v := cloneValues(p.params)
	v.Del("sap-xep")
	if sort != "" {
		v.Set("sap-xep", sort)
	}
	return withQuery(p.section, v)
}

// dimension ties a query parameter to a store dimension.
type dimension struct {
	param, label, dim string
	set               func(q *store.DirectoryQuery, v string) bool
}

var procedureDims = []dimension{
	{"linh-vuc", locale.T("field.field"), store.DimField, func(q *store.DirectoryQuery, v string) bool { q.Field = v; return true }},
	{"cap", locale.T("field.level"), store.DimLevel, func(q *store.DirectoryQuery, v string) bool { q.Level = v; return true }},
	{"truc-tuyen", locale.T("field.online"), store.DimOnline, func(q *store.DirectoryQuery, v string) bool { q.Online = v; return true }},
}

var documentDims = []dimension{
	{"loai", locale.T("field.type"), store.DimType, func(q *store.DirectoryQuery, v string) bool { q.Type = v; return true }},
	{"co-quan", locale.T("field.issuer"), store.DimIssuer, func(q *store.DirectoryQuery, v string) bool { q.Issuer = v; return true }},
	{"nam", locale.T("site.directory.year"), store.DimYear, func(q *store.DirectoryQuery, v string) bool {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 2200 {
			return false
		}
		q.Year = y
		return true
	}},
	{"hieu-luc", locale.T("field.validity"), store.DimValidity, func(q *store.DirectoryQuery, v string) bool { q.Validity = v; return true }},
}

// maxQuery bounds the search text a directory accepts.
const maxQuery = 200

func (s *Site) directory(k content.Kind) func(c *gin.Context) error {
	dims := procedureDims
	if k == content.Document {
		dims = documentDims
	}
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		path := k.Path()
		n, done, err := pageNumber(c, path)
		if done || err != nil {
			return err
		}
		// The generation of what is kept for every page (the counts, the
		// text's hits) before the clock: see PageCache.Generation.
		gen := s.pages.Generation()
		now := s.now()
		q := store.DirectoryQuery{Kind: k, Now: now, Limit: PageSize, Offset: (n - 1) * PageSize}
		page := DirectoryPage{Kind: k}
		params := url.Values{}
		for _, d := range dims {
			v := strings.TrimSpace(vntext.NFC(c.Query(d.param)))
			if v == "" {
				continue
			}
			if len(v) > maxQuery || vntext.ControlAt(v) >= 0 || !d.set(&q, v) {
				return web.BadRequest(locale.T("site.directory.bad_filter"))
			}
			params.Set(d.param, v)
		}
		switch sort := c.Query("sap-xep"); sort {
		case "", "ten", "moi":
			q.Sort, page.Sort = sort, sort
			if sort != "" {
				params.Set("sap-xep", sort)
			}
		default:
			return web.BadRequest(locale.T("site.directory.bad_sort"))
		}
		// As the search page reads its query: control characters out,
		// spaces single.
		if text := search.Clean(c.Query("q")); text != "" {
			if len([]rune(text)) > maxQuery {
				text = string([]rune(text)[:maxQuery])
			}
			page.Query = text
			params.Set("q", text)
			if err := s.applyText(ctx, &q, &page, text, now, gen); err != nil {
				return err
			}
		}
		items, total, err := s.store.Directory(ctx, q)
		if err != nil {
			return err
		}
		if err := s.store.FillValidity(ctx, items, q.Now); err != nil {
			return err
		}
		base := path
		if len(params) > 0 {
			base += "?" + params.Encode()
		}
		page.Items, page.Pager = items, newPager(n, total, base)
		page.section, page.params = path, params
		if n > page.Pager.Pages {
			return s.notFound()
		}
		choices, err := s.facets(ctx, q, dims, params, gen)
		if err != nil {
			return err
		}
		for i, d := range dims {
			f := Filter{Param: d.param, Label: d.label, Value: params.Get(d.param), Choices: choices[i]}
			for _, ch := range f.Choices {
				f.Total += ch.Count
			}
			page.Filters = append(page.Filters, f)
			if f.Value != "" {
				rest := cloneValues(params)
				rest.Del(d.param)
				page.Active = append(page.Active, ActiveFilter{Label: d.label, Value: f.Value, RemoveURL: withQuery(path, rest)})
			}
		}
		if page.Query != "" {
			rest := cloneValues(params)
			rest.Del("q")
			page.Active = append(page.Active, ActiveFilter{Label: locale.T("site.directory.keyword"), Value: page.Query, RemoveURL: withQuery(path, rest)})
		}
		title := k.SectionTitle()
		if n > 1 {
			title += " – trang " + itoa(n)
		}
		page.Layout = s.layout(ctx, page.Pager.URL(n), title, k.Info().Description, k.Section(), Crumb{Title: k.SectionTitle()})
		return s.render(c, k.Section(), page)
	}
}

// facets are the choices of each of dims for q, sorted, counted once for
// every page of a directory with the same filters and text: the counts
// do not depend on the page, and at 100,000 items they were most of each
// page's 0.2 s, so that a crawl of the directories' 1,400 pages cost
// minutes of work after every publication. They are kept with the page
// cache (Derived), dropped with its pages; a Site without one counts
// them each time. The slices are shared: read them only.
func (s *Site) facets(ctx context.Context, q store.DirectoryQuery, dims []dimension, params url.Values, gen uint64) ([][]store.Facet, error) {
	counted := cloneValues(params)
	counted.Del("sap-xep") // the order of the list, not what it holds
	return web.Derive(s.pages, derivedKey(ctx, "facets", q.Kind, counted.Encode()), gen, func() ([][]store.Facet, error) {
		out := make([][]store.Facet, len(dims))
		for i, d := range dims {
			choices, err := s.store.DirectoryFacets(ctx, q, d.dim)
			if err != nil {
				return nil, err
			}
			sortFacets(d.dim, choices)
			out[i] = choices
		}
		return out, nil
	})
}

// derivedKey is the key of a value a directory's pages share (facets,
// text): what it is, for the column of ctx, of kind, for rest.
func derivedKey(ctx context.Context, what string, k content.Kind, rest string) string {
	return what + "\x00" + strconv.FormatInt(agency.IDFrom(ctx), 10) + "\x00" + string(k) + "\x00" + rest
}

// applyText narrows q by the search box: a document number typed in any
// form is looked up by its key; other text goes to the search index.
func (s *Site) applyText(ctx context.Context, q *store.DirectoryQuery, page *DirectoryPage, text string, now time.Time, gen uint64) error {
	if q.Kind == content.Document {
		if key, ok := legalref.Key(text); ok {
			q.NumberGlob, page.NumberMatch = key, key
			return nil
		}
		if pattern, ok := legalref.Loose(text); ok {
			q.NumberGlob, page.NumberMatch = pattern, text
			return nil
		}
	}
	// The same for every page and filter of the directory: found once
	// and kept with the pages, as the facets are.
	ids, err := web.Derive(s.pages, derivedKey(ctx, "text", q.Kind, text), gen, func() ([]int64, error) {
		return s.index.SearchIDs(ctx, text, q.Kind, now)
	})
	if err != nil {
		return err
	}
	q.IDs, q.Restrict = ids, true
	return nil
}

func sortFacets(dim string, fs []store.Facet) {
	slices.SortFunc(fs, func(a, b store.Facet) int {
		if dim == store.DimYear {
			return strings.Compare(b.Value, a.Value)
		}
		return vntext.Compare(a.Value, b.Value)
	})
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
