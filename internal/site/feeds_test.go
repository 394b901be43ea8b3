package site_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/media"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/theme"
	"cchc/internal/web"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// feedBase is the --base-url of these tests, so that links and golden
// files do not depend on the test's host.
const feedBase = "https://skhcn.quangngai.gov.vn/cchc"

// attachment is the file of the test document, for its enclosure.
var attachment = bytes.Repeat([]byte("%PDF-1.4 test\n"), 100)

// testDocument is a document with an attached file, added to the demo
// content of these tests.
const testDocument = `---
number: 999/QĐ-SKHCN
type: Quyết định
issuer: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi
issued: 2022-05-02
title: Ban hành Quy chế thử nghiệm kênh tin của chuyên mục
file: tep-dinh-kem/999-qd-skhcn.pdf
areas: [II.1]
date: 2022-05-03
---
Quy chế quy định việc cung cấp tin qua RSS, Atom và JSON Feed.
`

// fixture is the real service over a copy of the demo content on disk,
// which tests may edit and import again.
type fixture struct {
	t   *testing.T
	env *app.Env
	dir string
	h   http.Handler
}

// newFixture imports the demo content plus testDocument with the fixed
// clock of this package and --base-url feedBase.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, testsupport.DemoRoot(t)); err != nil {
		t.Fatal(err)
	}
	// The embedded tree has Go files next to the content; keep only content.
	os.Remove(filepath.Join(dir, "embed.go"))
	mustWrite(t, filepath.Join(dir, "documents", "999-qd-skhcn.md"), testDocument)
	mustWrite(t, filepath.Join(dir, "tep-dinh-kem", "999-qd-skhcn.pdf"), string(attachment))
	cfg := config.Defaults
	cfg.Content = dir
	cfg.BaseURL = feedBase
	f := &fixture{t: t, env: testsupport.Open(t, cfg, func() time.Time { return clock }), dir: dir}
	f.importContent()
	f.h = testsupport.Handler(t, f.env)
	return f
}

func mustWrite(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) importContent() {
	f.t.Helper()
	testsupport.Import(f.t, f.env, os.DirFS(f.dir))
}

// edit rewrites a content file with fn and imports the content again.
func (f *fixture) edit(rel string, fn func(string) string) {
	f.t.Helper()
	name := filepath.Join(f.dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(name)
	if err != nil {
		f.t.Fatal(err)
	}
	after := fn(string(b))
	if after == string(b) {
		f.t.Fatalf("edit of %s changed nothing", rel)
	}
	mustWrite(f.t, name, after)
	f.importContent()
}

func (f *fixture) get(target string, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	return testsupport.Do(f.h, http.MethodGet, target, header...)
}

// serve sends one request with header given as name, value pairs.

// feed fetches and parses a feed as a reader would.
func (f *fixture) feed(target string) *gofeed.Feed {
	f.t.Helper()
	w := f.get(target)
	if w.Code != http.StatusOK {
		f.t.Fatalf("GET %s: %d", target, w.Code)
	}
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		f.t.Fatalf("GET %s: gofeed: %v", target, err)
	}
	return parsed
}

// public is what a feed of q should list: the store's public items,
// newest first, withdrawn left out.
func (f *fixture) public(q store.PublicQuery) []*store.Item {
	f.t.Helper()
	q.Now, q.Limit = clock, site.DefaultFeedEntries
	items, _, err := f.env.Store.PublicItems(f.t.Context(), q)
	if err != nil {
		f.t.Fatal(err)
	}
	return items
}

func (f *fixture) item(k content.Kind, slug string) *store.Item {
	f.t.Helper()
	it, err := f.env.Store.ItemBySlug(f.t.Context(), k, slug)
	if err != nil {
		f.t.Fatal(err)
	}
	return it
}

func (f *fixture) areaTitles() map[string]string {
	f.t.Helper()
	plans, err := f.env.Store.Plans(f.t.Context())
	if err != nil {
		f.t.Fatal(err)
	}
	m := map[string]string{}
	for _, p := range plans {
		for _, a := range p.Areas {
			if _, ok := m[a.ID]; !ok {
				m[a.ID] = a.Title
			}
		}
	}
	return m
}

