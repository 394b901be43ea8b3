package site

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// HomePage is the column's front page.
type HomePage struct {
	Layout
	Articles   []*store.Item
	Procedures []*store.Item
	Documents  []*store.Item
	AreaCounts map[string]int
}

func (s *Site) home(c *gin.Context) error {
	ctx := c.Request.Context()
	now := s.now()
	// The home page is the column itself: its title is the column's
	// ("Cải cách hành chính – Sở …"), which the title element shows once.
	title := Layout{Agency: columnAgency(ctx)}.ColumnTitle()
	page := HomePage{Layout: s.layout(ctx, "/", title, locale.T("site.home.description"), "home")}
	var err error
	if page.Articles, _, err = s.store.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: now, Limit: 7}); err != nil {
		return err
	}
	if page.Procedures, _, err = s.store.PublicItems(ctx, store.PublicQuery{Kind: content.Procedure, Now: now, Limit: 5}); err != nil {
		return err
	}
	if page.Documents, _, err = s.store.PublicItems(ctx, store.PublicQuery{Kind: content.Document, Now: now, Limit: 5}); err != nil {
		return err
	}
	if err := s.store.FillValidity(ctx, page.Documents, now); err != nil {
		return err
	}
	if page.AreaCounts, err = s.store.AreaCounts(ctx, now); err != nil {
		return err
	}
	web.SetLastModified(c, newest(page.Articles, page.Procedures, page.Documents))
	return s.render(c, "home", page)
}
