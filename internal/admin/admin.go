// Package admin serves the editors' workspace under /quan-tri/: login and
// logout, the dashboard, accounts and the audit log — and the middleware
// every protected route of the service goes through.
//
// # Adding a screen
//
// Protected routes hang under a group built with RequireRole, which checks
// everything in one place: a cross-origin POST is refused
// (http.CrossOriginProtection), the session cookie is looked up, the role
// is checked, and every state-changing request must carry the session's
// form token (hidden field "csrf" or header X-CSRF-Token):
//
//	g := r.Group("/quan-tri", a.RequireRole(auth.AtLeast(auth.Editor)...))
//	g.GET("/tin-bai/", a.Handle(myList))
//	g.POST("/tin-bai/:id", a.Handle(mySave))
//
// Inside a handler, CurrentUser(c) is the account and a.Layout(c, title,
// section) fills the frame every page struct embeds; every form includes
// {{template "csrf" .}} (or {{template "csrf" $}} inside a range); a
// successful POST ends with a.Redirect(c, url, message), which shows the
// message once on the next page. Handlers return an error: a *web.Error
// shows its status and message on the admin error page, store.ErrNotFound
// is a 404, anything else a logged 500. Pages live in
// themes/default/admin/pages/NAME.html and define {{define "NAME"}}.
//
// Nothing under /quan-tri/ or /bao-cao/ is served without RequireRole.
package admin

import (
	"database/sql"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/account"
	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/theme"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// Paths of the workspace.
const (
	Root       = "/quan-tri/"
	LoginPath  = "/quan-tri/dang-nhap"
	LogoutPath = "/quan-tri/dang-xuat"
	UsersPath  = "/quan-tri/nguoi-dung"
	AuditPath  = "/quan-tri/nhat-ky"
	AssetsPath = "/quan-tri/assets/"
	// ReportsPath is where viewers land after login (the report dashboard).
	ReportsPath = "/bao-cao/"
)

// PasswordPath is where every account changes its own password, and where
// one that must change it is sent before anything else.
const PasswordPath = "/quan-tri/mat-khau"

// Config is what an Admin needs.
type Config struct {
	Store *store.Store
	// Theme is the admin theme (LoadTheme of themes/NAME/admin).
	Theme *theme.Theme
	Now   func() time.Time
	Log   *slog.Logger
	// BaseURL is the public address (--base-url). When it is https, cookies
	// are always Secure; its origin is also trusted by the cross-origin
	// check (for a proxy that rewrites Host).
	BaseURL string
	// TrustedProxies may set X-Forwarded-Proto; none by default.
	TrustedProxies []netip.Prefix
	// Sessions and Limits default to auth.DefaultSessionPolicy and
	// auth.DefaultLimits.
	Sessions auth.SessionPolicy
	Limits   auth.LimitConfig
	// MaxFormBytes bounds the body of every route but the upload, whatever
	// its type (default 2 MiB); MaxUploadBytes the upload's, the one route
	// that takes multipart bodies (default MaxUploadBody).
	MaxFormBytes, MaxUploadBytes int64
	// Publish makes every change to content (the editing screens).
	Publish *publish.Service
	// Accounts makes every change to accounts (the Người dùng screens).
	Accounts *account.Service
	// LoginAudit records failed and throttled logins; nil makes one, whose
	// summaries then wait for its Flush (serve runs it, see LoginAudit).
	LoginAudit *LoginAudit
	// Renders are the turns of the routes that render an item's Markdown
	// (create, save, preview, a revision restored); nil makes
	// web.CostlyAtOnce of them.
	Renders *web.Turns
}

// Admin is the editors' workspace.
type Admin struct {
	store     *store.Store
	theme     *theme.Theme
	now       func() time.Time
	log       *slog.Logger
	policy    auth.SessionPolicy
	limiter   *auth.Limiter
	cop       *http.CrossOriginProtection
	https     bool
	proxies   []netip.Prefix
	maxForm   int64
	maxUpload int64
	pub       *publish.Service
	accounts  *account.Service
	logins    *LoginAudit
	// wordSem bounds the .docx files read at once (word.go).
	wordSem chan struct{}
	// renders bounds the item bodies rendered at once (Config.Renders).
	renders *web.Turns
}

// New returns an Admin.
func New(cfg Config) *Admin {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Sessions.Idle <= 0 || cfg.Sessions.Absolute <= 0 {
		cfg.Sessions = auth.DefaultSessionPolicy
	}
	if cfg.MaxFormBytes <= 0 {
		cfg.MaxFormBytes = 2 << 20
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = MaxUploadBody
	}
	if cfg.LoginAudit == nil {
		cfg.LoginAudit = NewLoginAudit(cfg.Store, cfg.Now, cfg.Log)
	}
	if cfg.Renders == nil {
		cfg.Renders = web.NewTurns(web.CostlyAtOnce())
	}
	a := &Admin{
		store: cfg.Store, theme: cfg.Theme, now: cfg.Now, log: cfg.Log,
		policy: cfg.Sessions, limiter: auth.NewLimiter(cfg.Limits),
		cop: http.NewCrossOriginProtection(), proxies: cfg.TrustedProxies,
		maxForm: cfg.MaxFormBytes, maxUpload: cfg.MaxUploadBytes, pub: cfg.Publish, accounts: cfg.Accounts, logins: cfg.LoginAudit,
		wordSem: make(chan struct{}, wordConversions), renders: cfg.Renders,
	}
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		a.https = u.Scheme == "https"
		if err := a.cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			a.log.Warn("base url is not a valid origin", slog.String("base_url", cfg.BaseURL), slog.Any("err", err))
		}
	}
	// The refusal is rendered by crossOrigin, which calls Check itself.
	return a
}

