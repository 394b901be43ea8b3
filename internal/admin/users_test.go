package admin_test

import (
	"context"
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

func (s *server) post(se session, path string, form url.Values) response {
	s.t.Helper()
	form.Set("csrf", se.csrf)
	return s.do(request{method: "POST", path: path, form: form, cookies: []*http.Cookie{se.cookie}})
}

func (s *server) get(se session, path string) response {
	s.t.Helper()
	return s.do(request{method: "GET", path: path, cookies: []*http.Cookie{se.cookie}})
}

func TestUserAddValidation(t *testing.T) {
	tests := []struct {
		name  string
		form  url.Values
		field string // message expected
	}{
		{"bad name", url.Values{"name": {"Nguyễn"}, "role": {"editor"}, "password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu đủ dài"}}, "Tên đăng nhập chỉ gồm"},
		{"taken name", url.Values{"name": {"Editor"}, "role": {"editor"}, "password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu đủ dài"}}, "Tên đăng nhập này đã có người dùng."},
		{"no role", url.Values{"name": {"moi"}, "password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu đủ dài"}}, "Hãy chọn một vai trò."},
		{"bad role", url.Values{"name": {"moi"}, "role": {"root"}, "password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu đủ dài"}}, "Hãy chọn một vai trò."},
		{"short password", url.Values{"name": {"moi"}, "role": {"editor"}, "password": {"ngắn"}, "password2": {"ngắn"}}, "Mật khẩu phải có ít nhất 10 ký tự."},
		{"passwords differ", url.Values{"name": {"moi"}, "role": {"editor"}, "password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu khác"}}, "Hai lần nhập mật khẩu không khớp."},
	}
	s := newServer(t)
	se := s.login(auth.Admin)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("display_name", "Lê Văn Thử")
			before := s.snapshot()
			res := s.post(se, admin.UsersPath, tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, tt.field) {
				t.Fatalf("status %d, want 422 with %q\n%s", res.StatusCode, tt.field, res.body)
			}
			if !strings.Contains(res.body, `value="Lê Văn Thử"`) || !strings.Contains(res.body, `aria-invalid="true"`) {
				t.Error("the form does not show back what was typed, or marks no field")
			}
			if strings.Contains(res.body, "mật khẩu đủ dài") {
				t.Error("a password is shown back")
			}
			if s.snapshot() != before {
				t.Error("state changed")
			}
		})
	}
}

