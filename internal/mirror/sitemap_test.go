package mirror_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cchc/internal/app"
	"cchc/internal/mirror"
	"cchc/internal/site"
	"cchc/internal/theme"
	"cchc/internal/web"
)

// limitedSite is the public site of env as serve runs it, but with at
// most limit URLs in one sitemap file (production: site.DefaultSitemapLimit,
// 50,000, the sitemaps.org limit; app leaves site.Config.SitemapLimit at 0).
func limitedSite(t *testing.T, env *app.Env, limit int) http.Handler {
	t.Helper()
	tfs, err := app.ThemeFS(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	th, err := theme.Load(tfs, site.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	pub := site.New(site.Config{Store: env.Store, Theme: th, Now: env.Now, Log: env.Log, BaseURL: env.Config.BaseURL,
		PublicBase: env.Config.PublicBase(), FeedEntries: env.Config.FeedEntries, Search: env.Search, SitemapLimit: limit})
	r := web.Engine(env.Log, pub.RenderError)
	pub.Register(r)
	return r
}

type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []string `xml:"url>loc"`
	Sitemaps []string `xml:"sitemap>loc"`
}

func readSitemap(t *testing.T, out, name string) sitemapDoc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, name))
	if err != nil {
		t.Fatalf("%s not in the mirror: %v", name, err)
	}
	var d sitemapDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// TestSitemapIndexInMirror: past the limit of URLs a sitemap file holds,
// the mirror holds the index /sitemap.xml and every part it names, each
// within the limit, all of them the bytes serve sends. The limit is
// lowered to 7 so that the demo column (some 40 URLs) needs several
// parts, as 50,001 URLs would at the production limit.
func TestSitemapIndexInMirror(t *testing.T) {
	const limit = 7
	env, _ := demoEnv(t)
	h := limitedSite(t, env, limit)
	out := t.TempDir()
	if _, err := mirror.Build(context.Background(), out, mirror.Options{Handler: h, Base: base}); err != nil {
		t.Fatal(err)
	}
	idx := readSitemap(t, out, "sitemap.xml")
	if idx.XMLName.Local != "sitemapindex" || len(idx.Sitemaps) < 3 {
		t.Fatalf("sitemap.xml is a %s of %d parts, want an index of several", idx.XMLName.Local, len(idx.Sitemaps))
	}
	total := 0
	for i, loc := range idx.Sitemaps {
		want := base + "/sitemap-" + strconv.Itoa(i+1) + ".xml"
		if loc != want {
			t.Errorf("part %d at %s, want %s", i+1, loc, want)
		}
		part := readSitemap(t, out, strings.TrimPrefix(loc, base+"/"))
		if part.XMLName.Local != "urlset" || len(part.URLs) == 0 || len(part.URLs) > limit {
			t.Errorf("%s: a %s of %d URLs, want 1 to %d", loc, part.XMLName.Local, len(part.URLs), limit)
		}
		for _, u := range part.URLs {
			if _, ok := resolve(out, strings.TrimPrefix(u, base)); !ok {
				t.Errorf("%s lists %s, not in the mirror", loc, u)
			}
		}
		total += len(part.URLs)
	}
	if total <= 2*limit {
		t.Errorf("the parts list %d URLs", total)
	}
	// The files are what serve sends: the index and each part.
	if n := checkSameAsRouter(t, h, out); n < total {
		t.Errorf("%d files compared, fewer than the %d URLs of the sitemap", n, total)
	}
	t.Logf("%d URLs in %d sitemap files of at most %d", total, len(idx.Sitemaps), limit)
}
