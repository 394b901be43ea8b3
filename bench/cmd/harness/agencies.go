package main

import (
	"bytes"
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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cchc/bench/corpus"
	"cchc/bench/queries"
)

// The -agencies mode (issue 20, point 7): the same n items once as one
// agency (a) and once split into N agencies of n/N items (b), measured in
// turn on this machine for a few rounds — import, the pages under wrk,
// uncached search in a column and province-wide, the server's peak RSS —
// and written as medians with the ratio b/a per row.
//
//	go run ./bench/cmd/harness -agencies 50 -n 100000 -rounds 2 -out docs/PERFORMANCE.md
type agencyOptions struct {
	agencies int
	n        int
	rounds   int
	profile  bool // build the server with -tags benchpprof and profile each load
	reuse    bool // serve the data folders of an earlier run: no import
	// interleave adds, after each round, the searches sent to both
	// variants' servers in turn, query by query (see measurePaired).
	interleave bool
}

func (a *agencyOptions) register(fs *flag.FlagSet) {
	fs.IntVar(&a.agencies, "agencies", 0, "compare one agency of -n items with this many agencies sharing them (issue 20); 0: the usual size runs")
	fs.IntVar(&a.n, "n", 100000, "items of the -agencies comparison")
	fs.IntVar(&a.rounds, "rounds", 2, "rounds of the -agencies comparison, each one agency then many, in turn")
	fs.BoolVar(&a.reuse, "reuse-data", false, "with -agencies: serve the data folders an earlier run imported (after a change to serving only); the import rows are then not measured")
	fs.BoolVar(&a.interleave, "interleave", false, "with -agencies: after each round, send the 1-client searches to both variants' servers, up at once, query by query in turn, so that both meet the same load")
	fs.BoolVar(&a.profile, "profile", false, "with -agencies: build cchc with -tags benchpprof and write a CPU profile of the server over each load into the results folder")
}

const (
	agencyBegin = "<!-- harness:agencies:begin -->"
	agencyEnd   = "<!-- harness:agencies:end -->"
)

// variantRun is one import and serving of one variant in one round.
type variantRun struct {
	agencies   int
	round      int
	load       string
	routed     bool // the pages and column searches were spread over the agencies' prefixes
	importWall time.Duration
	importRSS  int64
	start      time.Duration
	pages      map[string]*wrkResult
	urls       map[string]int // distinct URLs of each page row
	searches   map[string]*searchRun
	serveHWM   int64
	profiles   []string
}

// corpusDir generates (or reuses) the tree of n items split into
// agencies (1: the usual tree) and returns its folder.
func corpusDir(o *options, n, agencies int) (string, error) {
	name := fmt.Sprintf("corpus-%d-s%d", n, o.seed)
	if agencies > 1 {
		name = fmt.Sprintf("corpus-%d-a%d-s%d", n, agencies, o.seed)
	}
	dir := filepath.Join(o.results, name)
	marker := dir + ".ok"
	want := fmt.Sprintf("corpus v%d\n", corpus.Version)
	if b, err := os.ReadFile(marker); err == nil && string(b) == want {
		return dir, nil
	}
	log.Printf("generating %s", dir)
	os.Remove(marker)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := corpus.GenerateAgencies(dir, n, agencies, o.seed); err != nil {
		return "", err
	}
	return dir, os.WriteFile(marker, []byte(want), 0o644)
}

