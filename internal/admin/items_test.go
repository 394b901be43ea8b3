package admin_test

import (
	"cchc/internal/testsupport"
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/store"
)

// fixture is one item in each state, made through the workflow.
type fixture struct {
	draft, draft2, submitted, published, withdrawn, trashed *store.Item
}

var (
	asEditor   = publish.Actor{Name: "editor", Role: auth.Editor}
	asApprover = publish.Actor{Name: "approver", Role: auth.Approver}
)

// newItemServer is a server with the demo content (plans, documents) and
// one article in each state.
func newItemServer(t *testing.T) (*server, fixture) {
	t.Helper()
	s := newServer(t)
	ctx := context.Background()
	if _, err := s.env.Publish.Import(ctx, testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	mk := func(title string, steps ...publish.TransitionRequest) *store.Item {
		t.Helper()
		it, _, err := s.env.Publish.Save(ctx, asEditor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: title,
			Body: "Đoạn một.\n\nĐoạn hai.\n", Areas: []string{"II.1"}}})
		if err != nil {
			t.Fatalf("save %s: %v", title, err)
		}
		for _, st := range steps {
			st.ID = it.ID
			who := asApprover
			if st.Action == auth.ActSubmit {
				who = asEditor
			}
			if it, err = s.env.Publish.Transition(ctx, who, st); err != nil {
				t.Fatalf("%s %s: %v", st.Action, title, err)
			}
		}
		return it
	}
	var f fixture
	f.draft = mk("Bản nháp thử nghiệm")
	f.draft2 = mk("Bản nháp thứ hai")
	f.submitted = mk("Bài chờ duyệt", publish.TransitionRequest{Action: auth.ActSubmit})
	f.published = mk("Bài đã xuất bản", publish.TransitionRequest{Action: auth.ActPublish})
	f.withdrawn = mk("Bài đã gỡ", publish.TransitionRequest{Action: auth.ActPublish}, publish.TransitionRequest{Action: auth.ActWithdraw, Note: "Thông tin đã cũ"})
	f.trashed = mk("Bài trong thùng rác", publish.TransitionRequest{Action: auth.ActDelete})
	return s, f
}

// itemsState is the state a refused request must not change: every item,
// every revision, the publication log.
func (s *server) itemsState() string {
	s.t.Helper()
	var b strings.Builder
	rows, err := s.env.DB.Read.Query(`SELECT id, version, status, title, COALESCE(deleted_at, 0), live, review_note, withdrawn_reason FROM items ORDER BY id`)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, v, del int64
		var st, title, rn, wr string
		var live bool
		if err := rows.Scan(&id, &v, &st, &title, &del, &live, &rn, &wr); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d|%d|%s|%s|%d|%v|%s|%s\n", id, v, st, title, del, live, rn, wr)
	}
	var revs, logRows int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM revisions`).Scan(&revs); err != nil {
		s.t.Fatal(err)
	}
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM publog`).Scan(&logRows); err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(&b, "revisions=%d publog=%d\n", revs, logRows)
	return b.String()
}

func (s *server) item(id int64) *store.Item {
	s.t.Helper()
	it, err := s.env.Store.ItemByID(context.Background(), id)
	if err != nil {
		s.t.Fatalf("item %d: %v", id, err)
	}
	return it
}

func editPath(it *store.Item) string {
	seg := map[content.Kind]string{content.Article: "tin-bai", content.Procedure: "thu-tuc", content.Document: "van-ban"}[it.Kind]
	return "/quan-tri/" + seg + "/" + strconv.FormatInt(it.ID, 10)
}

func ver(it *store.Item) string { return strconv.Itoa(it.Version) }

// itemRoute is one editing route and how to exercise it.
type itemRoute struct {
	name, method string
	path         func(f fixture) string
	denied       auth.Role // a role refused (by the route or by the workflow)
	as           auth.Role
	form         func(f fixture) url.Values
	status       int
	changed      func(t *testing.T, s *server, f fixture)
	contains     string // in the body of a valid GET
}