// LoadTheme parses the admin theme in fsys (themes/NAME/admin). Its assets
// are served under AssetsPath, so the asset function points there.
func LoadTheme(fsys fs.FS) (*theme.Theme, error) {
	var th *theme.Theme
	funcs := Funcs()
	funcs["asset"] = func(name string) string {
		return AssetsPath + strings.TrimPrefix(th.AssetURL(name), "/assets/")
	}
	th, err := theme.Load(fsys, funcs)
	if err != nil {
		return nil, err
	}
	return th, nil
}

// Funcs are the template functions of the admin theme.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"date":      vntext.Date,
		"datetime":  vntext.DateTime,
		"num":       vntext.Int, // a count as Vietnamese writes it: 10.007
		"kindLabel": func(k content.Kind) string { return k.Label() },
		"roleLabel": func(r auth.Role) string { return r.Label() },
		"roleHint":  auth.Role.Hint,
		"add":       func(a, b int) int { return a + b },
		"editURL":   EditURL,
	}
}

// Register adds the workspace's own routes to r.
func (a *Admin) Register(r *gin.Engine) {
	r.GET(AssetsPath+":name", a.asset)

	// Login is open to everyone, but still refuses cross-site POSTs and
	// checks its own form token (see login.go).
	open := r.Group("/quan-tri", noStore, a.limitBody(a.formBody()), a.CrossOrigin())
	open.GET("/dang-nhap", a.Handle(a.loginForm))
	open.POST("/dang-nhap", a.Handle(a.login))

	anyone := r.Group("/quan-tri", a.RequireRole(auth.AccountRoles...))
	anyone.POST("/dang-xuat", a.Handle(a.logout))
	anyone.GET("/mat-khau", a.Handle(a.ownPasswordForm))
	anyone.POST("/mat-khau", a.Handle(a.ownPassword))

	// The dashboard: editors and up, and the province role, which reads
	// any agency's (?co-quan=) and is admitted nowhere else here.
	r.Group("/quan-tri", a.RequireRole(append(auth.AtLeast(auth.Editor), auth.Province)...)).GET("/", a.Handle(a.dashboard))

	editors := r.Group("/quan-tri", a.RequireRole(auth.AtLeast(auth.Editor)...))
	a.registerItems(editors)
	a.registerMedia(r, editors) // the media library, /quan-tri/tep (media.go)
	a.registerTTHCImport(r)     // a list from the national database, /quan-tri/nhap-tthc (tthc_import.go)
	a.registerWordImport(r)     // a .docx into the item form, /quan-tri/nhap-word (word.go)

	admins := r.Group("/quan-tri", a.RequireRole(auth.Admin))
	admins.GET("/nguoi-dung", a.Handle(a.users))
	admins.POST("/nguoi-dung", a.Handle(a.userAdd))
	admins.GET("/nguoi-dung/:id", a.Handle(a.user))
	admins.POST("/nguoi-dung/:id", a.Handle(a.userChange))
	admins.POST("/nguoi-dung/:id/mat-khau", a.Handle(a.userPassword))
	admins.POST("/nguoi-dung/:id/co-quan", a.Handle(a.userAgency))
	admins.POST("/nguoi-dung/:id/khoa", a.Handle(a.userDisable(true)))
	admins.POST("/nguoi-dung/:id/mo-khoa", a.Handle(a.userDisable(false)))
	admins.GET("/nhat-ky", a.Handle(a.audit))
	// Each agency has its own settings row (migration 0151): an admin
	// reads and saves the one of the agency it acts for.
	settings := r.Group("/quan-tri", a.RequireRole(auth.RolesWith(auth.Settings)...))
	settings.GET("/cai-dat", a.Handle(a.settingsForm))
	settings.POST("/cai-dat", a.Handle(a.settingsSave))
	a.registerRestore(r.Group("/quan-tri", a.RequireRole(auth.RolesWith(auth.Restore)...)))
	a.registerAgencies(r) // the agencies, /quan-tri/co-quan/ (agencies.go)
}

