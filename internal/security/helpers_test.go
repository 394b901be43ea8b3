// Package security_test proves the service's defences (issue 9, items 4
// and 7) from the outside: XSS payloads in every field, opened in headless
// Chromium; path traversal; oversized requests; sessions, cookies and
// headers; forwarded headers; accessibility (axe-core) and keyboard use;
// and, by class (issue 12), every anonymous route under bursts and every
// input against every output it reaches. It holds tests only.
package security_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	demo "cchc/content"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/store"
)

// Accounts of the test sites.
const (
	adminName = "quantri"
	password  = "mật khẩu kiểm thử an ninh"
)

var passwordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(password)
	if err != nil {
		panic(err)
	}
	return h
})

// site is the whole service over a fresh data folder holding the demo
// content and an admin account.
type site struct {
	env *app.Env
	h   http.Handler
}

func newSite(t testing.TB, edit ...func(*config.Config)) *site {
	t.Helper()
	ctx := context.Background()
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	for _, e := range edit {
		e(&cfg)
	}
	env, err := app.Open(ctx, &cfg, nil, nil)
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	t.Cleanup(func() { env.Close() })
	if _, err := env.Publish.Import(ctx, demo.FS, "content"); err != nil {
		t.Fatalf("import demo content: %v", err)
	}
	now := time.Now()
	u := &store.User{Name: adminName, DisplayName: "Quản trị kiểm thử", Role: auth.Admin, PasswordHash: passwordHash(),
		Created: now, Modified: now, PasswordChanged: now}
	if err := env.Store.Tx(ctx, func(tx *sql.Tx) error { return env.Store.InsertUser(ctx, tx, u) }); err != nil {
		t.Fatalf("add admin: %v", err)
	}
	h, err := env.Handler()
	if err != nil {
		t.Fatalf("Handler: %v", err)
	}
	return &site{env: env, h: h}
}

// client is a browser-like HTTP client against a served site: it keeps
// cookies and does not follow redirects.
type client struct {
	t    testing.TB
	base string
	c    *http.Client
	csrf string
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns the status, the Location and the body.
func (c *client) do(method, path string, form url.Values) (int, string, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login logs the admin in and keeps the session's form token.
func (c *client) login() {
	c.t.Helper()
	st, _, body := c.do("GET", "/quan-tri/dang-nhap", nil)
	m := csrfRe.FindStringSubmatch(body)
	if st != http.StatusOK || m == nil {
		c.t.Fatalf("login page: %d", st)
	}
	st, _, body = c.do("POST", "/quan-tri/dang-nhap", url.Values{"csrf": {m[1]}, "name": {adminName}, "password": {password}})
	if st != http.StatusSeeOther {
		c.t.Fatalf("login: %d\n%s", st, body)
	}
	_, _, body = c.do("GET", "/quan-tri/nhat-ky", nil)
	if m = csrfRe.FindStringSubmatch(body); m == nil {
		c.t.Fatal("no form token after login")
	}
	c.csrf = m[1]
}

// post sends a form of the logged-in session (the token is added).
func (c *client) post(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	form.Set("csrf", c.csrf)
	return c.do("POST", path, form)
}
