package admin_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// wire is the real router listening on 127.0.0.1, with a client that
// holds a connection per concurrent request and does not follow
// redirects, and the login form's cookie and token (one browser's form,
// reused by every request as an attacker's script would).
type wire struct {
	s      *server
	url    string
	client *http.Client
	cookie *http.Cookie
	token  string
}

func (s *server) listen() *wire {
	s.t.Helper()
	ts := httptest.NewServer(s.h)
	s.t.Cleanup(ts.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 400}
	s.t.Cleanup(tr.CloseIdleConnections)
	w := &wire{s: s, url: ts.URL, client: &http.Client{Transport: tr, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	w.cookie, w.token = s.loginForm()
	return w
}

// answer is what a login POST got back.
type answer struct {
	status  int
	body    string
	retry   string
	session bool
}

// login posts the login form with X-Forwarded-For xff (none when "").
func (w *wire) login(name, password, xff string) answer {
	form := url.Values{"csrf": {w.token}, "name": {name}, "password": {password}}
	req, err := http.NewRequest(http.MethodPost, w.url+admin.LoginPath, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(w.cookie)
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	res, err := w.client.Do(req)
	if err != nil {
		return answer{status: -1, body: err.Error()}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, body: string(b), retry: res.Header.Get("Retry-After")}
	for _, c := range res.Cookies() {
		if c.Name == admin.CookieName && c.Value != "" {
			a.session = true
		}
	}
	return a
}

// burst sends n logins at once (released together once every goroutine
// is ready) and returns the answers in order.
func (w *wire) burst(n int, attempt func(i int) (name, password, xff string)) []answer {
	out := make([]answer, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Go(func() {
			name, pw, xff := attempt(i)
			ready.Done()
			<-start
			out[i] = w.login(name, pw, xff)
		})
	}
	ready.Wait()
	close(start)
	done.Wait()
	return out
}

// tally counts answers by status.
func tally(answers []answer) map[int]int {
	m := map[int]int{}
	for _, a := range answers {
		m[a.status]++
	}
	return m
}

const (
	wrongPassword = "không phải mật khẩu"
	msgFailed     = "Tên đăng nhập hoặc mật khẩu không đúng."
	msgThrottled  = "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau"
)

// TestLoginBurst sends bursts of 30, 100 and 300 wrong logins at once —
// for one name from many addresses, for one name that does not exist, and
// for many names from one address (with forged X-Forwarded-For headers,
// which a server trusting no proxy ignores) — through the real router on
// 127.0.0.1. At most the allowance is checked (422), the rest is refused
// (429); then a second burst in which every tenth login has the right
// password gets 429 throughout and opens no session. Before the limiter
// counted attempts ahead of the check, 100 wrong guesses at once all got
// 422 and a right password in the burst got in.
func TestLoginBurst(t *testing.T) {
	tests := []struct {
		name      string
		proxies   string // trusted proxies: 127.0.0.1 makes X-Forwarded-For the client address
		allowance int
		attempt   func(i int) (name, password, xff string)
		// second burst; every tenth has the right password
		after func(i int) (name, password, xff string)
	}{
		{"one name, many addresses", "127.0.0.1/32", auth.DefaultLimits.AccountBurst,
			func(i int) (string, string, string) {
				return "editor", wrongPassword, fmt.Sprintf("10.1.%d.%d", i/200, i%200)
			},
			func(i int) (string, string, string) {
				return "editor", pick(i%10 == 9, testsupport.Password, wrongPassword), fmt.Sprintf("10.2.%d.%d", i/200, i%200)
			}},
		{"one unknown name, many addresses", "127.0.0.1/32", auth.DefaultLimits.AccountBurst,
			func(i int) (string, string, string) {
				return "khongco", wrongPassword, fmt.Sprintf("10.1.%d.%d", i/200, i%200)
			},
			func(i int) (string, string, string) {
				return "khongco", wrongPassword, fmt.Sprintf("10.2.%d.%d", i/200, i%200)
			}},
		{"many names, one address, forged X-Forwarded-For", "", auth.DefaultLimits.AddressBurst,
			func(i int) (string, string, string) {
				return fmt.Sprintf("doan%d", i), wrongPassword, fmt.Sprintf("203.0.113.%d", i%250)
			},
			func(i int) (string, string, string) {
				if i%10 == 9 {
					return "approver", testsupport.Password, fmt.Sprintf("198.51.100.%d", i%250)
				}
				return fmt.Sprintf("doan-khac%d", i), wrongPassword, fmt.Sprintf("198.51.100.%d", i%250)
			}},
	}
	for _, n := range []int{30, 100, 300} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%d %s", n, tt.name), func(t *testing.T) {
				s := newServerWith(t, func(c *serverConfig) { c.trustedProxies = tt.proxies })
				w := s.listen()
				began := time.Now()
				first := w.burst(n, tt.attempt)
				took := time.Since(began)
				got := tally(first)
				if got[422] < 1 || got[422] > tt.allowance || got[429] != n-got[422] {
					t.Fatalf("burst of %d: %v; want at most %d checked (422) and the rest refused (429)", n, got, tt.allowance)
				}
				for i, a := range first {
					switch {
					case a.status == 422 && !strings.Contains(a.body, msgFailed),
						a.status == 429 && (!strings.Contains(a.body, msgThrottled) || a.retry == ""):
						t.Fatalf("answer %d (%d) lacks its message or Retry-After:\n%s", i, a.status, a.body)
					}
				}
				// On a slow machine some attempts find no turn within
				// SlotWait and are refused as busy, their tokens given
				// back: burst again until the whole allowance is spent,
				// never checking more than it.
				for checked, round := got[422], 2; checked < tt.allowance; round++ {
					more := tally(w.burst(n, tt.attempt))
					if checked+more[422] > tt.allowance || more[429] != n-more[422] {
						t.Fatalf("burst %d of %d: %v after %d checked; want at most %d checked in all", round, n, more, checked, tt.allowance)
					}
					if round > 10 {
						t.Fatalf("after %d bursts only %d of %d attempts were checked", round, checked, tt.allowance)
					}
					checked += more[422]
				}
				second := w.burst(n, tt.after)
				if got2 := tally(second); got2[429] != n {
					t.Fatalf("second burst of %d once the limit is spent: %v, want all 429", n, got2)
				}
				for i, a := range second {
					if a.session {
						t.Fatalf("answer %d of the second burst opened a session", i)
					}
				}
				if k, _ := s.env.Store.CountSessions(context.Background(), 0); k != 0 {
					t.Fatalf("%d sessions opened by the bursts", k)
				}
				t.Logf("burst of %d (%s): %v in %v; second burst all 429", n, tt.name, got, took.Round(time.Millisecond))
			})
		}
	}
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// TestLoginKeepsPageCache: failed logins, a refused one, and a login and
// logout write to the database, but change nothing the public sees, so a
// cached public page is still a cache hit after them. Before, every
// commit emptied the cache: each anonymous failed login made the next
// visitor of every page a miss.
func TestLoginKeepsPageCache(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	if _, err := s.env.Publish.Import(ctx, testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	get := func(path string) {
		t.Helper()
		if res := s.do(request{method: "GET", path: path}); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
	}
	pages := []string{"/", "/tin-tuc/", "/van-ban/"}
	for _, p := range pages {
		get(p)
	}
	hits0, misses0, _ := s.env.Pages.Stats()
	for i := range 100 {
		s.tryLogin(fmt.Sprintf("doan%d", i%7), wrongPassword, fmt.Sprintf("198.51.100.%d:1", i))
	}
	se := s.login(auth.Editor)
	s.do(request{method: "POST", path: admin.LogoutPath, cookies: []*http.Cookie{se.cookie}, form: url.Values{"csrf": {se.csrf}}})
	if err := s.env.LoginAudit.Flush(ctx, true); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		get(p)
	}
	hits, misses, _ := s.env.Pages.Stats()
	if misses != misses0 || hits != hits0+uint64(len(pages)) {
		t.Fatalf("after 100 failed logins, a login and a logout: %d hits and %d misses more, want %d hits and no miss",
			hits-hits0, misses-misses0, len(pages))
	}
	// A real change still empties it (the hook is not simply gone).
	it, err := s.env.Store.ItemBySlug(ctx, "article", "bao-cao-ket-qua-tuyen-truyen-cchc-2022")
	if err != nil {
		t.Fatal(err)
	}
	_, misses1, _ := s.env.Pages.Stats()
	approver := publish.Actor{Name: "approver", Role: auth.Approver}
	if _, err := s.env.Publish.Transition(ctx, approver, publish.TransitionRequest{ID: it.ID, Action: auth.ActWithdraw, Note: "Đã có báo cáo chính thức"}); err != nil {
		t.Fatal(err)
	}
	get("/tin-tuc/")
	if _, m, _ := s.env.Pages.Stats(); m != misses1+1 {
		t.Fatal("a withdrawal did not empty the page cache")
	}
}

