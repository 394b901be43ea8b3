// Package report serves the plan dashboard under /bao-cao/: where the
// year's plan stands according to the publication log, as of a day
// (?den=yyyy-mm-dd, today by default), the log itself (filterable), the
// CSV, XLSX and Word (.docx) exports, the printable report and its draft
// of sections II and III (/bao-cao/du-thao), and the record of the
// year's report having been sent (POST /bao-cao/gui, approvers and
// admins). Every screen renders one progress.Report, the same one `cchc
// report` prints; this package only turns it into pages and files.
//
// The routes are relative to the group they are registered on, which the
// caller mounts at /bao-cao behind admin.RequireRole (viewer and up). The
// pages sit in the workspace's frame (Frame: its menu, account and error
// page; their templates are in the admin theme).
//
// The province's roll-up (/bao-cao/tinh, province.go) is its own group:
// RegisterProvince, mounted behind RequireRole(ProvinceRoles()...), shows
// one progress.Report per agency (progress.MeasureProvince) as a table,
// its CSV, XLSX and Word files and its print.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// Frame is what the report screens take from the workspace they sit in:
// its error page (Handle), the frame every page embeds (Layout: title,
// menu, account, form token), its theme (Render), which holds the
// templates report and report-in, and the end of a form's post (Redirect,
// with a message for the next page). *admin.Admin is one.
type Frame interface {
	Handle(h web.HandlerFunc) gin.HandlerFunc
	Layout(c *gin.Context, title, section string) admin.Layout
	Render(c *gin.Context, status int, name string, page any) error
	Redirect(c *gin.Context, to, msg string) error
}

// Config is what a Handler needs.
type Config struct {
	// Admin gives the frame of the pages (layout, theme, error page).
	Admin Frame
	Store *store.Store
	Now   func() time.Time
	Log   *slog.Logger
	// BaseURL is the site's public address, for the page addresses of
	// the report's Phụ lục I; "" leaves them as paths.
	BaseURL string
	// LogPageSize is how many rows of the year's log the dashboard shows
	// a page (DefaultLogPageSize when 0); the CSV and XLSX have them all.
	LogPageSize int
}

// DefaultLogPageSize is the dashboard's rows of the log a page. A year of
// a 100,000-item column has some 15,000 rows: listed whole they made the
// dashboard 8.5 MB of HTML and 3.5–3.7 s to answer.
const DefaultLogPageSize = 200

// Handler serves the report screens.
type Handler struct {
	admin Frame
	store *store.Store
	log   *publog.Log
	now   func() time.Time
	base  string
	// logPage is Config.LogPageSize.
	logPage int
}

// New returns a Handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LogPageSize <= 0 {
		cfg.LogPageSize = DefaultLogPageSize
	}
	return &Handler{admin: cfg.Admin, store: cfg.Store, log: publog.New(cfg.Store, cfg.Now), now: cfg.Now, base: cfg.BaseURL, logPage: cfg.LogPageSize}
}

// report measures year with figures through the end of day asOf (zero:
// today); a day that cannot be used is a 400 saying why.
func (h *Handler) report(c *gin.Context, year int, asOf time.Time) (*progress.Report, error) {
	return h.reportFor(c, year, asOf, "")
}

// reportFor is report with the activity figures limited to unit ("": all).
func (h *Handler) reportFor(c *gin.Context, year int, asOf time.Time, unit string) (*progress.Report, error) {
	r, err := progress.MeasureUnit(c.Request.Context(), h.store, h.log, year, asOf, h.now(), unit)
	var ce *progress.CutoffError
	if errors.As(err, &ce) {
		return nil, web.BadRequest(ce.Msg)
	}
	return r, err
}

// Register adds the routes to g (mounted at /bao-cao).
func (h *Handler) Register(g *gin.RouterGroup) {
	g.GET("/", h.admin.Handle(h.dashboard))
	g.GET("/in", h.admin.Handle(h.print))
	g.POST("/gui", h.admin.Handle(h.recordSending))
	g.GET("/du-thao", h.admin.Handle(h.draft))
	g.POST("/du-thao", h.admin.Handle(h.saveDraft))
	g.GET("/:file", h.admin.Handle(h.export))
}

