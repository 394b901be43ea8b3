package report

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// maxDraftSection is the longest section II or III, in characters: some
// ten printed pages, far more than a yearly report's prose.
const maxDraftSection = 20000

// DraftPage is /bao-cao/du-thao?nam=YYYY: sections II and III of the
// year's report, written by the staff who may record the report
// (auth.SendReport), saved as revisions. It opens on the newest revision,
// or on the suggestion made from the figures while none is saved.
type DraftPage struct {
	admin.Layout
	Year int
	// Base is the revision the form was opened on (0: none yet); a save
	// over an older one is a conflict.
	Base         int
	Shortcomings admin.Input // phan-ii
	Directions   admin.Input // phan-iii
	Errors       []admin.Input
	// Suggested reports whether the text is the suggestion from the
	// figures (nothing saved yet).
	Suggested bool
	// Viewing is the older revision loaded into the form (?ban=), 0 for
	// the newest.
	Viewing int
	// Theirs is the revision saved by someone else while this form was
	// open (a conflict): shown beside what was typed, which is kept.
	Theirs  *store.ReportDraft
	History []*store.ReportDraft
}

// DateTime shows a time in Vietnam.
func (p *DraftPage) DateTime(t time.Time) string { return vntext.DateTime(t) }

// PrintURL is the year's print, which uses the draft.
func (p *DraftPage) PrintURL() string { return fmt.Sprintf("/bao-cao/in?nam=%d", p.Year) }

// RevisionURL loads revision rev into the form.
func (p *DraftPage) RevisionURL(rev int) string {
	return fmt.Sprintf("%s&ban=%d", draftURL(p.Year), rev)
}

// Lines splits a saved text into lines for display.
func (p *DraftPage) Lines(s string) []string { return Paragraphs(s) }

func draftURL(year int) string { return fmt.Sprintf("/bao-cao/du-thao?nam=%d", year) }

func canWriteDraft(c *gin.Context) bool {
	u := admin.CurrentUser(c)
	return u != nil && u.Role.Can(auth.SendReport)
}

func forbidDraft(c *gin.Context) error {
	if !canWriteDraft(c) {
		return &web.Error{Status: http.StatusForbidden, Message: locale.T("report.draft.forbidden")}
	}
	return nil
}

func (p *DraftPage) label() {
	p.Shortcomings.Name, p.Shortcomings.Label, p.Shortcomings.Required = "phan-ii", locale.T("report.draft.shortcomings"), true
	p.Shortcomings.Hint = locale.T("report.draft.hint")
	p.Directions.Name, p.Directions.Label, p.Directions.Required = "phan-iii", locale.T("report.draft.directions"), true
	p.Directions.Hint = locale.T("report.draft.hint")
	p.Errors = p.Errors[:0]
	for _, in := range []admin.Input{p.Shortcomings, p.Directions} {
		if in.Error != "" {
			p.Errors = append(p.Errors, in)
		}
	}
}

// draftPage is the form of year with its history.
func (h *Handler) draftPage(c *gin.Context, year int) (*DraftPage, error) {
	p := &DraftPage{Layout: h.admin.Layout(c, locale.T("report.draft.title", year), "reports"), Year: year}
	var err error
	if p.History, err = h.store.ReportDrafts(c.Request.Context(), year); err != nil {
		return nil, err
	}
	if len(p.History) > 0 {
		p.Base = p.History[0].Revision
	}
	return p, nil
}

func draftYear(v string) (int, error) {
	y, err := strconv.Atoi(v)
	if err != nil || y < 1900 || y > 9999 {
		return 0, web.BadRequest(locale.T("report.web.bad_year"))
	}
	return y, nil
}

