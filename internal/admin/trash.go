package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/web"
)

// TrashPageSize is the number of items on one page of the trash.
const TrashPageSize = 50

// TrashRow is one trashed item.
type TrashRow = ItemRow

// TrashPage lists the items in the trash; admins may restore them (as
// drafts).
type TrashPage struct {
	Layout
	Rows       []TrashRow
	Pager      Pager
	CanRestore bool
}

func (a *Admin) trash(c *gin.Context) error {
	n, err := PageNumber(c)
	if err != nil {
		return err
	}
	items, total, err := a.store.TrashedItems(c.Request.Context(), TrashPageSize, (n-1)*TrashPageSize)
	if err != nil {
		return err
	}
	pager := NewPager(n, total, TrashPageSize, TrashPath)
	if n > pager.Pages {
		return web.NotFound()
	}
	u := CurrentUser(c)
	page := TrashPage{Layout: a.Layout(c, locale.T("admin.trash.title"), "trash"), Pager: pager}
	now := a.now()
	for _, it := range items {
		key, label := statusOf(it, now)
		row := TrashRow{Item: it, Status: key, StatusLabel: label, EditURL: EditURL(it)}
		if a.can(u, it, auth.ActRestore) {
			page.CanRestore = true
			row.Actions = []ActionLink{{Label: locale.T("admin.action.restore"), URL: EditURL(it) + "/" + actionSegments[auth.ActRestore], Post: true}}
		}
		page.Rows = append(page.Rows, row)
	}
	return a.Render(c, http.StatusOK, "trash", page)
}
