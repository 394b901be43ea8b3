package admin_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/auth"
)

// TestAccountMessagesAgree: cchc user and the Người dùng screen apply the
// same rules with the same words, since both ask the account service.
// Before issue 13 each had its own: a bad role or a taken name read
// differently on each side.
func TestAccountMessagesAgree(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Admin)
	data := s.env.Config.Data
	cases := []struct {
		name, login, role, display, password string
		want                                 string
	}{
		{"bad name", "Nguyễn", "editor", "", "mật khẩu đủ dài", "Tên đăng nhập chỉ gồm chữ cái không dấu"},
		{"bad role", "moi", "root", "", "mật khẩu đủ dài", "Hãy chọn một vai trò. Có năm vai trò: viewer, editor, approver, admin và province."},
		{"no role", "moi", "", "", "mật khẩu đủ dài", "Hãy chọn một vai trò."},
		{"control character", "moi", "editor", "Lê\x1b[2JVăn", "mật khẩu đủ dài", "Tên hiển thị có ký tự điều khiển không hợp lệ."},
		{"long display name", "moi", "editor", strings.Repeat("ầ", 101), "mật khẩu đủ dài", "Tên hiển thị không được dài quá 100 ký tự."},
		{"short password", "moi", "editor", "", "ngắn", "Mật khẩu phải có ít nhất 10 ký tự."},
		{"password is the name", "moituyetvoi", "editor", "", "MoiTuyetVoi", "Mật khẩu không được trùng với tên đăng nhập."},
		{"taken", "editor", "editor", "", "mật khẩu đủ dài", "Tên đăng nhập này đã có người dùng."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.snapshot()
			res := s.post(se, admin.UsersPath, url.Values{"name": {tc.login}, "role": {tc.role}, "display_name": {tc.display},
				"password": {tc.password}, "password2": {tc.password}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.body), tc.want) {
				t.Errorf("screen: %d, want 422 saying %q", res.StatusCode, tc.want)
			}
			var stdout, stderr bytes.Buffer
			args := []string{"user", "add", tc.login, "--password-stdin", "--data", data, "--display-name", tc.display}
			if tc.role != "" {
				args = append(args, "--role", tc.role)
			}
			code := app.Run(t.Context(), args, func(string) string { return "" }, strings.NewReader(tc.password+"\n"), &stdout, &stderr)
			if code == 0 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("cchc user add: exit %d, stderr %q, want it to say %q", code, stderr.String(), tc.want)
			}
			if s.snapshot() != before {
				t.Error("an account changed")
			}
		})
	}
}
