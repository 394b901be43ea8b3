package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/web"
)

// DefaultFeedEntries is the number of entries in a feed when the
// configuration does not say.
const DefaultFeedEntries = 50

// columnTitle is the column's name in feed titles and pages.
func columnTitle() string { return locale.T("site.column_title") }

// FeedLink is one feed a page points to with <link rel="alternate">.
type FeedLink struct {
	Title string
	URL   string // path, e.g. /tin-tuc/rss.xml
	Type  string // media type
	Label string // format name for people: RSS, Atom, JSON Feed
}

// registerFeeds adds the feed routes: the whole column, each section and
// each content area, in the three formats.
func (s *Site) registerFeeds(r gin.IRoutes, h func(web.HandlerFunc) gin.HandlerFunc) {
	for _, f := range feed.Formats {
		r.GET("/"+f.FileName(), h(s.feed(s.columnChannel(), store.PublicQuery{}, f)))
		for _, k := range []content.Kind{content.Article, content.Procedure, content.Document} {
			r.GET(k.Path()+f.FileName(), h(s.feed(kindChannel(k), store.PublicQuery{Kind: k}, f)))
		}
	}
	// gin has /chu-de/:area already; a static segment cannot sit under a
	// parameter, so the area feeds dispatch on the file name.
	r.GET("/chu-de/:area/:feed", h(s.areaFeed))
}

func (s *Site) columnChannel() feed.Channel {
	return feed.Channel{
		Title:       columnTitle(),
		Description: locale.T("site.column.description"),
		Page:        "/",
	}
}

func kindChannel(k content.Kind) feed.Channel {
	return feed.Channel{
		Title:       locale.T("site.feed.title", k.SectionTitle(), columnTitle()),
		Description: k.Info().Description,
		Page:        k.Path(),
		Dir:         "/" + k.Section(),
	}
}

func areaChannel(a content.Area) feed.Channel {
	return feed.Channel{
		Title:       locale.T("site.feed.title", a.Title, columnTitle()),
		Description: locale.T("site.area.description", a.Title),
		Page:        a.URL(),
		Dir:         a.URL(),
	}
}

// feedLinks are the feeds a page of section (and of area, when not empty)
// announces: its own first, then the whole column's.
func (s *Site) feedLinks(ctx context.Context, section string, area *content.Area) []FeedLink {
	var chans []feed.Channel
	if area != nil {
		chans = append(chans, areaChannel(*area))
	}
	for _, k := range []content.Kind{content.Article, content.Procedure, content.Document} {
		if section == k.Section() {
			chans = append(chans, kindChannel(k))
		}
	}
	chans = append(chans, s.columnChannel())
	var out []FeedLink
	for _, ch := range chans {
		ch = columnFeed(ctx, ch)
		for _, f := range feed.Formats {
			out = append(out, FeedLink{Title: ch.Title + " (" + f.Label() + ")", URL: ch.URL(f), Type: f.MediaType(), Label: f.Label()})
		}
	}
	return out
}

func (s *Site) areaFeed(c *gin.Context) error {
	f, ok := feed.FormatByFile(c.Param("feed"))
	if !ok {
		return s.notFound()
	}
	areas, err := s.planAreas(c.Request.Context())
	if err != nil {
		return err
	}
	a, moved, ok := areaByParam(areas, c.Param("area"))
	switch {
	case !ok:
		return s.notFound()
	case moved:
		redirect(c, a.URL()+"/"+f.FileName())
		return nil
	}
	return s.feed(areaChannel(a), store.PublicQuery{Area: a.ID}, f)(c)
}

// feed serves the channel's feed in format f: the newest public items q
// selects, withdrawn ones left out.
func (s *Site) feed(ch feed.Channel, q store.PublicQuery, f feed.Format) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		q := q // each request its own copy
		q.Now, q.Limit, q.Offset, q.WithWithdrawn = s.now(), s.feedEntries, 0, false
		items, _, err := s.store.PublicItems(ctx, q)
		if err != nil {
			return err
		}
		areas, err := s.planAreas(ctx)
		if err != nil {
			return err
		}
		return s.writeFeed(c, ch, items, f, areas)
	}
}

// writeFeed sends items — public, newest first, already limited — as the
// channel's feed in format f. Every feed of the column, search feeds
// included, is written here.
func (s *Site) writeFeed(c *gin.Context, ch feed.Channel, items []*store.Item, f feed.Format, areas []content.Area) error {
	body, err := feed.Build(columnFeed(c.Request.Context(), ch), items, f, s.feedOptions(c.Request.Context(), areas))
	if err != nil {
		return err
	}
	web.SetLastModified(c, feed.Updated(items))
	c.Data(http.StatusOK, f.ContentType(), body)
	return nil
}

// feedOptions are the options of every feed: links from the public base,
// tag: ids from the --base-url host (feed.TagHost), areas as categories.
func (s *Site) feedOptions(ctx context.Context, areas []content.Area) feed.Options {
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		names[a.ID] = a.Title
	}
	base := s.publicBase
	return feed.Options{
		BaseURL:   base,
		TagHost:   feed.TagHost(s.baseURL),
		Areas:     names,
		Enclosure: func(it *store.Item) (feed.Enclosure, bool) { return s.enclosure(ctx, base, it) },
		Publisher: Layout{Agency: columnAgency(ctx)}.OrgName(),
	}
}

// enclosure is the attached file of a document: its public URL, and the
// size and type of its library row (a file elsewhere has its type guessed
// from the extension and no length).
func (s *Site) enclosure(ctx context.Context, base string, it *store.Item) (feed.Enclosure, bool) {
	if it.Kind != content.Document || it.File == "" {
		return feed.Enclosure{}, false
	}
	if u, err := url.Parse(it.File); err == nil && u.IsAbs() {
		return feed.Enclosure{URL: it.File, Type: fileType(it.File)}, true
	}
	if !media.ValidName(it.File) {
		return feed.Enclosure{}, false
	}
	m, err := s.store.MediaFile(ctx, it.File)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("feed enclosure", slog.String("file", it.File), slog.Any("err", err))
		}
		return feed.Enclosure{}, false
	}
	return feed.Enclosure{URL: base + media.URL(m.Name), Type: m.ContentType, Length: m.Size}, true
}

// fileType is the media type of an attachment by its extension. A fixed
// table, not mime.TypeByExtension, so that feeds do not depend on the
// machine's mime.types.
func fileType(name string) string {
	if u, err := url.Parse(name); err == nil && u.IsAbs() {
		name = u.Path
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf":
		return "application/pdf"
	case ".doc":
		return "application/msword"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".xls":
		return "application/vnd.ms-excel"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".odt":
		return "application/vnd.oasis.opendocument.text"
	case ".ods":
		return "application/vnd.oasis.opendocument.spreadsheet"
	case ".zip":
		return "application/zip"
	case ".rar":
		return "application/vnd.rar"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".txt":
		return "text/plain"
	}
	return "application/octet-stream"
}
