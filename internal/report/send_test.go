package report_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/media"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// later is a day years after the demo's year: its report is long overdue
// unless it was sent.
var later = time.Date(2026, 12, 6, 9, 0, 0, 0, vntext.Zone)

// site is the whole service (the /bao-cao/ routes behind the login, as
// serve mounts them) over the demo, with one account per role.
type site struct {
	t   *testing.T
	env *app.Env
	h   http.Handler
}

func newSite(t *testing.T) *site {
	t.Helper()
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return later })
	for _, r := range auth.Roles {
		testsupport.AddUser(t, env, string(r), r, later)
	}
	return &site{t: t, env: env, h: testsupport.Handler(t, env)}
}

type reply struct {
	code int
	body string
	loc  string
	res  *http.Response
}

func (s *site) do(method, path string, form url.Values, cookies ...*http.Cookie) reply {
	s.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Header.Set("Accept", "text/html")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	return reply{code: w.Code, body: w.Body.String(), loc: w.Header().Get("Location"), res: w.Result()}
}

// login signs the account of role in: its session cookie and form token.
func (s *site) login(role auth.Role) (*http.Cookie, string) {
	s.t.Helper()
	page := s.do("GET", admin.LoginPath, nil)
	var formCookie *http.Cookie
	for _, c := range page.res.Cookies() {
		if c.Name == "cchc_login" {
			formCookie = c
		}
	}
	m := testsupport.CSRFField.FindStringSubmatch(page.body)
	if formCookie == nil || m == nil {
		s.t.Fatalf("login page: %d", page.code)
	}
	res := s.do("POST", admin.LoginPath, url.Values{"csrf": {m[1]}, "name": {string(role)}, "password": {testsupport.Password}}, formCookie)
	for _, c := range res.res.Cookies() {
		if c.Name == admin.CookieName {
			dash := s.do("GET", "/bao-cao/?nam=2022", nil, c)
			if m := testsupport.CSRFField.FindStringSubmatch(dash.body); m != nil {
				return c, m[1]
			}
			s.t.Fatalf("no form token on the dashboard: %d", dash.code)
		}
	}
	s.t.Fatalf("login as %s: %d", role, res.code)
	return nil, ""
}

