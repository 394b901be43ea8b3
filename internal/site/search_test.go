package site_test

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"cchc/internal/config"
	"cchc/internal/feed"
	"cchc/internal/search"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

var searchNow = time.Date(2026, 11, 30, 10, 0, 0, 0, vntext.Zone)

// searchHandler is the whole service over the demo content.
func searchHandler(t *testing.T) http.Handler {
	return testsupport.DemoHandler(t, config.Defaults, func() time.Time { return searchNow })
}

func TestSearchPage(t *testing.T) {
	h := searchHandler(t)
	tests := []struct {
		name   string
		target string
		status int
		want   []string
		not    []string
	}{
		{name: "empty query shows the form and guidance", target: "/tim-kiem", status: 200,
			want: []string{`role="search"`, `name="q"`, "Bạn có thể tìm", "1256/QĐ-UBND", `noindex`},
			not:  []string{"Không tìm thấy kết quả"}},
		{name: "blank query is empty", target: "/tim-kiem?q=+++", status: 200, want: []string{"Bạn có thể tìm"}},
		{name: "without diacritics, marked with them", target: "/tim-kiem?q=duong+day+nong", status: 200,
			want: []string{`value="duong day nong"`, "<mark>đường</mark> <mark>dây</mark> <mark>nóng</mark>", "Tìm thấy 2 kết quả",
				`href="/tin-tuc/ky-luat-ky-cuong-sap-xep-to-chuc"`, "Lọc kết quả", "Tin tức <span class=\"count\">(2)</span>",
				`href="/tim-kiem/rss.xml?q=duong&#43;day&#43;nong"`, `href="/tim-kiem/atom.xml?q=duong&#43;day&#43;nong"`,
				`<link rel="alternate" type="application/feed&#43;json" title="Tìm kiếm “duong day nong” (JSON Feed)" href="/tim-kiem/feed.json?q=duong&#43;day&#43;nong">`,
				`<a href="/tim-kiem/feed.json?q=duong&#43;day&#43;nong">JSON Feed</a>`}},
		{name: "query kept with diacritics", target: "/tim-kiem?q=" + url.QueryEscape("cải cách"), status: 200,
			want: []string{`value="cải cách"`, "Kết quả tìm kiếm “cải cách”"}},
		{name: "document number", target: "/tim-kiem?q=1256+qd+ubnd", status: 200,
			want: []string{`<ol class="entries" start="1">`, "Quyết định số <mark>1256</mark>/<mark>QĐ</mark>-<mark>UBND</mark>"}},
		{name: "kind filter", target: "/tim-kiem?q=cai+cach+hanh+chinh&loai=document", status: 200,
			want: []string{`class="facet-on"`, "Bỏ tất cả bộ lọc", `href="/van-ban/1256-qd-ubnd"`},
			not:  []string{`class="entry-title" href="/tin-tuc/`}},
		{name: "area and year filters", target: "/tim-kiem?q=cai+cach&chu-de=iso-9001&nam=2022", status: 200,
			want: []string{"Áp dụng Hệ thống quản lý chất lượng", "chu-de=iso-9001", "Bỏ tất cả bộ lọc"}, not: []string{"II.5. Áp dụng"}},
		{name: "area by its old plan code", target: "/tim-kiem?q=cai+cach&chu-de=II.5&nam=2022", status: 200,
			want: []string{"Áp dụng Hệ thống quản lý chất lượng", "chu-de=iso-9001", "Bỏ tất cả bộ lọc"}, not: []string{"chu-de=II.5"}},
		{name: "unknown filters ignored", target: "/tim-kiem?q=iso&loai=xyz&chu-de=Z.9&nam=abc", status: 200,
			want: []string{"Tìm thấy"}, not: []string{"Bỏ tất cả bộ lọc"}},
		{name: "second page", target: "/tim-kiem?q=cai+cach&trang=2", status: 200,
			want: []string{`<ol class="entries" start="11">`, "trang 2/", `rel="prev"`}},
		{name: "page past the end", target: "/tim-kiem?q=cai+cach&trang=99", status: 404},
		{name: "bad page", target: "/tim-kiem?q=cai+cach&trang=x", status: 400},
		{name: "no results", target: "/tim-kiem?q=xyzzy", status: 200,
			want: []string{"Không tìm thấy kết quả nào cho “xyzzy”", "Kiểm tra lại chính tả", "Xem theo chuyên mục", `href="/van-ban/"`}},
		{name: "no results with a filter", target: "/tim-kiem?q=1256+qd+ubnd&loai=procedure", status: 200,
			want: []string{"với bộ lọc đã chọn", "không dùng bộ lọc"}},
		{name: "draft not found", target: "/tim-kiem?q=" + url.QueryEscape("đánh giá nội bộ"), status: 200,
			not: []string{"nhap-huong-dan-danh-gia-noi-bo"}},
		{name: "scheduled not found", target: "/tim-kiem?q=2027", status: 200,
			not: []string{"ke-hoach-tuyen-truyen-cchc-2027"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := testsupport.Get(h, tt.target)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.target, w.Code, tt.status)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s lacks %q", tt.target, s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("GET %s has %q", tt.target, s)
				}
			}
		})
	}
}

