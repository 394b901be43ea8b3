// Package site serves the public column: home, the three sections, the
// content-area pages and the error pages, one file per page.
package site

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/search"
	"cchc/internal/settings"
	"cchc/internal/store"
	"cchc/internal/theme"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// DefaultPublicBase starts absolute URLs when the Config names no
// address: the default --addr.
const DefaultPublicBase = "http://127.0.0.1:8080"

// PageSize is the number of items on one list page.
const PageSize = 20

// Site is the public side of the service.
type Site struct {
	store   *store.Store
	theme   *theme.Theme
	now     func() time.Time
	log     *slog.Logger
	baseURL string
	// publicBase starts every absolute URL of feeds, the sitemap,
	// robots.txt and /theo-doi; never taken from a request.
	publicBase string

	feedEntries, sitemapLimit int

	index    *search.Index
	pages    *web.PageCache
	schema   *content.Schema
	resolver *web.Columns
}

// Config is what a Site needs.
type Config struct {
	Store   *store.Store
	Theme   *theme.Theme
	Now     func() time.Time
	Log     *slog.Logger
	BaseURL string // e.g. https://skhcn.quangngai.gov.vn/cchc, without a trailing slash
	// PublicBase is where absolute URLs in feeds, the sitemap, robots.txt
	// and /theo-doi start (config.PublicBase): BaseURL when set, else
	// this, else DefaultPublicBase. The request's Host is never used: a
	// forged one would reach every reader through the page cache and a CDN.
	PublicBase string

	// FeedEntries is the number of entries in a feed (DefaultFeedEntries when 0).
	FeedEntries int
	// SitemapLimit is the most URLs in one sitemap file (DefaultSitemapLimit when 0).
	SitemapLimit int
	// Pages, when set, keeps finished public pages in memory.
	Pages *web.PageCache
	// Search is the service's one search index (app builds it): the
	// results page, the search feeds and the directories' text box all
	// ask it. Required.
	Search *search.Index
	// Schema is the field table, read for the items' JSON-LD
	// (content.DefaultSchema when nil).
	Schema *content.Schema
	// Columns, when set, says where another agency's item is linked
	// from this column (web.Columns.Href); nil links every item by its
	// path.
	Columns *web.Columns
}