// year reads ?nam= and ?den= (the cut-off day, yyyy-mm-dd or dd/mm/yyyy;
// zero when absent). Without ?nam= the year is the cut-off's, else the
// current year when it has a plan or log rows, else the newest year that
// has.
func (h *Handler) year(c *gin.Context) (int, []int, time.Time, error) {
	var asOf time.Time
	if v := strings.TrimSpace(c.Query("den")); v != "" {
		d, err := vntext.ParseDate(v)
		if err != nil {
			return 0, nil, asOf, web.BadRequest(locale.T("report.web.bad_cutoff"))
		}
		asOf = progress.Day(d)
	}
	years, err := h.log.Years(c.Request.Context())
	if err != nil {
		return 0, nil, asOf, err
	}
	v := c.Query("nam")
	if v == "" {
		if !asOf.IsZero() {
			return asOf.Year(), years, asOf, nil
		}
		y := h.now().In(vntext.Zone).Year()
		if !slices.Contains(years, y) && len(years) > 0 {
			y = years[0]
		}
		return y, years, asOf, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1900 || y > 9999 {
		return 0, nil, asOf, web.BadRequest(locale.T("report.web.bad_year"))
	}
	return y, years, asOf, nil
}

// Filter is the log's filter on the dashboard.
type Filter struct {
	Month  int    // 0: every month
	Area   string // area id
	Kind   content.Kind
	Author string // matches the item's author or who made the change
}

// Active reports whether any filter is set.
func (f Filter) Active() bool { return f.Month != 0 || f.Area != "" || f.Kind != "" || f.Author != "" }

func (f Filter) match(e *publog.Entry) bool {
	return (f.Month == 0 || int(e.Local().Month()) == f.Month) &&
		(f.Area == "" || slices.Contains(e.Areas, f.Area)) &&
		(f.Kind == "" || e.Kind == f.Kind) &&
		(f.Author == "" || e.Author == f.Author || e.Actor == f.Author)
}

func parseFilter(c *gin.Context) (Filter, error) {
	var f Filter
	if v := c.Query("thang"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 12 {
			return f, web.BadRequest(locale.T("report.web.bad_month"))
		}
		f.Month = m
	}
	if v := c.Query("loai"); v != "" {
		k, ok := content.ParseKind(v)
		if !ok {
			return f, web.BadRequest(locale.T("report.web.bad_kind"))
		}
		f.Kind = k
	}
	f.Area = vntext.NFC(strings.TrimSpace(c.Query("noi-dung")))
	f.Author = vntext.NFC(strings.TrimSpace(c.Query("tac-gia")))
	return f, nil
}

// KindOption is one choice of the kind filter.
type KindOption struct {
	Value content.Kind
	Label string
}

// DashboardPage is /bao-cao/.
type DashboardPage struct {
	admin.Layout
	R       *progress.Report
	Years   []int
	Filter  Filter
	Entries []*publog.Entry // the year's rows passing the filter, this page's
	// Matching is how many of the year's rows pass the filter, on every
	// page; Pager pages them (?trang=N).
	Matching int
	Pager    web.Pager
	first    int // FirstRow
	Authors  []string
	Kinds    []KindOption
	Chart    Chart
	// Chosen reports whether the cut-off was chosen (?den=) rather than
	// today's.
	Chosen bool
	// Send is the form recording the report's sending; nil when the
	// account may not record it.
	Send *SendForm
	// Draft is the newest revision of sections II and III, nil when none
	// is saved (or the account may not write them).
	Draft *store.ReportDraft
	// ProvinceURL is the province's roll-up of the year, "" when the
	// account may not read it (CanSeeProvince).
	ProvinceURL string
}

// EditURL is a record's screen in the workspace, where its evidence is.
func (p *DashboardPage) EditURL(d progress.Record) string {
	return admin.KindPath(d.Kind) + strconv.FormatInt(d.ItemID, 10)
}

// LogURL is where a log row's title leads: the item's public page when it
// is on the column, else (an activity not made public, whose address is a
// 404) its screen in the workspace.
func (p *DashboardPage) LogURL(e *publog.Entry) string {
	if e.OnColumn() {
		return e.URL
	}
	return admin.KindPath(e.Kind) + strconv.FormatInt(e.ItemID, 10)
}

// Quarters are the quarters' numerals, for the channel table's heads.
func (p *DashboardPage) Quarters() []string { return []string{"I", "II", "III", "IV"} }

// ChannelName is the plan's name of a channel code.
func (p *DashboardPage) ChannelName(code string) string {
	if p.R.Plan == nil {
		return code
	}
	return p.R.Plan.ChannelName(code)
}

// den is the ?den= part of the page's links, "" when the cut-off is today's.
func (p *DashboardPage) den() string {
	if !p.Chosen {
		return ""
	}
	return "&den=" + p.R.AsOf.Format("2006-01-02")
}

// CSVURL is the year's CSV, as of the page's cut-off.
func (p *DashboardPage) CSVURL() string { return exportURL(p.R, p.Chosen, "csv") }

// XLSXURL is the year's workbook, as of the page's cut-off.
func (p *DashboardPage) XLSXURL() string { return exportURL(p.R, p.Chosen, "xlsx") }

// PrintURL is the year's printable report, as of the page's cut-off.
func (p *DashboardPage) PrintURL() string {
	return fmt.Sprintf("/bao-cao/in?nam=%d%s", p.R.Year, p.den())
}

func exportURL(r *progress.Report, chosen bool, ext string) string {
	u := fmt.Sprintf("/bao-cao/%d.%s", r.Year, ext)
	if chosen {
		u += "?den=" + r.AsOf.Format("2006-01-02")
	}
	return u
}

// AsOfValue is the cut-off for the date field (yyyy-mm-dd).
func (p *DashboardPage) AsOfValue() string { return p.R.AsOf.Format("2006-01-02") }

// Date shows a day as dd/mm/yyyy.
func (p *DashboardPage) Date(t time.Time) string { return vntext.Date(t) }

// DateTime shows a time in Vietnam.
func (p *DashboardPage) DateTime(t time.Time) string { return vntext.DateTime(t) }

// Pct is done/total as a whole percentage for a <meter>-free bar.
func (p *DashboardPage) Pct(done, total int) int {
	if total == 0 {
		return 0
	}
	return min(100, done*100/total)
}

func (h *Handler) dashboard(c *gin.Context) error {
	year, years, asOf, err := h.year(c)
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	page, err := h.dashboardPage(c, year, years, asOf, f, vntext.NFC(strings.TrimSpace(c.Query("don-vi"))))
	if err != nil {
		return err
	}
	if page.Send != nil {
		page.Send.fill(page.R)
	}
	return h.admin.Render(c, http.StatusOK, "report", page)
}

// dashboardPage measures the year and lays out the dashboard.
func (h *Handler) dashboardPage(c *gin.Context, year int, years []int, asOf time.Time, f Filter, unit string) (*DashboardPage, error) {
	r, err := h.reportFor(c, year, asOf, unit)
	if err != nil {
		return nil, err
	}
	years = withYear(years, year)
	page := &DashboardPage{
		Layout: h.admin.Layout(c, locale.T("report.web.title", year), "reports"),
		R:      r, Years: years, Filter: f, Chart: newChart(r), Chosen: !asOf.IsZero(),
	}
	if CanSeeProvince(admin.CurrentUser(c)) {
		page.ProvinceURL = fmt.Sprintf("%s?nam=%d", ProvincePath, year)
	}
	if u := admin.CurrentUser(c); u != nil && u.Role.Can(auth.SendReport) {
		page.Send = &SendForm{Year: year}
		switch d, err := h.store.ReportDraft(c.Request.Context(), year); {
		case err == nil:
			page.Draft = d
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	for _, k := range []content.Kind{content.Article, content.Procedure, content.Document} {
		page.Kinds = append(page.Kinds, KindOption{k, k.Label()})
	}
	n, err := web.PageNumber(c)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range r.Entries {
		if f.match(e) {
			page.Entries = append(page.Entries, e)
		}
		for _, a := range []string{e.Author, e.Actor} {
			if a != "" && !seen[a] {
				seen[a] = true
				page.Authors = append(page.Authors, a)
			}
		}
	}
	slices.SortFunc(page.Authors, vntext.Compare)
	// The rows a page: a page past the last (the rows a filter keeps
	// changed since the link was made) shows the last.
	q := c.Request.URL.Query()
	q.Del("trang")
	page.Matching = len(page.Entries)
	page.Pager = web.NewPager(n, page.Matching, h.logPage, c.Request.URL.Path+"?"+q.Encode())
	page.Pager.Anchor = "nhat-ky"
	page.Pager.Page = min(n, page.Pager.Pages)
	page.first = (page.Pager.Page-1)*h.logPage + 1
	page.Entries = page.Entries[page.first-1 : min(page.first-1+h.logPage, page.Matching)]
	return page, nil
}

// FirstRow is the place of the page's first row among the rows matching
// (1 on the first page); LastRow that of its last.
func (p *DashboardPage) FirstRow() int { return p.first }

// LastRow: see FirstRow.
func (p *DashboardPage) LastRow() int { return p.first + len(p.Entries) - 1 }

var exportName = regexp.MustCompile(`^(\d{4})\.(csv|xlsx|docx)$`)

func (h *Handler) export(c *gin.Context) error {
	m := exportName.FindStringSubmatch(c.Param("file"))
	if m == nil {
		return web.NotFound()
	}
	year, _ := strconv.Atoi(m[1])
	if year < 1900 {
		return web.NotFound()
	}
	_, _, asOf, err := h.year(c)
	if err != nil {
		return err
	}
	level, err := reportLevel(c)
	if err != nil {
		return err
	}
	r, err := h.report(c, year, asOf)
	if err != nil {
		return err
	}
	r.Department = level == LevelDepartment
	// Written to memory first: a failure still gets a proper error page.
	var buf bytes.Buffer
	ctype := "text/csv; charset=utf-8"
	switch m[2] {
	case "csv":
		err = r.WriteCSV(&buf)
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = r.WriteXLSX(&buf)
	case "docx":
		// The report as a Word document, for the staff to finish in Word.
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		var p *Paper
		if p, err = h.paper(c, r, level); err == nil {
			err = p.WriteDOCX(&buf)
		}
	}
	if err != nil {
		return err
	}
	name := "bao-cao"
	if level == LevelDepartment {
		name = "bao-cao-so"
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.%s"`, name, year, m[2]))
	c.Data(http.StatusOK, ctype, buf.Bytes())
	return nil
}

// withYear is years (newest first, as the year choosers list them) with
// year among them: a year asked for by its address is offered even when
// nothing was published in it.
func withYear(years []int, year int) []int {
	if slices.Contains(years, year) {
		return years
	}
	years = append(years, year)
	slices.Sort(years)
	slices.Reverse(years)
	return years
}
