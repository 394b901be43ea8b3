package site_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"cchc/bench/corpus"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/search"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// corpusEnv is a data folder holding the benchmark's generated corpus of
// n items (bench/corpus), served on 01/01/2026, after every generated
// date. It is made once per n for the package's tests.
func corpusEnv(t *testing.T, n int) *app.Env {
	t.Helper()
	corpusOnce.Lock()
	defer corpusOnce.Unlock()
	if env, ok := corpusEnvs[n]; ok {
		return env
	}
	dir, err := os.MkdirTemp("", "cchc-corpus-")
	if err != nil {
		t.Fatal(err)
	}
	if err := corpus.Generate(dir, n, 1); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cfg := config.Defaults
	cfg.Data = dir + "/data"
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, vntext.Zone)
	env, err := app.Open(ctx, &cfg, nil, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Publish.Import(ctx, os.DirFS(dir), "corpus")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import: %v %v", err, res)
	}
	corpusEnvs[n] = env
	corpusDirs = append(corpusDirs, dir)
	return env
}

var (
	corpusOnce sync.Mutex
	corpusEnvs = map[int]*app.Env{}
	corpusDirs []string
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, env := range corpusEnvs {
		env.Close()
	}
	for _, dir := range corpusDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// pagerLinks are the page numbers a page's pager shows, in order, with 0
// for a gap, and the current page.
var pagerEntry = regexp.MustCompile(`<li>(?:<a href="[^"]*">(\d+)</a>|<span aria-current="page">(\d+)</span>)</li>|<li class="gap" aria-hidden="true">…</li>`)

func pagerLinks(t *testing.T, body string) (pages []int, current int) {
	t.Helper()
	nav := regexp.MustCompile(`(?s)<nav class="pager".*?</nav>`).FindString(body)
	if nav == "" {
		t.Fatal("no pager")
	}
	for _, m := range pagerEntry.FindAllStringSubmatch(nav, -1) {
		switch {
		case m[1] != "":
			n, _ := strconv.Atoi(m[1])
			pages = append(pages, n)
		case m[2] != "":
			n, _ := strconv.Atoi(m[2])
			pages, current = append(pages, n), n
		default:
			pages = append(pages, 0)
		}
	}
	return pages, current
}

// TestPagerWindow: a list and a search with many pages link to the first
// and last page and to the current one ± 3, not to every page — at
// 100,000 items a search for a common word rendered 9,243 page links.
func TestPagerWindow(t *testing.T) {
	env := corpusEnv(t, 600)
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		base  string // the page's address without its number
		page  int
		first []int // the pager's entries up to the last page
	}{
		{"/tin-tuc/?", 9, []int{1, 0, 6, 7, 8, 9, 10, 11, 12, 0}},
		{"/tin-tuc/?", 1, []int{1, 2, 3, 4, 0}},
		{"/tim-kiem?q=c%C3%B4ng+ngh%E1%BB%87&", 30, []int{1, 0, 27, 28, 29, 30, 31, 32, 33, 0}},
	}
	for _, tt := range tests {
		target := tt.base + "trang=" + strconv.Itoa(tt.page)
		w := testsupport.Get(h, target)
		if w.Code != 200 {
			t.Fatalf("%s: status %d", target, w.Code)
		}
		pages, current := pagerLinks(t, w.Body.String())
		if current != tt.page || len(pages) > 11 || len(pages) != len(tt.first)+1 || !slices.Equal(pages[:len(tt.first)], tt.first) {
			t.Fatalf("%s: pager %v (current %d), want %v and the last page", target, pages, current, tt.first)
		}
		last := pages[len(pages)-1]
		if last < 20 {
			t.Errorf("%s: last page %d: the corpus should give more pages", target, last)
		}
		if w := testsupport.Get(h, tt.base+"trang="+strconv.Itoa(last)); w.Code != 200 {
			t.Errorf("%s: the last page linked (%d) answers %d", target, last, w.Code)
		}
		if w := testsupport.Get(h, tt.base+"trang="+strconv.Itoa(last+1)); w.Code != 404 {
			t.Errorf("%s: the page after the last (%d) answers %d", target, last+1, w.Code)
		}
	}
}

// TestSearchSaysApproximate: a count made from a sample says "khoảng",
// in the count line and in every facet; an exact count never does.
func TestSearchSaysApproximate(t *testing.T) {
	env := corpusEnv(t, 600)
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	count := regexp.MustCompile(`Tìm thấy (khoảng )?(\d+) kết quả`)
	facet := regexp.MustCompile(`<span class="count">\((khoảng )?\d+\)</span>`)
	check := func(target string, approx bool) {
		t.Helper()
		w := testsupport.Get(h, target)
		if w.Code != 200 {
			t.Fatalf("%s: status %d", target, w.Code)
		}
		body := w.Body.String()
		m := count.FindStringSubmatch(body)
		if m == nil || (m[1] != "") != approx {
			t.Errorf("%s: count line %q, approximate %v", target, m, approx)
		}
		facets := facet.FindAllStringSubmatch(body, -1)
		if len(facets) == 0 {
			t.Errorf("%s: no facet", target)
		}
		for _, f := range facets {
			if (f[1] != "") != approx {
				t.Errorf("%s: facet %q, approximate %v", target, f[0], approx)
			}
		}
	}
	common := "/tim-kiem?q=c%C3%B4ng+ngh%E1%BB%87"
	rare := "/tim-kiem?q=vuong+dinh"
	check(common, false) // 600 items: every count exact
	check(rare, false)
	// A larger column, in effect: the common word is sampled, the rare
	// one still counted.
	old, oldSample := search.ExactMax, search.SamplePerStratum
	search.ExactMax, search.SamplePerStratum = 120, 8
	defer func() { search.ExactMax, search.SamplePerStratum = old, oldSample }()
	check(common+"&x=1", true) // a new address: not from the page cache
	check(rare+"&x=1", false)
}
