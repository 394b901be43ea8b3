package security_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/media"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// Bounds of the burst tests, stated here and in docs/RELIABILITY.md
// ("Anonymous routes under bursts"). They are generous on purpose: what
// they catch is the unbounded case (a hang, memory that grows with the
// number of requests), not a slow machine.
const (
	// burstAnswerBound is the longest any request of a burst may wait
	// for its whole answer.
	burstAnswerBound = 30 * time.Second
	// burstHonestBound is how soon an honest page must be answered once a
	// burst is over.
	burstHonestBound = 5 * time.Second
	// burstHeapGrowth bounds HeapInuse after a collection, at the end
	// against the start: the page cache may fill (app.PageCacheBytes),
	// the rest must be given back.
	burstHeapGrowth = app.PageCacheBytes + 32<<20
	// burstRSSBound bounds the test process's resident memory (server and
	// client) at any sample during the bursts: at most 8 argon2id checks
	// of 19 MiB at once, the page cache, and some 600 connections with
	// their buffers.
	burstRSSBound = 768 << 20
)

// burstSize is the number of requests of one burst, released together:
// CCHC_BURST_SIZE, default 300.
func burstSize(t *testing.T) int {
	n := 300
	if v := os.Getenv("CCHC_BURST_SIZE"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 || n > 5000 {
			t.Fatalf("CCHC_BURST_SIZE=%q: want a number from 10 to 5000", v)
		}
	}
	return n
}

// burstReq is one request of a burst.
type burstReq struct {
	class  string
	route  string // the route pattern it exercises ("" for unrouted paths)
	method string
	path   string
	header http.Header
	host   string // a forged Host when set
	form   url.Values
	// honest requests must get exactly want; any other must get anything
	// below 500.
	honest bool
	want   int
	keep   bool // keep the body
}

// burstResult is what one request got.
type burstResult struct {
	req    *burstReq
	status int
	took   time.Duration
	err    error
	body   string // only when the request asked to keep it, or for a 5xx
	size   int
}

// burstSite is a served site with what its bursts need to know.
type burstSite struct {
	*site
	base string
	c    *http.Client
	// samples: the concrete paths of each parametrised route pattern.
	samples map[string][]string
	// missing are paths of a parametrised route that must be 404; moved
	// the old address of a renamed item (301).
	missing, moved map[string]bool
	// loginToken is a login form token with its cookie, for login POSTs
	// that reach the password check.
	loginToken string
	published  int
}

