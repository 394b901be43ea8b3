package app

import (
	"context"
	"fmt"
	"os"

	"cchc/internal/config"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/mirror"
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
	fmt.Fprintln(c.stdout, locale.T("cli.build_static.done", vntext.Terminal(out), res.Files, len(res.Written), len(res.Deleted), res.Redirects))
	return exitOK
}

// BuildMirror writes the public column into the static mirror out, asking
// the handler serve runs for each URL; besides the links it follows, it
// asks for the old addresses of moved items and every stored file.
func (e *Env) BuildMirror(ctx context.Context, out string) (*mirror.Result, error) {
	h, err := e.Handler()
	if err != nil {
		return nil, err
	}
	seeds, err := e.Store.OldSlugs(ctx)
	if err != nil {
		return nil, err
	}
	files, err := e.Store.AllMedia(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range files {
		seeds = append(seeds, media.URL(m.Name))
	}
	return mirror.Build(ctx, out, mirror.Options{Handler: h, Base: e.Config.PublicBase(), Seeds: seeds, Log: e.Log})
}
