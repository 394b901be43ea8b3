package site_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/config"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

type sitemapindex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func decodeXML(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := xml.Unmarshal(body, v); err != nil {
		t.Fatalf("not well-formed sitemap XML: %v\n%s", err, body)
	}
}

// wantSitemap is every public page: the fixed pages, the areas and every
// public item that lists show.
func wantSitemap(t *testing.T, f *fixture) map[string]bool {
	t.Helper()
	items, _, err := f.env.Store.PublicItems(t.Context(), store.PublicQuery{Now: clock, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, p := range []string{"/", "/tin-tuc/", "/thu-tuc-hanh-chinh/", "/van-ban/", "/chu-de/", "/theo-doi"} {
		want[feedBase+p] = true
	}
	for _, u := range f.areaURLs() {
		want[feedBase+u] = true
	}
	for _, it := range items {
		want[feedBase+it.URL()] = true
	}
	return want
}

func TestSitemap(t *testing.T) {
	f := newFixture(t)
	w := f.get("/sitemap.xml")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("GET /sitemap.xml: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	var got urlset
	decodeXML(t, w.Body.Bytes(), &got)
	want := wantSitemap(t, f)
	seen := map[string]bool{}
	for _, u := range got.URLs {
		if seen[u.Loc] {
			t.Errorf("%s listed twice", u.Loc)
		}
		seen[u.Loc] = true
		if !want[u.Loc] {
			t.Errorf("%s is not a public page", u.Loc)
		}
		if u.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
				t.Errorf("%s lastmod %q: %v", u.Loc, u.LastMod, err)
			}
		}
	}
	for loc := range want {
		if !seen[loc] {
			t.Errorf("%s missing", loc)
		}
	}
	// An item's lastmod is the newest of its publication, update and edit.
	it := f.item("article", "so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022")
	wantMod := it.Published
	for _, m := range []time.Time{it.Updated, it.Modified} {
		if m.After(wantMod) {
			wantMod = m
		}
	}
	for _, u := range got.URLs {
		if u.Loc == feedBase+it.URL() {
			if lm, _ := time.Parse(time.RFC3339, u.LastMod); !lm.Equal(wantMod) {
				t.Errorf("%s lastmod %s, want %s", u.Loc, u.LastMod, wantMod)
			}
		}
	}
	for _, hidden := range []string{"/tin-tuc/nhap-huong-dan-danh-gia-noi-bo", "/tin-tuc/ke-hoach-tuyen-truyen-cchc-2027"} {
		if seen[feedBase+hidden] {
			t.Errorf("%s (draft or future) is listed", hidden)
		}
	}
	if w := f.get("/sitemap-1.xml"); w.Code != http.StatusNotFound {
		t.Errorf("/sitemap-1.xml without a split: %d, want 404", w.Code)
	}
}

// TestSitemapIndex splits the sitemap with a limit of 3 URLs a file.
func TestSitemapIndex(t *testing.T) {
	f := newFixture(t)
	h := publicSite(t, f.env, site.Config{SitemapLimit: 3})
	want := wantSitemap(t, f)
	w := testsupport.Do(h, http.MethodGet, "/sitemap.xml")
	var idx sitemapindex
	decodeXML(t, w.Body.Bytes(), &idx)
	if n := (len(want) + 2) / 3; len(idx.Sitemaps) != n {
		t.Fatalf("index lists %d sitemaps, want %d", len(idx.Sitemaps), n)
	}
	var all []string
	for i, sm := range idx.Sitemaps {
		path := "/sitemap-" + strconv.Itoa(i+1) + ".xml"
		if sm.Loc != feedBase+path {
			t.Errorf("sitemap %d at %s, want %s", i+1, sm.Loc, feedBase+path)
		}
		w := testsupport.Do(h, http.MethodGet, path)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		var part urlset
		decodeXML(t, w.Body.Bytes(), &part)
		if len(part.URLs) == 0 || len(part.URLs) > 3 {
			t.Errorf("%s has %d URLs", path, len(part.URLs))
		}
		newest := ""
		for _, u := range part.URLs {
			all = append(all, u.Loc)
			if u.LastMod > newest { // same zone, so RFC 3339 strings sort as times
				newest = u.LastMod
			}
		}
		if sm.LastMod != newest {
			t.Errorf("%s lastmod %q in the index, newest of its URLs %q", path, sm.LastMod, newest)
		}
	}
	slices.Sort(all)
	if len(slices.Compact(slices.Clone(all))) != len(all) || len(all) != len(want) {
		t.Errorf("the parts list %d URLs (duplicates or gaps), want %d", len(all), len(want))
	}
	for _, loc := range all {
		if !want[loc] {
			t.Errorf("%s is not a public page", loc)
		}
	}
	for _, bad := range []string{"/sitemap-0.xml", "/sitemap-" + strconv.Itoa(len(idx.Sitemaps)+1) + ".xml", "/sitemap-01.xml", "/sitemap-1.txt", "/sitemap-x.xml"} {
		if w := testsupport.Do(h, http.MethodGet, bad); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, w.Code)
		}
	}
}