// New returns a Site.
func New(cfg Config) *Site {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Schema == nil {
		cfg.Schema = content.DefaultSchema()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.FeedEntries <= 0 {
		cfg.FeedEntries = DefaultFeedEntries
	}
	if cfg.SitemapLimit <= 0 {
		cfg.SitemapLimit = DefaultSitemapLimit
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	public := base
	if public == "" {
		public = strings.TrimRight(cfg.PublicBase, "/")
	}
	if public == "" {
		public = DefaultPublicBase
	}
	return &Site{store: cfg.Store, theme: cfg.Theme, now: cfg.Now, log: cfg.Log, baseURL: base, publicBase: public,
		feedEntries: cfg.FeedEntries, sitemapLimit: cfg.SitemapLimit, pages: cfg.Pages,
		index: cfg.Search, schema: cfg.Schema, resolver: cfg.Columns}
}

// Register adds the public routes to e, behind conditional GET, caching
// headers and gzip (web.Cache), each answering HEAD as well as GET.
func (s *Site) Register(e *gin.Engine) {
	before := web.GETPaths(e)
	r := e.Group("", web.CachePages(web.DefaultCachePolicy, s.pages))
	defer web.AddHEAD(e, r, before)
	h := func(fn web.HandlerFunc) gin.HandlerFunc { return web.Wrap(s.log, s.RenderError, fn) }
	s.registerFiles(e) // stored files: their own caching, outside r
	r.GET("/", h(s.home))
	// Each list answers page N at …/trang/N/ too, the form a static
	// mirror holds; ?trang=N alone answers 301 to it (pageNumber).
	for path, fn := range map[string]web.HandlerFunc{
		content.Article.Path():   s.list(content.Article),
		content.Procedure.Path(): s.directory(content.Procedure),
		content.Document.Path():  s.directory(content.Document),
		// Only the activities an approver chose to show (store: public).
		content.Activity.Path(): s.list(content.Activity),
	} {
		r.GET(path, h(fn))
		r.GET(path+"trang/:n/", h(fn))
	}
	for _, k := range content.Kinds {
		r.GET(content.URL(k, ":slug"), h(s.item(k)))
	}
	r.GET("/chu-de/", h(s.areas))
	r.GET("/chu-de/:area", h(s.area))
	r.GET("/chu-de/:area/trang/:n/", h(s.area))
	s.registerSearch(r, h)
	s.registerProvince(r, h)
	r.GET("/assets/:name", s.asset)
	r.GET("/theo-doi", h(s.follow))
	r.GET("/sitemap.xml", h(s.sitemap))
	r.GET("/sitemap-:n", h(s.sitemapPart))
	r.GET("/robots.txt", h(s.robots))
	s.registerFeeds(r, h)
}

// Layout is what every page's frame needs.
type Layout struct {
	Title       string
	Description string
	Path        string
	Canonical   string
	Section     string // active top-level section, for the menu
	Breadcrumbs []Crumb
	Areas       []content.Area
	Year        int
	Feeds       []FeedLink // announced with <link rel="alternate">
	SEO         SEO        // OpenGraph, Dublin Core and JSON-LD beyond title and description
	// Settings are the site's settings: the one-stop desk's contact and the
	// unit responsible for the content (footer, procedure pages), the
	// provincial portal and the emblem. Empty values are not shown.
	Settings settings.Settings
	// Agency is the agency whose column the page belongs to, nil for the
	// root column (whose names are the catalogue's): see ColumnTitle,
	// OrgName, HeaderName.
	Agency *agency.Agency
	// Preview is set on the workspace's preview of a page (PreviewItem):
	// not indexed, and a banner says so unless its links are empty (the
	// phone view's frame).
	Preview *Preview
}

// Crumb is one step of the breadcrumbs.
type Crumb struct {
	Title string
	URL   string
}

// layout fills the frame shared by every page.
func (s *Site) layout(ctx context.Context, path, title, description, section string, crumbs ...Crumb) Layout {
	areas, err := s.planAreas(ctx)
	if err != nil {
		s.log.Warn("plan areas", slog.Any("err", err))
	}
	var set settings.Settings
	if cur, err := s.store.Settings(ctx); err != nil {
		// A page without the footer's contact beats no page (a damaged
		// database still serves what it can read).
		s.log.Warn("site settings", slog.Any("err", err))
	} else {
		set = cur.Settings
	}
	own := columnAgency(ctx)
	return Layout{
		Title: title, Description: ownText(own, description), Path: path, Canonical: s.canonical(ctx, path),
		Section: section, Breadcrumbs: crumbs, Areas: areas, Year: s.now().In(vntext.Zone).Year(),
		Feeds: s.feedLinks(ctx, section, nil), Settings: set, Agency: own,
	}
}

// canonical is the absolute URL of path (a root-column path) for a page
// of the column ctx addressed, or "" when no --base-url is set (a
// relative canonical link would be wrong). The column's own pages get it
// moved into the column by the rewriter, except those of an agency with
// a host too, addressed under its prefix: they name the host
// (web.Columns.Canonical).
func (s *Site) canonical(ctx context.Context, path string) string {
	if s.baseURL == "" {
		return ""
	}
	id := agency.Root
	if a := columnAgency(ctx); a != nil {
		id = a.ID
	}
	if u, ok := s.resolver.Canonical(ctx, id, path); ok {
		return u
	}
	return s.baseURL + path
}

// planAreas lists the content areas of every plan, newest plan's titles
// first, in the plan's order.
func (s *Site) planAreas(ctx context.Context) ([]content.Area, error) {
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	var out []content.Area
	seen := map[string]bool{}
	slugs := map[string]bool{}
	for _, p := range plans {
		for _, a := range p.Areas {
			if seen[a.ID] {
				continue
			}
			seen[a.ID] = true
			// Each plan checks its own slugs; two years' plans may still
			// give two areas one title: the later one's address takes its
			// code too, so that each address names one area.
			if slugs[a.URLSlug()] {
				a.Slug = a.URLSlug() + "-" + vntext.Slug(a.ID)
			}
			slugs[a.URLSlug()] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// areaByParam finds the area a /chu-de/ address names: by its slug, or
// (moved is true) by its plan code, the address areas had before they had
// slugs, which now answers with a redirect.
func areaByParam(areas []content.Area, param string) (a content.Area, moved, ok bool) {
	for _, a := range areas {
		if a.URLSlug() == param {
			return a, false, true
		}
	}
	for _, a := range areas {
		if a.ID == param {
			return a, true, true
		}
	}
	return content.Area{}, false, false
}

// redirect answers 301 to path, keeping the request's query.
func redirect(c *gin.Context, path string) {
	if q := c.Request.URL.RawQuery; q != "" {
		path += "?" + q
	}
	c.Redirect(http.StatusMovedPermanently, path)
}

// RenderError writes the public error page; it is the web.ErrorRenderer
// of the public site.
func (s *Site) RenderError(c *gin.Context, status int, message string) {
	web.ErrorPage{Side: web.Public, Status: status, Message: message}.Send(c, s.log, s.errorFrame)
}

// errorFrame draws p in the public frame, without a canonical link.
func (s *Site) errorFrame(c *gin.Context, p web.ErrorPage) ([]byte, error) {
	lay := s.layout(c.Request.Context(), c.Request.URL.Path, p.Heading(), "", "")
	lay.Canonical = ""
	return s.theme.RenderBytes("error", struct {
		Layout
		web.ErrorPage
	}{lay, p})
}

func (s *Site) render(c *gin.Context, page string, data any) error {
	body, err := s.theme.RenderBytes(page, data)
	if err != nil {
		return err
	}
	web.HTML(c, http.StatusOK, body)
	return nil
}

// Pager is the state of a paginated list.
type Pager = web.Pager

// pageNumber reads the page of the list at base: N of the path form
// base/trang/N/ (a number not written canonically is a 404), else
// ?trang=N (anything that is not a positive number is a 400). When it
// answered with a redirect, done is true and the handler stops: page 1's
// path form and ?trang=N as the only parameter answer 301 to the one
// address the site links to, so a mirror holding paths serves every list.
func pageNumber(c *gin.Context, base string) (n int, done bool, err error) {
	if p := c.Param("n"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 || strconv.Itoa(n) != p {
			return 0, false, web.NotFound()
		}
		if n == 1 {
			to := base
			if q := c.Request.URL.RawQuery; q != "" {
				to += "?" + q
			}
			c.Redirect(http.StatusMovedPermanently, to)
			return 0, true, nil
		}
		return n, false, nil
	}
	if n, err = web.PageNumber(c); err != nil {
		return 0, false, err
	}
	if q := c.Request.URL.Query(); len(q) == 1 && len(q["trang"]) == 1 {
		to := base
		if n > 1 {
			to = web.PagePath(base, n)
		}
		c.Redirect(http.StatusMovedPermanently, to)
		return 0, true, nil
	}
	return n, false, nil
}

// newPager is the pager of a public list, linking its pages by path.
func newPager(page, total int, base string) Pager {
	p := web.NewPager(page, total, PageSize, base)
	p.PathForm = true
	return p
}

// Funcs are the template functions of the public theme.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"date":     vntext.Date,
		"datetime": vntext.DateTime,
		"longdate": vntext.LongDate,
		"num":      vntext.Int, // a count as Vietnamese writes it: 10.007
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(vntext.Zone).Format(time.RFC3339)
		},
		"trusted":      func(s string) template.HTML { return template.HTML(s) }, // only for HTML we rendered ourselves
		"kindLabel":    func(k content.Kind) string { return k.Label() },
		"sectionTitle": func(k content.Kind) string { return k.SectionTitle() },
		"channelLabel": content.ChannelLabel,
		"query":        url.QueryEscape,
		"join":         strings.Join,
		"add":          func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i + 1
			}
			return out
		},
	}
}
