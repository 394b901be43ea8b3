package report

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// The province's roll-up (issue 20, point 5): /bao-cao/tinh?nam=YYYY, one
// row per agency of the instance, each measured by progress on its own
// rows (progress.MeasureProvince), with its exports and its print. The
// caller mounts RegisterProvince on /bao-cao/tinh behind
// admin.RequireRole(ProvinceRoles()...); every handler also asks
// CanSeeProvince, which adds the agency: only the root agency's admins.

// ProvinceRoles are the roles RequireRole admits to the roll-up's group;
// CanSeeProvince then narrows the admins to the root agency's.
func ProvinceRoles() []auth.Role { return []auth.Role{auth.Province, auth.Admin} }

// CanSeeProvince reports whether u may read the roll-up, by
// agency.SeesRollup (the province role, or an admin of the root agency); a
// stranger (nil) may not.
func CanSeeProvince(u *store.User) bool {
	return u != nil && agency.SeesRollup(u.Role, u.AgencyID)
}

// RegisterProvince adds the roll-up's routes to g (mounted at
// /bao-cao/tinh).
func (h *Handler) RegisterProvince(g *gin.RouterGroup) {
	g.GET("", h.admin.Handle(h.provinceOnly(h.province)))
	g.GET("/in", h.admin.Handle(h.provinceOnly(h.provincePrint)))
	g.GET("/:file", h.admin.Handle(h.provinceOnly(h.provinceExport)))
}

// provinceOnly refuses, with 403, an account that may not read the
// roll-up (RequireRole has sent a stranger to the login page already).
func (h *Handler) provinceOnly(next web.HandlerFunc) web.HandlerFunc {
	return func(c *gin.Context) error {
		if !CanSeeProvince(admin.CurrentUser(c)) {
			return &web.Error{Status: http.StatusForbidden, Message: locale.T("admin.refused.forbidden")}
		}
		return next(c)
	}
}

// ProvincePage is /bao-cao/tinh.
type ProvincePage struct {
	admin.Layout
	R *progress.Rollup
	// Rows are the agencies passing the filter, in the chosen order.
	Rows   []progress.RollupRow
	Years  []int
	Sort   string
	Filter string
	// Chosen reports whether the cut-off was chosen (?den=).
	Chosen bool
}

// Choice is one order or filter offered as a link.
type Choice struct {
	Label, URL string
	Current    bool
}

