package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// DefaultSitemapLimit is the most URLs one sitemap file may hold
// (sitemaps.org); past it /sitemap.xml becomes an index of
// /sitemap-1.xml, /sitemap-2.xml, ….
const DefaultSitemapLimit = 50000

// sitemapURL is one <url> of a sitemap.
type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`

	mod time.Time
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// lastMod is when an item's page last changed: the newest of its
// publication, its last major update and its last edit. An edit made
// before a scheduled publication counts from the publication.
func lastMod(it *store.Item) time.Time { return latest(it.Published, it.Updated, it.Modified) }

// latest is the newest of published, updated and modified.
func latest(published, updated, modified time.Time) time.Time {
	t := published
	for _, u := range []time.Time{updated, modified} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// newest is the latest lastMod of items, zero when there are none.
func newest(items ...[]*store.Item) time.Time {
	var t time.Time
	for _, list := range items {
		for _, it := range list {
			if m := lastMod(it); m.After(t) {
				t = m
			}
		}
	}
	return t
}

// sitemapURLs lists every public page: home, sections, areas, the feeds
// page and every public item (withdrawn ones left out, as lists leave them
// out), oldest item first so that new items only ever touch the last file
// of a split sitemap.
func (s *Site) sitemapURLs(ctx context.Context, base string) ([]sitemapURL, error) {
	// The listed rows as they are, never a store.Item each: at 100,000
	// items those (about a kilobyte apiece) made a build of the sitemap
	// some 100 MB of heap for a moment.
	items, err := s.store.SitemapItems(ctx, s.now())
	if err != nil {
		return nil, err
	}
	areas, err := s.planAreas(ctx)
	if err != nil {
		return nil, err
	}
	var all time.Time
	byKind := map[content.Kind]time.Time{}
	byArea := map[string]time.Time{}
	for i := range items {
		it := &items[i]
		m := sitemapMod(it)
		if m.After(all) {
			all = m
		}
		if m.After(byKind[it.Kind]) {
			byKind[it.Kind] = m
		}
		for _, a := range it.Areas {
			if m.After(byArea[a]) {
				byArea[a] = m
			}
		}
	}
	out := make([]sitemapURL, 0, len(items)+len(areas)+6)
	out = appendFixedURLs(out, base, areas, all, byKind, byArea)
	for i := range items {
		it := &items[i]
		out = append(out, newSitemapURL(base, content.URL(it.Kind, it.Slug), sitemapMod(it)))
	}
	return out, nil
}

// appendFixedURLs appends the pages the sitemap lists before the items
// to out: home, sections, areas and the feeds page, each dated by the
// newest item it lists.
func appendFixedURLs(out []sitemapURL, base string, areas []content.Area, all time.Time, byKind map[content.Kind]time.Time, byArea map[string]time.Time) []sitemapURL {
	out = append(out, newSitemapURL(base, "/", all))
	for _, k := range []content.Kind{content.Article, content.Procedure, content.Document} {
		out = append(out, newSitemapURL(base, k.Path(), byKind[k]))
	}
	out = append(out, newSitemapURL(base, "/chu-de/", all))
	for _, a := range areas {
		out = append(out, newSitemapURL(base, a.URL(), byArea[a.ID]))
	}
	return append(out, newSitemapURL(base, "/theo-doi", time.Time{}))
}

func newSitemapURL(base, path string, t time.Time) sitemapURL {
	x := sitemapURL{Loc: base + path, mod: t}
	if !t.IsZero() {
		x.LastMod = t.In(vntext.Zone).Format(time.RFC3339)
	}
	return x
}

// sitemapParts is how many files the sitemap is split into (1 when it is
// not), counted without building it: every /sitemap-N.xml past the last
// is a new address an outsider can ask for, and at 100,000 items building
// the sitemap to answer its 404 took half a second.
func (s *Site) sitemapParts(ctx context.Context) (int, error) {
	items, err := s.store.SitemapCount(ctx, s.now())
	if err != nil {
		return 0, err
	}
	areas, err := s.planAreas(ctx)
	if err != nil {
		return 0, err
	}
	n := len(appendFixedURLs(nil, "", areas, time.Time{}, nil, nil)) + items
	if s.sitemapLimit <= 0 || n <= s.sitemapLimit {
		return 1, nil
	}
	return (n + s.sitemapLimit - 1) / s.sitemapLimit, nil
}

// sitemapMod is lastMod of a sitemap row.
func sitemapMod(it *store.SitemapItem) time.Time {
	return latest(it.Published, it.Updated, it.Modified)
}

// sitemap serves /sitemap.xml: every URL, or past the limit an index of
// the numbered parts.
func (s *Site) sitemap(c *gin.Context) error {
	if canonicalSitemap(c) {
		return nil
	}
	base := s.publicBase
	urls, err := s.sitemapURLs(c.Request.Context(), base)
	if err != nil {
		return err
	}
	parts := chunk(urls, s.sitemapLimit)
	if len(parts) == 1 {
		return s.writeSitemap(c, &urlSet{NS: sitemapNS, URLs: urls}, newestURL(urls))
	}
	idx := &sitemapIndex{NS: sitemapNS}
	for i, p := range parts {
		x := sitemapURL{Loc: base + "/sitemap-" + strconv.Itoa(i+1) + ".xml", mod: newestURL(p)}
		if !x.mod.IsZero() {
			x.LastMod = x.mod.In(vntext.Zone).Format(time.RFC3339)
		}
		idx.Sitemaps = append(idx.Sitemaps, x)
	}
	return s.writeSitemap(c, idx, newestURL(urls))
}

// sitemapPart serves /sitemap-N.xml, which exists only while the sitemap
// is split.
func (s *Site) sitemapPart(c *gin.Context) error {
	num, ok := strings.CutSuffix(c.Param("n"), ".xml")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || strconv.Itoa(n) != num {
		return s.notFound()
	}
	if canonicalSitemap(c) {
		return nil
	}
	if count, err := s.sitemapParts(c.Request.Context()); err != nil {
		return err
	} else if count == 1 || n > count {
		return s.notFound()
	}
	urls, err := s.sitemapURLs(c.Request.Context(), s.publicBase)
	if err != nil {
		return err
	}
	parts := chunk(urls, s.sitemapLimit)
	if n > len(parts) {
		return s.notFound() // an item withdrawn between the count and the list
	}
	return s.writeSitemap(c, &urlSet{NS: sitemapNS, URLs: parts[n-1]}, newestURL(parts[n-1]))
}

// canonicalSitemap answers 301 to the sitemap's own address when the
// request has a query string, and says whether it did. The sitemap reads
// no parameter, and the page cache keeps pages with a query string in a
// quarter of its room: at 100,000 items /sitemap-1.xml?x=N was a new
// address for every N, 8.5 MB built and sent each time (up to a second),
// never kept because it is larger than that quarter.
func canonicalSitemap(c *gin.Context) bool {
	if c.Request.URL.RawQuery == "" {
		return false
	}
	c.Redirect(http.StatusMovedPermanently, c.Request.URL.Path)
	return true
}

func (s *Site) writeSitemap(c *gin.Context, v any, mod time.Time) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteByte('\n')
	web.SetLastModified(c, mod)
	c.Data(200, "application/xml; charset=utf-8", buf.Bytes())
	return nil
}

func chunk(urls []sitemapURL, size int) [][]sitemapURL {
	if size <= 0 || len(urls) <= size {
		return [][]sitemapURL{urls}
	}
	var out [][]sitemapURL
	for len(urls) > 0 {
		n := min(size, len(urls))
		out = append(out, urls[:n])
		urls = urls[n:]
	}
	return out
}

func newestURL(urls []sitemapURL) time.Time {
	var t time.Time
	for _, u := range urls {
		if u.mod.After(t) {
			t = u.mod
		}
	}
	return t
}

// robots serves /robots.txt: crawlers keep out of the admin and the
// reports (both need a login anyway) and learn where the sitemap is.
func (s *Site) robots(c *gin.Context) error {
	base := s.publicBase
	prefix := "" // the column's path when --base-url puts it under one
	if u, err := url.Parse(base); err == nil {
		prefix = strings.TrimRight(u.Path, "/")
	}
	body := "# " + ownText(columnAgency(c.Request.Context()), locale.T("site.robots.comment")) + "\n" +
		"User-agent: *\n" +
		"Disallow: " + prefix + "/quan-tri/\n" +
		"Disallow: " + prefix + "/bao-cao/\n" +
		"\n" +
		"Sitemap: " + base + "/sitemap.xml\n"
	if columnAgency(c.Request.Context()) == nil {
		// Crawlers read robots.txt at the host's root only: the root
		// column's names the sitemaps of the columns under a prefix too
		// (a host column's robots.txt is its own).
		// An error leaves them out (and is logged): robots.txt still
		// says what it always said.
		agencies, err := s.store.Agencies(c.Request.Context())
		if err != nil {
			s.log.Warn("robots.txt: agencies", slog.Any("err", err))
		}
		for _, a := range agencies {
			if a.Prefix != "" && a.Host == "" {
				body += "Sitemap: " + base + a.Prefix + "/sitemap.xml\n"
			}
		}
	}
	c.Data(200, "text/plain; charset=utf-8", []byte(body))
	return nil
}
