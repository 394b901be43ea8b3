package app_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/testsupport"
)

// browser is a client of a running serve that keeps its cookies and does
// not follow redirects, so each answer is seen.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, addr string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: "http://" + addr, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(page)
}

// token is the form token of the page at path.
func (b *browser) token(path string) string {
	b.t.Helper()
	code, _, page := b.do("GET", path, nil)
	m := testsupport.CSRFField.FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s: %d, no form token:\n%s", path, code, page)
	}
	return m[1]
}

func (b *browser) login(name, password string) (int, string) {
	b.t.Helper()
	code, to, _ := b.do("POST", "/quan-tri/dang-nhap", url.Values{"csrf": {b.token("/quan-tri/dang-nhap")}, "name": {name}, "password": {password}})
	return code, to
}

// TestFirstLoginSetsOwnPassword: the first admin's printed password opens
// only the page that sets a password of their own; the change asks for the
// current one, then the printed one is refused and its file deleted (issue
// 17.13). Through the real serve and its router.
func TestFirstLoginSetsOwnPassword(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	srv := testsupport.Serve(t, "--data", data, "--content", filepath.Join(dir, "khong-co"))
	file := filepath.Join(data, app.InitialPasswordFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	initial := strings.TrimSpace(string(b))
	br := newBrowser(t, srv.Addr)

	if code, to := br.login("admin", initial); code != http.StatusSeeOther || to != "/quan-tri/mat-khau" {
		t.Fatalf("first login: %d to %q, want 303 to /quan-tri/mat-khau", code, to)
	}
	// Every other page of the workspace and the reports sends there.
	for _, p := range []string{"/quan-tri/", "/quan-tri/nguoi-dung", "/bao-cao/"} {
		if code, to, _ := br.do("GET", p, nil); code != http.StatusSeeOther || to != "/quan-tri/mat-khau?next="+url.QueryEscape(p) {
			t.Errorf("GET %s before the change: %d to %q", p, code, to)
		}
	}
	code, _, page := br.do("GET", "/quan-tri/mat-khau?next=%2Fquan-tri%2Fnguoi-dung", nil)
	if code != http.StatusOK || !strings.Contains(page, "Hãy đặt mật khẩu của riêng bạn") || !strings.Contains(page, `name="current_password"`) {
		t.Fatalf("password page: %d\n%s", code, page)
	}
	tok := testsupport.CSRFField.FindStringSubmatch(page)[1]
	const mine = "mật khẩu riêng của quản trị"
	for _, tc := range []struct {
		name    string
		form    url.Values
		message string
	}{
		{"no current password", url.Values{"password": {mine}, "password2": {mine}}, "Hãy nhập mật khẩu hiện tại."},
		{"wrong current password", url.Values{"current_password": {"sai mật khẩu rồi"}, "password": {mine}, "password2": {mine}}, "Mật khẩu hiện tại không đúng."},
		{"the printed one again", url.Values{"current_password": {initial}, "password": {initial}, "password2": {initial}}, "Mật khẩu mới phải khác mật khẩu hiện tại."},
		{"typed differently", url.Values{"current_password": {initial}, "password": {mine}, "password2": {mine + "x"}}, "Hai lần nhập mật khẩu không khớp."},
	} {
		tc.form.Set("csrf", tok)
		if code, _, page := br.do("POST", "/quan-tri/mat-khau", tc.form); code != http.StatusUnprocessableEntity || !strings.Contains(page, tc.message) {
			t.Errorf("%s: %d, want 422 saying %q", tc.name, code, tc.message)
		}
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the file went before the password was changed: %v", err)
	}
	code, to, _ := br.do("POST", "/quan-tri/mat-khau", url.Values{"csrf": {tok}, "current_password": {initial}, "password": {mine}, "password2": {mine},
		"next": {"/quan-tri/nguoi-dung"}})
	if code != http.StatusSeeOther || to != "/quan-tri/nguoi-dung" {
		t.Fatalf("change: %d to %q", code, to)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there after the change: %v", file, err)
	}
	if code, _, _ := br.do("GET", "/quan-tri/nguoi-dung", nil); code != http.StatusOK {
		t.Errorf("users page after the change: %d", code)
	}

	// The printed password is refused; the new one logs straight in.
	other := newBrowser(t, srv.Addr)
	if code, _ := other.login("admin", initial); code != http.StatusUnprocessableEntity {
		t.Errorf("login with the printed password after the change: %d, want 422", code)
	}
	if code, to := other.login("admin", mine); code != http.StatusSeeOther || to != "/quan-tri/" {
		t.Errorf("login with the new password: %d to %q, want 303 to /quan-tri/", code, to)
	}
}

// TestStartSettlesInitialPassword: at start, a printed password still in
// use (a database from before 17.13) makes the account change it at its
// next login; one no longer in use loses its file.
func TestStartSettlesInitialPassword(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	serveOnce(t, data, filepath.Join(dir, "khong-co"))
	file := filepath.Join(data, app.InitialPasswordFile)

	cfg := config.Defaults
	cfg.Data = data
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Write.Exec(`UPDATE users SET must_change_password = 0`); err != nil {
		t.Fatal(err)
	}
	env.Close()
	serveOnce(t, data, filepath.Join(dir, "khong-co"))
	if u := userNamed(t, data, "admin"); !u {
		t.Error("a printed password still in use: the account is not asked to change it")
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the file of a password still in use went: %v", err)
	}

	// Changed from the command line: the file goes at once.
	if code, _, stderr := runIn(t, "mật khẩu đổi bằng dòng lệnh\n", "user", "passwd", "admin", "--password-stdin", "--data", data); code != 0 {
		t.Fatalf("user passwd: %d %s", code, stderr)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there after cchc user passwd: %v", file, err)
	}
	if userNamed(t, data, "admin") {
		t.Error("still asked to change the password after cchc user passwd")
	}
}

// userNamed reports whether account name must change its password.
func userNamed(t *testing.T, data, name string) bool {
	t.Helper()
	cfg := config.Defaults
	cfg.Data = data
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	u, err := env.Store.UserByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.MustChangePassword
}
