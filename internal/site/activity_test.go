package site_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	demo "cchc/content"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/testsupport"
)

// demoActivities reads the demo's activity files: the public ones and
// the others, by slug and title.
func demoActivities(t *testing.T) (public, hidden map[string]string) {
	t.Helper()
	files, err := fs.Glob(demo.FS, "activities/*.md")
	if err != nil {
		t.Fatal(err)
	}
	public, hidden = map[string]string{}, map[string]string{}
	for _, f := range files {
		b, err := fs.ReadFile(demo.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		it, err := content.Parse(f, content.Activity, b)
		if err != nil {
			t.Fatal(err)
		}
		// The import names an item without a slug after its file.
		slug := strings.TrimSuffix(path.Base(f), ".md")
		if it.Public {
			public[slug] = it.Title
		} else {
			hidden[slug] = it.Title
		}
	}
	if len(public) == 0 || len(hidden) == 0 {
		t.Fatalf("the demo needs public and hidden activities: %d, %d", len(public), len(hidden))
	}
	return public, hidden
}

var hrefRE = regexp.MustCompile(`(?:href|src)="(/[^"#]*)"|<loc>https?://[^/<]+(/[^<]*)</loc>`)

// TestActivityVisibility: an activity an approver has not chosen to show
// is absent from every public route — its page is 404 and no page, list,
// feed, search, sitemap, area page or directory reached from the home
// page, the sitemap or the feeds names it — while a public one has its
// page, is in the activities' list, the column's feeds, the sitemap and
// the search.
func TestActivityVisibility(t *testing.T) {
	public, hidden := demoActivities(t)
	h := newHandler(t, config.Defaults)

	for slug := range hidden {
		if w := testsupport.Get(h, content.URL(content.Activity, slug)); w.Code != http.StatusNotFound {
			t.Errorf("hidden activity %s: %d, want 404", slug, w.Code)
		}
	}

	// Every page reachable from these, and the searches for the hidden
	// titles' words, in every kind and none.
	start := []string{"/", "/sitemap.xml", "/rss.xml", "/atom.xml", "/feed.json", "/hoat-dong/", "/hoat-dong/rss.xml",
		"/theo-doi", "/chu-de/", "/tin-tuc/", "/thu-tuc-hanh-chinh/", "/van-ban/"}
	for _, q := range []string{"chuyên mục truyền hình", "bản tin khoa học và công nghệ", "tập huấn ISO", "kiểm tra ISO 9001", "Báo Quảng Ngãi"} {
		for _, kind := range []string{"", "activity"} {
			u := "/tim-kiem?q=" + url.QueryEscape(q)
			if kind != "" {
				u += "&loai=" + kind
			}
			start = append(start, u, strings.Replace(u, "/tim-kiem?", "/tim-kiem/rss.xml?", 1))
		}
	}
	seen := map[string]bool{}
	queue := append([]string(nil), start...)
	bodies := map[string]string{}
	const maxPages = 2000 // the demo has a few hundred; a bound, not a target
	for len(queue) > 0 && len(seen) < maxPages {
		p := queue[0]
		queue = queue[1:]
		if seen[p] || strings.HasPrefix(p, "/quan-tri") || strings.HasPrefix(p, "/tep/") || strings.HasPrefix(p, "/assets/") || strings.HasPrefix(p, "/bao-cao") {
			continue
		}
		seen[p] = true
		w := testsupport.Get(h, p)
		if w.Code == http.StatusMovedPermanently || w.Code == http.StatusFound {
			queue = append(queue, w.Header().Get("Location"))
			continue
		}
		if w.Code != http.StatusOK {
			if !strings.HasPrefix(p, "/hoat-dong/rss") || w.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d", p, w.Code)
			}
			continue
		}
		body := w.Body.String()
		bodies[p] = body
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			link := m[1] + m[2]
			link = strings.ReplaceAll(link, "&amp;", "&")
			if !seen[link] {
				queue = append(queue, link)
			}
		}
	}
	if len(seen) >= maxPages {
		t.Fatalf("more than %d pages: the crawl does not end", maxPages)
	}
	for p, body := range bodies {
		for slug, title := range hidden {
			if strings.Contains(body, content.URL(content.Activity, slug)) || strings.Contains(body, title) {
				t.Errorf("%s names the hidden activity %s", p, slug)
			}
		}
	}
	for slug, title := range public {
		page := content.URL(content.Activity, slug)
		if w := testsupport.Get(h, page); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<h1>"+title+"</h1>") {
			t.Errorf("public activity %s: %d", slug, w.Code)
		}
		for _, p := range []string{"/hoat-dong/", "/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml"} {
			if !strings.Contains(bodies[p], slug) {
				t.Errorf("%s leaves out the public activity %s", p, slug)
			}
		}
		if w := testsupport.Get(h, "/tim-kiem?q="+url.QueryEscape("tọa đàm doanh nghiệp")); !strings.Contains(w.Body.String(), page) {
			t.Errorf("the search does not find the public activity %s", slug)
		}
	}
	t.Logf("%d public pages read, %d hidden and %d public activities", len(bodies), len(hidden), len(public))
}
