package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// AuditPageSize is the number of audit entries on one page.
const AuditPageSize = 50

// AuditPage is the audit log screen, newest first.
type AuditPage struct {
	Layout
	Entries []store.AuditEntry
	Pager   Pager
}

func (a *Admin) audit(c *gin.Context) error {
	n, err := PageNumber(c)
	if err != nil {
		return err
	}
	entries, total, err := a.store.AuditEntries(c.Request.Context(), AuditPageSize, (n-1)*AuditPageSize)
	if err != nil {
		return err
	}
	pager := NewPager(n, total, AuditPageSize, AuditPath)
	if n > pager.Pages {
		return web.NotFound()
	}
	page := AuditPage{Layout: a.Layout(c, locale.T("admin.audit.title"), "audit"), Entries: entries, Pager: pager}
	return a.Render(c, http.StatusOK, "audit", page)
}
