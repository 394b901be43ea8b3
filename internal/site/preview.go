package site

import (
	"github.com/gin-gonic/gin"

	"cchc/internal/store"
	"cchc/internal/web"
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

// The preview's queries: phoneView asks for the phone view, phoneFrame
// for the page inside its frame, without the banner.
const (
	phoneView  = "kho"
	phoneFrame = "khung"
)

// PreviewPage is the phone view of a preview: the page in a 390 px frame.
type PreviewPage struct {
	Layout
	Frame string // the address the frame opens
}

// PreviewItem draws it as its public page — the public theme, its layout,
// every part the page shows — whatever its status, for the workspace's
// preview at full (edit is the item's edit screen); ?kho=dien-thoai draws
// the phone view instead, a 390 px frame of full?khung=1. Nothing is
// published, and the page is neither cached (the workspace's routes send
// no-store) nor indexed. A draft never published shows today as its
// date, the day it would be published.
func (s *Site) PreviewItem(c *gin.Context, it *store.Item, edit, full string) error {
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
	p := Preview{Edit: edit, Full: full, Phone: full + "?" + phoneView + "=dien-thoai", OnPhone: c.Query(phoneView) == "dien-thoai"}
	page.Canonical = ""
	page.Preview = &p
	switch {
	case p.OnPhone:
		return s.render(c, "preview-phone", PreviewPage{Layout: page.Layout, Frame: full + "?" + phoneFrame + "=1"})
	case c.Query(phoneFrame) != "":
		// The phone view's frame: framed by the column's own pages only,
		// as public pages are, in place of the workspace's DENY. The
		// page changes nothing (its one form is the public search box):
		// no action for a clickjacker to aim at; every other workspace
		// answer stays unframeable.
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", web.ContentSecurityPolicy)
		h.Set("X-Frame-Options", "SAMEORIGIN")
		page.Preview = &Preview{}
	}
	return s.render(c, string(it.Kind), page)
}
