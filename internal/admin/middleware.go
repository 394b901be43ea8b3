package admin

import (
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// CookieName is the session cookie.
const CookieName = "cchc_session"

// CSRFField is the form field (and X-CSRF-Token the header) that carries
// the session's form token.
const CSRFField = "csrf"

// context keys
const (
	ctxSession = "admin:session" // *store.Session, nil when none
	ctxOrigin  = "admin:origin"  // set once the cross-origin check passed
	ctxBody    = "admin:body"    // the route's bodyPolicy, set once applied
)

// touchEvery limits how often a session's idle clock is written: not on
// every request, but often enough for an 8-hour idle limit.
const touchEvery = time.Minute

// multipartMemory is how much of an upload's files the parser keeps in
// memory; the rest goes to a temporary file in os.TempDir, removed when
// the request ends (see limitBody).
const multipartMemory = 1 << 20

// bodyPolicy is what a route accepts as a request body: at most limit
// bytes, and multipart/form-data only where files are uploaded.
type bodyPolicy struct {
	limit     int64
	multipart bool
	tooBig    string // the 413's message
}

// formBody is the policy of every route but the upload.
func (a *Admin) formBody() bodyPolicy {
	return bodyPolicy{limit: a.maxForm, tooBig: locale.T("admin.refused.body_too_big")}
}

// limitBody applies p to the route's requests before anything reads a
// byte of the body (see applyBody), and removes the temporary files of a
// parsed multipart form when the request ends, however it ends: net/http's
// server does this too after the handler returns, but not when a panic
// (http.ErrAbortHandler, which the recovery middleware passes on) aborts it.
func (a *Admin) limitBody(p bodyPolicy) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !a.applyBody(c, p) {
			return
		}
		defer func() {
			if f := c.Request.MultipartForm; f != nil {
				_ = f.RemoveAll()
			}
		}()
		c.Next()
	}
}

// applyBody checks the request's body against p, whatever its
// Content-Type: a multipart body where p takes none is refused with 415,
// a body declared larger than p.limit with 413, both before it is read
// (the connection is closed, as the body is left unread); any other body
// is cut at p.limit. It writes the refusal and returns false.
func (a *Admin) applyBody(c *gin.Context, p bodyPolicy) bool {
	c.Set(ctxBody, p)
	r := c.Request
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return true
	}
	if !p.multipart && isMultipart(r.Header.Get("Content-Type")) {
		c.Header("Connection", "close")
		a.RenderError(c, http.StatusUnsupportedMediaType, locale.T("admin.refused.no_files"))
		return false
	}
	if r.ContentLength > p.limit {
		c.Header("Connection", "close")
		a.RenderError(c, http.StatusRequestEntityTooLarge, p.tooBig)
		return false
	}
	r.Body = http.MaxBytesReader(c.Writer, r.Body, p.limit)
	return true
}

// isMultipart reports whether a Content-Type names any multipart body,
// even one too malformed for mime.ParseMediaType.
func isMultipart(contentType string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "multipart/")
}

// refuseDamaged answers every workspace request with a 503 page while the
// database is marked damaged: signing in is itself a write, and nothing
// may be written into a broken file.
func (a *Admin) refuseDamaged(c *gin.Context) bool {
	if a.store.Damage() == "" {
		return false
	}
	a.RenderError(c, http.StatusServiceUnavailable, locale.T("admin.refused.damaged"))
	return true
}

// CurrentSession is the session of the request, nil when not logged in.
// It is set by RequireRole (and the login page).
func CurrentSession(c *gin.Context) *store.Session {
	v, ok := c.Get(ctxSession)
	if !ok {
		return nil
	}
	se, _ := v.(*store.Session)
	return se
}

// CurrentUser is the logged-in account, nil when none.
func CurrentUser(c *gin.Context) *store.User {
	if se := CurrentSession(c); se != nil {
		return se.User
	}
	return nil
}

// CSRFToken is the form token of the request's session ("" when none).
func CSRFToken(c *gin.Context) string {
	if se := CurrentSession(c); se != nil {
		return se.CSRF
	}
	return ""
}

// CrossOrigin refuses state-changing requests sent from another site
// (Go's http.CrossOriginProtection: Sec-Fetch-Site, else Origin against
// Host) with a Vietnamese 403 page.
func (a *Admin) CrossOrigin() gin.HandlerFunc {
	return func(c *gin.Context) {
		if a.refuseDamaged(c) || !a.checkOrigin(c) {
			return
		}
		c.Next()
	}
}

