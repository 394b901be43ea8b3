package admin_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// server is the real router over a migrated database in a temp dir, with
// one account per role named after the role.
type server struct {
	t     *testing.T
	env   *app.Env
	h     http.Handler
	clock *testsupport.Clock
	users map[auth.Role]*store.User
}

// serverConfig are the options of newServerWith.
type serverConfig struct {
	baseURL        string
	trustedProxies string
	noReview       bool // --require-review=false
}

func newServer(t *testing.T) *server { return newServerWith(t) }

func newServerWith(t *testing.T, opts ...func(*serverConfig)) *server {
	t.Helper()
	var sc serverConfig
	for _, o := range opts {
		o(&sc)
	}
	cfg := config.Defaults
	cfg.BaseURL = sc.baseURL
	cfg.TrustedProxies = sc.trustedProxies
	cfg.RequireReview = !sc.noReview
	clk := testsupport.NewClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	env := testsupport.Open(t, cfg, clk.Now)
	s := &server{t: t, env: env, h: testsupport.Handler(t, env), clock: clk, users: map[auth.Role]*store.User{}}
	for _, r := range auth.Roles {
		s.users[r] = s.addUser(string(r), r)
	}
	return s
}

func (s *server) addUser(name string, role auth.Role) *store.User {
	s.t.Helper()
	return testsupport.AddUser(s.t, s.env, name, role, s.clock.Now())
}

// request is one request to send.
type request struct {
	method, path string
	form         url.Values
	cookies      []*http.Cookie
	header       map[string]string
	addr         string // RemoteAddr, "192.0.2.1:1234" by default
	tls          bool
}

// response is what came back.
type response struct {
	*http.Response
	body string
}

func (r response) cookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (s *server) do(rq request) response {
	s.t.Helper()
	var body io.Reader
	if rq.form != nil {
		body = strings.NewReader(rq.form.Encode())
	}
	req := httptest.NewRequest(rq.method, rq.path, body)
	if rq.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	for k, v := range rq.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	if rq.addr != "" {
		req.RemoteAddr = rq.addr
	}
	if rq.tls {
		req.TLS = tlsState()
	}
	for _, c := range rq.cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	res := w.Result()
	return response{Response: res, body: w.Body.String()}
}

// formToken finds the csrf field of a page.
func formToken(t *testing.T, body string) string {
	t.Helper()
	m := testsupport.CSRFField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field in page:\n%s", body)
	}
	return m[1]
}

// loginForm opens the login page and returns its cookie and form token.
func (s *server) loginForm() (*http.Cookie, string) {
	s.t.Helper()
	res := s.do(request{method: "GET", path: admin.LoginPath})
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET login: %d", res.StatusCode)
	}
	c := res.cookie("cchc_login")
	if c == nil {
		s.t.Fatal("login page set no form cookie")
	}
	return c, formToken(s.t, res.body)
}

// tryLogin posts the login form.
func (s *server) tryLogin(name, password, addr string, extra ...*http.Cookie) response {
	s.t.Helper()
	c, tok := s.loginForm()
	return s.do(request{method: "POST", path: admin.LoginPath, addr: addr,
		form:    url.Values{"csrf": {tok}, "name": {name}, "password": {password}},
		cookies: append([]*http.Cookie{c}, extra...)})
}

// session is a logged-in browser.
type session struct {
	cookie *http.Cookie
	csrf   string
}

// login logs the account of role in and returns its session.
func (s *server) login(role auth.Role) session {
	s.t.Helper()
	res := s.tryLogin(string(role), testsupport.Password, "")
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login as %s: %d\n%s", role, res.StatusCode, res.body)
	}
	c := res.cookie(admin.CookieName)
	if c == nil {
		s.t.Fatalf("login as %s set no session cookie", role)
	}
	return session{cookie: c, csrf: s.csrfOf(c)}
}

// csrfOf reads the form token of the session behind cookie c from a page
// (every page has the logout form), and checks it is the session's.
func (s *server) csrfOf(c *http.Cookie) string {
	s.t.Helper()
	res := s.do(request{method: "GET", path: admin.AuditPath, cookies: []*http.Cookie{c}})
	tok := formToken(s.t, res.body)
	se, err := s.env.Store.SessionByHash(context.Background(), auth.HashToken(c.Value))
	if err != nil {
		s.t.Fatalf("session: %v", err)
	}
	if se.CSRF != tok {
		s.t.Fatalf("page token %q is not the session's %q", tok, se.CSRF)
	}
	return tok
}

func tlsState() *tls.ConnectionState { return &tls.ConnectionState{HandshakeComplete: true} }

// snapshot is the state a refused request must not change.
func (s *server) snapshot() string {
	s.t.Helper()
	var b strings.Builder
	rows, err := s.env.DB.Read.Query(`SELECT name, display_name, role, password_hash, COALESCE(disabled_at, 0) FROM users ORDER BY id`)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, dn, role, hash string
		var dis int64
		if err := rows.Scan(&name, &dn, &role, &hash, &dis); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s|%s|%s|%s|%d\n", name, dn, role, hash, dis)
	}
	n, err := s.env.Store.CountSessions(context.Background(), 0)
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(&b, "sessions=%d\n", n)
	set, err := s.env.Store.Settings(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(&b, "settings=%+v\n", *set)
	return b.String()
}

// auditActions lists the actions of the audit log, newest first.
func (s *server) auditActions() []string {
	s.t.Helper()
	entries, _, err := s.env.Store.AuditEntries(context.Background(), 1000, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, string(e.Action))
	}
	return out
}

// regexpFind returns the first group of pattern in s, "" when none.
func regexpFind(s, pattern string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