func runAgencies(ctx context.Context, o *options, kids *children) error {
	a := &o.agency
	if a.agencies < 2 {
		return errors.New("-agencies: at least 2")
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if o.results == "" {
		o.results = filepath.Join(root, "bench", "results")
	}
	if err := os.MkdirAll(o.results, 0o755); err != nil {
		return err
	}
	wrk, err := exec.LookPath(o.serving.wrk)
	if err != nil {
		return fmt.Errorf("-agencies needs wrk (Debian: apt-get install -y wrk): %w", err)
	}
	bin := filepath.Join(o.results, "cchc-agencies")
	args := []string{"build", "-o", bin}
	if a.profile {
		args = append(args, "-tags", "benchpprof")
	}
	build := kids.command(ctx, "go", append(args, "./cmd/cchc")...)
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := kids.run(build); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	single, err := corpusDir(o, a.n, 1)
	if err != nil {
		return err
	}
	split, err := corpusDir(o, a.n, a.agencies)
	if err != nil {
		return err
	}
	// One query set for both: drawn from the single tree, which holds the
	// same files; two disjoint halves, one per run, so nothing is cached.
	qs, err := queries.FromTree(single, 2*o.serving.searchQueries, o.seed)
	if err != nil {
		return err
	}
	var halves [2][]queries.Query
	for i, q := range qs {
		halves[i%2] = append(halves[i%2], q)
	}
	logf, err := os.Create(filepath.Join(o.results, "log-agencies.txt"))
	if err != nil {
		return err
	}
	defer logf.Close()
	m := readMachine()
	var runs []*variantRun
	for round := 1; round <= a.rounds; round++ {
		for _, v := range []struct {
			dir      string
			agencies int
		}{{single, 1}, {split, a.agencies}} {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r, err := measureVariant(ctx, o, kids, bin, wrk, v.dir, v.agencies, round, halves, logf)
			if err != nil {
				return fmt.Errorf("round %d, %d agencies: %w", round, v.agencies, err)
			}
			runs = append(runs, r)
		}
		if a.interleave {
			pair := [2]*variantRun{runs[len(runs)-2], runs[len(runs)-1]}
			if err := measurePaired(ctx, o, kids, bin, [2]string{single, split}, pair, halves[0], logf); err != nil {
				return fmt.Errorf("round %d, interleaved: %w", round, err)
			}
		}
		// Each finished round is written: a long run cut short keeps the
		// rounds it finished.
		text := agencyMarkdown(o, m, loadAvg(), runs)
		if round == a.rounds {
			fmt.Println(text)
		}
		if o.out != "" {
			if err := writeBetween(o.out, text, agencyBegin, agencyEnd); err != nil {
				return err
			}
			log.Printf("wrote %s (round %d of %d)", o.out, round, a.rounds)
		}
	}
	return nil
}

// agencyPrefix is the path prefix of agency k's column ("" for the root).
func agencyPrefix(k int) string {
	if k == 1 {
		return ""
	}
	return "/" + corpus.AgencySlug(k)
}

// agencyTree is the folder of agency k's items in the tree at dir.
func agencyTree(dir string, k int) string {
	if k == 1 {
		return dir
	}
	return filepath.Join(dir, "agencies", corpus.AgencySlug(k))
}

// pickSlugs picks count published items of a kind folder spread over its
// sorted file names.
func pickSlugs(dir, kind string, count int) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, kind))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	var out []string
	for i := 0; i < len(names) && len(out) < count; i++ {
		name := names[(i*max(1, len(names)/count)+i/max(1, count))%len(names)]
		b, err := os.ReadFile(filepath.Join(dir, kind, name))
		if err != nil {
			return nil, err
		}
		slug := strings.TrimSuffix(name, ".md")
		if !strings.Contains(string(b), "\ndraft: true\n") && !slices.Contains(out, slug) {
			out = append(out, slug)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no published " + kind + " in " + dir)
	}
	return out, nil
}

