package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

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
	cfg, fs, code := c.flags("import", "[--data THƯ_MỤC] [--timings] [THƯ_MỤC_NỘI_DUNG]", args, "data", "content")
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
	if timings {
		t := res.Timings
		sec := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }
		fmt.Fprintf(c.stdout, "thời gian (giây): kiểm tra %s, chuẩn bị %s, ghi %s, chờ %s, cập nhật liên kết %s, tổng %s\n",
			sec(t.Claims), sec(t.Prepare), sec(t.Write), sec(t.Wait), sec(t.Refresh), sec(t.Total))
	}
	if res.Failed > 0 {
		return exitFail
	}
	return exitOK
}
