package admin_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/auth"
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
				return "editor", pick(i%10 == 9, testPassword, wrongPassword), fmt.Sprintf("10.2.%d.%d", i/200, i%200)
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
					return "approver", testPassword, fmt.Sprintf("198.51.100.%d", i%250)
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
