package site

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// AreaPage lists the items of one content area of the plan.
type AreaPage struct {
	Layout
	Area  content.Area
	Items []*store.Item
	Pager Pager
}

// AreasPage lists every content area.
type AreasPage struct {
	Layout
	Counts map[string]int
}

func (s *Site) areas(c *gin.Context) error {
	ctx := c.Request.Context()
	page := AreasPage{Layout: s.layout(ctx, "/chu-de/", locale.T("site.areas.title"), locale.T("site.areas.description"), "chu-de", Crumb{Title: locale.T("site.areas.title")})}
	var err error
	if page.Counts, err = s.store.AreaCounts(ctx, s.now()); err != nil {
		return err
	}
	return s.render(c, "areas", page)
}

func (s *Site) area(c *gin.Context) error {
	ctx := c.Request.Context()
	id := c.Param("area")
	n, done, err := pageNumber(c, "/chu-de/"+id)
	if done || err != nil {
		return err
	}
	lay := s.layout(ctx, "/chu-de/"+id, "", "", "chu-de")
	var area content.Area
	found := false
	for _, a := range lay.Areas {
		if a.ID == id {
			area, found = a, true
		}
	}
	if !found {
		return s.notFound()
	}
	items, total, err := s.store.PublicItems(ctx, store.PublicQuery{Area: id, Now: s.now(), Limit: PageSize, Offset: (n - 1) * PageSize})
	if err != nil {
		return err
	}
	page := AreaPage{Area: area, Items: items, Pager: newPager(n, total, "/chu-de/"+id)}
	if n > page.Pager.Pages {
		return s.notFound()
	}
	lay.Title = area.ID + ". " + area.Title
	lay.Description = locale.T("site.area.description", area.ID, area.Title)
	lay.Path = page.Pager.URL(n)
	lay.Canonical = s.canonical(lay.Path)
	lay.Breadcrumbs = []Crumb{{Title: locale.T("site.areas.title"), URL: "/chu-de/"}, {Title: area.ID}}
	lay.Feeds = s.feedLinks("chu-de", &area)
	page.Layout = lay
	web.SetLastModified(c, newest(items))
	return s.render(c, "area", page)
}

func (s *Site) asset(c *gin.Context) {
	a, ok := s.theme.Asset(c.Param("name"))
	if !ok {
		s.RenderError(c, 404, locale.T("error.file_not_found"))
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(200, a.ContentType, a.Data)
}
