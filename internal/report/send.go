package report

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// Limits of the sending form's fields.
const (
	maxNumber = 60
	maxNote   = 500
)

// SendForm is the form recording that the year's report was sent, with
// what was typed and a message per field when it comes back.
type SendForm struct {
	Year int
	// Report is which report was sent (bao-cao): "" the unit's, "so"
	// the Sở's consolidated one, offered when the plan has it (Choices).
	Report string
	On     admin.Input // ngay-gui: the dispatch's date
	Number admin.Input // so-ky-hieu
	File   admin.Input // tep: the signed copy in the media library
	Note   admin.Input // ghi-chu
	// Errors lists the fields with a problem, for the summary.
	Errors []admin.Input
}

// fill sets the fields' labels and hints (keeping any value typed).
func (f *SendForm) fill(r *progress.Report) {
	f.On.Name, f.On.Label, f.On.Required = "ngay-gui", locale.T("report.send.on"), true
	f.On.Hint = locale.T("report.send.on.hint", r.Year)
	f.Number.Name, f.Number.Label, f.Number.Required, f.Number.NoCaps = "so-ky-hieu", locale.T("report.send.number"), true, true
	f.Number.Hint = locale.T("report.send.number.hint")
	f.File.Name, f.File.Label, f.File.NoCaps = "tep", locale.T("report.send.file"), true
	f.File.Hint = locale.T("report.send.file.hint")
	f.Note.Name, f.Note.Label = "ghi-chu", locale.T("report.send.note")
	f.Errors = f.Errors[:0]
	for _, in := range []admin.Input{f.On, f.Number, f.File, f.Note} {
		if in.Error != "" {
			f.Errors = append(f.Errors, in)
		}
	}
}

// SendChoice is one answer to the sending form's "which report".
type SendChoice struct {
	Value, Label string
	Checked      bool
}

// Choices are the reports a sending can be of: the unit's and, when the
// plan has it, the Sở's consolidated one, each with its deadline.
func (p *DashboardPage) Choices() []SendChoice {
	if p.Send == nil || p.R.DepartmentDue == nil {
		return nil
	}
	return []SendChoice{
		{Value: "", Label: locale.T("report.send.which.unit", vntext.Date(p.R.Due.Date)), Checked: p.Send.Report == ""},
		{Value: "so", Label: locale.T("report.send.which.department", vntext.Date(p.R.DepartmentDue.Date)), Checked: p.Send.Report == "so"},
	}
}

// SendingFile is the link to a record's signed copy, "" when none.
func (p *DashboardPage) SendingFile(s *store.ReportSending) string {
	if s.File == "" {
		return ""
	}
	return "/tep/" + s.File
}

// recordSending is POST /bao-cao/gui: the year's report was sent. Viewers
// and editors get a 403; a form with problems comes back (422) with what
// was typed; a good one is recorded with its audit row in one
// transaction, and the dashboard of that year says so.
func (h *Handler) recordSending(c *gin.Context) error {
	u := admin.CurrentUser(c)
	if u == nil || !u.Role.Can(auth.SendReport) {
		return &web.Error{Status: http.StatusForbidden, Message: locale.T("report.send.forbidden")}
	}
	year, err := strconv.Atoi(c.PostForm("nam"))
	if err != nil || year < 1900 || year > 9999 {
		return web.BadRequest(locale.T("report.web.bad_year"))
	}
	ctx := c.Request.Context()
	now := h.now()
	which := c.PostForm("bao-cao")
	if which != "" && which != "so" {
		return web.BadRequest(locale.T("report.send.which.bad"))
	}
	form := &SendForm{Year: year, Report: which}
	clean := func(name string) string { return vntext.NFC(strings.TrimSpace(c.PostForm(name))) }
	form.On.Value, form.Number.Value, form.File.Value, form.Note.Value = clean("ngay-gui"), clean("so-ky-hieu"), clean("tep"), clean("ghi-chu")
	rec := &store.ReportSending{Year: year, Report: which, Number: form.Number.Value, Note: form.Note.Value, RecordedBy: u.Name, RecordedAt: now.UTC().Truncate(time.Second)}

	switch on, err := vntext.ParseDate(form.On.Value); {
	case form.On.Value == "":
		form.On.Error = locale.T("report.send.on.required")
	case err != nil:
		form.On.Error = locale.T("report.send.on.invalid")
	case progress.Day(on).After(progress.Day(now)):
		form.On.Error = locale.T("report.send.on.future")
	case on.In(vntext.Zone).Year() < year:
		form.On.Error = locale.T("report.send.on.before_year", year, year)
	default:
		rec.SentOn = progress.Day(on)
	}
	switch n := form.Number.Value; {
	case n == "":
		form.Number.Error = locale.T("report.send.number.required")
	case utf8.RuneCountInString(n) > maxNumber:
		form.Number.Error = locale.T("report.send.number.long", maxNumber)
	case vntext.ControlAt(n) >= 0:
		form.Number.Error = locale.T("report.send.number.control")
	}
	switch n := form.Note.Value; {
	case utf8.RuneCountInString(n) > maxNote:
		form.Note.Error = locale.T("report.send.note.long", maxNote)
	case vntext.ControlAt(strings.NewReplacer("\r", "", "\n", "", "\t", "").Replace(n)) >= 0:
		form.Note.Error = locale.T("report.send.note.control")
	}
	if v := form.File.Value; v != "" {
		name := mediaName(v)
		m, err := h.store.MediaFile(ctx, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			form.File.Error = locale.T("report.send.file.missing")
		case err != nil:
			return err
		case m.ContentType != "application/pdf":
			form.File.Error = locale.T("report.send.file.not_pdf")
		default:
			rec.File = m.Name
		}
	}
	if form.On.Error != "" || form.Number.Error != "" || form.File.Error != "" || form.Note.Error != "" {
		years, err := h.log.Years(ctx)
		if err != nil {
			return err
		}
		page, err := h.dashboardPage(c, year, years, time.Time{}, Filter{}, "")
		if err != nil {
			return err
		}
		page.Send = form
		form.fill(page.R)
		return h.admin.Render(c, http.StatusUnprocessableEntity, "report", page)
	}
	auditKey, doneKey, target := "report.send.audit", "report.send.done", fmt.Sprintf("report:%d", year)
	if which == "so" {
		auditKey, doneKey, target = "report.send.audit.department", "report.send.done.department", fmt.Sprintf("report:%d:so", year)
	}
	detail := locale.T(auditKey, year, rec.Number, vntext.Date(rec.SentOn))
	if rec.File != "" {
		detail += ", " + locale.T("report.send.audit.file", rec.File)
	}
	err = h.store.RecordReportSending(ctx, rec, store.AuditEntry{At: now, Actor: u.Name, Action: store.AuditReportSent,
		Target: target, Detail: detail, Address: c.ClientIP()})
	if err != nil {
		return err
	}
	return h.admin.Redirect(c, fmt.Sprintf("/bao-cao/?nam=%d#gui-bao-cao", year),
		locale.T(doneKey, year, rec.Number, vntext.Date(rec.SentOn)))
}

// mediaName accepts what is pasted for a media file: its name, or its
// address (/tep/NAME, or a full URL ending in /tep/NAME).
func mediaName(v string) string {
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		v = u.Path
	}
	if rest, ok := strings.CutPrefix(v, "/tep/"); ok {
		return rest
	}
	return v
}
