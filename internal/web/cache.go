package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// CachePolicy says how long browsers and shared caches (a CDN, nginx) may
// keep the public responses.
type CachePolicy struct {
	// MaxAge is how long a page or feed is fresh. Short, because a publish
	// must show within minutes; conditional GET makes the revalidation cheap.
	MaxAge time.Duration
	// StaleWhileRevalidate is how long a cache may keep serving a stale copy
	// while it revalidates in the background.
	StaleWhileRevalidate time.Duration
	// StaleIfError is how long a cache may serve a stale copy while the
	// origin fails.
	StaleIfError time.Duration
	// NotFoundMaxAge is how long a 404 or 410 may be kept: briefly, so a
	// page published a moment later is not hidden for long.
	NotFoundMaxAge time.Duration
	// MinGzip is the smallest body worth compressing.
	MinGzip int
}

// DefaultCachePolicy is the policy of the public site.
var DefaultCachePolicy = CachePolicy{
	MaxAge:               5 * time.Minute,
	StaleWhileRevalidate: 24 * time.Hour,
	StaleIfError:         7 * 24 * time.Hour,
	NotFoundMaxAge:       time.Minute,
	MinGzip:              512,
}

// CacheControl is the Cache-Control value for a fresh 200 answer.
func (p CachePolicy) CacheControl() string {
	return "public, max-age=" + seconds(p.MaxAge) +
		", stale-while-revalidate=" + seconds(p.StaleWhileRevalidate) +
		", stale-if-error=" + seconds(p.StaleIfError)
}

func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

// SetLastModified declares when what the response shows last changed; the
// Cache middleware sends it as Last-Modified and answers If-Modified-Since
// with it. A zero t sets nothing.
func SetLastModified(c *gin.Context, t time.Time) {
	if t.IsZero() {
		return
	}
	c.Header("Last-Modified", t.UTC().Format(http.TimeFormat))
}

// Cache is the conditional-GET and compression middleware of the public
// routes. It buffers the whole response (handlers render into a buffer
// anyway), gives a 200 a strong ETag made from a hash of its body, answers
// If-None-Match — or, only when that is absent, If-Modified-Since against
// the Last-Modified the handler set — with 304, sets Cache-Control
// (keeping one the handler chose), and gzips when the client accepts it.
// HEAD gets the headers of GET without the body.
func Cache(p CachePolicy) gin.HandlerFunc { return CachePages(p, nil) }

// CachePages is Cache with a page cache in front: a 200 answer to a GET
// without cookies is kept in pc (with its gzipped form) and later requests
// for the same path and query are answered from it, with the same
// validators, without running the handler. Responses that are not in pc
// are made at most RendersAtOnce at a time; the others wait their turn.
func CachePages(p CachePolicy, pc *PageCache) gin.HandlerFunc {
	return func(c *gin.Context) {
		m := c.Request.Method
		if m != http.MethodGet && m != http.MethodHead {
			c.Next()
			return
		}
		key := ""
		var gen uint64
		// A column other than the root's has pages of its own under the
		// same routes: its key starts with its prefix or host.
		col := ColumnFrom(c.Request.Context())
		if pc != nil && len(c.Request.URL.RawQuery) <= 512 {
			key = col.cacheKey() + c.Request.URL.Path
			if q := c.Request.URL.RawQuery; q != "" {
				key += "?" + q
			}
			var page *cachedPage
			if page, gen = pc.get(key); page != nil {
				p.serve(c, c.Writer, page)
				c.Abort()
				return
			}
			wait, done := pc.claim(key)
			if wait != nil {
				// Someone is rendering this page: wait (bounded by the
				// request) and serve theirs, or render it ourselves if it
				// was not stored (an error page, an invalidation).
				select {
				case <-wait:
				case <-c.Request.Context().Done():
					c.Abort()
					return
				}
				if page, gen = pc.get(key); page != nil {
					p.serve(c, c.Writer, page)
					c.Abort()
					return
				}
			} else {
				defer done()
			}
		}
		release := func() {}
		if pc != nil {
			// A miss: the response is made here, one of a bounded few. The
			// turn is given back once it is made, before it is sent, so a
			// client that reads slowly holds no one else up.
			var ok bool
			if release, ok = pc.turn(c.Request.Context().Done(), c.Request.URL.RawQuery != ""); !ok {
				c.Abort()
				return
			}
			defer release()
		}
		orig := c.Writer
		before := make(map[string]bool, len(orig.Header()))
		for k := range orig.Header() {
			before[k] = true
		}
		bw := &bufferedWriter{ResponseWriter: orig}
		c.Writer = bw
		defer func() { c.Writer = orig }()
		c.Next()
		release()
		c.Writer = orig
		if !col.Root() && rewritable(orig.Header().Get("Content-Type")) {
			// The page was written as the root column's: its links move
			// into the column before it is kept, tagged or sent.
			moved := col.RewriteFor(orig.Header().Get("Content-Type"), bw.buf.Bytes())
			bw.buf.Reset()
			bw.buf.Write(moved)
		}
		// An error page stops the chain (Abort) once it is written; a
		// 200 from an aborted chain is no page.
		if st := bw.Status(); key != "" && ((st == http.StatusOK && !c.IsAborted()) || st == http.StatusNotFound) && orig.Header().Get("Set-Cookie") == "" {
			page := p.newPage(key, st, orig.Header(), before, bw.buf.Bytes())
			pc.put(page, gen)
			p.serve(c, orig, page)
			return
		}
		p.finish(c, orig, bw)
	}
}

