// Package app wires the service together (configuration → database → store
// → services → router) and implements the subcommands of the cchc binary.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	demo "cchc/content"
	"github.com/gin-gonic/gin"

	"cchc/internal/account"
	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/markdown"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/report"
	"cchc/internal/search"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/theme"
	"cchc/internal/vntext"
	"cchc/internal/web"
	"cchc/static"
	"cchc/themes"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// Run runs the subcommand named in args and returns the exit status.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	// Messages quote file names, titles and arguments that came from
	// outside: no control character among them reaches the terminal.
	out, errOut := vntext.NewTerminalWriter(stdout), vntext.NewTerminalWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	cli := &cli{getenv: getenv, stdin: stdin, stdout: out, stderr: errOut}
	switch args[0] {
	case "serve":
		return cli.serve(ctx, args[1:])
	case "import":
		return cli.importCmd(ctx, args[1:])
	case "export":
		return cli.export(ctx, args[1:])
	case "import-tthc":
		return cli.importTTHC(ctx, args[1:])
	case "user":
		return cli.user(ctx, args[1:])
	case "agency":
		return cli.agencyCmd(ctx, args[1:])
	case "report":
		return cli.report(ctx, args[1:])
	case "log":
		return cli.logCmd(ctx, args[1:])
	case "reindex":
		return cli.reindex(ctx, args[1:])
	case "backup":
		return cli.backup(ctx, args[1:])
	case "check":
		return cli.check(ctx, args[1:])
	case "build-static":
		return cli.buildStatic(ctx, args[1:])
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "cchc: %s\n\n", locale.T("cli.no_command", args[0]))
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "cchc — %s\n\n%s\n", locale.T("cli.about"), locale.T("cli.usage"))
	for _, line := range []string{
		"cchc serve  [--addr 127.0.0.1:8080] [--data ./data] [--content ./content] [--theme default] [--base-url URL] [--allowed-hosts HOST,…] [--feed-entries 50] [--trusted-proxies CIDR,…] [--require-review=true|false] [--mirror DIR] [--mirror-cmd CMD]",
		locale.T("cli.usage.import"),
		locale.T("cli.usage.export"),
		locale.T("cli.usage.import_tthc"),
		locale.T("cli.user.usage.add"),
		locale.T("cli.usage.user_passwd"),
		"cchc user list [--data ./data]",
		locale.T("cli.agency.usage.add"),
		"cchc agency list [--data ./data]",
		"cchc reindex [--data ./data]",
		locale.T("cli.usage.backup"),
		"cchc check [--data ./data]",
		locale.T("cli.usage.report"),
		locale.T("cli.usage.log_verify"),
		locale.T("cli.usage.log_anchor"),
		locale.T("cli.usage.log_keygen"),
		locale.T("cli.usage.build_static"),
	} {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintf(w, "\n%s\n", locale.T("cli.usage.help"))
}

type cli struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// flags parses a subcommand's flags. It returns the exit status to use when
// parsing ended the command (help or bad usage), or -1 to go on.
func (c *cli) flags(name, synopsis string, args []string, options ...string) (*config.Config, *flag.FlagSet, int) {
	fs := flag.NewFlagSet("cchc "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfg := config.Register(fs, c.getenv, options...)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s cchc %s %s\n\n", locale.T("cli.usage"), name, synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, exitOK
		}
		return nil, nil, exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(c.stderr, "cchc %s: %s\n", name, locale.Text(err))
		return nil, nil, exitUsage
	}
	return cfg, fs, -1
}

// Env is an opened service: its database and the services over it.
type Env struct {
	Config   *config.Config
	DB       *database.DB
	Store    *store.Store
	Markdown *markdown.Renderer
	Publish  *publish.Service
	// Accounts makes every change to accounts: cchc user and the
	// workspace's Người dùng screens.
	Accounts *account.Service
	// Search is the one search index: publish keeps it in step, the
	// public site asks it, reindex rebuilds it.
	Search *search.Index
	// Pages is the public page cache, dropped after every committed write
	// that changed public content (the site version moved).
	Pages *web.PageCache
	// Reports are the turns of the report screens (/bao-cao/ and the
	// province's roll-up): each measures a whole year of the log, so a
	// burst of them waits its turn instead of sharing the cores and the
	// memory all at once.
	Reports *web.Turns
	// Renders are the turns of the workspace's routes that render an
	// item's body (create, save, preview, a revision restored).
	Renders *web.Turns
	// Columns resolves each public request's column (issue 20: an
	// agency's prefix or host), read again after every change to the
	// agencies (the site version moved).
	Columns *web.Columns
	// LoginAudit sums failed and throttled logins into the audit log;
	// serve runs its flusher.
	LoginAudit *admin.LoginAudit
	Log        *slog.Logger
	Now        func() time.Time
}

// Open opens the data folder of cfg (creating it if needed) and builds the
// services. now is the clock; nil means time.Now. log, when given, hears
// of an upgrade of the database (database.Logger), as does each of opts.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger, now func() time.Time, opts ...database.Option) (*Env, error) {
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	if log != nil {
		opts = append(opts, database.Logger(log))
	}
	db, err := database.Open(ctx, filepath.Join(cfg.Data, database.FileName), opts...)
	if err != nil {
		return nil, err
	}
	return newEnv(cfg, db, log, now), nil
}

