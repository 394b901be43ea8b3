package admin_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

func TestLoginPage(t *testing.T) {
	s := newServer(t)
	res := s.do(request{method: "GET", path: admin.LoginPath + "?next=/quan-tri/nhat-ky"})
	for _, want := range []string{
		`<html lang="vi">`, `<label for="name">Tên đăng nhập</label>`, `autocomplete="username"`,
		`<label for="password">Mật khẩu</label>`, `autocomplete="current-password"`,
		`name="next" value="/quan-tri/nhat-ky"`, `name="csrf"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	for _, bad := range []string{"<script", "style="} {
		if strings.Contains(res.body, bad) {
			t.Errorf("login page has %s (strict CSP)", bad)
		}
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	css := regexpFind(res.body, `href="(/quan-tri/assets/admin\.[0-9a-f]+\.css)"`)
	if css == "" {
		t.Fatal("no admin stylesheet link")
	}
	if a := s.do(request{method: "GET", path: css}); a.StatusCode != http.StatusOK || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %s", a.StatusCode, a.Header.Get("Content-Type"))
	}
}

func TestLoginCookie(t *testing.T) {
	tests := []struct {
		name   string
		tls    bool
		secure bool
	}{
		{"plain HTTP", false, false},
		{"TLS", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			c, tok := s.loginForm()
			res := s.do(request{method: "POST", path: admin.LoginPath, tls: tt.tls, cookies: []*http.Cookie{c},
				form: url.Values{"csrf": {tok}, "name": {" Editor "}, "password": {testsupport.Password}}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/quan-tri/" {
				t.Fatalf("status %d Location %q", res.StatusCode, res.Header.Get("Location"))
			}
			sc := res.cookie(admin.CookieName)
			if sc == nil {
				t.Fatal("no session cookie")
			}
			if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Secure != tt.secure {
				t.Errorf("cookie flags: HttpOnly=%v SameSite=%v Path=%q Secure=%v", sc.HttpOnly, sc.SameSite, sc.Path, sc.Secure)
			}
			if !auth.ValidToken(sc.Value) {
				t.Errorf("cookie value %q is not a 256-bit token", sc.Value)
			}
			// Only the hash is stored.
			var n int
			s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, sc.Value).Scan(&n)
			if n != 0 {
				t.Error("the raw token is stored")
			}
			if _, err := s.env.Store.SessionByHash(context.Background(), auth.HashToken(sc.Value)); err != nil {
				t.Errorf("no session row for the token's hash: %v", err)
			}
			page := s.do(request{method: "GET", path: "/quan-tri/", cookies: []*http.Cookie{sc}})
			if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "Xin chào, editor") || !strings.Contains(page.body, "Biên tập viên") {
				t.Errorf("dashboard %d:\n%s", page.StatusCode, page.body)
			}
		})
	}
}

func TestLoginSecureBehindHTTPSBaseURL(t *testing.T) {
	// Behind a TLS-terminating proxy the request is plain HTTP, but the
	// public address says https.
	s := newServerWith(t, func(c *serverConfig) { c.baseURL = "https://cchc.example.gov.vn" })
	res := s.tryLogin("editor", testsupport.Password, "")
	if sc := res.cookie(admin.CookieName); sc == nil || !sc.Secure {
		t.Fatalf("cookie %+v is not Secure with an https base URL", sc)
	}
}

func TestSessionFixation(t *testing.T) {
	s := newServer(t)
	// An attacker's own session, planted in the victim's browser.
	planted := s.login(auth.Viewer).cookie
	res := s.tryLogin("editor", testsupport.Password, "", planted)
	sc := res.cookie(admin.CookieName)
	if sc == nil || sc.Value == planted.Value {
		t.Fatalf("the planted token was kept: %+v", sc)
	}
	if _, err := s.env.Store.SessionByHash(context.Background(), auth.HashToken(planted.Value)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the planted session still exists: %v", err)
	}
	// A made-up token is not promoted either.
	made, _, _ := auth.NewToken()
	res = s.tryLogin("editor", testsupport.Password, "", &http.Cookie{Name: admin.CookieName, Value: made})
	if sc := res.cookie(admin.CookieName); sc == nil || sc.Value == made {
		t.Fatal("a chosen token was promoted to a session")
	}
}

func TestLogout(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Editor)
	res := s.do(request{method: "POST", path: admin.LogoutPath, cookies: []*http.Cookie{se.cookie}, form: url.Values{"csrf": {se.csrf}}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if c := res.cookie(admin.CookieName); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout did not clear the cookie: %+v", c)
	}
	// The old cookie no longer opens anything.
	res = s.do(request{method: "GET", path: "/quan-tri/", cookies: []*http.Cookie{se.cookie}})
	if res.StatusCode != http.StatusFound {
		t.Fatalf("after logout: %d", res.StatusCode)
	}
	page := s.do(request{method: "GET", path: admin.LoginPath + "?da-dang-xuat=1"})
	if !strings.Contains(page.body, "Bạn đã đăng xuất.") {
		t.Error("no logout notice")
	}
}

func TestSessionExpiry(t *testing.T) {
	tests := []struct {
		name  string
		steps []time.Duration // clock advances, each followed by a request
		ok    []bool          // whether each request is still logged in
	}{
		{"used within the idle time", []time.Duration{7 * time.Hour, 7 * time.Hour}, []bool{true, true}},
		{"idle 8 hours", []time.Duration{8 * time.Hour}, []bool{false}},
		{"absolute 7 days", []time.Duration{7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour,
			7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour,
			7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour, 7 * time.Hour,
			7 * time.Hour, 7 * time.Hour, 7 * time.Hour}, // 175 h > 168 h
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			se := s.login(auth.Editor)
			hash := auth.HashToken(se.cookie.Value)
			var last bool
			for i, d := range tt.steps {
				s.clock.Add(d)
				res := s.do(request{method: "GET", path: "/quan-tri/", cookies: []*http.Cookie{se.cookie}})
				last = res.StatusCode == http.StatusOK
				if tt.ok != nil && last != tt.ok[i] {
					t.Fatalf("step %d (+%v): status %d, want logged in = %v", i, d, res.StatusCode, tt.ok[i])
				}
				if !last && res.StatusCode != http.StatusFound {
					t.Fatalf("step %d: expired session answered %d, want 302", i, res.StatusCode)
				}
				if !last {
					break
				}
			}
			if tt.ok == nil && last {
				t.Fatal("a session older than 7 days is still accepted")
			}
			if !last {
				if _, err := s.env.Store.SessionByHash(context.Background(), hash); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("the expired session was not deleted: %v", err)
				}
			}
		})
	}
	t.Run("login sweeps expired sessions", func(t *testing.T) {
		s := newServer(t)
		s.login(auth.Editor)
		s.login(auth.Approver)
		s.clock.Add(9 * time.Hour)
		s.login(auth.Admin)
		if n, _ := s.env.Store.CountSessions(context.Background(), 0); n != 1 {
			t.Fatalf("%d sessions left, want 1", n)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	msg := func(n int) string {
		return fmt.Sprintf("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %d phút.", n)
	}
	t.Run("per account", func(t *testing.T) {
		s := newServer(t)
		for i := range 5 {
			res := s.tryLogin("editor", "sai mật khẩu rồi", fmt.Sprintf("198.51.100.%d:1", i))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d: %d", i+1, res.StatusCode)
			}
		}
		// Even the right password, from a new address, is refused now.
		res := s.tryLogin("editor", testsupport.Password, "203.0.113.9:1")
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, msg(5)) {
			t.Fatalf("status %d, want 429 with %q\n%s", res.StatusCode, msg(5), res.body)
		}
		if res.Header.Get("Retry-After") != "300" {
			t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
		}
		// Other accounts are not affected.
		if res := s.tryLogin("approver", testsupport.Password, "203.0.113.9:1"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("another account: %d", res.StatusCode)
		}
		s.clock.Add(5 * time.Minute)
		if res := s.tryLogin("editor", testsupport.Password, "203.0.113.9:1"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("after the wait: %d\n%s", res.StatusCode, res.body)
		}
		// Refusals are summed in memory and written when their window
		// closes (or at shutdown).
		if err := s.env.LoginAudit.Flush(context.Background(), true); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(s.auditActions(), string(store.AuditLoginThrottled)) {
			t.Error("throttled attempt not audited")
		}
	})
	t.Run("per address", func(t *testing.T) {
		s := newServer(t)
		for i := range 20 {
			s.tryLogin(fmt.Sprintf("doan%d", i), "sai mật khẩu rồi", "192.0.2.50:4000")
		}
		res := s.tryLogin("editor", testsupport.Password, "192.0.2.50:4001")
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, msg(1)) {
			t.Fatalf("status %d, want 429 with %q", res.StatusCode, msg(1))
		}
		if res := s.tryLogin("editor", testsupport.Password, "192.0.2.51:4000"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("another address: %d", res.StatusCode)
		}
	})
}

// TestNoUserEnumeration: an unknown account and a wrong password give the
// same answer, and so does the rate limit.
func TestNoUserEnumeration(t *testing.T) {
	s := newServer(t)
	// One browser (one form token), so the pages can be compared after
	// swapping the typed name.
	c, tok := s.loginForm()
	answer := func(name string) (int, string) {
		res := s.do(request{method: "POST", path: admin.LoginPath, addr: "198.51.100.1:1", cookies: []*http.Cookie{c},
			form: url.Values{"csrf": {tok}, "name": {name}, "password": {"sai mật khẩu rồi"}}})
		return res.StatusCode, strings.ReplaceAll(res.body, `value="`+name+`"`, `value="NAME"`)
	}
	for i := range 6 {
		ks, kb := answer("editor")
		us, ub := answer("nobody")
		if ks != us || kb != ub {
			t.Fatalf("attempt %d: known account %d, unknown %d; bodies differ:\n%s\n----\n%s", i+1, ks, us, kb, ub)
		}
		if i < 5 && !strings.Contains(kb, "Tên đăng nhập hoặc mật khẩu không đúng.") {
			t.Fatalf("attempt %d: no failure message", i+1)
		}
		if i == 5 && ks != http.StatusTooManyRequests {
			t.Fatalf("sixth attempt: %d, want 429 for both", ks)
		}
	}
	// A disabled account answers like a wrong password, even with the
	// right one.
	err := s.env.Store.Tx(context.Background(), func(tx *sql.Tx) error {
		return s.env.Store.SetUserDisabled(context.Background(), tx, s.users[auth.Approver].ID, true, s.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	res := s.tryLogin("approver", testsupport.Password, "198.51.100.2:1")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Tên đăng nhập hoặc mật khẩu không đúng.") {
		t.Fatalf("disabled account: %d\n%s", res.StatusCode, res.body)
	}
	if res.cookie(admin.CookieName) != nil {
		t.Fatal("a disabled account got a session")
	}
}

func TestLoginErrorsKeepName(t *testing.T) {
	s := newServer(t)
	res := s.tryLogin("editor", "một mật khẩu sai bét", "")
	if !strings.Contains(res.body, `value="editor"`) {
		t.Error("the typed name is not shown again")
	}
	if strings.Contains(res.body, "một mật khẩu sai bét") {
		t.Error("the typed password is shown again")
	}
	res = s.tryLogin("", "", "")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Vui lòng nhập tên đăng nhập và mật khẩu.") {
		t.Errorf("empty form: %d", res.StatusCode)
	}
}

func TestLoginForgery(t *testing.T) {
	s := newServer(t)
	c, tok := s.loginForm()
	tests := []struct {
		name    string
		cookies []*http.Cookie
		csrf    string
		header  map[string]string
	}{
		{"no form cookie", nil, tok, nil},
		{"no form token", []*http.Cookie{c}, "", nil},
		{"cross-site Origin", []*http.Cookie{c}, tok, map[string]string{"Origin": "https://evil.example"}},
		{"cross-site fetch", []*http.Cookie{c}, tok, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.snapshot()
			res := s.do(request{method: "POST", path: admin.LoginPath, cookies: tt.cookies, header: tt.header,
				form: url.Values{"csrf": {tt.csrf}, "name": {"editor"}, "password": {testsupport.Password}}})
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
			if res.cookie(admin.CookieName) != nil || s.snapshot() != before {
				t.Fatal("a forged login opened a session")
			}
		})
	}
}

func TestLoginNext(t *testing.T) {
	tests := []struct {
		name, next, want string
		role             auth.Role
	}{
		{"local page", "/quan-tri/nhat-ky?trang=2", "/quan-tri/nhat-ky?trang=2", auth.Admin},
		{"none, editor", "", "/quan-tri/", auth.Editor},
		{"none, viewer", "", "/bao-cao/", auth.Viewer},
		{"scheme-relative", "//evil.example/", "/quan-tri/", auth.Editor},
		{"absolute", "http://evil.example/", "/quan-tri/", auth.Editor},
		{"backslash", `/\evil.example`, "/quan-tri/", auth.Editor},
		{"javascript", "javascript:alert(1)", "/quan-tri/", auth.Editor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			c, tok := s.loginForm()
			res := s.do(request{method: "POST", path: admin.LoginPath, cookies: []*http.Cookie{c},
				form: url.Values{"csrf": {tok}, "name": {string(tt.role)}, "password": {testsupport.Password}, "next": {tt.next}}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
				t.Fatalf("status %d Location %q, want %q", res.StatusCode, res.Header.Get("Location"), tt.want)
			}
		})
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/quan-tri/", "/quan-tri/"},
		{"/bao-cao/?nam=2022", "/bao-cao/?nam=2022"},
		{"", ""},
		{"quan-tri", ""},
		{"//evil.example", ""},
		{`/\evil.example`, ""},
		{`/a\b`, ""},
		{"http://evil.example/", ""},
		{"https:evil.example", ""},
		{"/\t/evil.example", ""},
		{"/\n", ""},
		{"javascript:alert(1)", ""},
		{"/" + strings.Repeat("a", 3000), ""},
	}
	for _, tt := range tests {
		if got := admin.SafeNext(tt.in); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/quan-tri/", "//evil", `/\evil`, "http://x", "/%2F%2Fevil", "/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := admin.SafeNext(s)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") ||
			strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\t\r\n") {
			t.Fatalf("SafeNext(%q) = %q leaves the site", s, got)
		}
	})
}

func TestViewer(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Viewer)
	res := s.do(request{method: "GET", path: "/quan-tri/", cookies: []*http.Cookie{se.cookie}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, `href="/bao-cao/"`) {
		t.Fatalf("viewer on the dashboard: %d", res.StatusCode)
	}
}
