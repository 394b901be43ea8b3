package reliability_test

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cchc/internal/testsupport"
)

// Load test settings. The rate is fixed (an open loop: a request is due
// every 1/rate seconds whether or not the previous ones have finished, and
// its latency counts from when it was due, so a stall is not hidden).
const (
	defaultLoadSeconds = 60
	defaultLoadRate    = 200 // requests a second
	loadWorkers        = 64  // requests in flight at most
	publishEvery       = 3 * time.Second
)

// TestLoad runs the real binary for about a minute at a fixed rate of
// public requests (home, lists, items, search, feeds, sitemap) while an
// editor creates and publishes an article every few seconds, which drops
// the page cache each time. Every request must succeed, and the server's
// memory must stay flat after warm-up: the largest resident size of the
// last third of the run within 20% or 30 MiB (whichever is larger) of the
// largest of the first third. It reports requests served and latency
// percentiles, which depend on the machine and are not asserted.
// CCHC_LOAD_SECONDS and CCHC_LOAD_RATE change the duration and the rate.
func TestLoad(t *testing.T) {
	seconds := envInt(t, "CCHC_LOAD_SECONDS", defaultLoadSeconds)
	rate := envInt(t, "CCHC_LOAD_RATE", defaultLoadRate)
	data := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, data, testsupport.FreeAddr(t))
	paths := publicPaths(t, srv)
	ed := newEditor("http://" + srv.addr)
	if err := ed.login("admin", adminPassword(t, data)); err != nil {
		t.Fatal(err)
	}

	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, seconds*rate)
		byKind    = map[string][]time.Duration{}
		failures  []string
		rss       []int64
		published atomic.Int64
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	stop := make(chan struct{})
	var bg sync.WaitGroup

	// Memory, once a second.
	bg.Go(func() {
		tk := time.NewTicker(time.Second)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				if n, err := vmRSS(srv.cmd.Process.Pid); err == nil {
					mu.Lock()
					rss = append(rss, n)
					mu.Unlock()
				}
			}
		}
	})

	// The editor.
	bg.Go(func() {
		tk := time.NewTicker(publishEvery)
		defer tk.Stop()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			case <-tk.C:
			}
			title := fmt.Sprintf("Tin đăng trong lúc tải %d", i)
			id, st, err := ed.createArticle(title, "Nội dung tin đăng trong lúc đo tải.\n")
			if err != nil || st != http.StatusSeeOther {
				fail("create %q: %d %v", title, st, err)
				continue
			}
			st, _, err = ed.post("/quan-tri/tin-bai/"+strconv.FormatInt(id, 10)+"/xuat-ban", urlValues("version", "1"))
			if err != nil || st != http.StatusSeeOther {
				fail("publish %d: %d %v", id, st, err)
				continue
			}
			published.Add(1)
		}
	})

	// The readers: a fixed rate, spread over a pool of workers.
	tr := &http.Transport{MaxIdleConnsPerHost: loadWorkers, MaxConnsPerHost: loadWorkers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	type job struct {
		path string
		due  time.Time
	}
	jobs := make(chan job, loadWorkers)
	var workers sync.WaitGroup
	for range loadWorkers {
		workers.Go(func() {
			for j := range jobs {
				res, err := client.Get("http://" + srv.addr + j.path)
				if err != nil {
					fail("GET %s: %v", j.path, err)
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(j.due)
				if err != nil || res.StatusCode != http.StatusOK {
					fail("GET %s: %d %v", j.path, res.StatusCode, err)
				}
				mu.Lock()
				latencies = append(latencies, d)
				byKind[pageKind(j.path)] = append(byKind[pageKind(j.path)], d)
				mu.Unlock()
			}
		})
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 60))
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	late := 0
	for due := start; time.Since(start) < time.Duration(seconds)*time.Second; due = due.Add(interval) {
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		select {
		case jobs <- job{path: paths[rng.IntN(len(paths))], due: due}:
		default:
			// Every worker busy: the server is not keeping up.
			late++
			jobs <- job{path: paths[rng.IntN(len(paths))], due: due}
		}
	}
	close(jobs)
	workers.Wait()
	elapsed := time.Since(start)
	close(stop)
	bg.Wait()

	for _, f := range failures {
		t.Error(f)
	}
	slices.Sort(latencies)
	n := len(latencies)
	t.Logf("%d requests in %v (%.0f/s, target %d/s, %d queued behind busy workers), %d articles published meanwhile",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), rate, late, published.Load())
	t.Logf("latency p50 %v, p90 %v, p99 %v, max %v",
		percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99), percentile(latencies, 100))
	kinds := slices.Collect(maps.Keys(byKind))
	for _, k := range kinds {
		slices.Sort(byKind[k])
	}
	slices.SortFunc(kinds, func(a, b string) int { return cmp.Compare(percentile(byKind[b], 99), percentile(byKind[a], 99)) })
	for _, k := range kinds[:min(4, len(kinds))] {
		l := byKind[k]
		t.Logf("  slowest pages: %-24s %5d requests, p50 %v, p99 %v", k, len(l), percentile(l, 50), percentile(l, 99))
	}
	if p99 := percentile(latencies, 99); p99 > 100*time.Millisecond {
		t.Logf("note: p99 %v is over the 100 ms aim on this machine (not a failure: timing depends on the machine)", p99)
	}
	if published.Load() == 0 {
		t.Error("the editor published nothing during the run")
	}
	// Memory: flat after warm-up.
	if len(rss) < 6 {
		t.Logf("only %d memory samples: run too short to judge memory", len(rss))
		return
	}
	third := len(rss) / 3
	warm, last := slices.Max(rss[:third]), slices.Max(rss[len(rss)-third:])
	allow := max(int64(30<<20), warm/5)
	t.Logf("resident memory: warm-up max %d MiB, last third max %d MiB (allowed %d MiB), %d samples",
		warm>>20, last>>20, (warm+allow)>>20, len(rss))
	if last > warm+allow {
		t.Errorf("memory grew after warm-up: %d MiB → %d MiB", warm>>20, last>>20)
	}
}

var locRe = regexp.MustCompile(`<loc>([^<]+)</loc>`)

// publicPaths are the pages the load test asks for: every page in the
// sitemap, the feeds, and searches.
func publicPaths(t *testing.T, srv *server) []string {
	t.Helper()
	res, err := http.Get(srv.url("/sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var paths []string
	for _, m := range locRe.FindAllStringSubmatch(string(b), -1) {
		u, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, u.RequestURI())
	}
	if len(paths) < 10 {
		t.Fatalf("sitemap lists %d pages", len(paths))
	}
	paths = append(paths, "/rss.xml", "/atom.xml", "/feed.json", "/tin-tuc/rss.xml", "/sitemap.xml", "/theo-doi")
	for _, q := range []string{"thủ tục", "đăng ký", "khoa học", "công nghệ", "quyết định", "cải cách hành chính", "1256/QĐ-UBND"} {
		paths = append(paths, "/tim-kiem?q="+url.QueryEscape(q))
	}
	return paths
}

// pageKind groups a path for the latency report: an item's page by its
// section, a search by its path.
func pageKind(p string) string {
	path, _, _ := strings.Cut(p, "?")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 2 && !strings.Contains(parts[1], ".") {
		return "/" + parts[0] + "/{slug}"
	}
	return path
}

// envInt reads a positive integer setting from the environment.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}