func (a *Admin) checkOrigin(c *gin.Context) bool {
	if _, done := c.Get(ctxOrigin); done {
		return true
	}
	if err := a.cop.Check(c.Request); err != nil {
		a.log.Info("cross-origin request refused", slog.String("path", web.SentPath(c.Request)),
			slog.String("origin", c.GetHeader("Origin")), slog.String("sec_fetch_site", c.GetHeader("Sec-Fetch-Site")))
		a.RenderError(c, http.StatusForbidden, locale.T("admin.refused.cross_site"))
		return false
	}
	c.Set(ctxOrigin, true)
	return true
}

// RequireRole guards a route or group: it refuses cross-site requests,
// finds the session, checks that its account has one of roles (an admin
// is always admitted; no roles admits any account), and checks the form
// token of every state-changing request. Without a session it redirects
// HTML requests to the login page (302, with ?next=) and answers others
// 401; a wrong role or a bad form token is a Vietnamese 403 page, and the
// handler never runs.
func (a *Admin) RequireRole(roles ...auth.Role) gin.HandlerFunc {
	roles = slices.Clone(roles)
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		web.DenyFraming(c)
		// The body's limits first, before any work; a route that set its
		// own (the upload) has applied them already.
		if _, set := c.Get(ctxBody); !set && !a.applyBody(c, a.formBody()) {
			return
		}
		if a.refuseDamaged(c) || !a.checkOrigin(c) {
			return
		}
		se, err := a.session(c)
		if err != nil {
			a.log.Error("session", slog.Any("err", err))
			a.RenderError(c, http.StatusInternalServerError, locale.T("error.internal"))
			return
		}
		if se == nil {
			a.needLogin(c)
			return
		}
		if r := se.User.Role; r != auth.Admin && len(roles) > 0 && !slices.Contains(roles, r) {
			a.RenderError(c, http.StatusForbidden, locale.T("admin.refused.forbidden"))
			return
		}
		if unsafeMethod(c.Request.Method) && !a.checkCSRF(c, se) {
			return
		}
		// Every request acts for an agency: the account's, or for the
		// province role the one it chose to read (?co-quan=). The store
		// reads and writes that agency's rows only; the workflow refuses
		// another's items in its write transaction.
		id, ok := a.requestAgency(c, se.User)
		if !ok {
			return
		}
		c.Request = c.Request.WithContext(agency.WithID(c.Request.Context(), id))
		// An account whose password was printed (the first admin's) sets
		// its own before it does anything else.
		if se.User.MustChangePassword && c.Request.URL.Path != PasswordPath && c.Request.URL.Path != LogoutPath {
			a.askPassword(c)
			return
		}
		c.Next()
	}
}

