package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Region markers: the harness rewrites only what lies between them, so
// the analysis written around the table survives a re-run.
const (
	beginMarker = "<!-- harness:begin -->"
	endMarker   = "<!-- harness:end -->"
)

type report struct {
	machine   machine
	opts      *options
	started   time.Time
	loadAfter string
	sizes     []*sizeResult
}

// Reference figures from issue 8 (Hugo 0.111 and friends on 2 cores).
const (
	hugo1k        = 1600 * time.Millisecond
	hugo10k       = 11 * time.Second
	budgetRSS     = 300 << 20 // import peak RSS
	budgetRSS100k = 500 << 20 // import peak RSS at 100,000 items (issue 18)
	budgetServe   = 150 << 20 // serving peak RSS
	budgetStart   = 300 * time.Millisecond
)

// row is one line of the table.
type row struct {
	n                                               int
	what, rps, p50, p99, errors, ratio, result, ref string
	budget, verdict                                 string
}

func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString(beginMarker + "\n")
	if r.opts.provisional != "" {
		fmt.Fprintf(&b, "> **Provisional figures** — %s\n\n", r.opts.provisional)
	}
	fmt.Fprintf(&b, "Run of %s. Command:\n\n```\n%s\n```\n\n", r.started.UTC().Format("2006-01-02 15:04 MST"), r.opts.command)
	m := r.machine
	fmt.Fprintf(&b, "Machine: %s, %d cores (`nproc`), %s memory, Linux %s, %s. Load average (`uptime`) at the start: %s; at the end: %s.\n\n",
		orDash(m.cpu), m.cores, orDash(m.memory), orDash(m.kernel), m.goVer, m.loadNow, r.loadAfter)
	fmt.Fprintf(&b, "Load: %d keep-alive connections, closed loop, %s per target after a %s warm-up, at most %d requests; every request asks for gzip (as browsers do) and reads the whole answer; no conditional requests.\n\n",
		r.opts.conns, r.opts.duration, r.opts.warmup, r.opts.maxRequests)

	b.WriteString("| N | what | req/s | p50 | p99 | errors | × bare | result | reference (issue 8) | budget | met? |\n")
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---|---|---|---|\n")
	for _, sr := range r.sizes {
		for _, rw := range r.rows(sr) {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", thousandsSep(rw.n), rw.what,
				orDash(rw.rps), orDash(rw.p50), orDash(rw.p99), orDash(rw.errors), orDash(rw.ratio), orDash(rw.result), orDash(rw.ref), orDash(rw.budget), orDash(rw.verdict))
		}
	}
	b.WriteString(r.servingMarkdown())
	b.WriteString("\nCorpora (`go run ./bench/cmd/gencorpus`, seed " + fmt.Sprint(r.opts.seed) + "):")
	for _, sr := range r.sizes {
		fmt.Fprintf(&b, " %s items = %.0f MiB", thousandsSep(sr.n), float64(sr.corpusBytes)/(1<<20))
		if sr.genTime > 0 {
			fmt.Fprintf(&b, " (generated in %s)", sr.genTime.Round(10*time.Millisecond))
		}
		b.WriteString(";")
	}
	b.WriteString(" load average before each size:")
	for _, sr := range r.sizes {
		fmt.Fprintf(&b, " %s: %s;", thousandsSep(sr.n), sr.loadBefore)
	}
	b.WriteString("\n" + endMarker + "\n")
	return b.String()
}

