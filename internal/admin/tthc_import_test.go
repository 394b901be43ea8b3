package admin_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// sendList uploads a list file to the import screen as se.
func (s *server) sendList(se session, name, data string) response {
	s.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", se.csrf)
	w, _ := mw.CreateFormFile("file", name)
	w.Write([]byte(data))
	mw.Close()
	req := httptest.NewRequest("POST", admin.TTHCImportPath, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	req.AddCookie(se.cookie)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return response{Response: rec.Result(), body: rec.Body.String()}
}

// TestTTHCImportScreen uploads a list on the workspace: a new code becomes
// a draft, a changed procedure shows its differences with a choice per
// field, and only the fields ticked are written.
func TestTTHCImportScreen(t *testing.T) {
	s := newServer(t)
	testsupport.Import(t, s.env, fstest.MapFS{"procedures/cong-bo.md": {Data: []byte(`---
title: Công bố hợp chuẩn
code: "1.001193"
level: Cấp tỉnh
agency: Sở Khoa học và Công nghệ
date: 2026-01-05
---
`)}})
	se := s.login(auth.Editor)
	if res := s.do(request{method: "GET", path: admin.TTHCImportPath, cookies: []*http.Cookie{se.cookie}}); res.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d", res.StatusCode)
	}
	// A bad list: every problem, nothing done.
	res := s.sendList(se, "loi.csv", "Mã thủ tục,Tên thủ tục\n1.2345,Sai\n1.009999,<script>x</script>\n1.009999,Lặp\n")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "loi.csv:2: mã thủ tục &#34;1.2345&#34; không đúng dạng") ||
		!strings.Contains(res.body, "loi.csv:4: mã thủ tục 1.009999 đã có ở dòng 3") {
		t.Fatalf("bad list: %d\n%s", res.StatusCode, res.body)
	}
	if strings.Contains(res.body, "<script>x") {
		t.Error("a cell reached the page unescaped")
	}
	list := "Mã thủ tục,Tên thủ tục,Cấp thực hiện,Cơ quan thực hiện\n" +
		"1.001193,Công bố hợp chuẩn dựa trên kết quả tự đánh giá,Cấp tỉnh,Sở Khoa học và Công nghệ tỉnh Quảng Ngãi\n" +
		"1.001194,Thủ tục mới,Cấp tỉnh,Sở Khoa học và Công nghệ\n"
	res = s.sendList(se, "ds.csv", list)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d\n%s", res.StatusCode, res.body)
	}
	for _, want := range []string{"Đã tạo 1 bản nháp; 1 thủ tục khác danh mục; 0 thủ tục không đổi", "1.001194: Thủ tục mới",
		`value="Công bố hợp chuẩn dựa trên kết quả tự đánh giá"`, "Lấy Tên thủ tục theo danh mục", "Lấy Cơ quan thực hiện theo danh mục"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	ctx := context.Background()
	cur, err := s.env.Store.ItemBySlug(ctx, content.Procedure, "cong-bo")
	if err != nil || cur.Title != "Công bố hợp chuẩn" {
		t.Fatalf("the procedure changed before any choice: %+v %v", cur, err)
	}
	fresh, err := s.env.Store.ItemBySlug(ctx, content.Procedure, "thu-tuc-moi")
	if err != nil || fresh.Status != store.Draft || fresh.CreatedBy != "editor" {
		t.Fatalf("draft: %+v %v", fresh, err)
	}
	// The procedure is public: an editor may not change it (review is
	// required), and nothing is written.
	// Tick the agency only; the name stays.
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="((?:phien-ban|gia-tri)-[^"]+)" value="([^"]*)"`).FindAllStringSubmatch(res.body, -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&#39;", "'"))
	}
	m := regexp.MustCompile(`value="(\d+:agency)"`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no choice for the agency:\n%s", res.body)
	}
	form.Add("chon", m[1])
	form.Set("csrf", se.csrf)
	res = s.do(request{method: "POST", path: admin.TTHCImportPath + "/ap-dung", form: form, cookies: []*http.Cookie{se.cookie}})
	page := s.do(request{method: "GET", path: admin.TTHCImportPath, cookies: []*http.Cookie{se.cookie}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(page.body, "Bạn không có quyền sửa thủ tục 1.001193") {
		t.Fatalf("editor's apply: %d\n%s", res.StatusCode, page.body)
	}
	if after, _ := s.env.Store.ItemBySlug(ctx, content.Procedure, "cong-bo"); after.Agency != cur.Agency {
		t.Fatal("an editor changed a public procedure")
	}
	// An approver may.
	se = s.login(auth.Approver)
	form.Set("csrf", se.csrf)
	res = s.do(request{method: "POST", path: admin.TTHCImportPath + "/ap-dung", form: form, cookies: []*http.Cookie{se.cookie}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", res.StatusCode, res.body)
	}
	after, _ := s.env.Store.ItemBySlug(ctx, content.Procedure, "cong-bo")
	if after.Agency != "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" || after.Title != "Công bố hợp chuẩn" {
		t.Errorf("after the choice: title %q, agency %q", after.Title, after.Agency)
	}
	// The same form again: the version moved, so nothing is written.
	res = s.do(request{method: "POST", path: admin.TTHCImportPath + "/ap-dung", form: form, cookies: []*http.Cookie{se.cookie}})
	page = s.do(request{method: "GET", path: admin.TTHCImportPath, cookies: []*http.Cookie{se.cookie}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(page.body, "vừa được người khác sửa") {
		t.Errorf("stale apply: %d\n%s", res.StatusCode, page.body)
	}
	// A field the import may not set (the code) is refused.
	bad := url.Values{"csrf": {se.csrf}, "chon": {fmt.Sprint(after.ID) + ":code"}, "phien-ban-" + fmt.Sprint(after.ID): {fmt.Sprint(after.Version)}}
	if res := s.do(request{method: "POST", path: admin.TTHCImportPath + "/ap-dung", form: bad, cookies: []*http.Cookie{se.cookie}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("code chosen: %d, want 400", res.StatusCode)
	}
	// Viewers may not import.
	v := s.login(auth.Viewer)
	if res := s.sendList(v, "ds.csv", list); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer upload: %d, want 403", res.StatusCode)
	}
}