// areaURLs are the public addresses of the areas, /chu-de/SLUG.
func (f *fixture) areaURLs() []string {
	f.t.Helper()
	plans, err := f.env.Store.Plans(f.t.Context())
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, p := range plans {
		for _, a := range p.Areas {
			if !slices.Contains(out, a.URL()) {
				out = append(out, a.URL())
			}
		}
	}
	return out
}

func guid(it *store.Item) string { return "tag:skhcn.quangngai.gov.vn," + it.UID }

// TestFeeds reads every feed — the column, each section, an area — in
// every format as a reader would, and checks each entry against the store.
func TestFeeds(t *testing.T) {
	f := newFixture(t)
	areas := f.areaTitles()
	type scope struct {
		name, dir string
		q         store.PublicQuery
	}
	scopes := []scope{
		{"column", "", store.PublicQuery{}},
		{"articles", "/tin-tuc", store.PublicQuery{Kind: content.Article}},
		{"procedures", "/thu-tuc-hanh-chinh", store.PublicQuery{Kind: content.Procedure}},
		{"documents", "/van-ban", store.PublicQuery{Kind: content.Document}},
		{"area II.1", "/chu-de/van-ban-chi-dao", store.PublicQuery{Area: "II.1"}},
		{"area II.2.a", "/chu-de/cong-tac-chi-dao-dieu-hanh", store.PublicQuery{Area: "II.2.a"}},
	}
	for _, sc := range scopes {
		want := f.public(sc.q)
		if len(want) == 0 {
			t.Fatalf("%s: no public items to test with", sc.name)
		}
		for _, format := range feed.Formats {
			t.Run(sc.name+"/"+string(format), func(t *testing.T) {
				target := sc.dir + "/" + format.FileName()
				w := f.get(target)
				if ct := w.Header().Get("Content-Type"); ct != format.ContentType() {
					t.Errorf("Content-Type %q, want %q", ct, format.ContentType())
				}
				got := f.feed(target)
				if got.Language != "vi" || got.Title == "" || !strings.HasPrefix(got.Link, feedBase+"/") {
					t.Errorf("feed language %q title %q link %q", got.Language, got.Title, got.Link)
				}
				if got.FeedLink != feedBase+target {
					t.Errorf("self link %q, want %q", got.FeedLink, feedBase+target)
				}
				if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(feed.Updated(want)) {
					t.Errorf("feed updated %v, want the newest entry's %v", got.UpdatedParsed, feed.Updated(want))
				}
				if len(got.Items) != len(want) {
					t.Fatalf("%d entries, want %d", len(got.Items), len(want))
				}
				for i, e := range got.Items {
					it := want[i]
					if e.GUID != guid(it) {
						t.Errorf("entry %d guid %q, want %q", i, e.GUID, guid(it))
					}
					if e.Link != feedBase+it.URL() {
						t.Errorf("entry %d link %q, want %q", i, e.Link, feedBase+it.URL())
					}
					title := it.Title
					if it.Kind == content.Document {
						title = it.Type + " số " + it.Number + ": " + it.Title
					}
					if e.Title != title {
						t.Errorf("entry %d title %q, want %q", i, e.Title, title)
					}
					if e.PublishedParsed == nil || !e.PublishedParsed.Equal(it.Published) {
						t.Errorf("entry %d published %v, want %v", i, e.PublishedParsed, it.Published)
					}
					if format != feed.RSS && (e.UpdatedParsed == nil || !e.UpdatedParsed.Equal(feed.EntryUpdated(it))) {
						t.Errorf("entry %d updated %v, want %v", i, e.UpdatedParsed, feed.EntryUpdated(it))
					}
					if it.HTML != "" && !strings.Contains(e.Content, "</") {
						t.Errorf("entry %d has no HTML content: %q", i, e.Content)
					}
					if strings.Contains(e.Content, `href="/`) || strings.Contains(e.Content, `src="/`) {
						t.Errorf("entry %d keeps a relative link: %s", i, e.Content)
					}
					if e.Description == "" {
						t.Errorf("entry %d has no summary", i)
					}
					author := it.Author
					if author == "" {
						author = feed.Publisher()
					}
					if len(e.Authors) == 0 || e.Authors[0].Name != author {
						t.Errorf("entry %d authors %v, want %q", i, e.Authors, author)
					}
					var cats []string
					for _, a := range it.Areas {
						cats = append(cats, areas[a])
					}
					if strings.Join(e.Categories, "|") != strings.Join(cats, "|") {
						t.Errorf("entry %d categories %q, want %q", i, e.Categories, cats)
					}
					if it.File != "" {
						if len(e.Enclosures) != 1 {
							t.Fatalf("entry %d (%s) enclosures %v", i, it.Slug, e.Enclosures)
						}
						enc := e.Enclosures[0]
						if enc.URL != feedBase+"/tep/"+media.Name(attachment, media.PDF) || enc.Type != "application/pdf" || enc.Length != strconv.Itoa(len(attachment)) {
							t.Errorf("entry %d enclosure %+v", i, enc)
						}
					} else if len(e.Enclosures) > 0 {
						t.Errorf("entry %d has enclosures %v", i, e.Enclosures)
					}
				}
				if i := slicesIndex(want, func(it *store.Item) bool { return it.Published.After(clock) }); i >= 0 {
					t.Errorf("a future item is listed: %s", want[i].Slug)
				}
			})
		}
	}
}

