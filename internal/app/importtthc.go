package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/tthclist"
	"cchc/internal/vntext"
)

// importTTHC is `cchc import-tthc [--data DIR] FILE`: a list exported from
// the national procedure database (CSV or XLSX, read by internal/tthclist
// as the report's official list is) against the column. Codes the column
// lacks become drafts; for codes it has, every differing field is printed
// with both values and nothing is written: the editor decides in the
// workspace. A list with a bad row is refused whole, each problem as
// path:line: message.
func (c *cli) importTTHC(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("import-tthc", locale.T("cli.synopsis.import_tthc"), args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(c.stderr, "cchc import-tthc: %s\n", locale.T("cli.import_tthc.one_file"))
		return exitUsage
	}
	path := fs.Arg(0)
	data, msg := readListFile(path)
	if msg != "" {
		fmt.Fprintf(c.stderr, "cchc import-tthc: %s: %s\n", vntext.Terminal(path), msg)
		return exitFail
	}
	list, err := tthclist.Parse(path, data)
	if err != nil {
		for _, line := range strings.Split(locale.Text(err), "\n") {
			fmt.Fprintln(c.stderr, line)
		}
		fmt.Fprintln(c.stderr, locale.T("cli.import_tthc.refused"))
		return exitFail
	}
	env, err := c.open(ctx, cfg, "cchc import-tthc")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import-tthc: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	res, err := env.Publish.ImportTTHC(ctx, publish.Actor{Name: "cli", Role: auth.Admin}, path, list)
	if res != nil {
		c.tthcReport(path, res)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc import-tthc: %s\n", locale.Text(err))
		return exitFail
	}
	for _, e := range res.Skipped {
		if !e.Warning {
			return exitFail
		}
	}
	return exitOK
}

// tthcReport prints what the import created and what differs.
func (c *cli) tthcReport(path string, res *publish.TTHCResult) {
	for _, n := range res.Created {
		fmt.Fprintf(c.stdout, "%s:%d: %s\n", path, n.Line, locale.T("cli.import_tthc.created", n.Code, n.Item.Title))
	}
	for _, ch := range res.Changed {
		fmt.Fprintf(c.stdout, "%s:%d: %s\n", path, ch.Line, locale.T("cli.import_tthc.differs", ch.Code, admin.EditURL(ch.Item)))
		for _, d := range ch.Diffs {
			fmt.Fprintf(c.stdout, "    %s\n", locale.T("cli.import_tthc.diff", d.Label, d.Ours, d.Theirs))
		}
	}
	for _, t := range res.Trashed {
		fmt.Fprintf(c.stdout, "%s:%d: %s\n", path, t.Line, locale.T("cli.import_tthc.trashed", t.Code))
	}
	for _, e := range res.Skipped {
		fmt.Fprintln(c.stderr, e.Error())
	}
	fmt.Fprintln(c.stdout, locale.T("cli.import_tthc.done", len(res.Created), len(res.Changed), res.Same, len(res.Trashed)))
}

// readListFile reads a list file: a regular file (a FIFO would block, a
// device never end) of at most tthclist.MaxSize bytes, counted as read.
func readListFile(path string) ([]byte, string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, locale.T("cli.import_tthc.cannot_read", locale.Text(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil, locale.T("cli.import_tthc.not_file")
	}
	data, err := io.ReadAll(io.LimitReader(f, tthclist.MaxSize+1))
	if err != nil {
		return nil, locale.T("cli.import_tthc.cannot_read", locale.Text(err))
	}
	if len(data) > tthclist.MaxSize {
		return nil, locale.T("content.file.too_big", len(data), tthclist.MaxSize)
	}
	return data, ""
}
