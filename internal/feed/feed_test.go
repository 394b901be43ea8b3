package feed_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

const base = "https://skhcn.quangngai.gov.vn/cchc"

func day(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, vntext.Zone) }

// sample is one item of each kind, newest first, as a store would give them.
func sample() []*store.Item {
	art := &store.Item{ID: 3, UID: "2022-03-20:article/so-ban-hanh-ke-hoach", Status: store.Published,
		Published: day(2022, 3, 20, 8), Updated: day(2022, 4, 1, 9),
		HTML: `<p>Xem <a href="/van-ban/272-kh-skhcn">Kế hoạch 272</a>, <a href="#muc-1">mục 1</a> và <a href="https://example.org/x">nguồn</a>.</p><img src="anh/hinh.png" alt="">`,
		Text: "Xem Kế hoạch 272, mục 1 và nguồn."}
	art.Item = content.Item{Kind: content.Article, Slug: "so-ban-hanh-ke-hoach", Title: "Sở ban hành Kế hoạch tuyên truyền CCHC năm 2022",
		Summary: "Kế hoạch số 272/KH-SKHCN & các nhiệm vụ <chính>.", Author: "Văn phòng Sở", Areas: []string{"II.1", "II.2.a"}}
	proc := &store.Item{ID: 2, UID: "2022-03-10:procedure/cong-bo-hop-chuan", Status: store.Published,
		Published: day(2022, 3, 10, 0), HTML: "<h2>Trình tự thực hiện</h2><p>Nộp hồ sơ.</p>",
		Text: strings.Repeat("Tổ chức, cá nhân nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh. ", 10)}
	proc.Item = content.Item{Kind: content.Procedure, Slug: "cong-bo-hop-chuan", Title: "Thủ tục công bố hợp chuẩn",
		Code: "1.000001.000.00.00.H48", Agency: "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", Fee: "150.000 đồng"}
	doc := &store.Item{ID: 1, UID: "2022-03-01:document/1256-qd-ubnd", Status: store.Published, Published: day(2022, 3, 1, 0)}
	doc.Item = content.Item{Kind: content.Document, Slug: "1256-qd-ubnd", Number: "1256/QĐ-UBND", Type: "Quyết định",
		Issuer: "UBND tỉnh Quảng Ngãi", Issued: day(2021, 12, 22, 0), Title: "Ban hành Kế hoạch cải cách hành chính giai đoạn 2021–2025",
		File: "files/1256.pdf", Areas: []string{"II.1"}}
	return []*store.Item{art, proc, doc}
}

func options() feed.Options {
	return feed.Options{
		BaseURL: base,
		TagHost: feed.TagHost(base),
		Areas:   map[string]string{"II.1": "Văn bản chỉ đạo của Trung ương, của tỉnh về CCHC", "II.2.a": "Công tác chỉ đạo, điều hành"},
		Enclosure: func(it *store.Item) (feed.Enclosure, bool) {
			if it.File == "" {
				return feed.Enclosure{}, false
			}
			return feed.Enclosure{URL: base + "/tep/" + it.File, Length: 12345, Type: "application/pdf"}, true
		},
	}
}

var channel = feed.Channel{Title: "Cải cách hành chính", Description: "Tin tức, thủ tục và văn bản.", Page: "/"}