func itemRoutes() []itemRoute {
	fixed := func(p string) func(fixture) string { return func(fixture) string { return p } }
	edit := func(pick func(f fixture) *store.Item, suffix string) func(fixture) string {
		return func(f fixture) string { return editPath(pick(f)) + suffix }
	}
	draft := func(f fixture) *store.Item { return f.draft }
	withVersion := func(pick func(f fixture) *store.Item, extra url.Values) func(fixture) url.Values {
		return func(f fixture) url.Values {
			v := url.Values{"version": {ver(pick(f))}}
			for k, vs := range extra {
				v[k] = vs
			}
			return v
		}
	}
	statusIs := func(pick func(f fixture) *store.Item, want store.Status, deleted bool) func(*testing.T, *server, fixture) {
		return func(t *testing.T, s *server, f fixture) {
			it := s.item(pick(f).ID)
			if it.Status != want || it.Deleted.IsZero() == deleted {
				t.Errorf("item is %s (deleted %v), want %s (deleted %v)", it.Status, !it.Deleted.IsZero(), want, deleted)
			}
		}
	}
	countKind := func(k content.Kind, title string) func(*testing.T, *server, fixture) {
		return func(t *testing.T, s *server, _ fixture) {
			var n int
			if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM items WHERE kind = ? AND title = ?`, string(k), title).Scan(&n); err != nil || n != 1 {
				t.Errorf("%d items %q (%v)", n, title, err)
			}
		}
	}
	rs := []itemRoute{
		{name: "article list", method: "GET", path: fixed("/quan-tri/tin-bai/"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "Bản nháp thử nghiệm"},
		{name: "procedure list", method: "GET", path: fixed("/quan-tri/thu-tuc/"), denied: auth.Viewer, as: auth.Editor, status: 200},
		{name: "document list", method: "GET", path: fixed("/quan-tri/van-ban/"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "1256/QĐ-UBND"},
		{name: "new article", method: "GET", path: fixed("/quan-tri/tin-bai/moi"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: `name="title"`},
		{name: "new procedure", method: "GET", path: fixed("/quan-tri/thu-tuc/moi"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: `name="code"`},
		{name: "new document", method: "GET", path: fixed("/quan-tri/van-ban/moi"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: `name="number"`},
		{name: "create article", method: "POST", path: fixed("/quan-tri/tin-bai/moi"), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: func(fixture) url.Values {
				return url.Values{"title": {"Tin mới tạo"}, "body": {"Nội dung."}, "areas": {"II.1"}, "date": {"20/03/2026"}}
			},
			changed: countKind(content.Article, "Tin mới tạo")},
		{name: "create procedure", method: "POST", path: fixed("/quan-tri/thu-tuc/moi"), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: func(fixture) url.Values {
				return url.Values{"title": {"Thủ tục mới"}, "code": {"1.009999"}, "online": {"toàn trình"}, "submission": {"trực tiếp", "trực tuyến"},
					"legal_basis": {"08/2014/NĐ-CP\r\n1256/QĐ-UBND"}}
			},
			changed: countKind(content.Procedure, "Thủ tục mới")},
		{name: "create document", method: "POST", path: fixed("/quan-tri/van-ban/moi"), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: func(fixture) url.Values {
				return url.Values{"number": {"12/KH-SKHCN"}, "type": {"Kế hoạch"}, "issuer": {"Sở Khoa học và Công nghệ"}, "issued": {"15/03/2026"},
					"title": {"Kế hoạch thử nghiệm"}, "file": {"/tep/abc.pdf"}}
			},
			changed: countKind(content.Document, "Kế hoạch thử nghiệm")},
		{name: "preview", method: "POST", path: fixed("/quan-tri/tin-bai/xem-truoc"), denied: auth.Viewer, as: auth.Editor, status: 200,
			form: func(fixture) url.Values {
				return url.Values{"title": {"Xem thử"}, "body": {"| a | b |\n|---|---|\n| 1 | 2 |\n"}}
			}},
		{name: "edit", method: "GET", path: edit(draft, ""), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "Bản nháp thử nghiệm"},
		{name: "save", method: "POST", path: edit(draft, ""), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: func(f fixture) url.Values {
				return url.Values{"version": {ver(f.draft)}, "title": {"Bản nháp đã sửa"}, "body": {"Mới."}, "areas": {"II.1"}}
			},
			changed: func(t *testing.T, s *server, f fixture) {
				if it := s.item(f.draft.ID); it.Title != "Bản nháp đã sửa" || it.Version != f.draft.Version+1 {
					t.Errorf("saved %q v%d", it.Title, it.Version)
				}
			}},
		{name: "save published", method: "POST", path: edit(func(f fixture) *store.Item { return f.published }, ""), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form: func(f fixture) url.Values {
				return url.Values{"version": {ver(f.published)}, "title": {"Bài đã xuất bản"}, "body": {"Sửa lớn."}, "change": {"quan-trong"}, "change_note": {"Bổ sung số liệu"}}
			},
			changed: func(t *testing.T, s *server, f fixture) {
				ch, err := s.env.Store.MajorChanges(context.Background(), f.published.ID)
				if err != nil || len(ch) != 1 || ch[0].Note != "Bổ sung số liệu" {
					t.Errorf("major changes %+v, %v", ch, err)
				}
			}},
		{name: "revisions", method: "GET", path: edit(draft, "/lich-su"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "Lịch sử phiên bản"},
		{name: "diff", method: "GET", path: edit(func(f fixture) *store.Item { return f.published }, "/so-sanh?tu=1&den=2"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "So sánh phiên bản 1 và 2"},
		{name: "restore revision", method: "POST", path: edit(func(f fixture) *store.Item { return f.submitted }, "/lich-su/1/khoi-phuc"), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.submitted }, nil),
			changed: func(t *testing.T, s *server, f fixture) {
				if it := s.item(f.submitted.ID); it.Version != f.submitted.Version+1 {
					t.Errorf("version %d, want %d", it.Version, f.submitted.Version+1)
				}
			}},
		{name: "delete confirm", method: "GET", path: edit(draft, "/xoa"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "Bạn có chắc"},
		{name: "submit", method: "POST", path: edit(draft, "/gui-duyet"), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: withVersion(draft, nil), changed: statusIs(draft, store.Submitted, false)},
		{name: "reject", method: "POST", path: edit(func(f fixture) *store.Item { return f.submitted }, "/tra-lai"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form:    withVersion(func(f fixture) *store.Item { return f.submitted }, url.Values{"note": {"Thiếu nguồn"}}),
			changed: statusIs(func(f fixture) *store.Item { return f.submitted }, store.Draft, false)},
		{name: "publish", method: "POST", path: edit(func(f fixture) *store.Item { return f.submitted }, "/xuat-ban"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.submitted }, nil),
			changed: func(t *testing.T, s *server, f fixture) {
				if it := s.item(f.submitted.ID); it.Status != store.Published || !it.Live {
					t.Errorf("item %s live %v", it.Status, it.Live)
				}
			}},
		{name: "schedule", method: "POST", path: edit(func(f fixture) *store.Item { return f.submitted }, "/hen-gio"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.submitted }, url.Values{"at": {"2026-03-05T14:30"}}),
			changed: func(t *testing.T, s *server, f fixture) {
				it := s.item(f.submitted.ID)
				want := time.Date(2026, 3, 5, 7, 30, 0, 0, time.UTC) // 14:30 in Vietnam
				if it.Status != store.Published || it.Live || !it.Published.Equal(want) {
					t.Errorf("item %s live %v at %v, want scheduled at %v", it.Status, it.Live, it.Published, want)
				}
			}},
		{name: "withdraw", method: "POST", path: edit(func(f fixture) *store.Item { return f.published }, "/go-bo"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form:    withVersion(func(f fixture) *store.Item { return f.published }, url.Values{"note": {"Đã có văn bản thay thế"}}),
			changed: statusIs(func(f fixture) *store.Item { return f.published }, store.Withdrawn, false)},
		{name: "republish", method: "POST", path: edit(func(f fixture) *store.Item { return f.withdrawn }, "/dang-lai"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.withdrawn }, nil), changed: statusIs(func(f fixture) *store.Item { return f.withdrawn }, store.Published, false)},
		{name: "unpublish", method: "POST", path: edit(func(f fixture) *store.Item { return f.published }, "/thoi-xuat-ban"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.published }, nil), changed: statusIs(func(f fixture) *store.Item { return f.published }, store.Draft, false)},
		{name: "delete", method: "POST", path: edit(func(f fixture) *store.Item { return f.published }, "/xoa"), denied: auth.Editor, as: auth.Approver, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.published }, nil), changed: statusIs(func(f fixture) *store.Item { return f.published }, store.Published, true)},
		{name: "delete own draft", method: "POST", path: edit(draft, "/xoa"), denied: auth.Viewer, as: auth.Editor, status: http.StatusSeeOther,
			form: withVersion(draft, nil), changed: statusIs(draft, store.Draft, true)},
		{name: "restore", method: "POST", path: edit(func(f fixture) *store.Item { return f.trashed }, "/khoi-phuc"), denied: auth.Approver, as: auth.Admin, status: http.StatusSeeOther,
			form: withVersion(func(f fixture) *store.Item { return f.trashed }, nil), changed: statusIs(func(f fixture) *store.Item { return f.trashed }, store.Draft, false)},
		{name: "trash", method: "GET", path: fixed("/quan-tri/thung-rac"), denied: auth.Viewer, as: auth.Editor, status: 200, contains: "Bài trong thùng rác"},
	}
	return rs
}

// TestItemRoutes exercises every editing route: without a session, with
// a role it refuses, without a form token, and valid.
func TestItemRoutes(t *testing.T) {
	for _, rt := range itemRoutes() {
		t.Run(rt.name, func(t *testing.T) {
			s, f := newItemServer(t)
			path := rt.path(f)
			form := func(csrf string) url.Values {
				v := url.Values{}
				if rt.form != nil {
					v = rt.form(f)
				}
				if csrf != "" {
					v.Set("csrf", csrf)
				}
				return v
			}
			var body url.Values
			if rt.method == "POST" {
				body = form("")
			}
			t.Run("no session", func(t *testing.T) {
				before := s.itemsState()
				res := s.do(request{method: rt.method, path: path, form: body})
				if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), "/quan-tri/dang-nhap") {
					t.Fatalf("status %d, Location %q; want 302 to the login page", res.StatusCode, res.Header.Get("Location"))
				}
				res = s.do(request{method: rt.method, path: path, form: body, header: map[string]string{"Accept": "application/json"}})
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("non-HTML: status %d, want 401", res.StatusCode)
				}
				if s.itemsState() != before {
					t.Error("state changed")
				}
			})
			t.Run("wrong role", func(t *testing.T) {
				se := s.login(rt.denied)
				var b url.Values
				if rt.method == "POST" {
					b = form(se.csrf)
				}
				before := s.itemsState()
				res := s.do(request{method: rt.method, path: path, form: b, cookies: []*http.Cookie{se.cookie}})
				if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "không có quyền") {
					t.Fatalf("status %d; want 403 with a Vietnamese page\n%s", res.StatusCode, res.body)
				}
				if s.itemsState() != before {
					t.Error("state changed")
				}
			})
			if rt.method == "POST" {
				t.Run("missing csrf", func(t *testing.T) {
					se := s.login(rt.as)
					before := s.itemsState()
					res := s.do(request{method: rt.method, path: path, form: form(""), cookies: []*http.Cookie{se.cookie}})
					if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "<h1>Không được phép</h1>") {
						t.Fatalf("status %d, want the 403 page\n%s", res.StatusCode, res.body)
					}
					if s.itemsState() != before {
						t.Error("state changed")
					}
				})
			}
			t.Run("valid", func(t *testing.T) {
				se := s.login(rt.as)
				var b url.Values
				if rt.method == "POST" {
					b = form(se.csrf)
				}
				res := s.do(request{method: rt.method, path: path, form: b, cookies: []*http.Cookie{se.cookie}})
				if res.StatusCode != rt.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, rt.status, res.body)
				}
				if rt.contains != "" && !strings.Contains(res.body, rt.contains) {
					t.Errorf("page lacks %q", rt.contains)
				}
				if rt.status == http.StatusOK && res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
				}
				if rt.changed != nil {
					rt.changed(t, s, f)
				}
			})
		})
	}
}

// TestItemFormErrors: a form with errors comes back (422) with every
// value typed, a message on each bad field tied to it, and a summary
// linking to them; nothing is written.
func TestItemFormErrors(t *testing.T) {
	cases := []struct {
		name   string
		path   string
		form   url.Values
		fields map[string]string // field id → part of its message
		typed  []string          // values that must come back
	}{
		{name: "article", path: "/quan-tri/tin-bai/moi",
			form: url.Values{"title": {"  "}, "summary": {"Tóm tắt <b>đã gõ</b>"}, "date": {"31/02/2026"}, "tags": {"một, hai"},
				"body": {"\nDòng đầu trống\n| bảng |\n"}, "areas": {"II.1", "II.9"}, "slug": {"Không Hợp Lệ"}},
			fields: map[string]string{"f-title": "Hãy nhập tiêu đề", "f-date": "Ngày không hợp lệ", "f-areas": "II.9", "f-slug": "slug"},
			typed:  []string{"Tóm tắt <b>đã gõ</b>", "31/02/2026", "một, hai", "\nDòng đầu trống\n| bảng |\n", "Không Hợp Lệ"}},
		{name: "procedure", path: "/quan-tri/thu-tuc/moi",
			form:   url.Values{"title": {"Thủ tục"}, "code": {"1.23"}, "portal_url": {"dichvucong.gov.vn"}, "legal_basis": {"không phải số"}, "fee": {"50.000 đồng"}},
			fields: map[string]string{"f-code": "mã thủ tục", "f-portal_url": "Địa chỉ không hợp lệ", "f-legal_basis": "căn cứ pháp lý"},
			typed:  []string{"1.23", "dichvucong.gov.vn", "không phải số", "50.000 đồng"}},
		{name: "document", path: "/quan-tri/van-ban/moi",
			form:   url.Values{"number": {"abc"}, "type": {"Quyết định"}, "issued": {"ngày mai"}, "title": {"Trích yếu"}, "validity": {"bịa"}},
			fields: map[string]string{"f-number": "số ký hiệu", "f-issuer": "Hãy nhập cơ quan ban hành", "f-issued": "Ngày không hợp lệ", "f-validity": "Hãy chọn"},
			typed:  []string{"abc", "Quyết định", "ngày mai", "Trích yếu"}},
		{name: "document relations", path: "/quan-tri/van-ban/moi",
			form: url.Values{"number": {"77/2024/QĐ-UBND"}, "type": {"Quyết định"}, "issuer": {"UBND tỉnh"}, "issued": {"22/12/2024"}, "title": {"Quan hệ"},
				"replaced_by": {"93/2025/QH15 (01/10/2025)\nkhông phải số"}, "repeals_part": {"77/2024/QĐ-UBND"}, "source_url": {"http://vbpl.vn/x"}},
			fields: map[string]string{"f-replaced_by": "không phải là số hiệu văn bản", "f-repeals_part": "chính nó", "f-source_url": "https://"},
			typed:  []string{"93/2025/QH15 (01/10/2025)", "không phải số", "http://vbpl.vn/x"}},
		{name: "duplicate number", path: "/quan-tri/van-ban/moi",
			form:   url.Values{"number": {"1256/QĐ-UBND"}, "type": {"Quyết định"}, "issuer": {"UBND tỉnh"}, "issued": {"22/12/2021"}, "title": {"Trùng số"}},
			fields: map[string]string{"f-number": "đã có trong danh mục"},
			typed:  []string{"Trùng số"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newItemServer(t)
			se := s.login(auth.Editor)
			before := s.itemsState()
			res := s.post(se, tc.path, tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, res.body)
			}
			if s.itemsState() != before {
				t.Error("something was written")
			}
			page := html.UnescapeString(res.body)
			if !strings.Contains(res.body, `class="error-summary"`) {
				t.Error("no error summary")
			}
			for id, msg := range tc.fields {
				errID := id + "-error"
				if !strings.Contains(res.body, `href="#`+id+`"`) {
					t.Errorf("summary does not link to #%s", id)
				}
				if !strings.Contains(res.body, `id="`+errID+`"`) || !strings.Contains(res.body, errID+`"`) {
					t.Errorf("no error %s", errID)
				}
				if !strings.Contains(strings.ToLower(page), strings.ToLower(msg)) {
					t.Errorf("no message containing %q", msg)
				}
				if !strings.Contains(res.body, `aria-describedby="`) || !strings.Contains(res.body, errID) {
					t.Errorf("error %s is not tied to its field", errID)
				}
			}
			for _, v := range tc.typed {
				if !strings.Contains(page, v) {
					t.Errorf("typed value %q is lost", v)
				}
			}
		})
	}
}

