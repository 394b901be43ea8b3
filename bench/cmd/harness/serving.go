package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cchc/bench/queries"
)

// servingOptions are the flags of the measurements issue 18 added: search
// without the page cache, serving memory under it, and the article
// against its bare handler under a load generator that can saturate both.
type servingOptions struct {
	searchQueries int           // distinct queries in each search run
	searchClients int           // clients of the concurrent run
	wrk           string        // the wrk command; "" for none
	wrkRounds     int           // rounds of each pair (bare, cchc)
	wrkDuration   time.Duration // each wrk run
	wrkConns      int
	wrkThreads    int
}

func (s *servingOptions) register(fs *flag.FlagSet) {
	fs.IntVar(&s.searchQueries, "search-queries", 400, "distinct search queries in each of the two search runs (one client, then several); 0: no search run")
	fs.IntVar(&s.searchClients, "search-clients", 8, "clients of the concurrent search run")
	fs.StringVar(&s.wrk, "wrk", "wrk", "the wrk command that loads the article and its bare handler side by side; empty: none")
	fs.IntVar(&s.wrkRounds, "wrk-rounds", 3, "rounds of wrk runs, each one run of the bare handler and one of cchc, in turn")
	fs.DurationVar(&s.wrkDuration, "wrk-duration", 5*time.Second, "length of each wrk run")
	fs.IntVar(&s.wrkConns, "wrk-conns", 32, "wrk connections")
	fs.IntVar(&s.wrkThreads, "wrk-threads", 2, "wrk threads")
}

// servingResult is what measureServing found for one size.
type servingResult struct {
	hwmBefore, hwmAfter int64 // the server's VmHWM before and after the searches
	searches            []*searchRun
	wrk                 []*wrkComparison
	wrkSkipped          string
}

// searchRun is one run of the query set: every query sent once.
type searchRun struct {
	clients   int
	lat       []time.Duration // sorted
	byClass   map[string][]time.Duration
	errors    int
	firstErr  string
	wall      time.Duration
	estimated int // answers whose count said "khoảng"
	empty     int // answers with no hit
}

func (r *searchRun) pct(p float64) time.Duration { return percentile(r.lat, p) }

// percentile of sorted durations, 0 for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(float64(len(sorted))*p/100), len(sorted)-1)]
}

// measureServing runs, against the server at base (process pid): the
// uncached searches, one client then several, each query of the set sent
// once (generated from the corpus at dir); the server's peak RSS before
// and after them; and the article with and without gzip against a bare
// handler sending the same bytes, under wrk, in turn.
func measureServing(ctx context.Context, o *options, kids *children, sr *sizeResult, base, dir, article string, pid int, logw io.Writer) error {
	s := &o.serving
	res := &servingResult{hwmBefore: procStatus(pid, "VmHWM")}
	sr.serving = res
	if s.searchQueries > 0 {
		qs, err := queries.FromTree(dir, 2*s.searchQueries, o.seed)
		if err != nil {
			return err
		}
		// Two disjoint halves with the same mix of classes: no query of the
		// second run is in the page cache.
		var first, second []queries.Query
		for i, q := range qs {
			if i%2 == 0 {
				first = append(first, q)
			} else {
				second = append(second, q)
			}
		}
		for _, run := range []struct {
			qs      []queries.Query
			clients int
		}{{first, 1}, {second, s.searchClients}} {
			r, err := searchLoad(ctx, base, run.qs, run.clients, nil)
			if err != nil {
				return err
			}
			res.searches = append(res.searches, r)
			log.Printf("N=%d: search, %d queries, %d client(s): p50 %s p95 %s p99 %s max %s, %d errors, %d estimated counts",
				sr.n, len(r.lat), r.clients, r.pct(50).Round(10*time.Microsecond), r.pct(95).Round(10*time.Microsecond),
				r.pct(99).Round(10*time.Microsecond), r.pct(100).Round(10*time.Microsecond), r.errors, r.estimated)
		}
	}
	res.hwmAfter = procStatus(pid, "VmHWM")

	if s.wrk == "" {
		res.wrkSkipped = "-wrk is empty"
		return nil
	}
	wrk, err := exec.LookPath(s.wrk)
	if err != nil {
		res.wrkSkipped = s.wrk + " not found (Debian: apt-get install -y wrk)"
		log.Printf("N=%d: %s", sr.n, res.wrkSkipped)
		return nil
	}
	for _, gz := range []bool{true, false} {
		c, err := compareWithBare(ctx, o, kids, wrk, base+"/tin-tuc/"+article, gz, logw)
		if err != nil {
			return err
		}
		res.wrk = append(res.wrk, c)
		log.Printf("N=%d: article (gzip %v) %.0f req/s against bare %.0f: %.2f × bare [%.2f–%.2f]", sr.n, gz,
			medianFloat64(c.cchcRPS()), medianFloat64(c.bareRPS()), medianFloat64(c.ratios()), slices.Min(c.ratios()), slices.Max(c.ratios()))
	}
	return nil
}

