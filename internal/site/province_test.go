package site_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/testsupport"
)

// Two more agencies' articles, written with their agencies' records into
// the content folder of newFixture (agencies/SLUG/): the Sở Tư pháp's
// column under a prefix, a district's on a host of its own. Each shares the words "cải
// cách hành chính" with the demo's items and has a word of its own.
const (
	stpArticle = `---
title: Hòa giải ở cơ sở gắn với cải cách hành chính
date: 2022-12-20T08:00:00+07:00
summary: Bài thử nghiệm của Sở Tư pháp về hòa giải ở cơ sở và cải cách hành chính.
---
Nội dung thử nghiệm về hòa giải ở cơ sở.
`
	districtArticle = `---
title: Một cửa cấp huyện trong cải cách hành chính
date: 2022-12-21T08:00:00+07:00
summary: Bài thử nghiệm của Ủy ban nhân dân huyện về bộ phận một cửa và cải cách hành chính.
---
Nội dung thử nghiệm về bộ phận một cửa cấp huyện, giờ tiếp dân buổi sáng.
`
)

// province is newFixture with the Sở Tư pháp (prefix /so-tu-phap) and a
// district committee (host) owning one article each.
type province struct {
	*fixture
	stp, district int64
}

const districtHost = "sontinh.quangngai.gov.vn"

func newProvince(t *testing.T) *province {
	t.Helper()
	f := newFixture(t)
	mustWrite(t, filepath.Join(f.dir, "agencies", "so-tu-phap", "agency.yaml"), "name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: Sở Tư pháp\nprefix: /so-tu-phap\n")
	mustWrite(t, filepath.Join(f.dir, "agencies", "so-tu-phap", "articles", "stp-hoa-giai.md"), stpArticle)
	mustWrite(t, filepath.Join(f.dir, "agencies", "ubnd-son-tinh", "agency.yaml"), "name: Ủy ban nhân dân huyện Sơn Tịnh\nshort_name: UBND huyện Sơn Tịnh\nhost: "+districtHost+"\n")
	mustWrite(t, filepath.Join(f.dir, "agencies", "ubnd-son-tinh", "articles", "huyen-mot-cua.md"), districtArticle)
	f.importContent()
	p := &province{fixture: f}
	for slug, id := range map[string]*int64{"so-tu-phap": &p.stp, "ubnd-son-tinh": &p.district} {
		a, err := f.env.Store.AgencyBySlug(context.Background(), slug)
		if err != nil {
			t.Fatal(err)
		}
		*id = a.ID
	}
	return p
}

// provinceEntryRE cuts a results page into its entries: the agency's label and
// the entry's link.
var provinceEntryRE = regexp.MustCompile(`(?s)<li class="entry">\s*<p class="kicker"><span class="agency-label">([^<]*)</span>.*?<a class="entry-title" href="([^"]*)"`)

// wantLabel is the label an entry linking to href must carry.
func wantLabel(href string) string {
	switch {
	case strings.HasPrefix(href, "/so-tu-phap/"), strings.HasPrefix(href, feedBase+"/so-tu-phap/"):
		return "Sở Tư pháp"
	case strings.HasPrefix(href, "https://"+districtHost+"/"):
		return "UBND huyện Sơn Tịnh"
	case strings.HasPrefix(href, "/"), strings.HasPrefix(href, feedBase+"/"):
		return "Sở KH&amp;CN"
	}
	return "?"
}