// draft is GET /bao-cao/du-thao?nam=YYYY[&ban=N].
func (h *Handler) draft(c *gin.Context) error {
	if err := forbidDraft(c); err != nil {
		return err
	}
	year, err := draftYear(c.Query("nam"))
	if err != nil {
		return err
	}
	p, err := h.draftPage(c, year)
	if err != nil {
		return err
	}
	var shown *store.ReportDraft
	if len(p.History) > 0 {
		shown = p.History[0]
	}
	if v := c.Query("ban"); v != "" {
		rev, err := strconv.Atoi(v)
		if err != nil || rev < 1 {
			return web.NotFound()
		}
		d, err := h.store.ReportDraftRevision(c.Request.Context(), year, rev)
		if errors.Is(err, store.ErrNotFound) {
			return web.NotFound()
		}
		if err != nil {
			return err
		}
		shown, p.Viewing = d, rev
	}
	if shown != nil {
		p.Shortcomings.Value, p.Directions.Value = shown.Shortcomings, shown.Directions
	} else {
		r, err := h.report(c, year, time.Time{})
		if err != nil {
			return err
		}
		p.Shortcomings.Value, p.Directions.Value = Suggestion(r)
		p.Suggested = true
	}
	p.label()
	return h.admin.Render(c, http.StatusOK, "report-draft", p)
}

// checkSection is the problem of one section's text, "" when none.
func checkSection(v string) string {
	switch {
	case strings.TrimSpace(v) == "":
		return locale.T("report.draft.required")
	case utf8.RuneCountInString(v) > maxDraftSection:
		return locale.T("report.draft.long", maxDraftSection)
	case vntext.ControlAt(strings.NewReplacer("\r", "", "\n", "", "\t", "").Replace(v)) >= 0:
		return locale.T("report.draft.control")
	}
	return ""
}

// saveDraft is POST /bao-cao/du-thao: a new revision over the one the
// form was opened on. A form with problems comes back (422) with what was
// typed; a save over a revision no longer the newest comes back (409)
// with both versions, nothing saved and nothing lost.
func (h *Handler) saveDraft(c *gin.Context) error {
	if err := forbidDraft(c); err != nil {
		return err
	}
	year, err := draftYear(c.PostForm("nam"))
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.PostForm("ban-goc"))
	if err != nil || base < 0 {
		return web.BadRequest(locale.T("report.draft.bad_base"))
	}
	p, err := h.draftPage(c, year)
	if err != nil {
		return err
	}
	clean := func(name string) string {
		v := strings.ToValidUTF8(c.PostForm(name), "\uFFFD")
		return vntext.NFC(strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")))
	}
	p.Shortcomings.Value, p.Directions.Value = clean("phan-ii"), clean("phan-iii")
	p.Shortcomings.Error, p.Directions.Error = checkSection(p.Shortcomings.Value), checkSection(p.Directions.Value)
	if p.Shortcomings.Error != "" || p.Directions.Error != "" {
		// The form keeps the revision it was opened on: the save, once
		// fixed, still notices anyone who saved meanwhile.
		p.Base = base
		p.label()
		return h.admin.Render(c, http.StatusUnprocessableEntity, "report-draft", p)
	}
	u := admin.CurrentUser(c)
	now := h.now()
	d := &store.ReportDraft{Year: year, Shortcomings: p.Shortcomings.Value, Directions: p.Directions.Value,
		Author: u.Name, SavedAt: now.UTC().Truncate(time.Second)}
	err = h.store.SaveReportDraft(c.Request.Context(), d, base, store.AuditEntry{At: now, Actor: u.Name, Action: store.AuditReportDraft,
		Target: fmt.Sprintf("report:%d", year), Detail: locale.T("report.draft.audit", year, base+1), Address: c.ClientIP()})
	if errors.Is(err, store.ErrConflict) {
		if p.History, err = h.store.ReportDrafts(c.Request.Context(), year); err != nil {
			return err
		}
		// Base becomes the newest: saving again, having read theirs,
		// replaces it on purpose.
		p.Base = 0
		if len(p.History) > 0 {
			p.Theirs, p.Base = p.History[0], p.History[0].Revision
		}
		p.label()
		return h.admin.Render(c, http.StatusConflict, "report-draft", p)
	}
	if err != nil {
		return err
	}
	return h.admin.Redirect(c, draftURL(year), locale.T("report.draft.saved", d.Revision, year))
}

// Fields are the form's two sections, in order.
func (p *DraftPage) Fields() []admin.Input { return []admin.Input{p.Shortcomings, p.Directions} }
