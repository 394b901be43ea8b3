package report

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/vntext"
)

// PrintPage is /bao-cao/in: the report shaped like a Vietnamese
// administrative report, for printing. Its body judges only what the plan
// asks; the unit's internal targets and the chain's head are in the
// appendix, marked as such.
type PrintPage struct {
	admin.Layout
	R *progress.Report
	// Parent and Unit are the header block's issuing bodies, in capitals;
	// UnitName is the unit as written in a sentence.
	Parent, Unit, UnitName string
	// PlanIssued is the plan's date as a sentence writes it (15/3/2022);
	// AsOf the day the figures run to, likewise.
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
	// Internal are the internal targets, for the appendix.
	Internal []progress.ItemTarget
}

// Roman numbers the report's sections.
func (p *PrintPage) Roman(i int) string {
	return [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}[i%8]
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
	page := &PrintPage{
		Layout:    h.admin.Layout(c, locale.T("report.print.title", year), "reports"),
		R:         r,
		Parent:    locale.T("report.print.parent"),
		UnitName:  locale.T("report.print.unit"),
		Place:     locale.T("report.print.place", vntext.LongDate(h.now())),
		Generated: vntext.DateTime(r.Now),
		Recipient: locale.T("report.print.recipient"),
		Subject:   locale.T("report.title.year", year),
		AsOf:      vntext.TextDate(r.AsOf),
		Tracked:   r.Tracked(),
		Untracked: r.Untracked(),
		Internal:  r.InternalTargets(),
	}
	if p := r.Plan; p != nil {
		page.PlanIssued = vntext.TextDate(p.Issued)
		page.Subject = locale.T("report.print.subject.plan", p.Number)
		if !p.Issued.IsZero() {
			page.Subject += " " + locale.T("report.print.subject.dated", page.PlanIssued)
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
	return h.admin.Render(c, http.StatusOK, "report-in", page)
}