// provinceEntries are the (label, link) pairs of a province-wide results page.
func provinceEntries(t *testing.T, body string) [][2]string {
	t.Helper()
	var out [][2]string
	for _, m := range provinceEntryRE.FindAllStringSubmatch(body, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

// TestProvinceSearch: the province-wide search finds every agency's
// items, each labelled with its agency's short name and linking into its
// own column; a column's own search stays its own.
func TestProvinceSearch(t *testing.T) {
	p := newProvince(t)
	w := p.get("/toan-tinh/tim-kiem?q=" + url.QueryEscape("cải cách hành chính"))
	if w.Code != http.StatusOK {
		t.Fatalf("province search: %d", w.Code)
	}
	es := provinceEntries(t, w.Body.String())
	if len(es) != 10 {
		t.Fatalf("province search: %d entries on page 1, want 10:\n%s", len(es), w.Body.String())
	}
	seen := map[string]bool{}
	for _, e := range es {
		if want := wantLabel(e[1]); e[0] != want {
			t.Errorf("entry %s labelled %q, want %q", e[1], e[0], want)
		}
		seen[e[1]] = true
	}
	for _, want := range []string{"/so-tu-phap/tin-tuc/stp-hoa-giai", "https://" + districtHost + "/tin-tuc/huyen-mot-cua"} {
		if !seen[want] {
			t.Errorf("province search misses %s: %v", want, es)
		}
	}
	// Every page of the results, labelled alike.
	total := 0
	for n := 1; ; n++ {
		w := p.get(fmt.Sprintf("/toan-tinh/tim-kiem?q=%s&trang=%d", url.QueryEscape("cải cách hành chính"), n))
		if w.Code == http.StatusNotFound {
			break
		}
		for _, e := range provinceEntries(t, w.Body.String()) {
			if want := wantLabel(e[1]); e[0] != want {
				t.Errorf("page %d: entry %s labelled %q, want %q", n, e[1], e[0], want)
			}
			total++
		}
	}
	if total < 12 {
		t.Errorf("%d results over every page", total)
	}
	// Every link answers in its column, through the real resolver: a
	// prefixed column's path as it is, a host column's path on its host.
	for _, e := range es {
		target, host := e[1], ""
		if rest, ok := strings.CutPrefix(target, "https://"+districtHost); ok {
			target, host = rest, districtHost
		}
		if host != "" {
			target = "http://" + host + target // the request's Host
		}
		if w := p.get(target); w.Code != http.StatusOK {
			t.Errorf("%s (host %q): %d", target, host, w.Code)
		}
	}
	// The Sở Tư pháp's own /tim-kiem under its prefix keeps to its column.
	body := p.get("/so-tu-phap/tim-kiem?q=" + url.QueryEscape("cải cách hành chính")).Body.String()
	if !strings.Contains(body, "stp-hoa-giai") || strings.Contains(body, "huyen-mot-cua") || strings.Contains(body, `class="entry-title" href="/tin-tuc/`) {
		t.Errorf("/so-tu-phap/tim-kiem shows another column's article")
	}
	// One agency chosen: only its items.
	w = p.get("/toan-tinh/tim-kiem?q=" + url.QueryEscape("cải cách hành chính") + "&co-quan=so-tu-phap")
	if es := provinceEntries(t, w.Body.String()); len(es) != 1 || es[0][1] != "/so-tu-phap/tin-tuc/stp-hoa-giai" {
		t.Errorf("co-quan=so-tu-phap: %v", es)
	}
	// The root column's own search never finds the others' articles.
	for _, q := range []string{"hòa giải", "một cửa cấp huyện", "cải cách hành chính"} {
		body := p.get("/tim-kiem?q=" + url.QueryEscape(q)).Body.String()
		for _, slug := range []string{"stp-hoa-giai", "huyen-mot-cua"} {
			if strings.Contains(body, slug) {
				t.Errorf("/tim-kiem?q=%s in the root column shows %s", q, slug)
			}
		}
	}
	// The Sở Tư pháp's column (the context the public resolver sets) finds
	// its article and the registry's document, never the root's article.
	stp := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.h.ServeHTTP(w, r.WithContext(agency.WithID(r.Context(), p.stp)))
	})
	body = testsupport.Get(stp, "/tim-kiem?q="+url.QueryEscape("hoa giai o co so")).Body.String()
	if !strings.Contains(body, "/tin-tuc/stp-hoa-giai") {
		t.Errorf("the Sở Tư pháp's column misses its article")
	}
	body = testsupport.Get(stp, "/tim-kiem?q="+url.QueryEscape("1256 qd ubnd")).Body.String()
	if !strings.Contains(body, "/van-ban/1256-qd-ubnd") {
		t.Errorf("the Sở Tư pháp's column misses the registry's document 1256/QĐ-UBND")
	}
	body = testsupport.Get(stp, "/tim-kiem?q="+url.QueryEscape("iso 9001")).Body.String()
	if strings.Contains(body, `class="entry-title" href="/tin-tuc/`) {
		t.Errorf("the Sở Tư pháp's column finds the root's articles for iso 9001")
	}
}