// TestRecordSending: a past year shows the deadline long passed until an
// approver records the report's sending on the dashboard; then it shows
// the sending, with the signed PDF from the media library. Viewers and
// editors cannot record it; a form with problems comes back with what was
// typed.
func TestRecordSending(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	lib := media.New(s.env.Store, s.env.Now)
	pdf, err := lib.Add(ctx, media.Upload{FileName: "bao-cao-2022.pdf", Data: []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), By: "approver"})
	if err != nil {
		t.Fatal(err)
	}
	png, err := lib.Add(ctx, media.Upload{FileName: "anh.png", Data: pngBytes, Alt: "Ảnh", By: "approver"})
	if err != nil {
		t.Fatal(err)
	}

	viewer, vtok := s.login(auth.Viewer)
	page := s.do("GET", "/bao-cao/?nam=2022", nil, viewer)
	if !strings.Contains(page.body, "Chưa ghi nhận việc gửi báo cáo: đã quá hạn 1487 ngày (hạn 10/11/2022)") || strings.Contains(page.body, `action="/bao-cao/gui"`) {
		t.Fatalf("viewer's dashboard before sending:\n%s", page.body)
	}
	good := url.Values{"nam": {"2022"}, "ngay-gui": {"08/11/2022"}, "so-ky-hieu": {"45/BC-TTUD"}, "tep": {"/tep/" + pdf.Name}, "ghi-chu": {"Gửi qua hệ thống quản lý văn bản"}}
	withToken := func(v url.Values, tok string) url.Values {
		out := url.Values{"csrf": {tok}}
		for k, x := range v {
			out[k] = x
		}
		return out
	}
	editor, etok := s.login(auth.Editor)
	for name, try := range map[string]reply{
		"viewer": s.do("POST", "/bao-cao/gui", withToken(good, vtok), viewer),
		"editor": s.do("POST", "/bao-cao/gui", withToken(good, etok), editor),
	} {
		if try.code != http.StatusForbidden {
			t.Errorf("%s recording: %d", name, try.code)
		}
	}
	approver, atok := s.login(auth.Approver)
	if r := s.do("POST", "/bao-cao/gui", good, approver); r.code != http.StatusForbidden {
		t.Errorf("without the form token: %d", r.code)
	}
	if n := count(t, s.env, `SELECT COUNT(*) FROM report_sendings`); n != 0 {
		t.Fatalf("%d sendings recorded by refused requests", n)
	}

	bad := []struct {
		name  string
		edit  func(url.Values)
		wants []string
	}{
		{"no date", func(v url.Values) { v.Set("ngay-gui", "") }, []string{"Nhập ngày gửi báo cáo."}},
		{"a date to come", func(v url.Values) { v.Set("ngay-gui", "07/12/2026") }, []string{"Ngày gửi chưa đến"}},
		{"before the year", func(v url.Values) { v.Set("ngay-gui", "30/12/2021") }, []string{"không thể gửi trước năm 2022"}},
		{"no number", func(v url.Values) { v.Set("so-ky-hieu", " ") }, []string{"Nhập số, ký hiệu"}},
		{"control character", func(v url.Values) { v.Set("so-ky-hieu", "45/BC\x1b[2J") }, []string{"ký tự điều khiển"}},
		{"a file not in the library", func(v url.Values) { v.Set("tep", strings.Repeat("a", 64)+".pdf") }, []string{"Không có tệp này trong thư viện tệp"}},
		{"not a PDF", func(v url.Values) { v.Set("tep", png.Name) }, []string{"Bản đã ký phải là tệp PDF"}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			v := withToken(good, atok)
			b.edit(v)
			r := s.do("POST", "/bao-cao/gui", v, approver)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", r.code)
			}
			// The form comes back with what was typed.
			wants := append(b.wants, `class="error-summary"`, `value="`+v.Get("ngay-gui")+`"`, "Gửi qua hệ thống quản lý văn bản")
			for _, w := range wants {
				if !strings.Contains(r.body, w) {
					t.Errorf("no %q", w)
				}
			}
		})
	}
	if n := count(t, s.env, `SELECT COUNT(*) FROM report_sendings`); n != 0 {
		t.Fatalf("%d sendings recorded by refused forms", n)
	}

	r := s.do("POST", "/bao-cao/gui", withToken(good, atok), approver)
	if r.code != http.StatusSeeOther || r.loc != "/bao-cao/?nam=2022#gui-bao-cao" {
		t.Fatalf("record: %d %q\n%s", r.code, r.loc, r.body)
	}
	page = s.do("GET", "/bao-cao/?nam=2022", nil, approver)
	for _, w := range []string{"Đã ghi nhận báo cáo năm 2022 đã gửi: số 45/BC-TTUD, ngày 08/11/2022.",
		"Đã gửi báo cáo ngày 08/11/2022, số 45/BC-TTUD (hạn 10/11/2022)", `href="/tep/` + pdf.Name + `"`, "ghi nhận bởi approver"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("dashboard after sending: no %q", w)
		}
	}
	// The Trung tâm's deadline, not the Sở's (its own box, whose report
	// is another one: issue 16).
	centre, _, _ := strings.Cut(page.body, `id="han-bao-cao-so"`)
	if strings.Contains(centre, "đã quá hạn") {
		t.Error("the dashboard still counts days past the deadline")
	}
	// Everyone who may see reports sees it; the year's exports say it.
	if v := s.do("GET", "/bao-cao/?nam=2022", nil, viewer); !strings.Contains(v.body, "Đã gửi báo cáo ngày 08/11/2022, số 45/BC-TTUD") {
		t.Error("the viewer does not see the sending")
	}
	var audit string
	if err := s.env.DB.Read.QueryRow(`SELECT actor || ' ' || action || ' ' || target || ' ' || detail FROM audit_log WHERE action = 'report_sent'`).Scan(&audit); err != nil {
		t.Fatal(err)
	}
	if want := "approver report_sent report:2022 Báo cáo năm 2022: số 45/BC-TTUD, ngày 08/11/2022, bản đã ký " + pdf.Name; audit != want {
		t.Errorf("audit %q, want %q", audit, want)
	}
	// Rows are never changed.
	if _, err := s.env.DB.Write.Exec(`UPDATE report_sendings SET number = 'x'`); err == nil {
		t.Error("a sending record was changed")
	}
}

