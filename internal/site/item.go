package site

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/web"
)

// ItemPage shows one article, procedure or document.
type ItemPage struct {
	Layout
	Item      *store.Item
	AreaNames []content.Area
	// Validity is a document's validity today.
	Validity string
}

// InForce reports whether a document is in force.
func (p ItemPage) InForce() bool {
	return p.Validity == content.ValidityInForce || p.Validity == content.ValidityPartly
}

func (s *Site) item(k content.Kind) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		it, err := s.store.ItemBySlug(ctx, k, c.Param("slug"))
		if err != nil {
			return err
		}
		now := s.now()
		if !it.Public(now) {
			return s.notFound()
		}
		title := it.Title
		if k == content.Document {
			title = it.Type + " số " + it.Number
		}
		description := it.Summary
		if description == "" && k == content.Document {
			description = it.Title
		}
		page := ItemPage{Item: it}
		page.Layout = s.layout(ctx, it.URL(), title, description, k.Section(),
			Crumb{Title: k.SectionTitle(), URL: "/" + k.Section() + "/"}, Crumb{Title: title})
		for _, id := range it.Areas {
			for _, a := range page.Areas {
				if a.ID == id {
					page.AreaNames = append(page.AreaNames, a)
				}
			}
		}
		if k == content.Document {
			page.Validity = it.DocumentValidity(now)
		}
		return s.render(c, string(k), page)
	}
}

func (s *Site) notFound() error { return web.NotFound() }

func itoa(n int) string { return strconv.Itoa(n) }
