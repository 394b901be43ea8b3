package admin_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cchc/internal/admin"
	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/store"
)

// route is one admin route and how to exercise it.
type route struct {
	name, method, path string
	suffix             string // after /quan-tri/nguoi-dung/ID when path is empty
	// denied is a role the route refuses (""): every role may use it.
	denied auth.Role
	// as is the role the valid request is made with.
	as auth.Role
	// form builds the body of a POST (without csrf) for the server.
	form func(s *server) url.Values
	// setup prepares the server (e.g. disable the account to re-enable).
	setup func(s *server)
	// status is the answer to a valid request.
	status int
	// province is the answer to the province role's valid request: 0 is
	// a 403, which writes nothing (it reads dashboards and reports only).
	province int
	// changed checks, after a valid POST, that the change happened.
	changed func(t *testing.T, s *server, se session)
}

// target is the account the user routes act on.
func target(s *server) *store.User { return s.users[auth.Editor] }

func userPath(s *server, suffix string) string {
	return fmt.Sprintf("%s/%d%s", admin.UsersPath, target(s).ID, suffix)
}

func account(t *testing.T, s *server, name string) *store.User {
	t.Helper()
	u, err := s.env.Store.UserByName(context.Background(), name)
	if err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	return u
}

func routes() []route {
	return []route{
		{name: "dashboard", method: "GET", path: "/quan-tri/", denied: auth.Viewer, as: auth.Editor, status: http.StatusOK, province: http.StatusOK},
		{name: "logout", method: "POST", path: admin.LogoutPath, as: auth.Viewer, status: http.StatusSeeOther, province: http.StatusSeeOther,
			form: func(*server) url.Values { return url.Values{} },
			changed: func(t *testing.T, s *server, se session) {
				if _, err := s.env.Store.SessionByHash(context.Background(), auth.HashToken(se.cookie.Value)); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("the session is still stored: %v", err)
				}
			}},
		{name: "users", method: "GET", path: admin.UsersPath, denied: auth.Approver, as: auth.Admin, status: http.StatusOK},
		{name: "user add", method: "POST", path: admin.UsersPath, denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values {
				return url.Values{"name": {"Moi"}, "display_name": {"Nguyễn  Văn Mới"}, "role": {"approver"}, "password": {"một mật khẩu mới"}, "password2": {"một mật khẩu mới"}}
			},
			changed: func(t *testing.T, s *server, _ session) {
				u := account(t, s, "moi")
				if u.Role != auth.Approver || u.DisplayName != "Nguyễn Văn Mới" {
					t.Errorf("added %+v", u)
				}
				if ok, _ := auth.VerifyPassword(u.PasswordHash, "một mật khẩu mới"); !ok {
					t.Error("the new account's password does not verify")
				}
			}},
		{name: "user", method: "GET", denied: auth.Approver, as: auth.Admin, status: http.StatusOK},
		{name: "user change", method: "POST", denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values {
				return url.Values{"display_name": {"Trần Thị Biên"}, "role": {"approver"}}
			},
			changed: func(t *testing.T, s *server, _ session) {
				u := account(t, s, "editor")
				if u.Role != auth.Approver || u.DisplayName != "Trần Thị Biên" {
					t.Errorf("changed to %+v", u)
				}
			}},
		{name: "user password", method: "POST", suffix: "/mat-khau", denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values {
				return url.Values{"password": {"mật khẩu đặt lại"}, "password2": {"mật khẩu đặt lại"}}
			},
			changed: func(t *testing.T, s *server, _ session) {
				if ok, _ := auth.VerifyPassword(account(t, s, "editor").PasswordHash, "mật khẩu đặt lại"); !ok {
					t.Error("the password was not changed")
				}
			}},
		{name: "user agency", method: "POST", suffix: "/co-quan", denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values { return url.Values{"agency": {"so-tu-phap"}} },
			setup: func(s *server) {
				if _, err := s.env.Store.CreateAgency(context.Background(), agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi",
					ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"}, store.AuditEntry{At: s.clock.Now(), Actor: "test"}); err != nil {
					s.t.Fatal(err)
				}
			},
			changed: func(t *testing.T, s *server, _ session) {
				if account(t, s, "editor").AgencyID == agency.Root {
					t.Error("the account is still the root agency's")
				}
			}},
		{name: "user disable", method: "POST", suffix: "/khoa", denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values { return url.Values{} },
			changed: func(t *testing.T, s *server, _ session) {
				if account(t, s, "editor").Active() {
					t.Error("the account is still active")
				}
			}},
		{name: "user enable", method: "POST", suffix: "/mo-khoa", denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values { return url.Values{} },
			setup: func(s *server) {
				err := s.env.Store.Tx(context.Background(), func(tx *sql.Tx) error {
					return s.env.Store.SetUserDisabled(context.Background(), tx, target(s).ID, true, s.clock.Now())
				})
				if err != nil {
					s.t.Fatal(err)
				}
			},
			changed: func(t *testing.T, s *server, _ session) {
				if !account(t, s, "editor").Active() {
					t.Error("the account is still disabled")
				}
			}},
		{name: "audit", method: "GET", path: admin.AuditPath, denied: auth.Approver, as: auth.Admin, status: http.StatusOK},
		{name: "settings", method: "GET", path: admin.SettingsPath, denied: auth.Approver, as: auth.Admin, status: http.StatusOK},
		{name: "settings save", method: "POST", path: admin.SettingsPath, denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: func(*server) url.Values {
				return url.Values{"desk_phone": {"0255 3822 xxx"}, "desk_email": {"motcua@example.gov.vn"}}
			},
			changed: func(t *testing.T, s *server, _ session) {
				set, err := s.env.Store.Settings(context.Background())
				if err != nil || set.DeskPhone != "0255 3822 xxx" || set.DeskEmail != "motcua@example.gov.vn" || set.UpdatedBy != "admin" {
					t.Errorf("settings %+v, %v", set, err)
				}
			}},
	}
}

