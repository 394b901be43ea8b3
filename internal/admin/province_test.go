package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/web"
)

// engine is the gin engine behind the server's handler.
func (s *server) engine() *gin.Engine {
	s.t.Helper()
	switch h := s.h.(type) {
	case *gin.Engine:
		return h
	case *web.Front:
		return h.Engine
	}
	s.t.Fatalf("handler is %T, not a gin engine", s.h)
	return nil
}

// writes is everything a refused request must leave as it was: items,
// revisions, log, accounts, sessions, settings, files, audit rows,
// agencies, report drafts and sendings.
func (s *server) everything() string {
	s.t.Helper()
	var b strings.Builder
	b.WriteString(s.itemsState() + s.snapshot() + s.mediaState())
	for _, q := range []string{`SELECT COUNT(*) FROM audit_log`, `SELECT COUNT(*) FROM agencies`, `SELECT COUNT(*) FROM report_drafts`,
		`SELECT COUNT(*) FROM report_sendings`, `SELECT COUNT(*) FROM plans`} {
		var n int
		if err := s.env.DB.Read.QueryRow(q).Scan(&n); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d\n", q, n)
	}
	return b.String()
}

// provinceReads are the workspace's pages the province role opens: the
// dashboard, its own password, and every report page but the draft's
// form (a writer's, refused to viewers too).
func provinceReads(method, path string) bool {
	if method != http.MethodGet && method != http.MethodHead {
		return false
	}
	return path == "/quan-tri/" || path == "/quan-tri/mat-khau" || strings.HasPrefix(path, "/bao-cao/") && path != "/bao-cao/du-thao"
}

// TestProvinceRole: the province role (tổng hợp) reads the dashboard and
// the report of agency 1 and of agency 2, chosen with ?co-quan=, and is
// refused every other route of the workspace and the reports, route by
// route over the real router's table: every write is a 403 and writes
// nothing (its own password and logging out aside, which are its own
// account's), every other page a 403.
func TestProvinceRole(t *testing.T) {
	s := newAgencyServer(t)
	it := stateFixture(t, s.server, auth.StateDraft, "Bản nháp của Sở KH&CN")
	s.addUser("tonghop", auth.Province)
	se := s.loginAs("tonghop")

	for _, c := range []struct{ path, selected string }{
		{"/quan-tri/", "so-khcn"},
		{"/quan-tri/?co-quan=so-khcn", "so-khcn"},
		{"/quan-tri/?co-quan=so-tu-phap", "so-tu-phap"},
		{"/bao-cao/", "so-khcn"},
		{"/bao-cao/?co-quan=so-tu-phap", "so-tu-phap"},
	} {
		res := s.get(se, c.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", c.path, res.StatusCode)
			continue
		}
		if !strings.Contains(res.body, `<option value="`+c.selected+`" selected>`) || !strings.Contains(res.body, "Sở Tư pháp tỉnh Quảng Ngãi") {
			t.Errorf("GET %s: the selector does not show %s chosen among the agencies", c.path, c.selected)
		}
		if strings.Contains(res.body, editPath(it)) || strings.Contains(res.body, "/quan-tri/tin-bai/moi") {
			t.Errorf("GET %s: the province role is offered an edit screen", c.path)
		}
	}
	if res := s.get(se, "/quan-tri/?co-quan=khong-co"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown agency: %d, want 404", res.StatusCode)
	}
	// The choice is kept for the next pages (the report's links and
	// forms carry no ?co-quan=); a forged or stale cookie is forgotten;
	// the cookie means nothing to another role.
	chose := s.get(se, "/bao-cao/?co-quan=so-tu-phap")
	kept := chose.cookie("cchc_co_quan")
	if kept == nil || kept.Value != "so-tu-phap" || !kept.HttpOnly {
		t.Fatalf("the choice was not kept: %+v", kept)
	}
	for _, c := range []struct {
		value, selected string
	}{{"so-tu-phap", "so-tu-phap"}, {"khong-co", "so-khcn"}, {"<script>", "so-khcn"}} {
		res := s.do(request{method: "GET", path: "/bao-cao/?nam=2022", cookies: []*http.Cookie{se.cookie, {Name: "cchc_co_quan", Value: c.value}}})
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `<option value="`+c.selected+`" selected>`) {
			t.Errorf("cookie %q: %d, want the page of %s", c.value, res.StatusCode, c.selected)
		}
	}
	ad2 := s.loginStaff(auth.Admin)
	if res := s.do(request{method: "GET", path: "/quan-tri/nguoi-dung", cookies: []*http.Cookie{ad2.cookie, {Name: "cchc_co_quan", Value: "so-khcn"}}}); res.StatusCode != http.StatusOK || strings.Contains(res.body, ">approver<") {
		t.Errorf("agency 2's admin with the province's cookie: %d, or agency 1's accounts shown", res.StatusCode)
	}
	// Another role cannot read another agency by the parameter: it is
	// the province role's alone, and stays on the account's agency.
	if res := s.get(s.loginStaff(auth.Admin), "/quan-tri/?co-quan=so-khcn"); res.StatusCode != http.StatusOK || strings.Contains(res.body, `name="co-quan"`) {
		t.Errorf("agency 2's admin with ?co-quan=: %d, or a selector shown", res.StatusCode)
	}

	id := strconv.FormatInt(it.ID, 10)
	uid := strconv.FormatInt(s.users[auth.Editor].ID, 10)
	before := s.everything()
	reads, refused := 0, 0
	for _, r := range s.engine().Routes() {
		if !strings.HasPrefix(r.Path, "/quan-tri") && !strings.HasPrefix(r.Path, "/bao-cao") ||
			strings.HasPrefix(r.Path, "/quan-tri/assets/") || r.Path == "/quan-tri/dang-nhap" {
			continue
		}
		path := strings.NewReplacer(":id", id, ":name", "x.png", ":n", "1", ":file", "bao-cao-2022.csv").Replace(r.Path)
		if strings.HasPrefix(r.Path, "/quan-tri/nguoi-dung/:id") {
			path = strings.Replace(r.Path, ":id", uid, 1)
		}
		if (r.Path == "/quan-tri/dang-xuat" || r.Path == "/quan-tri/mat-khau") && r.Method == http.MethodPost {
			continue // its own session and password
		}
		rq := request{method: r.Method, path: path, cookies: []*http.Cookie{se.cookie}}
		if r.Method == http.MethodPost {
			rq.form = url.Values{"csrf": {se.csrf}, "version": {ver(it)}, "title": {"Tổng hợp sửa"}, "body": {"Sửa."}, "name": {"moi"},
				"role": {"admin"}, "password": {"một mật khẩu dài"}, "password2": {"một mật khẩu dài"}, "nam": {"2022"}, "note": {"Lý do"},
				"phan-ii": {"Hạn chế."}, "phan-iii": {"Phương hướng."}, "desk_phone": {"0255"}}
		}
		res := s.do(rq)
		if provinceReads(r.Method, r.Path) {
			reads++
			if res.StatusCode == http.StatusForbidden || res.StatusCode >= 500 {
				t.Errorf("%s %s: %d, want the page", r.Method, path, res.StatusCode)
			}
			continue
		}
		refused++
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s: %d, want 403", r.Method, path, res.StatusCode)
		}
	}
	if after := s.everything(); after != before {
		t.Errorf("the province role's requests wrote:\n%s\n%s", before, after)
	}
	if reads < 4 || refused < 50 {
		t.Errorf("only %d pages read and %d routes refused", reads, refused)
	}
	t.Logf("province role: %d pages read, %d routes refused", reads, refused)
}