func slicesIndex(items []*store.Item, fn func(*store.Item) bool) int {
	for i, it := range items {
		if fn(it) {
			return i
		}
	}
	return -1
}

// TestFeedGolden compares the whole column's feeds and a search's with testdata/*.golden
// (go test -run TestFeedGolden -update rewrites them) and checks that the
// same content always gives the same bytes.
func TestFeedGolden(t *testing.T) {
	f := newFixture(t)
	other := newFixture(t)
	for _, ch := range []struct{ name, dir, query string }{
		{"column", "", ""},
		{"search", "/tim-kiem", "?q=iso+9001&loai=article"},
	} {
		for _, format := range feed.Formats {
			t.Run(ch.name+"/"+string(format), func(t *testing.T) {
				target := ch.dir + "/" + format.FileName() + ch.query
				got := f.get(target).Body.Bytes()
				if again := f.get(target).Body.Bytes(); !bytes.Equal(got, again) {
					t.Error("two requests give different bytes")
				}
				if fresh := other.get(target).Body.Bytes(); !bytes.Equal(got, fresh) {
					t.Error("the same content imported into another database gives different bytes")
				}
				golden := filepath.Join("testdata", ch.name+"-"+string(format)+".golden")
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s (run with -update if the change is intended)\n%s", target, golden, firstDiff(got, want))
				}
			})
		}
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + al[i] + "\nwant: " + bl[i]
		}
	}
	return "lengths differ: " + strconv.Itoa(len(al)) + " and " + strconv.Itoa(len(bl)) + " lines"
}

// entry finds the entry with id in a parsed feed.
func entry(t *testing.T, fd *gofeed.Feed, id string) *gofeed.Item {
	t.Helper()
	for _, e := range fd.Items {
		if e.GUID == id {
			return e
		}
	}
	return nil
}

