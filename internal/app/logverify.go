package app

import (
	"context"
	"fmt"

	"cchc/internal/publog"
)

// logCmd runs `cchc log verify`: it walks the publication log's hash chain
// and exits 1 naming the first row that was changed, deleted or inserted.
func (c *cli) logCmd(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(c.stdout, "Cách dùng: cchc log verify [--data THƯ_MỤC]")
			return exitOK
		}
		fmt.Fprintln(c.stderr, "Cách dùng: cchc log verify [--data THƯ_MỤC]")
		return exitUsage
	}
	cfg, fs, code := c.flags("log verify", "[--data THƯ_MỤC]", args[1:], "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc log verify: không nhận đối số %q\n", fs.Arg(0))
		return exitUsage
	}
	env, err := OpenReadOnly(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %v\n", err)
		return exitFail
	}
	defer env.Close()
	check, err := publog.New(env.Store, env.Now).Verify(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %v\n", err)
		return exitFail
	}
	if !check.OK() {
		fmt.Fprintln(c.stderr, check.Problem.Error())
		fmt.Fprintf(c.stderr, "cchc log verify: nhật ký xuất bản KHÔNG toàn vẹn (đã đọc %d hàng)\n", check.Rows)
		return exitFail
	}
	fmt.Fprintf(c.stdout, "Nhật ký xuất bản toàn vẹn: %d hàng, mã băm cuối chuỗi %s\n", check.Rows, check.Head)
	return exitOK
}