// query is the page's address with key set to value ("" drops it).
func (p *ProvincePage) query(path, key, value string) string {
	v := url.Values{}
	v.Set("nam", strconv.Itoa(p.R.Year))
	if p.Chosen {
		v.Set("den", p.R.AsOf.Format("2006-01-02"))
	}
	if p.Sort != "" {
		v.Set("sap-xep", p.Sort)
	}
	if p.Filter != "" {
		v.Set("loc", p.Filter)
	}
	if key != "" {
		if value == "" {
			v.Del(key)
		} else {
			v.Set(key, value)
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// Sorts are the orders the table can be shown in.
func (p *ProvincePage) Sorts() []Choice {
	var out []Choice
	for _, s := range []struct{ key, label string }{
		{progress.SortName, "rollup.sort.name"}, {progress.SortDone, "rollup.sort.done"},
		{progress.SortNotDone, "rollup.sort.not_done"}, {progress.SortSent, "rollup.sort.sent"},
	} {
		cur := p.Sort == s.key || (p.Sort == "" && s.key == progress.SortName)
		out = append(out, Choice{Label: locale.T(s.label), URL: p.query(ProvincePath, "sap-xep", s.key), Current: cur})
	}
	return out
}

// Filters are the filters offered, the first showing every agency.
func (p *ProvincePage) Filters() []Choice {
	var out []Choice
	for _, f := range []struct{ key, label string }{
		{"", "rollup.filter.all"}, {progress.FilterNoPlan, "rollup.filter.no_plan"},
		{progress.FilterNotSent, "rollup.filter.not_sent"}, {progress.FilterLate, "rollup.filter.late"},
	} {
		out = append(out, Choice{Label: locale.T(f.label), URL: p.query(ProvincePath, "loc", f.key), Current: p.Filter == f.key})
	}
	return out
}

// ProvincePath is the roll-up's address.
const ProvincePath = "/bao-cao/tinh"

// ExportURL is the roll-up as ext (csv, xlsx, docx), as shown.
func (p *ProvincePage) ExportURL(ext string) string {
	// The file's name carries the year.
	return p.query(fmt.Sprintf("%s/%d.%s", ProvincePath, p.R.Year, ext), "nam", "")
}

// PrintURL is the roll-up's print, as shown.
func (p *ProvincePage) PrintURL() string { return p.query(ProvincePath+"/in", "", "") }

// AsOfValue is the cut-off for the date field (yyyy-mm-dd).
func (p *ProvincePage) AsOfValue() string { return p.R.AsOf.Format("2006-01-02") }

// AsOfText is "tính đến ngày dd/mm/yyyy".
func (p *ProvincePage) AsOfText() string { return locale.T("report.as_of", vntext.Date(p.R.AsOf)) }

// AsOfDay is the cut-off as dd/mm/yyyy.
func (p *ProvincePage) AsOfDay() string { return vntext.Date(p.R.AsOf) }

// Months are the month columns' numbers.
func (p *ProvincePage) Months() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// Add is a+b, for the table's ordinals.
func (p *ProvincePage) Add(a, b int) int { return a + b }

// provincePage reads ?nam=, ?den=, ?sap-xep= and ?loc= (a value the
// roll-up does not know is a 400 saying which), measures every agency and
// lays out the page.
func (h *Handler) provincePage(c *gin.Context) (*ProvincePage, error) {
	year, years, asOf, err := h.year(c)
	if err != nil {
		return nil, err
	}
	sort, filter := c.Query("sap-xep"), c.Query("loc")
	if !progress.ValidSort(sort) {
		return nil, web.BadRequest(locale.T("rollup.web.bad_sort"))
	}
	if !progress.ValidFilter(filter) {
		return nil, web.BadRequest(locale.T("rollup.web.bad_filter"))
	}
	agencies, err := h.store.Agencies(c.Request.Context())
	if err != nil {
		return nil, err
	}
	ru, err := progress.MeasureProvince(c.Request.Context(), h.store, h.log, agencies, year, asOf, h.now())
	var ce *progress.CutoffError
	if errors.As(err, &ce) {
		return nil, web.BadRequest(ce.Msg)
	}
	if err != nil {
		return nil, err
	}
	years = withYear(years, year)
	return &ProvincePage{
		Layout: h.admin.Layout(c, locale.T("rollup.title", ru.Year), "reports"),
		R:      ru, Rows: ru.View(sort, filter), Years: years, Sort: sort, Filter: filter, Chosen: !asOf.IsZero(),
	}, nil
}

func (h *Handler) province(c *gin.Context) error {
	page, err := h.provincePage(c)
	if err != nil {
		return err
	}
	return h.admin.Render(c, http.StatusOK, "report-province", page)
}

var provinceExportName = regexp.MustCompile(`^(\d{4})\.(csv|xlsx|docx)$`)

func (h *Handler) provinceExport(c *gin.Context) error {
	m := provinceExportName.FindStringSubmatch(c.Param("file"))
	if m == nil {
		return web.NotFound()
	}
	// The year is the file's: ?nam= would contradict it.
	q := c.Request.URL.Query()
	q.Set("nam", m[1])
	c.Request.URL.RawQuery = q.Encode()
	page, err := h.provincePage(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	ctype := "text/csv; charset=utf-8"
	tables := page.R.Tables(page.Rows)
	switch m[2] {
	case "csv":
		err = progress.WriteTablesCSV(&buf, page.R.Heading(), tables)
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = progress.WriteTablesXLSX(&buf, locale.T("rollup.sheet"), page.R.Heading(), tables, rollupWidths())
	case "docx":
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		var p *ProvincePaper
		if p, err = h.provincePaper(c, page); err == nil {
			err = p.WriteDOCX(&buf)
		}
	}
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="bao-cao-tinh-%d.%s"`, page.R.Year, m[2]))
	c.Data(http.StatusOK, ctype, buf.Bytes())
	return nil
}

// rollupWidths are the workbook's column widths: ordinal, agency, plan,
// four status counts, twelve months, the year, procedures, the report.
func rollupWidths() []float64 {
	w := []float64{8, 40, 22, 12, 12, 12, 12}
	for range 12 {
		w = append(w, 9)
	}
	return append(w, 9, 18, 30, 34, 12)
}

// ProvincePaper is the roll-up as the province's summary report, in the
// document form of the other prints (Paper: Nghị định 30/2020/NĐ-CP):
// the letterhead, the summary table with one row per agency, the
// signature, then an appendix per agency with its items and statuses.
type ProvincePaper struct {
	*ProvincePage
	Parent, Unit, Number, Place, Subject, To, Basis string
	Recipients                                      []string
}

func (h *Handler) provincePaper(c *gin.Context, page *ProvincePage) (*ProvincePaper, error) {
	// The letterhead is the root agency's (the instance's keeper, whose
	// admins make the roll-up), as its plan's consolidated report writes
	// it; without that block, the root agency's name under the province.
	parent, unit := locale.T("rollup.print.parent"), ""
	for _, r := range page.R.Rows {
		if r.Agency.ID != agency.Root {
			continue
		}
		unit = r.Agency.Name
		if pl := r.R.Plan; pl != nil && pl.DepartmentReport != nil {
			parent, unit = pl.DepartmentReport.Parent, pl.DepartmentReport.Unit
		}
	}
	if unit == "" {
		a, err := h.store.Agency(c.Request.Context(), agency.Root)
		if err != nil {
			return nil, err
		}
		unit = a.Name
	}
	ru := page.R
	return &ProvincePaper{
		ProvincePage: page,
		Parent:       vntext.NFC(strings.ToUpper(parent)),
		Unit:         vntext.NFC(strings.ToUpper(unit)),
		Number:       "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/" + locale.T("rollup.print.symbol"),
		Place:        locale.T("report.print.place.default") + ", " + vntext.LongDate(ru.AsOf),
		Subject:      ru.Heading(),
		To:           locale.T("rollup.print.to"),
		Basis:        locale.T("rollup.print.basis", ru.Year, len(page.Rows), vntext.TextDate(ru.AsOf)),
		Recipients:   []string{locale.T("report.print.recipients.above"), locale.T("report.print.recipients.archive")},
	}, nil
}

func (h *Handler) provincePrint(c *gin.Context) error {
	page, err := h.provincePage(c)
	if err != nil {
		return err
	}
	page.Title = locale.T("rollup.print.title", page.R.Year)
	p, err := h.provincePaper(c, page)
	if err != nil {
		return err
	}
	return h.admin.Render(c, http.StatusOK, "report-province-in", p)
}