// TestFeedIdentity: renaming an item (new slug and title) keeps its
// GUID; its old address answers 301; a minor edit does not move its
// updated time; a major update does.
func TestFeedIdentity(t *testing.T) {
	f := newFixture(t)
	const file = "articles/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022.md"
	before := f.item(content.Article, "so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022")
	id := guid(before)
	atomBefore := f.feed("/atom.xml")
	eBefore := entry(t, atomBefore, id)
	if eBefore == nil {
		t.Fatalf("no entry %s", id)
	}

	t.Run("minor edit", func(t *testing.T) {
		f.edit(file, func(s string) string { return s + "\nBổ sung một câu nhỏ cho rõ.\n" })
		got := f.feed("/atom.xml")
		e := entry(t, got, id)
		if e == nil {
			t.Fatal("entry gone after a minor edit")
		}
		if !strings.Contains(e.Content, "Bổ sung một câu nhỏ") {
			t.Error("the edit is not in the content")
		}
		if !e.UpdatedParsed.Equal(*eBefore.UpdatedParsed) {
			t.Errorf("a minor edit moved updated from %v to %v", eBefore.UpdatedParsed, e.UpdatedParsed)
		}
		if !got.UpdatedParsed.Equal(*atomBefore.UpdatedParsed) {
			t.Errorf("a minor edit moved the feed's date from %v to %v", atomBefore.UpdatedParsed, got.UpdatedParsed)
		}
	})

	t.Run("rename", func(t *testing.T) {
		f.edit(file, func(s string) string {
			s = strings.Replace(s, "\ntitle: ", "\nslug: ke-hoach-272-tuyen-truyen-cchc\ntitle: Đã đổi tên – ", 1)
			return s
		})
		after := f.item(content.Article, "ke-hoach-272-tuyen-truyen-cchc")
		if after.ID != before.ID || guid(after) != id {
			t.Fatalf("renaming changed identity: id %d→%d, guid %s→%s", before.ID, after.ID, id, guid(after))
		}
		for _, format := range feed.Formats {
			e := entry(t, f.feed("/"+format.FileName()), id)
			if e == nil {
				t.Errorf("%s: the renamed item lost its GUID %s", format, id)
				continue
			}
			if e.Link != feedBase+"/tin-tuc/ke-hoach-272-tuyen-truyen-cchc" || !strings.HasPrefix(e.Title, "Đã đổi tên – ") {
				t.Errorf("%s: renamed entry link %q title %q", format, e.Link, e.Title)
			}
		}
		w := f.get("/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022?trang=1")
		if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/tin-tuc/ke-hoach-272-tuyen-truyen-cchc?trang=1" {
			t.Errorf("old address: %d Location %q", w.Code, w.Header().Get("Location"))
		}
		if w := f.get("/tin-tuc/ke-hoach-272-tuyen-truyen-cchc"); w.Code != http.StatusOK {
			t.Errorf("new address: %d", w.Code)
		}
		if w := f.get("/tin-tuc/khong-co-bai-nay"); w.Code != http.StatusNotFound {
			t.Errorf("unknown slug: %d, want 404", w.Code)
		}
		// Renaming back makes the first slug live again, not a redirect.
		f.edit(file, func(s string) string {
			return strings.Replace(s, "slug: ke-hoach-272-tuyen-truyen-cchc\n", "slug: so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022\n", 1)
		})
		if w := f.get("/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022"); w.Code != http.StatusOK {
			t.Errorf("slug given back: %d, want 200", w.Code)
		}
		if w := f.get("/tin-tuc/ke-hoach-272-tuyen-truyen-cchc"); w.Code != http.StatusMovedPermanently ||
			w.Header().Get("Location") != "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022" {
			t.Errorf("second slug after renaming back: %d %q", w.Code, w.Header().Get("Location"))
		}
	})

	t.Run("major update", func(t *testing.T) {
		f.edit(file, func(s string) string {
			return strings.Replace(s, "\nupdated: 2022-03-25T16:00:00+07:00\n", "\nupdated: 2023-01-10T09:30:00+07:00\n", 1)
		})
		want := time.Date(2023, 1, 10, 9, 30, 0, 0, clock.Location())
		got := f.feed("/atom.xml")
		e := entry(t, got, id)
		if e == nil || e.UpdatedParsed == nil || !e.UpdatedParsed.Equal(want) {
			t.Fatalf("after a major update the entry is %+v", e)
		}
		if !e.PublishedParsed.Equal(*eBefore.PublishedParsed) {
			t.Errorf("published moved from %v to %v", eBefore.PublishedParsed, e.PublishedParsed)
		}
		if !got.UpdatedParsed.Equal(want) {
			t.Errorf("feed updated %v, want %v", got.UpdatedParsed, want)
		}
	})
}

