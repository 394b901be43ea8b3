package agency_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/mirror"
	"cchc/internal/testsupport"
)

// The columns of issue 20, point 1, as a reader meets them through the
// real router: agency 2 under the prefix /so-tu-phap, agency 3 at its own
// host, beside the root column.
const (
	rootHost  = "cchc.example.gov.vn"
	stcHost   = "stp.example.gov.vn"
	stcBase   = "https://" + stcHost
	stpPrefix = "/so-tu-phap"
)

func taiChinh() agency.Agency {
	return agency.Agency{Slug: "so-tai-chinh", Name: "Sở Tài chính tỉnh Quảng Ngãi", ShortName: "Sở Tài chính", Host: stcHost}
}

// stpContent is agency 2's own small column: an article citing the
// shared registry's 1256/QĐ-UBND and the agency's own decision, and that
// decision.
var stpContent = fstest.MapFS{
	"articles/stp-tuyen-truyen.md": {Data: []byte(`---
title: Sở Tư pháp triển khai tuyên truyền cải cách hành chính năm 2022
date: 2022-03-20T08:00:00+07:00
summary: Sở Tư pháp triển khai Quyết định số 12/QĐ-STP về tuyên truyền cải cách hành chính.
author: Văn phòng Sở Tư pháp
---
Thực hiện Quyết định số 1256/QĐ-UBND của UBND tỉnh, Sở Tư pháp ban hành Quyết định số 12/QĐ-STP về tuyên truyền cải cách hành chính năm 2022.
`)},
	"documents/12-qd-stp.md": {Data: []byte(`---
number: 12/QĐ-STP
type: Quyết định
issuer: Sở Tư pháp tỉnh Quảng Ngãi
issued: 2022-03-15
title: Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2022 của Sở Tư pháp
field: Cải cách hành chính
date: 2022-03-16T09:00:00+07:00
summary: Kế hoạch tuyên truyền cải cách hành chính năm 2022 của Sở Tư pháp.
---
Quyết định ban hành kế hoạch tuyên truyền cải cách hành chính năm 2022 của Sở Tư pháp, thực hiện Quyết định số 1256/QĐ-UBND.
`)},
}

// importAs imports fsys as `cchc import` does, for agency id.
func importAs(t *testing.T, env *app.Env, id int64, fsys fs.FS) {
	t.Helper()
	res, err := env.Publish.Import(agency.WithID(t.Context(), id), fsys, "content")
	if err != nil {
		t.Fatalf("import for agency %d: %v", id, err)
	}
	if res.Failed > 0 {
		t.Fatalf("import for agency %d: %d files failed: %v", id, res.Failed, res.Errors)
	}
}

// columnsEnv is the demo with the two more agencies, served as `cchc
// serve --base-url https://cchc.example.gov.vn --allowed-hosts
// cchc.example.gov.vn` serves it.
func columnsEnv(t *testing.T) (*app.Env, http.Handler) {
	t.Helper()
	cfg := config.Defaults
	cfg.BaseURL = base
	cfg.AllowedHosts = rootHost
	env := testsupport.Demo(t, cfg, func() time.Time { return clock })
	h := testsupport.Handler(t, env)
	for _, a := range []agency.Agency{tuPhap(), taiChinh()} {
		if _, err := env.Store.CreateAgency(t.Context(), a, audit()); err != nil {
			t.Fatal(err)
		}
	}
	return env, h
}

// fetch asks h for target at host, as a client on the machine would.
func fetch(h http.Handler, host, target string, header ...string) answer {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = host
	req.RemoteAddr = "127.0.0.1:40000"
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), location: res.Header.Get("Location"),
		etag: res.Header.Get("ETag"), cacheControl: res.Header.Get("Cache-Control"), body: body}
}

// shared reports whether path (of the root column's host) is one every
// column shares: the assets, stored files, the workspace and reports, or
// a document's page of the shared registry.
func shared(path string) bool {
	u, err := url.Parse(path)
	if err != nil {
		return false
	}
	seg, rest, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if slices.Contains(agency.Shared, seg) {
		return true
	}
	return seg == "van-ban" && rest != "" && !strings.HasPrefix(rest, "trang/") && !strings.Contains(rest, "/")
}

