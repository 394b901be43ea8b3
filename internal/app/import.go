package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

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
	env, err := Open(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	src, err := OpenContent(dir)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s: %s\n", vntext.Terminal(dir), locale.T("cli.import.cannot_open", locale.Text(err)))
		return exitFail
	}
	defer src.Close()
	unlock, err := lockImport(ctx, cfg.Data)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
	}
	res, err := env.Publish.Import(ctx, src.FS, src.Name)
	unlock()
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s\n", locale.Text(err))
		return exitFail
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
