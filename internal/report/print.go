package report

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/vntext"
	"cchc/internal/web"
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
	level, err := reportLevel(c)
	if err != nil {
		return err
	}
	paper, err := h.paper(c, r, level)
	if err != nil {
		return err
	}
	title := locale.T("report.print.title", year)
	if paper.Department {
		title = locale.T("report.print.department.title", year)
	}
	page := &PrintPage{Layout: h.admin.Layout(c, title, "reports"), Paper: paper}
	// Sections II and III of the Sở's report are the suggestion: the
	// saved draft is the Trung tâm's.
	if canWriteDraft(c) && !paper.Department {
		page.DraftURL = draftURL(year)
	}
	return h.admin.Render(c, http.StatusOK, "report-in", page)
}

// reportLevel reads ?cap=: "" for the Trung tâm's report, "so" for the
// Sở's; anything else is a 400 saying what it may be.
func reportLevel(c *gin.Context) (string, error) {
	switch v := c.Query("cap"); v {
	case LevelCentre, LevelDepartment:
		return v, nil
	}
	return "", web.BadRequest(locale.T("report.web.bad_level"))
}

// paper lays out r as the report of level.
func (h *Handler) paper(c *gin.Context, r *progress.Report, level string) (*Paper, error) {
	if level == LevelDepartment {
		return NewDepartmentPaper(c.Request.Context(), h.store, r, h.base)
	}
	return NewPaper(c.Request.Context(), h.store, r, h.base)
}