// TestItemConflict: saving over a version someone else changed is a 409
// that shows both versions and writes nothing.
func TestItemConflict(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	ap := s.login(auth.Approver)
	// Both open the draft at the same version; the approver saves first.
	res := s.post(ap, editPath(f.draft), url.Values{"version": {ver(f.draft)}, "title": {"Tiêu đề của người duyệt"}, "body": {"Đoạn một.\n\nĐoạn của người duyệt.\n"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%s", res.StatusCode, res.body)
	}
	before := s.itemsState()
	res = s.post(ed, editPath(f.draft), url.Values{"version": {ver(f.draft)}, "title": {"Tiêu đề của biên tập viên"}, "body": {"Đoạn một.\n\nĐoạn của biên tập viên.\n"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409\n%s", res.StatusCode, res.body)
	}
	if s.itemsState() != before {
		t.Error("the stale save wrote something")
	}
	page := html.UnescapeString(res.body)
	for _, want := range []string{"Nội dung đã được người khác thay đổi", "approver", "Tiêu đề của người duyệt", "Tiêu đề của biên tập viên",
		"Đoạn của người duyệt.", "Đoạn của biên tập viên.", `class="diff-del"`, `class="diff-ins"`} {
		if !strings.Contains(page, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	// The form on it saves over the current version, deliberately.
	cur := s.item(f.draft.ID)
	if !strings.Contains(res.body, `name="version" value="`+ver(cur)+`"`) {
		t.Fatalf("the conflict form does not carry the current version %d", cur.Version)
	}
	res = s.post(ed, editPath(f.draft), url.Values{"version": {ver(cur)}, "title": {"Tiêu đề của biên tập viên"}, "body": {"Gộp."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: %d\n%s", res.StatusCode, res.body)
	}
	if it := s.item(f.draft.ID); it.Title != "Tiêu đề của biên tập viên" {
		t.Errorf("title %q", it.Title)
	}
}

// TestSaveAfterTheStateMoved: an editor who saves a draft that someone
// published or trashed while it was open gets the conflict page, 409,
// with both versions and everything typed still in the form (no save
// button, a note saying the account may no longer save it); nothing is
// written. The same holds when the step lands between the handler's own
// check and the save's transaction (the writer held while the approver
// publishes). Before, these saves were a 403 or 409 error page and what
// the editor typed was lost.
func TestSaveAfterTheStateMoved(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	ctx := context.Background()
	typed := "Đoạn văn rất dài mà biên tập viên đã gõ suốt buổi sáng."
	save := func(it *store.Item) response {
		return s.post(ed, editPath(it), url.Values{"version": {ver(it)}, "title": {"Tiêu đề đang gõ"}, "body": {typed}, "areas": {"II.1"}})
	}
	check := func(t *testing.T, res response, it *store.Item, before string) {
		t.Helper()
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("status %d, want 409", res.StatusCode)
		}
		page := html.UnescapeString(res.body)
		for _, w := range []string{"Nội dung đã được người khác thay đổi", typed, "Tiêu đề đang gõ", it.Title,
			"tài khoản của bạn không lưu được bản này nữa", `class="diff-ins"`} {
			if !strings.Contains(page, w) {
				t.Errorf("page lacks %q", w)
			}
		}
		if strings.Contains(res.body, `form="bieu-mau-muc" class="button"`) {
			t.Error("the page offers a save the account may not make")
		}
		if before != "" && s.itemsState() != before {
			t.Error("something was written")
		}
	}
	for _, tc := range []struct {
		name string
		it   *store.Item
		act  auth.Action
	}{{"published", f.draft, auth.ActPublish}, {"trashed", f.draft2, auth.ActDelete}} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.env.Publish.Transition(ctx, asApprover, publish.TransitionRequest{ID: tc.it.ID, Action: tc.act}); err != nil {
				t.Fatal(err)
			}
			check(t, save(tc.it), tc.it, s.itemsState())
		})
	}
	t.Run("published during the save", func(t *testing.T) {
		it := f.submitted
		s.env.Publish.Transition(ctx, asApprover, publish.TransitionRequest{ID: it.ID, Action: auth.ActReject, Note: "Sửa lại"})
		it = s.item(it.ID)
		// The writer is held; the approver publishes inside it, so the
		// save's own check (on the read pool) still sees a draft, and
		// the save waits for the writer.
		published, release := make(chan error, 1), make(chan struct{})
		var after *store.Item
		go func() {
			published <- s.env.Store.Tx(ctx, func(*sql.Tx) error {
				var err error
				after, err = s.env.Publish.Transition(ctx, asApprover, publish.TransitionRequest{ID: it.ID, Action: auth.ActPublish})
				published <- err
				<-release
				return err
			})
		}()
		if err := <-published; err != nil {
			t.Fatal(err)
		}
		waits := s.env.DB.Write.Stats().WaitCount
		answer := make(chan response, 1)
		go func() { answer <- save(it) }()
		for s.env.DB.Write.Stats().WaitCount == waits {
			time.Sleep(time.Millisecond) // until the save waits for the writer
		}
		close(release)
		if err := <-published; err != nil {
			t.Fatal(err)
		}
		check(t, <-answer, it, "")
		// Nothing written by the save: the item is the version the
		// publication made.
		if now := s.item(it.ID); now.Version != after.Version || now.Status != store.Published || now.Body != it.Body {
			t.Errorf("version %d, status %s; the publication made version %d", now.Version, now.Status, after.Version)
		}
	})
}

// TestWorkflowThroughHTTP takes an article from draft to public and out
// again, each step as the role that may take it, checking the refusals
// and what citizens see.
func TestWorkflowThroughHTTP(t *testing.T) {
	s, _ := newItemServer(t)
	ed, ap, adm := s.login(auth.Editor), s.login(auth.Approver), s.login(auth.Admin)

	res := s.post(ed, "/quan-tri/tin-bai/moi", url.Values{"title": {"Quy trình qua trình duyệt"}, "body": {"Theo Quyết định 1256/QĐ-UBND và 999/QĐ-XYZ."}, "areas": {"II.2.a"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.body)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	cur := func() *store.Item { return s.item(id) }

	// The flash and the warning about the unknown number show on the edit page.
	page := s.get(ed, path)
	if !strings.Contains(page.body, "Đã lưu bản nháp") || !strings.Contains(page.body, "999/QĐ-XYZ") || !strings.Contains(page.body, "Cảnh báo") {
		t.Errorf("edit page lacks the flash or the warning\n%s", page.body)
	}
	if strings.Contains(page.body, "Đăng tải ngay") {
		t.Error("an editor is offered to publish")
	}
	steps := []struct {
		name   string
		se     session
		suffix string
		form   url.Values
		status int
		check  func(t *testing.T, it *store.Item, res response)
	}{
		{"editor cannot publish", ed, "/xuat-ban", nil, http.StatusForbidden, nil},
		{"submit", ed, "/gui-duyet", nil, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			if it.Status != store.Submitted {
				t.Errorf("status %s", it.Status)
			}
		}},
		{"reject needs a comment", ap, "/tra-lai", url.Values{"note": {"  "}}, http.StatusUnprocessableEntity, func(t *testing.T, it *store.Item, res response) {
			if !strings.Contains(res.body, "Hãy ghi lý do trả lại") || !strings.Contains(res.body, `href="#f-reject_note"`) {
				t.Errorf("no message\n%s", res.body)
			}
		}},
		{"reject", ap, "/tra-lai", url.Values{"note": {"Cần thêm nguồn trích dẫn"}}, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			if it.Status != store.Draft || it.ReviewNote != "Cần thêm nguồn trích dẫn" {
				t.Errorf("status %s, note %q", it.Status, it.ReviewNote)
			}
			for _, p := range []string{path, "/quan-tri/"} {
				if body := s.get(ed, p).body; !strings.Contains(body, "Cần thêm nguồn trích dẫn") {
					t.Errorf("%s does not show the comment to the author", p)
				}
			}
		}},
		{"resubmit", ed, "/gui-duyet", nil, http.StatusSeeOther, nil},
		{"schedule in the past", ap, "/hen-gio", url.Values{"at": {"01/03/2026 08:00"}}, http.StatusUnprocessableEntity, nil},
		{"schedule garbage", ap, "/hen-gio", url.Values{"at": {"mai"}}, http.StatusUnprocessableEntity, nil},
		{"schedule", ap, "/hen-gio", url.Values{"at": {"10/03/2026 08:00"}}, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			if it.Live || !it.Published.Equal(time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)) {
				t.Errorf("live %v at %v", it.Live, it.Published)
			}
		}},
		{"publish now", ap, "/xuat-ban", nil, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			if !it.Live || it.Status != store.Published {
				t.Errorf("status %s live %v", it.Status, it.Live)
			}
			if res := s.do(request{method: "GET", path: it.URL()}); res.StatusCode != 200 || !strings.Contains(res.body, "Quy trình qua trình duyệt") {
				t.Errorf("public page: %d", res.StatusCode)
			}
		}},
		{"publish twice", ap, "/xuat-ban", nil, http.StatusConflict, nil},
		{"editor cannot edit what is public", ed, "", url.Values{"title": {"Sửa lén"}}, http.StatusForbidden, nil},
		{"major update needs a note", ap, "", url.Values{"title": {"Quy trình qua trình duyệt"}, "body": {"Mới."}, "change": {"quan-trong"}}, http.StatusUnprocessableEntity,
			func(t *testing.T, it *store.Item, res response) {
				if !strings.Contains(res.body, `id="f-change_note-error"`) {
					t.Error("no error on the change note")
				}
			}},
		{"major update", ap, "", url.Values{"title": {"Quy trình qua trình duyệt"}, "body": {"Mới."}, "areas": {"II.2.a"}, "change": {"quan-trong"}, "change_note": {"Bổ sung hướng dẫn mới"}}, http.StatusSeeOther,
			func(t *testing.T, it *store.Item, _ response) {
				res := s.do(request{method: "GET", path: it.URL()})
				if !strings.Contains(res.body, "Lịch sử cập nhật") || !strings.Contains(res.body, "Bổ sung hướng dẫn mới") {
					t.Errorf("public page has no history\n%s", res.body)
				}
			}},
		{"withdraw needs a reason", ap, "/go-bo", nil, http.StatusUnprocessableEntity, nil},
		{"withdraw", ap, "/go-bo", url.Values{"note": {"Nội dung đã được thay thế"}}, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			res := s.do(request{method: "GET", path: it.URL()})
			if res.StatusCode != 200 || !strings.Contains(res.body, "Nội dung đã được thay thế") || !strings.Contains(res.body, "đã được gỡ bỏ") {
				t.Errorf("withdrawn page: %d, no banner with the reason", res.StatusCode)
			}
		}},
		{"republish", ap, "/dang-lai", nil, http.StatusSeeOther, nil},
		{"editor cannot trash public", ed, "/xoa", nil, http.StatusForbidden, nil},
		{"delete", ap, "/xoa", nil, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			if it.Deleted.IsZero() {
				t.Error("not in the trash")
			}
			if res := s.do(request{method: "GET", path: it.URL()}); res.StatusCode != http.StatusNotFound {
				t.Errorf("public page of a trashed item: %d", res.StatusCode)
			}
		}},
		{"save in trash", ap, "", url.Values{"title": {"X"}}, http.StatusConflict, nil},
		{"approver cannot restore", ap, "/khoi-phuc", nil, http.StatusForbidden, nil},
		{"admin restores", adm, "/khoi-phuc", nil, http.StatusSeeOther, func(t *testing.T, it *store.Item, _ response) {
			if !it.Deleted.IsZero() || it.Status != store.Draft {
				t.Errorf("restored as %s, deleted %v", it.Status, it.Deleted)
			}
		}},
	}
	for _, st := range steps {
		form := url.Values{"version": {ver(cur())}}
		for k, v := range st.form {
			form[k] = v
		}
		res := s.post(st.se, path+st.suffix, form)
		if res.StatusCode != st.status {
			t.Fatalf("%s: status %d, want %d\n%s", st.name, res.StatusCode, st.status, res.body)
		}
		if st.check != nil {
			t.Run(st.name, func(t *testing.T) { st.check(t, cur(), res) })
		}
	}
	actions := strings.Join(s.auditActions(), " ")
	for _, want := range []string{"save", "submit", "reject", "schedule", "publish", "withdraw", "delete", "restore"} {
		if !strings.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %s", want, actions)
		}
	}
}

