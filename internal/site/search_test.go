package site_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	demo "cchc/content"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/search"
	"cchc/internal/site"
	"cchc/internal/vntext"
)

var searchNow = time.Date(2026, 11, 30, 10, 0, 0, 0, vntext.Zone)

// searchHandler is the whole service over the demo content.
func searchHandler(t *testing.T) http.Handler {
	t.Helper()
	ctx := context.Background()
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	env, err := app.Open(ctx, &cfg, nil, func() time.Time { return searchNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	if _, err := env.Publish.Import(ctx, demo.FS, "content"); err != nil {
		t.Fatal(err)
	}
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func searchGet(h http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
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
				`href="/tim-kiem/rss.xml?q=duong&#43;day&#43;nong"`}},
		{name: "query kept with diacritics", target: "/tim-kiem?q=" + url.QueryEscape("cải cách"), status: 200,
			want: []string{`value="cải cách"`, "Kết quả tìm kiếm “cải cách”"}},
		{name: "document number", target: "/tim-kiem?q=1256+qd+ubnd", status: 200,
			want: []string{`<ol class="entries" start="1">`, "Quyết định số <mark>1256</mark>/<mark>QĐ</mark>-<mark>UBND</mark>"}},
		{name: "kind filter", target: "/tim-kiem?q=cai+cach+hanh+chinh&loai=document", status: 200,
			want: []string{`class="facet-on"`, "Bỏ tất cả bộ lọc", `href="/van-ban/1256-qd-ubnd"`},
			not:  []string{`class="entry-title" href="/tin-tuc/`}},
		{name: "area and year filters", target: "/tim-kiem?q=cai+cach&chu-de=II.5&nam=2022", status: 200,
			want: []string{"II.5. Áp dụng", "Bỏ tất cả bộ lọc"}},
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
			w := searchGet(h, tt.target)
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
		for _, path := range []string{"/tim-kiem", "/tim-kiem/rss.xml", "/tim-kiem/atom.xml"} {
			target := path + "?q=" + url.QueryEscape(q)
			w := searchGet(h, target)
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
		if w := searchGet(h, raw); w.Code != http.StatusOK {
			t.Errorf("GET %s = %d", raw, w.Code)
		}
	}
}

func TestSearchHeaderForm(t *testing.T) {
	h := searchHandler(t)
	body := searchGet(h, "/").Body.String()
	for _, s := range []string{`<form class="site-search" role="search" action="/tim-kiem"`, `<label for="q-dau-trang" class="visually-hidden">Tìm kiếm</label>`, `id="q-dau-trang" type="search" name="q"`} {
		if !strings.Contains(body, s) {
			t.Errorf("home page lacks %q", s)
		}
	}
}

func TestSearchFeeds(t *testing.T) {
	h := searchHandler(t)
	type entry struct {
		ID      string `xml:"id"`
		GUID    string `xml:"guid"`
		Updated string `xml:"updated"`
		PubDate string `xml:"pubDate"`
	}
	type doc struct {
		Updated string  `xml:"updated"`
		Entries []entry `xml:"entry"`
		Channel struct {
			PubDate string  `xml:"pubDate"`
			Items   []entry `xml:"item"`
		} `xml:"channel"`
	}
	for _, tt := range []struct {
		path, ctype string
	}{{"/tim-kiem/rss.xml", "application/rss+xml"}, {"/tim-kiem/atom.xml", "application/atom+xml"}} {
		t.Run(tt.path, func(t *testing.T) {
			target := tt.path + "?q=iso+9001"
			w := searchGet(h, target)
			if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), tt.ctype) {
				t.Fatalf("GET %s = %d %s", target, w.Code, w.Header().Get("Content-Type"))
			}
			if again := searchGet(h, target); again.Body.String() != w.Body.String() {
				t.Error("the same search gave a different feed")
			}
			var d doc
			if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			entries := append(d.Entries, d.Channel.Items...)
			if len(entries) < 5 {
				t.Fatalf("%d entries", len(entries))
			}
			for _, e := range entries {
				if id := e.ID + e.GUID; !strings.HasPrefix(id, "tag:skhcn.quangngai.gov.vn,") {
					t.Errorf("entry id %q", id)
				}
			}
			if d.Updated != "" && d.Updated != entries[0].Updated {
				t.Errorf("feed updated %s, newest entry %s", d.Updated, entries[0].Updated)
			}
			if d.Channel.PubDate != "" && d.Channel.PubDate != entries[0].PubDate {
				t.Errorf("feed date %s, newest entry %s", d.Channel.PubDate, entries[0].PubDate)
			}
		})
	}
}

// A search with no results still gives a valid feed: Atom requires the
// feed's <updated>, and an empty one is not a date. It is fixed (the
// epoch, as for the column's empty feeds), never the time of the request.
func TestSearchFeedWithoutResults(t *testing.T) {
	h := searchHandler(t)
	for _, path := range []string{"/tim-kiem/atom.xml?q=zzzkhongcogica", "/tim-kiem/atom.xml?q="} {
		t.Run(path, func(t *testing.T) {
			w := searchGet(h, path)
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
			if again := searchGet(h, path); again.Body.String() != w.Body.String() {
				t.Error("the same search gave a different feed")
			}
		})
	}
}

// TestSearchAsksTheGivenIndex: the site builds no index of its own. Given
// an index over another, empty database, the results page, the search
// feeds and the directories' text box all find nothing, while the same
// site given the app's index finds the items.
func TestSearchAsksTheGivenIndex(t *testing.T) {
	f := newFixture(t)
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	empty, err := app.Open(t.Context(), &cfg, nil, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { empty.Close() })
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
			page := serve(h, http.MethodGet, "/tim-kiem?q=cai+cach").Body.String()
			if got := !strings.Contains(page, "Không tìm thấy kết quả nào"); got != tt.found {
				t.Errorf("results page found %v, want %v", got, tt.found)
			}
			fd, err := gofeed.NewParser().Parse(bytes.NewReader(serve(h, http.MethodGet, "/tim-kiem/atom.xml?q=cai+cach").Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(fd.Items) > 0; got != tt.found {
				t.Errorf("search feed has %d entries; want entries: %v", len(fd.Items), tt.found)
			}
			dir := serve(h, http.MethodGet, "/thu-tuc-hanh-chinh/?q=buc+xa").Body.String()
			if got := !strings.Contains(dir, "Không có thủ tục nào phù hợp"); got != tt.found {
				t.Errorf("directory box found %v, want %v", got, tt.found)
			}
		})
	}
}