// countRe reads the number of attempts a summary row stands for.
var countRe = regexp.MustCompile(`(\d+) lần`)

// attempts is the number of login attempts audit entry e stands for: 1
// for a row written at once, the count of a summary.
func attempts(e store.AuditEntry) int {
	if m := countRe.FindStringSubmatch(e.Detail); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// loginRows returns the audit entries of failed and refused logins.
func (s *server) loginRows() []store.AuditEntry {
	s.t.Helper()
	entries, _, err := s.env.Store.AuditEntries(context.Background(), 100000, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range entries {
		if e.Action.Anonymous() {
			out = append(out, e)
		}
	}
	return out
}

// TestLoginAuditSummary: within a window, the first failure of a name and
// address is written at once and the rest is summed; refusals are summed
// per account (or address); the summaries are written when the window
// closes, truthfully (count, first and last time), and shown on the audit
// page.
func TestLoginAuditSummary(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	for i := range 8 {
		s.tryLogin("editor", wrongPassword, "198.51.100.7:1")
		if i == 0 {
			if rows := s.loginRows(); len(rows) != 1 || rows[0].Detail != "sai mật khẩu" || rows[0].Address != "198.51.100.7" {
				t.Fatalf("after the first failure: %+v, want its own row at once", rows)
			}
		}
		s.clock.Add(time.Second)
	}
	if err := s.env.LoginAudit.Flush(ctx, false); err != nil {
		t.Fatal(err)
	}
	if rows := s.loginRows(); len(rows) != 1 {
		t.Fatalf("%d rows before the window closed, want 1: %+v", len(rows), rows)
	}
	s.clock.Add(admin.LoginAuditWindow)
	if err := s.env.LoginAudit.Flush(ctx, false); err != nil {
		t.Fatal(err)
	}
	rows := s.loginRows()
	var details []string
	total := 0
	for _, e := range rows {
		details = append(details, e.Detail)
		total += attempts(e)
		if e.Actor != "editor" || e.Address != "198.51.100.7" {
			t.Errorf("row %+v is not editor's from 198.51.100.7", e)
		}
	}
	// Newest first; the server's clock started at 08:00 UTC (15:00 in
	// Vietnam): five failures at 0–4 s, then three refusals at 5–7 s.
	want := []string{
		"tài khoản đã hết lượt thử: từ chối 3 lần từ 15:00:05 02/03/2026 đến 15:00:07 02/03/2026, từ 1 địa chỉ",
		"sai mật khẩu: thêm 4 lần từ 15:00:01 02/03/2026 đến 15:00:04 02/03/2026 (lần đầu đã ghi riêng)",
		"sai mật khẩu",
	}
	if !slices.Equal(details, want) || total != 8 {
		t.Fatalf("rows after the window closed:\n%s\nwant\n%s\n(standing for %d attempts, want 8)", strings.Join(details, "\n"), strings.Join(want, "\n"), total)
	}
	page := s.do(request{method: "GET", path: admin.AuditPath, cookies: []*http.Cookie{s.login(auth.Admin).cookie}})
	for _, d := range details {
		if !strings.Contains(page.body, d) {
			t.Errorf("the audit page lacks %q", d)
		}
	}
}

// TestLoginAuditBounds: a flood of made-up names and addresses fills at
// most LoginAuditKeys keys a window; the rest is summed into one key per
// action, and the rows still account for every attempt.
func TestLoginAuditBounds(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	la := s.env.LoginAudit
	for i := range 300 {
		la.Refused(fmt.Sprintf("ten%d", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256), &auth.Throttled{Wait: time.Minute, Busy: true}, s.clock.Now())
		la.Failed(ctx, fmt.Sprintf("doan%d", i), fmt.Sprintf("10.1.%d.%d", i/256, i%256), "không có tài khoản này", s.clock.Now())
	}
	if err := la.Flush(ctx, true); err != nil {
		t.Fatal(err)
	}
	rows := s.loginRows()
	total := 0
	for _, e := range rows {
		total += attempts(e)
	}
	// 256 keys (128 of each action, taken in turn: a summary for each
	// refusal key, a row at once for each failure), then one overflow key
	// per action (a summary; for the failures also a row at once).
	want := admin.LoginAuditKeys + 3
	if len(rows) != want || total != 600 {
		t.Fatalf("%d rows standing for %d attempts, want %d rows for 600", len(rows), total, want)
	}
	// A new window counts afresh.
	s.clock.Add(admin.LoginAuditWindow)
	la.Failed(ctx, "doan0", "10.1.0.0", "không có tài khoản này", s.clock.Now())
	if n := len(s.loginRows()); n != want+1 {
		t.Fatalf("a failure in the next window: %d rows, want %d", n, want+1)
	}
}

// TestLoginAuditRun: what is counted when the server stops is written
// before Run returns (serve closes the database after that).
func TestLoginAuditRun(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.env.LoginAudit.Run(ctx, time.Hour)
		close(done)
	}()
	for range 7 {
		s.tryLogin("editor", wrongPassword, "198.51.100.7:1")
	}
	if n := len(s.loginRows()); n != 1 {
		t.Fatalf("%d rows while serving, want 1", n)
	}
	cancel()
	<-done
	total := 0
	for _, e := range s.loginRows() {
		total += attempts(e)
	}
	if total != 7 {
		t.Fatalf("after shutdown the rows stand for %d attempts, want 7", total)
	}
}

// floodSeconds is how long TestLoginFlood floods (CCHC_LOGIN_FLOOD_SECONDS,
// default 3).
func floodSeconds(t *testing.T) time.Duration {
	if v := os.Getenv("CCHC_LOGIN_FLOOD_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("CCHC_LOGIN_FLOOD_SECONDS=%q", v)
		}
		return time.Duration(n) * time.Second
	}
	return 3 * time.Second
}