// TestBuildParses reads every format back as a feed reader would.
func TestBuildParses(t *testing.T) {
	items := sample()
	for _, f := range feed.Formats {
		t.Run(string(f), func(t *testing.T) {
			b, err := feed.Build(channel, items, f, options())
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, b)
			}
			if parsed.Title != channel.Title || parsed.Link != base+"/" || parsed.Language != "vi" {
				t.Errorf("feed title %q link %q language %q", parsed.Title, parsed.Link, parsed.Language)
			}
			if parsed.FeedLink != base+"/"+f.FileName() {
				t.Errorf("self link %q, want %q", parsed.FeedLink, base+"/"+f.FileName())
			}
			// The feed's date is its newest entry's: the article's major update.
			if parsed.UpdatedParsed == nil || !parsed.UpdatedParsed.Equal(day(2022, 4, 1, 9)) {
				t.Errorf("feed updated %v, want %v", parsed.UpdatedParsed, day(2022, 4, 1, 9))
			}
			if len(parsed.Items) != len(items) {
				t.Fatalf("%d entries, want %d", len(parsed.Items), len(items))
			}
			for i, got := range parsed.Items {
				it := items[i]
				if want := "tag:skhcn.quangngai.gov.vn," + it.UID; got.GUID != want {
					t.Errorf("entry %d guid %q, want %q", i, got.GUID, want)
				}
				if got.Link != base+it.URL() {
					t.Errorf("entry %d link %q", i, got.Link)
				}
				if got.PublishedParsed == nil || !got.PublishedParsed.Equal(it.Published) {
					t.Errorf("entry %d published %v, want %v", i, got.PublishedParsed, it.Published)
				}
				if f != feed.RSS { // RSS has no per-item updated
					if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(feed.EntryUpdated(it)) {
						t.Errorf("entry %d updated %v, want %v", i, got.UpdatedParsed, feed.EntryUpdated(it))
					}
				}
				if len(got.Authors) == 0 || got.Authors[0].Name == "" {
					t.Errorf("entry %d has no author", i)
				}
			}
			art, proc, doc := parsed.Items[0], parsed.Items[1], parsed.Items[2]
			if art.Title != items[0].Title || art.Authors[0].Name != "Văn phòng Sở" {
				t.Errorf("article title %q author %q", art.Title, art.Authors[0].Name)
			}
			if proc.Authors[0].Name != feed.Publisher() {
				t.Errorf("procedure author %q, want the department", proc.Authors[0].Name)
			}
			if doc.Title != "Quyết định số 1256/QĐ-UBND: "+items[2].Title {
				t.Errorf("document title %q", doc.Title)
			}
			for _, want := range []string{
				`href="` + base + `/van-ban/272-kh-skhcn"`,
				`href="` + base + `/tin-tuc/so-ban-hanh-ke-hoach#muc-1"`,
				`href="https://example.org/x"`,
				`src="` + base + `/tin-tuc/anh/hinh.png"`,
			} {
				if !strings.Contains(art.Content, want) {
					t.Errorf("article content lacks %s:\n%s", want, art.Content)
				}
			}
			if !strings.Contains(proc.Content, "1.000001.000.00.00.H48") || !strings.Contains(proc.Content, "<h2>Trình tự thực hiện</h2>") {
				t.Errorf("procedure content %q", proc.Content)
			}
			if got := strings.Join(art.Categories, "|"); got != "Văn bản chỉ đạo của Trung ương, của tỉnh về CCHC|Công tác chỉ đạo, điều hành" {
				t.Errorf("article categories %q", got)
			}
			if len(doc.Enclosures) != 1 || doc.Enclosures[0].URL != base+"/tep/files/1256.pdf" ||
				doc.Enclosures[0].Length != "12345" || doc.Enclosures[0].Type != "application/pdf" {
				t.Errorf("document enclosure %+v", doc.Enclosures)
			}
			if len(art.Enclosures) != 0 {
				t.Errorf("article has enclosures %+v", art.Enclosures)
			}
			// The summary reads as the editor wrote it, whatever the escaping.
			if d := unescape(art.Description); d != items[0].Summary {
				t.Errorf("article summary %q, want %q", d, items[0].Summary)
			}
			if d := unescape(proc.Description); !strings.HasSuffix(d, "…") || len([]rune(d)) > feed.SummaryLength+1 {
				t.Errorf("procedure summary from text %q", d)
			}
		})
	}
}

func unescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(s)
}

// TestBuildDeterministic: the same items give the same bytes, whenever.
func TestBuildDeterministic(t *testing.T) {
	for _, f := range feed.Formats {
		a, err := feed.Build(channel, sample(), f, options())
		if err != nil {
			t.Fatal(err)
		}
		b, err := feed.Build(channel, sample(), f, options())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two builds differ", f)
		}
	}
}

