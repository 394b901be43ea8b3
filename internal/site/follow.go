package site

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/locale"
)

// FollowPage (/theo-doi) explains the feeds and lists their addresses.
type FollowPage struct {
	Layout
	// Base is the absolute address the feed URLs are shown under.
	Base    string
	Groups  []FeedGroup
	Entries int // entries per feed
}

// FeedGroup is one channel with its feed in every format.
type FeedGroup struct {
	Title       string
	Description string
	Page        string
	Feeds       []FeedLink
}

func (s *Site) follow(c *gin.Context) error {
	ctx := c.Request.Context()
	page := FollowPage{
		Layout: s.layout(ctx, "/theo-doi", locale.T("site.follow.title"), locale.T("site.follow.description"),
			"theo-doi", Crumb{Title: locale.T("site.follow.crumb")}),
		Base:    s.publicBase,
		Entries: s.feedEntries,
	}
	group := func(ch feed.Channel) FeedGroup {
		ch = columnFeed(ctx, ch)
		g := FeedGroup{Title: ch.Title, Description: ch.Description, Page: ch.Page}
		for _, f := range feed.Formats {
			g.Feeds = append(g.Feeds, FeedLink{Title: ch.Title, URL: ch.URL(f), Type: f.MediaType(), Label: f.Label()})
		}
		return g
	}
	col := group(s.columnChannel())
	col.Title = locale.T("site.follow.column")
	page.Groups = append(page.Groups, col)
	for _, k := range []content.Kind{content.Article, content.Procedure, content.Document} {
		g := group(kindChannel(k))
		g.Title = k.SectionTitle()
		page.Groups = append(page.Groups, g)
	}
	for _, a := range page.Areas {
		g := group(areaChannel(a))
		g.Title = a.Title
		page.Groups = append(page.Groups, g)
	}
	return s.render(c, "follow", page)
}