// newPage freezes a finished 200 or 404 response: the headers the
// handler set, the body, its gzipped form when worth it, and (for a 200)
// both validators.
func (p CachePolicy) newPage(key string, status int, h http.Header, before map[string]bool, body []byte) *cachedPage {
	page := &cachedPage{key: key, status: status, header: http.Header{}, plainLen: len(body)}
	for k, v := range h {
		if !before[k] {
			page.header[k] = append([]string(nil), v...)
		}
	}
	if status != http.StatusOK {
		// As finish answers errors: no validator, the error's caching.
		page.header.Del("ETag")
		page.header.Del("Last-Modified")
		if page.header.Get("Cache-Control") == "" {
			page.header.Set("Cache-Control", p.errorCacheControl(status))
		}
	}
	if page.header.Get("Cache-Control") == "" {
		page.header.Set("Cache-Control", p.CacheControl())
	}
	page.tag = entityTag(body)
	page.gzTag = page.tag[:len(page.tag)-1] + `-gz"`
	if isCompressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" && len(body) >= p.MinGzip {
		page.gz = gzipKept(body)
	}
	if page.gz == nil || len(body) <= plainKeptUpTo {
		page.body = append([]byte(nil), body...)
	}
	page.lastModified = page.header.Get("Last-Modified")
	return page
}

// entityTag is the strong validator of body: 96 bits of its SHA-256 in
// base64url, 16 characters. Every byte of headers counts: the answer of a
// typical page (its gzipped body about 3.5 KB) goes out in one write to
// the socket only while headers and body fit net/http's 4 KiB buffer;
// past it, in two (26 bytes fewer than the 128 bits in hex this was).
func entityTag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}

// serve answers from a frozen page: 304 when the client's copy is current,
// else the gzipped or plain body.
func (p CachePolicy) serve(c *gin.Context, w gin.ResponseWriter, page *cachedPage) {
	h := w.Header()
	for k, v := range page.header {
		h[k] = v
	}
	if isCompressible(page.header.Get("Content-Type")) {
		h.Add("Vary", "Accept-Encoding")
	}
	gz := page.gz != nil && acceptsGzip(c.Request.Header.Values("Accept-Encoding"))
	if page.status != http.StatusOK {
		page.send(c, w, gz)
		return
	}
	if gz {
		h.Set("ETag", page.gzTag)
	} else {
		h.Set("ETag", page.tag)
	}
	if notModified(c.Request, page.lastModified, page.tag, page.gzTag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		w.WriteHeaderNow()
		return
	}
	page.send(c, w, gz)
}

// send writes page's status and body, gzipped or plain. A large page
// kept only gzipped (plainKeptUpTo) is inflated as it is sent to a
// client that does not take gzip.
func (page *cachedPage) send(c *gin.Context, w gin.ResponseWriter, gz bool) {
	h := w.Header()
	body := page.body
	if gz {
		body = page.gz
		h.Set("Content-Encoding", "gzip")
	}
	n := len(body)
	if !gz {
		n = page.plainLen
	}
	h.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(page.status)
	if c.Request.Method == http.MethodHead {
		w.WriteHeaderNow()
		return
	}
	if gz || page.body != nil {
		_, _ = w.Write(body)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(page.gz))
	if err != nil {
		return // made by gzipKept: not reached
	}
	_, _ = io.Copy(w, zr)
}

