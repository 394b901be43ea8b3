package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	"cchc/internal/agency"
	"cchc/internal/config"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/mirror"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// buildStatic is cchc build-static OUT: the public column as a static
// mirror (package mirror), rewriting only what changed since the last run.
func (c *cli) buildStatic(ctx context.Context, args []string) int {
	synopsis := locale.T("cli.synopsis.build_static")
	options := []string{"data", "theme", "base-url", "allowed-hosts", "feed-entries"}
	cfg, fs, code := c.flags("build-static", synopsis, args, options...)
	if code >= 0 {
		return code
	}
	if fs.NArg() == 0 || fs.Arg(0) == "" {
		fmt.Fprintf(c.stderr, "%s cchc build-static %s\n", locale.T("cli.usage"), synopsis)
		return exitUsage
	}
	out := fs.Arg(0)
	// Flags may also follow the folder (cchc build-static out --data d).
	if fs.NArg() > 1 {
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return exitUsage
		}
		if err := cfg.Validate(); err != nil {
			fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.Text(err))
			return exitUsage
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.T("cli.no_arguments", fs.Arg(0)))
			return exitUsage
		}
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.T("cli.build_static.not_folder", vntext.Terminal(out)))
		return exitUsage
	}
	if hosts, _ := config.ParseHosts(cfg.AllowedHosts); cfg.BaseURL == "" && len(hosts) == 0 {
		// A mirror is for the public: its feeds and sitemap must name the
		// public address, not this machine's.
		fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.T("cli.build_static.no_base_url", cfg.PublicBase()))
	}
	env, err := Open(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	res, err := env.BuildMirror(ctx, out)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.T("cli.build_static.failed", vntext.Terminal(out), locale.Text(err)))
		return exitFail
	}
	for _, l := range res.Left {
		if l.Reason == mirror.LeftQuery {
			continue // the directories' filters and such: on the origin
		}
		why := locale.T(l.Reason)
		if l.Detail != "" {
			why = locale.T(l.Reason, vntext.Terminal(l.Detail))
		}
		fmt.Fprintf(c.stderr, "cchc build-static: %s\n", locale.T("cli.build_static.left", vntext.Terminal(l.URL), vntext.Terminal(l.From), why))
	}
	fmt.Fprintln(c.stdout, locale.T("cli.build_static.done", vntext.Terminal(out), res.Files, len(res.Written), len(res.Deleted), res.Redirects, res.Rendered))
	return exitOK
}

// BuildMirror writes the public column into the static mirror out, asking
// the handler serve runs for each URL; besides the links it follows, it
// asks for the old addresses of moved items and every stored file. With
// the inputs of MirrorOptions a run renders only what changed since the
// last.
func (e *Env) BuildMirror(ctx context.Context, out string) (*mirror.Result, error) {
	opt, err := e.MirrorOptions(ctx)
	if err != nil {
		return nil, err
	}
	return mirror.Build(ctx, out, opt)
}

// MirrorOptions are the options of a mirror of the column as it is now:
// the handler serve runs, the seeds, and the inputs the pages are made of
// (mirror.Inputs).
func (e *Env) MirrorOptions(ctx context.Context) (mirror.Options, error) {
	h, err := e.Handler()
	if err != nil {
		return mirror.Options{}, err
	}
	seeds, err := e.Store.OldSlugs(ctx)
	if err != nil {
		return mirror.Options{}, err
	}
	files, err := e.Store.AllMedia(ctx)
	if err != nil {
		return mirror.Options{}, err
	}
	for _, m := range files {
		seeds = append(seeds, media.URL(m.Name))
	}
	in, err := e.mirrorInputs(ctx)
	if err != nil {
		return mirror.Options{}, err
	}
	// A page cached before the inputs were read may show less than they
	// say (serve's poller drops the cache within a second of another
	// process's write or a scheduled time); rendered from a stale page,
	// the mirror would keep it until its item changes again. Pages are
	// made anew from here on, as new as the inputs or newer.
	e.Pages.Invalidate()
	return mirror.Options{Handler: h, Base: e.Config.PublicBase(), Seeds: seeds, Log: e.Log, Inputs: in}, nil
}

