package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	acct "cchc/internal/account"
	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// formRig is the real router over a migrated database, shared by every
// input of one fuzz worker (a database per input would spend the budget
// on migrations), with an admin account "quantri".
type formRig struct {
	env  *app.Env
	h    http.Handler
	addr atomic.Uint32 // a new client address per request, so the rate limit counts per input
}

func newFormRig(tb testing.TB) *formRig {
	tb.Helper()
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	env := testsupport.Open(tb, config.Defaults, func() time.Time { return now })
	testsupport.AddUser(tb, env, "quantri", auth.Admin, now)
	return &formRig{env: env, h: testsupport.Handler(tb, env)}
}

func (r *formRig) do(method, path string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Header.Set("Accept", "text/html")
	n := r.addr.Add(1)
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", byte(n>>16), byte(n>>8), byte(n))
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w
}

// loginForm returns the login page's form cookie and token.
func (r *formRig) loginForm(tb testing.TB) (*http.Cookie, string) {
	tb.Helper()
	w := r.do("GET", admin.LoginPath, nil)
	var c *http.Cookie
	for _, k := range w.Result().Cookies() {
		if k.Name == "cchc_login" {
			c = k
		}
	}
	m := testsupport.CSRFField.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || c == nil || m == nil {
		tb.Fatalf("login page: %d, cookie %v", w.Code, c)
	}
	return c, m[1]
}

// session logs quantri in and returns the session cookie and form token.
func (r *formRig) session(tb testing.TB) (*http.Cookie, string) {
	tb.Helper()
	c, tok := r.loginForm(tb)
	w := r.do("POST", admin.LoginPath, url.Values{"csrf": {tok}, "name": {"quantri"}, "password": {testsupport.Password}}, c)
	var se *http.Cookie
	for _, k := range w.Result().Cookies() {
		if k.Name == admin.CookieName {
			se = k
		}
	}
	if w.Code != http.StatusSeeOther || se == nil {
		tb.Fatalf("login: %d", w.Code)
	}
	page := r.do("GET", admin.AuditPath, nil, se)
	m := testsupport.CSRFField.FindStringSubmatch(page.Body.String())
	if m == nil {
		tb.Fatalf("no form token on the audit page (%d)", page.Code)
	}
	return se, m[1]
}

// checkEscaped fails when a fuzzed value with markup comes back raw: it
// is in the page but not in the same page rendered without input (where it
// would be the theme's own markup, e.g. "<div").
func checkEscaped(t *testing.T, body, baseline string, values ...string) {
	t.Helper()
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Fatalf("a script element in the page (the admin theme has none):\n%s", body)
	}
	for _, v := range values {
		if strings.Contains(v, "<") && strings.Contains(body, v) && !strings.Contains(baseline, v) {
			t.Fatalf("value %q is shown unescaped", v)
		}
	}
}

// FuzzLoginForm posts any name, password and next to the login form: the
// answer is a redirect to a local page, a refusal with a message (403,
// 422, 429), never a 500, and what was typed is shown escaped.
func FuzzLoginForm(f *testing.F) {
	f.Add("quantri", testsupport.Password, "/quan-tri/nhat-ky", true)
	f.Add("QuanTri ", testsupport.Password, "//evil.example/", true)
	f.Add("quantri", "sai mật khẩu", "", true)
	f.Add("", "", "", true)
	f.Add(`"><script>alert(1)</script>`, "x", "javascript:alert(1)", true)
	f.Add("quantri", testsupport.Password, "/quan-tri/", false)
	f.Add("ｑｕａｎｔｒｉ", "\x00", "/\t/evil", true)
	f.Add(strings.Repeat("a", 300), strings.Repeat("b", 300), "/"+strings.Repeat("c", 3000), true)
	rig := newFormRig(f)
	baseline := rig.do("GET", admin.LoginPath, nil).Body.String()
	f.Fuzz(func(t *testing.T, name, password, next string, withToken bool) {
		c, tok := rig.loginForm(t)
		if !withToken {
			tok = "sai"
		}
		w := rig.do("POST", admin.LoginPath, url.Values{"csrf": {tok}, "name": {name}, "password": {password}, "next": {next}}, c)
		switch w.Code {
		case http.StatusSeeOther:
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.Contains(loc, `\`) {
				t.Fatalf("login redirected off the site: %q", loc)
			}
			if auth.NormalizeName(name) != "quantri" || password != testsupport.Password || !withToken {
				t.Fatalf("login of %q with %q let in", name, password)
			}
		case http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusTooManyRequests:
			if !strings.Contains(w.Body.String(), `class="`) || !utf8.Valid(w.Body.Bytes()) {
				t.Fatalf("refusal %d is not the login page", w.Code)
			}
			checkEscaped(t, w.Body.String(), baseline, name, next)
		default:
			t.Fatalf("login answered %d", w.Code)
		}
	})
}

// FuzzUserForm posts any account form as an admin: the account is made
// (303, with a valid name, role and a clean display name) or the form
// comes back with messages (422); never a 500, and nothing unescaped.
func FuzzUserForm(f *testing.F) {
	f.Add("bientap", "Nguyễn Văn A", "editor", "mật khẩu đủ dài", "mật khẩu đủ dài")
	f.Add("quantri", "", "admin", "mật khẩu đủ dài", "mật khẩu đủ dài")
	f.Add("Bad Name", "<img src=x onerror=alert(1)>", "root", "ngắn", "khác")
	f.Add(".x", "Nguye\u0302\u0303n", "viewer", "          ", "          ")
	f.Add("ab", strings.Repeat("ẫ", 101), "approver", "abcdefghij", "abcdefghij")
	f.Add("x\x00y", "\u202egnp.exe", "editor\x00", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6", "\xff")
	rig := newFormRig(f)
	se, csrf := rig.session(f)
	baseline := rig.do("GET", admin.UsersPath, nil, se).Body.String()
	f.Fuzz(func(t *testing.T, name, display, role, pw, pw2 string) {
		form := url.Values{"csrf": {csrf}, "name": {name}, "display_name": {display}, "role": {role}, "password": {pw}, "password2": {pw2}}
		w := rig.do("POST", admin.UsersPath, form, se)
		switch w.Code {
		case http.StatusSeeOther:
			n := auth.NormalizeName(strings.TrimSpace(name))
			u, err := rig.env.Store.UserByName(context.Background(), n)
			if err != nil {
				t.Fatalf("account %q reported made, not stored: %v", n, err)
			}
			if auth.CheckName(u.Name) != nil || !u.Role.Valid() || !utf8.ValidString(u.DisplayName) ||
				utf8.RuneCountInString(u.DisplayName) > acct.MaxDisplayNameLen || u.DisplayName != vntext.NFC(u.DisplayName) {
				t.Fatalf("stored account %+v", u)
			}
		case http.StatusUnprocessableEntity:
			checkEscaped(t, w.Body.String(), baseline, name, display, role)
		default:
			t.Fatalf("user form answered %d", w.Code)
		}
	})
}
