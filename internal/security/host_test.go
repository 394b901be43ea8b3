package security_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// What a forger puts in the headers that name where a request was sent.
// Each carries "attacker", which must never come back in a body or a
// header.
const (
	forgedHost   = "attacker-host.invalid"
	forgedXFH    = "attacker-xfh.invalid:8443"
	forgedPrefix = "/attacker-prefix"
	forgedMark   = "attacker"
)

// answer is what the server sent back.
type answer struct {
	status int
	header http.Header
	body   string
}

// leak names where a forged value came back, or "".
func (a answer) leak() string {
	if strings.Contains(a.body, forgedMark) {
		i := strings.Index(a.body, forgedMark)
		return fmt.Sprintf("body: …%s…", a.body[max(0, i-60):min(len(a.body), i+40)])
	}
	for k, vs := range a.header {
		for _, v := range vs {
			if strings.Contains(v, forgedMark) {
				return fmt.Sprintf("header %s: %s", k, v)
			}
		}
	}
	return ""
}

// hostClient sends requests to a served site, forged or honest, without
// following redirects.
type hostClient struct {
	t    testing.TB
	base string
	c    *http.Client
}

func newHostClient(t testing.TB, base string) *hostClient {
	return &hostClient{t: t, base: base, c: &http.Client{Timeout: 60 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get fetches path, with the forged Host, X-Forwarded-Host and
// X-Forwarded-Prefix when forged is set. It reports transport errors
// instead of failing, so that it can run in goroutines.
func (h *hostClient) get(method, path string, forged bool, body io.Reader, header http.Header) (answer, error) {
	req, err := http.NewRequest(method, h.base+path, body)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Accept", "text/html")
	for k, vs := range header {
		req.Header[k] = vs
	}
	if forged {
		req.Host = forgedHost
		req.Header.Set("X-Forwarded-Host", forgedXFH)
		req.Header.Set("X-Forwarded-Prefix", forgedPrefix)
		req.Header.Set("X-Forwarded-Server", forgedHost)
		req.Header.Set("Forwarded", "host="+forgedHost+";proto=https")
	}
	res, err := h.c.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{status: res.StatusCode, header: res.Header, body: string(b)}, nil
}

func (h *hostClient) must(method, path string, forged bool) answer {
	h.t.Helper()
	a, err := h.get(method, path, forged, nil, nil)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	return a
}

// absolutePaths lists every public URL whose body holds absolute URLs:
// the three feeds of the column, of each section and of each content
// area, the search feeds, the sitemap, robots.txt and /theo-doi.
func absolutePaths(t testing.TB, s *site) []string {
	t.Helper()
	plans, err := s.env.Store.Plans(context.Background())
	if err != nil || len(plans) == 0 {
		t.Fatalf("plans: %v", err)
	}
	dirs := []string{"", "/tin-tuc", "/thu-tuc-hanh-chinh", "/van-ban"}
	for _, a := range plans[0].Areas {
		dirs = append(dirs, a.URL())
	}
	var out []string
	for _, d := range dirs {
		for _, f := range []string{"rss.xml", "atom.xml", "feed.json"} {
			out = append(out, d+"/"+f)
		}
	}
	q := url.QueryEscape("thủ tục")
	return append(out, "/tim-kiem/rss.xml?q="+q, "/tim-kiem/atom.xml?q="+q, "/tim-kiem/feed.json?q="+q,
		"/sitemap.xml", "/robots.txt", "/theo-doi")
}

// renameArticle gives a public article a new slug, so its old address
// answers 301; it returns the old and the new path.
func renameArticle(t testing.TB, s *site) (string, string) {
	t.Helper()
	ctx := context.Background()
	items, _, err := s.env.Store.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: time.Now(), Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("public article: %v", err)
	}
	it := items[0]
	old := it.URL()
	if _, err := s.env.DB.Write.ExecContext(ctx, `UPDATE items SET slug = slug || '-doi-ten' WHERE id = ?`, it.ID); err != nil {
		t.Fatal(err)
	}
	s.env.Pages.Invalidate()
	return old, old + "-doi-ten"
}

// TestForgedHostNeverInOutput sends every URL that carries absolute
// addresses, and every redirect, with a forged Host, X-Forwarded-Host and
// X-Forwarded-Prefix — on an empty cache, on a page cached by an honest
// request, on one cached by the forged request itself, before and after a
// cache drop — and checks that the forged names never come back, and that
// honest readers get the configured public address.
func TestForgedHostNeverInOutput(t *testing.T) {
	tests := []struct {
		name string
		cfg  func(*config.Config)
		base string // absolute URLs start with it
		// misdirected is the status of a request whose Host is not
		// allowed (0: answered like any other).
		misdirected int
	}{
		{"no base url", func(*config.Config) {}, "http://127.0.0.1:8080", 0},
		{"base url", func(c *config.Config) { c.BaseURL = "https://skhcn.quangngai.gov.vn/cchc" }, "https://skhcn.quangngai.gov.vn/cchc", 0},
		{"allowed hosts", func(c *config.Config) { c.AllowedHosts = "cchc.example.vn,127.0.0.1" }, "http://cchc.example.vn", http.StatusMisdirectedRequest},
		{"base url and allowed hosts", func(c *config.Config) {
			c.BaseURL, c.AllowedHosts = "https://skhcn.quangngai.gov.vn/cchc", "127.0.0.1"
		}, "https://skhcn.quangngai.gov.vn/cchc", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.cfg)
			h := newHostClient(t, serveSite(t, s))
			var checked, forgedN int
			check := func(path string, forged bool, a answer, want int) {
				t.Helper()
				checked++
				if forged {
					forgedN++
				}
				if l := a.leak(); l != "" {
					t.Errorf("%s (forged %v): %d, forged name in the %s", path, forged, a.status, l)
				}
				if forged && tt.misdirected != 0 {
					want = tt.misdirected
				}
				if a.status != want {
					t.Errorf("%s (forged %v): status %d, want %d", path, forged, a.status, want)
				}
			}
			honest := func(path string) {
				t.Helper()
				a := h.must("GET", path, false)
				check(path, false, a, http.StatusOK)
				if !strings.Contains(a.body, tt.base+"/") {
					t.Errorf("%s: no absolute URL under %s", path, tt.base)
				}
			}
			forged := func(path string) {
				t.Helper()
				check(path, true, h.must("GET", path, true), http.StatusOK)
				check(path, true, h.must("HEAD", path, true), http.StatusOK)
			}
			paths := absolutePaths(t, s)
			for _, p := range paths {
				s.env.Pages.Invalidate()
				forged(p) // a cold cache, the forger first
				honest(p)
				forged(p) // cached by the honest request
				honest(p)
				s.env.Pages.Invalidate()
				honest(p)
				s.env.Pages.Invalidate()
				forged(p)
				forged(p)
				honest(p)
			}

			// Redirects: an old slug, a missing trailing slash, the login
			// page, a login, a logout.
			oldPath, newPath := renameArticle(t, s)
			redirects := []struct {
				path     string
				status   int
				location string
			}{
				{oldPath, http.StatusMovedPermanently, newPath},
				{oldPath + "?trang=2", http.StatusMovedPermanently, newPath + "?trang=2"},
				{"/tin-tuc", http.StatusMovedPermanently, "/tin-tuc/"},
				{"/chu-de", http.StatusMovedPermanently, "/chu-de/"},
				{"/quan-tri/", http.StatusFound, "/quan-tri/dang-nhap?next=%2Fquan-tri%2F"},
				{"/quan-tri/tin-bai/", http.StatusFound, "/quan-tri/dang-nhap?next=%2Fquan-tri%2Ftin-bai%2F"},
			}
			for round := range 2 {
				s.env.Pages.Invalidate()
				for _, r := range redirects {
					for _, f := range []bool{true, false} {
						a := h.must("GET", r.path, f)
						check(r.path, f, a, r.status)
						if (!f || tt.misdirected == 0) && a.header.Get("Location") != r.location {
							t.Errorf("round %d %s (forged %v): Location %q, want %q", round, r.path, f, a.header.Get("Location"), r.location)
						}
					}
				}
			}
			forgedLogin(t, h, tt.misdirected)
			t.Logf("%d absolute-URL pages and %d redirects: %d answers checked, %d of them forged (plus the login flow)",
				len(paths), len(redirects), checked, forgedN)
		})
	}
}

