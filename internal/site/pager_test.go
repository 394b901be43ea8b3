package site_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
		{"/tin-tuc/trang/", 9, []int{1, 0, 6, 7, 8, 9, 10, 11, 12, 0}},
		{"/tin-tuc/trang/", 2, []int{1, 2, 3, 4, 5, 0}},
		{"/tim-kiem?q=c%C3%B4ng+ngh%E1%BB%87&trang=", 30, []int{1, 0, 27, 28, 29, 30, 31, 32, 33, 0}},
	}
	at := func(base string, n int) string {
		if strings.HasSuffix(base, "/") { // the path form of the public lists
			return base + strconv.Itoa(n) + "/"
		}
		return base + strconv.Itoa(n)
	}
	for _, tt := range tests {
		target := at(tt.base, tt.page)
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
		if w := testsupport.Get(h, at(tt.base, last)); w.Code != 200 {
			t.Errorf("%s: the last page linked (%d) answers %d", target, last, w.Code)
		}
		if w := testsupport.Get(h, at(tt.base, last+1)); w.Code != 404 {
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

// TestPagePathForms checks the path form of the lists' pages (issue 19):
// a static mirror holds paths, not query strings, so every page a list
// links to is /…/trang/N/, and ?trang=N alone answers 301 to it.
func TestPagePathForms(t *testing.T) {
	env := corpusEnv(t, 600)
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target   string
		status   int
		location string
	}{
		{"/tin-tuc/trang/2/", 200, ""},
		{"/thu-tuc-hanh-chinh/trang/2/", 200, ""},
		{"/van-ban/trang/2/", 200, ""},
		{"/tin-tuc/?trang=2", 301, "/tin-tuc/trang/2/"},
		{"/tin-tuc/?trang=1", 301, "/tin-tuc/"},
		{"/van-ban/?trang=3", 301, "/van-ban/trang/3/"},
		{"/thu-tuc-hanh-chinh/?trang=2", 301, "/thu-tuc-hanh-chinh/trang/2/"},
		{"/tin-tuc/trang/1/", 301, "/tin-tuc/"},
		{"/tin-tuc/trang/2", 301, "/tin-tuc/trang/2/"}, // gin's trailing slash
		{"/tin-tuc/trang/02/", 404, ""},
		{"/tin-tuc/trang/x/", 404, ""},
		{"/tin-tuc/trang/-2/", 404, ""},
		{"/tin-tuc/trang/99999999999999999999/", 404, ""},
		{"/tin-tuc/?trang=x", 400, ""},
		// Filters keep their query form: the site links them from forms.
		{"/van-ban/?nam=2025&trang=1", 200, ""},
		{"/tin-tuc/?trang=2&trang=3", 200, ""},
	}
	for _, tt := range tests {
		for _, method := range []string{"GET", "HEAD"} {
			w := testsupport.Do(h, method, tt.target)
			status := tt.status
			if method == "HEAD" && strings.HasSuffix(tt.target, "/2") {
				status = 307 // gin's trailing-slash redirect for methods other than GET
			}
			if w.Code != status || w.Header().Get("Location") != tt.location {
				t.Errorf("%s %s = %d → %q, want %d → %q", method, tt.target, w.Code, w.Header().Get("Location"), tt.status, tt.location)
			}
		}
	}
	// The areas page too, and every pager link is a path.
	w := testsupport.Get(h, "/tin-tuc/trang/3/")
	if strings.Contains(w.Body.String(), "trang=") {
		t.Errorf("/tin-tuc/trang/3/ links a page by its query form")
	}
	for _, a := range []string{"/chu-de/van-ban-chi-dao-cua-trung-uong-cua-tinh-ve-cai-cach-hanh-chinh"} {
		w := testsupport.Get(h, a+"?trang=2")
		if w.Code != 301 || w.Header().Get("Location") != a+"/trang/2/" {
			t.Errorf("%s?trang=2 = %d → %q", a, w.Code, w.Header().Get("Location"))
		}
	}
}