// columnCrawl crawls one column from its home, as crawl does the root
// column (colBase is where the absolute URLs of its paths start: the
// root column's base for a prefixed column, its own for a host column):
// every link of every page (attributes, absolute URLs of feeds,
// the sitemap and JSON, the GET forms' choices, redirects' targets) that
// addresses the column is followed at host; any other link this site
// writes is returned in outside (path → a page that links to it), to be
// checked against the root column.
func columnCrawl(t *testing.T, h http.Handler, host, colBase, prefix string, limit int) (got map[string]answer, outside, via map[string]string) {
	t.Helper()
	got, outside, via = map[string]answer{}, map[string]string{}, map[string]string{}
	home := prefix + "/"
	queue := []string{home, prefix + "/sitemap.xml", prefix + "/robots.txt", prefix + "/tin-tuc/khong-co"}
	seen := map[string]bool{}
	for _, q := range queue {
		seen[q] = true
	}
	inside := func(p string) bool {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || !strings.HasPrefix(rest, "/") {
			return false
		}
		seg, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
		seg, _, _ = strings.Cut(seg, "?")
		return agency.InColumn(seg)
	}
	add := func(link, from string, abs string) {
		if abs != "" {
			rest, ok := strings.CutPrefix(link, abs)
			if !ok {
				return
			}
			link = rest
			if link == "" {
				link = "/"
			}
		}
		u, err := url.Parse(link)
		if err != nil {
			return
		}
		if u.Scheme != "" || u.Host != "" {
			return // absolute: the abs passes say whose
		}
		fu, _ := url.Parse(from)
		r := fu.ResolveReference(u)
		r.Fragment = ""
		p := r.RequestURI()
		if abs == base && colBase != base {
			outside[p] = from // the root column's absolute address on a host column's page
			return
		}
		if !inside(p) {
			if _, ok := outside[p]; !ok {
				outside[p] = from
			}
			return
		}
		if !seen[p] {
			seen[p] = true
			via[p] = from
			queue = append(queue, p)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if len(got) >= limit {
			t.Fatalf("more than %d URLs: the crawl does not end", limit)
		}
		a := fetch(h, host, p)
		got[p] = a
		if strings.HasPrefix(p, prefix+"/tim-kiem") {
			// Search is not yet each agency's (h20-citizens scopes it):
			// its results are every agency's items, linked under this
			// column. Its pages are asked for, their links not followed
			// (the header's and footer's are on every other page).
			continue
		}
		if a.location != "" {
			add(a.location, p, "")
			add(a.location, p, colBase)
		}
		for _, l := range mirror.Links(a.body, a.ctype, "") {
			add(l, p, "")
		}
		for _, l := range mirror.Links(a.body, a.ctype, colBase) {
			add(l, p, colBase)
		}
		if colBase != base {
			for _, l := range mirror.Links(a.body, a.ctype, base) {
				add(l, p, base)
			}
		}
		if strings.HasPrefix(a.ctype, "text/html") {
			for _, l := range formLinks(a.body) {
				add(l, p, "")
			}
		}
	}
	return got, outside, via
}

// TestColumnsCrawl: each column, crawled from its home through the real
// router, links only into itself (or to what every column shares, at the
// root column's addresses), every link resolves, and its pages name its
// agency; the root column's pages are what they were before the agencies
// were added, and a forged Host is refused.
func TestColumnsCrawl(t *testing.T) {
	cfg := config.Defaults
	cfg.BaseURL = base
	cfg.AllowedHosts = rootHost
	env := testsupport.Demo(t, cfg, func() time.Time { return clock })
	h := testsupport.Handler(t, env)
	before := map[string]answer{}
	// robots.txt aside: it names the prefixed columns' sitemaps (below).
	rootPaths := []string{"/", "/tin-tuc/", "/van-ban/", "/sitemap.xml", "/rss.xml", "/feed.json", "/theo-doi", "/khong-co-trang-nay"}
	for _, p := range rootPaths {
		before[p] = fetch(h, rootHost, p)
	}
	for _, a := range []agency.Agency{tuPhap(), taiChinh()} {
		if _, err := env.Store.CreateAgency(t.Context(), a, audit()); err != nil {
			t.Fatal(err)
		}
	}
	// Agency 2's own content: an article citing the shared registry's
	// 1256/QĐ-UBND and its own decision, which it keeps.
	importAs(t, env, 2, stpContent)
	for _, p := range rootPaths {
		if a := fetch(h, rootHost, p); a.status != before[p].status || a.etag != before[p].etag || !bytes.Equal(a.body, before[p].body) {
			t.Errorf("root column %s changed once agencies were added: %d %s, was %d %s", p, a.status, a.etag, before[p].status, before[p].etag)
		}
	}

	for _, c := range []struct {
		name, host, colBase, prefix string
		agency                      agency.Agency
	}{
		{"prefix", rootHost, base, stpPrefix, tuPhap()},
		{"host", stcHost, stcBase, "", taiChinh()},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, outside, via := columnCrawl(t, h, c.host, c.colBase, c.prefix, 5000)
			statuses := map[int]int{}
			for p, a := range got {
				statuses[a.status]++
				switch {
				case p == c.prefix+"/tin-tuc/khong-co":
					if a.status != http.StatusNotFound {
						t.Errorf("%s: %d, want 404", p, a.status)
					}
				case a.status != http.StatusOK && a.status != http.StatusMovedPermanently:
					t.Errorf("%s: %d (linked from %s)", p, a.status, via[p])
				}
				if strings.HasPrefix(a.ctype, "text/html") && a.status == http.StatusOK {
					want := `<span class="brand-name">` + c.agency.Name + `</span>`
					if !bytes.Contains(a.body, []byte(want)) {
						t.Errorf("%s does not name its agency in the header", p)
					}
					if !bytes.Contains(a.body, []byte("<title>")) || !bytes.Contains(a.body, []byte("Cải cách hành chính – "+c.agency.Name+"</title>")) {
						t.Errorf("%s: the title does not name the column", p)
					}
				}
			}
			for p, from := range outside {
				if !shared(p) {
					t.Errorf("%s links out of its column to %s", from, p)
					continue
				}
				// What the column shares answers at the root column.
				if a := fetch(h, rootHost, p); a.status != http.StatusOK && a.status != http.StatusMovedPermanently && !strings.HasPrefix(p, "/quan-tri") {
					t.Errorf("%s links to %s, which answers %d", from, p, a.status)
				}
			}
			// Feeds and the items' descriptions name the column's agency.
			for _, p := range []string{"/rss.xml", "/tin-tuc/atom.xml"} {
				a := got[c.prefix+p]
				if !bytes.Contains(a.body, []byte("Cải cách hành chính – "+c.agency.Name+"</title>")) ||
					strings.HasSuffix(p, "atom.xml") && !bytes.Contains(a.body, []byte("<author>\n    <name>"+c.agency.Name+"</name>")) {
					t.Errorf("%s%s does not name the column's agency:\n%.600s", c.prefix, p, a.body)
				}
			}
			ld := []byte(`"publisher":{"@type":"GovernmentOrganization","name":"` + c.agency.Name + `"}`)
			items := 0
			for p, a := range got {
				if strings.HasPrefix(p, c.prefix+"/tin-tuc/") && bytes.Contains(a.body, []byte(`application/ld+json`)) && bytes.Contains(a.body, []byte(`"@type":"NewsArticle"`)) {
					items++
					if !bytes.Contains(a.body, ld) {
						t.Errorf("%s: the JSON-LD publisher is not the column's agency", p)
					}
				}
			}
			if c.prefix != "" {
				// Agency 2's own pages are in its column; its decision is
				// linked under its prefix, the registry's at the root.
				art := got[c.prefix+"/tin-tuc/stp-tuyen-truyen"]
				if art.status != http.StatusOK || items == 0 {
					t.Fatalf("agency 2's article: %d, %d article pages with JSON-LD", art.status, items)
				}
				for _, want := range []string{`href="` + c.prefix + `/van-ban/12-qd-stp"`, `href="/van-ban/1256-qd-ubnd"`} {
					if !bytes.Contains(art.body, []byte(want)) {
						t.Errorf("agency 2's article has no %s", want)
					}
				}
				// Each column lists its own agency's items (h20-store).
				list := got[c.prefix+"/tin-tuc/"].body
				if !bytes.Contains(list, []byte(`href="`+c.prefix+`/tin-tuc/stp-tuyen-truyen"`)) || bytes.Contains(list, []byte(`/tin-tuc/kiem-tra-ap-dung-iso-9001-2022"`)) {
					t.Errorf("agency 2's news list is not its own:\n%s", list)
				}
				if root := fetch(h, rootHost, "/tin-tuc/"); bytes.Contains(root.body, []byte("stp-tuyen-truyen")) || !bytes.Contains(root.body, []byte(`href="/tin-tuc/kiem-tra-ap-dung-iso-9001-2022"`)) {
					t.Error("the root column's news list is not agency 1's")
				}
				if a := got[c.prefix+"/van-ban/12-qd-stp"]; a.status != http.StatusOK {
					t.Errorf("agency 2's decision: %d", a.status)
				}
				if _, ok := outside["/van-ban/1256-qd-ubnd"]; !ok {
					t.Error("the registry's 1256/QĐ-UBND is not linked at the root column")
				}
			}
			if len(got) < 30 {
				t.Errorf("only %d URLs crawled", len(got))
			}
			t.Logf("%s column: %d URLs crawled (%v by status), %d shared links checked at the root column", c.name, len(got), statuses, len(outside))
		})
	}

	// The registry's 1256/QĐ-UBND is cited by agency 1's articles and
	// agency 2's: each column's copy of its page links each citing item
	// where that item's column answers.
	for _, tt := range []struct {
		host, path string
		want       []string
	}{
		{rootHost, "/van-ban/1256-qd-ubnd", []string{`href="/so-tu-phap/tin-tuc/stp-tuyen-truyen"`, `href="/tin-tuc/`}},
		{rootHost, stpPrefix + "/van-ban/1256-qd-ubnd", []string{`href="/so-tu-phap/tin-tuc/stp-tuyen-truyen"`, `href="//` + rootHost + `/tin-tuc/`}},
		{stcHost, "/van-ban/1256-qd-ubnd", []string{`href="//` + rootHost + `/so-tu-phap/tin-tuc/stp-tuyen-truyen"`, `href="//` + rootHost + `/tin-tuc/`}},
	} {
		a := fetch(h, tt.host, tt.path)
		for _, w := range tt.want {
			if a.status != http.StatusOK || !bytes.Contains(a.body, []byte(w)) {
				t.Errorf("%s%s: %d, no %s", tt.host, tt.path, a.status, w)
			}
		}
	}

	// The prefix alone, a section without its slash, the workspace under
	// a prefix, an unknown first segment.
	for _, tt := range []struct {
		host, path string
		status     int
		location   string
	}{
		{rootHost, stpPrefix, http.StatusMovedPermanently, stpPrefix + "/"},
		{rootHost, stpPrefix + "/tin-tuc", http.StatusMovedPermanently, stpPrefix + "/tin-tuc/"},
		{rootHost, stpPrefix + "/tin-tuc/trang/1/", http.StatusMovedPermanently, stpPrefix + "/tin-tuc/"},
		{rootHost, stpPrefix + "/quan-tri/dang-nhap", http.StatusNotFound, ""},
		{rootHost, stpPrefix + "/assets/style.css", http.StatusNotFound, ""},
		{rootHost, "/khong-co-trang-nay/", http.StatusNotFound, ""},
		{stcHost, "/tin-tuc", http.StatusMovedPermanently, "/tin-tuc/"},
		{stcHost, stpPrefix + "/", http.StatusNotFound, ""},
	} {
		a := fetch(h, tt.host, tt.path)
		if a.status != tt.status || a.location != tt.location {
			t.Errorf("%s%s: %d to %q, want %d to %q", tt.host, tt.path, a.status, a.location, tt.status, tt.location)
		}
	}
	// Crawlers read robots.txt at the host's root: the root column's
	// names the prefixed column's sitemap too, the column's own its own.
	if a := fetch(h, rootHost, "/robots.txt"); !bytes.HasSuffix(a.body, []byte("Sitemap: "+base+"/sitemap.xml\nSitemap: "+base+stpPrefix+"/sitemap.xml\n")) {
		t.Errorf("root robots.txt:\n%s", a.body)
	}
	if a := fetch(h, stcHost, "/robots.txt"); !bytes.HasSuffix(a.body, []byte("\nSitemap: "+stcBase+"/sitemap.xml\n")) {
		t.Errorf("host column's robots.txt:\n%s", a.body)
	}
	if a := fetch(h, rootHost, "/khong-co-trang-nay"); !bytes.Equal(a.body, before["/khong-co-trang-nay"].body) {
		t.Error("an unknown first segment is not today's 404 page")
	}
	if a := fetch(h, rootHost, stpPrefix+"/quan-tri/dang-nhap"); !bytes.Contains(a.body, []byte(tuPhap().Name)) {
		t.Error("the 404 under the prefix is not the column's page")
	}

	// Forged hosts: refused before anything is routed.
	for _, host := range []string{"evil.example", "stp.example.gov.vn.evil.example", "so-tu-phap", "xstp.example.gov.vn"} {
		if a := fetch(h, host, stpPrefix+"/"); a.status != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %d, want 421", host, a.status)
		}
	}
}

