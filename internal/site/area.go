package site

import (
	"github.com/gin-gonic/gin"
	"strconv"

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
	lay := s.layout(ctx, c.Request.URL.Path, "", "", "chu-de")
	area, moved, found := areaByParam(lay.Areas, c.Param("area"))
	if !found {
		return s.notFound()
	}
	if moved {
		// An old address (the plan's code), with its page if it had one.
		to := area.URL()
		if n, err := strconv.Atoi(c.Param("n")); err == nil && n > 1 {
			to = web.PagePath(to, n)
		}
		redirect(c, to)
		return nil
	}
	n, done, err := pageNumber(c, area.URL())
	if done || err != nil {
		return err
	}
	now := s.now()
	items, total, err := s.store.PublicItems(ctx, store.PublicQuery{Area: area.ID, Now: now, Limit: PageSize, Offset: (n - 1) * PageSize})
	if err != nil {
		return err
	}
	if err := s.store.FillValidity(ctx, items, now); err != nil {
		return err
	}
	page := AreaPage{Area: area, Items: items, Pager: newPager(n, total, area.URL())}
	if n > page.Pager.Pages {
		return s.notFound()
	}
	lay.Title = area.Title
	lay.Description = locale.T("site.area.description", area.Title)
	lay.Path = page.Pager.URL(n)
	lay.Canonical = s.canonical(ctx, lay.Path)
	lay.Breadcrumbs = []Crumb{{Title: locale.T("site.areas.title"), URL: "/chu-de/"}, {Title: area.Title}}
	lay.Feeds = s.feedLinks(ctx, "chu-de", &area)
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