// countLine finds the results page's count, and says whether it was
// estimated.
var countLine = regexp.MustCompile(`Tìm thấy (khoảng )?[0-9]`)

// searchLoad sends every query once, from clients at a time, each client
// sending its next query when the answer to its last one has been read.
// Query i goes to the results page pathFor(i) (nil: the column's
// /tim-kiem).
func searchLoad(ctx context.Context, base string, qs []queries.Query, clients int, pathFor func(int) string) (*searchRun, error) {
	if pathFor == nil {
		pathFor = func(int) string { return "/tim-kiem" }
	}
	client := newClient(clients)
	defer client.CloseIdleConnections()
	r := &searchRun{clients: clients, byClass: map[string][]time.Duration{}}
	lat := make([]time.Duration, len(qs))
	var (
		next                   atomic.Int64
		mu                     sync.Mutex
		wg                     sync.WaitGroup
		errCount, est, nothing atomic.Int64
	)
	fail := func(msg string) {
		errCount.Add(1)
		mu.Lock()
		if r.firstErr == "" {
			r.firstErr = msg
		}
		mu.Unlock()
	}
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(qs) {
					return
				}
				target := base + pathFor(i) + "?q=" + url.QueryEscape(qs[i].Text)
				if err := localOnly(target); err != nil {
					fail(err.Error())
					continue
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
				if err != nil {
					fail(err.Error())
					continue
				}
				req.Header.Set("Accept-Encoding", "gzip")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					lat[i] = time.Since(t0)
					fail(err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != http.StatusOK {
					fail(fmt.Sprintf("%q: %s %v", qs[i].Text, resp.Status, err))
					continue
				}
				if resp.Header.Get("Content-Encoding") == "gzip" {
					if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
						body, _ = io.ReadAll(zr)
					}
				}
				switch m := countLine.FindSubmatch(body); {
				case m == nil:
					nothing.Add(1)
				case len(m[1]) > 0:
					est.Add(1)
				}
			}
		})
	}
	wg.Wait()
	r.wall = time.Since(start)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	r.errors, r.estimated, r.empty = int(errCount.Load()), int(est.Load()), int(nothing.Load())
	for i, d := range lat {
		if d > 0 {
			r.lat = append(r.lat, d)
			r.byClass[qs[i].Class] = append(r.byClass[qs[i].Class], d)
		}
	}
	slices.Sort(r.lat)
	for _, l := range r.byClass {
		slices.Sort(l)
	}
	return r, nil
}

// wrkComparison is the article and its bare handler, in turn, under wrk.
type wrkComparison struct {
	gzip       bool
	bytes      int // body bytes of one answer
	bare, cchc []*wrkResult
}

func (c *wrkComparison) bareRPS() []float64 { return rpsOf(c.bare) }
func (c *wrkComparison) cchcRPS() []float64 { return rpsOf(c.cchc) }

// ratios are cchc's req/s over the bare handler's, pair by pair.
func (c *wrkComparison) ratios() []float64 {
	var out []float64
	for i := range min(len(c.bare), len(c.cchc)) {
		if c.bare[i].rps > 0 {
			out = append(out, c.cchc[i].rps/c.bare[i].rps)
		}
	}
	return out
}

func rpsOf(rs []*wrkResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, r.rps)
	}
	return out
}

// wrkResult is one wrk run.
type wrkResult struct {
	rps      float64
	p50, p99 time.Duration
	errors   int // non-2xx/3xx answers and socket errors
}

// compareWithBare loads target (cchc's article) and a bare handler
// serving the same bytes with the same type and encoding, one after the
// other, o.serving.wrkRounds times each; the one that goes first
// alternates, so that a drift of the machine weighs on both alike.
func compareWithBare(ctx context.Context, o *options, kids *children, wrk, target string, gz bool, logw io.Writer) (*wrkComparison, error) {
	s := &o.serving
	client := newClient(1)
	defer client.CloseIdleConnections()
	body, ctype, enc, status, err := fetchAs(ctx, client, target, gz)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d: %v", target, status, err)
	}
	if gz && enc != "gzip" {
		return nil, fmt.Errorf("%s: not gzipped when asked", target)
	}
	c := &wrkComparison{gzip: gz, bytes: len(body)}
	file := filepath.Join(o.results, fmt.Sprintf("bare-%v.body", gz))
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return nil, err
	}
	bareBase, stop, err := startBare(ctx, kids, file, ctype, enc, logw)
	if err != nil {
		return nil, err
	}
	defer stop()
	for round := range s.wrkRounds {
		order := []bool{true, false} // bare first
		if round%2 == 1 {
			order = []bool{false, true}
		}
		for _, bare := range order {
			url := target
			if bare {
				url = bareBase + "/"
			}
			r, err := runWrk(ctx, wrk, url, gz, s)
			if err != nil {
				return nil, err
			}
			if bare {
				c.bare = append(c.bare, r)
			} else {
				c.cchc = append(c.cchc, r)
			}
		}
	}
	return c, nil
}

