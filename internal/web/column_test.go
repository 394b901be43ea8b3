package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
)

const testBase = "https://cchc.example.gov.vn"

func testAgencies() []agency.Agency {
	return []agency.Agency{
		{ID: 1, Slug: "so-khcn", Name: "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"},
		{ID: 2, Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", Prefix: "/so-tu-phap"},
		{ID: 3, Slug: "so-tai-chinh", Name: "Sở Tài chính tỉnh Quảng Ngãi", Host: "stc.example.gov.vn"},
	}
}

func testColumns(own func(ctx context.Context, id int64, docs []string) (map[string]bool, error)) (*Columns, *atomic.Int32) {
	var loads atomic.Int32
	cs := NewColumns(func(context.Context) ([]agency.Agency, error) {
		loads.Add(1)
		return testAgencies(), nil
	}, testBase+"/", nil, own)
	return cs, &loads
}

// TestColumnRewrite: a prefixed column's page moves the links into its
// column — path-absolute ones, absolute ones from the public base, the
// query-escaped ones of share links — and leaves what every column
// shares, another site's and another column's, and the shared registry's
// documents; a host column moves only absolute ones, to its host.
func TestColumnRewrite(t *testing.T) {
	cs, _ := testColumns(func(_ context.Context, id int64, docs []string) (map[string]bool, error) {
		own := map[string]bool{}
		for _, d := range docs {
			own[d] = id == 2 && d == "12-qd-stp"
		}
		return own, nil
	})
	ctx := t.Context()
	stp, _, _ := cs.Resolve(ctx, "cchc.example.gov.vn", "/so-tu-phap/")
	stc, _, _ := cs.Resolve(ctx, "stc.example.gov.vn", "/")
	root, _, _ := cs.Resolve(ctx, "cchc.example.gov.vn", "/tin-tuc/")
	if !root.Root() || stp.Root() || stc.Root() {
		t.Fatalf("root %+v, stp %+v, stc %+v", root, stp, stc)
	}
	for _, tt := range []struct{ in, stp, stc string }{
		{`<a href="/">`, `<a href="/so-tu-phap/">`, `<a href="/">`},
		{`<a href="/tin-tuc/">`, `<a href="/so-tu-phap/tin-tuc/">`, `<a href="/tin-tuc/">`},
		{`<a href='/chu-de/a-b/trang/2/'>`, `<a href='/so-tu-phap/chu-de/a-b/trang/2/'>`, `<a href='/chu-de/a-b/trang/2/'>`},
		{`<form action="/tim-kiem">`, `<form action="/so-tu-phap/tim-kiem">`, `<form action="/tim-kiem">`},
		{`href="/van-ban/"`, `href="/so-tu-phap/van-ban/"`, `href="/van-ban/"`},
		{`href="/van-ban/?loai=qd&amp;nam=2022"`, `href="/so-tu-phap/van-ban/?loai=qd&amp;nam=2022"`, `href="/van-ban/?loai=qd&amp;nam=2022"`},
		{`href="/van-ban/trang/2/"`, `href="/so-tu-phap/van-ban/trang/2/"`, `href="/van-ban/trang/2/"`},
		// The directory's own feeds are the column's, not the registry's.
		{`href="/van-ban/rss.xml" href="/van-ban/atom.xml" href="/van-ban/feed.json"`, `href="/so-tu-phap/van-ban/rss.xml" href="/so-tu-phap/van-ban/atom.xml" href="/so-tu-phap/van-ban/feed.json"`, `href="/van-ban/rss.xml" href="/van-ban/atom.xml" href="/van-ban/feed.json"`},
		{`<link>https://cchc.example.gov.vn/van-ban/rss.xml</link>`, `<link>https://cchc.example.gov.vn/so-tu-phap/van-ban/rss.xml</link>`, `<link>https://stc.example.gov.vn/van-ban/rss.xml</link>`},
		{`href="/van-ban/1256-qd-ubnd"`, `href="/van-ban/1256-qd-ubnd"`, `href="https://cchc.example.gov.vn/van-ban/1256-qd-ubnd"`},
		{`href="/van-ban/12-qd-stp"`, `href="/so-tu-phap/van-ban/12-qd-stp"`, `href="https://cchc.example.gov.vn/van-ban/12-qd-stp"`},
		{`href="/van-ban/1256-qd-ubnd#dieu-2"`, `href="/van-ban/1256-qd-ubnd#dieu-2"`, `href="https://cchc.example.gov.vn/van-ban/1256-qd-ubnd#dieu-2"`},
		{`<link href="/assets/style.1a2b.css"><img src="/tep/ab.png">`, `<link href="/assets/style.1a2b.css"><img src="/tep/ab.png">`, `<link href="/assets/style.1a2b.css"><img src="/tep/ab.png">`},
		{`<a href="/quan-tri/">`, `<a href="/quan-tri/">`, `<a href="/quan-tri/">`},
		{`<a href="/so-tu-phap/tin-tuc/">`, `<a href="/so-tu-phap/tin-tuc/">`, `<a href="/so-tu-phap/tin-tuc/">`},
		{`<a href="//cdn.example/x">`, `<a href="//cdn.example/x">`, `<a href="//cdn.example/x">`},
		{`<a href="/favicon.svg">`, `<a href="/favicon.svg">`, `<a href="/favicon.svg">`},
		{`<form action="/toan-tinh/tim-kiem">`, `<form action="/toan-tinh/tim-kiem">`, `<form action="https://cchc.example.gov.vn/toan-tinh/tim-kiem">`},
		{`<loc>https://cchc.example.gov.vn/toan-tinh/rss.xml</loc>`, `<loc>https://cchc.example.gov.vn/toan-tinh/rss.xml</loc>`, `<loc>https://cchc.example.gov.vn/toan-tinh/rss.xml</loc>`},
		{`<a href="/sitemap-2.xml">`, `<a href="/so-tu-phap/sitemap-2.xml">`, `<a href="/sitemap-2.xml">`},
		{`<loc>https://cchc.example.gov.vn/tin-tuc/a</loc>`, `<loc>https://cchc.example.gov.vn/so-tu-phap/tin-tuc/a</loc>`, `<loc>https://stc.example.gov.vn/tin-tuc/a</loc>`},
		{"Sitemap: https://cchc.example.gov.vn/sitemap.xml\n", "Sitemap: https://cchc.example.gov.vn/so-tu-phap/sitemap.xml\n", "Sitemap: https://stc.example.gov.vn/sitemap.xml\n"},
		{`"url":"https://cchc.example.gov.vn/"`, `"url":"https://cchc.example.gov.vn/so-tu-phap/"`, `"url":"https://stc.example.gov.vn/"`},
		{`https://cchc.example.gov.vn/tep/a.pdf https://cchc.example.gov.vn/van-ban/1-qd`, `https://cchc.example.gov.vn/tep/a.pdf https://cchc.example.gov.vn/van-ban/1-qd`, `https://cchc.example.gov.vn/tep/a.pdf https://cchc.example.gov.vn/van-ban/1-qd`},
		{`u=https%3A%2F%2Fcchc.example.gov.vn%2Ftin-tuc%2Fa"`, `u=https%3A%2F%2Fcchc.example.gov.vn%2Fso-tu-phap%2Ftin-tuc%2Fa"`, `u=https%3A%2F%2Fstc.example.gov.vn%2Ftin-tuc%2Fa"`},
		{`u=https%3A%2F%2Fcchc.example.gov.vn%2Ftep%2Fa.png"`, `u=https%3A%2F%2Fcchc.example.gov.vn%2Ftep%2Fa.png"`, `u=https%3A%2F%2Fcchc.example.gov.vn%2Ftep%2Fa.png"`},
		{`https://cchc.example.gov.vnx/tin-tuc/ https://other.example/tin-tuc/`, `https://cchc.example.gov.vnx/tin-tuc/ https://other.example/tin-tuc/`, `https://cchc.example.gov.vnx/tin-tuc/ https://other.example/tin-tuc/`},
		{`text with "quotes" and /tin-tuc/ bare`, `text with "quotes" and /tin-tuc/ bare`, `text with "quotes" and /tin-tuc/ bare`},
		{`"/`, `"/so-tu-phap/`, `"/`},
		{`"`, `"`, `"`},
		{``, ``, ``},
	} {
		if got := string(stp.Rewrite([]byte(tt.in))); got != tt.stp {
			t.Errorf("prefix column: %s\n got %s\nwant %s", tt.in, got, tt.stp)
		}
		if got := string(stc.Rewrite([]byte(tt.in))); got != tt.stc {
			t.Errorf("host column: %s\n got %s\nwant %s", tt.in, got, tt.stc)
		}
		if got := string(root.Rewrite([]byte(tt.in))); got != tt.in {
			t.Errorf("root column changed %s to %s", tt.in, got)
		}
		// Twice is once: a rewritten page is never moved again.
		if got := string(stp.Rewrite(stp.Rewrite([]byte(tt.in)))); got != tt.stp {
			t.Errorf("prefix column twice: %s\n got %s", tt.in, got)
		}
		if got := string(stc.Rewrite(stc.Rewrite([]byte(tt.in)))); got != tt.stc {
			t.Errorf("host column twice: %s\n got %s", tt.in, got)
		}
	}
	if got := stp.RewriteString("/tin-tuc/?trang=2"); got != "/so-tu-phap/tin-tuc/?trang=2" {
		t.Errorf("RewriteString: %s", got)
	}
}

// TestColumnsResolve: the host wins, then the prefix (cut off, the path
// left routed), then the root column; the prefix alone and a shared
// segment under it are not cut.
func TestColumnsResolve(t *testing.T) {
	cs, loads := testColumns(nil)
	ctx := t.Context()
	for _, tt := range []struct {
		host, path string
		id         int64
		rest       string
		cut        bool
	}{
		{"cchc.example.gov.vn", "/", 1, "/", false},
		{"cchc.example.gov.vn", "/tin-tuc/a", 1, "/tin-tuc/a", false},
		{"cchc.example.gov.vn", "/so-tu-phap/", 2, "/", true},
		{"cchc.example.gov.vn", "/so-tu-phap/tin-tuc/a", 2, "/tin-tuc/a", true},
		{"cchc.example.gov.vn", "/so-tu-phap/sitemap-1.xml", 2, "/sitemap-1.xml", true},
		{"cchc.example.gov.vn", "/so-tu-phap", 2, "/so-tu-phap", false},
		{"cchc.example.gov.vn", "/so-tu-phap/quan-tri/", 2, "/so-tu-phap/quan-tri/", false},
		{"cchc.example.gov.vn", "/so-tu-phap/assets/x.css", 2, "/so-tu-phap/assets/x.css", false},
		{"cchc.example.gov.vn", "/so-tu-phap/toan-tinh/tim-kiem", 2, "/so-tu-phap/toan-tinh/tim-kiem", false},
		{"cchc.example.gov.vn", "/so-tu-phap/khong-co", 2, "/so-tu-phap/khong-co", false},
		{"cchc.example.gov.vn", "/so-tu-phapx/", 1, "/so-tu-phapx/", false},
		{"cchc.example.gov.vn", "/So-Tu-Phap/", 1, "/So-Tu-Phap/", false},
		{"stc.example.gov.vn", "/tin-tuc/", 3, "/tin-tuc/", false},
		{"stc.example.gov.vn", "/so-tu-phap/", 3, "/so-tu-phap/", false},
		{"", "/so-tu-phap/", 2, "/", true},
	} {
		col, rest, cut := cs.Resolve(ctx, tt.host, tt.path)
		if col.Agency.ID != tt.id || rest != tt.rest || cut != tt.cut {
			t.Errorf("%s %s: agency %d, %q, cut %v; want %d, %q, %v", tt.host, tt.path, col.Agency.ID, rest, cut, tt.id, tt.rest, tt.cut)
		}
	}
	if n := loads.Load(); n != 1 {
		t.Errorf("the agencies were read %d times, want once", n)
	}
	cs.Watch(5)
	cs.Resolve(ctx, "", "/")
	cs.Watch(5)
	cs.Resolve(ctx, "", "/")
	cs.Invalidate()
	cs.Resolve(ctx, "", "/")
	if n := loads.Load(); n != 3 {
		t.Errorf("after a version move and an invalidation the agencies were read %d times in all, want 3", n)
	}
}

// TestColumnsStoreDown: when the agencies cannot be read the request is
// the root column's, not an error.
func TestColumnsStoreDown(t *testing.T) {
	cs := NewColumns(func(context.Context) ([]agency.Agency, error) { return nil, errors.New("disk gone") }, testBase, nil, nil)
	col, rest, cut := cs.Resolve(t.Context(), "", "/so-tu-phap/")
	if !col.Root() || rest != "/so-tu-phap/" || cut {
		t.Errorf("%+v %q %v", col, rest, cut)
	}
}

// TestFrontColumns: through the front, a prefixed request is routed
// without its prefix and its context acts for its agency, a redirect
// (gin's trailing slash, a handler's) leads into the column, an agency's
// host is admitted besides the allowed ones and a forged one refused.
func TestFrontColumns(t *testing.T) {
	cs, _ := testColumns(nil)
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.RedirectTrailingSlash = true
	e.GET("/tin-tuc/", func(c *gin.Context) {
		ctx := c.Request.Context()
		c.String(http.StatusOK, "%d %s %v", agency.IDFrom(ctx), c.Request.URL.Path, ColumnFrom(ctx).Root())
	})
	e.GET("/quan-tri/", func(c *gin.Context) {
		c.String(http.StatusOK, "%d %v", agency.IDFrom(c.Request.Context()), ColumnFrom(c.Request.Context()).Root())
	})
	e.GET("/theo-doi", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/tin-tuc/") })
	f := NewFront(e, nil, []string{"cchc.example.gov.vn"})
	f.SetColumns(cs)
	get := func(host, path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = host
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		return rec
	}
	for _, tt := range []struct{ host, path, want, location string }{
		{"cchc.example.gov.vn", "/tin-tuc/", "1 /tin-tuc/ true", ""},
		{"cchc.example.gov.vn", "/so-tu-phap/tin-tuc/", "2 /tin-tuc/ false", ""},
		{"stc.example.gov.vn", "/tin-tuc/", "3 /tin-tuc/ false", ""},
		{"stc.example.gov.vn:8443", "/tin-tuc/", "3 /tin-tuc/ false", ""},
		{"stc.example.gov.vn", "/quan-tri/", "1 true", ""},
		{"cchc.example.gov.vn", "/quan-tri/", "1 true", ""},
		{"cchc.example.gov.vn", "/so-tu-phap/tin-tuc", "", "/so-tu-phap/tin-tuc/"},
		{"cchc.example.gov.vn", "/so-tu-phap/theo-doi", "", "/so-tu-phap/tin-tuc/"},
		{"cchc.example.gov.vn", "/so-tu-phap", "", "/so-tu-phap/"},
		{"cchc.example.gov.vn", "/so-tu-phap?a=1", "", "/so-tu-phap/?a=1"},
		{"cchc.example.gov.vn", "/tin-tuc", "", "/tin-tuc/"},
		{"stc.example.gov.vn", "/theo-doi", "", "/tin-tuc/"},
	} {
		rec := get(tt.host, tt.path)
		if tt.location != "" {
			if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != tt.location {
				t.Errorf("%s%s: %d to %q, want 301 to %q", tt.host, tt.path, rec.Code, rec.Header().Get("Location"), tt.location)
			}
			continue
		}
		if rec.Code != http.StatusOK || rec.Body.String() != tt.want {
			t.Errorf("%s%s: %d %q, want %q", tt.host, tt.path, rec.Code, rec.Body.String(), tt.want)
		}
	}
	for _, host := range []string{"evil.example", "stc.example.gov.vn.evil.example", "so-tu-phap", "stc.example.gov.vn@evil"} {
		if rec := get(host, "/so-tu-phap/tin-tuc/"); rec.Code != http.StatusMisdirectedRequest || strings.Contains(rec.Body.String(), "tin-tuc") {
			t.Errorf("Host %s: %d %q, want 421", host, rec.Code, rec.Body.String())
		}
	}
	if rec := get("cchc.example.gov.vn", "/so-tu-phap/quan-tri/"); rec.Code != http.StatusNotFound {
		t.Errorf("the workspace under a prefix: %d, want 404", rec.Code)
	}
}

// TestColumnRewriteHostile: bodies made to cost — every byte a quote or
// the public base's first letter, thousands of links to documents, a
// base cut short — are rewritten in one pass: 4 MiB of each within 2 s
// on a slow shared machine (a linear pass takes milliseconds; a
// quadratic one would take minutes; the race detector's slowdown
// widens the bound), and the document lookups come in chunks, not one
// per link.
func TestColumnRewriteHostile(t *testing.T) {
	var lookups atomic.Int32
	cs, _ := testColumns(func(_ context.Context, _ int64, docs []string) (map[string]bool, error) {
		lookups.Add(1)
		return map[string]bool{}, nil
	})
	stp, _, _ := cs.Resolve(t.Context(), "", "/so-tu-phap/")
	const size = 4 << 20
	var docs strings.Builder
	for i := 0; docs.Len() < size; i++ {
		docs.WriteString(`<a href="/van-ban/` + strings.Repeat("x", i%50) + `-` + string(rune('a'+i%26)) + `">`)
	}
	for name, body := range map[string]string{
		"quotes":    strings.Repeat(`"/`, size/2),
		"letters":   strings.Repeat("h", size),
		"base cut":  strings.Repeat(testBase[:len(testBase)-1], size/len(testBase)),
		"links":     strings.Repeat(`<a href="/tin-tuc/a">`, size/21),
		"documents": docs.String(),
	} {
		lookups.Store(0)
		start := time.Now()
		out := stp.Rewrite([]byte(body))
		took := time.Since(start)
		if took > 2*time.Second*raceSlowdown {
			t.Errorf("%s: %v for %d bytes", name, took, len(body))
		}
		if len(out) < len(body) {
			t.Errorf("%s: %d bytes out of %d", name, len(out), len(body))
		}
		if n := lookups.Load(); n > 1 {
			t.Errorf("%s: %d document lookups, want one a body", name, n)
		}
		t.Logf("%s: %d bytes in %v", name, len(body), took)
	}
}

// BenchmarkFrontRoot is the cost the resolver adds to a request of the
// root column: go test ./internal/web -bench FrontRoot -run XXX.
func BenchmarkFrontRoot(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/tin-tuc/", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	plain := NewFront(e, nil, []string{"cchc.example.gov.vn"})
	cs, _ := testColumns(nil)
	resolving := NewFront(e, nil, []string{"cchc.example.gov.vn"})
	resolving.SetColumns(cs)
	for name, f := range map[string]*Front{"without columns": plain, "with columns": resolving} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/tin-tuc/", nil)
			req.Host = "cchc.example.gov.vn"
			b.ReportAllocs()
			for b.Loop() {
				f.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// TestColumnsHref: an item of another agency is linked where its column
// answers, in a form Rewrite leaves as it is.
func TestColumnsHref(t *testing.T) {
	cs, _ := testColumns(nil)
	ctx := t.Context()
	in := func(host, path string) context.Context {
		col, _, _ := cs.Resolve(ctx, host, path)
		return WithColumn(ctx, col)
	}
	root, stp, stc := ctx, in("cchc.example.gov.vn", "/so-tu-phap/"), in("stc.example.gov.vn", "/")
	for _, tt := range []struct {
		ctx  context.Context
		from string
		id   int64
		want string
	}{
		{root, "root", 1, "/tin-tuc/a"},
		{root, "root", 2, "/so-tu-phap/tin-tuc/a"},
		{root, "root", 3, "https://stc.example.gov.vn/tin-tuc/a"},
		{root, "root", 9, "/tin-tuc/a"},
		{stp, "prefix", 1, "//cchc.example.gov.vn/tin-tuc/a"},
		{stp, "prefix", 2, "/tin-tuc/a"},
		{stp, "prefix", 3, "https://stc.example.gov.vn/tin-tuc/a"},
		{stc, "host", 1, "//cchc.example.gov.vn/tin-tuc/a"},
		{stc, "host", 2, "//cchc.example.gov.vn/so-tu-phap/tin-tuc/a"},
		{stc, "host", 3, "/tin-tuc/a"},
	} {
		got := cs.Href(tt.ctx, tt.id, "/tin-tuc/a")
		if got != tt.want {
			t.Errorf("from the %s column, agency %d: %s, want %s", tt.from, tt.id, got, tt.want)
		}
		// As the page is sent: the link ends where Href said, the own
		// agency's moved into the column.
		col := ColumnFrom(tt.ctx)
		sent := col.RewriteString(got)
		own := agency.IDFrom(tt.ctx) == tt.id
		if own {
			if sent != col.RewriteString("/tin-tuc/a") {
				t.Errorf("from the %s column, its own item: sent as %s", tt.from, sent)
			}
		} else if sent != got {
			t.Errorf("from the %s column, agency %d: %s sent as %s", tt.from, tt.id, got, sent)
		}
	}
	var none *Columns
	if got := none.Href(stp, 3, "/tin-tuc/a"); got != "/tin-tuc/a" {
		t.Errorf("no resolver: %s", got)
	}
}

// TestFrontRequestLog: the request log names the path the client sent —
// with the column's prefix Front cut off before routing — and the agency
// the request acted for, so that a line tells the columns apart.
func TestFrontRequestLog(t *testing.T) {
	cs, _ := testColumns(nil)
	var buf strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := Engine(log, func(c *gin.Context, status int, msg string) { c.String(status, msg) })
	e.GET("/tin-tuc/", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	e.GET("/tin-tuc/loi", Wrap(log, func(c *gin.Context, status int, msg string) { c.String(status, msg) },
		func(*gin.Context) error { return errors.New("boom") }))
	f := NewFront(e, nil, nil)
	f.SetColumns(cs)
	for _, tt := range []struct{ host, path, want string }{
		{"cchc.example.gov.vn", "/tin-tuc/", `path=/tin-tuc/ agency=1`},
		{"cchc.example.gov.vn", "/so-tu-phap/tin-tuc/", `path=/so-tu-phap/tin-tuc/ agency=2`},
		{"stc.example.gov.vn", "/tin-tuc/", `path=/tin-tuc/ agency=3`},
		{"cchc.example.gov.vn", "/so-tu-phap/tin-tuc/loi", `msg="request failed" path=/so-tu-phap/tin-tuc/loi`},
	} {
		mu.Lock()
		buf.Reset()
		mu.Unlock()
		req := httptest.NewRequest(http.MethodGet, tt.path, nil)
		req.Host = tt.host
		f.ServeHTTP(httptest.NewRecorder(), req)
		mu.Lock()
		got := buf.String()
		mu.Unlock()
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s%s: log %q, want %q in it", tt.host, tt.path, got, tt.want)
		}
	}
}

// lockedWriter serializes a log's writes to a builder.
type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// TestFrontProxyPrefix: behind a trusted proxy that mounts the site under
// a path (X-Forwarded-Prefix), a prefixed column's redirects carry both
// the proxy's path and the column's prefix; from an untrusted peer the
// header is ignored; a value that is not a plain path is not followed.
// Absolute links from a --base-url with a path carry both too.
func TestFrontProxyPrefix(t *testing.T) {
	cs, _ := testColumns(nil)
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.RedirectTrailingSlash = true
	e.GET("/tin-tuc/", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	e.GET("/theo-doi", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/tin-tuc/") })
	f := NewFront(e, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, nil)
	f.SetColumns(cs)
	for _, tt := range []struct{ peer, host, path, prefix, location string }{
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap/tin-tuc", "/cchc", "/cchc/so-tu-phap/tin-tuc/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap/tin-tuc?a=1", "/cchc/", "/cchc/so-tu-phap/tin-tuc/?a=1"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap", "/cchc", "/cchc/so-tu-phap/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap/tin-tuc", "/tin-tuc", "/tin-tuc/so-tu-phap/tin-tuc/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/tin-tuc", "/cchc", "/cchc/tin-tuc/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap/tin-tuc", "//evil.example/x\r\nSet-Cookie: a=1", "/so-tu-phap/tin-tuc/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap/tin-tuc", "/a/../../", "/so-tu-phap/tin-tuc/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap", "/%2F%2Fevil.example", "/so-tu-phap/"},
		{"10.0.0.5:1234", "cchc.example.gov.vn", "/so-tu-phap/theo-doi", "/cchc", "/so-tu-phap/tin-tuc/"},
		{"192.0.2.7:1234", "cchc.example.gov.vn", "/so-tu-phap/tin-tuc", "/attacker-prefix", "/so-tu-phap/tin-tuc/"},
		{"192.0.2.7:1234", "cchc.example.gov.vn", "/so-tu-phap", "/attacker-prefix", "/so-tu-phap/"},
	} {
		req := httptest.NewRequest(http.MethodGet, tt.path, nil)
		req.Host, req.RemoteAddr = tt.host, tt.peer
		req.Header.Set("X-Forwarded-Prefix", tt.prefix)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != tt.location {
			t.Errorf("%s %s%s, prefix %q: %d to %q, want 301 to %q", tt.peer, tt.host, tt.path, tt.prefix,
				rec.Code, rec.Header().Get("Location"), tt.location)
		}
	}
	mounted := NewColumns(func(context.Context) ([]agency.Agency, error) { return testAgencies(), nil },
		testBase+"/cchc", nil, nil)
	col, _, _ := mounted.Resolve(context.Background(), "cchc.example.gov.vn", "/so-tu-phap/tin-tuc/")
	got := string(col.Rewrite([]byte(`<a href="` + testBase + `/cchc/tin-tuc/x">`)))
	if want := `<a href="` + testBase + `/cchc/so-tu-phap/tin-tuc/x">`; got != want {
		t.Errorf("absolute link under a mounted base: %s, want %s", got, want)
	}
}
