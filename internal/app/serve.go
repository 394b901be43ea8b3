package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// ServeMemoryLimit is the Go runtime's soft memory limit serve sets when
// the environment gives none (GOMEMLIMIT, which wins when set). Without
// it the heap grows to twice what is live before a collection: a
// moment's work at 100,000 items (the legal references refreshed at
// start, a cold sitemap, eight searches at once) left the process 50–100
// MB larger than it needs for good. Serving pages, the live heap stays
// under 70 MB at 100,000 items, so the limit only makes collections come
// sooner; it is soft, so a larger heap slows collection down but never
// fails. A report is the exception: at 100,000 items it holds every
// item's last log row (publog.Read), 100–115 MB live while it runs, and
// collects often then (1.6–2.0 s for the dashboard, 1.1–1.4 s with a 160
// MiB limit; measured in stop 35). SQLite's page caches are outside it
// (database.Open sizes them).
const ServeMemoryLimit = 96 << 20

func (c *cli) serve(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("serve", locale.T("cli.synopsis.serve"), args)
	if code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.T("cli.no_arguments", fs.Arg(0)))
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if c.getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(ServeMemoryLimit))
	}
	release, err := settleAside(ctx, cfg.Data, log)
	if err != nil && ctx.Err() != nil {
		return exitOK // stopped while it waited for an import
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.Text(err))
		return exitFail
	}
	env, err := Open(ctx, cfg, log, nil)
	release()
	if database.IsCorrupt(err) {
		fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.T("cli.serve.corrupt", locale.Text(err), cfg.Data))
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	// The background jobs stop, and are waited for, before the database
	// closes (defers run last first): at shutdown and on every early
	// return below, so none writes or logs after serve has returned.
	bgctx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer background.Wait()
	defer stopBackground()
	// A damaged file must say so: the check marks it damaged, which turns
	// the service read-only (docs/DECISIONS.md). It runs beside the
	// serving; writes — the steps below included — wait for it.
	env.checkAtStart(bgctx, &background, nil)
	for _, step := range []func() error{
		func() error { return env.importIfEmpty(ctx) },
		func() error { return env.ensureAdmin(ctx, c.stderr) },
		func() error { return env.settleInitialPassword(ctx) },
	} {
		if env.DB.Damage() != "" {
			log.Warn("database damaged: skipping the first-start import and first admin")
			break
		}
		err := step()
		if database.IsCorrupt(err) {
			env.DB.MarkDamaged(err.Error())
			continue
		}
		if err != nil && ctx.Err() != nil {
			return exitOK // stopped, as at shutdown (a wait for an import, say)
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.Text(err))
			return exitFail
		}
	}
	background.Go(func() { env.refreshRefsEvery(bgctx, time.Hour) })
	background.Go(func() { env.publishDueEvery(bgctx, 20*time.Second) })
	background.Go(func() { env.watchSite(bgctx, 250*time.Millisecond) })
	if cfg.Mirror != "" {
		// The static mirror follows every committed change (issue 19).
		background.Go(func() { env.KeepMirror(bgctx, cfg.Mirror, cfg.MirrorCmd, time.Second, 2*time.Second) })
	}
	// Summaries of failed and throttled logins, as their windows close and
	// at shutdown (before the database closes).
	background.Go(func() { env.LoginAudit.Run(bgctx, time.Minute) })
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc serve: --addr (CCHC_ADDR): %s\n", locale.Text(err))
		return exitFail
	}
	defer ln.Close()
	// The address bound (port 0 picks one) is the fallback public address.
	cfg.Addr = ln.Addr().String()
	if hosts, _ := config.ParseHosts(cfg.AllowedHosts); cfg.BaseURL == "" && len(hosts) == 0 {
		log.Warn("no --base-url or --allowed-hosts: feeds, the sitemap, robots.txt and /theo-doi link to the listen address (127.0.0.1 for an unspecified one), never to the request's Host; set --base-url to the column's public address",
			slog.String("public_base", cfg.PublicBase()))
	}
	h, err := env.Handler()
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.Text(err))
		return exitFail
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info("serving", slog.String("addr", "http://"+ln.Addr().String()), slog.String("data", cfg.Data))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(c.stderr, "cchc serve: %s\n", locale.Text(err))
			return exitFail
		}
	case <-ctx.Done():
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Error("shutdown", slog.Any("err", err))
		}
	}
	return exitOK
}

