package site_test

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/content"
	"cchc/internal/testsupport"
)

var jsonLDRE = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

var (
	metaRE = regexp.MustCompile(`<meta (?:name|property)="([^"]+)" content="([^"]*)">`)
	linkRE = regexp.MustCompile(`<link ([^>]*)>`)
	attrRE = regexp.MustCompile(`([a-z]+)="([^"]*)"`)
)

// meta reads the <meta name|property=… content=…> and the <link>s of a
// page, as the theme writes them.
func meta(t *testing.T, page string) (map[string][]string, []map[string]string) {
	t.Helper()
	head, _, ok := strings.Cut(page, "</head>")
	if !ok {
		t.Fatal("no </head>")
	}
	metas := map[string][]string{}
	for _, m := range metaRE.FindAllStringSubmatch(head, -1) {
		metas[m[1]] = append(metas[m[1]], html.UnescapeString(m[2]))
	}
	var links []map[string]string
	for _, m := range linkRE.FindAllStringSubmatch(head, -1) {
		a := map[string]string{}
		for _, at := range attrRE.FindAllStringSubmatch(m[1], -1) {
			a[at[1]] = html.UnescapeString(at[2])
		}
		links = append(links, a)
	}
	return metas, links
}

// TestStructuredData checks JSON-LD, OpenGraph and Dublin Core per kind.
func TestStructuredData(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, path, typ string
		fields          map[string]any // top-level JSON-LD values
		creator, date   string
	}{
		{"article", "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", "NewsArticle",
			map[string]any{"inLanguage": "vi"}, "", ""},
		{"document", "/van-ban/1256-qd-ubnd", "Legislation",
			map[string]any{"legislationIdentifier": "1256/QĐ-UBND", "legislationType": "Quyết định", "legislationDate": "2021-12-22",
				"legislationLegalForce": "https://schema.org/InForce"}, "UBND tỉnh Quảng Ngãi", "2021-12-22"},
		{"procedure", "/thu-tuc-hanh-chinh/cong-bo-hop-chuan", "GovernmentService",
			map[string]any{"inLanguage": "vi"}, "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(tt.path)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", tt.path, w.Code)
			}
			page := w.Body.String()
			m := jsonLDRE.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("no JSON-LD")
			}
			var ld map[string]any
			if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
				t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
			}
			if ld["@context"] != "https://schema.org" || ld["@type"] != tt.typ {
				t.Errorf("@context %v @type %v, want %s", ld["@context"], ld["@type"], tt.typ)
			}
			if ld["url"] != feedBase+tt.path {
				t.Errorf("url %v", ld["url"])
			}
			id, _ := ld["@id"].(string)
			if !strings.HasPrefix(id, "tag:skhcn.quangngai.gov.vn,") {
				t.Errorf("@id %q is not the item's tag URI", id)
			}
			for k, v := range tt.fields {
				if ld[k] != v {
					t.Errorf("%s = %v, want %v", k, ld[k], v)
				}
			}
			switch tt.typ {
			case "NewsArticle":
				if ld["headline"] == nil || ld["author"] == nil || ld["datePublished"] == nil {
					t.Errorf("article lacks headline, author or datePublished: %v", ld)
				}
			case "Legislation":
				if p, _ := ld["legislationPassedBy"].(map[string]any); p["name"] != "UBND tỉnh Quảng Ngãi" {
					t.Errorf("legislationPassedBy %v", ld["legislationPassedBy"])
				}
			case "GovernmentService":
				if ld["identifier"] == nil || ld["provider"] == nil || ld["areaServed"] == nil || ld["serviceType"] == nil {
					t.Errorf("service lacks identifier, provider, areaServed or serviceType: %v", ld)
				}
			}
			metas, _ := meta(t, page)
			for _, k := range []string{"description", "og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale",
				"article:published_time", "DC.title", "DC.creator", "DC.date", "DC.description", "DC.publisher", "DC.identifier", "DC.language"} {
				if len(metas[k]) != 1 || metas[k][0] == "" {
					t.Errorf("meta %s = %q", k, metas[k])
				}
			}
			if metas["og:url"][0] != feedBase+tt.path || metas["DC.identifier"][0] != feedBase+tt.path || metas["og:type"][0] != "article" {
				t.Errorf("og:url %q DC.identifier %q og:type %q", metas["og:url"], metas["DC.identifier"], metas["og:type"])
			}
			if tt.creator != "" && metas["DC.creator"][0] != tt.creator {
				t.Errorf("DC.creator %q, want %q", metas["DC.creator"][0], tt.creator)
			}
			if tt.date != "" && metas["DC.date"][0] != tt.date {
				t.Errorf("DC.date %q, want %q", metas["DC.date"][0], tt.date)
			}
		})
	}
}

