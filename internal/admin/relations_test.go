package admin_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cchc/internal/auth"
	"cchc/internal/publish"
	"cchc/internal/testsupport"
)

// TestFormRelation: a relation written in the workspace's form, on the
// acting document, shows on the public page of the document it acts on
// once published, with that document's validity derived from it.
func TestFormRelation(t *testing.T) {
	s, _ := newItemServer(t)
	ed := s.login(auth.Editor)
	res := s.post(ed, "/quan-tri/van-ban/moi", url.Values{"number": {"15/2026/QĐ-UBND"}, "type": {"Quyết định"}, "issuer": {"UBND tỉnh Quảng Ngãi"},
		"issued": {"20/02/2026"}, "effective": {"01/03/2026"}, "title": {"Bãi bỏ một phần"}, "repeals_part": {"93/2025/QH15 (01/03/2026)\r\n"},
		"amends": {"999/2024/QĐ-UBND"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	var id int64
	if err := s.env.DB.Read.QueryRow(`SELECT id FROM items WHERE number = '15/2026/QĐ-UBND'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	// A number the column lacks is a warning on the edit page, under the
	// relation's label.
	edit := s.get(ed, "/quan-tri/van-ban/"+strconv.FormatInt(id, 10))
	if want := "Sửa đổi, bổ sung văn bản: văn bản 999/2024/QĐ-UBND chưa có trong danh mục văn bản."; !strings.Contains(html.UnescapeString(edit.body), want) {
		t.Errorf("the edit page lacks the warning %q", want)
	}
	page := func() string { return testsupport.Get(s.h, "/van-ban/93-2025-qh15").Body.String() }
	if strings.Contains(page(), "Bị bãi bỏ một phần bởi") {
		t.Error("a draft's relation shows on the public page")
	}
	ctx := context.Background()
	if _, err := s.env.Publish.Transition(ctx, asEditor, publish.TransitionRequest{ID: id, Action: auth.ActSubmit}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.env.Publish.Transition(ctx, asApprover, publish.TransitionRequest{ID: id, Action: auth.ActPublish}); err != nil {
		t.Fatal(err)
	}
	body := page()
	if !strings.Contains(body, `Bị bãi bỏ một phần bởi <a href="/van-ban/`) || !strings.Contains(body, "Quyết định số 15/2026/QĐ-UBND</a> từ 01/03/2026") {
		t.Error("the published relation is not on the acted-on document's page")
	}
	if !strings.Contains(body, `<span class="validity">Hết hiệu lực một phần</span>`) {
		t.Error("the acted-on document's validity does not follow the relation")
	}
}
