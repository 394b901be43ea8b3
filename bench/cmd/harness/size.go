package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cchc/bench/corpus"
)

// target is one page the load runs against.
type target struct {
	name  string // row label
	path  string
	class string // budget class: item, list, search, bare
}

// targetResult is what loading one target gave.
type targetResult struct {
	target
	missing bool // answered 404 before the load: not built yet
	status  int  // status of the probe request
	size    int  // bytes of one answer, as sent
	res     *Result
}

// sizeResult is everything measured for one corpus size.
type sizeResult struct {
	n           int
	loadBefore  string
	serving     *servingResult // serving.go
	corpusBytes int64
	genTime     time.Duration // 0 when the corpus was cached

	importWall    time.Duration // median of importWalls
	importWalls   []time.Duration
	importCPU     []cpuTime // each run's
	importRSS     int64     // the largest of the runs
	importSummary string
	importSteps   []string // each run's --timings line
	importSkipped string   // why the import (and so the size) was skipped

	// Hugo's builds of the same corpus, between the imports, and the ratio
	// of each import to the build after it.
	hugo        []*hugoResult
	hugoRatios  []float64
	hugoVersion string
	hugoSkipped string

	firstStart time.Duration // first start after the import
	restart    time.Duration // second start, the usual case
	serveHWM   int64

	bare    *targetResult
	targets []*targetResult
	deep    []*deepResult
	feedHWM int64 // peak RSS of the server restarted for the largest feed
}

