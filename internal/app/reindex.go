package app

import (
	"context"
	"fmt"

	"cchc/internal/locale"
)

// reindex rebuilds the search index from the items, in one transaction:
// after a restore, or if the index is ever suspected of drifting.
func (c *cli) reindex(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("reindex", locale.T("cli.synopsis.data"), args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc reindex: %s\n", locale.T("cli.no_arguments", fs.Arg(0)))
		return exitUsage
	}
	env, err := c.openExisting(ctx, cfg, "cchc reindex")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc reindex: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	n, err := env.Search.Rebuild(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc reindex: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("cli.reindex.done", n))
	return exitOK
}