// settleAside readies the data folder for serve's open, under the
// import lock, which it returns held: Open creates the database when the
// folder has none, and so must not run while a first `cchc import` is
// building one aside (database.OpenAside). That import's install would
// then find the name taken and throw its build away, and serve, finding
// its new database empty, would import its own content folder — the
// embedded demo when it has none — in place of the one the editor was
// importing. So when an import holds the lock and there is no database,
// serve waits for the import (ctx ends the wait) and opens what it
// installed. An import into a database that exists writes in place
// beside serve, which does not wait for it.
//
// With the lock held, the database a first import was building when it
// was killed is deleted: a file as large as the database, otherwise kept
// until the next import into the folder. Where there is no flock, nothing
// is deleted and nothing waited for. The folder is made when missing.
func settleAside(ctx context.Context, data string, log *slog.Logger) (release func(), err error) {
	if !importLocks {
		return func() {}, nil
	}
	// The folder is made first (Open would make it anyway), so that the
	// lock can be taken in it: an import started at the same moment into
	// a folder that did not exist then waits for serve, or serve for it.
	if err := os.MkdirAll(data, 0o750); err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	path := filepath.Join(data, database.FileName)
	unlock, held, err := tryLockImport(data)
	if err != nil {
		return nil, err
	}
	if held {
		absent, err := database.Absent(path)
		if err != nil || !absent {
			return func() {}, nil // Open says what is wrong with the file
		}
		// Most often an import building the database aside; another
		// serve creating it holds the lock for a moment too.
		log.Info("the data folder has no database yet and another process holds its import lock (an import building the database): waiting for it to finish before serving", slog.String("data", data))
		if unlock, err = lockImport(ctx, data); err != nil {
			return nil, err
		}
		if absent, err := database.Absent(path); err == nil && !absent {
			log.Info("the lock is free and the data folder has its database: serving it", slog.String("data", data))
		} else {
			log.Warn("the lock is free and the data folder still has no database (the import stopped without one): serving a new one", slog.String("data", data))
		}
	}
	found, err := database.RemoveAside(path)
	switch {
	case err != nil:
		log.Warn("could not delete the database of an import that stopped", slog.String("error", err.Error()))
	case found:
		log.Info("deleted the database of an import that stopped before it was complete", slog.String("data", data))
	}
	return unlock, nil
}

// importIfEmpty imports the content folder (or the embedded demo content)
// when the database holds no item yet, and says so in the log.
func (e *Env) importIfEmpty(ctx context.Context) error {
	empty := func() (bool, error) {
		n, err := e.Store.CountItems(ctx)
		return n == 0, err
	}
	if ok, err := empty(); err != nil || !ok {
		return err
	}
	src, err := OpenContent(e.Config.Content)
	if err != nil {
		return fmt.Errorf("--content (CCHC_CONTENT): %w", err)
	}
	defer src.Close()
	// Counted again under the lock: a `cchc import` into this database
	// may have held it, and filled the database, since the count above.
	// serve's content (the embedded demo, when it has none) must not go
	// in on top of what the editor imported.
	unlock, err := lockImportSaying(ctx, e.Config.Data, func() {
		e.Log.Info("an import is running in this data folder: waiting for it before importing into the empty database", slog.String("data", e.Config.Data))
	})
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := empty(); err != nil || !ok {
		return err
	}
	if src.Demo {
		e.Log.Info("empty database: importing the embedded demo content", slog.String("missing", e.Config.Content))
	} else {
		e.Log.Info("empty database: importing content", slog.String("dir", src.Name))
	}
	res, err := e.Publish.Import(ctx, src.FS, src.Name)
	if err != nil {
		return err
	}
	if _, err := e.Search.Compact(ctx); err != nil {
		return err
	}
	// Each warning is printed, not only their count: a newcomer seeing
	// warnings=4 must be able to tell what they are (issue 17.11).
	for _, w := range res.Warnings {
		e.Log.Warn("import warning", slog.String("warning", w.Error()))
	}
	for _, x := range res.Errors {
		e.Log.Warn("import error", slog.String("msg", x.Error()))
	}
	e.Log.Info("imported", slog.Int("added", res.Added), slog.Int("updated", res.Updated),
		slog.Int("unchanged", res.Unchanged), slog.Int("failed", res.Failed), slog.Int("warnings", len(res.Warnings)))
	return nil
}

// refreshRefsEvery re-renders items whose legal references went stale (a
// document came into force or expired), at once and then every period, so
// that no page keeps a wrong link after a restart or a date change.
func (e *Env) refreshRefsEvery(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		var n int
		var err error
		if e.DB.Damage() == "" { // nothing is written into a damaged file
			n, err = e.Publish.RefreshRefs(ctx)
		}
		switch {
		case err != nil && ctx.Err() == nil && !heldThenDamaged(e.DB, err):
			e.Log.Error("refresh legal references", slog.Any("err", err))
		case n > 0:
			e.Log.Info("re-rendered items with stale legal references", slog.Int("items", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// heldThenDamaged reports whether err is the refusal of a write that
// waited for the start check, which then found the file damaged: the
// damage is logged once, at error level, by the check itself.
func heldThenDamaged(db *database.DB, err error) bool {
	return errors.Is(err, database.ErrDamaged) && db.Damage() != ""
}

// publishDueEvery records scheduled publications as their time comes, with
// no visitor needed, and at start catches up on those missed while the
// server was down.
func (e *Env) publishDueEvery(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		var done []*store.Item
		var err error
		if e.DB.Damage() == "" { // nothing is written into a damaged file
			done, err = e.Publish.PublishDue(ctx)
		}
		if err != nil && ctx.Err() == nil && !heldThenDamaged(e.DB, err) {
			e.Log.Error("scheduled publication", slog.Any("err", err))
		}
		for _, it := range done {
			e.Log.Info("published on schedule", slog.Int64("item", it.ID), slog.String("url", it.URL()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// watchSite polls the site's state so the page cache drops pages that
// another process's write (a cchc import beside the server), a scheduled
// publication falling due or a new day made stale.
func (e *Env) watchSite(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		st, err := e.Store.State(ctx)
		if err == nil {
			e.Pages.Watch(st.Version, st.NextScheduled, e.Now().In(vntext.Zone).Format("2006-01-02"))
			e.Columns.Watch(st.Version)
		} else if ctx.Err() == nil {
			e.Log.Warn("page cache: site state", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