func measureSize(ctx context.Context, o *options, kids *children, bin string, n int) (*sizeResult, error) {
	sr := &sizeResult{n: n, loadBefore: loadAvg()}
	log.Printf("N=%d: load average %s", n, sr.loadBefore)

	// 1. The corpus, cached by size, seed and generator version.
	dir := filepath.Join(o.results, fmt.Sprintf("corpus-%d-s%d", n, o.seed))
	marker := dir + ".ok"
	want := fmt.Sprintf("corpus v%d\n", corpus.Version)
	if b, err := os.ReadFile(marker); err != nil || string(b) != want {
		log.Printf("N=%d: generating the corpus in %s", n, dir)
		os.Remove(marker)
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		t0 := time.Now()
		if err := corpus.Generate(dir, n, o.seed); err != nil {
			return nil, err
		}
		sr.genTime = time.Since(t0)
		if err := os.WriteFile(marker, []byte(want), 0o644); err != nil {
			return nil, err
		}
	}
	sr.corpusBytes = treeSize(dir)

	// 2. Import into an empty data folder, as a child: wall time and the
	// peak RSS the kernel reports for it (rusage, exact); Hugo builds the
	// same corpus between the runs (hugo.go).
	data := filepath.Join(o.results, fmt.Sprintf("data-%d", n))
	logf, err := os.Create(filepath.Join(o.results, fmt.Sprintf("log-%d.txt", n)))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	if err := importAndHugo(ctx, o, kids, bin, sr, dir, data, logf); err != nil {
		return nil, err
	}
	if sr.importSkipped != "" {
		return sr, nil
	}

	// 3. Start the server twice: the first start after an import, then a
	// restart, which is what every deploy does.
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	startServe := func(extra ...string) (*startedProc, time.Duration, error) {
		cmd := kids.command(ctx, bin, append([]string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data, "--content", dir}, extra...)...)
		cmd.Stdout, cmd.Stderr = logf, logf
		t0 := time.Now()
		done, err := kids.start(cmd)
		if err != nil {
			return nil, 0, err
		}
		p := &startedProc{cmd: cmd, done: done}
		d, err := waitReady(ctx, base+"/", t0, done, 2*time.Minute)
		if err != nil {
			kids.stop(cmd, done)
			return nil, 0, err
		}
		return p, d, nil
	}
	p, d, err := startServe()
	if err != nil {
		return nil, err
	}
	sr.firstStart = d
	kids.stop(p.cmd, p.done)
	p, sr.restart, err = startServe()
	if err != nil {
		return nil, err
	}
	defer kids.stop(p.cmd, p.done)
	log.Printf("N=%d: first answer after %s (first start), %s (restart)", n, sr.firstStart.Round(time.Microsecond), sr.restart.Round(time.Microsecond))

	// 4. The targets.
	article, err := pickSlug(dir, "articles")
	if err != nil {
		return nil, err
	}
	procedure, err := pickSlug(dir, "procedures")
	if err != nil {
		return nil, err
	}
	document, err := pickSlug(dir, "documents")
	if err != nil {
		return nil, err
	}
	targets := []target{
		{"home", "/", "list"},
		{"article", "/tin-tuc/" + article, "item"},
		{"list page 5", "/tin-tuc/trang/5/", "list"},
		{"procedure", "/thu-tuc-hanh-chinh/" + procedure, "item"},
		{"document", "/van-ban/" + document, "item"},
		{"search", "/tim-kiem?q=cai+cach+hanh+chinh", "search"},
		{"feed", "/rss.xml", "list"},
	}
	client := newClient(o.conns)
	defer client.CloseIdleConnections()

	// 5. The bare handler writes the article's bytes exactly as cchc sent
	// them (gzipped, since the load asks for gzip as browsers do).
	body, ctype, enc, status, err := fetch(ctx, client, base+"/tin-tuc/"+article)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("article %s: status %d: %v", article, status, err)
	}
	bareFile := filepath.Join(o.results, fmt.Sprintf("bare-%d.body", n))
	if err := os.WriteFile(bareFile, body, 0o644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	barePort, err := freePort()
	if err != nil {
		return nil, err
	}
	bareBase := fmt.Sprintf("http://127.0.0.1:%d", barePort)
	bc := kids.command(ctx, self, "-bare-body", bareFile, "-bare-addr", fmt.Sprintf("127.0.0.1:%d", barePort), "-bare-type", ctype, "-bare-encoding", enc)
	bc.Stdout, bc.Stderr = logf, logf
	bdone, err := kids.start(bc)
	if err != nil {
		return nil, err
	}
	if _, err := waitReady(ctx, bareBase+"/", time.Now(), bdone, 30*time.Second); err != nil {
		kids.stop(bc, bdone)
		return nil, fmt.Errorf("bare handler: %w", err)
	}
	sr.bare = &targetResult{target: target{"bare net/http, same article bytes", "/", "bare"}, status: 200, size: len(body)}
	sr.bare.res, err = measure(ctx, o, client, bareBase+"/")
	kids.stop(bc, bdone)
	if err != nil {
		return nil, err
	}
	log.Printf("N=%d: bare handler %.0f req/s", n, sr.bare.res.RPS())

	// 6. Each target: a probe (a 404 means the page is not built yet), a
	// warm-up, then the measured run.
	for _, t := range targets {
		tr := &targetResult{target: t}
		sr.targets = append(sr.targets, tr)
		b, _, _, status, err := fetch(ctx, client, base+t.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.path, err)
		}
		tr.status, tr.size = status, len(b)
		if status == http.StatusNotFound {
			tr.missing = true
			log.Printf("N=%d: %s answers 404: reported as missing", n, t.path)
			continue
		}
		if tr.res, err = measure(ctx, o, client, base+t.path); err != nil {
			return nil, err
		}
		log.Printf("N=%d: %-12s %8.0f req/s  p50 %s  p99 %s  errors %d", n, t.name, tr.res.RPS(),
			tr.res.Percentile(50).Round(time.Microsecond), tr.res.Percentile(99).Round(time.Microsecond), tr.res.Errors)
	}
	// 7. The URLs that cost most at a large size (deep.go).
	if sr.deep, err = measureDeep(ctx, o, client, base, n, deepTargets(ctx, client, base)); err != nil {
		return nil, err
	}
	// 8. The server's peak RSS over its life, which includes the load.
	sr.serveHWM = procStatus(p.cmd.Process.Pid, "VmHWM")

	// Uncached search, memory under it, the article under wrk (serving.go).
	if err := measureServing(ctx, o, kids, sr, base, dir, article, p.cmd.Process.Pid, logf); err != nil {
		return nil, err
	}
	// 9. The largest feed, from a server restarted with --feed-entries.
	if o.feedMax > 0 {
		kids.stop(p.cmd, p.done)
		client.CloseIdleConnections()
		if p, _, err = startServe("--feed-entries", fmt.Sprint(o.feedMax)); err != nil {
			return nil, err
		}
		defer kids.stop(p.cmd, p.done)
		t := deepTarget{name: fmt.Sprintf("feed of %d entries", o.feedMax), urls: []string{"/rss.xml"}}
		feed, err := measureDeep(ctx, o, client, base, n, []deepTarget{t})
		if err != nil {
			return nil, err
		}
		sr.deep = append(sr.deep, feed...)
		sr.feedHWM = procStatus(p.cmd.Process.Pid, "VmHWM")
	}
	return sr, nil
}