// TestColumnsBurst: 100 requests at once across the three columns, for
// the same paths, each get their own column's bytes: the page cache
// keeps the columns apart, and a cache emptied just before (every
// request a miss) mixes nothing up.
func TestColumnsBurst(t *testing.T) {
	env, h := columnsEnv(t)
	type target struct{ host, path string }
	var targets []target
	for _, p := range []string{"/", "/tin-tuc/", "/rss.xml", "/sitemap.xml", "/theo-doi"} {
		targets = append(targets, target{rootHost, p}, target{rootHost, stpPrefix + p}, target{stcHost, p})
	}
	want := map[target]answer{}
	for _, tg := range targets {
		a := fetch(h, tg.host, tg.path)
		if a.status != http.StatusOK {
			t.Fatalf("%s%s: %d", tg.host, tg.path, a.status)
		}
		want[tg] = a
	}
	// The three columns' homes differ (names, links), so a mix-up shows.
	if bytes.Equal(want[target{rootHost, "/"}].body, want[target{rootHost, stpPrefix + "/"}].body) ||
		bytes.Equal(want[target{rootHost, "/"}].body, want[target{stcHost, "/"}].body) {
		t.Fatal("two columns' homes are the same bytes")
	}
	for round := range 2 {
		env.Pages.Invalidate()
		var wg sync.WaitGroup
		errs := make(chan string, 100)
		start := make(chan struct{})
		for i := range 100 {
			tg := targets[i%len(targets)]
			wg.Go(func() {
				<-start
				a := fetch(h, tg.host, tg.path, "Accept-Encoding", "identity")
				if a.status != http.StatusOK || !bytes.Equal(a.body, want[tg].body) || a.etag != want[tg].etag {
					errs <- fmt.Sprintf("round %d: %s%s: %d %s, want the column's own bytes %s", round, tg.host, tg.path, a.status, a.etag, want[tg].etag)
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
	hits, misses, _ := env.Pages.Stats()
	t.Logf("page cache after two bursts of 100: %d hits, %d misses", hits, misses)
}

// TestColumnsFollowAgencyChange: a change to an agency's record reaches
// the next request — its new prefix answers, its old one is another
// address — without a restart.
func TestColumnsFollowAgencyChange(t *testing.T) {
	env, h := columnsEnv(t)
	if a := fetch(h, rootHost, stpPrefix+"/"); a.status != http.StatusOK {
		t.Fatalf("%s/: %d", stpPrefix, a.status)
	}
	stp, err := env.Store.AgencyBySlug(t.Context(), "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	stp.Prefix = "/stp"
	stp.Name = "Sở Tư pháp"
	if err := env.Store.UpdateAgency(t.Context(), *stp, audit()); err != nil {
		t.Fatal(err)
	}
	if a := fetch(h, rootHost, "/stp/"); a.status != http.StatusOK || !bytes.Contains(a.body, []byte(`<span class="brand-name">Sở Tư pháp</span>`)) ||
		!bytes.Contains(a.body, []byte(`href="/stp/tin-tuc/"`)) {
		t.Errorf("/stp/ after the change: %d", a.status)
	}
	if a := fetch(h, rootHost, stpPrefix+"/"); a.status != http.StatusNotFound {
		t.Errorf("the old prefix: %d, want 404", a.status)
	}
	// A reserved prefix is refused where every write is checked.
	stp.Prefix = "/tin-tuc"
	if err := env.Store.UpdateAgency(t.Context(), *stp, audit()); agency.Problems(err)[agency.FieldPrefix] == "" {
		t.Errorf("prefix /tin-tuc: %v, want refused", err)
	}
}
