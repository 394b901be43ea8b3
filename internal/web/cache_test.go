package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

var (
	pageBody = []byte("<!DOCTYPE html><title>Cải cách hành chính</title>" + strings.Repeat("<p>Thủ tục hành chính.</p>", 100))
	modified = time.Date(2022, 3, 20, 1, 0, 0, 0, time.UTC)
)

// cacheRouter serves a page with Last-Modified, a page without, a 404, a
// handler that picks its own Cache-Control, a tiny body and a 500.
func cacheRouter() *gin.Engine {
	render := func(c *gin.Context, status int, msg string) { c.Data(status, "text/html; charset=utf-8", []byte(msg)) }
	e := Engine(slog.New(slog.DiscardHandler), render)
	before := GETPaths(e)
	g := e.Group("", Cache(DefaultCachePolicy))
	g.GET("/page", func(c *gin.Context) {
		SetLastModified(c, modified)
		c.Data(http.StatusOK, "text/html; charset=utf-8", pageBody)
	})
	g.GET("/plain", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", pageBody) })
	g.GET("/missing", func(c *gin.Context) { render(c, http.StatusNotFound, strings.Repeat("Không tìm thấy. ", 100)) })
	g.GET("/asset", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
		c.Data(http.StatusOK, "image/png", []byte("\x89PNG fake"))
	})
	g.GET("/tiny", func(c *gin.Context) { c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok")) })
	g.GET("/broken", Wrap(slog.New(slog.DiscardHandler), render, func(c *gin.Context) error { return io.ErrUnexpectedEOF }))
	AddHEAD(e, g, before)
	return e
}

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestCacheConditional(t *testing.T) {
	h := cacheRouter()
	first := do(h, http.MethodGet, "/page")
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || len(etag) != 18 || etag[0] != '"' {
		t.Fatalf("first GET: %d ETag %q", first.Code, etag)
	}
	lm := modified.Format(http.TimeFormat)
	if got := first.Header().Get("Last-Modified"); got != lm {
		t.Errorf("Last-Modified %q, want %q", got, lm)
	}
	if got := first.Header().Get("Cache-Control"); got != "public, max-age=300, stale-while-revalidate=86400, stale-if-error=604800" {
		t.Errorf("Cache-Control %q", got)
	}
	later := modified.Add(time.Hour).Format(http.TimeFormat)
	earlier := modified.Add(-time.Hour).Format(http.TimeFormat)
	tests := []struct {
		name   string
		header []string
		status int
	}{
		{"no validators", nil, http.StatusOK},
		{"matching If-None-Match", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"weak form matches too", []string{"If-None-Match", "W/" + etag}, http.StatusNotModified},
		{"one of a list", []string{"If-None-Match", `"abc", ` + etag}, http.StatusNotModified},
		{"star", []string{"If-None-Match", "*"}, http.StatusNotModified},
		{"mismatching If-None-Match", []string{"If-None-Match", `"0000"`}, http.StatusOK},
		{"If-Modified-Since the same second", []string{"If-Modified-Since", lm}, http.StatusNotModified},
		{"If-Modified-Since later", []string{"If-Modified-Since", later}, http.StatusNotModified},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", earlier}, http.StatusOK},
		{"If-Modified-Since unreadable", []string{"If-Modified-Since", "yesterday"}, http.StatusOK},
		{"If-None-Match wins over a matching If-Modified-Since", []string{"If-None-Match", `"0000"`, "If-Modified-Since", later}, http.StatusOK},
		{"matching If-None-Match wins over an old If-Modified-Since", []string{"If-None-Match", etag, "If-Modified-Since", earlier}, http.StatusNotModified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, http.MethodGet, "/page", tt.header...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if w.Header().Get("ETag") != etag {
				t.Errorf("ETag %q, want %q", w.Header().Get("ETag"), etag)
			}
			if tt.status == http.StatusNotModified {
				if w.Body.Len() != 0 || w.Header().Get("Content-Type") != "" {
					t.Errorf("304 with body %d bytes, Content-Type %q", w.Body.Len(), w.Header().Get("Content-Type"))
				}
				if w.Header().Get("Cache-Control") == "" || w.Header().Get("Last-Modified") == "" {
					t.Error("304 without Cache-Control or Last-Modified")
				}
			} else if !bytes.Equal(w.Body.Bytes(), pageBody) {
				t.Error("200 with a different body")
			}
		})
	}
	// Without Last-Modified, If-Modified-Since alone never gives 304.
	if w := do(h, http.MethodGet, "/plain", "If-Modified-Since", later); w.Code != http.StatusOK || w.Header().Get("Last-Modified") != "" {
		t.Errorf("no Last-Modified: %d, Last-Modified %q", w.Code, w.Header().Get("Last-Modified"))
	}
}

func TestCacheGzip(t *testing.T) {
	h := cacheRouter()
	plain := do(h, http.MethodGet, "/page")
	tests := []struct {
		name, accept string
		gz           bool
	}{
		{"none", "", false},
		{"gzip", "gzip", true},
		{"list", "br, gzip, deflate", true},
		{"quality", "gzip;q=0.5, identity", true},
		{"refused", "gzip;q=0", false},
		{"star", "*", true},
		{"star but not gzip", "*, gzip;q=0", false},
		{"identity only", "identity", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, http.MethodGet, "/page", "Accept-Encoding", tt.accept)
			if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", w.Header().Get("Vary"))
			}
			got, n := w.Body.Bytes(), w.Body.Len()
			if tt.gz {
				if w.Header().Get("Content-Encoding") != "gzip" {
					t.Fatalf("Content-Encoding %q", w.Header().Get("Content-Encoding"))
				}
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if w.Header().Get("ETag") == plain.Header().Get("ETag") {
					t.Error("the gzipped body has the identity body's strong ETag")
				}
				if w.Header().Get("Content-Length") != strconv.Itoa(n) {
					t.Errorf("Content-Length %q for %d bytes", w.Header().Get("Content-Length"), n)
				}
			} else if w.Header().Get("Content-Encoding") != "" {
				t.Errorf("Content-Encoding %q", w.Header().Get("Content-Encoding"))
			}
			if !bytes.Equal(got, pageBody) {
				t.Error("body differs from the page")
			}
		})
	}
	// Either representation's tag revalidates.
	gz := do(h, http.MethodGet, "/page", "Accept-Encoding", "gzip")
	for _, tag := range []string{gz.Header().Get("ETag"), plain.Header().Get("ETag")} {
		if w := do(h, http.MethodGet, "/page", "Accept-Encoding", "gzip", "If-None-Match", tag); w.Code != http.StatusNotModified {
			t.Errorf("If-None-Match %s: %d", tag, w.Code)
		}
	}
	// The same body always compresses to the same bytes.
	if again := do(h, http.MethodGet, "/page", "Accept-Encoding", "gzip"); !bytes.Equal(again.Body.Bytes(), gz.Body.Bytes()) {
		t.Error("gzip output differs between two requests")
	}
	// Small bodies and binary types are left alone.
	for _, target := range []string{"/tiny", "/asset"} {
		if w := do(h, http.MethodGet, target, "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s compressed", target)
		}
	}
}