func (r *report) rows(sr *sizeResult) []row {
	n := sr.n
	var rows []row
	imp := row{n: n, what: "import into an empty data folder"}
	switch n {
	case 1000:
		imp.ref = "Hugo 0.111 build: ≈1.6 s"
		imp.budget = "≤ 0.8 s (0.5 × Hugo), ≤ 300 MB (the 10k rule)"
	case 10000:
		imp.ref = "Hugo 0.111: ≈11 s, ≈2.1 GB; goldmark alone ≈0.9 s"
		imp.budget = "≤ 5.5 s (0.5 × Hugo), peak RSS ≤ 300 MB"
	case 100000:
		imp.budget = "≤ 60 s, peak RSS ≤ 500 MB"
	}
	if len(sr.hugo) > 0 {
		var walls []time.Duration
		var rss int64
		for _, h := range sr.hugo {
			walls = append(walls, h.wall)
			rss = max(rss, h.rss)
		}
		imp.ref = fmt.Sprintf("Hugo %s, same corpus, same machine, in turn: %s wall (median of %d), %s, %s peak RSS, %s pages",
			sr.hugoVersion, secs(median(walls)), len(walls), hugoCPU(sr.hugo), mib(rss), thousandsSep(sr.hugo[0].pages))
		imp.ratio = fmt.Sprintf("%.2f × Hugo", medianFloat(sr.hugoRatios))
	} else if sr.hugoSkipped != "" {
		imp.ref += " (Hugo not run: " + sr.hugoSkipped + ")"
	}
	if sr.importSkipped != "" {
		imp.result = "skipped: " + sr.importSkipped
		imp.verdict = "**not met**"
		return append(rows, imp)
	}
	imp.result = fmt.Sprintf("%s wall, %s peak RSS", secs(sr.importWall), mib(sr.importRSS))
	if len(sr.importWalls) > 1 {
		var each []string
		for _, w := range sr.importWalls {
			each = append(each, secs(w))
		}
		imp.result = fmt.Sprintf("%s wall (median of %s), %s peak RSS", secs(sr.importWall), strings.Join(each, ", "), mib(sr.importRSS))
	}
	if len(sr.importCPU) > 0 {
		imp.result += ", " + medianCPU(sr.importCPU).String() + " (medians)"
	}
	if strings.Contains(sr.importSummary, "lỗi: 0") {
		imp.result += ", 0 failures"
	} else {
		imp.result += ", `" + sr.importSummary + "`"
	}
	switch {
	case n >= 100000:
		imp.verdict = verdict(sr.importWall <= 60*time.Second && sr.importRSS <= budgetRSS100k)
	case len(sr.hugoRatios) > 0 && hugoSlowed(sr.hugo) != "":
		imp.verdict = "not judged: " + hugoSlowed(sr.hugo)
	case len(sr.hugoRatios) > 0:
		// Measured side by side: half of Hugo's time, pair by pair.
		imp.verdict = verdict(medianFloat(sr.hugoRatios) <= 0.5 && sr.importRSS <= budgetRSS)
	case n == 1000:
		imp.verdict = verdict(sr.importWall <= hugo1k/2 && sr.importRSS <= budgetRSS)
	case n == 10000:
		imp.verdict = verdict(sr.importWall <= hugo10k/2 && sr.importRSS <= budgetRSS)
	}
	rows = append(rows, imp)
	if len(sr.importSteps) > 0 {
		rows = append(rows, row{n: n, what: "import: its steps (`cchc import --timings`, last run)", result: "`" + sr.importSteps[len(sr.importSteps)-1] + "`"})
	}
	rows = append(rows,
		row{n: n, what: "start to first answer (first start after import)", result: ms(sr.firstStart), budget: "≤ 300 ms", verdict: verdict(sr.firstStart <= budgetStart)},
		row{n: n, what: "start to first answer (restart)", result: ms(sr.restart), budget: "≤ 300 ms", verdict: verdict(sr.restart <= budgetStart)},
	)
	bareRPS := 0.0
	if sr.bare != nil && sr.bare.res != nil {
		bareRPS = sr.bare.res.RPS()
		rw := loadRow(n, sr.bare, 0)
		rw.ref, rw.result = "the physical limit", fmt.Sprintf("%s a response", bytesText(sr.bare.size))
		rows = append(rows, rw)
	}
	for _, tr := range sr.targets {
		rw := loadRow(n, tr, bareRPS)
		if tr.missing {
			rw.result, rw.verdict = "missing: answers 404 (not built yet)", "missing"
		}
		ratio := 0.0
		if tr.res != nil && bareRPS > 0 {
			ratio = tr.res.RPS() / bareRPS
		}
		p99 := time.Duration(0)
		if tr.res != nil {
			p99 = tr.res.Percentile(99)
			rw.result = fmt.Sprintf("%s a response", bytesText(tr.size))
		}
		switch tr.class {
		case "item":
			rw.budget = "≥ 0.8 × bare, p99 ≤ 5 ms"
			if tr.name != "article" {
				rw.budget += " (as article)"
			}
			if !tr.missing {
				rw.verdict = verdict(ratio >= 0.8 && p99 <= 5*time.Millisecond)
			}
		case "list":
			rw.budget = "≥ 0.7 × bare"
			if !tr.missing {
				rw.verdict = verdict(ratio >= 0.7)
			}
		case "search":
			limit := 20 * time.Millisecond
			rw.budget = "p99 ≤ 20 ms"
			if n >= 100000 {
				limit, rw.budget = 100*time.Millisecond, "p99 ≤ 100 ms"
			}
			if n == 10000 {
				rw.ref = "naive FTS5 bm25: p50 ≈25 ms, p99 ≈100 ms"
			}
			if !tr.missing {
				rw.verdict = verdict(p99 <= limit)
			}
		}
		if !tr.missing && tr.res != nil && tr.res.Errors > 0 {
			rw.verdict = "**not met** (errors)"
		}
		rows = append(rows, rw)
	}
	rows = append(rows, r.deepRows(sr)...)
	limit := serveBudget(n)
	rows = append(rows, row{n: n, what: "serve: peak RSS (VmHWM) over start and load", result: mib(sr.serveHWM),
		budget: fmt.Sprintf("≤ %d MB", limit>>20), verdict: verdict(sr.serveHWM > 0 && sr.serveHWM <= limit)})
	return rows
}

