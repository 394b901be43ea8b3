package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The Hugo site the comparison builds: the corpus as its content folder, a
// minimal theme that renders every page's Markdown (single) and every
// section's pages (list, paginated as Hugo does by default), taxonomies
// off (cchc makes no tag pages either), and Hugo's own RSS and sitemap.
// Goldmark's raw HTML stays off, as in cchc.
const (
	hugoConfig = `baseURL = "http://127.0.0.1/"
languageCode = "vi"
title = "Cải cách hành chính"
disableKinds = ["taxonomy", "term"]
[markup.goldmark.renderer]
unsafe = false
`
	hugoSingle = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>` +
		`<body><main><h1>{{ .Title }}</h1>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}{{ .Content }}</main></body></html>
`
	hugoList = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>` +
		`<body><main><h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "02/01/2006" }}</li>{{ end }}</ul></main></body></html>
`
)

// hugoResult is one Hugo build of a corpus.
type hugoResult struct {
	wall  time.Duration
	rss   int64
	pages int // HTML files written
	cpu   cpuTime
}

// cpuTime is the CPU a child used, as the kernel counts it.
type cpuTime struct{ user, sys time.Duration }

func (c cpuTime) String() string {
	return fmt.Sprintf("cpu %s (system %s)", secs(c.user+c.sys), secs(c.sys))
}

// medianCPU is the median of cs's user and system times, each apart.
func medianCPU(cs []cpuTime) cpuTime {
	var user, sys []time.Duration
	for _, c := range cs {
		user, sys = append(user, c.user), append(sys, c.sys)
	}
	return cpuTime{median(user), median(sys)}
}

// hugoCPU is the median CPU of Hugo's builds.
func hugoCPU(hs []*hugoResult) cpuTime {
	cs := make([]cpuTime, len(hs))
	for i, h := range hs {
		cs[i] = h.cpu
	}
	return medianCPU(cs)
}

// cpuOf reads what ps's child used.
func cpuOf(ps *os.ProcessState) cpuTime {
	if ps == nil {
		return cpuTime{}
	}
	return cpuTime{user: ps.UserTime(), sys: ps.SystemTime()}
}

// settle writes every dirty page out before a timed run, outside its
// timing: an import leaves a database of some 280 MB at 10,000 items
// (and Hugo 12,000 files) for the kernel to write back, and each run
// paid for the one before it. On stop 35's machine the harness gave the
// import 0.49-0.56 × Hugo where pairs without that overlap gave 0.80 ×.
func settle() { syscall.Sync() }

// hugoSlowed says why Hugo's builds cannot be the measure of the import
// ("" when they can): on a machine that keeps reclaiming memory (stop
// 35's VM, whose kernel runs DAMON reclaim) Hugo's 2 GB heap is faulted
// in again and again, its system time grew from about 2 s to 14-17 s,
// more than its own work, and a ratio against it says nothing of the
// import.
func hugoSlowed(hs []*hugoResult) string {
	c := hugoCPU(hs)
	if len(hs) == 0 || c.sys <= c.user {
		return ""
	}
	return fmt.Sprintf("Hugo's system time (median %s) exceeds its own work (user %s): the machine slowed it", secs(c.sys), secs(c.user))
}

// hugoSite writes the Hugo site (config and layouts) under dir.
func hugoSite(dir string) error {
	files := map[string]string{
		"config.toml":                  hugoConfig,
		"layouts/_default/single.html": hugoSingle,
		"layouts/_default/list.html":   hugoList,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// hugoBinary finds the hugo command (-hugo), or says how to get it.
func hugoBinary(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found (Debian: apt-get install hugo, version 0.111.3 as in issue 8)", name)
	}
	return p, nil
}

// hugoVersion is what `hugo version` says, shortened.
func hugoVersion(ctx context.Context, kids *children, bin string) string {
	cmd := kids.command(ctx, bin, "version")
	out, err := cmd.Output()
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(out))
	if len(f) >= 2 {
		return f[1]
	}
	return strings.TrimSpace(string(out))
}

// buildHugo builds corpus with Hugo into a fresh folder: wall time, and
// the peak RSS the kernel reports for the child.
func buildHugo(ctx context.Context, kids *children, bin, site, corpus, out string, logf *os.File) (*hugoResult, error) {
	if err := os.RemoveAll(out); err != nil {
		return nil, err
	}
	cmd := kids.command(ctx, bin, "--quiet", "--source", site, "--contentDir", corpus, "--destination", out)
	cmd.Stdout, cmd.Stderr = logf, logf
	settle()
	t0 := time.Now()
	err := kids.run(cmd)
	res := &hugoResult{wall: time.Since(t0), cpu: cpuOf(cmd.ProcessState)}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			res.rss = ru.Maxrss * 1024
		}
	}
	if err != nil {
		return nil, fmt.Errorf("hugo: %w (see %s)", err, logf.Name())
	}
	filepath.WalkDir(out, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), ".html") {
			res.pages++
		}
		return nil
	})
	os.RemoveAll(out) // tens of thousands of files: not kept
	return res, nil
}

// median is the middle of ds (the lower middle of an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// medianFloat is median for ratios.
func medianFloat(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// importAndHugo imports the corpus runs times into fresh data folders and,
// between the imports, builds it with Hugo (when hugo is found and n is at
// most -hugo-max): A B A B …, so that both meet the same machine. The
// last import's data folder is the one served afterwards.
func importAndHugo(ctx context.Context, o *options, kids *children, bin string, sr *sizeResult, corpus, data string, logf *os.File) error {
	runs := o.importRuns
	if sr.n > 10000 {
		runs = 1
	}
	var hugo string
	if o.hugo != "" && sr.n <= o.hugoMax {
		var err error
		if hugo, err = hugoBinary(o.hugo); err != nil {
			sr.hugoSkipped = err.Error()
		}
	} else if o.hugo != "" {
		sr.hugoSkipped = fmt.Sprintf("not built above %d items (-hugo-max): it needs about 2 GB per 10,000", o.hugoMax)
	}
	site := filepath.Join(o.results, "hugo-site")
	if hugo != "" {
		if err := hugoSite(site); err != nil {
			return err
		}
		sr.hugoVersion = hugoVersion(ctx, kids, hugo)
	}
	for i := range runs {
		if err := importOnce(ctx, o, kids, bin, sr, corpus, data, logf); err != nil || sr.importSkipped != "" {
			return err
		}
		if hugo == "" {
			continue
		}
		log.Printf("N=%d: Hugo build %d/%d", sr.n, i+1, runs)
		h, err := buildHugo(ctx, kids, hugo, site, corpus, filepath.Join(o.results, fmt.Sprintf("hugo-out-%d", sr.n)), logf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			sr.hugoSkipped = err.Error()
			hugo = ""
			continue
		}
		sr.hugo = append(sr.hugo, h)
		sr.hugoRatios = append(sr.hugoRatios, float64(sr.importWalls[len(sr.importWalls)-1])/float64(h.wall))
		log.Printf("N=%d: Hugo %s, %s, peak RSS %s, %d pages; import/Hugo %.2f", sr.n, h.wall.Round(time.Millisecond), h.cpu, mib(h.rss), h.pages, sr.hugoRatios[len(sr.hugoRatios)-1])
	}
	return nil
}