func TestUserScreens(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Admin)
	res := s.post(se, admin.UsersPath, url.Values{"name": {"moi"}, "role": {"viewer"}, "password": {"mật khẩu đủ dài"}, "password2": {"mật khẩu đủ dài"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != admin.UsersPath {
		t.Fatalf("add: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := s.get(se, admin.UsersPath)
	if !strings.Contains(page.body, "Đã tạo tài khoản moi (Người xem báo cáo).") {
		t.Error("no confirmation after adding")
	}
	if page = s.get(se, admin.UsersPath); strings.Contains(page.body, "Đã tạo tài khoản moi") {
		t.Error("the confirmation is shown twice")
	}
	for _, r := range []string{"admin", "approver", "editor", "moi", "viewer"} {
		if !strings.Contains(page.body, ">"+r+"</a>") {
			t.Errorf("users list lacks %s", r)
		}
	}

	// The new account can log in; resetting its password logs it out.
	victim := s.tryLogin("moi", "mật khẩu đủ dài", "")
	vc := victim.cookie(admin.CookieName)
	if vc == nil {
		t.Fatal("the new account cannot log in")
	}
	moi, _ := s.env.Store.UserByName(context.Background(), "moi")
	path := fmt.Sprintf("%s/%d", admin.UsersPath, moi.ID)
	if res := s.post(se, path+"/mat-khau", url.Values{"password": {"mật khẩu mới hơn"}, "password2": {"mật khẩu mới hơn"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if res := s.do(request{method: "GET", path: "/bao-cao/", cookies: []*http.Cookie{vc}, header: map[string]string{"Accept": "application/json"}}); res.StatusCode == http.StatusOK {
		t.Error("the session survived a password reset")
	}
	if _, err := s.env.Store.SessionByHash(context.Background(), auth.HashToken(vc.Value)); err == nil {
		t.Error("the session row survived a password reset")
	}
	// The admin's own password is changed knowing the current one
	// (issue 17.13), and its own session survives the change.
	me := s.users[auth.Admin]
	own := fmt.Sprintf("%s/%d/mat-khau", admin.UsersPath, me.ID)
	if res := s.post(se, own, url.Values{"password": {"mật khẩu quản trị"}, "password2": {"mật khẩu quản trị"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Hãy nhập mật khẩu hiện tại.") {
		t.Fatalf("own reset without the current password: %d", res.StatusCode)
	}
	if res := s.post(se, own, url.Values{"current_password": {"không phải mật khẩu"}, "password": {"mật khẩu quản trị"}, "password2": {"mật khẩu quản trị"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Mật khẩu hiện tại không đúng.") {
		t.Fatalf("own reset with a wrong current password: %d", res.StatusCode)
	}
	if res := s.post(se, own, url.Values{"current_password": {testsupport.Password}, "password": {"mật khẩu quản trị"}, "password2": {"mật khẩu quản trị"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own reset: %d", res.StatusCode)
	}
	if res := s.get(se, admin.UsersPath); res.StatusCode != http.StatusOK {
		t.Fatalf("own session ended by own password change: %d", res.StatusCode)
	}

	// Disabling ends its sessions and stops logins.
	victim = s.tryLogin("moi", "mật khẩu mới hơn", "")
	vc = victim.cookie(admin.CookieName)
	if res := s.post(se, path+"/khoa", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res := s.do(request{method: "GET", path: admin.AuditPath, cookies: []*http.Cookie{vc}}); res.StatusCode != http.StatusFound {
		t.Errorf("disabled account's session still works: %d", res.StatusCode)
	}
	if res := s.tryLogin("moi", "mật khẩu mới hơn", ""); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("disabled account logs in: %d", res.StatusCode)
	}

	// The admin cannot lock itself out, nor remove the last admin.
	mePath := fmt.Sprintf("%s/%d", admin.UsersPath, me.ID)
	if res := s.post(se, mePath+"/khoa", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Bạn không thể tự khóa") {
		t.Errorf("self-disable: %d", res.StatusCode)
	}
	if res := s.post(se, mePath, url.Values{"role": {"editor"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "quản trị viên cuối cùng") {
		t.Errorf("demoting the last admin: %d", res.StatusCode)
	}
	if res := s.get(se, fmt.Sprintf("%s/999", admin.UsersPath)); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown account: %d", res.StatusCode)
	}
	if res := s.get(se, admin.UsersPath+"/abc"); res.StatusCode != http.StatusNotFound {
		t.Errorf("bad id: %d", res.StatusCode)
	}

	want := []string{"user_disable", "user_password", "user_password", "user_add"} // newest first
	got := slices.DeleteFunc(s.auditActions(), func(a string) bool { return strings.HasPrefix(a, "login") || a == "logout" })
	if !slices.Equal(got, want) {
		t.Errorf("audit actions %v, want %v", got, want)
	}
}

func TestAuditScreen(t *testing.T) {
	s := newServer(t)
	for i := range 60 {
		err := s.env.Store.Audit(context.Background(), nil, store.AuditEntry{At: s.clock.Now().Add(time.Duration(i) * time.Minute),
			Actor: "editor", Action: store.AuditSave, Target: fmt.Sprintf("item:%d", i), Address: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.clock.Add(2 * time.Hour)
	se := s.login(auth.Admin)
	page := s.get(se, admin.AuditPath)
	first := strings.Index(page.body, "<td>Đăng nhập</td>")
	newest := strings.Index(page.body, "item:59")
	if first < 0 || newest < 0 || first > newest {
		t.Fatalf("not newest first (login at %d, item:59 at %d)", first, newest)
	}
	if strings.Contains(page.body, "item:0<") {
		t.Error("page 1 shows the oldest entry")
	}
	if !strings.Contains(page.body, `href="/quan-tri/nhat-ky?trang=2"`) {
		t.Error("no link to page 2")
	}
	page2 := s.get(se, admin.AuditPath+"?trang=2")
	if !strings.Contains(page2.body, "item:0<") {
		t.Error("page 2 lacks the oldest entry")
	}
	for _, bad := range []string{"?trang=0", "?trang=x", "?trang=9"} {
		if res := s.get(se, admin.AuditPath+bad); res.StatusCode < 400 {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	// The log is append-only.
	if _, err := s.env.DB.Write.Exec(`DELETE FROM audit_log`); err == nil {
		t.Error("audit rows can be deleted")
	}
	if _, err := s.env.DB.Write.Exec(`UPDATE audit_log SET actor = 'x'`); err == nil {
		t.Error("audit rows can be changed")
	}
}

func TestDashboard(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	s.clock.Set(time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
	if _, err := s.env.Publish.Import(ctx, testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	// A draft saved by editor, an item waiting for review.
	draft, err := s.env.Store.ItemBySlug(ctx, "article", "nhap-huong-dan-danh-gia-noi-bo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.env.DB.Write.Exec(`INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, content_hash)
		SELECT id, 99, modified_at, 'editor', title, meta, body_md, content_hash FROM items JOIN item_bodies ON item_id = id WHERE id = ?`, draft.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.env.DB.Write.Exec(`UPDATE items SET status = 'submitted' WHERE slug = 'iso-9001-2015-cap-xa'`); err != nil {
		t.Fatal(err)
	}
	section := func(body, id string) string {
		i := strings.Index(body, `<h2 id="`+id+`">`)
		if i < 0 {
			t.Fatalf("no section %s", id)
		}
		j := strings.Index(body[i:], "</section>")
		return body[i : i+j]
	}
	editor := s.get(s.login(auth.Editor), "/quan-tri/")
	if got := section(editor.body, "ban-nhap"); !strings.Contains(got, draft.Title) {
		t.Errorf("my drafts lacks %q:\n%s", draft.Title, got)
	}
	if got := section(editor.body, "cho-duyet"); !strings.Contains(got, "ISO 9001") {
		t.Errorf("waiting for review:\n%s", got)
	}
	// Scheduled items link to their edit screens, not to a public page
	// that does not exist yet.
	if got := section(editor.body, "hen-gio"); !strings.Contains(got, "2027") || strings.Contains(got, `href="/tin-tuc/`) || !strings.Contains(got, `href="/quan-tri/tin-bai/`) {
		t.Errorf("scheduled:\n%s", got)
	}
	if got := section(editor.body, "moi-xuat-ban"); !strings.Contains(got, `<a href="/tin-tuc/`) {
		t.Errorf("recently published:\n%s", got)
	}
	approver := s.get(s.login(auth.Approver), "/quan-tri/")
	if got := section(approver.body, "ban-nhap"); !strings.Contains(got, "Bạn chưa có bản nháp nào.") {
		t.Errorf("approver sees editor's drafts as theirs:\n%s", got)
	}
}