func (p CachePolicy) finish(c *gin.Context, w gin.ResponseWriter, bw *bufferedWriter) {
	h := w.Header()
	status := bw.Status()
	body := bw.buf.Bytes()
	compressible := isCompressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == ""
	if compressible {
		h.Add("Vary", "Accept-Encoding")
	}
	gz := compressible && len(body) >= p.MinGzip && acceptsGzip(c.Request.Header.Values("Accept-Encoding"))

	if status != http.StatusOK {
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", p.errorCacheControl(status))
		}
		// Only a fresh 200 is worth a validator.
		h.Del("ETag")
		h.Del("Last-Modified")
		p.write(c, w, status, body, gz)
		return
	}

	tag := entityTag(body)
	// A strong validator names one representation: the gzipped bytes get
	// their own tag, and either tag revalidates (both carry the same content).
	gzTag := tag[:len(tag)-1] + `-gz"`
	if gz {
		h.Set("ETag", gzTag)
	} else {
		h.Set("ETag", tag)
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", p.CacheControl())
	}
	if notModified(c.Request, h.Get("Last-Modified"), tag, gzTag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		w.WriteHeaderNow()
		return
	}
	p.write(c, w, status, body, gz)
}

// write sends body, compressed when gz, with its length.
func (p CachePolicy) write(c *gin.Context, w gin.ResponseWriter, status int, body []byte, gz bool) {
	h := w.Header()
	if gz {
		zb := gzipBytes(body)
		body = zb.Bytes()
		defer gzipBuffers.Put(zb)
		h.Set("Content-Encoding", "gzip")
	}
	if status == http.StatusNoContent || status == http.StatusNotModified || (status >= 100 && status < 200) {
		w.WriteHeader(status)
		w.WriteHeaderNow()
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if c.Request.Method == http.MethodHead {
		w.WriteHeaderNow()
		return
	}
	_, _ = w.Write(body) // the client may have gone; nothing left to tell it
}

// errorCacheControl keeps non-200 answers out of caches or in them briefly:
// a redirect for a moved page is stable, a 404 may soon become a page, and
// an error must never be served from a cache.
func (p CachePolicy) errorCacheControl(status int) string {
	switch {
	case status == http.StatusMovedPermanently || status == http.StatusPermanentRedirect:
		return "public, max-age=" + seconds(p.MaxAge)
	case status == http.StatusNotFound || status == http.StatusGone:
		return "public, max-age=" + seconds(p.NotFoundMaxAge)
	}
	return "no-store"
}

// notModified applies RFC 9110 §13.2.2: If-None-Match when present decides
// alone; If-Modified-Since counts only without it.
func notModified(r *http.Request, lastModified string, tags ...string) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		return etagMatch(inm, tags)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || lastModified == "" {
		return false
	}
	since, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	lm, err := http.ParseTime(lastModified)
	if err != nil {
		return false
	}
	return !lm.After(since)
}

