package site_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"cchc/internal/locale"
)

// TestColumnNamesItsAgency: every page, feed and robots.txt of another
// agency's column names that agency where the root column names the
// Sở KH&CN — the descriptions (meta, OpenGraph, Dublin Core, the lists'
// ledes), the feeds announced and their descriptions, the areas page's
// lede, robots.txt's comment — and the root column keeps its own words.
// They all said the Sở KH&CN before (found by attacking the columns).
func TestColumnNamesItsAgency(t *testing.T) {
	p := newProvince(t)
	root := []string{
		locale.T("site.column.description"), locale.T("site.home.description"), locale.T("kind.article.description"),
		locale.T("kind.procedure.description"), locale.T("site.areas.lede"), locale.T("site.robots.comment"),
		locale.T("site.column_title"), locale.T("site.areas.description"), locale.T("site.follow.lede"),
	}
	columns := []struct {
		name, base string
	}{
		{"Sở Tư pháp tỉnh Quảng Ngãi", "/so-tu-phap"},
		{"Ủy ban nhân dân huyện Sơn Tịnh", "http://" + districtHost},
	}
	pages := map[string][]string{ // path → words of the column's own that it must show
		"/":                           {locale.T("site.home.description_of", "%s"), locale.T("site.column_title_of", "%s") + " (RSS)"},
		"/tin-tuc/":                   {locale.T("kind.article.description_of", "%s")},
		"/thu-tuc-hanh-chinh/":        {locale.T("kind.procedure.description_of", "%s")},
		"/van-ban/":                   {locale.T("site.column_title_of", "%s") + " (RSS)"},
		"/chu-de/":                    {locale.T("site.areas.lede_of", "%s"), locale.T("site.areas.description_of", "%s")},
		"/theo-doi":                   {locale.T("site.column_title_of", "%s"), locale.T("site.follow.lede_of", "%s")},
		"/robots.txt":                 {locale.T("site.robots.comment_of", "%s")},
		"/tin-tuc/rss.xml":            {locale.T("kind.article.description_of", "%s")},
		"/thu-tuc-hanh-chinh/rss.xml": {locale.T("kind.procedure.description_of", "%s")},
	}
	for _, col := range columns {
		for path, own := range pages {
			w := p.get(col.base + path)
			if w.Code != http.StatusOK {
				t.Errorf("%s%s: %d", col.base, path, w.Code)
				continue
			}
			body := html.UnescapeString(w.Body.String())
			for _, r := range root {
				if strings.Contains(body, r) {
					t.Errorf("%s%s says the root column's %q", col.base, path, r)
				}
			}
			for _, o := range own {
				if want := strings.Replace(o, "%s", col.name, 1); !strings.Contains(body, want) {
					t.Errorf("%s%s lacks %q", col.base, path, want)
				}
			}
		}
	}
	// The document directory offers the column's own document feeds, not
	// the root column's (taken for documents of the shared registry).
	if body := p.get("/so-tu-phap/van-ban/").Body.String(); !strings.Contains(body, `href="/so-tu-phap/van-ban/rss.xml"`) || strings.Contains(body, `href="/van-ban/rss.xml"`) {
		t.Errorf("/so-tu-phap/van-ban/ does not offer its own document feeds")
	}
	// The home page's title is the column's, once (it said "Cải cách hành
	// chính – Cải cách hành chính – Sở …").
	for path, want := range map[string]string{
		"/":            locale.T("site.column_title"),
		"/so-tu-phap/": locale.T("site.column_title_of", "Sở Tư pháp tỉnh Quảng Ngãi"),
		"/tin-tuc/":    "Tin tức – " + locale.T("site.column_title"),
	} {
		if body := html.UnescapeString(p.get(path).Body.String()); !strings.Contains(body, "<title>"+want+"</title>") {
			t.Errorf("%s: title is not %q", path, want)
		}
	}
	// The root column still says the Sở KH&CN's words.
	for path, want := range map[string]string{"/": locale.T("site.home.description"), "/tin-tuc/": locale.T("kind.article.description"), "/robots.txt": locale.T("site.robots.comment")} {
		if body := html.UnescapeString(p.get(path).Body.String()); !strings.Contains(body, want) {
			t.Errorf("the root column's %s lacks %q", path, want)
		}
	}
}