func TestCacheStatuses(t *testing.T) {
	h := cacheRouter()
	tests := []struct {
		target, cacheControl string
		status               int
		etag                 bool
	}{
		{"/missing", "public, max-age=60", http.StatusNotFound, false},
		{"/broken", "no-store", http.StatusInternalServerError, false},
		{"/nowhere", "", http.StatusNotFound, false}, // outside the public group
		{"/asset", "public, max-age=31536000, immutable", http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			w := do(h, http.MethodGet, tt.target, "If-None-Match", "*")
			if tt.etag {
				if w.Code != http.StatusNotModified {
					t.Errorf("status %d, want 304", w.Code)
				}
				w = do(h, http.MethodGet, tt.target)
			}
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if got := w.Header().Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control %q, want %q", got, tt.cacheControl)
			}
			if (w.Header().Get("ETag") != "") != tt.etag {
				t.Errorf("ETag %q", w.Header().Get("ETag"))
			}
		})
	}
}

func TestCacheHEAD(t *testing.T) {
	h := cacheRouter()
	for _, accept := range []string{"", "gzip"} {
		get := do(h, http.MethodGet, "/page", "Accept-Encoding", accept)
		head := do(h, http.MethodHead, "/page", "Accept-Encoding", accept)
		if head.Code != http.StatusOK || head.Body.Len() != 0 {
			t.Fatalf("HEAD (%q): %d with %d bytes", accept, head.Code, head.Body.Len())
		}
		for _, k := range []string{"ETag", "Last-Modified", "Content-Length", "Content-Type", "Content-Encoding", "Cache-Control"} {
			if head.Header().Get(k) != get.Header().Get(k) {
				t.Errorf("HEAD (%q) %s %q, GET %q", accept, k, head.Header().Get(k), get.Header().Get(k))
			}
		}
	}
	if w := do(h, http.MethodHead, "/page", "If-None-Match", do(h, http.MethodGet, "/page").Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("conditional HEAD: %d", w.Code)
	}
}

// FuzzConditional feeds arbitrary request headers to the header parsers:
// they must never panic, and If-None-Match with the page's own tag must
// always match.
func FuzzConditional(f *testing.F) {
	f.Add(`"abc"`, "gzip;q=0.8, br", "Sun, 20 Mar 2022 01:00:00 GMT")
	f.Add("*", "*;q=0", "")
	f.Add(`W/"x", "y"`, "gzip;q=abc", "not a date")
	f.Fuzz(func(t *testing.T, inm, accept, ims string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("If-None-Match", inm)
		r.Header.Set("If-Modified-Since", ims)
		notModified(r, modified.Format(http.TimeFormat), `"tag"`)
		acceptsGzip([]string{accept})
		if !etagMatch([]string{inm + `, "tag"`}, []string{`"tag"`}) {
			t.Errorf("%q does not match its own tag", inm+`, "tag"`)
		}
	})
}

func BenchmarkCache(b *testing.B) {
	h := cacheRouter()
	for _, accept := range []string{"", "gzip"} {
		b.Run("accept="+accept, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/page", nil)
			r.Header.Set("Accept-Encoding", accept)
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