// Handle adapts a handler that returns an error, with the admin error page.
// A full disk and a damaged database get the workspace's own messages.
func (a *Admin) Handle(h web.HandlerFunc) gin.HandlerFunc {
	return web.Wrap(a.log, a.RenderError, func(c *gin.Context) error {
		err := h(c)
		switch {
		case err == nil:
		case database.IsFull(err):
			return &web.Error{Status: http.StatusServiceUnavailable, Message: locale.T("admin.refused.disk_full"), Err: err}
		case database.IsCorrupt(err):
			return &web.Error{Status: http.StatusServiceUnavailable, Message: locale.T("admin.refused.damaged"), Err: err}
		}
		return err
	})
}

func noStore(c *gin.Context) {
	// Pages for one person: never kept by a shared cache or the back button
	// of a shared computer.
	c.Header("Cache-Control", "no-store")
	web.DenyFraming(c)
	c.Next()
}

func (a *Admin) asset(c *gin.Context) {
	as, ok := a.theme.Asset(c.Param("name"))
	if !ok {
		a.RenderError(c, http.StatusNotFound, locale.T("error.file_not_found"))
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, as.ContentType, as.Data)
}

// Layout is the frame every admin page embeds.
type Layout struct {
	Title   string
	Section string      // active menu entry: "dashboard", "users", "audit", "settings", or the workflow's own
	User    *store.User // nil on the login page
	CSRF    string      // the session's form token; {{template "csrf" .}} writes it
	Flash   string      // one-time message from the previous request
	Path    string
	// Agencies are the agencies the province role may read, for the
	// frame's selector (empty for every other role); Acting is the one
	// the request acts for.
	Agencies []agency.Agency
	Acting   int64
}

// Province reports whether the account is the province role (tổng hợp),
// which reads dashboards and reports and writes nothing.
func (l Layout) Province() bool { return l.User != nil && l.User.Role == auth.Province }

// ManagesAgencies reports whether the account is an admin of the root
// agency, who manages the agencies (the menu's Cơ quan).
func (l Layout) ManagesAgencies() bool {
	return l.User != nil && l.User.Role == auth.Admin && l.User.AgencyID == agency.Root
}

// SeesRollup reports whether the account may read the province roll-up
// (/bao-cao/tinh), by agency.SeesRollup, the rule its routes ask too.
func (l Layout) SeesRollup() bool {
	return l.User != nil && agency.SeesRollup(l.User.Role, l.User.AgencyID)
}

// Can reports whether the logged-in account holds permission p (for menus).
func (l Layout) Can(p string) bool {
	return l.User != nil && l.User.Role.Can(auth.Permission(p))
}

// Layout fills the frame for the current request.
func (a *Admin) Layout(c *gin.Context, title, section string) Layout {
	l := Layout{Title: title, Section: section, Path: c.Request.URL.Path}
	if se := CurrentSession(c); se != nil {
		l.User, l.CSRF, l.Flash = se.User, se.CSRF, se.Flash
	}
	l.Acting = actingAgency(c)
	if l.Province() {
		list, err := a.store.Agencies(c.Request.Context())
		if err != nil {
			// The page still shows, for the agency it acts for.
			a.log.Error("agencies for the selector", slog.Any("err", err))
		}
		l.Agencies = list
	}
	return l
}

// Render writes page name with data and status.
func (a *Admin) Render(c *gin.Context, status int, name string, data any) error {
	body, err := a.theme.RenderBytes(name, data)
	if err != nil {
		return err
	}
	web.HTML(c, status, body)
	return nil
}

// Redirect ends a successful POST: it leaves msg (if any) for the next
// page and sends the browser there with 303 See Other.
func (a *Admin) Redirect(c *gin.Context, to, msg string) error {
	if se := CurrentSession(c); se != nil && msg != "" {
		if err := a.store.Tx(c.Request.Context(), func(tx *sql.Tx) error {
			return a.store.SetSessionFlash(c.Request.Context(), tx, se.TokenHash, msg)
		}); err != nil {
			return err
		}
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// RenderError writes the workspace's error page; it is the
// web.ErrorRenderer of the workspace.
func (a *Admin) RenderError(c *gin.Context, status int, message string) {
	web.ErrorPage{Side: web.Workspace, Status: status, Message: message}.Send(c, a.log, a.errorFrame)
}

// errorFrame draws p in the workspace's frame, without the flash message.
func (a *Admin) errorFrame(c *gin.Context, p web.ErrorPage) ([]byte, error) {
	lay := a.Layout(c, p.Heading(), "")
	lay.Flash = ""
	return a.theme.RenderBytes("error", struct {
		Layout
		web.ErrorPage
	}{lay, p})
}

// Pager is the state of a paginated list (?trang=N).
type Pager = web.Pager

// NewPager builds the Pager of page out of total items, size a page.
func NewPager(page, total, size int, base string) Pager { return web.NewPager(page, total, size, base) }

// PageNumber reads ?trang=N; a bad value is a 400 with a Vietnamese message.
func PageNumber(c *gin.Context) (int, error) { return web.PageNumber(c) }

// clientAddr is the client's address for the audit log and rate limits.
func clientAddr(c *gin.Context) string { return c.ClientIP() }

// errForbidden is the 403 for a role that may not do something.
var errForbidden = &web.Error{Status: http.StatusForbidden, Message: locale.T("admin.forbidden_step")}