// measureVariant imports the tree at dir (agencies agencies) into an empty
// data folder, serves it, and measures it.
func measureVariant(ctx context.Context, o *options, kids *children, bin, wrk, dir string, agencies, round int, halves [2][]queries.Query, logf *os.File) (*variantRun, error) {
	v := &variantRun{agencies: agencies, round: round, load: loadAvg(), pages: map[string]*wrkResult{}, urls: map[string]int{}, searches: map[string]*searchRun{}}
	tag := fmt.Sprintf("round %d, %d agenc%s", round, agencies, map[bool]string{true: "y", false: "ies"}[agencies == 1])
	log.Printf("%s: load average %s", tag, v.load)
	data := dataDir(o, agencies)
	if _, err := os.Stat(filepath.Join(data, "cchc.db")); o.agency.reuse && err == nil {
		log.Printf("%s: serving %s as imported before (-reuse-data)", tag, data)
	} else {
		sr := &sizeResult{n: o.agency.n}
		if err := importOnce(ctx, o, kids, bin, sr, dir, data, logf); err != nil {
			return nil, err
		}
		if sr.importSkipped != "" || len(sr.importWalls) == 0 {
			return nil, fmt.Errorf("import: %s", sr.importSkipped)
		}
		v.importWall, v.importRSS = sr.importWalls[0], sr.importRSS
	}

	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	profPort, err := freePort()
	if err != nil {
		return nil, err
	}
	profBase := fmt.Sprintf("http://127.0.0.1:%d", profPort)
	serve := func() (*startedProc, time.Duration, error) {
		prof := ""
		if o.agency.profile {
			prof = strings.TrimPrefix(profBase, "http://")
		}
		return startServer(ctx, kids, bin, data, dir, port, prof, tag, logf)
	}
	client := newClient(o.serving.wrkConns)
	defer client.CloseIdleConnections()
	status := func(path string) int {
		_, _, _, st, err := fetch(ctx, client, base+path)
		if err != nil {
			return 0
		}
		return st
	}
	profile := func(name string) (stop func()) {
		if !o.agency.profile {
			return func() {}
		}
		file := filepath.Join(o.results, fmt.Sprintf("cpu-a%d-r%d-%s.pprof", agencies, round, name))
		if st := status2(ctx, client, profBase+"/start?to="+url.QueryEscape(file)); st != http.StatusOK {
			log.Printf("%s: profile %s: status %d", tag, name, st)
			return func() {}
		}
		return func() {
			status2(ctx, client, profBase+"/stop")
			v.profiles = append(v.profiles, file)
		}
	}

	// 1. The pages, then the column's searches, on one server.
	p, d, err := serve()
	if err != nil {
		return nil, err
	}
	v.start = d
	v.routed = agencies > 1 && status(agencyPrefix(2)+"/") == http.StatusOK
	pages, err := pageURLs(dir, agencies, o.agency.agencies, v.routed)
	if err != nil {
		kids.stop(p.cmd, p.done)
		return nil, err
	}
	stopProf := profile("pages")
	for _, name := range []string{"article", "list page", "home"} {
		var ok []string
		for _, u := range pages[name] {
			if st := status(u); st == http.StatusOK {
				ok = append(ok, u) // and now in the page cache, as after any first visit
			} else {
				log.Printf("%s: %s answers %d: left out", tag, u, st)
			}
		}
		if len(ok) == 0 {
			continue
		}
		r, err := runWrkPaths(ctx, wrk, base, ok, &o.serving, o.results)
		if err != nil {
			kids.stop(p.cmd, p.done)
			return nil, err
		}
		v.pages[name], v.urls[name] = r, len(ok)
		log.Printf("%s: %-9s (%d URLs) %8.0f req/s p50 %s p99 %s errors %d", tag, name, len(ok), r.rps, r.p50, r.p99, r.errors)
	}
	stopProf()
	column := func(int) string { return "/tim-kiem" }
	if v.routed {
		column = func(i int) string { return agencyPrefix(i%agencies+1) + "/tim-kiem" }
	}
	searches := func(scope string, pathFor func(int) string) error {
		stop := profile("search-" + scope)
		defer stop()
		for i, clients := range []int{1, o.serving.searchClients} {
			r, err := searchLoad(ctx, base, halves[i], clients, pathFor)
			if err != nil {
				return err
			}
			v.searches[fmt.Sprintf("%s %d", scope, clients)] = r
			log.Printf("%s: search %s, %d queries, %d client(s): p50 %s p95 %s p99 %s max %s, %d errors", tag, scope, len(r.lat), clients,
				r.pct(50).Round(10*time.Microsecond), r.pct(95).Round(10*time.Microsecond), r.pct(99).Round(10*time.Microsecond), r.pct(100).Round(10*time.Microsecond), r.errors)
		}
		return nil
	}
	if err := searches("column", column); err != nil {
		kids.stop(p.cmd, p.done)
		return nil, err
	}
	v.serveHWM = procStatus(p.cmd.Process.Pid, "VmHWM")
	kids.stop(p.cmd, p.done)
	client.CloseIdleConnections()

	// 2. The province-wide search on a fresh server: the same queries,
	// none in its page cache.
	if p, _, err = serve(); err != nil {
		return nil, err
	}
	defer kids.stop(p.cmd, p.done)
	if err := searches("province", func(int) string { return "/toan-tinh/tim-kiem" }); err != nil {
		return nil, err
	}
	v.serveHWM = max(v.serveHWM, procStatus(p.cmd.Process.Pid, "VmHWM"))
	return v, nil
}

