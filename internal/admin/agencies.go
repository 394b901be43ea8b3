package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// AgenciesPath is the agencies screen (issue 20): the root agency's
// admins list, add and edit the agencies of the instance.
const AgenciesPath = "/quan-tri/co-quan/"

// agencyWords are each text field's label and hint keys, in the form's
// order.
var agencyWords = []struct{ field, label, hint string }{
	{agency.FieldName, "admin.agency.name", "admin.agency.name.hint"},
	{agency.FieldShortName, "admin.agency.short_name", "admin.agency.short_name.hint"},
	{agency.FieldSlug, "admin.agency.slug", "admin.agency.slug.hint"},
	{agency.FieldPrefix, "admin.agency.prefix", "admin.agency.prefix.hint"},
	{agency.FieldHost, "admin.agency.host", "admin.agency.host.hint"},
	{agency.FieldAddress, "admin.agency.address", ""},
	{agency.FieldPhone, "admin.agency.phone", ""},
	{agency.FieldEmail, "admin.agency.email", ""},
	{agency.FieldWebsite, "admin.agency.website", "admin.agency.website.hint"},
}

// AgenciesPage lists the agencies and has the form to add one.
type AgenciesPage struct {
	Layout
	Agencies []agency.Agency
	// Parents names each agency's parent by id, for the list.
	Parents map[int64]string
	Form    AgencyForm
}

// AgencyPage is one agency's form.
type AgencyPage struct {
	Layout
	Agency agency.Agency
	Form   AgencyForm
	// Conflict is set when another admin saved the record since the form
	// was opened: Current is the record as stored now.
	Conflict bool
	Current  agency.Agency
}

// AgencyForm is the agency form: where it posts, its button and the
// summary's words, the session's token, its text inputs, the parent
// chosen among the other agencies, the problems for the summary, and the
// stamp of the record it was opened on (edits only).
type AgencyForm struct {
	Action, Submit, NotSaved, CSRF string

	Inputs  []Input
	Parents []agency.Agency
	Parent  int64
	Errors  []Input
	// ParentError is the parent field's problem ("" for none).
	ParentError string
	Seen        string
}

// registerAgencies adds the agencies screen, for the root agency's
// admins only (an agency's own admin is refused with 403).
func (a *Admin) registerAgencies(r *gin.Engine) {
	g := r.Group("/quan-tri/co-quan", a.RequireRole(auth.Admin), a.rootAdmin)
	g.GET("/", a.Handle(a.agencies))
	g.POST("/", a.Handle(a.agencyAdd))
	g.GET("/:id", a.Handle(a.agencyEdit))
	g.POST("/:id", a.Handle(a.agencySave))
}

// rootAdmin refuses whoever is not an admin of the root agency.
func (a *Admin) rootAdmin(c *gin.Context) {
	if u := CurrentUser(c); u == nil || u.Role != auth.Admin || u.AgencyID != agency.Root {
		a.RenderError(c, http.StatusForbidden, locale.T("admin.refused.forbidden"))
		return
	}
	c.Next()
}

func (a *Admin) agencies(c *gin.Context) error {
	return a.renderAgencies(c, http.StatusOK, agency.Agency{}, nil)
}

func (a *Admin) renderAgencies(c *gin.Context, status int, typed agency.Agency, errs map[string]string) error {
	list, err := a.store.Agencies(c.Request.Context())
	if err != nil {
		return err
	}
	page := AgenciesPage{Layout: a.Layout(c, locale.T("admin.agencies.title"), "agencies"), Agencies: list, Parents: map[int64]string{},
		Form: agencyForm(typed, errs, list)}
	page.Form.Action, page.Form.Submit, page.Form.NotSaved, page.Form.CSRF = AgenciesPath, locale.T("admin.agencies.add"), locale.T("admin.agencies.not_added"), page.CSRF
	for _, ag := range list {
		page.Parents[ag.ID] = ag.ShortName
	}
	return a.Render(c, status, "agencies", page)
}

// agencyForm fills the form with v (as typed or as stored) and errs.
func agencyForm(v agency.Agency, errs map[string]string, all []agency.Agency) AgencyForm {
	f := AgencyForm{Parent: v.ParentID, ParentError: errs[agency.FieldParent]}
	for _, w := range agencyWords {
		in := Input{Name: w.field, Label: locale.T(w.label), Value: v.Get(w.field), Error: errs[w.field],
			Required: w.field == agency.FieldName || w.field == agency.FieldShortName || w.field == agency.FieldSlug}
		if w.hint != "" {
			in.Hint = locale.T(w.hint)
		}
		switch w.field {
		case agency.FieldSlug, agency.FieldPrefix, agency.FieldHost:
			in.NoCaps, in.Autocomplete = true, "off"
		case agency.FieldEmail:
			in.Type, in.NoCaps, in.Autocomplete = "email", true, "off"
		case agency.FieldPhone:
			in.Type, in.Autocomplete = "tel", "off"
		case agency.FieldWebsite:
			in.Type, in.NoCaps = "url", true
		}
		f.Inputs = append(f.Inputs, in)
		if in.Error != "" {
			f.Errors = append(f.Errors, in)
		}
	}
	if f.ParentError != "" {
		f.Errors = append(f.Errors, Input{Name: "parent_id", Label: locale.T("admin.agency.parent"), Error: f.ParentError})
	}
	for _, ag := range all {
		if v.ID == 0 || ag.ID != v.ID {
			f.Parents = append(f.Parents, ag)
		}
	}
	return f
}

