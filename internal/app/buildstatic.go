package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
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
	env, err := c.openExisting(ctx, cfg, "cchc build-static")
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
// last. The columns under a prefix are in out (the root's robots.txt
// leads to them); each column at a host of its own is a mirror of its own
// in out/.hosts/HOST (mirror.HostsDir), as incremental as the main one,
// and the folder of a host no column has any more is removed. The result
// adds up the runs; the host folders' files are named from out.
func (e *Env) BuildMirror(ctx context.Context, out string) (*mirror.Result, error) {
	opt, err := e.MirrorOptions(ctx)
	if err != nil {
		return nil, err
	}
	res, err := mirror.Build(ctx, out, opt)
	if err != nil {
		return nil, err
	}
	hosts, err := e.hostColumns(ctx)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	for _, a := range hosts {
		hopt, err := e.hostMirrorOptions(ctx, a, opt)
		if err != nil {
			return nil, err
		}
		keep[a.Host] = true
		r, err := mirror.Build(ctx, filepath.Join(out, mirror.HostsDir, a.Host), hopt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Host, err)
		}
		addResult(res, r, mirror.HostsDir+"/"+a.Host+"/")
	}
	if err := pruneHosts(out, keep, res); err != nil {
		return nil, err
	}
	return res, nil
}

// addResult adds the run r of the folder dir (a name inside the mirror,
// with its slash) to res.
func addResult(res, r *mirror.Result, dir string) {
	res.Files += r.Files
	for _, w := range r.Written {
		res.Written = append(res.Written, dir+w)
	}
	for _, d := range r.Deleted {
		res.Deleted = append(res.Deleted, dir+d)
	}
	res.Unchanged += r.Unchanged
	res.Rendered += r.Rendered
	res.Redirects += r.Redirects
	res.Bytes += r.Bytes
	res.Left = append(res.Left, r.Left...)
}

// pruneHosts removes from out/.hosts the folder of every host not in keep
// (a column that moved to another host, to a prefix, or is gone), each
// counted in res.Deleted as one name.
func pruneHosts(out string, keep map[string]bool, res *mirror.Result) error {
	root, err := os.OpenRoot(out)
	if err != nil {
		return err
	}
	defer root.Close()
	f, err := root.Open(mirror.HostsDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, n := range names {
		if keep[n] {
			continue
		}
		// Through the root: a name cannot lead outside the mirror.
		if err := root.RemoveAll(mirror.HostsDir + "/" + n); err != nil {
			return err
		}
		res.Deleted = append(res.Deleted, mirror.HostsDir+"/"+n+"/")
	}
	if len(keep) == 0 {
		_ = root.Remove(mirror.HostsDir) // empty now; left if not
	}
	return nil
}

// hostColumns are the agencies whose column answers at a host of its own.
func (e *Env) hostColumns(ctx context.Context) ([]agency.Agency, error) {
	all, err := e.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	var out []agency.Agency
	for _, a := range all {
		if a.Host != "" && validHostDir(a.Host) {
			out = append(out, a)
		}
	}
	return out, nil
}

// validHostDir reports whether host (as the agency record keeps it,
// checked by agency's rules) makes a plain folder name: letters, digits,
// dots and hyphens, not "." or "..". A record that slipped past the rules
// is left out rather than written somewhere unexpected.
func validHostDir(host string) bool {
	if host == "" || host == "." || host == ".." || len(host) > 253 {
		return false
	}
	for _, c := range host {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// hostMirrorOptions are the options of the mirror of a's column at its
// host, from main, the main mirror's: the same handler, asked with a's
// host; its base the host with the public base's scheme; seeded with its
// items' old addresses and its own stored files. Its inputs are its
// items, and a fingerprint of the main one's, its record and its own
// settings, plans and files, and every other agency's items (its pages
// list theirs where a document is cited: a change there renders this
// column anew).
func (e *Env) hostMirrorOptions(ctx context.Context, a agency.Agency, main mirror.Options) (mirror.Options, error) {
	actx := agency.WithID(ctx, a.ID)
	scheme := "http"
	if u, err := url.Parse(e.Config.PublicBase()); err == nil && u.Scheme != "" {
		scheme = u.Scheme
	}
	seeds, err := e.Store.OldSlugs(actx)
	if err != nil {
		return mirror.Options{}, err
	}
	files, _, err := e.Store.MediaFiles(actx, -1, 0)
	if err != nil {
		return mirror.Options{}, err
	}
	for _, m := range files {
		seeds = append(seeds, media.URL(m.Name))
	}
	now := e.Now()
	own, err := e.Store.MirrorGlobal(actx)
	if err != nil {
		return mirror.Options{}, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "main %s\nhost %q %q %q %q %s\n", main.Inputs.Global, a.Host, a.Name, a.ShortName, a.Slug, own)
	all, err := e.Store.Agencies(ctx)
	if err != nil {
		return mirror.Options{}, err
	}
	for _, o := range all {
		if o.ID == a.ID {
			continue
		}
		its, err := e.Store.MirrorStamps(agency.WithID(ctx, o.ID), now)
		if err != nil {
			return mirror.Options{}, err
		}
		for _, p := range slices.Sorted(maps.Keys(its)) {
			fmt.Fprintf(h, "item %d %s %s\n", o.ID, p, its[p].Stamp)
		}
	}
	in := &mirror.Inputs{Global: hex.EncodeToString(h.Sum(nil)), Items: map[string]string{}, Groups: map[string][]string{},
		Fixed: main.Inputs.Fixed}
	its, err := e.Store.MirrorStamps(actx, now)
	if err != nil {
		return mirror.Options{}, err
	}
	if err := e.addMirrorItems(actx, in, its, ""); err != nil {
		return mirror.Options{}, err
	}
	return mirror.Options{Handler: main.Handler, Base: scheme + "://" + a.Host, Seeds: seeds, Log: main.Log, Inputs: in}, nil
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