// TestRoutes exercises every admin route: without a session, with a role
// it refuses, without or with a wrong form token, from another site, and
// valid.
func TestRoutes(t *testing.T) {
	for _, rt := range routes() {
		t.Run(rt.name, func(t *testing.T) {
			s := newServer(t)
			if rt.setup != nil {
				rt.setup(s)
			}
			path := rt.path
			if path == "" {
				path = userPath(s, rt.suffix)
			}
			form := func(csrf string) url.Values {
				v := url.Values{}
				if rt.form != nil {
					v = rt.form(s)
				}
				if csrf != "" {
					v.Set("csrf", csrf)
				}
				return v
			}
			post := rt.method == "POST"

			t.Run("no session, HTML", func(t *testing.T) {
				before := s.snapshot()
				res := s.do(request{method: rt.method, path: path, form: form("")})
				if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), admin.LoginPath) {
					t.Fatalf("status %d, Location %q; want 302 to the login page", res.StatusCode, res.Header.Get("Location"))
				}
				if !post && res.Header.Get("Location") != admin.LoginPath+"?next="+url.QueryEscape(path) {
					t.Errorf("Location %q does not return to %s", res.Header.Get("Location"), path)
				}
				if s.snapshot() != before {
					t.Error("state changed")
				}
			})
			t.Run("no session, not HTML", func(t *testing.T) {
				res := s.do(request{method: rt.method, path: path, form: form(""), header: map[string]string{"Accept": "application/json"}})
				if res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401", res.StatusCode)
				}
			})
			t.Run("stale cookie", func(t *testing.T) {
				tok, _, _ := auth.NewToken()
				res := s.do(request{method: rt.method, path: path, form: form(""), cookies: []*http.Cookie{{Name: admin.CookieName, Value: tok}}})
				if res.StatusCode != http.StatusFound {
					t.Fatalf("status %d, want 302", res.StatusCode)
				}
			})
			if rt.denied != "" {
				t.Run("wrong role", func(t *testing.T) {
					se := s.login(rt.denied)
					before := s.snapshot()
					res := s.do(request{method: rt.method, path: path, form: form(se.csrf), cookies: []*http.Cookie{se.cookie}})
					if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "không có quyền") {
						t.Fatalf("status %d; want 403 with a Vietnamese page\n%s", res.StatusCode, res.body)
					}
					if s.snapshot() != before {
						t.Error("state changed")
					}
				})
			}
			t.Run("province role", func(t *testing.T) {
				s.addUser("tonghop", auth.Province)
				se := s.loginAs("tonghop")
				want := rt.province
				if want == 0 {
					want = http.StatusForbidden
				}
				before := s.snapshot()
				res := s.do(request{method: rt.method, path: path, form: form(se.csrf), cookies: []*http.Cookie{se.cookie}})
				if res.StatusCode != want {
					t.Fatalf("status %d, want %d", res.StatusCode, want)
				}
				if want == http.StatusForbidden && s.snapshot() != before {
					t.Error("state changed")
				}
			})
			if post {
				refusals := []struct {
					name   string
					csrf   func(se session) string
					header map[string]string
				}{
					{"missing csrf", func(session) string { return "" }, nil},
					{"wrong csrf", func(session) string { t, _, _ := auth.NewToken(); return t }, nil},
					{"another session's csrf", func(session) string { return s.login(auth.Admin).csrf }, nil},
					{"cross-site Origin", func(se session) string { return se.csrf }, map[string]string{"Origin": "https://evil.example"}},
					{"cross-site Sec-Fetch-Site", func(se session) string { return se.csrf }, map[string]string{"Sec-Fetch-Site": "cross-site"}},
				}
				for _, ref := range refusals {
					t.Run(ref.name, func(t *testing.T) {
						se := s.login(rt.as)
						tok := ref.csrf(se)
						before := s.snapshot()
						res := s.do(request{method: rt.method, path: path, form: form(tok), cookies: []*http.Cookie{se.cookie}, header: ref.header})
						if res.StatusCode != http.StatusForbidden {
							t.Fatalf("status %d, want 403\n%s", res.StatusCode, res.body)
						}
						if !strings.Contains(res.body, "<h1>Không được phép</h1>") {
							t.Errorf("not the Vietnamese 403 page:\n%s", res.body)
						}
						if s.snapshot() != before {
							t.Error("state changed")
						}
					})
				}
			}
			t.Run("valid", func(t *testing.T) {
				se := s.login(rt.as)
				res := s.do(request{method: rt.method, path: path, form: form(se.csrf), cookies: []*http.Cookie{se.cookie},
					header: map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}})
				if res.StatusCode != rt.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, rt.status, res.body)
				}
				if rt.status == http.StatusOK && res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
				}
				if rt.changed != nil {
					rt.changed(t, s, se)
				}
			})
		})
	}
}
