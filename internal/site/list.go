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
		n, err := pageNumber(c)
		if err != nil {
			return err
		}
		path := "/" + k.Section() + "/"
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
		page.Layout = s.layout(ctx, page.Pager.URL(n), title, listDescription(k), k.Section(), Crumb{Title: k.SectionTitle()})
		web.SetLastModified(c, newest(items))
		return s.render(c, k.Section(), page)
	}
}

func listDescription(k content.Kind) string {
	switch k {
	case content.Procedure:
		return "Danh sách thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi."
	case content.Document:
		return "Văn bản chỉ đạo của Trung ương và của tỉnh về cải cách hành chính."
	}
	return "Tin tức về cải cách hành chính của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi."
}