// TestProvinceFeeds: the province-wide feeds parse (gofeed), carry every
// agency's entries with their agency as the first category and their link
// in the agency's column, and keep the tag: ids the column's feeds give.
func TestProvinceFeeds(t *testing.T) {
	p := newProvince(t)
	// tag: id → link, from the root column's feed (the root's entries
	// must keep both).
	column := map[string]string{}
	for _, it := range p.feed("/rss.xml").Items {
		column[it.GUID] = it.Link
	}
	for _, target := range []string{"/toan-tinh/rss.xml", "/toan-tinh/atom.xml", "/toan-tinh/feed.json",
		"/toan-tinh/tim-kiem/rss.xml?q=" + url.QueryEscape("cải cách hành chính"),
		"/toan-tinh/tim-kiem/atom.xml?q=" + url.QueryEscape("cai cach hanh chinh"),
		"/toan-tinh/tim-kiem/feed.json?q=" + url.QueryEscape("cải cách hành chính")} {
		fd := p.feed(target)
		if len(fd.Items) < 3 {
			t.Fatalf("%s: %d entries", target, len(fd.Items))
		}
		agencies := map[string]bool{}
		for _, it := range fd.Items {
			want := strings.ReplaceAll(wantLabel(it.Link), "&amp;", "&")
			if len(it.Categories) == 0 || it.Categories[0] != want {
				t.Errorf("%s: entry %s categories %v, want %q first", target, it.Link, it.Categories, want)
			}
			agencies[want] = true
			id := it.GUID
			if !strings.HasPrefix(id, "tag:skhcn.quangngai.gov.vn,") {
				t.Errorf("%s: entry %s id %q", target, it.Link, id)
			}
			if link, ok := column[id]; ok && want == "Sở KH&CN" && link != it.Link {
				t.Errorf("%s: entry %s links %s, the column's feed %s", target, id, it.Link, link)
			}
		}
		if len(agencies) != 3 {
			t.Errorf("%s: entries of %v, want the three agencies", target, agencies)
		}
	}
}

// TestProvinceSearchBurst: 100 province-wide searches at once over a real
// listener each get their own complete, correctly labelled answer.
func TestProvinceSearchBurst(t *testing.T) {
	p := newProvince(t)
	srv := httptest.NewServer(p.h)
	defer srv.Close()
	queries := []string{"cải cách hành chính", "cai cach hanh chinh", "hòa giải", "một cửa", "thủ tục hành chính", "iso 9001"}
	want := map[string][][2]string{}
	for _, q := range queries {
		want[q] = provinceEntries(t, p.get("/toan-tinh/tim-kiem?q="+url.QueryEscape(q)).Body.String())
		if len(want[q]) == 0 {
			t.Fatalf("%q finds nothing", q)
		}
	}
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := range n {
		wg.Go(func() {
			q := queries[i%len(queries)]
			// A parameter of its own per request: no two share a cached page.
			res, err := http.Get(fmt.Sprintf("%s/toan-tinh/tim-kiem?q=%s&nam=&r=%d", srv.URL, url.QueryEscape(q), i))
			if err != nil {
				errs <- err
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				errs <- err
				return
			}
			if res.StatusCode != http.StatusOK {
				errs <- fmt.Errorf("%q: %d", q, res.StatusCode)
				return
			}
			got := provinceEntries(t, string(b))
			if fmt.Sprint(got) != fmt.Sprint(want[q]) {
				errs <- fmt.Errorf("%q: %v, want %v", q, got, want[q])
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Generous: 100 searches of a small column on a loaded two-core
	// machine take well under a second; minutes would mean they queue on
	// something they should not.
	if d := time.Since(start); d > time.Minute {
		t.Errorf("100 province searches took %v", d)
	}
	t.Logf("100 concurrent province searches: %v", time.Since(start))
}
