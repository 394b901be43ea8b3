package site

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/store"
)

// Preview is how the workspace shows an item as citizens will see it
// before they can (issue 17.5): the public theme's page, with a banner
// saying it is a preview and linking back to the edit screen.
type Preview struct {
	// Edit is the item's edit screen; Full the preview at the screen's
	// width, Phone the same in a frame as wide as a phone (390 px).
	Edit, Full, Phone string
	// OnPhone is set on the phone view, whose banner then links Full.
	OnPhone bool
}

// PhoneFrame is the query that asks for the preview without its banner:
// the phone view's frame holds exactly the public page.
const PhoneFrame = "khung"

// PreviewPage is the phone view of a preview: the page in a 390 px frame.
type PreviewPage struct {
	Layout
	Frame string // the address the frame opens
}

// PreviewItem draws it as its public page — the public theme, its layout,
// every part the page shows — whatever its status, for the workspace's
// preview; p.OnPhone draws the phone view instead. Nothing is published,
// and the page is neither cached (the workspace's routes send no-store)
// nor indexed. A draft never published shows today as its date, the day
// it would be published.
func (s *Site) PreviewItem(c *gin.Context, it *store.Item, p Preview) error {
	ctx := c.Request.Context()
	now := s.now()
	cp := *it
	if cp.Published.IsZero() {
		cp.Published = now
	}
	page, err := s.itemPage(ctx, &cp, now)
	if err != nil {
		return err
	}
	page.Canonical = ""
	page.Preview = &p
	if p.OnPhone {
		return s.render(c, "preview-phone", PreviewPage{Layout: page.Layout, Frame: p.Full + "?" + PhoneFrame + "=1"})
	}
	if c.Query(PhoneFrame) != "" {
		page.Preview = &Preview{}
	}
	return s.render(c, string(it.Kind), page)
}