// newEnv builds the services over db.
func newEnv(cfg *config.Config, db *database.DB, log *slog.Logger, now func() time.Time) *Env {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st := store.New(db)
	md := markdown.New()
	env := &Env{
		Config: cfg, DB: db, Store: st, Markdown: md,
		// Every publication event is logged, and every workspace step
		// audited, in the transaction of its change.
		Publish:  publish.New(st, md, publog.New(st, now), st, now, log),
		Accounts: account.New(st, now),
		Search:   search.New(st),
		Log:      log, Now: now,
	}
	env.Publish.SetPolicy(auth.Policy{RequireReview: cfg.RequireReview})
	env.Accounts.SetInitialPasswordFile(filepath.Join(cfg.Data, InitialPasswordFile))
	env.Pages = web.NewPageCache(PageCacheBytes, now)
	env.Reports = web.NewTurns(web.CostlyAtOnce())
	env.Renders = web.NewTurns(web.CostlyAtOnce())
	env.LoginAudit = admin.NewLoginAudit(st, now, log)
	db.AfterPublicChange(env.Pages.Invalidate)
	env.Columns = web.NewColumns(st.Agencies, cfg.PublicBase(), log, st.OwnDocuments)
	db.AfterPublicChange(env.Columns.Invalidate)
	// The index changes in the transaction of every item change.
	env.Publish.AddHook(env.Search)
	db.OnDamage(func(reason string) {
		log.Error("database damaged: writes are refused until it is restored from a backup; run cchc check",
			slog.String("db", db.Path), slog.String("reason", reason))
	})
	return env
}

// PageCacheBytes bounds the public page cache: a few thousand pages of a
// department's column, well inside the 150 MB serving budget.
const PageCacheBytes = 32 << 20

// Close closes the database.
func (e *Env) Close() error { return e.DB.Close() }

// ThemeFS is the theme of cfg: themes/NAME on disk (if present) over the
// embedded default.
func ThemeFS(cfg *config.Config) (fs.FS, error) {
	embedded, err := fs.Sub(themes.Default, "default")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join("themes", cfg.Theme)
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return theme.Layered{os.DirFS(dir), embedded}, nil
	}
	if cfg.Theme != config.Defaults.Theme {
		return nil, fmt.Errorf("--theme (CCHC_THEME): %w", locale.NewError("cli.theme.missing", dir))
	}
	return embedded, nil
}

// Handler builds the HTTP handler of the whole service.
func (e *Env) Handler() (http.Handler, error) {
	tfs, err := ThemeFS(e.Config)
	if err != nil {
		return nil, err
	}
	th, err := theme.Load(tfs, site.Funcs())
	if err != nil {
		return nil, err
	}
	pub := site.New(site.Config{Store: e.Store, Theme: th, Now: e.Now, Log: e.Log, BaseURL: e.Config.BaseURL,
		PublicBase: e.Config.PublicBase(), FeedEntries: e.Config.FeedEntries, Pages: e.Pages, Search: e.Search, Schema: e.Publish.Schema(), Columns: e.Columns})
	proxies, err := config.ParseProxies(e.Config.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxies (CCHC_TRUSTED_PROXIES): %w", err)
	}
	r := web.Engine(e.Log, pub.RenderError, proxies...)
	favicon := func(c *gin.Context) { serveStatic(c, "favicon.svg", "image/svg+xml") }
	r.GET("/favicon.svg", web.Cache(web.DefaultCachePolicy), favicon)
	r.HEAD("/favicon.svg", web.Cache(web.DefaultCachePolicy), favicon)
	pub.Register(r)
	adm, err := e.Admin(tfs)
	if err != nil {
		return nil, err
	}
	adm.Register(r)
	adm.RegisterPreview(r, pub.PreviewItem) // an item as citizens will see it (issue 17.5)
	// Reports (issue 6): the plan dashboard and exports under /bao-cao/, viewer role and up,
	// and the province role (issue 20), which reads any agency's and may record nothing.
	reports := report.New(report.Config{Admin: adm, Store: e.Store, Now: e.Now, Log: e.Log, BaseURL: e.Config.BaseURL})
	// Each takes one of the report turns once its account is known.
	reports.Register(r.Group("/bao-cao", adm.RequireRole(append(auth.AtLeast(auth.Viewer), auth.Province)...), e.Reports.Guard()))
	// The province's roll-up (issue 20, point 5): the province role and
	// the root agency's admins (report.CanSeeProvince).
	reports.RegisterProvince(r.Group(report.ProvincePath, adm.RequireRole(report.ProvinceRoles()...), e.Reports.Guard()))
	front := web.NewFront(r, proxies, e.Config.Hosts())
	front.SetColumns(e.Columns)
	return front, nil
}

// Content is a content tree to import.
type Content struct {
	FS   fs.FS
	Name string // names it in messages
	Demo bool   // the embedded demo content
	dir  *publish.ContentDir
}

// OpenContent opens the content tree to import: the --content folder when
// it exists, read through publish.ContentDir (nothing outside it is ever
// read), else the embedded demo content. Close it when done.
func OpenContent(dir string) (*Content, error) {
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		d, err := publish.OpenContentDir(dir)
		if err != nil {
			return nil, err
		}
		return &Content{FS: d, Name: filepath.ToSlash(filepath.Clean(dir)), dir: d}, nil
	}
	return &Content{FS: demo.FS, Name: locale.T("cli.demo_content"), Demo: true}, nil
}

// Close releases the content folder.
func (c *Content) Close() error {
	if c.dir == nil {
		return nil
	}
	return c.dir.Close()
}

func serveStatic(c *gin.Context, name, contentType string) {
	b, err := static.FS.ReadFile(name)
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, contentType, b)
}