// TestFeedWithdrawn: a withdrawn item leaves every feed and the sitemap,
// while its page stays online.
func TestFeedWithdrawn(t *testing.T) {
	f := newFixture(t)
	it := f.item(content.Document, "34-kh-ubnd")
	id := guid(it)
	for _, target := range []string{"/rss.xml", "/van-ban/atom.xml", "/chu-de/van-ban-chi-dao/feed.json"} {
		if entry(t, f.feed(target), id) == nil {
			t.Fatalf("%s does not list %s before the withdrawal", target, id)
		}
	}
	// The workflow is not part of this package: withdraw in one transaction.
	err := f.env.Store.Tx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE items SET status = 'withdrawn', withdrawn_reason = 'Thay thế' WHERE id = ?`, it.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/rss.xml", "/atom.xml", "/feed.json", "/van-ban/rss.xml", "/van-ban/atom.xml", "/chu-de/van-ban-chi-dao/feed.json"} {
		if entry(t, f.feed(target), id) != nil {
			t.Errorf("%s still lists the withdrawn %s", target, id)
		}
	}
	if w := f.get(it.URL()); w.Code != http.StatusOK {
		t.Errorf("withdrawn page: %d, want 200", w.Code)
	}
	if body := f.get("/sitemap.xml").Body.String(); strings.Contains(body, it.URL()+"<") {
		t.Error("the sitemap lists the withdrawn item")
	}
}

// TestFeedRoutes: unknown feed names and areas are 404, not a feed.
func TestFeedRoutes(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target string
		status int
	}{
		{"/chu-de/van-ban-chi-dao/rss.xml", http.StatusOK},
		{"/chu-de/van-ban-chi-dao/index.xml", http.StatusNotFound},
		{"/chu-de/II.9/rss.xml", http.StatusNotFound},
		{"/chu-de/van-ban-chi-dao/feed.json", http.StatusOK},
		{"/tin-tuc/feed.json", http.StatusOK},
		{"/tin-tuc/rss", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			if w := f.get(tt.target); w.Code != tt.status {
				t.Errorf("GET %s: %d, want %d", tt.target, w.Code, tt.status)
			}
		})
	}
}

// TestFeedEntries: --feed-entries bounds every feed, a search's too;
// without --base-url
// links start with the listen address (never the request's host) while
// ids keep the default host.
func TestFeedEntries(t *testing.T) {
	cfg := config.Defaults
	cfg.FeedEntries = 3
	h := newHandler(t, cfg)
	for _, format := range feed.Formats {
		for _, target := range []string{"/" + format.FileName(), "/tim-kiem/" + format.FileName() + "?q=cai+cach"} {
			w := testsupport.Do(h, http.MethodGet, "http://cchc.test"+target)
			got, err := gofeed.NewParser().Parse(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("%s: %v", target, err)
			}
			if len(got.Items) != 3 {
				t.Errorf("%s: %d entries, want 3", target, len(got.Items))
			}
			for _, e := range got.Items {
				if !strings.HasPrefix(e.Link, "http://127.0.0.1:8080/") || !strings.HasPrefix(e.GUID, "tag:skhcn.quangngai.gov.vn,") {
					t.Errorf("%s: link %q guid %q", target, e.Link, e.GUID)
				}
			}
		}
	}
}

// publicSite builds the public site alone over env with site.Config
// changes, for settings the app does not expose.
func publicSite(t *testing.T, env *app.Env, cfg site.Config) http.Handler {
	t.Helper()
	tfs, err := app.ThemeFS(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	th, err := theme.Load(tfs, site.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Theme, cfg.Now, cfg.BaseURL = env.Store, th, env.Now, env.Config.BaseURL
	if cfg.Search == nil {
		cfg.Search = env.Search
	}
	pub := site.New(cfg)
	r := web.Engine(env.Log, pub.RenderError)
	pub.Register(r)
	return r
}