// typedAgency reads the form. A parent that is not a number is an id no
// agency has, which the store refuses as a missing parent.
func typedAgency(c *gin.Context) agency.Agency {
	var v agency.Agency
	v.Slug, v.Name, v.ShortName = c.PostForm(agency.FieldSlug), c.PostForm(agency.FieldName), c.PostForm(agency.FieldShortName)
	v.Prefix, v.Host = c.PostForm(agency.FieldPrefix), c.PostForm(agency.FieldHost)
	v.Address, v.Phone, v.Email, v.Website = c.PostForm(agency.FieldAddress), c.PostForm(agency.FieldPhone), c.PostForm(agency.FieldEmail), c.PostForm(agency.FieldWebsite)
	if p := strings.TrimSpace(c.PostForm(agency.FieldParent)); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			id = -1
		}
		v.ParentID = id
	}
	return v
}

// shownAgency is what was typed as the form shows it back: cleaned as it
// would be stored, cut to a form's worth, each control character shown
// as U+FFFD where it was, so that nothing invisible reaches the page.
func shownAgency(v agency.Agency) agency.Agency {
	v = agency.Clean(v)
	for _, w := range agencyWords {
		s := v.Get(w.field)
		if r := []rune(s); len(r) > 2*agency.Limit(w.field) {
			s = string(r[:2*agency.Limit(w.field)])
		}
		s = strings.Map(func(r rune) rune {
			if vntext.IsControl(r) {
				return '\uFFFD'
			}
			return r
		}, s)
		v.Set(w.field, s)
	}
	if v.ParentID < 0 {
		v.ParentID = 0
	}
	return v
}

// agencyAudit is the audit row of a change to an agency by the request's
// admin (the store fills in the action and the target).
func (a *Admin) agencyAudit(c *gin.Context, detail string) store.AuditEntry {
	return store.AuditEntry{At: a.now(), Actor: CurrentUser(c).Name, Detail: detail, Address: clientAddr(c)}
}

// agencyAdd is POST /quan-tri/co-quan/: problems come back with what was
// typed (422); a good record is added with its audit row.
func (a *Admin) agencyAdd(c *gin.Context) error {
	v := typedAgency(c)
	_, err := a.store.CreateAgency(c.Request.Context(), v, a.agencyAudit(c, locale.T("admin.agency.audit.add", agency.Clean(v).Name)))
	if errs := agency.Problems(err); errs != nil {
		return a.renderAgencies(c, http.StatusUnprocessableEntity, shownAgency(v), errs)
	}
	if err != nil {
		return err
	}
	return a.Redirect(c, AgenciesPath, locale.T("admin.agency.done.add", agency.Clean(v).Name))
}

// loadAgency reads the agency of the :id parameter.
func (a *Admin) loadAgency(c *gin.Context) (*agency.Agency, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, web.NotFound()
	}
	return a.store.Agency(c.Request.Context(), id)
}

func (a *Admin) agencyEdit(c *gin.Context) error {
	cur, err := a.loadAgency(c)
	if err != nil {
		return err
	}
	return a.renderAgency(c, http.StatusOK, *cur, *cur, nil, false)
}

// renderAgency draws the form of the stored agency cur with v in its
// fields; a conflict shows cur as stored now, and the form then carries
// cur's stamp, so that saving again is a choice made seeing it.
func (a *Admin) renderAgency(c *gin.Context, status int, cur, v agency.Agency, errs map[string]string, conflict bool) error {
	all, err := a.store.Agencies(c.Request.Context())
	if err != nil {
		return err
	}
	v.ID = cur.ID
	page := AgencyPage{Layout: a.Layout(c, locale.T("admin.agency.title", cur.Name), "agencies"), Agency: cur,
		Form: agencyForm(v, errs, all), Conflict: conflict, Current: cur}
	page.Form.Seen = store.AgencyStamp(cur)
	page.Form.Action, page.Form.Submit, page.Form.NotSaved, page.Form.CSRF = AgenciesPath+strconv.FormatInt(cur.ID, 10), locale.T("admin.form.save"), locale.T("admin.agency.not_saved"), page.CSRF
	return a.Render(c, status, "agency", page)
}

// agencySave is POST /quan-tri/co-quan/:id: problems come back with what
// was typed (422); a record another admin saved since the form was opened
// comes back too (409), with what is stored now; else it is saved with
// its audit row.
func (a *Admin) agencySave(c *gin.Context) error {
	ctx := c.Request.Context()
	cur, err := a.loadAgency(c)
	if err != nil {
		return err
	}
	v := typedAgency(c)
	v.ID = cur.ID
	seen := c.PostForm("seen")
	if seen == "" {
		// A form without its stamp is not one this screen drew.
		return web.BadRequest(locale.T("admin.refused.bad_body"))
	}
	err = a.store.UpdateAgencySeen(ctx, v, seen, a.agencyAudit(c, locale.T("admin.agency.audit.edit", agency.Clean(v).Name)))
	if errs := agency.Problems(err); errs != nil {
		return a.renderAgency(c, http.StatusUnprocessableEntity, *cur, shownAgency(v), errs, false)
	}
	if errors.Is(err, store.ErrConflict) {
		now, err := a.store.Agency(ctx, cur.ID)
		if err != nil {
			return err
		}
		return a.renderAgency(c, http.StatusConflict, *now, shownAgency(v), nil, true)
	}
	if err != nil {
		return err
	}
	return a.Redirect(c, AgenciesPath, locale.T("admin.agency.done.edit", agency.Clean(v).Name))
}