// TestSearchHostile types what breaks naive search boxes: every answer is
// a normal page.
func TestSearchHostile(t *testing.T) {
	h := searchHandler(t)
	for _, q := range []string{`"`, `""`, `*`, `NEAR(`, `NEAR(a b, 2)`, `a OR`, `OR`, `title:x`, `{title body}:x`, `)(`, `(`, `^x`, `-x`,
		`<script>alert(1)</script>`, strings.Repeat("a", 10000), strings.Repeat("cải cách ", 2000), "a\x00b", "\x00", "\xff\xfe\xfd", "'; DROP TABLE items; --"} {
		for _, path := range []string{"/tim-kiem", "/tim-kiem/rss.xml", "/tim-kiem/atom.xml", "/tim-kiem/feed.json"} {
			target := path + "?q=" + url.QueryEscape(q)
			w := testsupport.Get(h, target)
			if w.Code != http.StatusOK {
				t.Errorf("GET %.60s = %d", target, w.Code)
				continue
			}
			body := w.Body.String()
			if path == "/tim-kiem" && (!strings.Contains(body, `id="q-trang"`) || strings.Contains(body, "<script>alert")) {
				t.Errorf("GET %.60s: no search form, or input not escaped", target)
			}
			if strings.Contains(body, "sự cố") {
				t.Errorf("GET %.60s: error page", target)
			}
		}
	}
	// Raw bytes that a browser would never send still get a page.
	for _, raw := range []string{"/tim-kiem?q=%ff%00%22", "/tim-kiem?q=%zz", "/tim-kiem?q=a&q=b"} {
		if w := testsupport.Get(h, raw); w.Code != http.StatusOK {
			t.Errorf("GET %s = %d", raw, w.Code)
		}
	}
}

func TestSearchHeaderForm(t *testing.T) {
	h := searchHandler(t)
	body := testsupport.Get(h, "/").Body.String()
	for _, s := range []string{`<form class="site-search" role="search" action="/tim-kiem"`, `<label for="q-dau-trang" class="visually-hidden">Tìm kiếm</label>`, `id="q-dau-trang" type="search" name="q"`} {
		if !strings.Contains(body, s) {
			t.Errorf("home page lacks %q", s)
		}
	}
}

// TestSearchFeeds reads a search's feeds in every format as a reader
// would: built like the column's feeds (self link with the query, ids
// from the --base-url host, full content, authors, categories), listing
// the index's hits newest first.
func TestSearchFeeds(t *testing.T) {
	f := newFixture(t)
	res, err := f.env.Search.Search(t.Context(), search.Query{Text: "iso 9001", Now: clock, Newest: true, Limit: 30})
	if err != nil {
		t.Fatal(err)
	}
	var want []*store.Item
	for _, h := range res.Hits {
		want = append(want, h.Item)
	}
	if len(want) < 3 {
		t.Fatalf("%d hits to test with", len(want))
	}
	for _, format := range feed.Formats {
		t.Run(string(format), func(t *testing.T) {
			target := "/tim-kiem/" + format.FileName() + "?q=iso+9001"
			w := f.get(target)
			if ct := w.Header().Get("Content-Type"); w.Code != http.StatusOK || ct != format.ContentType() {
				t.Fatalf("GET %s = %d %s", target, w.Code, ct)
			}
			if again := f.get(target); again.Body.String() != w.Body.String() {
				t.Error("the same search gave a different feed")
			}
			got := f.feed(target)
			if got.Language != "vi" || got.Title != "Tìm kiếm “iso 9001” – Cải cách hành chính – Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" ||
				got.Link != feedBase+"/tim-kiem?q=iso+9001" || got.FeedLink != feedBase+target {
				t.Errorf("feed language %q title %q link %q self %q", got.Language, got.Title, got.Link, got.FeedLink)
			}
			if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(feed.Updated(want)) {
				t.Errorf("feed updated %v, want the newest entry's %v", got.UpdatedParsed, feed.Updated(want))
			}
			if len(got.Items) != len(want) {
				t.Fatalf("%d entries, want %d", len(got.Items), len(want))
			}
			for i, e := range got.Items {
				it := want[i]
				if e.GUID != guid(it) || e.Link != feedBase+it.URL() {
					t.Errorf("entry %d guid %q link %q, want %q %q", i, e.GUID, e.Link, guid(it), feedBase+it.URL())
				}
				if e.PublishedParsed == nil || !e.PublishedParsed.Equal(it.Published) {
					t.Errorf("entry %d published %v, want %v", i, e.PublishedParsed, it.Published)
				}
				if e.Description == "" || !strings.Contains(e.Content, "</") || len(e.Authors) == 0 {
					t.Errorf("entry %d: summary %q, content %.40q, authors %v", i, e.Description, e.Content, e.Authors)
				}
			}
		})
	}
}

