package app

import (
	"context"
	"fmt"
	"os"

	"cchc/internal/vntext"
)

func (c *cli) importCmd(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("import", "[--data THƯ_MỤC] [THƯ_MỤC_NỘI_DUNG]", args, "data", "content")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(c.stderr, "cchc import: chỉ nhận một thư mục nội dung")
		return exitUsage
	}
	dir := cfg.Content
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		fmt.Fprintf(c.stderr, "cchc import: %s: không phải thư mục\n", vntext.Terminal(dir))
		return exitUsage
	}
	env, err := Open(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %v\n", err)
		return exitFail
	}
	defer env.Close()
	src, err := OpenContent(dir)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %s: không mở được thư mục nội dung: %v\n", vntext.Terminal(dir), err)
		return exitFail
	}
	defer src.Close()
	res, err := env.Publish.Import(ctx, src.FS, src.Name)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import: %v\n", err)
		return exitFail
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(c.stderr, w.Error())
	}
	for _, e := range res.Errors {
		fmt.Fprintln(c.stderr, e.Error())
	}
	fmt.Fprintf(c.stdout, "thêm mới: %d, cập nhật: %d, không đổi: %d, lỗi: %d\n", res.Added, res.Updated, res.Unchanged, res.Failed)
	if res.Failed > 0 {
		return exitFail
	}
	return exitOK
}