// dataDir is the data folder of the variant of agencies agencies.
func dataDir(o *options, agencies int) string {
	return filepath.Join(o.results, fmt.Sprintf("data-%d-agencies-%d", o.agency.n, agencies))
}

// measurePaired serves both variants of a round at once, each on a fresh
// server, and sends every query of qs, one client, to one and then the
// other (which goes first alternates), first in a column, then
// province-wide: on a machine shared with other work, two runs one after
// the other meet different loads (the load average moved from 11 to 18
// between the two variants of one round), queries in turn meet the same.
// The latencies go into each run's searches as "paired column 1" and
// "paired province 1".
func measurePaired(ctx context.Context, o *options, kids *children, bin string, dirs [2]string, pair [2]*variantRun, qs []queries.Query, logf *os.File) error {
	var bases [2]string
	for i, v := range pair {
		port, err := freePort()
		if err != nil {
			return err
		}
		tag := fmt.Sprintf("round %d, interleaved, %d agencies", v.round, v.agencies)
		p, _, err := startServer(ctx, kids, bin, dataDir(o, v.agencies), dirs[i], port, "", tag, logf)
		if err != nil {
			return err
		}
		defer kids.stop(p.cmd, p.done)
		bases[i] = fmt.Sprintf("http://127.0.0.1:%d", port)
	}
	client := newClient(2)
	defer client.CloseIdleConnections()
	for _, scope := range []string{"column", "province"} {
		var lat [2][]time.Duration
		var errs [2]int
		for i, q := range qs {
			for k := range 2 {
				j := (i + k) % 2 // (a) first on even queries, (b) on odd
				path := "/toan-tinh/tim-kiem"
				if scope == "column" {
					path = "/tim-kiem"
					if pair[j].routed {
						path = agencyPrefix(i%pair[j].agencies+1) + "/tim-kiem"
					}
				}
				t0 := time.Now()
				_, _, _, st, err := fetch(ctx, client, bases[j]+path+"?q="+url.QueryEscape(q.Text))
				lat[j] = append(lat[j], time.Since(t0))
				if err != nil || st != http.StatusOK {
					errs[j]++
				}
			}
		}
		for j, v := range pair {
			slices.Sort(lat[j])
			r := &searchRun{clients: 1, lat: lat[j], errors: errs[j]}
			v.searches["paired "+scope+" 1"] = r
			log.Printf("round %d, interleaved, %d agencies: search %s, %d queries: p50 %s p95 %s p99 %s max %s, %d errors", v.round, v.agencies, scope, len(r.lat),
				r.pct(50).Round(10*time.Microsecond), r.pct(95).Round(10*time.Microsecond), r.pct(99).Round(10*time.Microsecond), r.pct(100).Round(10*time.Microsecond), r.errors)
		}
	}
	return nil
}