// etagMatch is the weak comparison If-None-Match uses: W/ is ignored.
func etagMatch(headers []string, tags []string) bool {
	for _, hv := range headers {
		for _, t := range strings.Split(hv, ",") {
			t = strings.TrimSpace(t)
			if t == "*" {
				return true
			}
			t = strings.TrimPrefix(t, "W/")
			for _, tag := range tags {
				if t == tag {
					return true
				}
			}
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a non-zero quality.
func acceptsGzip(headers []string) bool {
	star, gz := false, -1 // -1: gzip not named
	for _, hv := range headers {
		for _, part := range strings.Split(hv, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			ok := qualityNonZero(params)
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip":
				if ok {
					gz = 1
				} else if gz < 0 {
					gz = 0
				}
			case "*":
				star = ok
			}
		}
	}
	if gz >= 0 {
		return gz == 1
	}
	return star
}

func qualityNonZero(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.ToLower(strings.TrimSpace(k)) != "q" {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return true
}

func isCompressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	if strings.HasPrefix(ct, "text/") {
		return true
	}
	switch ct {
	case "application/xml", "application/rss+xml", "application/atom+xml", "application/json",
		"application/feed+json", "application/ld+json", "application/javascript", "image/svg+xml",
		"application/xhtml+xml":
		return true
	}
	return false
}

var (
	gzipWriters = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
		return w
	}}
	gzipBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// plainKeptUpTo is the largest body a cached page keeps beside its
// gzipped form. A larger one is kept gzipped only and inflated for the
// rare client that takes no gzip: a sitemap part of 50,000 URLs is 8.5 MB
// plain and 0.36 MB gzipped, and with both forms the two parts of a
// 100,000-item column did not fit, beside the home page and the
// directories, in the half of the cache kept for pages asked for again
// (PageCache.put): a crawl pushed them out. Inflating 8.5 MB takes about
// 6 ms, 0.65 ms for a feed of 420 KB; a page of the column (20–60 KB)
// keeps both forms.
const plainKeptUpTo = 128 << 10

// gzipKeptBestUpTo is the largest body gzipKept compresses at the best
// level: past it the default level is 2.4 times as fast for 6% more
// bytes (145 ms against 60 ms for a sitemap part of 8.5 MB, made again
// after every publication).
const gzipKeptBestUpTo = 1 << 20

// gzipKept compresses the body of a page kept in the cache, into a new
// slice: compressed once and sent many times, at the best level (a
// fraction of a millisecond more for a page, 1–2% fewer bytes on every
// answer) up to gzipKeptBestUpTo.
func gzipKept(b []byte) []byte {
	level := gzip.BestCompression
	if len(b) > gzipKeptBestUpTo {
		level = gzip.DefaultCompression
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, level) // a valid level: no error
	_, _ = zw.Write(b)                        // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	return buf.Bytes()
}

// gzipBytes compresses b. The gzip header carries no name or time, so the
// same body always gives the same bytes.
func gzipBytes(b []byte) *bytes.Buffer {
	buf := gzipBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(buf)
	_, _ = zw.Write(b) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	gzipWriters.Put(zw)
	return buf
}

// bufferedWriter holds a handler's response until Cache has looked at it.
// Headers go straight to the real writer's map; status and body wait.
type bufferedWriter struct {
	gin.ResponseWriter
	buf    bytes.Buffer
	status int
	sent   bool // the status is final, as after a real WriteHeaderNow
}

func (w *bufferedWriter) WriteHeader(code int) {
	if code > 0 && !w.sent {
		w.status = code
	}
}

func (w *bufferedWriter) WriteHeaderNow() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.sent = true
}

func (w *bufferedWriter) Write(b []byte) (int, error) {
	w.WriteHeaderNow()
	return w.buf.Write(b)
}

func (w *bufferedWriter) WriteString(s string) (int, error) {
	w.WriteHeaderNow()
	return w.buf.WriteString(s)
}

func (w *bufferedWriter) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

func (w *bufferedWriter) Size() int {
	if !w.sent {
		return -1
	}
	return w.buf.Len()
}

func (w *bufferedWriter) Written() bool { return w.sent }

// Flush does nothing: the response goes out whole, once Cache has it.
func (w *bufferedWriter) Flush() {}

// GETPaths is the set of paths e serves with GET now; AddHEAD takes it to
// tell the routes added since.
func GETPaths(e *gin.Engine) map[string]bool {
	m := map[string]bool{}
	for _, ri := range e.Routes() {
		if ri.Method == http.MethodGet {
			m[ri.Path] = true
		}
	}
	return m
}

// AddHEAD registers HEAD, through g (and so through its middleware), for
// every GET route of e not in before: gin does not answer HEAD by itself,
// and caches and link checkers use it.
func AddHEAD(e *gin.Engine, g gin.IRoutes, before map[string]bool) {
	heads := map[string]bool{}
	for _, ri := range e.Routes() {
		if ri.Method == http.MethodHead {
			heads[ri.Path] = true
		}
	}
	for _, ri := range e.Routes() {
		if ri.Method == http.MethodGet && !before[ri.Path] && !heads[ri.Path] {
			g.HEAD(ri.Path, ri.HandlerFunc)
		}
	}
}
