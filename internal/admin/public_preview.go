package admin

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/web"
)

// PublicPreview draws an item as its public page (site.Site.PreviewItem).
type PublicPreview func(c *gin.Context, it *store.Item, p site.Preview) error

// previewSegment ends the address of an item's preview in the public
// layout: …/ID/xem-truoc.
const previewSegment = "/xem-truoc"

// RegisterPreview adds, for editors and up, the preview of a saved item
// as citizens will see it (issue 17.5): GET …/tin-bai/ID/xem-truoc draws
// the stored version with draw, whatever its status, publishing nothing;
// ?kho=dien-thoai shows it in a phone-wide frame. The app wires the public
// side's drawing in, so that the workspace does not render public pages.
func (a *Admin) RegisterPreview(r gin.IRouter, draw PublicPreview) {
	g := r.Group("/quan-tri", a.RequireRole(auth.AtLeast(auth.Editor)...))
	for _, k := range itemKinds {
		g.GET("/"+kindSegment(k)+"/:id"+previewSegment, a.Handle(a.publicPreview(k, draw)))
	}
}

func (a *Admin) publicPreview(k content.Kind, draw PublicPreview) web.HandlerFunc {
	return func(c *gin.Context) error {
		it, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		full := EditURL(it) + previewSegment
		p := site.Preview{Edit: EditURL(it), Full: full, Phone: full + "?kho=dien-thoai", OnPhone: c.Query("kho") == "dien-thoai"}
		if !p.OnPhone && c.Query(site.PhoneFrame) != "" {
			// The phone view's frame: framed by the column's own pages
			// only, as public pages are. The page changes nothing (its
			// one form is the public search box): no action for a
			// clickjacker to aim at; every other workspace page stays
			// unframeable (DenyFraming).
			h := c.Writer.Header()
			h.Set("Content-Security-Policy", web.ContentSecurityPolicy)
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		return draw(c, it, p)
	}
}
