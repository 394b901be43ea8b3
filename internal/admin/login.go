package admin

import (
	"database/sql"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
)

// loginCookie carries the login form's own token: there is no session yet
// to hold one, so the form and this cookie must match (double submit), on
// top of the cross-origin check.
const loginCookie = "cchc_login"

// throttledMessage is the rate-limit message for a wait of n minutes.
func throttledMessage(n int) string {
	return locale.T("admin.login.throttled", n)
}

// LoginPage is the login form.
type LoginPage struct {
	Layout
	Name      string // as typed, to show again; never the password
	Next      string
	Error     string
	Notice    string
	FormToken string
}

// landing is where an account goes after login when no next was given.
func landing(u *store.User) string {
	if u.Role.Can(auth.UseWorkspace) {
		return Root
	}
	return ReportsPath
}

func (a *Admin) loginForm(c *gin.Context) error {
	se, err := a.session(c)
	if err != nil {
		return err
	}
	next := SafeNext(c.Query("next"))
	if se != nil {
		if next == "" {
			next = landing(se.User)
		}
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	page := LoginPage{Layout: a.Layout(c, locale.T("admin.login.title"), "login"), Next: next}
	if c.Query("da-dang-xuat") != "" {
		page.Notice = locale.T("admin.login.logged_out")
	}
	return a.renderLogin(c, http.StatusOK, page)
}

// renderLogin shows the form with a form token (reusing the browser's
// cookie when it has one, so two open tabs both work).
func (a *Admin) renderLogin(c *gin.Context, status int, page LoginPage) error {
	token, err := c.Cookie(loginCookie)
	if err != nil || !auth.ValidToken(token) {
		if token, _, err = auth.NewToken(); err != nil {
			return err
		}
		http.SetCookie(c.Writer, &http.Cookie{
			Name: loginCookie, Value: token, Path: LoginPath,
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: a.secure(c.Request),
		})
	}
	page.FormToken = token
	return a.Render(c, status, "login", page)
}

func (a *Admin) login(c *gin.Context) error {
	ctx := c.Request.Context()
	if !a.ParseForm(c) {
		return nil
	}
	typed := strings.TrimSpace(c.PostForm("name"))
	if utf8.RuneCountInString(typed) > 64 || !utf8.ValidString(typed) {
		typed = ""
	}
	page := LoginPage{Layout: a.Layout(c, locale.T("admin.login.title"), "login"), Name: typed, Next: SafeNext(c.PostForm("next"))}

	cookie, _ := c.Cookie(loginCookie)
	if !auth.EqualTokens(cookie, c.PostForm(CSRFField)) {
		page.Error = locale.T("admin.login.stale")
		return a.renderLogin(c, http.StatusForbidden, page)
	}
	name, password := auth.NormalizeName(typed), c.PostForm("password")
	if name == "" || password == "" {
		page.Error = locale.T("admin.login.empty")
		return a.renderLogin(c, http.StatusUnprocessableEntity, page)
	}
	addr, now := clientAddr(c), a.now()

	// The attempt is counted before the password is checked, and before
	// the account is looked up: requests that arrive together cannot all
	// pass a check made before any of them failed, and a refusal says
	// nothing about whether the account exists.
	att, err := a.limiter.Begin(ctx, name, addr, now)
	var th *auth.Throttled
	if errors.As(err, &th) {
		a.logins.Refused(name, addr, th, now)
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(th.Wait.Seconds()))))
		page.Error = throttledMessage(int(math.Ceil(th.Wait.Minutes())))
		return a.renderLogin(c, http.StatusTooManyRequests, page)
	}
	if err != nil {
		return err
	}
	// Until Succeed, the attempt stays counted as a failure, whatever
	// happens below (an error too).
	defer att.Done()

	u, err := a.store.UserByName(ctx, name)
	var ok bool
	var why string
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Spend the same time as a wrong password for a real account.
		auth.VerifyDummy(password)
		why = locale.T("admin.login.why.no_account")
	case err != nil:
		return err
	default:
		ok, err = auth.VerifyPassword(u.PasswordHash, password)
		if err != nil {
			a.log.Error("stored password hash", slog.String("user", u.Name), slog.Any("err", err))
		}
		why = locale.T("admin.login.why.wrong_password")
		if ok && !u.Active() {
			ok, why = false, locale.T("admin.login.why.disabled")
		}
	}
	if !ok {
		a.logins.Failed(ctx, name, addr, why, now)
		page.Error = locale.T("admin.login.failed")
		return a.renderLogin(c, http.StatusUnprocessableEntity, page)
	}

	if err := a.startSession(c, u); err != nil {
		return err
	}
	att.Succeed()
	next := page.Next
	if u.MustChangePassword {
		// The printed password is known to whoever saw it: the account
		// sets its own first, then goes where it was going.
		to := PasswordPath
		if next != "" {
			to += "?next=" + url.QueryEscape(next)
		}
		c.Redirect(http.StatusSeeOther, to)
		return nil
	}
	if next == "" {
		next = landing(u)
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

// startSession logs u in: a new token every time (a token planted before
// login is never promoted — session fixation), the browser's old session
// if any is ended, expired sessions are swept, and the login is audited,
// all in one transaction.
func (a *Admin) startSession(c *gin.Context, u *store.User) error {
	ctx := c.Request.Context()
	now := a.now()
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	csrf, err := auth.NewCSRFToken()
	if err != nil {
		return err
	}
	var rehash string
	if auth.NeedsRehash(u.PasswordHash, auth.DefaultParams) {
		// The password was just verified, so it can be stored with the
		// current parameters. Hashing happens outside the transaction.
		if pw := c.PostForm("password"); pw != "" {
			if rehash, err = auth.HashPassword(pw); err != nil {
				return err
			}
		}
	}
	ua := c.Request.UserAgent()
	if len(ua) > 256 {
		ua = ua[:256]
	}
	err = a.store.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := a.store.DeleteExpiredSessions(ctx, tx, now.Add(-a.policy.Idle), now.Add(-a.policy.Absolute)); err != nil {
			return err
		}
		if old, err := c.Cookie(CookieName); err == nil && auth.ValidToken(old) {
			if err := a.store.DeleteSession(ctx, tx, auth.HashToken(old)); err != nil {
				return err
			}
		}
		se := &store.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Seen: now, Address: clientAddr(c), UserAgent: ua}
		if err := a.store.InsertSession(ctx, tx, se); err != nil {
			return err
		}
		if err := a.store.SetUserLastLogin(ctx, tx, u.ID, now); err != nil {
			return err
		}
		if rehash != "" {
			if err := a.store.SetUserPassword(ctx, tx, u.ID, rehash, now); err != nil {
				return err
			}
		}
		return a.store.Audit(ctx, tx, store.AuditEntry{At: now, Actor: u.Name, Action: store.AuditLogin, Target: "user:" + u.Name, Address: clientAddr(c)})
	})
	if err != nil {
		return err
	}
	a.setCookie(c, token)
	// The login form's token has served its purpose.
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Value: "", Path: LoginPath, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: a.secure(c.Request)})
	return nil
}

func (a *Admin) logout(c *gin.Context) error {
	ctx := c.Request.Context()
	se := CurrentSession(c)
	err := a.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := a.store.DeleteSession(ctx, tx, se.TokenHash); err != nil {
			return err
		}
		return a.store.Audit(ctx, tx, store.AuditEntry{At: a.now(), Actor: se.User.Name, Action: store.AuditLogout,
			Target: "user:" + se.User.Name, Address: clientAddr(c)})
	})
	if err != nil {
		return err
	}
	a.clearCookie(c)
	c.Redirect(http.StatusSeeOther, LoginPath+"?da-dang-xuat=1")
	return nil
}