// forgedLogin logs in and out with every forged header set: the
// redirects go to local paths only (or, when the Host is not allowed,
// the login is refused with misdirected). Cookies are carried by hand:
// with an https --base-url they are Secure, and this client speaks http.
func forgedLogin(t *testing.T, h *hostClient, misdirected int) {
	t.Helper()
	var cookies []string
	send := func(method, path string, form url.Values) answer {
		t.Helper()
		hdr := http.Header{}
		var body io.Reader
		if form != nil {
			hdr.Set("Content-Type", "application/x-www-form-urlencoded")
			body = strings.NewReader(form.Encode())
		}
		if len(cookies) > 0 {
			hdr.Set("Cookie", strings.Join(cookies, "; "))
		}
		a, err := h.get(method, path, true, body, hdr)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		for _, c := range (&http.Response{Header: a.header}).Cookies() {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		if l := a.leak(); l != "" {
			t.Errorf("%s %s: forged name in the %s", method, path, l)
		}
		return a
	}
	page := send("GET", "/quan-tri/dang-nhap?next=%2Fquan-tri%2Fnhat-ky", nil)
	if misdirected != 0 {
		if page.status != misdirected {
			t.Errorf("login page with a foreign Host: %d, want %d", page.status, misdirected)
		}
		return
	}
	m := testsupport.CSRFField.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("login page without a form token: %d", page.status)
	}
	a := send("POST", "/quan-tri/dang-nhap", url.Values{"csrf": {m[1]}, "name": {adminName}, "password": {testsupport.Password}, "next": {"/quan-tri/nhat-ky"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/quan-tri/nhat-ky" {
		t.Fatalf("login: %d Location %q", a.status, a.header.Get("Location"))
	}
	audit := send("GET", "/quan-tri/nhat-ky", nil)
	if m = testsupport.CSRFField.FindStringSubmatch(audit.body); m == nil {
		t.Fatalf("audit page without a form token: %d", audit.status)
	}
	a = send("POST", "/quan-tri/dang-xuat", url.Values{"csrf": {m[1]}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/quan-tri/dang-nhap?da-dang-xuat=1" {
		t.Errorf("logout: %d Location %q", a.status, a.header.Get("Location"))
	}
}

// TestForgedHostBurst empties the cache and sends, all at once, 50
// forged and 50 honest requests interleaved over the absolute-URL pages,
// five times: no answer, and no page cached by any of them, carries a
// forged name.
func TestForgedHostBurst(t *testing.T) {
	s := newSite(t)
	h := newHostClient(t, serveSite(t, s))
	paths := absolutePaths(t, s)
	const rounds, perRound = 5, 100
	var leaks, errs []string
	var mu sync.Mutex
	for round := range rounds {
		s.env.Pages.Invalidate()
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range perRound {
			wg.Go(func() {
				<-start
				p, forged := paths[(i/2+round)%len(paths)], i%2 == 0
				a, err := h.get("GET", p, forged, nil, nil)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					errs = append(errs, err.Error())
				case a.status != http.StatusOK:
					errs = append(errs, fmt.Sprintf("%s: %d", p, a.status))
				case a.leak() != "":
					leaks = append(leaks, fmt.Sprintf("round %d %s (forged %v): %s", round, p, forged, a.leak()))
				}
			})
		}
		close(start)
		wg.Wait()
		for _, p := range paths {
			if l := h.must("GET", p, false).leak(); l != "" {
				leaks = append(leaks, fmt.Sprintf("round %d, after the burst, honest %s: %s", round, p, l))
			}
		}
	}
	for _, e := range errs {
		t.Errorf("request failed: %s", e)
	}
	for _, l := range leaks {
		t.Errorf("forged name served: %s", l)
	}
	t.Logf("%d rounds × %d concurrent requests (half forged) over %d pages, then every page read back: %d leaks",
		rounds, perRound, len(paths), len(leaks))
}

// TestForwardedPrefix checks that X-Forwarded-Prefix steers gin's
// trailing-slash redirects only when a trusted proxy sends it.
func TestForwardedPrefix(t *testing.T) {
	for _, tt := range []struct {
		name, proxies, want string
	}{
		{"untrusted peer", "", "/tin-tuc/"},
		{"other proxy trusted", "10.0.0.0/8", "/tin-tuc/"},
		{"trusted proxy", "127.0.0.1", "/attacker-prefix/tin-tuc/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, func(c *config.Config) { c.TrustedProxies = tt.proxies })
			h := newHostClient(t, serveSite(t, s))
			a, err := h.get("GET", "/tin-tuc", false, nil, http.Header{"X-Forwarded-Prefix": {forgedPrefix}})
			if err != nil {
				t.Fatal(err)
			}
			if a.status != http.StatusMovedPermanently || a.header.Get("Location") != tt.want {
				t.Errorf("%d Location %q, want 301 %q", a.status, a.header.Get("Location"), tt.want)
			}
		})
	}
}

// TestAllowedHosts checks --allowed-hosts: the listed names (any port
// when the entry has none, any case, a trailing dot) and the --base-url's
// host are answered; any other Host gets 421 with a Vietnamese page that
// no cache keeps, on public and private paths alike.
func TestAllowedHosts(t *testing.T) {
	s := newSite(t, func(c *config.Config) {
		c.BaseURL, c.AllowedHosts = "https://skhcn.quangngai.gov.vn/cchc", "cchc.example.vn, 127.0.0.1, noi-bo.example.vn:8443"
	})
	h := newHostClient(t, serveSite(t, s))
	tests := []struct {
		host string
		want int
	}{
		{"127.0.0.1", http.StatusOK},
		{strings.TrimPrefix(h.base, "http://"), http.StatusOK},
		{"cchc.example.vn", http.StatusOK},
		{"CCHC.Example.VN.", http.StatusOK},
		{"cchc.example.vn:8080", http.StatusOK},
		{"skhcn.quangngai.gov.vn", http.StatusOK},
		{"noi-bo.example.vn:8443", http.StatusOK},
		{"noi-bo.example.vn", http.StatusMisdirectedRequest},
		{"noi-bo.example.vn:8444", http.StatusMisdirectedRequest},
		{forgedHost, http.StatusMisdirectedRequest},
		{"example.vn", http.StatusMisdirectedRequest},
		{"xcchc.example.vn", http.StatusMisdirectedRequest},
		{"localhost", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		for _, p := range []string{"/", "/rss.xml", "/quan-tri/dang-nhap", "/khong-co-trang-nay"} {
			req, _ := http.NewRequest("GET", h.base+p, nil)
			req.Host = tt.host
			res, err := h.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			want := tt.want
			if want == http.StatusOK && p == "/khong-co-trang-nay" {
				want = http.StatusNotFound
			}
			if res.StatusCode != want {
				t.Errorf("Host %q %s: %d, want %d", tt.host, p, res.StatusCode, want)
			}
			if want == http.StatusMisdirectedRequest {
				if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Host %q %s: 421 with Cache-Control %q", tt.host, p, cc)
				}
				if !strings.Contains(string(b), "tên miền") || strings.Contains(string(b), tt.host) {
					t.Errorf("Host %q %s: 421 page without the Vietnamese message, or naming the host:\n%s", tt.host, p, b)
				}
			}
		}
	}
}