// mirrorInputs are what the public pages are made of: each public item's
// stamp, and a fingerprint of all the rest — this program (its file's
// size and time), the theme's files, the public address and feed length,
// today's date
// (documents come into force and expire by the day), the settings,
// plans and stored files, and the prefixed columns.
func (e *Env) mirrorInputs(ctx context.Context) (*mirror.Inputs, error) {
	now := e.Now()
	items, err := e.Store.MirrorStamps(ctx, now)
	if err != nil {
		return nil, err
	}
	db, err := e.Store.MirrorGlobal(ctx)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	// Of the configuration, what the pages show: serve --mirror and cchc
	// build-static into one folder differ in the rest (--addr, --mirror).
	fmt.Fprintf(h, "db %s\nday %s\nbase %s %s\nfeed %d\ntheme %s\n", db, now.In(vntext.Zone).Format(time.DateOnly),
		e.Config.BaseURL, e.Config.PublicBase(), e.Config.FeedEntries, e.Config.Theme)
	// The root column's robots.txt names the prefixed columns' sitemaps,
	// and the mirror follows them (the same host): each such column is in
	// the mirror, its record and its own settings, plans and files an
	// input (written only when there are any, so that a mirror of one
	// agency keeps its fingerprint), its items below.
	columns, err := e.prefixedColumns(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range columns {
		g, err := e.Store.MirrorGlobal(agency.WithID(ctx, a.ID))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "column %q %q %q %s\n", a.Prefix, a.Name, a.ShortName, g)
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			fmt.Fprintf(h, "program %s %d %d\n", exe, fi.Size(), fi.ModTime().UnixNano())
		}
	} else {
		fmt.Fprintf(h, "program unknown %d\n", now.UnixNano()) // never the same twice: every run full
	}
	tfs, err := ThemeFS(e.Config)
	if err != nil {
		return nil, err
	}
	err = fs.WalkDir(tfs, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(tfs, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "theme %s %x\n", p, sha256.Sum256(b))
		return nil
	})
	if err != nil {
		return nil, err
	}
	in := &mirror.Inputs{Global: hex.EncodeToString(h.Sum(nil)), Items: make(map[string]string, len(items)),
		Groups: make(map[string][]string, len(items)), Fixed: []string{"/assets/", media.URL(""), "/favicon.svg"}}
	if err := e.addMirrorItems(ctx, in, items, ""); err != nil {
		return nil, err
	}
	for _, a := range columns {
		actx := agency.WithID(ctx, a.ID)
		its, err := e.Store.MirrorStamps(actx, now)
		if err != nil {
			return nil, err
		}
		if err := e.addMirrorItems(actx, in, its, a.Prefix); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// prefixedColumns are the agencies whose column answers under a prefix
// of the public base's host, by id.
func (e *Env) prefixedColumns(ctx context.Context) ([]agency.Agency, error) {
	all, err := e.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	var out []agency.Agency
	for _, a := range all {
		if a.Prefix != "" && a.Host == "" {
			out = append(out, a)
		}
	}
	return out, nil
}

// addMirrorItems adds the items of the agency ctx acts for to in, at their
// paths under its column's prefix.
func (e *Env) addMirrorItems(ctx context.Context, in *mirror.Inputs, items map[string]store.MirrorItem, prefix string) error {
	areas, err := site.AreaURLs(ctx, e.Store)
	if err != nil {
		return err
	}
	esc := func(p string) string { return (&url.URL{Path: prefix + p}).EscapedPath() }
	for p, it := range items {
		// The lists of its section and the pages of its areas show only
		// their own items.
		groups := []string{esc(it.Kind.Path())}
		for _, a := range it.Areas {
			if u, ok := areas[a]; ok {
				groups = append(groups, esc(u))
			}
		}
		in.Items[esc(p)], in.Groups[esc(p)] = it.Stamp, groups
	}
	return nil
}
