package admin

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
)

// AgencyParam is the query parameter with which the province role picks
// the agency whose dashboard and report it reads (?co-quan=slug).
const AgencyParam = "co-quan"

// agencyCookie keeps the province role's choice for the pages it opens
// next — the report's links, forms and exports carry no ?co-quan= — until
// it chooses again or the browser closes.
const agencyCookie = "cchc_co_quan"

// requestAgency is the agency the request of account u acts for: the
// account's own (users.agency_id), except that the province role, which
// reads every agency's dashboard and report and writes nothing, may name
// another with ?co-quan=slug on a page (GET or HEAD), kept in a cookie
// for its next pages. An unknown slug in the query is a 404 (it writes
// the refusal and returns false); in the cookie it is forgotten.
func (a *Admin) requestAgency(c *gin.Context, u *store.User) (int64, bool) {
	id := u.AgencyID
	if id <= 0 {
		id = agency.Root
	}
	if u.Role != auth.Province || unsafeMethod(c.Request.Method) {
		return id, true
	}
	slug, fromQuery := c.Query(AgencyParam), true
	if slug == "" {
		slug, _ = c.Cookie(agencyCookie)
		fromQuery = false
	}
	if slug == "" {
		return id, true
	}
	ag, err := a.store.AgencyBySlug(c.Request.Context(), slug)
	switch {
	case errors.Is(err, store.ErrNotFound) && fromQuery:
		a.RenderError(c, http.StatusNotFound, locale.T("admin.agency.unknown"))
		return 0, false
	case errors.Is(err, store.ErrNotFound):
		a.setAgencyCookie(c, "")
		return id, true
	case err != nil:
		a.log.Error("agency of the request", slog.Any("err", err))
		a.RenderError(c, http.StatusInternalServerError, locale.T("error.internal"))
		return 0, false
	}
	if fromQuery {
		a.setAgencyCookie(c, ag.Slug)
	}
	return ag.ID, true
}

// setAgencyCookie keeps the province role's chosen agency (slug; "" forgets
// it) for the browser's session.
func (a *Admin) setAgencyCookie(c *gin.Context, slug string) {
	ck := &http.Cookie{Name: agencyCookie, Value: slug, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.secure(c.Request)}
	if slug == "" {
		ck.MaxAge = -1
	}
	http.SetCookie(c.Writer, ck)
}

// actingAgency is the agency the request acts for (set by RequireRole).
func actingAgency(c *gin.Context) int64 { return agency.IDFrom(c.Request.Context()) }