func count(t *testing.T, env *app.Env, q string) int {
	t.Helper()
	var n int
	if err := env.DB.Read.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// TestRecordDepartmentSending: the plan has two reports with two
// deadlines (issue 16) — the unit's to the Sở by 10/11 and the Sở's to
// the provincial People's Committee by 15/11 — and a sending says which
// one it was: recording the Sở's settles the Sở's deadline only, the
// unit's stays overdue, and a forged choice writes nothing.
func TestRecordDepartmentSending(t *testing.T) {
	s := newSite(t)
	approver, atok := s.login(auth.Approver)
	page := s.do("GET", "/bao-cao/?nam=2022", nil, approver)
	for _, w := range []string{`name="bao-cao" value="" checked`, `name="bao-cao" value="so"`,
		"Báo cáo tổng hợp của Sở gửi Ủy ban nhân dân tỉnh (hạn 15/11/2022)"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("the sending form offers no %q", w)
		}
	}
	good := url.Values{"csrf": {atok}, "nam": {"2022"}, "bao-cao": {"so"}, "ngay-gui": {"14/11/2022"}, "so-ky-hieu": {"310/BC-SKHCN"}}

	forged := url.Values{}
	for k, v := range good {
		forged[k] = v
	}
	forged.Set("bao-cao", "tinh")
	if r := s.do("POST", "/bao-cao/gui", forged, approver); r.code != http.StatusBadRequest {
		t.Errorf("a forged report choice: %d", r.code)
	}
	// A form with a problem comes back with the choice as it was made.
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("so-ky-hieu", "")
	if r := s.do("POST", "/bao-cao/gui", bad, approver); r.code != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `name="bao-cao" value="so" checked`) {
		t.Errorf("a form with a problem: %d, choice kept: %v", r.code, strings.Contains(r.body, `value="so" checked`))
	}
	if n := count(t, s.env, `SELECT COUNT(*) FROM report_sendings`); n != 0 {
		t.Fatalf("%d sendings recorded by refused requests", n)
	}

	if r := s.do("POST", "/bao-cao/gui", good, approver); r.code != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", r.code, r.body)
	}
	page = s.do("GET", "/bao-cao/?nam=2022", nil, approver)
	centre, rest, ok := strings.Cut(page.body, `id="han-bao-cao-so"`)
	department, _, _ := strings.Cut(rest, "</div>")
	if !ok || !strings.Contains(centre, `id="tinh-trang"`) {
		t.Fatal("no boxes for the deadlines")
	}
	centre = centre[strings.LastIndex(centre, `id="tinh-trang"`):] // the unit's box (the page's message above names the sending)
	if !strings.Contains(department, "Đã gửi báo cáo ngày 14/11/2022, số 310/BC-SKHCN (hạn 15/11/2022)") {
		t.Errorf("the Sở's deadline after its sending:\n%s", department)
	}
	if !strings.Contains(centre, "Chưa ghi nhận việc gửi báo cáo: đã quá hạn") || strings.Contains(centre, "310/BC-SKHCN") {
		t.Errorf("the Sở's sending settled the unit's deadline too:\n%s", centre)
	}
	if !strings.Contains(page.body, "Báo cáo tổng hợp của Sở đã gửi ngày 14/11/2022, số 310/BC-SKHCN") {
		t.Error("the list of sendings does not say it was the Sở's report")
	}
	var report, target string
	if err := s.env.DB.Read.QueryRow(`SELECT s.report, a.target FROM report_sendings s, audit_log a WHERE a.action = 'report_sent'`).Scan(&report, &target); err != nil {
		t.Fatal(err)
	}
	if report != "so" || target != "report:2022:so" {
		t.Errorf("stored %q, audited %q", report, target)
	}
}
