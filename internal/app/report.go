package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"cchc/internal/config"
	"cchc/internal/locale"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/report"
	"cchc/internal/vntext"
)

// report writes the year's report from the publication log in one of five
// formats (docx: the administrative report of the print page, package
// report), with figures through --to (today by default); the figures are
// those of the dashboard (one progress.Report).
func (c *cli) report(ctx context.Context, args []string) int {
	synopsis := locale.T("cli.synopsis.report")
	fs := flag.NewFlagSet("cchc report", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfg := config.Register(fs, c.getenv, "data")
	year := fs.Int("year", 0, locale.T("cli.flag.year"))
	to := fs.String("to", "", locale.T("cli.flag.to"))
	format := fs.String("format", "text", locale.T("cli.flag.format"))
	out := fs.String("o", "", locale.T("cli.flag.out"))
	level := fs.String("cap", "", locale.T("cli.flag.cap"))
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s cchc report %s\n\n", locale.T("cli.usage"), synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.T("cli.no_arguments", fs.Arg(0)))
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.Text(err))
		return exitUsage
	}
	switch *format {
	case "text", "csv", "xlsx", "md", "docx":
	default:
		fmt.Fprintf(c.stderr, "cchc report: --format: %s\n", locale.T("cli.report.bad_format", *format))
		return exitUsage
	}
	if *level != report.LevelCentre && *level != report.LevelDepartment {
		fmt.Fprintf(c.stderr, "cchc report: --cap: %s\n", locale.T("report.web.bad_level"))
		return exitUsage
	}
	if *year != 0 && (*year < 1900 || *year > 9999) {
		fmt.Fprintf(c.stderr, "cchc report: --year: %s\n", locale.T("cli.report.bad_year", *year))
		return exitUsage
	}
	var asOf time.Time
	if *to != "" {
		d, err := vntext.ParseDate(*to)
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc report: --to: %s\n", locale.Text(err))
			return exitUsage
		}
		asOf = progress.Day(d)
	}
	if (*format == "xlsx" || *format == "docx") && *out == "" {
		fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.T("cli.report.xlsx_needs_out", *format))
		return exitUsage
	}
	env, err := OpenReadOnly(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	switch {
	case *year == 0 && !asOf.IsZero():
		*year = asOf.Year()
	case *year == 0:
		*year = env.Now().In(vntext.Zone).Year()
	}
	r, err := progress.MeasureAsOf(ctx, env.Store, publog.New(env.Store, env.Now), *year, asOf, env.Now())
	var ce *progress.CutoffError
	if errors.As(err, &ce) {
		fmt.Fprintf(c.stderr, "cchc report: --to: %s\n", ce.Msg)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.Text(err))
		return exitFail
	}
	r.Department = *level == report.LevelDepartment
	// Render into memory first, so a failure never leaves half a file.
	var buf bytes.Buffer
	switch *format {
	case "text":
		err = r.WriteText(&buf)
	case "csv":
		err = r.WriteCSV(&buf)
	case "xlsx":
		err = r.WriteXLSX(&buf)
	case "md":
		err = r.WriteMarkdown(&buf)
	case "docx":
		var p *report.Paper
		if r.Department {
			p, err = report.NewDepartmentPaper(ctx, env.Store, r, cfg.BaseURL)
		} else {
			p, err = report.NewPaper(ctx, env.Store, r, cfg.BaseURL)
		}
		if err == nil {
			err = p.WriteDOCX(&buf)
		}
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.Text(err))
		return exitFail
	}
	if *out == "" {
		if _, err := c.stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(c.stderr, "cchc report: %s\n", locale.Text(err))
			return exitFail
		}
		return exitOK
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o640); err != nil {
		fmt.Fprintf(c.stderr, "cchc report: -o: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stderr, locale.T("cli.report.done", *year, vntext.Terminal(*out)))
	return exitOK
}