// TestHead: every page names its canonical URL, Dublin Core and the
// relevant feeds in its head.
func TestHead(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path  string
		feeds []string // besides the column's three
	}{
		{"/", nil},
		{"/tin-tuc/", []string{"/tin-tuc/rss.xml", "/tin-tuc/atom.xml", "/tin-tuc/feed.json"}},
		{"/van-ban/", []string{"/van-ban/rss.xml"}},
		{"/thu-tuc-hanh-chinh/", []string{"/thu-tuc-hanh-chinh/atom.xml"}},
		{"/chu-de/van-ban-chi-dao", []string{"/chu-de/van-ban-chi-dao/rss.xml", "/chu-de/van-ban-chi-dao/atom.xml", "/chu-de/van-ban-chi-dao/feed.json"}},
		{"/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", []string{"/tin-tuc/rss.xml"}},
		{"/theo-doi", nil},
		{"/chu-de/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := f.get(tt.path)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", tt.path, w.Code)
			}
			metas, links := meta(t, w.Body.String())
			alternates := map[string]string{}
			canonical := ""
			for _, l := range links {
				switch l["rel"] {
				case "alternate":
					alternates[l["href"]] = l["type"]
					if l["title"] == "" {
						t.Errorf("feed link %s has no title", l["href"])
					}
				case "canonical":
					canonical = l["href"]
				}
			}
			want := append([]string{"/rss.xml", "/atom.xml", "/feed.json"}, tt.feeds...)
			for _, href := range want {
				if alternates[href] == "" {
					t.Errorf("no <link rel=alternate> for %s (have %v)", href, alternates)
				}
			}
			if alternates["/rss.xml"] != "application/rss+xml" || alternates["/atom.xml"] != "application/atom+xml" || alternates["/feed.json"] != "application/feed+json" {
				t.Errorf("feed types %v", alternates)
			}
			if canonical != feedBase+tt.path {
				t.Errorf("canonical %q, want %q", canonical, feedBase+tt.path)
			}
			for _, k := range []string{"DC.title", "DC.publisher", "DC.language", "og:title"} {
				if len(metas[k]) != 1 {
					t.Errorf("meta %s = %q", k, metas[k])
				}
			}
		})
	}
}

// TestFollowPage: /theo-doi lists the address of every feed.
func TestFollowPage(t *testing.T) {
	f := newFixture(t)
	w := f.get("/theo-doi")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /theo-doi: %d", w.Code)
	}
	page := w.Body.String()
	want := []string{"/rss.xml", "/atom.xml", "/feed.json", "/tin-tuc/rss.xml", "/thu-tuc-hanh-chinh/atom.xml", "/van-ban/feed.json"}
	for _, u := range f.areaURLs() {
		want = append(want, u+"/rss.xml")
	}
	for _, p := range want {
		if !strings.Contains(page, ">"+feedBase+p+"</a>") {
			t.Errorf("/theo-doi does not show %s", feedBase+p)
		}
		if w := f.get(p); w.Code != http.StatusOK {
			t.Errorf("the address %s shown on /theo-doi answers %d", p, w.Code)
		}
	}
	if !strings.Contains(page, "Theo dõi chuyên mục") {
		t.Error("no Vietnamese heading")
	}
	if home := f.get("/").Body.String(); !strings.Contains(home, `href="/theo-doi"`) {
		t.Error("the footer does not link to /theo-doi")
	}
}

