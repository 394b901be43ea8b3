package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// pageServer counts how often its handler runs.
type pageServer struct {
	engine *gin.Engine
	pc     *PageCache
	runs   int
	body   string
	clock  time.Time
}

func newPageServer(maxBytes int64) *pageServer {
	gin.SetMode(gin.ReleaseMode)
	ps := &pageServer{body: strings.Repeat("Cải cách hành chính. ", 100), clock: time.Date(2022, 6, 1, 8, 0, 0, 0, time.UTC)}
	ps.pc = NewPageCache(maxBytes, func() time.Time { return ps.clock })
	ps.engine = gin.New()
	ps.engine.Use(func(c *gin.Context) { c.Header("X-Content-Type-Options", "nosniff"); c.Next() })
	g := ps.engine.Group("", CachePages(DefaultCachePolicy, ps.pc))
	g.GET("/p/:n", func(c *gin.Context) {
		ps.runs++
		SetLastModified(c, time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC))
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(c.Param("n")+ps.body))
	})
	// As ErrorPage.Send answers: the page, then Abort.
	g.GET("/missing", func(c *gin.Context) {
		ps.runs++
		c.Data(http.StatusNotFound, "text/html", []byte("không có"))
		c.Abort()
	})
	g.GET("/broken", func(c *gin.Context) { ps.runs++; c.Data(http.StatusInternalServerError, "text/html", []byte("lỗi")) })
	g.GET("/big", func(c *gin.Context) {
		ps.runs++
		c.Data(http.StatusOK, "text/html", []byte(strings.Repeat("Đăng tải công khai thủ tục hành chính. ", int(maxBytes/8/40+1))))
	})
	return ps
}

func (ps *pageServer) get(t *testing.T, path string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	ps.engine.ServeHTTP(rec, req)
	return rec.Result()
}

