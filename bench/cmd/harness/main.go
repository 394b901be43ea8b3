// Command harness measures cchc against the budgets of issue 8: for each
// corpus size it generates (or reuses) a deterministic corpus, imports it
// into an empty data folder with the real binary (wall time, peak RSS),
// starts `cchc serve` (time to first answer), loads the public pages over
// 127.0.0.1 for a bounded time and count, loads a bare net/http server
// that writes the same article bytes from memory (the physical limit), and
// writes one Markdown table to docs/PERFORMANCE.md.
//
//	go run ./bench/cmd/harness -sizes 1000,10000,100000 -duration 10s -conns 32 -out docs/PERFORMANCE.md
//
// With -agencies N (issue 20) it instead compares one agency of -n items
// with N agencies sharing the same items, in turn for -rounds (agencies.go):
//
//	go run ./bench/cmd/harness -agencies 50 -n 100000 -rounds 2 -search-queries 300 -profile -out docs/PERFORMANCE.md
//
// Every child process is killed when the harness ends, on error and on
// Ctrl-C; each child also gets SIGKILL from the kernel if the harness dies.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	sizes         []int
	duration      time.Duration
	warmup        time.Duration
	conns         int
	maxRequests   int
	seed          int64
	serving       servingOptions // serving.go
	out           string
	results       string
	importTimeout time.Duration
	provisional   string
	command       string

	importRuns int    // imports per size up to 10,000 (Hugo builds between them)
	hugo       string // the hugo command, "" for none
	hugoMax    int    // largest size Hugo builds
	feedMax    int    // --feed-entries of the server that serves the largest feed

	agency agencyOptions // agencies.go
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("harness: ")
	// The bare handler runs as a child copy of this program, so that it
	// does not share the load generator's process (see bare.go).
	bare := flag.String("bare-body", "", "internal: serve this file's bytes as the bare handler")
	bareAddr := flag.String("bare-addr", "", "internal: address of the bare handler")
	bareType := flag.String("bare-type", "text/html; charset=utf-8", "internal: Content-Type of the bare handler")
	bareEnc := flag.String("bare-encoding", "", "internal: Content-Encoding of the bare handler")

	var o options
	sizes := flag.String("sizes", "1000,10000,100000", "corpus sizes, comma-separated")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "load time for each target")
	flag.DurationVar(&o.warmup, "warmup", 0, "warm-up load before each measured run (default: duration/5, at most 1s)")
	flag.IntVar(&o.conns, "conns", 32, "concurrent keep-alive connections")
	flag.IntVar(&o.maxRequests, "max-requests", 1_000_000, "at most this many requests per target")
	flag.Int64Var(&o.seed, "seed", 1, "corpus seed")
	o.serving.register(flag.CommandLine)
	o.agency.register(flag.CommandLine)
	flag.StringVar(&o.out, "out", "docs/PERFORMANCE.md", "Markdown file to write the table into (between the harness markers); empty: stdout only")
	flag.StringVar(&o.results, "results", "", "folder for corpora, data folders and logs (default: bench/results in the module)")
	flag.DurationVar(&o.importTimeout, "import-timeout", 5*time.Minute, "give up a size whose import takes longer")
	flag.StringVar(&o.provisional, "provisional", "", "mark the figures provisional, with this reason")
	flag.IntVar(&o.importRuns, "import-runs", 3, "imports of each size up to 10,000, each followed by a Hugo build (one above)")
	flag.StringVar(&o.hugo, "hugo", "hugo", "the Hugo command that builds the same corpus side by side; empty: none")
	flag.IntVar(&o.hugoMax, "hugo-max", 10000, "largest corpus Hugo builds (it needs about 2 GB per 10,000 items)")
	flag.IntVar(&o.feedMax, "feed-max", 1000, "--feed-entries of the server restarted to load the largest feed")
	flag.Parse()

	if *bare != "" {
		if err := serveBare(*bare, *bareAddr, *bareType, *bareEnc); err != nil {
			log.Fatal(err)
		}
		return
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 10 {
			log.Fatalf("-sizes: %q is not a size ≥ 10", s)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.warmup == 0 {
		o.warmup = min(o.duration/5, time.Second)
	}
	args := make([]string, len(os.Args)-1)
	for i, a := range os.Args[1:] {
		args[i] = a
		if strings.ContainsAny(a, " \t'\"$") {
			args[i] = strconv.Quote(a)
		}
	}
	o.command = "go run ./bench/cmd/harness " + strings.Join(args, " ")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	kids := &children{}
	run := run
	if o.agency.agencies > 0 {
		run = runAgencies
	}
	err := run(ctx, &o, kids)
	kids.killAll()
	stop()
	if err != nil {
		log.Fatal(err)
	}
}

// moduleRoot is the folder of the go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(b), "module cchc\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the harness inside the cchc module")
		}
		dir = parent
	}
}

func run(ctx context.Context, o *options, kids *children) error {
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
	bin := filepath.Join(o.results, "cchc")
	log.Printf("building %s", bin)
	build := kids.command(ctx, "go", "build", "-o", bin, "./cmd/cchc")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := kids.run(build); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	rep := &report{machine: readMachine(), opts: o, started: time.Now()}
	for _, n := range o.sizes {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sr, err := measureSize(ctx, o, kids, bin, n)
		if err != nil {
			return fmt.Errorf("size %d: %w", n, err)
		}
		rep.sizes = append(rep.sizes, sr)
	}
	rep.loadAfter = loadAvg()
	text := rep.markdown()
	fmt.Println(text)
	if o.out != "" {
		if err := writeRegion(o.out, text); err != nil {
			return err
		}
		log.Printf("wrote %s", o.out)
	}
	return nil
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls url every 2 ms until it answers 200, the process exits
// or timeout passes, and returns the time since start.
func waitReady(ctx context.Context, url string, start time.Time, exited <-chan struct{}, timeout time.Duration) (time.Duration, error) {
	client := &http.Client{Timeout: timeout} // a slow first page counts, it is not retried
	deadline := start.Add(timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		select {
		case <-exited:
			return 0, errors.New("the server exited before answering")
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no 200 answer on %s within %s", url, timeout)
		}
	}
}

// procStatus reads a field of /proc/PID/status in bytes (VmHWM, VmRSS).
func procStatus(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// machine describes the computer the run happened on.
type machine struct {
	cpu     string
	cores   int
	memory  string
	goVer   string
	kernel  string
	loadNow string
}

func readMachine() machine {
	m := machine{cores: runtime.NumCPU(), goVer: runtime.Version(), loadNow: loadAvg()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				m.cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				f := strings.Fields(v)
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					m.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	return m
}

// loadAvg is the 1, 5 and 15 minute load averages, as uptime prints them.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return f[0] + ", " + f[1] + ", " + f[2]
}
