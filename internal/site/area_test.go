package site_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/testsupport"
)

// planCode is a content area's plan code, as staff screens show it.
var planCode = regexp.MustCompile(`\bII\.\d(\.[a-f])?\b`)

// codeLabel is how areas were named before: "II.2.c. Cải cách …".
var codeLabel = regexp.MustCompile(`\bII\.\d(\.[a-f])?\. \p{Lu}`)

// TestAreaAddresses: content areas have readable names and slugs, citizens
// never see their plan codes, and the old code addresses answer 301 to the
// new ones, feeds included (issue 17.6).
func TestAreaAddresses(t *testing.T) {
	f := newFixture(t)
	urls := f.areaURLs()
	if len(urls) < 9 {
		t.Fatalf("areas %v, want the demo plan's nine", urls)
	}
	for _, tc := range []struct{ old, to string }{
		{"/chu-de/II.2.c", "/chu-de/cai-cach-thu-tuc-hanh-chinh"},
		{"/chu-de/II.1", "/chu-de/van-ban-chi-dao"},
		{"/chu-de/II.2.c?trang=2", "/chu-de/cai-cach-thu-tuc-hanh-chinh?trang=2"},
		{"/chu-de/II.2.c/rss.xml", "/chu-de/cai-cach-thu-tuc-hanh-chinh/rss.xml"},
		{"/chu-de/II.5/atom.xml", "/chu-de/iso-9001/atom.xml"},
		{"/chu-de/II.2.b/feed.json", "/chu-de/cai-cach-the-che/feed.json"},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			w := testsupport.Do(f.h, method, tc.old)
			if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != tc.to {
				t.Errorf("%s %s: %d Location %q, want 301 to %s", method, tc.old, w.Code, w.Header().Get("Location"), tc.to)
			}
		}
		path, _, _ := strings.Cut(tc.to, "?")
		if w := f.get(path); w.Code != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", path, w.Code)
		}
	}
	for _, target := range []string{"/chu-de/II.9", "/chu-de/II.9/rss.xml", "/chu-de/II.2.c/index.xml", "/chu-de/khong-co"} {
		if w := f.get(target); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", target, w.Code)
		}
	}

	// The public pages about areas: titles, no code. (Item bodies may cite
	// the plan, so pages showing them are checked where areas are named.)
	for _, p := range append([]string{"/", "/chu-de/", "/theo-doi"}, urls...) {
		w := f.get(p)
		if w.Code != http.StatusOK {
			t.Errorf("GET %s: %d", p, w.Code)
			continue
		}
		if m := planCode.FindString(w.Body.String()); m != "" {
			t.Errorf("GET %s shows the plan code %q", p, m)
		}
		if strings.Contains(w.Body.String(), "Nội dung tuyên truyền") {
			t.Errorf("GET %s says \"Nội dung tuyên truyền\", want \"Chủ đề\"", p)
		}
	}
	// Search: the area filter names areas by title.
	if body := f.get("/tim-kiem?q=cai+cach").Body.String(); codeLabel.MatchString(body) || !strings.Contains(body, "chu-de=cai-cach-thu-tuc-hanh-chinh") {
		t.Errorf("search facets: a code label %q, or no link by slug", codeLabel.FindString(body))
	}
	// Feeds: the channel's title and the entries' categories.
	for _, u := range urls {
		fd := f.feed(u + "/rss.xml")
		if planCode.MatchString(fd.Title) {
			t.Errorf("%s/rss.xml: title %q", u, fd.Title)
		}
		for _, it := range fd.Items {
			for _, c := range it.Categories {
				if planCode.MatchString(c) {
					t.Errorf("%s/rss.xml: category %q", u, c)
				}
			}
		}
	}
	area := f.get("/chu-de/cai-cach-thu-tuc-hanh-chinh").Body.String()
	for _, want := range []string{"<h1>Cải cách thủ tục hành chính</h1>", "/chu-de/cai-cach-thu-tuc-hanh-chinh/rss.xml", "Chủ đề"} {
		if !strings.Contains(area, want) {
			t.Errorf("area page lacks %q", want)
		}
	}
}

// areaLink is a link to an area page with its text.
var areaLink = regexp.MustCompile(`<a href="/chu-de/[^"]+">(.*?)</a>`)

// TestAreaLinkMarkup: an area's link holds its title and nothing else: no
// leading space, which the link's underline shows (issue 17.10), and no
// tag inside (the code badge was one).
func TestAreaLinkMarkup(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/", "/chu-de/", "/tin-tuc/"} {
		body := f.get(p).Body.String()
		links := areaLink.FindAllStringSubmatch(body, -1)
		if p != "/tin-tuc/" && len(links) < 9 {
			t.Errorf("%s: %d area links, want the nine areas", p, len(links))
		}
		for _, m := range links {
			if text := m[1]; text != strings.TrimSpace(text) || strings.Contains(text, "<") || text == "" {
				t.Errorf("%s: area link %q: its text has space at an end, or a tag inside", p, m[0])
			}
		}
	}
}