// askPassword sends the request to the page where the account sets its
// own password, bringing a page back to it afterwards.
func (a *Admin) askPassword(c *gin.Context) {
	if !wantsHTML(c.Request) {
		c.Data(http.StatusForbidden, "text/plain; charset=utf-8", []byte(locale.T("admin.password.must_change")+"\n"))
		c.Abort()
		return
	}
	to := PasswordPath
	if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead {
		if next := c.Request.URL.RequestURI(); SafeNext(next) != "" {
			to += "?next=" + url.QueryEscape(next)
		}
	}
	c.Redirect(http.StatusSeeOther, to)
	c.Abort()
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// ParseForm reads the request body within the route's limits (see
// applyBody: Config's MaxFormBytes, MaxUploadBytes on the upload route,
// multipart only there). It writes a 413, 415 or 400 page and returns
// false when the body is refused, too big or unreadable. RequireRole
// calls it for every state-changing request, so handlers behind it can
// use c.PostForm directly.
func (a *Admin) ParseForm(c *gin.Context) bool {
	if c.Request.PostForm != nil {
		return true
	}
	v, set := c.Get(ctxBody)
	if !set {
		if !a.applyBody(c, a.formBody()) {
			return false
		}
		v, _ = c.Get(ctxBody)
	}
	p, _ := v.(bodyPolicy)
	var err error
	if p.multipart && isMultipart(c.GetHeader("Content-Type")) {
		err = c.Request.ParseMultipartForm(multipartMemory)
	} else {
		err = c.Request.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		a.RenderError(c, http.StatusRequestEntityTooLarge, p.tooBig)
		return false
	case err != nil:
		a.RenderError(c, http.StatusBadRequest, locale.T("admin.refused.bad_body"))
		return false
	}
	return true
}

func (a *Admin) checkCSRF(c *gin.Context, se *store.Session) bool {
	if !a.ParseForm(c) {
		return false
	}
	token := c.GetHeader("X-CSRF-Token")
	if token == "" {
		token = c.PostForm(CSRFField)
	}
	if !auth.EqualTokens(token, se.CSRF) {
		a.log.Info("csrf token refused", slog.String("path", web.SentPath(c.Request)), slog.String("user", se.User.Name))
		a.RenderError(c, http.StatusForbidden, locale.T("admin.refused.bad_form"))
		return false
	}
	return true
}

// wantsHTML tells a browser page load from an API or download request,
// which get 401 instead of a redirect to the login form.
func wantsHTML(r *http.Request) bool {
	p := strings.ToLower(r.URL.Path)
	for _, ext := range []string{".json", ".csv", ".xlsx"} {
		if strings.HasSuffix(p, ext) {
			return false
		}
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

func (a *Admin) needLogin(c *gin.Context) {
	if !wantsHTML(c.Request) {
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusUnauthorized, "text/plain; charset=utf-8", []byte(locale.T("admin.refused.need_login")+"\n"))
		c.Abort()
		return
	}
	to := LoginPath
	// Only a page can be returned to; a POST's target cannot be replayed.
	if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead {
		if next := c.Request.URL.RequestURI(); SafeNext(next) != "" {
			to += "?next=" + url.QueryEscape(next)
		}
	}
	c.Redirect(http.StatusFound, to)
	c.Abort()
}

// session finds the request's session (once per request): the cookie's
// token is hashed and looked up; an expired session, or one whose account
// was disabled, is deleted and counts as none.
func (a *Admin) session(c *gin.Context) (*store.Session, error) {
	if v, ok := c.Get(ctxSession); ok {
		se, _ := v.(*store.Session)
		return se, nil
	}
	se, err := a.lookupSession(c)
	if err != nil {
		return nil, err
	}
	c.Set(ctxSession, se)
	return se, nil
}

func (a *Admin) lookupSession(c *gin.Context) (*store.Session, error) {
	token, err := c.Cookie(CookieName)
	if err != nil || !auth.ValidToken(token) {
		return nil, nil
	}
	ctx := c.Request.Context()
	se, err := a.store.SessionByHash(ctx, auth.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		a.clearCookie(c)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := a.now()
	if a.policy.Expired(se.Created, se.Seen, now) || !se.User.Active() {
		err := a.store.Tx(ctx, func(tx *sql.Tx) error { return a.store.DeleteSession(ctx, tx, se.TokenHash) })
		if err != nil {
			return nil, err
		}
		a.clearCookie(c)
		return nil, nil
	}
	touch := now.Sub(se.Seen) >= touchEvery
	if touch || se.Flash != "" {
		err := a.store.Tx(ctx, func(tx *sql.Tx) error {
			if touch {
				if err := a.store.TouchSession(ctx, tx, se.TokenHash, now); err != nil {
					return err
				}
			}
			if se.Flash != "" {
				// The message is shown on this request only.
				return a.store.SetSessionFlash(ctx, tx, se.TokenHash, "")
			}
			return nil
		})
		if database.IsFull(err) {
			// Only the idle clock or a shown message was not written: the
			// editor keeps working (and keeps what the form carries).
			a.log.Warn("session touch: disk full", slog.Any("err", err))
		} else if err != nil {
			return nil, err
		}
	}
	return se, nil
}

// secure reports whether the request reached us over TLS: directly, by the
// public address being https, or by X-Forwarded-Proto from a trusted proxy.
func (a *Admin) secure(r *http.Request) bool {
	if r.TLS != nil || a.https {
		return true
	}
	if len(a.proxies) == 0 || r.Header.Get("X-Forwarded-Proto") != "https" {
		return false
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	for _, p := range a.proxies {
		if p.Contains(ap.Addr().Unmap()) {
			return true
		}
	}
	return false
}

func (a *Admin) setCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: CookieName, Value: token, Path: "/",
		// No Max-Age: the server ends sessions (idle 8 h, at most 7 days);
		// the browser forgets the cookie when it closes.
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.secure(c.Request),
	})
}

func (a *Admin) clearCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.secure(c.Request),
	})
}