// importOnce imports corpus into the empty data folder data, as a child:
// its wall time and peak RSS (rusage, exact) join sr's, with the steps it
// reports (--timings).
func importOnce(ctx context.Context, o *options, kids *children, bin string, sr *sizeResult, corpus, data string, logf *os.File) error {
	n := sr.n
	if err := os.RemoveAll(data); err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return err
	}
	ictx, cancel := context.WithTimeout(ctx, o.importTimeout)
	defer cancel()
	var out bytes.Buffer
	imp := kids.command(ictx, bin, "import", "--timings", "--data", data, corpus)
	imp.Stdout, imp.Stderr = &out, logf
	log.Printf("N=%d: importing (run %d)", n, len(sr.importWalls)+1)
	settle()
	t0 := time.Now()
	err := kids.run(imp)
	wall := time.Since(t0)
	cpu := cpuOf(imp.ProcessState)
	if ps := imp.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			sr.importRSS = max(sr.importRSS, ru.Maxrss*1024) // kilobytes on Linux
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	sr.importSummary = lines[0]
	if len(lines) > 1 {
		sr.importSteps = append(sr.importSteps, lines[1])
	}
	switch {
	case ictx.Err() == context.DeadlineExceeded:
		sr.importSkipped = fmt.Sprintf("import took longer than %s", o.importTimeout)
		log.Printf("N=%d: %s; skipping the size", n, sr.importSkipped)
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil && !strings.Contains(sr.importSummary, "thêm mới"):
		return fmt.Errorf("cchc import: %v (see %s)", err, logf.Name())
	}
	sr.importWalls = append(sr.importWalls, wall)
	sr.importCPU = append(sr.importCPU, cpu)
	sr.importWall = median(sr.importWalls)
	log.Printf("N=%d: import %s, %s, peak RSS %s: %s", n, wall.Round(time.Millisecond), cpu, mib(sr.importRSS), strings.Join(lines, "; "))
	return nil
}

// startedProc is a running child and the channel closed when it exits.
type startedProc struct {
	cmd  *exec.Cmd
	done <-chan struct{}
}

// measure warms a target up, then loads it for the measured run.
func measure(ctx context.Context, o *options, client *http.Client, url string) (*Result, error) {
	if _, err := Load(ctx, client, url, o.conns, o.warmup, o.maxRequests); err != nil {
		return nil, err
	}
	return Load(ctx, client, url, o.conns, o.duration, o.maxRequests)
}

// fetch gets url once as the load does (asking for gzip) and returns the
// bytes as sent with their type and encoding.
func fetch(ctx context.Context, client *http.Client, url string) ([]byte, string, string, int, error) {
	if err := localOnly(url); err != nil {
		return nil, "", "", 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", "", 0, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), resp.StatusCode, err
}

// pickSlug picks a published item of a kind folder: the first one from the
// middle of the sorted file names that is not a draft.
func pickSlug(dir, kind string) (string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, kind))
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for i := range names {
		name := names[(len(names)/2+i)%len(names)]
		b, err := os.ReadFile(filepath.Join(dir, kind, name))
		if err != nil {
			return "", err
		}
		if !bytes.Contains(b, []byte("\ndraft: true\n")) {
			return strings.TrimSuffix(name, ".md"), nil
		}
	}
	return "", errors.New("no published " + kind)
}

// treeSize is the total size of the files under dir.
func treeSize(dir string) int64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return total
}

func mib(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) + " MiB" }