// TestBuildGaps checks what gorilla/feeds leaves out and this package adds.
func TestBuildGaps(t *testing.T) {
	items := sample()
	build := func(f feed.Format) string {
		b, err := feed.Build(channel, items, f, options())
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	rss, atom, js := build(feed.RSS), build(feed.Atom), build(feed.JSON)
	tests := []struct {
		name, doc, want string
	}{
		{"rss guid is not a permalink", rss, `<guid isPermaLink="false">tag:skhcn.quangngai.gov.vn,2022-03-20:article/so-ban-hanh-ke-hoach</guid>`},
		{"rss self link", rss, `<atom:link href="` + base + `/rss.xml" rel="self" type="application/rss+xml"></atom:link>`},
		{"rss creator", rss, `<dc:creator>Văn phòng Sở</dc:creator>`},
		{"rss no managingEditor without e-mail", rss, ""},
		{"rss lastBuildDate is the newest entry's", rss, `<lastBuildDate>Fri, 01 Apr 2022 09:00:00 +0700</lastBuildDate>`},
		{"atom published", atom, `<published>2022-03-20T08:00:00+07:00</published>`},
		{"atom updated", atom, `<updated>2022-04-01T09:00:00+07:00</updated>`},
		{"atom self link", atom, `<link href="` + base + `/atom.xml" rel="self" type="application/atom+xml"></link>`},
		{"atom category with term and label", atom, `<category term="II.2.a" label="Công tác chỉ đạo, điều hành"></category>`},
		{"atom language", atom, `xml:lang="vi"`},
		{"json version", js, `"version": "https://jsonfeed.org/version/1.1"`},
		{"json feed_url", js, `"feed_url": "` + base + `/feed.json"`},
		{"json attachment size", js, `"size_in_bytes": 12345`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.doc, tt.want) {
				t.Errorf("missing %s", tt.want)
			}
		})
	}
	if strings.Contains(rss, "managingEditor") || strings.Contains(rss, "<author>") {
		t.Error("RSS has an author element without an e-mail address")
	}
	var v struct {
		Items []struct {
			Attachments []map[string]any `json:"attachments"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatal(err)
	}
	if a := v.Items[2].Attachments; len(a) != 1 || a[0]["mime_type"] != "application/pdf" {
		t.Errorf("json attachments %v", a)
	}
}

// TestBuildEmpty: a feed with no entries is still valid and stable.
func TestBuildEmpty(t *testing.T) {
	for _, f := range feed.Formats {
		b, err := feed.Build(channel, nil, f, options())
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, b)
		}
		if len(parsed.Items) != 0 {
			t.Errorf("%s: %d entries", f, len(parsed.Items))
		}
	}
}

func TestEntryUpdated(t *testing.T) {
	pub := day(2022, 3, 1, 8)
	tests := []struct {
		name    string
		updated time.Time
		want    time.Time
	}{
		{"never updated", time.Time{}, pub},
		{"major update", day(2022, 5, 1, 8), day(2022, 5, 1, 8)},
		{"update before publication is ignored", day(2022, 2, 1, 8), pub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &store.Item{Published: pub, Updated: tt.updated}
			if got := feed.EntryUpdated(it); !got.Equal(tt.want) {
				t.Errorf("EntryUpdated = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, text string
		max        int
		want       string
	}{
		{"short", "Cải cách hành chính", 50, "Cải cách hành chính"},
		{"spaces collapse", "Cải  cách\nhành   chính", 50, "Cải cách hành chính"},
		{"cut at a word", "Cải cách hành chính nhà nước", 12, "Cải cách…"},
		{"no space to cut at", "Cảicáchhànhchính", 5, "Cảicá…"},
		{"punctuation trimmed", "Một, hai, ba, bốn", 9, "Một, hai…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feed.Excerpt(tt.text, tt.max); got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
			}
		})
	}
}

func TestTagHost(t *testing.T) {
	tests := []struct{ base, want string }{
		{"", feed.DefaultTagHost},
		{"https://cchc.example.vn:8443/cot", "cchc.example.vn"},
		{"http://127.0.0.1:8080", "127.0.0.1"},
	}
	for _, tt := range tests {
		if got := feed.TagHost(tt.base); got != tt.want {
			t.Errorf("TagHost(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
	if got := feed.ID("", "2022-03-20:article/x"); got != "tag:skhcn.quangngai.gov.vn,2022-03-20:article/x" {
		t.Errorf("ID = %q", got)
	}
}

func TestFormatByFile(t *testing.T) {
	for _, f := range feed.Formats {
		got, ok := feed.FormatByFile(f.FileName())
		if !ok || got != f {
			t.Errorf("FormatByFile(%q) = %q, %v", f.FileName(), got, ok)
		}
	}
	for _, name := range []string{"", "rss", "index.xml", "feed.xml"} {
		if _, ok := feed.FormatByFile(name); ok {
			t.Errorf("FormatByFile(%q) found a format", name)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	items := sample()
	for len(items) < 50 {
		items = append(items, sample()...)
	}
	for _, f := range feed.Formats {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := feed.Build(channel, items, f, options()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
