package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// The Go runtime's collector settings for an import, each applied when
// the environment gives none (GOGC, GOMEMLIMIT win when set). An import
// allocates a body's worth of garbage per file (read, parsed, rendered,
// folded) over a live heap that stays small; at the runtime's default
// (GOGC=100) the collector took 7% of the CPU of a 10,000-item import.
// At 200 it runs half as often: CPU 0.96 × at 10,000 items, peak RSS
// 236 against 205 MiB (300: 0.93 ×, but 267 MiB, near the 300 MB budget;
// docs/PERFORMANCE.md, h21-import). The memory limit keeps the
// larger heap of a 100,000-item import under its budget: past it the
// collector runs as often as it must. SQLite's caches are outside both.
const (
	ImportGCPercent   = 200
	ImportMemoryLimit = 320 << 20
)

// importGC applies ImportGCPercent and ImportMemoryLimit where the
// environment (getenv) sets neither, and returns what puts the runtime's
// settings back.
func importGC(getenv func(string) string) (restore func()) {
	gc, limit := -2, int64(-2)
	if getenv("GOGC") == "" {
		gc = debug.SetGCPercent(ImportGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(ImportMemoryLimit)
	}
	return func() {
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		if limit != -2 {
			debug.SetMemoryLimit(limit)
		}
	}
}

// openForImport opens the data folder of cfg for an import, which holds
// the folder's import lock. A folder with no database yet gets one built
// aside (database.OpenAside), which the import installs when done: it
// writes each page once, where a database built in place writes it twice
// (WAL, then checkpoint). aside says which.
func (c *cli) openForImport(ctx context.Context, cfg *config.Config) (env *Env, aside bool, err error) {
	path := filepath.Join(cfg.Data, database.FileName)
	absent, err := database.Absent(path)
	if err != nil {
		return nil, false, err
	}
	if !absent {
		env, err := c.open(ctx, cfg, "cchc import")
		return env, false, err
	}
	db, err := database.OpenAside(ctx, path)
	if err != nil {
		return nil, false, err
	}
	return newEnv(cfg, db, nil, nil), true, nil
}

// lockImportSaying takes the data folder's import lock as lockImport
// does, calling waiting first when another process holds it: a command
// or serve says why it waits rather than seem to hang.
func lockImportSaying(ctx context.Context, data string, waiting func()) (unlock func(), err error) {
	unlock, held, err := tryLockImport(data)
	if !held {
		return unlock, err
	}
	waiting()
	return lockImport(ctx, data)
}

func (c *cli) importCmd(ctx context.Context, args []string) int {
	// --timings prints what each step took (the benchmark harness reads it).
	timings := false
	args = slices.DeleteFunc(slices.Clone(args), func(a string) bool {
		if a == "--timings" || a == "-timings" {
			timings = true
			return true
		}
		return false
	})
	cfg, fs, code := c.flags("import", locale.T("cli.synopsis.import"), args, "data", "content")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.T("cli.import.one_folder"))
		return exitUsage
	}
	dir := cfg.Content
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		fmt.Fprintf(c.stderr, "cchc import: %s: %s\n", vntext.Terminal(dir), locale.T("cli.import.not_folder"))
		return exitUsage
	}
	defer importGC(c.getenv)()
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		fmt.Fprintf(c.stderr, "cchc import: --data: %s\n", locale.Text(err))
		return exitFail
	}
	src, err := OpenContent(dir)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s: %s\n", vntext.Terminal(dir), locale.T("cli.import.cannot_open", locale.Text(err)))
		return exitFail
	}
	defer src.Close()
	// Another import into the folder (or serve's first one, or serve
	// opening a database it is creating) holds the lock: waited for, and
	// said, so that the command does not seem to hang.
	unlock, err := lockImportSaying(ctx, cfg.Data, func() {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.T("cli.import.waiting", vntext.Terminal(cfg.Data)))
	})
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
	}
	defer unlock()
	env, aside, err := c.openForImport(ctx, cfg)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
	}
	// A database built aside (a new data folder) is installed only
	// when the import went through; otherwise it is thrown away.
	installed := false
	defer func() {
		if aside && !installed {
			env.DB.Discard()
			return
		}
		env.Close()
	}()
	res, err := env.Publish.Import(ctx, src.FS, src.Name)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
	}
	// An import that rewrote many items (updates, the link refresh) left
	// their old entries in the full-text index: merged now, not at every
	// search after.
	if _, err := env.Search.Compact(ctx); err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
	}
	if aside {
		installed = true
		if err := env.DB.Install(ctx); err != nil {
			if errors.Is(err, database.ErrInstallTaken) {
				fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.T("cli.import.taken_meanwhile", vntext.Terminal(filepath.Join(cfg.Data, database.FileName))))
			} else {
				fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
			}
			return exitFail
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(c.stderr, w.Error())
	}
	for _, e := range res.Errors {
		fmt.Fprintln(c.stderr, e.Error())
	}
	fmt.Fprintln(c.stdout, locale.T("cli.import.done", res.Added, res.Updated, res.Unchanged, res.Failed))
	if timings {
		t := res.Timings
		sec := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }
		fmt.Fprintln(c.stdout, locale.T("cli.import.timings",
			sec(t.Claims), sec(t.Prepare), sec(t.Write), sec(t.Wait), sec(t.Index), sec(t.Refresh), sec(t.Total)))
	}
	if res.Failed > 0 {
		return exitFail
	}
	return exitOK
}
