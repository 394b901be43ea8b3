package report

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/locale"
	"cchc/internal/publog"
	"cchc/internal/vntext"
)

// PrintPage is /bao-cao/in: the Paper as a page to print (A4, Times New
// Roman, page numbers; report.css). Its body judges only what the plan
// asks; Phụ lục I lists what was published, Phụ lục II the unit's
// internal targets, the month and quarter tables and the chain's head,
// marked internal.
type PrintPage struct {
	admin.Layout
	*Paper
	// DraftURL is where sections II and III are written; "" when the
	// account may not write them.
	DraftURL string
}

// Date is a log row's date as a sentence writes it.
func (p *PrintPage) Date(e *publog.Entry) string { return vntext.TextDate(e.At) }

func (h *Handler) print(c *gin.Context) error {
	year, _, asOf, err := h.year(c)
	if err != nil {
		return err
	}
	r, err := h.report(c, year, asOf)
	if err != nil {
		return err
	}
	paper, err := NewPaper(c.Request.Context(), h.store, r, h.base)
	if err != nil {
		return err
	}
	page := &PrintPage{Layout: h.admin.Layout(c, locale.T("report.print.title", year), "reports"), Paper: paper}
	if canWriteDraft(c) {
		page.DraftURL = draftURL(year)
	}
	return h.admin.Render(c, http.StatusOK, "report-in", page)
}