// fetchAs gets url once, asking for gzip or not, and returns the bytes as
// sent with their type and encoding.
func fetchAs(ctx context.Context, client *http.Client, url string, gz bool) ([]byte, string, string, int, error) {
	if gz {
		return fetch(ctx, client, url)
	}
	if err := localOnly(url); err != nil {
		return nil, "", "", 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", "", 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), resp.StatusCode, err
}

// startBare starts a bare handler child serving file and returns its base
// URL and the function that stops it.
func startBare(ctx context.Context, kids *children, file, ctype, enc string, logw io.Writer) (string, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := kids.command(ctx, self, "-bare-body", file, "-bare-addr", fmt.Sprintf("127.0.0.1:%d", port), "-bare-type", ctype, "-bare-encoding", enc)
	cmd.Stdout, cmd.Stderr = logw, logw
	done, err := kids.start(cmd)
	if err != nil {
		return "", nil, err
	}
	stop := func() { kids.stop(cmd, done) }
	if _, err := waitReady(ctx, base+"/", time.Now(), done, 30*time.Second); err != nil {
		stop()
		return "", nil, fmt.Errorf("bare handler: %w", err)
	}
	return base, stop, nil
}

// runWrk runs wrk once against url (127.0.0.1 only) and reads its report.
func runWrk(ctx context.Context, wrk, url string, gz bool, s *servingOptions) (*wrkResult, error) {
	if err := localOnly(url); err != nil {
		return nil, err
	}
	args := []string{"-t", strconv.Itoa(s.wrkThreads), "-c", strconv.Itoa(s.wrkConns), "-d", s.wrkDuration.String(), "--latency"}
	if gz {
		args = append(args, "-H", "Accept-Encoding: gzip")
	}
	wctx, cancel := context.WithTimeout(ctx, s.wrkDuration+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(wctx, wrk, append(args, url)...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk %s: %v: %s", url, err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+([0-9]+)`)
	wrkSockErr = regexp.MustCompile(`Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)`)
)

// parseWrk reads wrk's report: requests per second, the 50th and 99th
// percentiles of latency (--latency), and errors.
func parseWrk(out string) (*wrkResult, error) {
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return nil, errors.New("wrk: no Requests/sec in its report: " + out)
	}
	r := &wrkResult{}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[p[3]]
		d := time.Duration(v * float64(unit))
		if p[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.errors += n
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		for _, v := range m[1:] {
			n, _ := strconv.Atoi(v)
			r.errors += n
		}
	}
	return r, nil
}

// medianFloat64 is the median of xs, 0 for none.
func medianFloat64(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Budgets of issue 18 for what measureServing measures.
const (
	budgetSearch10k   = 20 * time.Millisecond  // search p99, sequential, 10,000 items
	budgetSearch100k  = 100 * time.Millisecond // the same at 100,000
	budgetSearchConc  = 3                      // × the sequential budget with several clients
	budgetServe100k   = 250 << 20              // serving peak RSS at 100,000 items
	budgetArticleBare = 0.8                    // the article with gzip against its bare handler
)

// servingMarkdown is the report of measureServing for every size.
func (r *report) servingMarkdown() string {
	var b strings.Builder
	var any bool
	for _, sr := range r.sizes {
		any = any || sr.serving != nil
	}
	if !any {
		return ""
	}
	s := r.opts.serving
	fmt.Fprintf(&b, "\n**Uncached search.** %d distinct queries a run from the corpus's own words and numbers (`bench/queries`: common, middling and rare words, title phrases of 2–4 words, document numbers in the forms people type, procedure codes; about half without diacritics), each sent once, so none is answered by the page cache; the second run has other queries than the first. Latency per request, asking for gzip, reading the whole answer.\n\n", s.searchQueries)
	b.WriteString("| N | clients | queries | p50 | p95 | p99 | max | p99 by class | errors | estimated counts (\"khoảng\") | budget (p99) | met? |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|\n")
	for _, sr := range r.sizes {
		if sr.serving == nil {
			continue
		}
		for _, run := range sr.serving.searches {
			limit := budgetSearch10k
			if sr.n >= 100000 {
				limit = budgetSearch100k
			}
			budget := "≤ " + ms(limit)
			if run.clients > 1 {
				limit *= budgetSearchConc
				budget = fmt.Sprintf("≤ %s (%d × sequential)", ms(limit), budgetSearchConc)
			}
			var classes []string
			for _, c := range queries.Classes {
				if l := run.byClass[c]; len(l) > 0 {
					classes = append(classes, fmt.Sprintf("%s %s", c, ms(percentile(l, 99))))
				}
			}
			errs := fmt.Sprint(run.errors)
			if run.errors > 0 {
				errs += " (" + run.firstErr + ")"
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", thousandsSep(sr.n), run.clients, len(run.lat),
				ms(run.pct(50)), ms(run.pct(95)), ms(run.pct(99)), ms(run.pct(100)), strings.Join(classes, ", "), errs, run.estimated,
				budget, verdict(run.errors == 0 && run.pct(99) <= limit))
		}
	}
	b.WriteString("\n**Serving memory.** Peak RSS (`VmHWM`) of the server that took the page loads above, read before and after the uncached searches.\n\n")
	b.WriteString("| N | after start and page loads | after uncached searches | budget | met? |\n|---:|---:|---:|---|---|\n")
	for _, sr := range r.sizes {
		if sr.serving == nil {
			continue
		}
		limit := serveBudget(sr.n)
		fmt.Fprintf(&b, "| %s | %s | %s | ≤ %d MB | %s |\n", thousandsSep(sr.n), mib(sr.serving.hwmBefore), mib(sr.serving.hwmAfter),
			limit>>20, verdict(sr.serving.hwmAfter > 0 && sr.serving.hwmAfter <= limit))
	}
	fmt.Fprintf(&b, "\n**The article against its bare handler, under wrk.** `wrk -t%d -c%d -d%s --latency` on cchc's article and on a bare `net/http` handler writing the same bytes (same type and encoding) from memory, in turn, %d rounds each (the one that goes first alternates); the ratio is taken pair by pair. Medians, [min–max].\n\n",
		s.wrkThreads, s.wrkConns, s.wrkDuration, s.wrkRounds)
	b.WriteString("| N | answer | body | bare req/s | cchc req/s | cchc / bare | p99 bare / cchc | errors | budget | met? |\n|---:|---|---:|---:|---:|---:|---|---:|---|---|\n")
	for _, sr := range r.sizes {
		if sr.serving == nil {
			continue
		}
		if sr.serving.wrkSkipped != "" {
			fmt.Fprintf(&b, "| %s | — | — | — | — | — | — | — | — | not run: %s |\n", thousandsSep(sr.n), sr.serving.wrkSkipped)
			continue
		}
		for _, c := range sr.serving.wrk {
			enc, budget, met := "plain", "—", "—"
			ratio := medianFloat64(c.ratios())
			errs := 0
			var p99b, p99c []time.Duration
			for _, x := range c.bare {
				errs += x.errors
				p99b = append(p99b, x.p99)
			}
			for _, x := range c.cchc {
				errs += x.errors
				p99c = append(p99c, x.p99)
			}
			if c.gzip {
				enc, budget = "gzip", fmt.Sprintf("≥ %.1f × bare", budgetArticleBare)
				met = verdict(errs == 0 && ratio >= budgetArticleBare)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.2f [%.2f–%.2f] | %s / %s | %d | %s | %s |\n", thousandsSep(sr.n), enc, bytesText(c.bytes),
				rangeText(c.bareRPS()), rangeText(c.cchcRPS()), ratio, slices.Min(c.ratios()), slices.Max(c.ratios()),
				ms(medianDuration(p99b)), ms(medianDuration(p99c)), errs, budget, met)
		}
	}
	return b.String()
}

// rangeText is "median [min–max]" of req/s figures.
func rangeText(xs []float64) string {
	if len(xs) == 0 {
		return "—"
	}
	return fmt.Sprintf("%s [%s–%s]", thousandsSep(int(medianFloat64(xs)+0.5)), thousandsSep(int(slices.Min(xs)+0.5)), thousandsSep(int(slices.Max(xs)+0.5)))
}

func medianDuration(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// serveBudget is the serving process's peak RSS budget for a corpus of n
// items: 150 MB, and issue 18's 250 MB from 100,000 items.
func serveBudget(n int) int64 {
	if n >= 100000 {
		return budgetServe100k
	}
	return budgetServe
}
