package admin_test

import (
	"strings"
	"testing"

	"cchc/internal/auth"
)

// TestEditScreenOrder: the edit page opens with the title and the body;
// Lưu and the forward steps (submit, publish, schedule) sit together in
// the save bar after the form; the steps that take an item back
// (unpublish, withdraw, trash) and those needing a note come after it,
// never above the form. Tạo mới is on the workspace home and every list
// (issue 17.3).
func TestEditScreenOrder(t *testing.T) {
	s, f := newItemServer(t)
	at := func(t *testing.T, body, what string) int {
		t.Helper()
		i := strings.Index(body, what)
		if i < 0 {
			t.Fatalf("page lacks %q", what)
		}
		return i
	}
	for _, tc := range []struct {
		name  string
		role  auth.Role
		path  string
		bar   []string // in the save bar
		below []string // after the save bar
	}{
		{"editor, draft", auth.Editor, editPath(f.draft), []string{">Lưu thay đổi</button>", `/gui-duyet"`}, []string{`href="` + editPath(f.draft) + `/xoa"`}},
		{"approver, submitted", auth.Approver, editPath(f.submitted), []string{">Lưu thay đổi</button>", `/xuat-ban"`, `href="#hen-gio"`}, []string{`id="tra-lai"`, `id="hen-gio"`, `/xoa"`}},
		{"approver, published", auth.Approver, editPath(f.published), []string{">Lưu thay đổi</button>"}, []string{`id="go-bo"`, `/thoi-xuat-ban"`, `/xoa"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.get(s.login(tc.role), tc.path)
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d", tc.path, res.StatusCode)
			}
			b := res.body
			form := at(t, b, `id="bieu-mau-muc"`)
			title, body, bar := at(t, b, `id="f-title"`), at(t, b, `id="f-body"`), at(t, b, `class="form-buttons save-bar"`)
			end := strings.Index(b[bar:], "</div>") + bar
			if !(form < title && title < body && body < bar) {
				t.Errorf("order: form %d, title %d, body %d, bar %d", form, title, body, bar)
			}
			if first := strings.Index(b[form:], "<legend>") + form; first != at(t, b, "<legend>Nội dung") {
				t.Errorf("the body's fieldset is not the form's first: %.80q", b[first:])
			}
			for _, w := range tc.bar {
				if i := at(t, b, w); i < bar || i > end {
					t.Errorf("%q is not in the save bar", w)
				}
			}
			for _, w := range tc.below {
				if i := at(t, b, w); i < end {
					t.Errorf("%q comes before the save bar", w)
				}
			}
			if i := strings.Index(b, `id="thao-tac"`); i >= 0 && i < form {
				t.Error("a workflow panel sits above the form")
			}
		})
	}
	ed := s.login(auth.Editor)
	home := s.get(ed, "/quan-tri/").body
	for _, w := range []string{"Tạo mới:", `href="/quan-tri/tin-bai/moi"`, `href="/quan-tri/thu-tuc/moi"`, `href="/quan-tri/van-ban/moi"`} {
		if !strings.Contains(home, w) {
			t.Errorf("workspace home lacks %q", w)
		}
	}
	for _, list := range []string{"/quan-tri/tin-bai/", "/quan-tri/thu-tuc/", "/quan-tri/van-ban/"} {
		if body := s.get(ed, list).body; !strings.Contains(body, `href="`+list+`moi">Tạo mới</a>`) {
			t.Errorf("%s lacks Tạo mới", list)
		}
	}
}