// TestRevisionsThroughHTTP: the history lists every save, two revisions
// compare line by line, and an old one comes back as a new revision.
func TestRevisionsThroughHTTP(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	path := editPath(f.draft)
	for i, body := range []string{"Đoạn một.\n\nĐoạn hai đã sửa.\n", "Đoạn một.\n\nĐoạn hai đã sửa.\n\nĐoạn ba.\n"} {
		res := s.post(ed, path, url.Values{"version": {ver(s.item(f.draft.ID))}, "title": {"Bản nháp thử nghiệm"}, "body": {body}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %d: %d\n%s", i, res.StatusCode, res.body)
		}
	}
	hist := s.get(ed, path+"/lich-su")
	for _, want := range []string{`value="1"`, `value="2"`, `value="3"`, "/lich-su/1/khoi-phuc", "(hiện tại)"} {
		if !strings.Contains(hist.body, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	diff := html.UnescapeString(s.get(ed, path+"/so-sanh?tu=1&den=3").body)
	for _, want := range []string{"Bớt: </span>Đoạn hai.", "Thêm: </span>Đoạn hai đã sửa.", "Thêm: </span>Đoạn ba."} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q\n%s", want, diff)
		}
	}
	if res := s.get(ed, path+"/so-sanh?tu=9"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown revision: %d", res.StatusCode)
	}
	if res := s.get(ed, path+"/so-sanh?tu=x"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad revision number: %d", res.StatusCode)
	}
	// A stale restore is refused.
	res := s.post(ed, path+"/lich-su/1/khoi-phuc", url.Values{"version": {"1"}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("stale restore: %d", res.StatusCode)
	}
	res = s.post(ed, path+"/lich-su/1/khoi-phuc", url.Values{"version": {ver(s.item(f.draft.ID))}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d\n%s", res.StatusCode, res.body)
	}
	it := s.item(f.draft.ID)
	if it.Version != 4 || it.Body != "Đoạn một.\n\nĐoạn hai.\n" {
		t.Errorf("after restore: v%d %q", it.Version, it.Body)
	}
}

// TestItemList: the filters and the title search (without diacritics).
func TestItemList(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	cases := []struct {
		name      string
		query     string
		want, not []string
	}{
		{"all", "", []string{"Bản nháp thử nghiệm", "Bài chờ duyệt", "Bài đã gỡ"}, []string{"Bài trong thùng rác"}},
		{"search without diacritics", "?q=BAN+NHAP", []string{"Bản nháp thử nghiệm", "Bản nháp thứ hai"}, []string{"Bài chờ duyệt"}},
		{"search with đ", "?q=đã+gỡ", []string{"Bài đã gỡ"}, []string{"Bản nháp"}},
		{"drafts", "?trang-thai=draft", []string{"Bản nháp thử nghiệm"}, []string{"Bài chờ duyệt"}},
		{"submitted", "?trang-thai=submitted", []string{"Bài chờ duyệt"}, []string{"Bản nháp thử nghiệm"}},
		{"withdrawn", "?trang-thai=withdrawn", []string{"Bài đã gỡ"}, []string{"Bài đã xuất bản"}},
		{"published", "?trang-thai=published", []string{"Bài đã xuất bản"}, []string{"Bài đã gỡ", "Bản nháp thử nghiệm"}},
		{"area", "?chu-de=II.1", []string{"Bản nháp thử nghiệm"}, nil},
		{"author", "?nguoi-tao=editor", []string{"Bản nháp thử nghiệm"}, []string{"Thay đổi thủ tục"}},
		{"nothing", "?q=zzzz", []string{"Không có mục nào khớp"}, []string{"Bản nháp"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := s.get(ed, "/quan-tri/tin-bai/"+tc.query)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(res.body, n) {
					t.Errorf("has %q", n)
				}
			}
		})
	}
	// A row offers only what the role may do.
	if res := s.get(ed, "/quan-tri/tin-bai/?trang-thai=draft"); !strings.Contains(res.body, editPath(f.draft)+"/gui-duyet") || strings.Contains(res.body, "Đăng tải…") {
		t.Error("editor's row actions are wrong")
	}
	if res := s.get(s.login(auth.Approver), "/quan-tri/tin-bai/?trang-thai=submitted"); !strings.Contains(res.body, "Đăng tải…") {
		t.Error("approver is not offered to publish")
	}
	if res := s.get(ed, "/quan-tri/tin-bai/?trang=99"); res.StatusCode != http.StatusNotFound {
		t.Errorf("page past the end: %d", res.StatusCode)
	}
}

// TestTrashList: the trash lists trashed items; only admins get the
// restore button.
func TestTrashList(t *testing.T) {
	s, f := newItemServer(t)
	for _, tc := range []struct {
		role    auth.Role
		restore bool
	}{{auth.Editor, false}, {auth.Approver, false}, {auth.Admin, true}} {
		res := s.get(s.login(tc.role), "/quan-tri/thung-rac")
		if res.StatusCode != 200 || !strings.Contains(res.body, "Bài trong thùng rác") {
			t.Fatalf("%s: %d", tc.role, res.StatusCode)
		}
		if got := strings.Contains(res.body, editPath(f.trashed)+"/khoi-phuc"); got != tc.restore {
			t.Errorf("%s: restore offered %v, want %v", tc.role, got, tc.restore)
		}
	}
}

// TestPreview: the preview renders the body (a GFM table) beside the form
// and keeps everything typed; nothing is saved.
func TestPreview(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	before := s.itemsState()
	res := s.post(ed, "/quan-tri/tin-bai/xem-truoc", url.Values{"id": {strconv.FormatInt(f.draft.ID, 10)}, "version": {ver(f.draft)},
		"title": {"Tiêu đề đang gõ"}, "body": {"| Tên | Số |\n|---|---|\n| Một | 1 |\n\nTheo 1256/QĐ-UBND.\n<script>alert(1)</script>"}})
	if res.StatusCode != 200 {
		t.Fatalf("status %d\n%s", res.StatusCode, res.body)
	}
	if s.itemsState() != before {
		t.Error("the preview saved something")
	}
	for _, want := range []string{"<table>", "<td>Một</td>", `href="/van-ban/`, "Tiêu đề đang gõ", `action="` + editPath(f.draft) + `"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(res.body, "<script>alert(1)") {
		t.Error("raw HTML passed through the preview")
	}
}

// TestDashboardLinks: the dashboard's lists link to the edit screens and
// it names the plan documents the registry lacks.
func TestDashboardLinks(t *testing.T) {
	s, f := newItemServer(t)
	res := s.get(s.login(auth.Approver), "/quan-tri/")
	if !strings.Contains(res.body, `href="`+editPath(f.submitted)+`"`) {
		t.Error("the waiting list does not link to the edit screen")
	}
	if !strings.Contains(res.body, "Văn bản kế hoạch còn thiếu") {
		t.Error("no box of missing plan documents")
	}
}

// TestStepAfterTheStateMoved: a step refused because another approver
// acted first keeps what was typed for it: the item's form comes back as
// the item is now, with the refusal and the note (or time), and nothing
// is written.
func TestStepAfterTheStateMoved(t *testing.T) {
	s, f := newItemServer(t)
	ap := s.login(auth.Approver)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		it     *store.Item
		before auth.Action // another approver's step, first
		seg    string
		form   url.Values
		typed  string
	}{
		{"reject after a publication", f.submitted, auth.ActPublish, "/tra-lai",
			url.Values{"note": {"Cần bổ sung căn cứ pháp lý ở đoạn thứ hai và sửa số liệu tháng 6."}}, "Cần bổ sung căn cứ pháp lý ở đoạn thứ hai và sửa số liệu tháng 6."},
		{"withdraw after an unpublication", f.published, auth.ActUnpublish, "/go-bo",
			url.Values{"note": {"Văn bản được thay thế bởi văn bản mới."}}, "Văn bản được thay thế bởi văn bản mới."},
		{"schedule after a publication", f.draft, auth.ActPublish, "/hen-gio",
			url.Values{"at": {"20/03/2031 08:00"}}, "20/03/2031 08:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drawn := s.item(tc.it.ID) // the version the approver's page was drawn at
			if _, err := s.env.Publish.Transition(ctx, asApprover, publish.TransitionRequest{ID: tc.it.ID, Action: tc.before}); err != nil {
				t.Fatal(err)
			}
			state := s.itemsState()
			form := url.Values{"version": {ver(drawn)}}
			for k, v := range tc.form {
				form[k] = v
			}
			res := s.post(ap, editPath(drawn)+tc.seg, form)
			if res.StatusCode != http.StatusConflict {
				t.Fatalf("status %d, want 409", res.StatusCode)
			}
			page := html.UnescapeString(res.body)
			if !strings.Contains(page, tc.typed) || !strings.Contains(page, `id="bieu-mau-muc"`) {
				t.Errorf("the form did not come back with %q", tc.typed)
			}
			if s.itemsState() != state {
				t.Error("something was written")
			}
		})
	}
	// Nothing typed (a forward step): the refusal's page, as before.
	res := s.post(ap, editPath(f.draft2)+"/xoa", url.Values{"version": {ver(f.draft2)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("trash: %d", res.StatusCode)
	}
	if res := s.post(ap, editPath(f.draft2)+"/xuat-ban", url.Values{"version": {ver(f.draft2)}}); res.StatusCode != http.StatusConflict || strings.Contains(res.body, `id="bieu-mau-muc"`) {
		t.Errorf("a step with nothing typed on a trashed item: %d", res.StatusCode)
	}
}
