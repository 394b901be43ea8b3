package site

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/web"
)

// ListPage is one page of a section's items, newest first.
type ListPage struct {
	Layout
	Kind  content.Kind
	Items []*store.Item
	Pager Pager
}

func (s *Site) list(k content.Kind) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		path := k.Path()
		n, done, err := pageNumber(c, path)
		if done || err != nil {
			return err
		}
		items, total, err := s.store.PublicItems(ctx, store.PublicQuery{Kind: k, Now: s.now(), Limit: PageSize, Offset: (n - 1) * PageSize})
		if err != nil {
			return err
		}
		page := ListPage{Kind: k, Items: items, Pager: newPager(n, total, path)}
		if n > page.Pager.Pages {
			return s.notFound()
		}
		title := k.SectionTitle()
		if n > 1 {
			title += " – trang " + itoa(n)
		}
		page.Layout = s.layout(ctx, page.Pager.URL(n), title, k.Info().Description, k.Section(), Crumb{Title: k.SectionTitle()})
		web.SetLastModified(c, newest(items))
		return s.render(c, k.Section(), page)
	}
}