// TestConditionalPublic: every kind of public URL carries a strong ETag,
// answers If-None-Match with 304 (which beats If-Modified-Since), gzips on
// request and answers HEAD.
func TestConditionalPublic(t *testing.T) {
	f := newFixture(t)
	asset := regexp.MustCompile(`href="(/assets/style\.[0-9a-f]+\.css)"`).FindStringSubmatch(f.get("/").Body.String())
	if asset == nil {
		t.Fatal("no stylesheet on the home page")
	}
	targets := []struct {
		path         string
		lastModified bool
	}{
		{"/", true},
		{"/tin-tuc/", true},
		{"/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", true},
		{"/van-ban/1256-qd-ubnd", true},
		{"/chu-de/van-ban-chi-dao", true},
		{"/chu-de/", false},
		{"/rss.xml", true},
		{"/van-ban/atom.xml", true},
		{"/chu-de/van-ban-chi-dao/feed.json", true},
		{"/sitemap.xml", true},
		{"/robots.txt", false},
		{"/theo-doi", false},
		{asset[1], false},
		{"/favicon.svg", false},
	}
	for _, tt := range targets {
		t.Run(tt.path, func(t *testing.T) {
			w := f.get(tt.path)
			etag, lm := w.Header().Get("ETag"), w.Header().Get("Last-Modified")
			if w.Code != http.StatusOK || !regexp.MustCompile(`^"[0-9A-Za-z_-]{16}"$`).MatchString(etag) {
				t.Fatalf("GET: %d ETag %q", w.Code, etag)
			}
			if (lm != "") != tt.lastModified {
				t.Errorf("Last-Modified %q", lm)
			}
			if cc := w.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
				t.Errorf("Cache-Control %q", cc)
			}
			if r := f.get(tt.path, "If-None-Match", etag); r.Code != http.StatusNotModified || r.Body.Len() != 0 {
				t.Errorf("If-None-Match: %d with %d bytes", r.Code, r.Body.Len())
			}
			if lm != "" {
				if r := f.get(tt.path, "If-Modified-Since", lm); r.Code != http.StatusNotModified {
					t.Errorf("If-Modified-Since alone: %d", r.Code)
				}
				if r := f.get(tt.path, "If-None-Match", `"stale"`, "If-Modified-Since", lm); r.Code != http.StatusOK {
					t.Errorf("mismatching If-None-Match with matching If-Modified-Since: %d, want 200", r.Code)
				}
			}
			z := f.get(tt.path, "Accept-Encoding", "gzip")
			if isText := !strings.HasPrefix(w.Header().Get("Content-Type"), "image/png"); isText {
				if !strings.Contains(z.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("Vary %q", z.Header().Get("Vary"))
				}
				if w.Body.Len() >= 512 {
					if z.Header().Get("Content-Encoding") != "gzip" {
						t.Fatalf("not gzipped")
					}
					zr, err := gzip.NewReader(z.Body)
					if err != nil {
						t.Fatal(err)
					}
					plain, err := io.ReadAll(zr)
					if err != nil || !bytes.Equal(plain, w.Body.Bytes()) {
						t.Errorf("gunzipped body differs (%v)", err)
					}
				}
			}
			head := testsupport.Do(f.h, http.MethodHead, tt.path)
			if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != etag ||
				head.Header().Get("Content-Length") != w.Header().Get("Content-Length") {
				t.Errorf("HEAD: %d, %d bytes, ETag %q, Content-Length %q (GET %q)", head.Code, head.Body.Len(),
					head.Header().Get("ETag"), head.Header().Get("Content-Length"), w.Header().Get("Content-Length"))
			}
		})
	}
	// Errors get no validator and only a short life in caches.
	w := f.get("/tin-tuc/khong-co-bai-nay")
	if w.Code != http.StatusNotFound || w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("404: %d ETag %q Cache-Control %q", w.Code, w.Header().Get("ETag"), w.Header().Get("Cache-Control"))
	}
}

// TestStructuredDataEveryField: each field whose row of the table gives it
// a place in the JSON-LD is there, in the shape the row says, for an item
// of each kind with every field filled from its row's example.
func TestStructuredDataEveryField(t *testing.T) {
	f := newFixture(t)
	// Values the demo content already holds are changed, the draft is not.
	override := map[string]string{"number": "7777/QĐ-UBND", "code": `"1.009999"`, "draft": "false"}
	for _, k := range content.Kinds {
		var b strings.Builder
		b.WriteString("---\n")
		for _, fd := range content.Fields(k) {
			v := fd.Example
			if o, ok := override[fd.Name]; ok {
				v = o
			}
			b.WriteString(fd.Name + ": " + v + "\n")
		}
		b.WriteString("---\nThân bài.\n")
		mustWrite(t, filepath.Join(f.dir, k.Dir(), "moi-truong.md"), b.String())
	}
	f.importContent()
	for _, k := range content.Kinds {
		t.Run(string(k), func(t *testing.T) {
			w := f.get(content.URL(k, "mot-duong-dan"))
			if w.Code != http.StatusOK {
				t.Fatalf("GET: %d", w.Code)
			}
			m := jsonLDRE.FindStringSubmatch(w.Body.String())
			var ld map[string]any
			if m == nil || json.Unmarshal([]byte(m[1]), &ld) != nil {
				t.Fatal("no JSON-LD")
			}
			if ld["@type"] != k.Info().LDType {
				t.Errorf("@type %v", ld["@type"])
			}
			for _, fd := range content.Fields(k) {
				if fd.LD.Prop == "" {
					continue
				}
				v, ok := ld[fd.LD.Prop]
				if !ok {
					t.Errorf("%s: no %s", fd.Name, fd.LD.Prop)
					continue
				}
				if fd.LD.Type != "" {
					obj, _ := v.(map[string]any)
					if obj["@type"] != fd.LD.Type || obj[cmp.Or(fd.LD.Key, "name")] == nil {
						t.Errorf("%s: %s = %v, want a %s", fd.Name, fd.LD.Prop, v, fd.LD.Type)
					}
				} else if s, _ := v.(string); fd.Type == content.TypeDate && len(s) != len("2006-01-02") {
					t.Errorf("%s: %s = %v, want a day", fd.Name, fd.LD.Prop, v)
				}
			}
		})
	}
}
