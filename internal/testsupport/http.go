package testsupport

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Do sends one request to h, in the test's process, and returns what h
// answered; header holds name, value pairs.
func Do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Get is Do with GET.
func Get(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	return Do(h, http.MethodGet, target, header...)
}

// CSRFField finds the form token in a page: group 1 is its value.
var CSRFField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Browser is a browser without script talking HTTP to a running server:
// it keeps its cookies, does not follow redirects, asks for HTML, and
// sends the session's form token with every Post.
type Browser struct {
	t testing.TB
	// Base is the server's address, "http://127.0.0.1:PORT".
	Base string
	// Client is the HTTP client, with the cookie jar.
	Client *http.Client
	// CSRF is the session's form token, once logged in.
	CSRF string
}

// NewBrowser is a Browser with no cookies, against base.
func NewBrowser(t testing.TB, base string) *Browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{t: t, Base: base, Client: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Do sends a request, a form when form is not nil, and returns the status,
// the Location header and the body.
func (b *Browser) Do(method, path string, form url.Values) (status int, location, body string) {
	b.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.Base+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.StatusCode, res.Header.Get("Location"), string(got)
}

// Get fetches path; it returns the status and the body.
func (b *Browser) Get(path string) (int, string) {
	b.t.Helper()
	st, _, body := b.Do(http.MethodGet, path, nil)
	return st, body
}

// Post sends form with the session's form token added.
func (b *Browser) Post(path string, form url.Values) (status int, location, body string) {
	b.t.Helper()
	form.Set("csrf", b.CSRF)
	return b.Do(http.MethodPost, path, form)
}

// Login signs in at the workspace's login page as name and keeps the
// session's form token (read from the workspace's home page); it fails
// the test when the login is refused.
func (b *Browser) Login(name, password string) {
	b.t.Helper()
	st, page := b.Get("/quan-tri/dang-nhap")
	m := CSRFField.FindStringSubmatch(page)
	if st != http.StatusOK || m == nil {
		b.t.Fatalf("login page: %d\n%s", st, page)
	}
	st, _, page = b.Do(http.MethodPost, "/quan-tri/dang-nhap", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}})
	if st != http.StatusSeeOther {
		b.t.Fatalf("login as %s: %d\n%s", name, st, page)
	}
	st, page = b.Get("/quan-tri/")
	if m = CSRFField.FindStringSubmatch(page); st != http.StatusOK || m == nil {
		b.t.Fatalf("workspace after login: %d, no form token", st)
	}
	b.CSRF = m[1]
}

// Cookies are the cookies the browser sends to its server.
func (b *Browser) Cookies() []*http.Cookie {
	b.t.Helper()
	u, err := url.Parse(b.Base)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.Client.Jar.Cookies(u)
}