func TestRobots(t *testing.T) {
	f := newFixture(t)
	w := f.get("/robots.txt")
	want := "# Chuyên mục Cải cách hành chính – Sở Khoa học và Công nghệ tỉnh Quảng Ngãi\n" +
		"User-agent: *\n" +
		"Disallow: /cchc/quan-tri/\n" +
		"Disallow: /cchc/bao-cao/\n" +
		"\n" +
		"Sitemap: https://skhcn.quangngai.gov.vn/cchc/sitemap.xml\n"
	if w.Code != http.StatusOK || w.Body.String() != want || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("GET /robots.txt: %d %q\n%s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	// Without --base-url the column is at the root of the listen address
	// (or of the first --allowed-hosts entry), whatever the request's host.
	for _, tt := range []struct{ hosts, sitemap string }{
		{"", "http://127.0.0.1:8080/sitemap.xml"},
		{"cchc.test,127.0.0.1", "http://cchc.test/sitemap.xml"},
	} {
		cfg := config.Defaults
		cfg.AllowedHosts = tt.hosts
		h := newHandler(t, cfg)
		w = testsupport.Do(h, http.MethodGet, "http://127.0.0.1/robots.txt")
		for _, line := range []string{"Disallow: /quan-tri/\n", "Disallow: /bao-cao/\n", "Sitemap: " + tt.sitemap + "\n"} {
			if !strings.Contains(w.Body.String(), line) {
				t.Errorf("robots.txt without --base-url, --allowed-hosts %q, lacks %q:\n%s", tt.hosts, line, w.Body.String())
			}
		}
	}
}

// TestSitemapHeap: building the sitemap allocates per item what its URL
// needs, not a whole item: at 100,000 items a store.Item per row made one
// cold /sitemap.xml some 100 MB of heap (issue 18.3, serving memory).
// Measured as the bytes allocated per build for each item added (400
// articles), so that what a build costs whatever its size cancels out.
// The site keeps no page cache of its own; the app's is not in front.
func TestSitemapHeap(t *testing.T) {
	f := newFixture(t)
	h := publicSite(t, f.env, site.Config{})
	build := func() (urls int, bytes uint64) {
		t.Helper()
		w := testsupport.Do(h, http.MethodGet, "/sitemap.xml")
		var got urlset
		decodeXML(t, w.Body.Bytes(), &got)
		const builds = 10
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range builds {
			if w := testsupport.Do(h, http.MethodGet, "/sitemap.xml"); w.Code != http.StatusOK {
				t.Fatalf("GET /sitemap.xml: %d", w.Code)
			}
		}
		runtime.ReadMemStats(&after)
		return len(got.URLs), (after.TotalAlloc - before.TotalAlloc) / builds
	}
	n0, b0 := build()
	const added = 400
	for i := range added {
		mustWrite(t, filepath.Join(f.dir, "articles", fmt.Sprintf("tin-them-%03d.md", i)),
			fmt.Sprintf("---\ntitle: Tin thêm số %d\ndate: 2022-03-01T08:00:00+07:00\nareas: [II.1]\n---\nNội dung.\n", i))
	}
	f.importContent()
	n1, b1 := build()
	if n1-n0 != added {
		t.Fatalf("%d URLs after adding %d articles to %d", n1, added, n0)
	}
	perItem := float64(b1-b0) / added
	t.Logf("%d → %d URLs: %.0f bytes allocated per added item per build", n0, n1, perItem)
	if perItem > 2200 {
		t.Errorf("%.0f bytes allocated per item per build, want ≤ 2,200", perItem)
	}
}

// TestSitemapPartsCounted: /sitemap-N.xml answers from a count of the
// URLs before it builds the sitemap (a part past the end, a new address
// for every N, cost a whole build at 100,000 items). The count must agree
// with the list at every limit, the boundaries included: a limit of
// exactly the URLs is no split, one less is a second part of one URL.
func TestSitemapPartsCounted(t *testing.T) {
	f := newFixture(t)
	n := len(wantSitemap(t, f))
	for _, limit := range []int{2, n - 1, n, n + 1} {
		h := publicSite(t, f.env, site.Config{SitemapLimit: limit})
		parts := (n + limit - 1) / limit
		if parts == 1 {
			if w := testsupport.Do(h, http.MethodGet, "/sitemap-1.xml"); w.Code != http.StatusNotFound {
				t.Errorf("limit %d of %d URLs: /sitemap-1.xml %d, want 404 (no split)", limit, n, w.Code)
			}
			continue
		}
		urls := 0
		for i := 1; i <= parts; i++ {
			w := testsupport.Do(h, http.MethodGet, "/sitemap-"+strconv.Itoa(i)+".xml")
			if w.Code != http.StatusOK {
				t.Fatalf("limit %d of %d URLs: /sitemap-%d.xml %d, want 200", limit, n, i, w.Code)
			}
			var part urlset
			decodeXML(t, w.Body.Bytes(), &part)
			urls += len(part.URLs)
		}
		if urls != n {
			t.Errorf("limit %d: the %d parts hold %d URLs, want %d", limit, parts, urls, n)
		}
		if w := testsupport.Do(h, http.MethodGet, "/sitemap-"+strconv.Itoa(parts+1)+".xml"); w.Code != http.StatusNotFound {
			t.Errorf("limit %d of %d URLs: /sitemap-%d.xml %d, want 404", limit, n, parts+1, w.Code)
		}
	}
	// A part past the end reads none of the rows the sitemap lists: with
	// the items' areas (which only the list reads) made unreadable, it is
	// still a 404, where a build would fail.
	h := publicSite(t, f.env, site.Config{SitemapLimit: 2})
	db := testsupport.FileDB(t, f.env.DB.Path, false)
	if _, err := db.Exec(`ALTER TABLE item_areas RENAME TO item_areas_away`); err != nil {
		t.Fatal(err)
	}
	if w := testsupport.Do(h, http.MethodGet, "/sitemap-9999.xml"); w.Code != http.StatusNotFound {
		t.Errorf("/sitemap-9999.xml with the list unreadable: %d, want 404 without building it", w.Code)
	}
	if w := testsupport.Do(h, http.MethodGet, "/sitemap-1.xml"); w.Code == http.StatusOK {
		t.Errorf("/sitemap-1.xml with the list unreadable: 200; the check above proves nothing")
	}
}

// TestSitemapQueryRedirects: the sitemap and its parts read no parameter,
// so an address with a query string is sent to the one without it (301)
// instead of being built again for each new string.
func TestSitemapQueryRedirects(t *testing.T) {
	f := newFixture(t)
	h := publicSite(t, f.env, site.Config{SitemapLimit: 3})
	for target, want := range map[string]string{
		"/sitemap.xml?x=1":             "/sitemap.xml",
		"/sitemap-1.xml?pad=" + "aaaa": "/sitemap-1.xml",
		"/sitemap-2.xml?x=1&y=2":       "/sitemap-2.xml",
	} {
		w := testsupport.Do(h, http.MethodGet, target)
		if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 301 to %q", target, w.Code, w.Header().Get("Location"), want)
		}
	}
	// A part that cannot exist is a 404 whatever its query.
	if w := testsupport.Do(h, http.MethodGet, "/sitemap-0.xml?x=1"); w.Code != http.StatusNotFound {
		t.Errorf("GET /sitemap-0.xml?x=1: %d, want 404", w.Code)
	}
	if w := testsupport.Do(h, http.MethodGet, "/sitemap.xml"); w.Code != http.StatusOK {
		t.Errorf("GET /sitemap.xml: %d", w.Code)
	}
}
