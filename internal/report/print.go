package report

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/vntext"
)

// PrintPage is /bao-cao/in: the report shaped like a Vietnamese
// administrative report (Nghị định 30/2020/NĐ-CP), for printing.
type PrintPage struct {
	admin.Layout
	R *progress.Report
	// Parent and Unit are the header block's issuing bodies, in capitals;
	// UnitName is the unit as written in a sentence.
	Parent, Unit, UnitName string
	// PlanIssued is the plan's date (dd/mm/yyyy); AsOf the day the
	// figures run to.
	PlanIssued, AsOf string
	// Generated is when the page was made ("15:04 dd/mm/yyyy"): the chain's
	// head it shows is as of then.
	Generated string
	// Place is "Quảng Ngãi, ngày … tháng … năm …".
	Place string
	// Subject is the line under BÁO CÁO.
	Subject string
	// Recipient is who the report goes to (Kính gửi).
	Recipient string
	// Tracked are the plan items measured through the column.
	Tracked []progress.ItemProgress
	// Untracked are the others, reported by their own units.
	Untracked []progress.ItemProgress
}

// Roman numbers the report's sections.
func (p *PrintPage) Roman(i int) string {
	return [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}[i%8]
}

// Date is dd/mm/yyyy.
func (p *PrintPage) Date(e *publog.Entry) string { return vntext.Date(e.At) }

func (h *Handler) print(c *gin.Context) error {
	year, _, err := h.year(c)
	if err != nil {
		return err
	}
	r, err := h.report(c, year)
	if err != nil {
		return err
	}
	page := &PrintPage{
		Layout:    h.admin.Layout(c, locale.T("report.print.title", year), "reports"),
		R:         r,
		Parent:    locale.T("report.print.parent"),
		UnitName:  locale.T("report.print.unit"),
		Place:     locale.T("report.print.place", vntext.LongDate(h.now())),
		Generated: vntext.DateTime(r.Now),
		Recipient: locale.T("report.print.recipient"),
		Subject:   locale.T("report.title.year", year),
	}
	asOf := h.now()
	if end := time.Date(year, time.December, 31, 12, 0, 0, 0, vntext.Zone); asOf.After(end) {
		asOf = end
	}
	page.AsOf = vntext.Date(asOf)
	if p := r.Plan; p != nil {
		page.PlanIssued = vntext.Date(p.Issued)
		page.Subject = locale.T("report.print.subject.plan", p.Number)
		if !p.Issued.IsZero() {
			page.Subject += " " + locale.T("report.print.subject.dated", vntext.Date(p.Issued))
		}
		page.Subject += " — " + p.Title
		for _, it := range p.Items {
			if it.Tracked && it.Lead != "" {
				page.UnitName = it.Lead
				break
			}
		}
	}
	page.Unit = strings.ToUpper(page.UnitName)
	for _, p := range r.Progress {
		if p.Level == progress.Untrack {
			page.Untracked = append(page.Untracked, p)
		} else {
			page.Tracked = append(page.Tracked, p)
		}
	}
	return h.admin.Render(c, http.StatusOK, "report-in", page)
}
