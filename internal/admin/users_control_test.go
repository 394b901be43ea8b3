package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cchc/internal/admin"
	"cchc/internal/auth"
)

// TestUserDisplayNameControl: the account form refuses a display name with
// a control character, as the item forms refuse them in any field and as
// `cchc user add --display-name` does (one rule, vntext.IsControl).
func TestUserDisplayNameControl(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Admin)
	for _, name := range []string{"Lê\x1b[2J Văn Thử", "Lê Văn Thử\x07", "Lê\u009bVăn"} {
		before := s.snapshot()
		res := s.post(se, admin.UsersPath, url.Values{"name": {"moi"}, "role": {"editor"}, "display_name": {name},
			"password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu đủ dài"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Tên hiển thị có ký tự điều khiển không hợp lệ.") {
			t.Errorf("display name %q: status %d, want 422 with the refusal", name, res.StatusCode)
		}
		if s.snapshot() != before {
			t.Errorf("display name %q: state changed", name)
		}
	}
}