// burstClient opens one connection per concurrent request: nothing is
// shared, nothing decompressed or redirected behind the test's back.
func burstClient(n int) *http.Client {
	return &http.Client{
		Timeout: burstAnswerBound,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: n, DisableCompression: true, IdleConnTimeout: 30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func newBurstSite(t *testing.T, n int) *burstSite {
	t.Helper()
	s := newSite(t)
	bs := &burstSite{site: s, base: serveSite(t, s), c: burstClient(n), samples: map[string][]string{},
		missing: map[string]bool{}, moved: map[string]bool{}}
	t.Cleanup(bs.c.CloseIdleConnections)
	ctx := context.Background()

	// Items of each kind, and an article renamed so that its old address
	// answers 301.
	old, renamed := renameArticle(t, s)
	for _, k := range content.Kinds {
		items, _, err := s.env.Store.PublicItems(ctx, store.PublicQuery{Kind: k, Now: time.Now(), Limit: 4})
		if err != nil || len(items) == 0 {
			t.Fatalf("public %s: %v", k, err)
		}
		route := "/" + k.Section() + "/:slug"
		for _, it := range items {
			bs.samples[route] = append(bs.samples[route], it.URL())
		}
		bs.addMissing(route, "/"+k.Section()+"/khong-co-trang-nay", "/"+k.Section()+"/"+strings.Repeat("a", 2000))
	}
	bs.samples["/tin-tuc/:slug"] = append(bs.samples["/tin-tuc/:slug"], old, renamed)
	bs.moved[old] = true

	plans, err := s.env.Store.Plans(ctx)
	if err != nil || len(plans) == 0 {
		t.Fatalf("plans: %v", err)
	}
	for _, a := range plans[0].Areas {
		bs.samples["/chu-de/:area"] = append(bs.samples["/chu-de/:area"], a.URL())
		for _, f := range []string{"rss.xml", "atom.xml", "feed.json"} {
			bs.samples["/chu-de/:area/:feed"] = append(bs.samples["/chu-de/:area/:feed"], a.URL()+"/"+f)
		}
	}
	bs.addMissing("/chu-de/:area", "/chu-de/II.9", "/chu-de/%3Cscript%3E")
	// The lists' pages by path (issue 19): page 1's path answers 301 (not
	// every list of the demo fills two pages); far past the end and a
	// number not written canonically are not there.
	for _, k := range content.Kinds {
		route := k.Path() + "trang/:n/"
		bs.samples[route] = append(bs.samples[route], k.Path()+"trang/1/")
		bs.moved[k.Path()+"trang/1/"] = true
		bs.addMissing(route, k.Path()+"trang/99999/", k.Path()+"trang/02/")
	}
	bs.samples["/chu-de/:area/trang/:n/"] = append(bs.samples["/chu-de/:area/trang/:n/"], "/chu-de/van-ban-chi-dao/trang/1/")
	bs.moved["/chu-de/van-ban-chi-dao/trang/1/"] = true
	bs.addMissing("/chu-de/:area/trang/:n/", "/chu-de/van-ban-chi-dao/trang/99999/", "/chu-de/II.9/trang/2/")
	bs.addMissing("/chu-de/:area/:feed", "/chu-de/van-ban-chi-dao/khong.xml", "/chu-de/II.9/rss.xml")
	bs.addMissing("/sitemap-:n", "/sitemap-1.xml", "/sitemap-99999999999999999999.xml", "/sitemap-x")

	// Stored files: an image (inline) and a PDF (a download).
	lib := media.New(s.env.Store, s.env.Now)
	for _, up := range []media.Upload{
		{FileName: "ảnh.png", Data: png1x1Bytes, Alt: "Ảnh thử", By: adminName},
		{FileName: "Quyết định số 1.pdf", Data: []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), By: adminName},
	} {
		m, err := lib.Add(ctx, up)
		if err != nil {
			t.Fatalf("add %s: %v", up.FileName, err)
		}
		bs.samples["/tep/:name"] = append(bs.samples["/tep/:name"], media.URL(m.Name))
	}
	bs.addMissing("/tep/:name", "/tep/"+strings.Repeat("0", 64)+".pdf", "/tep/..%2f..%2fgo.mod", "/tep/x")

	// Assets, as the pages link them.
	assetRe := regexp.MustCompile(`(?:href|src)="(/(?:quan-tri/)?assets/[^"?]+)`)
	for _, p := range []string{"/", "/quan-tri/dang-nhap"} {
		res, err := bs.c.Get(bs.base + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, m := range assetRe.FindAllStringSubmatch(string(b), -1) {
			route := "/assets/:name"
			if strings.HasPrefix(m[1], "/quan-tri/") {
				route = "/quan-tri/assets/:name"
			}
			if !slices.Contains(bs.samples[route], m[1]) {
				bs.samples[route] = append(bs.samples[route], m[1])
			}
		}
	}
	bs.addMissing("/assets/:name", "/assets/khong-co.css", "/assets/..%2fgo.mod")
	bs.addMissing("/quan-tri/assets/:name", "/quan-tri/assets/khong-co.css")
	for _, r := range []string{"/assets/:name", "/quan-tri/assets/:name"} {
		if !slices.ContainsFunc(bs.samples[r], func(p string) bool { return !bs.missing[p] }) {
			t.Fatalf("no asset linked for %s", r)
		}
	}

	// A login form token and its cookie.
	res, err := bs.c.Get(bs.base + "/quan-tri/dang-nhap")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := testsupport.CSRFField.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("no login form token")
	}
	bs.loginToken = m[1]
	return bs
}

var png1x1Bytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

func (bs *burstSite) addMissing(route string, paths ...string) {
	for _, p := range paths {
		bs.samples[route] = append(bs.samples[route], p)
		bs.missing[p] = true
	}
}

var routeParam = regexp.MustCompile(`[:*][A-Za-z]+`)

// workspaceRoute tells the routes that answer an anonymous client before
// their parameters are looked at (302 or 401), so any value will do.
func workspaceRoute(pattern string) bool {
	return strings.HasPrefix(pattern, "/quan-tri/") || strings.HasPrefix(pattern, "/bao-cao/")
}

// paths is the concrete paths of a route pattern, or nil when the test
// does not know how to fill its parameters: such a route fails the test,
// so that a new public route is never left out of the bursts.
func (bs *burstSite) paths(pattern string) []string {
	if !routeParam.MatchString(pattern) {
		return []string{pattern}
	}
	if s := bs.samples[pattern]; len(s) > 0 {
		return s
	}
	if workspaceRoute(pattern) {
		return []string{routeParam.ReplaceAllString(pattern, "1"), routeParam.ReplaceAllString(pattern, "2026.csv")}
	}
	return nil
}

// routeClass groups routes whose bursts are reported together.
func routeClass(pattern string) string {
	switch {
	case pattern == "/quan-tri/dang-nhap":
		return "login"
	case strings.Contains(pattern, "assets/") || pattern == "/favicon.svg":
		return "assets"
	case strings.HasPrefix(pattern, "/tep/"):
		return "stored files"
	case workspaceRoute(pattern) || pattern == "/quan-tri/" || pattern == "/bao-cao/":
		return "workspace, reports (anonymous)"
	case strings.HasPrefix(pattern, "/tim-kiem"):
		return "search pages and feeds"
	case strings.HasSuffix(pattern, ".xml") || strings.HasSuffix(pattern, ".json") || strings.HasSuffix(pattern, ".txt") ||
		strings.HasSuffix(pattern, ":feed") || strings.HasPrefix(pattern, "/sitemap"):
		return "feeds, sitemap, robots.txt"
	case strings.Contains(pattern, ":"):
		return "item and area pages"
	}
	return "home and lists"
}

// forge sets every header a client could use to pose as someone else.
func forge(h http.Header) {
	h.Set("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
	h.Set("X-Real-IP", "203.0.113.8")
	h.Set("X-Forwarded-Host", forgedXFH)
	h.Set("X-Forwarded-Prefix", forgedPrefix)
	h.Set("X-Forwarded-Proto", "https")
	h.Set("Forwarded", "for=203.0.113.9;host="+forgedHost+";proto=https")
	h.Set("Origin", "https://"+forgedHost)
	h.Set("Referer", "https://"+forgedHost+"/")
}

var manyRanges = func() string {
	var b strings.Builder
	b.WriteString("bytes=")
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d-%d", i, i)
	}
	return b.String()
}()

var junkTags = strings.Repeat(`W/"0123456789abcdef", `, 300) + `"x"`

// variant is a way of asking for path: honest when i is negative, else
// the i-th hostile one (they cycle).
func (bs *burstSite) variant(class, route, method, path string, i int) *burstReq {
	r := &burstReq{class: class, route: route, method: method, path: path, header: http.Header{}}
	r.header.Set("Accept", "text/html,application/xhtml+xml")
	r.header.Set("Accept-Encoding", "gzip")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	const variants = 11
	if i < 0 {
		r.honest = true
		return r
	}
	switch 1 + i%variants {
	case 1:
		r.host = forgedHost
		forge(r.header)
	case 2:
		r.header.Set("Accept-Encoding", []string{"gzip;q=0, *;q=0", "br, zstd, deflate", "x-gzip;q=0.5, gzip;q=abc", strings.Repeat("gzip;q=0.1, ", 300) + "identity"}[i/variants%4])
	case 3:
		r.header.Set("Range", []string{manyRanges, "bytes=-1", "bytes=99999999999-", "bytes=5-1", "chars=0-1"}[i/variants%5])
	case 4:
		r.header.Set("If-None-Match", []string{junkTags, "*", `"` + strings.Repeat("f", 4000) + `"`}[i/variants%3])
		r.header.Set("If-Modified-Since", []string{"Mon, 01 Jan 3000 00:00:00 GMT", "hôm qua", "Thu, 01 Jan 1970 00:00:00 GMT"}[i/variants%3])
	case 5:
		r.path += sep + "q=" + url.QueryEscape(strings.Repeat("thủ tục ", 1000)) // ≈ 24 KB, past the cache's key limit
	case 6:
		r.path += sep + "x=" + strconv.Itoa(i) // a query string of its own: defeats the cache
	case 7:
		// Page numbers from the first to far past the end.
		n := []string{strconv.Itoa(i), strconv.Itoa(i * 7919), "999999999", "99999999999999999999", "-1", "0", "1e9"}[i/variants%7]
		r.path += sep + "trang=" + n
	case 8:
		r.header.Set("Cookie", "cchc_session="+strings.Repeat("ab", 32)+"; cchc_login="+strings.Repeat("c", 43)+"; x="+strings.Repeat("y", 3000))
	case 9:
		if method == http.MethodGet {
			r.method = http.MethodHead
		}
	case 10:
		r.header.Set("Accept", "application/json")
		r.header.Set("Accept-Language", strings.Repeat("vi;q=0.9, ", 200))
	case 11:
		if method == http.MethodGet {
			r.method = []string{http.MethodPut, http.MethodDelete, "PROPFIND", http.MethodOptions}[i/variants%4]
		}
	}
	return r
}

// wantHonest is the status an honest request for path on route must get
// from an anonymous client.
func (bs *burstSite) wantHonest(method, route, path string) int {
	switch {
	case bs.missing[path]:
		return http.StatusNotFound
	case route == "/quan-tri/dang-nhap" && method == http.MethodPost:
		return 0 // set by the login requests themselves
	case strings.HasPrefix(route, "/quan-tri/assets/") || route == "/quan-tri/dang-nhap":
		return http.StatusOK
	case workspaceRoute(route):
		// A download is not a page to come back to after logging in.
		if strings.HasSuffix(path, ".csv") {
			return http.StatusUnauthorized
		}
		return http.StatusFound
	case bs.moved[path]:
		return http.StatusMovedPermanently
	}
	return http.StatusOK
}

// plan builds one burst of n requests for each class of route, from the
// engine's route table, plus the classes no route names: unknown paths,
// redirects, and many distinct searches. It fails the test for a route
// it cannot fill.
func (bs *burstSite) plan(t *testing.T, n int) (map[string][]*burstReq, []string) {
	t.Helper()
	r, ok := bs.h.(interface{ Routes() gin.RoutesInfo })
	if !ok {
		t.Fatalf("handler %T does not list its routes", bs.h)
	}
	type target struct{ method, route, path string }
	byClass := map[string][]target{}
	var routes []string
	for _, ri := range r.Routes() {
		ps := bs.paths(ri.Path)
		if ps == nil {
			t.Errorf("route %s %s has no sample URL: add its parameters' values to newBurstSite", ri.Method, ri.Path)
			continue
		}
		routes = append(routes, ri.Method+" "+ri.Path)
		c := routeClass(ri.Path)
		for _, p := range ps {
			byClass[c] = append(byClass[c], target{ri.Method, ri.Path, p})
		}
	}
	out := map[string][]*burstReq{}
	for c, ts := range byClass {
		// Each target's first request is honest, the others hostile.
		for i := range max(n, len(ts)) {
			tg, j := ts[i%len(ts)], i/len(ts)
			v := bs.variant(c, tg.route, tg.method, tg.path, j-1+i%len(ts))
			if j == 0 {
				v = bs.variant(c, tg.route, tg.method, tg.path, -1)
			}
			if tg.method == http.MethodPost {
				bs.postBody(v, i)
			}
			if v.honest {
				v.want = bs.wantHonest(v.method, tg.route, tg.path)
			}
			out[c] = append(out[c], v)
		}
	}
	// Unknown paths and gin's trailing-slash redirects.
	for i := range n {
		p := []string{"/khong-co/" + strconv.Itoa(i), "/tin-tuc", "/van-ban", "/chu-de", "/%2e%2e/%2e%2e/etc/passwd", "/tin-tuc/a/b/c",
			"/" + strings.Repeat("x/", 500), "/quan-tri", "/bao-cao", "/wp-login.php"}[i%10]
		v := bs.variant("unknown paths, redirects", "", http.MethodGet, p, i/10-1)
		if v.honest {
			v.want = http.StatusNotFound
			switch p {
			case "/tin-tuc", "/van-ban", "/chu-de", "/quan-tri", "/bao-cao":
				v.want = http.StatusMovedPermanently
			}
		}
		out[v.class] = append(out[v.class], v)
	}
	// Searches, each different: nothing comes from the cache.
	words := []string{"thủ tục", "cải cách", "ISO", "văn bản", "dịch vụ công", "quyết định", "NĐ-CP", "kế hoạch", "zzz", "\"", "-", "*", "OR", "NEAR(", "đ"}
	for i := range n {
		q := words[i%len(words)] + " " + strconv.Itoa(i)
		p := []string{"/tim-kiem", "/tim-kiem/rss.xml", "/thu-tuc-hanh-chinh/", "/van-ban/"}[i%4] + "?q=" + url.QueryEscape(q)
		if i%5 == 0 {
			p += "&loai=article&nam=2022&chu-de=II.1&trang=" + strconv.Itoa(1+i%3)
		}
		out["distinct searches"] = append(out["distinct searches"],
			&burstReq{class: "distinct searches", method: http.MethodGet, path: p, header: http.Header{"Accept-Encoding": {"gzip"}}})
	}
	sort.Strings(routes)
	return out, routes
}

// postBody fills an anonymous POST: to the login form a wrong password
// (with the form token, or without it, or with a forged one), to any other
// route a form without a session.
func (bs *burstSite) postBody(r *burstReq, i int) {
	r.header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r.route != "/quan-tri/dang-nhap" {
		r.form = url.Values{"csrf": {"x"}, "title": {"<script>alert(1)</script>"}, "body": {strings.Repeat("a", 1000)}}
		r.honest = false
		return
	}
	r.honest = false
	name := []string{adminName, "khong-co-ai", "nguoi-" + strconv.Itoa(i)}[i%3]
	r.form = url.Values{"name": {name}, "password": {"sai mật khẩu " + strconv.Itoa(i)}, "next": {"/quan-tri/"}}
	if i%4 != 3 {
		r.form.Set("csrf", bs.loginToken)
		r.header.Set("Cookie", "cchc_login="+bs.loginToken)
	}
}

// send runs one request and reads its whole answer.
func (bs *burstSite) send(r *burstReq) burstResult {
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	}
	req, err := http.NewRequest(r.method, bs.base+r.path, body)
	if err != nil {
		return burstResult{req: r, err: err}
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if r.host != "" {
		req.Host = r.host
	}
	start := time.Now()
	res, err := bs.c.Do(req)
	if err != nil {
		return burstResult{req: r, err: err, took: time.Since(start)}
	}
	defer res.Body.Close()
	out := burstResult{req: r, status: res.StatusCode}
	if r.keep || res.StatusCode >= 500 {
		var b []byte
		b, out.err = io.ReadAll(res.Body)
		out.body, out.size = string(b), len(b)
	} else {
		// The client holds no body: what the sampler sees is the server.
		var n int64
		n, out.err = io.Copy(io.Discard, res.Body)
		out.size = int(n)
	}
	out.took = time.Since(start)
	return out
}

// fire sends reqs all at once: every goroutine waits for one signal.
func (bs *burstSite) fire(reqs []*burstReq) []burstResult {
	out := make([]burstResult, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			<-start
			out[i] = bs.send(r)
		})
	}
	close(start)
	wg.Wait()
	return out
}