// deepRows are the rows of the URLs that cost most at a large size, each
// held to twice the article page's p99 (issue 18, point 5).
func (r *report) deepRows(sr *sizeResult) []row {
	var article time.Duration
	for _, tr := range sr.targets {
		if tr.name == "article" && tr.res != nil {
			article = tr.res.Percentile(99)
		}
	}
	var rows []row
	for _, d := range sr.deep {
		shown := d.urls[0]
		if len(d.urls) > 1 {
			shown += " …"
		}
		if len(shown) > 40 {
			shown = shown[:37] + "…"
		}
		rw := row{n: sr.n, what: d.name + " `" + shown + "`", budget: "p99 ≤ 2 × article p99"}
		if article > 0 {
			rw.budget += " (" + ms(2*article) + ")"
		}
		if d.problem != "" {
			rw.result, rw.verdict = "not loaded: "+d.problem, "**not met**"
			rows = append(rows, rw)
			continue
		}
		res := d.res
		rw.rps = thousandsSep(int(res.RPS() + 0.5))
		rw.p50, rw.p99 = ms(res.Percentile(50)), ms(res.Percentile(99))
		rw.errors = fmt.Sprint(res.Errors)
		if res.Errors > 0 && res.FirstErr != "" {
			rw.errors += " (" + res.FirstErr + ")"
		}
		rw.result = fmt.Sprintf("first answer (cold) %s; %s a response", ms(d.cold), bytesText(d.size))
		if d.want != 0 {
			rw.result += fmt.Sprintf(", each a %d", d.want)
		}
		if strings.HasPrefix(d.name, "feed of") && sr.feedHWM > 0 {
			rw.result += "; that server's peak RSS " + mib(sr.feedHWM)
		}
		rw.verdict = verdict(article > 0 && res.Errors == 0 && res.Percentile(99) <= 2*article)
		rows = append(rows, rw)
	}
	return rows
}

func loadRow(n int, tr *targetResult, bareRPS float64) row {
	shown := tr.path
	if len(shown) > 40 {
		shown = shown[:37] + "…"
	}
	rw := row{n: n, what: tr.name + " `" + shown + "`"}
	if tr.class == "bare" {
		rw.what = tr.name
	}
	if tr.res == nil {
		return rw
	}
	rw.rps = thousandsSep(int(tr.res.RPS() + 0.5))
	rw.p50 = ms(tr.res.Percentile(50))
	rw.p99 = ms(tr.res.Percentile(99))
	rw.errors = fmt.Sprint(tr.res.Errors)
	if tr.res.Errors > 0 && tr.res.FirstErr != "" {
		rw.errors += " (" + tr.res.FirstErr + ")"
	}
	if bareRPS > 0 {
		rw.ratio = fmt.Sprintf("%.2f", tr.res.RPS()/bareRPS)
	}
	return rw
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func bytesText(n int) string {
	if n >= 10<<10 {
		return fmt.Sprintf("%.0f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// thousandsSep writes n with commas: 12,345.
func thousandsSep(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// writeRegion puts text between the markers of file, or writes a new file
// with a title around it when the file or its markers do not exist.
func writeRegion(file, text string) error {
	old, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	s := string(old)
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	var out string
	if i >= 0 && j > i {
		out = s[:i] + text + strings.TrimPrefix(s[j+len(endMarker):], "\n")
	} else if len(old) > 0 {
		out = strings.TrimRight(s, "\n") + "\n\n" + text
	} else {
		out = "# Performance\n\n" + text
	}
	return os.WriteFile(file, []byte(out), 0o644)
}