// TestLoginFlood: four clients send wrong logins back to back for a few
// seconds — one name from one address, another name from another, new
// names from one address, new names from new addresses — while a reader
// fetches a public page. The audit log gets a bounded number of rows that
// together account for every attempt, and the reader's page stays a cache
// hit throughout. Before, every attempt was a row and a cache drop
// (4 clients for 10 s: 4,461 rows, public latency ×10).
func TestLoginFlood(t *testing.T) {
	s := newServerWith(t, func(c *serverConfig) { c.trustedProxies = "127.0.0.1/32" })
	ctx := context.Background()
	if _, err := s.env.Publish.Import(ctx, testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	w := s.listen()
	get := func() (time.Duration, error) {
		began := time.Now()
		res, err := w.client.Get(w.url + "/tin-tuc/")
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET /tin-tuc/: %d", res.StatusCode)
		}
		return time.Since(began), nil
	}
	// Quiet reads first, for comparison.
	var quiet []time.Duration
	for range 200 {
		d, err := get()
		if err != nil {
			t.Fatal(err)
		}
		quiet = append(quiet, d)
	}
	hits0, misses0, _ := s.env.Pages.Stats()

	clients := []func(i int) (string, string){
		func(int) (string, string) { return "editor", "198.51.100.1" },
		func(int) (string, string) { return "admin", "198.51.100.2" },
		func(i int) (string, string) { return fmt.Sprintf("doan%d", i), "198.51.100.3" },
		func(i int) (string, string) {
			return fmt.Sprintf("ngaunhien%d", i), fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256)
		},
	}
	d := floodSeconds(t)
	stop := time.Now().Add(d)
	var sent atomic.Int64
	statuses := make([]map[int]int, len(clients))
	var wg sync.WaitGroup
	for c, client := range clients {
		statuses[c] = map[int]int{}
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				name, addr := client(i)
				a := w.login(name, wrongPassword, addr)
				statuses[c][a.status]++
				sent.Add(1)
			}
		})
	}
	var loud []time.Duration
	for time.Now().Before(stop) {
		dur, err := get()
		if err != nil {
			t.Fatal(err)
		}
		loud = append(loud, dur)
	}
	wg.Wait()
	hits, misses, _ := s.env.Pages.Stats()
	if err := s.env.LoginAudit.Flush(ctx, true); err != nil {
		t.Fatal(err)
	}

	for c, st := range statuses {
		for code := range st {
			if code != 422 && code != 429 {
				t.Errorf("client %d got %d answers with status %d", c, st[code], code)
			}
		}
	}
	rows := s.loginRows()
	total := 0
	for _, e := range rows {
		total += attempts(e)
	}
	if total != int(sent.Load()) {
		t.Errorf("the audit rows stand for %d attempts, %d were made", total, sent.Load())
	}
	// One window (the clock stands still): at most one row at once per
	// key and one summary per key, with at most LoginAuditKeys keys plus
	// one overflow key per action.
	bound := 2*admin.LoginAuditKeys + 3
	if len(rows) > bound {
		t.Errorf("%d audit rows for %d attempts, want at most %d", len(rows), sent.Load(), bound)
	}
	if misses != misses0 || hits-hits0 != uint64(len(loud)) {
		t.Errorf("during the flood the page was a miss %d times (hits %d of %d reads)", misses-misses0, hits-hits0, len(loud))
	}
	t.Logf("flood %v, 4 clients: %d attempts (%v), %d audit rows; public page p50 %v p99 %v quiet, p50 %v p99 %v during the flood (%d reads, all cache hits: %v)",
		d, sent.Load(), statuses, len(rows), pct(quiet, 50), pct(quiet, 99), pct(loud, 50), pct(loud, 99), len(loud), misses == misses0)
}

// pct is the p-th percentile of ds.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(10 * time.Microsecond)
}
