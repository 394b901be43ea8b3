package security_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// loginRequest opens the login form and posts it from addr with extra
// headers and cookies; it returns the answer to the POST.
func loginRequest(t *testing.T, h http.Handler, name, pw, addr string, tlsOn bool, header map[string]string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	get := httptest.NewRequest("GET", "/quan-tri/dang-nhap", nil)
	get.RemoteAddr = addr
	w := httptest.NewRecorder()
	h.ServeHTTP(w, get)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("login page: %d", w.Code)
	}
	form := url.Values{"csrf": {m[1]}, "name": {name}, "password": {pw}}
	post := httptest.NewRequest("POST", "/quan-tri/dang-nhap", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.RemoteAddr = addr
	if tlsOn {
		post.TLS = &tls.ConnectionState{HandshakeComplete: true}
	}
	for k, v := range header {
		post.Header.Set(k, v)
	}
	for _, c := range w.Result().Cookies() {
		post.AddCookie(c)
	}
	for _, c := range cookies {
		post.AddCookie(c)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, post)
	return w
}

func sessionCookie(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == "cchc_session" && c.Value != "" {
			return c
		}
	}
	return nil
}

// TestSessionFixation plants a session token in the browser before login
// (as an attacker on a shared computer or a sibling subdomain could): the
// login issues a different token, and the planted one opens nothing.
func TestSessionFixation(t *testing.T) {
	s := newSite(t)
	planted, _, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	w := loginRequest(t, s.h, adminName, testsupport.Password, "192.0.2.10:5000", false, nil, &http.Cookie{Name: "cchc_session", Value: planted})
	got := sessionCookie(w)
	if w.Code != http.StatusSeeOther || got == nil {
		t.Fatalf("login: %d, cookie %v", w.Code, got)
	}
	if got.Value == planted {
		t.Fatal("the planted token was kept at login")
	}
	ctx := context.Background()
	if _, err := s.env.Store.SessionByHash(ctx, auth.HashToken(planted)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("planted token is a session: %v", err)
	}
	if _, err := s.env.Store.SessionByHash(ctx, auth.HashToken(got.Value)); err != nil {
		t.Fatalf("new token is not a session: %v", err)
	}
	// The planted cookie gets no page of the workspace.
	req := httptest.NewRequest("GET", "/quan-tri/", nil)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(&http.Cookie{Name: "cchc_session", Value: planted})
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusFound {
		t.Fatalf("planted token on /quan-tri/: %d", rec.Code)
	}

	// A second login from the same browser ends the first session.
	w2 := loginRequest(t, s.h, adminName, testsupport.Password, "192.0.2.10:5000", false, nil, got)
	again := sessionCookie(w2)
	if again == nil || again.Value == got.Value {
		t.Fatal("second login kept the token")
	}
	if _, err := s.env.Store.SessionByHash(ctx, auth.HashToken(got.Value)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the replaced session lives on: %v", err)
	}
}

// TestCookieFlags checks the session cookie's flags: HttpOnly, SameSite
// Lax, Path /, and Secure exactly when the request came over TLS, when
// --base-url is https, or when a trusted proxy says so.
func TestCookieFlags(t *testing.T) {
	plain := newSite(t, func(c *config.Config) { c.TrustedProxies = "10.0.0.0/8" })
	https := newSite(t, func(c *config.Config) { c.BaseURL = "https://skhcn.quangngai.gov.vn/cchc" })
	proto := map[string]string{"X-Forwarded-Proto": "https"}
	tests := []struct {
		name   string
		s      *site
		addr   string
		tls    bool
		header map[string]string
		secure bool
	}{
		{"plain http", plain, "192.0.2.1:1000", false, nil, false},
		{"tls", plain, "192.0.2.1:1000", true, nil, true},
		{"https base url", https, "192.0.2.1:1000", false, nil, true},
		{"proto from untrusted peer", plain, "192.0.2.1:1000", false, proto, false},
		{"proto from trusted proxy", plain, "10.1.2.3:1000", false, proto, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := loginRequest(t, tt.s.h, adminName, testsupport.Password, tt.addr, tt.tls, tt.header)
			c := sessionCookie(w)
			if c == nil {
				t.Fatalf("login: %d, no session cookie", w.Code)
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tt.secure {
				t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly, Lax, /, Secure=%v",
					c.HttpOnly, c.SameSite, c.Path, c.Secure, tt.secure)
			}
			if c.MaxAge != 0 || !c.Expires.IsZero() {
				t.Errorf("session cookie persists in the browser: Max-Age %d, Expires %v", c.MaxAge, c.Expires)
			}
		})
	}
}