// publishOne publishes a new article through the service: the site
// version moves and the page cache is emptied, as after an editor's
// publication.
func (bs *burstSite) publishOne(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	bs.published++
	who := publish.Actor{Name: adminName, Role: auth.Approver}
	it, _, err := bs.env.Publish.Save(ctx, who, publish.SaveRequest{Item: content.Item{Kind: content.Article,
		Title: fmt.Sprintf("Tin đăng trong thử tải số %d", bs.published), Summary: "Tin thử.", Areas: []string{"II.1"},
		Body: "Nội dung tin thử tải."}})
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	if _, err := bs.env.Publish.Transition(ctx, who, publish.TransitionRequest{ID: it.ID, Action: auth.ActPublish}); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// tableRows counts the rows of every table of the database.
func tableRows(t *testing.T, db *sql.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+n+`"`).Scan(&c); err != nil {
			t.Fatalf("count %s: %v", n, err)
		}
		out[n] = c
	}
	return out
}

// auditSince lists the actions of the audit rows after id.
func auditSince(t *testing.T, db *sql.DB, id int64) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT action FROM audit_log WHERE id > ? ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func lastAuditID(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var id sql.NullInt64
	if err := db.QueryRowContext(context.Background(), `SELECT max(id) FROM audit_log`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id.Int64
}

// sampler records the largest resident memory and page cache seen.
type sampler struct {
	stop          chan struct{}
	done          chan struct{}
	once          sync.Once
	maxRSS, maxPC atomic.Int64
}

func startSampler(t *testing.T, pc interface {
	Stats() (uint64, uint64, int64)
}) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if r := vmRSS(t); r > s.maxRSS.Load() {
				s.maxRSS.Store(r)
			}
			if _, _, size := pc.Stats(); size > s.maxPC.Load() {
				s.maxPC.Store(size)
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *sampler) end() { s.once.Do(func() { close(s.stop) }); <-s.done }

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// TestAnonymousRoutesUnderBursts takes every route of the real engine's
// route table (so a new route is covered, or the test fails asking for
// its sample values), groups them by kind, and for each group publishes
// an article through the service (the site version moves, the page cache
// empties), then releases a burst of CCHC_BURST_SIZE (300) requests at
// once over as many connections: honest requests and hostile ones
// (forged Host and forwarded headers, odd Accept-Encoding, Range and
// If-None-Match, 22 KB query strings, a query string of their own, page
// numbers far past the end, forged cookies, other methods), anonymous
// login attempts, and 300 distinct searches. It asserts: no 5xx and no
// transport error; every answer within 30 s; honest requests get their
// page (or the login redirect, 401, 404); the page cache never passes its
// bound; the database is written only with the login audit rows; an
// honest page answers within 5 s after each burst; heap and resident
// memory stay within the bounds stated above.
func TestAnonymousRoutesUnderBursts(t *testing.T) {
	n := burstSize(t)
	bs := newBurstSite(t, n)
	plan, routes := bs.plan(t, n)
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d routes from the engine's table, %d classes, %d requests a burst", len(routes), len(plan), n)
	classes := make([]string, 0, len(plan))
	for c := range plan {
		classes = append(classes, c)
	}
	sort.Strings(classes)

	heap0, rss0 := heapInuse(), vmRSS(t)
	smp := startSampler(t, bs.env.Pages)
	defer smp.end()
	type figures struct {
		n, errors int
		statuses  map[int]int
		p50, p99  time.Duration
		max       time.Duration
		rss       int64
		audit     int
	}
	report := map[string]*figures{}
	seen := map[string]bool{} // GET and HEAD routes that got an honest answer
	for _, c := range classes {
		reqs := plan[c]
		bs.publishOne(t)
		before := tableRows(t, bs.env.DB.Read)
		audit0 := lastAuditID(t, bs.env.DB.Read)
		smp.maxRSS.Store(0)
		res := bs.fire(reqs)

		f := &figures{n: len(res), statuses: map[int]int{}}
		var took []time.Duration
		for _, r := range res {
			took = append(took, r.took)
			switch {
			case r.err != nil:
				f.errors++
				t.Errorf("%s: %s %s: %v after %v", c, r.req.method, r.req.path[:min(len(r.req.path), 120)], r.err, r.took)
				continue
			case r.status >= 500:
				t.Errorf("%s: %s %s: %d\n%s", c, r.req.method, r.req.path[:min(len(r.req.path), 120)], r.status, r.body[:min(len(r.body), 300)])
			case r.took > burstAnswerBound:
				t.Errorf("%s: %s %s answered after %v", c, r.req.method, r.req.path[:min(len(r.req.path), 120)], r.took)
			case r.req.honest && r.req.want != 0 && r.status != r.req.want:
				t.Errorf("%s: honest %s %s: %d, want %d", c, r.req.method, r.req.path, r.status, r.req.want)
			}
			f.statuses[r.status]++
			if r.req.honest && r.req.route != "" {
				seen[r.req.method+" "+r.req.route] = true
			}
			if r.req.route == "/quan-tri/dang-nhap" && r.req.method == http.MethodPost {
				switch r.status {
				case http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusTooManyRequests:
				default:
					t.Errorf("%s: anonymous login: %d", c, r.status)
				}
			}
		}
		slices.Sort(took)
		f.p50, f.p99, f.max = percentile(took, 0.5), percentile(took, 0.99), took[len(took)-1]
		f.rss = smp.maxRSS.Load()
		report[c] = f

		// Nothing written but the login audit rows.
		after := tableRows(t, bs.env.DB.Read)
		for tbl, k := range after {
			if tbl == "audit_log" {
				continue
			}
			if k != before[tbl] {
				t.Errorf("%s: table %s has %d rows after the burst, %d before", c, tbl, k, before[tbl])
			}
		}
		written := auditSince(t, bs.env.DB.Read, audit0)
		f.audit = len(written)
		for _, a := range written {
			if a != string(store.AuditLoginFailed) && a != string(store.AuditLoginThrottled) {
				t.Errorf("%s: audit row %q written by an anonymous burst", c, a)
			}
		}
		// Still answering honest readers promptly.
		for _, p := range []string{"/", bs.samples["/tin-tuc/:slug"][0]} {
			start := time.Now()
			r := bs.send(&burstReq{method: http.MethodGet, path: p, header: http.Header{"Accept": {"text/html"}}})
			if r.err != nil || r.status != http.StatusOK || time.Since(start) > burstHonestBound {
				t.Errorf("after the %s burst: %s: %d %v in %v", c, p, r.status, r.err, time.Since(start))
			}
		}
		if _, _, size := bs.env.Pages.Stats(); size > app.PageCacheBytes {
			t.Errorf("after the %s burst: page cache %d bytes, bound %d", c, size, app.PageCacheBytes)
		}
	}
	smp.end()

	for _, r := range routes {
		if !seen[r] && !strings.HasPrefix(r, "POST ") {
			t.Errorf("route %s got no honest request in its burst", r)
		}
	}
	if max := smp.maxPC.Load(); max > app.PageCacheBytes {
		t.Errorf("page cache reached %d bytes, bound %d", max, app.PageCacheBytes)
	}
	heap1 := heapInuse()
	if heap1 > heap0+burstHeapGrowth {
		t.Errorf("HeapInuse %d MiB after the bursts, %d MiB before: more than %d MiB kept", heap1>>20, heap0>>20, burstHeapGrowth>>20)
	}
	var maxRSS int64
	for _, c := range classes {
		f := report[c]
		maxRSS = max(maxRSS, f.rss)
		var st []string
		for code, k := range f.statuses {
			st = append(st, fmt.Sprintf("%d×%d", k, code))
		}
		sort.Strings(st)
		t.Logf("%-30s %4d requests  p50 %7v  p99 %7v  max %7v  RSS max %3d MiB  audit rows %d  %s", c, f.n,
			f.p50.Round(time.Millisecond), f.p99.Round(time.Millisecond), f.max.Round(time.Millisecond), f.rss>>20, f.audit, strings.Join(st, " "))
	}
	if maxRSS > burstRSSBound {
		t.Errorf("resident memory reached %d MiB, bound %d MiB", maxRSS>>20, burstRSSBound>>20)
	}
	_, _, pcSize := bs.env.Pages.Stats()
	t.Logf("RSS before %d MiB, max %d MiB; HeapInuse before %d MiB, after %d MiB; page cache max %d MiB (bound %d MiB), at the end %d MiB",
		rss0>>20, maxRSS>>20, heap0>>20, heap1>>20, smp.maxPC.Load()>>20, app.PageCacheBytes>>20, pcSize>>20)
}

// sitemapPaths lists the local paths of every URL of the sitemap.
func (bs *burstSite) sitemapPaths(t *testing.T) []string {
	t.Helper()
	r := bs.send(&burstReq{method: http.MethodGet, path: "/sitemap.xml", header: http.Header{}, keep: true})
	if r.err != nil || r.status != http.StatusOK {
		t.Fatalf("sitemap: %d %v", r.status, r.err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllStringSubmatch(r.body, -1) {
		u, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u.Path)
	}
	return out
}

// TestDistinctQueriesKeepCachedPages warms the page cache with every page
// of the site (the sitemap's, the feeds), then floods it with query
// strings nobody reads (?x=1, ?x=2, … on the largest pages, in bursts of
// CCHC_BURST_SIZE), until the pages they made weigh twice the cache: the
// cache stays within its bound, and every page of the site is still
// served from it afterwards. A query string costs its sender nothing;
// before the fix a few hundred of them pushed every real page out.
func TestDistinctQueriesKeepCachedPages(t *testing.T) {
	n := burstSize(t)
	bs := newBurstSite(t, n)
	bs.publishOne(t)
	site := bs.sitemapPaths(t)
	for _, d := range []string{"", "/tin-tuc", "/thu-tuc-hanh-chinh", "/van-ban"} {
		for _, f := range []string{"/rss.xml", "/atom.xml", "/feed.json"} {
			site = append(site, d+f)
		}
	}
	site = append(site, "/theo-doi", "/robots.txt", "/sitemap.xml")
	get := func(p string) burstResult {
		return bs.send(&burstReq{method: http.MethodGet, path: p, header: http.Header{"Accept-Encoding": {"gzip"}}})
	}
	for _, p := range site {
		if r := get(p); r.status != http.StatusOK {
			t.Fatalf("%s: %d %v", p, r.status, r.err)
		}
	}
	_, _, warm := bs.env.Pages.Stats()
	heap0 := heapInuse()
	smp := startSampler(t, bs.env.Pages)
	defer smp.end()

	// The largest pages make the cheapest flood. (The sitemap is not
	// one: it sends any query string to its bare address, 301.)
	if r := get("/sitemap.xml?x=1"); r.status != http.StatusMovedPermanently {
		t.Fatalf("/sitemap.xml?x=1: %d, want 301", r.status)
	}
	targets := []string{"/rss.xml", "/atom.xml", "/feed.json", "/van-ban/", "/thu-tuc-hanh-chinh/"}
	var sent, made int
	start := time.Now()
	for round := 0; made < 2*app.PageCacheBytes && round < 50; round++ {
		reqs := make([]*burstReq, n)
		for i := range reqs {
			reqs[i] = &burstReq{method: http.MethodGet, path: targets[i%len(targets)] + "?x=" + strconv.Itoa(sent+i), header: http.Header{}}
		}
		sent += n
		for _, r := range bs.fire(reqs) {
			if r.err != nil || r.status != http.StatusOK {
				t.Fatalf("%s: %d %v", r.req.path, r.status, r.err)
			}
			made += r.size + 512
		}
	}
	took := time.Since(start)
	smp.end()
	if made < 2*app.PageCacheBytes {
		t.Fatalf("the flood made only %d MiB of pages", made>>20)
	}
	hits0, misses0, flooded := bs.env.Pages.Stats()
	var lost []string
	for _, p := range site {
		get(p)
		if _, m, _ := bs.env.Pages.Stats(); m != misses0 {
			lost = append(lost, p)
			misses0 = m
		}
	}
	hits1, _, _ := bs.env.Pages.Stats()
	if len(lost) > 0 {
		t.Errorf("%d of %d pages of the site were pushed out of the cache by %d made-up query strings: %v",
			len(lost), len(site), sent, lost[:min(len(lost), 10)])
	}
	if m := smp.maxPC.Load(); m > app.PageCacheBytes {
		t.Errorf("page cache reached %d bytes, bound %d", m, app.PageCacheBytes)
	}
	heap1 := heapInuse()
	if heap1 > heap0+burstHeapGrowth {
		t.Errorf("HeapInuse %d MiB after the flood, %d MiB before", heap1>>20, heap0>>20)
	}
	t.Logf("%d pages of the site cached (%d KiB); %d made-up query strings in %v (%d MiB of pages), cache then %d KiB (max %d KiB, bound %d MiB); "+
		"afterwards %d of %d site pages were hits; HeapInuse %d → %d MiB, RSS max %d MiB",
		len(site), warm>>10, sent, took.Round(time.Millisecond), made>>20, flooded>>10, smp.maxPC.Load()>>10, app.PageCacheBytes>>20,
		hits1-hits0, len(site), heap0>>20, heap1>>20, smp.maxRSS.Load()>>20)
}

// heapSampler records the largest live heap (runtime/metrics, without
// stopping the world) seen while it runs.
type heapSampler struct {
	stop, done chan struct{}
	once       sync.Once
	max        atomic.Uint64
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(h.done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > h.max.Load() {
				h.max.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) end() uint64 {
	h.once.Do(func() { close(h.stop) })
	<-h.done
	return h.max.Load()
}

// Bounds of the heap's objects (live, and dead ones not yet collected)
// at any moment of a burst of misses, above where they were before it:
// burstPeakHeap, and burstPeakPerRequest for each request sent together.
// Each connection costs both sides about 30 KiB (bufio buffers, request,
// goroutine; a heap profile of 2,000 at once showed 40 MB of the 104 MB
// live in bufio), and the collector lets the heap reach about twice what
// is live; a feed allocates about 2.3 MB while it renders, which must not
// be multiplied by the requests: renders run a few at a time
// (web.RendersAtOnce).
const (
	burstPeakHeap       = 64 << 20
	burstPeakPerRequest = 128 << 10
)

// TestBurstOfMissesBoundedMemory sends CCHC_BURST_SIZE (300) requests at
// once, each a page the cache cannot have (the feeds, with a query string
// of its own): every request is answered, and the heap's peak stays
// within burstPeakHeap plus burstPeakPerRequest for each request of where
// it started. Before renders were bounded, 300 feed misses at once took
// the heap 140 MiB up, 1,000 took it 380 MiB up.
func TestBurstOfMissesBoundedMemory(t *testing.T) {
	n := burstSize(t)
	bs := newBurstSite(t, n)
	targets := []string{"/rss.xml", "/atom.xml", "/feed.json", "/tin-tuc/rss.xml", "/van-ban/atom.xml", "/thu-tuc-hanh-chinh/feed.json"}
	reqs := make([]*burstReq, n)
	for i := range reqs {
		reqs[i] = &burstReq{method: http.MethodGet, path: targets[i%len(targets)] + "?x=" + strconv.Itoa(i), header: http.Header{"Accept-Encoding": {"gzip"}}}
	}
	bs.fire(reqs[:len(targets)]) // connections and first renders warm
	bs.publishOne(t)
	// The peak counts dead objects not yet collected: on a loaded machine
	// the collector falls behind a burst and the peak swings by tens of
	// MiB from run to run (90–124 MiB for the same code). A burst over the
	// bound is sent again, up to three times, and the lowest peak is
	// judged: unbounded renders exceed it every time. Each burst asks
	// queries of its own: misses again.
	bound := uint64(burstPeakHeap + n*burstPeakPerRequest)
	var base, peak uint64
	var took time.Duration
	var lat []time.Duration
	for try := range 3 {
		for i := range reqs { // queries no earlier burst sent
			reqs[i].path = targets[i%len(targets)] + "?x=" + strconv.Itoa(try*n+i)
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		hs := startHeapSampler()
		start := time.Now()
		res := bs.fire(reqs)
		d := time.Since(start)
		p := hs.end()
		var l []time.Duration
		for _, r := range res {
			if r.err != nil || r.status != http.StatusOK {
				t.Fatalf("%s: %d %v", r.req.path, r.status, r.err)
			}
			l = append(l, r.took)
		}
		slices.Sort(l)
		if try == 0 || p-min(p, m.HeapAlloc) < peak-min(peak, base) {
			base, peak, took, lat = m.HeapAlloc, p, d, l
		}
		if peak <= base+bound {
			break
		}
	}
	if peak > base+bound {
		t.Errorf("heap objects peaked at %d MiB during %d feed misses at once, %d MiB before: more than %d MiB above",
			peak>>20, n, base>>20, bound>>20)
	}
	t.Logf("%d feed misses at once in %v (p50 %v, p99 %v): heap objects %d MiB before, peak %d MiB (bound +%d MiB)",
		n, took.Round(time.Millisecond), percentile(lat, 0.5).Round(time.Millisecond), percentile(lat, 0.99).Round(time.Millisecond),
		base>>20, peak>>20, bound>>20)
}
