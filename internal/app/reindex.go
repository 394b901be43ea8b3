package app

import (
	"context"
	"fmt"
)

// reindex rebuilds the search index from the items, in one transaction:
// after a restore, or if the index is ever suspected of drifting.
func (c *cli) reindex(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("reindex", "[--data THƯ_MỤC]", args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc reindex: không nhận đối số %q\n", fs.Arg(0))
		return exitUsage
	}
	env, err := Open(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc reindex: %v\n", err)
		return exitFail
	}
	defer env.Close()
	n, err := env.Search.Rebuild(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc reindex: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(c.stdout, "đã lập chỉ mục tìm kiếm: %d mục\n", n)
	return exitOK
}