// TestSearchFeedTagHost: a search feed's entry ids take their host from
// --base-url like the column's, so an item has one id in every feed;
// without --base-url they keep the default host.
func TestSearchFeedTagHost(t *testing.T) {
	for _, tt := range []struct{ baseURL, host string }{
		{"https://cchc.example.org/cchc", "cchc.example.org"},
		{"", feed.DefaultTagHost},
	} {
		t.Run(tt.host, func(t *testing.T) {
			cfg := config.Defaults
			cfg.BaseURL = tt.baseURL
			h := newHandler(t, cfg)
			column := map[string]string{} // link → id in the column's feed
			for _, e := range parseFeed(t, h, "/atom.xml").Items {
				column[e.Link] = e.GUID
			}
			for _, format := range feed.Formats {
				got := parseFeed(t, h, "/tim-kiem/"+format.FileName()+"?q=cai+cach")
				if len(got.Items) == 0 {
					t.Fatalf("%s: no entries", format)
				}
				for _, e := range got.Items {
					if !strings.HasPrefix(e.GUID, "tag:"+tt.host+",") {
						t.Errorf("%s: entry id %q, want the host %s", format, e.GUID, tt.host)
					}
					if id, ok := column[e.Link]; ok && id != e.GUID {
						t.Errorf("%s: %s has id %q, and %q in the column's feed", format, e.Link, e.GUID, id)
					}
				}
			}
		})
	}
}

// parseFeed fetches target from h and parses it as a reader would.
func parseFeed(t *testing.T, h http.Handler, target string) *gofeed.Feed {
	t.Helper()
	w := testsupport.Do(h, http.MethodGet, target)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", target, w.Code)
	}
	fd, err := gofeed.NewParser().Parse(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("GET %s: gofeed: %v", target, err)
	}
	return fd
}

// A search with no results still gives a valid feed: Atom requires the
// feed's <updated>, and an empty one is not a date. It is fixed (the
// epoch, as for the column's empty feeds), never the time of the request.
func TestSearchFeedWithoutResults(t *testing.T) {
	h := searchHandler(t)
	for _, path := range []string{"/tim-kiem/atom.xml?q=zzzkhongcogica", "/tim-kiem/atom.xml?q="} {
		t.Run(path, func(t *testing.T) {
			w := testsupport.Get(h, path)
			if w.Code != 200 {
				t.Fatalf("GET %s = %d", path, w.Code)
			}
			var d struct {
				Updated string     `xml:"updated"`
				Entries []struct{} `xml:"entry"`
			}
			if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			if len(d.Entries) != 0 {
				t.Fatalf("%d entries", len(d.Entries))
			}
			got, err := time.Parse(time.RFC3339, d.Updated)
			if err != nil {
				t.Fatalf("<updated>%s</updated>: %v\n%s", d.Updated, err, w.Body.String())
			}
			if !got.Equal(time.Unix(0, 0)) {
				t.Errorf("<updated> %s, want the epoch", d.Updated)
			}
			if again := testsupport.Get(h, path); again.Body.String() != w.Body.String() {
				t.Error("the same search gave a different feed")
			}
		})
	}
	for _, format := range feed.Formats {
		if got := parseFeed(t, h, "/tim-kiem/"+format.FileName()+"?q=zzzkhongcogica"); len(got.Items) != 0 {
			t.Errorf("%s: %d entries", format, len(got.Items))
		}
	}
}

// TestSearchAsksTheGivenIndex: the site builds no index of its own. Given
// an index over another, empty database, the results page, the search
// feeds and the directories' text box all find nothing, while the same
// site given the app's index finds the items.
func TestSearchAsksTheGivenIndex(t *testing.T) {
	f := newFixture(t)
	empty := testsupport.Open(t, config.Defaults, func() time.Time { return clock })
	for _, tt := range []struct {
		name  string
		index *search.Index
		found bool
	}{
		{"the app's index", f.env.Search, true},
		{"an empty index", empty.Search, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := publicSite(t, f.env, site.Config{Search: tt.index})
			page := testsupport.Do(h, http.MethodGet, "/tim-kiem?q=cai+cach").Body.String()
			if got := !strings.Contains(page, "Không tìm thấy kết quả nào"); got != tt.found {
				t.Errorf("results page found %v, want %v", got, tt.found)
			}
			fd, err := gofeed.NewParser().Parse(bytes.NewReader(testsupport.Do(h, http.MethodGet, "/tim-kiem/atom.xml?q=cai+cach").Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(fd.Items) > 0; got != tt.found {
				t.Errorf("search feed has %d entries; want entries: %v", len(fd.Items), tt.found)
			}
			dir := testsupport.Do(h, http.MethodGet, "/thu-tuc-hanh-chinh/?q=buc+xa").Body.String()
			if got := !strings.Contains(dir, "Không có thủ tục nào phù hợp"); got != tt.found {
				t.Errorf("directory box found %v, want %v", got, tt.found)
			}
		})
	}
}
