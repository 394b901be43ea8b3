package admin

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/web"
)

// PublicPreview draws an item as its public page, with its edit screen's
// address and the preview's own (site.Site.PreviewItem, which reads the
// preview's queries and sets the phone frame's headers).
type PublicPreview func(c *gin.Context, it *store.Item, edit, full string) error

// previewSegment ends the address of an item's preview in the public
// layout: …/ID/xem-truoc.
const previewSegment = "/xem-truoc"

// RegisterPreview adds, for editors and up, the preview of a saved item
// as citizens will see it (issue 17.5): GET …/tin-bai/ID/xem-truoc draws
// the stored version with draw, whatever its status, publishing nothing;
// ?kho=dien-thoai shows it in a phone-wide frame. The app wires the public
// side's drawing in: the workspace sits beside the public side, not above.
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
		return draw(c, it, EditURL(it), EditURL(it)+previewSegment)
	}
}