// startServer starts `cchc serve` on data and dir at 127.0.0.1:port (with
// a CPU profile endpoint at profAddr unless it is ""), waits until it
// answers and its start check is done, and returns it with the time it
// took to answer.
func startServer(ctx context.Context, kids *children, bin, data, dir string, port int, profAddr, tag string, logf *os.File) (*startedProc, time.Duration, error) {
	cmd := kids.command(ctx, bin, "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data, "--content", dir)
	started := newWatch(logf, "integrity check at start")
	cmd.Stdout, cmd.Stderr = started, started
	if profAddr != "" {
		cmd.Env = append(os.Environ(), "CCHC_PROFILE_ADDR="+profAddr)
	}
	t0 := time.Now()
	done, err := kids.start(cmd)
	if err != nil {
		return nil, 0, err
	}
	d, err := waitReady(ctx, fmt.Sprintf("http://127.0.0.1:%d/", port), t0, done, 5*time.Minute)
	if err != nil {
		kids.stop(cmd, done)
		return nil, 0, err
	}
	// The server checks its database in the background once started
	// (PRAGMA quick_check, seconds of CPU at 100,000 items): the load
	// waits for it, or it would weigh on whichever row runs first.
	select {
	case <-started.seen:
	case <-done:
	case <-ctx.Done():
	case <-time.After(5 * time.Minute):
		log.Printf("%s: no end of the start check in the log after 5 min; measuring anyway", tag)
	}
	return &startedProc{cmd: cmd, done: done}, d, nil
}

// watch passes what a child writes on to w and closes seen once needle
// has been written.
type watch struct {
	w      io.Writer
	needle []byte
	mu     sync.Mutex
	tail   []byte
	seen   chan struct{}
	closed bool
}

func newWatch(w io.Writer, needle string) *watch {
	return &watch{w: w, needle: []byte(needle), seen: make(chan struct{})}
}

func (x *watch) Write(p []byte) (int, error) {
	x.mu.Lock()
	if !x.closed {
		x.tail = append(x.tail, p...)
		if bytes.Contains(x.tail, x.needle) {
			x.closed = true
			close(x.seen)
		} else if k := len(x.needle); len(x.tail) > k {
			x.tail = slices.Clone(x.tail[len(x.tail)-k:])
		}
	}
	x.mu.Unlock()
	return x.w.Write(p)
}

// status2 is the status of GET u, 0 when it failed.
func status2(ctx context.Context, client *http.Client, u string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// pageURLs are the URLs of each page row: count (the -agencies number)
// distinct articles and list pages, and the home page; spread one per
// agency over the agencies' columns when their prefixes answer (routed),
// else all in the root column, for one agency and many alike.
func pageURLs(dir string, agencies, count int, routed bool) (map[string][]string, error) {
	out := map[string][]string{}
	if !routed {
		arts, err := pickSlugs(dir, "articles", count)
		if err != nil {
			return nil, err
		}
		for i, s := range arts {
			out["article"] = append(out["article"], "/tin-tuc/"+s)
			out["list page"] = append(out["list page"], fmt.Sprintf("/tin-tuc/trang/%d/", 2+i))
		}
		out["home"] = []string{"/"}
		return out, nil
	}
	for k := 1; k <= agencies; k++ {
		arts, err := pickSlugs(agencyTree(dir, k), "articles", 1)
		if err != nil {
			return nil, err
		}
		out["article"] = append(out["article"], agencyPrefix(k)+"/tin-tuc/"+arts[0])
		out["list page"] = append(out["list page"], agencyPrefix(k)+"/tin-tuc/trang/5/")
		out["home"] = append(out["home"], agencyPrefix(k)+"/")
	}
	return out, nil
}

// runWrkPaths runs wrk once against base, each connection going through
// paths in turn (a Lua script), asking for gzip as browsers do.
func runWrkPaths(ctx context.Context, wrk, base string, paths []string, s *servingOptions, tmp string) (*wrkResult, error) {
	if err := localOnly(base + "/"); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	b.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")
	script := filepath.Join(tmp, "paths.lua")
	if err := os.WriteFile(script, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	args := []string{"-t", strconv.Itoa(s.wrkThreads), "-c", strconv.Itoa(s.wrkConns), "-d", s.wrkDuration.String(), "--latency",
		"-H", "Accept-Encoding: gzip", "-s", script, base}
	wctx, cancel := context.WithTimeout(ctx, s.wrkDuration+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(wctx, wrk, args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk %s: %v: %s", base, err, out)
	}
	return parseWrk(string(out))
}

// writeBetween replaces what file holds between begin and end with text
// (which starts with begin and ends with end), or appends text.
func writeBetween(file, text, begin, end string) error {
	old, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	s := string(old)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i >= 0 && j > i {
		s = s[:i] + text + strings.TrimPrefix(s[j+len(end):], "\n")
	} else {
		s = strings.TrimRight(s, "\n") + "\n\n" + text
	}
	return os.WriteFile(file, []byte(s), 0o644)
}

// agencyRow is one measured quantity of the comparison.
type agencyRow struct {
	name string
	unit string // "s", "ms", "MiB"
	of   func(*variantRun) (float64, bool)
}

func agencyRows() []agencyRow {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	page := func(name string, p99 bool) func(*variantRun) (float64, bool) {
		return func(v *variantRun) (float64, bool) {
			r := v.pages[name]
			if r == nil {
				return 0, false
			}
			if p99 {
				return ms(r.p99), true
			}
			return ms(r.p50), true
		}
	}
	search := func(key string, p float64) func(*variantRun) (float64, bool) {
		return func(v *variantRun) (float64, bool) {
			r := v.searches[key]
			if r == nil || len(r.lat) == 0 {
				return 0, false
			}
			return ms(r.pct(p)), true
		}
	}
	rows := []agencyRow{
		{"import: wall", "s", func(v *variantRun) (float64, bool) { return v.importWall.Seconds(), v.importWall > 0 }},
		{"import: peak RSS", "MiB", func(v *variantRun) (float64, bool) { return float64(v.importRSS) / (1 << 20), v.importWall > 0 }},
		{"first start after the import", "ms", func(v *variantRun) (float64, bool) { return ms(v.start), true }},
	}
	for _, name := range []string{"article", "list page", "home"} {
		rows = append(rows, agencyRow{name + " (wrk): p50", "ms", page(name, false)}, agencyRow{name + " (wrk): p99", "ms", page(name, true)})
	}
	for _, scope := range []string{"column", "province"} {
		label := map[string]string{"column": "search in a column `/tim-kiem`", "province": "province-wide search `/toan-tinh/tim-kiem`"}[scope]
		for _, p := range []float64{50, 95, 99, 100} {
			rows = append(rows, agencyRow{fmt.Sprintf("%s, 1 client: %s", label, pctName(p)), "ms", search(scope+" 1", p)})
		}
		for _, p := range []float64{50, 99} {
			rows = append(rows, agencyRow{fmt.Sprintf("%s, 8 clients: %s", label, pctName(p)), "ms", search(scope+" 8", p)})
		}
	}
	for _, scope := range []string{"column", "province"} {
		label := map[string]string{"column": "search in a column, interleaved", "province": "province-wide search, interleaved"}[scope]
		for _, p := range []float64{50, 95, 99, 100} {
			rows = append(rows, agencyRow{fmt.Sprintf("%s, 1 client: %s", label, pctName(p)), "ms", search("paired "+scope+" 1", p)})
		}
	}
	rows = append(rows, agencyRow{"serve: peak RSS (VmHWM)", "MiB", func(v *variantRun) (float64, bool) { return float64(v.serveHWM) / (1 << 20), v.serveHWM > 0 }})
	return rows
}

func pctName(p float64) string {
	if p == 100 {
		return "max"
	}
	return fmt.Sprintf("p%.0f", p)
}

func fmtValue(x float64, unit string) string {
	switch unit {
	case "s":
		return fmt.Sprintf("%.1f s", x)
	case "MiB":
		return fmt.Sprintf("%.0f MiB", x)
	}
	if x < 10 {
		return fmt.Sprintf("%.2f ms", x)
	}
	return fmt.Sprintf("%.1f ms", x)
}

// agencyMarkdown is the comparison's section: medians over the rounds of
// each variant, every round's value, the ratio b/a and a verdict.
func agencyMarkdown(o *options, m machine, loadAfter string, runs []*variantRun) string {
	a := &o.agency
	var b strings.Builder
	b.WriteString(agencyBegin + "\n")
	fmt.Fprintf(&b, "Command: `%s`  \n", o.command)
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s, %s, Linux %s. Run %s.  \n", m.cpu, m.cores, m.memory, m.goVer, m.kernel, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	var loads []string
	routed := false
	for _, v := range runs {
		loads = append(loads, fmt.Sprintf("round %d (%d): %s", v.round, v.agencies, v.load))
		routed = routed || v.routed
	}
	fmt.Fprintf(&b, "Load average (1, 5, 15 min) before each run: %s; after: %s.  \n", strings.Join(loads, "; "), loadAfter)
	if routed {
		fmt.Fprintf(&b, "(b)'s pages and column searches are spread over the %d agencies' columns (`/cq-KK/…`), one URL per agency; (a)'s over as many articles and list pages of its one column.  \n", a.agencies)
	} else {
		fmt.Fprintf(&b, "The agencies' prefixes did not answer (the public resolver not merged): (b)'s pages and column searches are the root column's (agency 1, %d items of the %d), and (a)'s as many articles and list pages of its column.  \n", a.n/a.agencies, a.n)
	}
	for _, v := range runs {
		if v.searches["paired province 1"] != nil {
			b.WriteString("Interleaved rows (`-interleave`): after each round both variants' servers up at once, fresh, and the 1-client run's queries sent to one then the other, which goes first alternating, in a column then province-wide: both meet the same load.  \n")
			break
		}
	}
	fmt.Fprintf(&b, "wrk: %d threads, %d connections, %s a run, gzip, one run per page per round; search: %d distinct queries per run, each sent once (the same set for (a) and (b), the province-wide run on a restarted server).\n\n",
		o.serving.wrkThreads, o.serving.wrkConns, o.serving.wrkDuration, len(firstSearch(runs)))
	fmt.Fprintf(&b, "| row | (a) 1 agency × %d: median [rounds] | (b) %d agencies × %d: median [rounds] | b / a | within 20%% |\n|---|---|---|---|---|\n", a.n, a.agencies, a.n/a.agencies)
	for _, row := range agencyRows() {
		var xa, xb []float64
		for _, v := range runs {
			x, ok := row.of(v)
			if !ok {
				continue
			}
			if v.agencies == 1 {
				xa = append(xa, x)
			} else {
				xb = append(xb, x)
			}
		}
		if len(xa) == 0 || len(xb) == 0 {
			fmt.Fprintf(&b, "| %s | — | — | — | not measured |\n", row.name)
			continue
		}
		ma, mb := medianFloat64(xa), medianFloat64(xb)
		ratio := mb / ma
		verdict := "yes"
		if ratio > 1.2 {
			verdict = "**no**"
		}
		list := func(xs []float64) string {
			s := make([]string, len(xs))
			for i, x := range xs {
				s[i] = fmtValue(x, row.unit)
			}
			return strings.Join(s, ", ")
		}
		fmt.Fprintf(&b, "| %s | %s [%s] | %s [%s] | %.2f | %s |\n", row.name, fmtValue(ma, row.unit), list(xa), fmtValue(mb, row.unit), list(xb), ratio, verdict)
	}
	b.WriteString(agencyEnd + "\n")
	return b.String()
}

func firstSearch(runs []*variantRun) []time.Duration {
	for _, v := range runs {
		if r := v.searches["column 1"]; r != nil {
			return r.lat
		}
	}
	return nil
}