func TestPageCacheServesHitsWithoutHandler(t *testing.T) {
	ps := newPageServer(1 << 20)
	first := ps.get(t, "/p/1")
	firstBody, _ := io.ReadAll(first.Body)
	second := ps.get(t, "/p/1")
	secondBody, _ := io.ReadAll(second.Body)
	if ps.runs != 1 {
		t.Fatalf("handler ran %d times for two requests, want 1", ps.runs)
	}
	if string(firstBody) != string(secondBody) || first.Header.Get("ETag") != second.Header.Get("ETag") || second.Header.Get("ETag") == "" {
		t.Fatalf("a hit differs from the miss: %q vs %q", first.Header.Get("ETag"), second.Header.Get("ETag"))
	}
	if second.Header.Get("Last-Modified") != "Sun, 01 May 2022 00:00:00 GMT" || second.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("hit headers: %v", second.Header)
	}
	// Conditional GET and gzip from the cache.
	if r := ps.get(t, "/p/1", "If-None-Match", second.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match on a hit: %d", r.StatusCode)
	}
	gz := ps.get(t, "/p/1", "Accept-Encoding", "gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || !strings.HasSuffix(gz.Header.Get("ETag"), `-gz"`) {
		t.Fatalf("gzip hit: %v", gz.Header)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != string(firstBody) {
		t.Error("gzipped hit does not inflate to the page")
	}
	if r := ps.get(t, "/p/1", "Accept-Encoding", "gzip", "If-None-Match", `"nope", `+first.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
		t.Errorf("plain tag must revalidate the gzipped hit: %d", r.StatusCode)
	}
	if ps.runs != 1 {
		t.Errorf("handler ran %d times, want 1", ps.runs)
	}
	// A 404 is cached like a page (a page past the end of a list costs
	// as much to find out), answered as a 404 without validators.
	ps.get(t, "/missing")
	again := ps.get(t, "/missing", "Accept-Encoding", "gzip")
	if ps.runs != 2 {
		t.Errorf("a 404 must be cached: handler ran %d times, want 2", ps.runs)
	}
	if again.StatusCode != http.StatusNotFound || again.Header.Get("ETag") != "" || again.Header.Get("Cache-Control") == "" {
		t.Errorf("cached 404: status %d, headers %v", again.StatusCode, again.Header)
	}
	if b, _ := io.ReadAll(again.Body); string(b) != "không có" {
		t.Errorf("cached 404 body %q", b)
	}
	// Other errors are never cached.
	ps.get(t, "/broken")
	ps.get(t, "/broken")
	if ps.runs != 4 {
		t.Errorf("a 500 must not be cached: handler ran %d times, want 4", ps.runs)
	}
	// Query strings are part of the key.
	ps.get(t, "/p/1?trang=2")
	if ps.runs != 5 {
		t.Errorf("a different query must miss: %d", ps.runs)
	}
	// A large answer (over an eighth of the cache) is cached too.
	ps.get(t, "/big")
	ps.get(t, "/big")
	if ps.runs != 6 {
		t.Errorf("a large answer must be cached: handler ran %d times, want 6", ps.runs)
	}
}

func TestPageCacheInvalidation(t *testing.T) {
	ps := newPageServer(1 << 20)
	ps.pc.Watch(1, time.Time{}, "2022-06-01")
	ps.get(t, "/p/1")
	steps := []struct {
		name   string
		change func()
		miss   bool
	}{
		{"nothing changed", func() {}, false},
		{"own commit", ps.pc.Invalidate, true},
		{"same version polled", func() { ps.pc.Watch(1, time.Time{}, "2022-06-01") }, false},
		{"another process wrote", func() { ps.pc.Watch(2, time.Time{}, "2022-06-01") }, true},
		{"a publication is scheduled", func() { ps.pc.Watch(2, ps.clock.Add(time.Hour), "2022-06-01") }, false},
		{"before its time", func() { ps.clock = ps.clock.Add(30 * time.Minute) }, false},
		{"its time came, before any poll", func() { ps.clock = ps.clock.Add(31 * time.Minute) }, true},
		{"a new day", func() { ps.pc.Watch(2, time.Time{}, "2022-06-02") }, true},
	}
	for _, st := range steps {
		before := ps.runs
		st.change()
		ps.get(t, "/p/1")
		if missed := ps.runs > before; missed != st.miss {
			t.Errorf("%s: handler ran = %v, want %v", st.name, missed, st.miss)
		}
	}
}

func TestPageCacheIsBounded(t *testing.T) {
	ps := newPageServer(64 << 10)
	for i := range 100 {
		ps.get(t, "/p/"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	_, _, size := ps.pc.Stats()
	if size > 64<<10 {
		t.Fatalf("cache holds %d bytes, over its 64 KiB bound", size)
	}
	// The most recent page is still there; the oldest is gone.
	runs := ps.runs
	ps.get(t, "/p/"+strings.Repeat("x", 99%7)+string(rune('a'+99%26))+string(rune('a'+99/26)))
	if ps.runs != runs {
		t.Error("the most recently used page was evicted")
	}
	ps.get(t, "/p/aa")
	if ps.runs != runs+1 {
		t.Error("the least recently used page was kept past the bound")
	}
}

// TestPageCacheQueriesKeepToTheirShare: pages with a query string nobody
// reads (?x=1, ?x=2, …) cost their sender nothing; however many, they
// hold at most a quarter of the cache and never push out the pages of
// bare paths beyond that share. The pages of bare paths still evict one
// another (least recently used first) and use what the queries leave.
func TestPageCacheQueriesKeepToTheirShare(t *testing.T) {
	const max = 256 << 10
	ps := newPageServer(max)
	page := func(i int) string { return "/p/" + strconv.Itoa(i) }
	// About 2.6 KB a page (body, gzip, key, 512): 60 pages, 160 KB.
	for i := range 60 {
		ps.get(t, page(i))
	}
	runs := ps.runs
	for i := range 2000 {
		ps.get(t, page(i%60)+"?x="+strconv.Itoa(i))
	}
	if ps.runs != runs+2000 {
		t.Fatalf("made-up query strings: %d renders, want 2000", ps.runs-runs)
	}
	_, _, size := ps.pc.Stats()
	if size > max {
		t.Fatalf("cache holds %d bytes, past %d", size, max)
	}
	runs = ps.runs
	for i := range 60 {
		ps.get(t, page(i))
	}
	if ps.runs != runs {
		t.Errorf("%d of 60 pages of bare paths were pushed out by 2000 query strings", ps.runs-runs)
	}
	// A recent page with a query is still there.
	runs = ps.runs
	ps.get(t, page(1999%60)+"?x=1999")
	if ps.runs != runs {
		t.Error("the most recent page with a query was evicted")
	}
	// Bare paths alone still fill the cache and evict each other.
	for i := range 400 {
		ps.get(t, page(1000+i))
	}
	_, _, size = ps.pc.Stats()
	if size > max || size < max/2 {
		t.Errorf("400 bare paths: cache holds %d bytes, want between %d and %d", size, max/2, max)
	}
	runs = ps.runs
	ps.get(t, page(0))
	if ps.runs != runs+1 {
		t.Error("the least recently used bare path was kept past the bound")
	}
}

// TestPageCacheRendersOnceUnderConcurrentMisses: after an invalidation many
// requests for the same page arrive at once; one renders, the rest wait
// and get its page.
func TestPageCacheRendersOnceUnderConcurrentMisses(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	pc := NewPageCache(1<<20, nil)
	release := make(chan struct{})
	var runs atomic.Int32
	e := gin.New()
	g := e.Group("", CachePages(DefaultCachePolicy, pc))
	g.GET("/cham", func(c *gin.Context) {
		runs.Add(1)
		<-release
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("trang chậm"))
	})
	var wg sync.WaitGroup
	codes := make([]int, 16)
	for i := range codes {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cham", nil))
			codes[i] = rec.Code
		})
	}
	time.Sleep(50 * time.Millisecond) // let them all arrive
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("the page was rendered %d times for 16 concurrent requests, want 1", n)
	}
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d: %d", i, c)
		}
	}
}

// TestPageCacheBoundsRendersAtOnce: 64 requests at once for 64 different
// pages (a query string each) are all answered, but never more than
// RendersAtOnce of them are being made at one time; one whose client has
// gone while it waited is not made at all.
func TestPageCacheBoundsRendersAtOnce(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	pc := NewPageCache(1<<20, nil)
	var running, peak, runs atomic.Int32
	e := gin.New()
	e.Group("", CachePages(DefaultCachePolicy, pc)).GET("/p", func(c *gin.Context) {
		runs.Add(1)
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(strings.Repeat("trang ", 200)))
	})
	const n = 64
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/p?x="+strconv.Itoa(i), nil))
			codes[i] = rec.Code
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d: %d", i, c)
		}
	}
	if p, limit := int(peak.Load()), RendersAtOnce(); p > limit || p < 2 {
		t.Errorf("%d pages made at once, want 2 to %d", p, limit)
	}

	// Every turn taken: a request whose client goes away while it waits
	// is dropped unmade.
	for range pc.renders.Size() {
		pc.renders.Take(nil)
	}
	runs.Store(0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/p?x=cho", nil).WithContext(ctx))
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a request waiting for a turn did not end with its client")
	}
	if runs.Load() != 0 {
		t.Error("a request whose client had gone was still made")
	}
}

// TestDerivedGoesWithThePages: a value kept with the pages (a
// directory's facet counts) is dropped by everything that drops them,
// a value computed while they were dropped is not kept, and the values
// are bounded in number.
func TestDerivedGoesWithThePages(t *testing.T) {
	ps := newPageServer(1 << 20)
	pc := ps.pc
	pc.Watch(1, time.Time{}, "2022-06-01")
	steps := []struct {
		name   string
		change func()
		kept   bool
	}{
		{"nothing changed", func() {}, true},
		{"own commit", pc.Invalidate, false},
		{"same version polled", func() { pc.Watch(1, time.Time{}, "2022-06-01") }, true},
		{"another process wrote", func() { pc.Watch(2, time.Time{}, "2022-06-01") }, false},
		{"a publication is scheduled", func() { pc.Watch(2, ps.clock.Add(time.Hour), "2022-06-01") }, true},
		{"its time came, before any poll", func() { ps.clock = ps.clock.Add(61 * time.Minute) }, false},
		{"a new day", func() { pc.Watch(2, time.Time{}, "2022-06-02") }, false},
	}
	for _, st := range steps {
		gen := pc.Generation()
		pc.KeepDerived("k", st.name, gen)
		st.change()
		v := pc.Derived("k", pc.Generation())
		if kept := v == st.name; kept != st.kept {
			t.Errorf("%s: value kept = %v (%v), want %v", st.name, kept, v, st.kept)
		}
	}
	// Computed in a generation that ended before it was kept: not kept,
	// whether a commit or a scheduled time ended it.
	gen := pc.Generation()
	pc.Invalidate()
	pc.KeepDerived("k", "old", gen)
	if v := pc.Derived("k", pc.Generation()); v != nil {
		t.Errorf("a value computed before the pages were dropped was kept: %v", v)
	}
	pc.Watch(3, ps.clock.Add(time.Hour), "2022-06-02")
	gen = pc.Generation()
	ps.clock = ps.clock.Add(2 * time.Hour) // the time came while the value was computed
	pc.KeepDerived("k", "before its time", gen)
	if v := pc.Derived("k", pc.Generation()); v != nil {
		t.Errorf("a value computed across a scheduled time was kept: %v", v)
	}
	// Asked with an older generation than the one kept: nothing.
	gen = pc.Generation()
	pc.KeepDerived("k", "now", gen)
	if v := pc.Derived("k", gen-1); v != nil {
		t.Errorf("a value given for an older generation: %v", v)
	}
	// Bounded: past maxDerived keys, the map never grows.
	for i := range 3 * maxDerived {
		pc.KeepDerived(strconv.Itoa(i), i, pc.Generation())
		if n := len(pc.derived); n > maxDerived {
			t.Fatalf("%d values kept, bound %d", n, maxDerived)
		}
	}
	// A Site without a page cache keeps nothing, and says so.
	var none *PageCache
	none.KeepDerived("k", 1, none.Generation())
	if v := none.Derived("k", 0); v != nil {
		t.Errorf("a nil cache kept %v", v)
	}
}

// TestPageCacheResistsACrawl: a crawl (many pages of bare paths, each
// asked for once) evicts other pages asked for once, never a page asked
// for again since it was stored, while those fit in half of the cache;
// past that half the least recently used of them go back among the
// others, and the bound on the cache's bytes holds throughout.
func TestPageCacheResistsACrawl(t *testing.T) {
	const max = 256 << 10 // about 2.6 KB a page: a crawl of 1,000 is ten times the cache
	ps := newPageServer(max)
	visited := []string{"/p/trang-chu", "/p/van-ban", "/p/so-do-1", "/p/so-do-2"}
	for range 2 {
		for _, p := range visited {
			ps.get(t, p)
		}
		ps.clock = ps.clock.Add(askedAgainAfter) // readers come back later
	}
	once := "/p/mot-lan" // stored, never asked for again
	ps.get(t, once)
	// The crawler asks for each page twice at once (a HEAD then a GET):
	// that is not a reader coming back.
	for i := range 1000 {
		ps.get(t, "/p/"+strconv.Itoa(i))
		ps.get(t, "/p/"+strconv.Itoa(i))
		if _, _, size := ps.pc.Stats(); size > max {
			t.Fatalf("after %d crawled pages the cache holds %d bytes, over %d", i+1, size, max)
		}
	}
	runs := ps.runs
	for _, p := range visited {
		ps.get(t, p)
	}
	if ps.runs != runs {
		t.Errorf("the crawl pushed out %d of the %d pages asked for again", ps.runs-runs, len(visited))
	}
	ps.get(t, once)
	if ps.runs != runs+1 {
		t.Error("a page asked for once outlived a crawl ten times the cache")
	}
	// More pages asked for again than half the cache holds: the least
	// recently used of them go back among the others, and the crawl can
	// then push them out.
	for b := 0; b < 120; b += 30 { // 120 pages, about 310 KB, more than half of 256 KiB
		for i := b; i < b+30; i++ {
			ps.get(t, "/p/lai-"+strconv.Itoa(i))
		}
		ps.clock = ps.clock.Add(askedAgainAfter)
		for i := b; i < b+30; i++ {
			ps.get(t, "/p/lai-"+strconv.Itoa(i))
		}
	}
	if ps.pc.ksize > max/2 {
		t.Errorf("the pages asked for again hold %d bytes, over half the cache (%d)", ps.pc.ksize, max/2)
	}
	for i := range 1000 {
		ps.get(t, "/p/"+strconv.Itoa(1000+i))
	}
	runs = ps.runs
	ps.get(t, "/p/lai-0")
	if ps.runs != runs+1 {
		t.Error("the least recently used of too many pages asked for again was never let go")
	}
	ps.get(t, "/p/lai-119")
	if ps.runs != runs+1 {
		t.Error("the most recently used page asked for again did not outlive the crawl")
	}
}

// TestPageCacheKeepsALargePage: a page of a bare path larger than what the
// pages asked for again and the queries leave is still kept (the pages
// asked for once go first, never the page just stored), so that it can be
// asked for again from the cache.
func TestPageCacheKeepsALargePage(t *testing.T) {
	pc := NewPageCache(1<<20, nil)
	page := func(key string, n int) *cachedPage {
		return &cachedPage{key: key, status: http.StatusOK, body: []byte(strings.Repeat("x", n))}
	}
	gen := pc.gen
	for i := range 9 { // asked for again: about half of the cache
		k := "/k" + strconv.Itoa(i)
		pc.put(page(k, 56<<10), gen)
		pc.pages[k].Value.(*cachedPage).stored = time.Time{} // stored long ago
		pc.get(k)
	}
	for i := range 8 { // the queries' quarter, full
		pc.put(page("/q?x="+strconv.Itoa(i), 31<<10), gen)
	}
	for i := range 5 {
		pc.put(page("/o"+strconv.Itoa(i), 10<<10), gen)
	}
	pc.put(page("/sitemap.xml", 300<<10), gen) // under half of the cache
	if p, _ := pc.get("/sitemap.xml"); p == nil {
		t.Errorf("the large page was not kept (%d pages asked for once left)", pc.order.Len())
	}
	if pc.size > pc.maxBytes {
		t.Errorf("the cache holds %d bytes, over %d", pc.size, pc.maxBytes)
	}
}

// sitemapLike is a body shaped as a sitemap part of n URLs (8.3 MB for
// 50,000; a real part at 100,000 items is 8.5 MB), about as compressible
// as the real one, each line its own.
func sitemapLike(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<urlset>\n")
	for i := range n {
		fmt.Fprintf(&b, "<url><loc>https://cchc.example.vn/van-ban/quyet-dinh-%d-qd-ubnd-ve-viec-cong-bo-danh-muc-thu-tuc-hanh-chinh</loc><lastmod>2026-%02d-%02dT08:00:00+07:00</lastmod></url>\n", i, 1+i%12, 1+i%28)
	}
	b.WriteString("</urlset>\n")
	return []byte(b.String())
}

// A large page is kept gzipped only, and inflated for a client that takes
// no gzip: the same bytes, length and validator as if both were kept.
func TestPageCacheKeepsLargePagesGzipped(t *testing.T) {
	ps := newPageServer(32 << 20)
	large := sitemapLike(20000) // about 2.3 MB: past gzipKeptBestUpTo too
	if len(large) <= gzipKeptBestUpTo {
		t.Fatalf("the large page is %d bytes, not past %d", len(large), gzipKeptBestUpTo)
	}
	g := ps.engine.Group("", CachePages(DefaultCachePolicy, ps.pc))
	sitemap := func(c *gin.Context) {
		ps.runs++
		c.Data(http.StatusOK, "application/xml; charset=utf-8", large)
	}
	g.GET("/sitemap-1.xml", sitemap)
	g.HEAD("/sitemap-1.xml", sitemap)
	first := ps.get(t, "/sitemap-1.xml", "Accept-Encoding", "gzip")
	zr, err := gzip.NewReader(first.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, large) {
		t.Fatalf("the gzipped miss inflates to %d bytes, want the %d made", len(got), len(large))
	}
	if _, _, size := ps.pc.Stats(); size > int64(len(large))/8 {
		t.Errorf("the cache holds %d bytes for a page of %d: its plain body was kept", size, len(large))
	}
	plain := ps.get(t, "/sitemap-1.xml")
	body, _ := io.ReadAll(plain.Body)
	if ps.runs != 1 {
		t.Fatalf("the handler ran %d times, want once", ps.runs)
	}
	if !bytes.Equal(body, large) || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("the plain hit is %d bytes (encoding %q), want the %d made", len(body), plain.Header.Get("Content-Encoding"), len(large))
	}
	if cl := plain.Header.Get("Content-Length"); cl != strconv.Itoa(len(large)) {
		t.Errorf("Content-Length %s, want %d", cl, len(large))
	}
	if tag := plain.Header.Get("ETag"); tag != entityTag(large) {
		t.Errorf("ETag %s, want the plain body's %s", tag, entityTag(large))
	}
	req := httptest.NewRequest(http.MethodHead, "/sitemap-1.xml", nil)
	rec := httptest.NewRecorder()
	ps.engine.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != strconv.Itoa(len(large)) {
		t.Errorf("HEAD: %d, %d bytes of body, Content-Length %s", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	if r := ps.get(t, "/sitemap-1.xml", "If-None-Match", entityTag(large)); r.StatusCode != http.StatusNotModified {
		t.Errorf("a current plain copy: %d, want 304", r.StatusCode)
	}
	// A page of the column keeps both forms: no inflating per answer.
	ps.get(t, "/p/1")
	for _, el := range ps.pc.pages {
		if p := el.Value.(*cachedPage); strings.HasSuffix(p.key, "/p/1") && (p.body == nil || p.gz == nil) {
			t.Errorf("a %d-byte page kept body %t, gzip %t", p.plainLen, p.body != nil, p.gz != nil)
		}
	}
}

// The two sitemap parts of a 100,000-item column, asked for again, outlive
// a crawl of the item pages: kept gzipped they fit, with the pages people
// come back to, in the half of the cache kept for those.
func TestPageCacheKeepsSitemapPartsThroughACrawl(t *testing.T) {
	ps := newPageServer(32 << 20)
	parts := map[string][]byte{"/sitemap-1.xml": sitemapLike(50000), "/sitemap-2.xml": sitemapLike(50001)}
	g := ps.engine.Group("", CachePages(DefaultCachePolicy, ps.pc))
	g.GET("/:part", func(c *gin.Context) {
		ps.runs++
		body, ok := parts["/"+c.Param("part")]
		if !ok {
			c.Data(http.StatusNotFound, "text/plain", nil)
			c.Abort()
			return
		}
		c.Data(http.StatusOK, "application/xml; charset=utf-8", body)
	})
	page := strings.Repeat("Thủ tục hành chính thuộc thẩm quyền giải quyết. ", 800) // about 40 KB, as an item page
	g.GET("/muc/:n", func(c *gin.Context) {
		ps.runs++
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(c.Param("n")+page))
	})
	for range 2 {
		for p := range parts {
			ps.get(t, p, "Accept-Encoding", "gzip")
		}
		ps.clock = ps.clock.Add(askedAgainAfter)
	}
	for i := range 2500 {
		ps.get(t, "/muc/"+strconv.Itoa(i), "Accept-Encoding", "gzip")
	}
	runs := ps.runs
	for p := range parts {
		ps.get(t, p, "Accept-Encoding", "gzip")
	}
	if ps.runs != runs {
		t.Errorf("the crawl pushed out %d of the 2 sitemap parts", ps.runs-runs)
	}
}

// TestPageCacheKeepsTurnsForPages: requests with a query string (searches,
// filters, which anyone can vary without end) hold at most half of the
// turns to render; a page of the column asked for meanwhile is made at
// once, and another query waits for one of theirs.
func TestPageCacheKeepsTurnsForPages(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	pc := NewPageCache(1<<20, nil)
	release := make(chan struct{})
	var started, made atomic.Int32
	e := gin.New()
	g := e.Group("", CachePages(DefaultCachePolicy, pc))
	g.GET("/tim-kiem", func(c *gin.Context) {
		started.Add(1)
		<-release
		made.Add(1)
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("kết quả "+c.Query("q")))
	})
	g.GET("/tin-tuc/:slug", func(c *gin.Context) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("bài "+c.Param("slug")))
	})
	queryTurns := pc.queryRenders.Size()
	if queryTurns < 1 || queryTurns > RendersAtOnce()/2+1 || queryTurns >= RendersAtOnce() {
		t.Fatalf("%d turns for queries of %d", queryTurns, RendersAtOnce())
	}
	var wg sync.WaitGroup
	for i := range queryTurns + 3 { // a burst of distinct searches, more than their turns
		wg.Go(func() {
			e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/tim-kiem?q="+strconv.Itoa(i), nil))
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for int(started.Load()) < queryTurns && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the others, had they a turn, would start now
	if n := int(started.Load()); n != queryTurns {
		t.Errorf("%d searches being made at once, want %d", n, queryTurns)
	}
	answered := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tin-tuc/cai-cach", nil))
		answered <- rec.Code
	}()
	select {
	case code := <-answered:
		if code != http.StatusOK {
			t.Errorf("the article during the burst: %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Error("the article waited for the searches' turns")
	}
	close(release)
	wg.Wait()
	if n := int(made.Load()); n != queryTurns+3 {
		t.Errorf("%d searches made, want %d", n, queryTurns+3)
	}
}
