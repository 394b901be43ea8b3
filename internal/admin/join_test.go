package admin_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/settings"
)

// postAs sends a form of session se (its csrf added) to path.
func (s *server) postAs(se session, path string, form url.Values) response {
	s.t.Helper()
	form.Set("csrf", se.csrf)
	return s.do(request{method: "POST", path: path, form: form, cookies: []*http.Cookie{se.cookie}})
}

// TestAgencySettingsOwn: each agency keeps its own settings row — agency
// 2's admin reads and saves agency 2's, agency 1's row is left as it was,
// and each column's pages show its own agency's desk contacts.
func TestAgencySettingsOwn(t *testing.T) {
	s := newAgencyServer(t)
	ad1, ad2 := s.login(auth.Admin), s.loginStaff(auth.Admin)
	if res := s.postAs(ad1, "/quan-tri/cai-dat", url.Values{settings.FieldDeskPhone: {"0255 3822 111"}, settings.FieldDeskEmail: {"mot-cua@skhcn.quangngai.gov.vn"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 1 saving its settings: %d\n%.600s", res.StatusCode, res.body)
	}
	root := agency.WithID(context.Background(), agency.Root)
	before, err := s.env.Store.Settings(root)
	if err != nil {
		t.Fatal(err)
	}

	if res := s.get(ad2, "/quan-tri/cai-dat"); res.StatusCode != http.StatusOK || strings.Contains(res.body, "0255 3822 111") {
		t.Fatalf("agency 2 opening its settings: %d (or it shows agency 1's phone)", res.StatusCode)
	}
	res := s.postAs(ad2, "/quan-tri/cai-dat", url.Values{settings.FieldDeskPhone: {"0255 9999 999"}, settings.FieldDeskAddress: {"Số 2 Hùng Vương, TP Quảng Ngãi"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2 saving its settings: %d\n%.600s", res.StatusCode, res.body)
	}
	if res := s.get(ad2, "/quan-tri/cai-dat"); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "0255 9999 999") || strings.Contains(res.body, "0255 3822 111") {
		t.Errorf("agency 2's settings form after saving: %d, want its own phone only", res.StatusCode)
	}
	after, err := s.env.Store.Settings(root)
	if err != nil {
		t.Fatal(err)
	}
	if after.Settings != before.Settings || after.UpdatedBy != before.UpdatedBy || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("agency 1's settings changed: %+v, was %+v", after, before)
	}
	two, err := s.env.Store.Settings(agency.WithID(context.Background(), s.other))
	if err != nil || two.DeskPhone != "0255 9999 999" || two.DeskEmail != "" {
		t.Errorf("agency 2's row: %+v %v", two, err)
	}

	for _, c := range []struct{ path, shows, not string }{
		{"/so-tu-phap/", "0255 9999 999", "0255 3822 111"},
		{"/", "0255 3822 111", "0255 9999 999"},
	} {
		res := s.do(request{method: "GET", path: c.path})
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, c.shows) || strings.Contains(res.body, c.not) {
			t.Errorf("GET %s: %d, want %q shown and %q not", c.path, res.StatusCode, c.shows, c.not)
		}
	}
}

// TestAgencySendingOwn: agency 2's approver records agency 2's report
// sending, and the province roll-up shows it in agency 2's row (sent,
// late against the 10/11 deadline) and not in agency 1's.
func TestAgencySendingOwn(t *testing.T) {
	s := newAgencyServer(t)
	ap2 := s.loginStaff(auth.Approver)
	res := s.postAs(ap2, "/bao-cao/gui", url.Values{"nam": {"2022"}, "ngay-gui": {"25/11/2022"}, "so-ky-hieu": {"45/BC-STP"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2 recording its sending: %d\n%.600s", res.StatusCode, res.body)
	}
	var own, root int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FILTER (WHERE agency_id = ?), COUNT(*) FILTER (WHERE agency_id = ?) FROM report_sendings WHERE number = '45/BC-STP'`,
		s.other, agency.Root).Scan(&own, &root); err != nil {
		t.Fatal(err)
	}
	if own != 1 || root != 0 {
		t.Errorf("the sending's rows: agency 2 %d, agency 1 %d; want 1 and 0", own, root)
	}
	s.addUser("tonghop", auth.Province)
	pr := s.loginAs("tonghop")
	page := s.get(pr, "/bao-cao/tinh?nam=2022")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("the roll-up: %d", page.StatusCode)
	}
	row := func(slug string) string {
		i := strings.Index(page.body, `id="co-quan-`+slug+`"`)
		if i < 0 {
			t.Fatalf("no row for %s", slug)
		}
		rest := page.body[i+1:]
		if j := strings.Index(rest, `id="co-quan-`); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	if stp := row("so-tu-phap"); !strings.Contains(stp, "Đã gửi ngày 25/11/2022, số 45/BC-STP") || !strings.Contains(stp, "Trễ hạn") {
		t.Errorf("agency 2's row does not show its sending, late:\n%s", stp)
	}
	if strings.Contains(row("so-khcn"), "45/BC-STP") {
		t.Error("agency 1's row shows agency 2's sending")
	}
}

// menuLinks are the addresses of the workspace menu of a page.
func menuLinks(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `<nav class="admin-menu"`)
	if i < 0 {
		t.Fatal("no workspace menu")
	}
	nav := body[i:]
	nav = nav[:strings.Index(nav, "</nav>")]
	var out []string
	for _, m := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(nav, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestProvinceRollupRouter: through the real router, the province role
// reads the roll-up, its print and its exports, and agency 2's admin is
// refused them (403); the menu shows the province role the reports and
// the roll-up, and shows no account a link that answers it 403 (the
// report's and the print's link to the draft included).
func TestProvinceRollupRouter(t *testing.T) {
	s := newAgencyServer(t)
	s.addUser("tonghop", auth.Province)
	pr, ad2 := s.loginAs("tonghop"), s.loginStaff(auth.Admin)
	for _, p := range []string{"/bao-cao/tinh?nam=2022", "/bao-cao/tinh/in?nam=2022", "/bao-cao/tinh/2022.csv", "/bao-cao/tinh/2022.xlsx", "/bao-cao/tinh/2022.docx"} {
		if res := s.get(pr, p); res.StatusCode != http.StatusOK {
			t.Errorf("the province role, GET %s: %d, want 200", p, res.StatusCode)
		}
		if res := s.get(ad2, p); res.StatusCode != http.StatusForbidden {
			t.Errorf("agency 2's admin, GET %s: %d, want 403", p, res.StatusCode)
		}
	}

	links := strings.Join(menuLinks(t, s.get(pr, "/quan-tri/").body), " ")
	if !strings.Contains(links, "/bao-cao/ ") || !strings.Contains(links, "/bao-cao/tinh ") {
		t.Errorf("the province role's menu lacks the reports or the roll-up: %s", links)
	}
	if strings.Contains(strings.Join(menuLinks(t, s.get(ad2, "/quan-tri/").body), " "), "/bao-cao/tinh") {
		t.Error("agency 2's admin is shown the roll-up it may not read")
	}
	for _, p := range []string{"/bao-cao/?nam=2022", "/bao-cao/in?nam=2022"} {
		if res := s.get(pr, p); res.StatusCode != http.StatusOK || strings.Contains(res.body, "/bao-cao/du-thao") {
			t.Errorf("the province role, GET %s: %d, or it links the draft it may not open", p, res.StatusCode)
		}
	}

	sessions := map[string]session{"tonghop": pr, "stp.admin": ad2, "admin": s.login(auth.Admin)}
	for _, r := range []auth.Role{auth.Viewer, auth.Editor, auth.Approver} {
		sessions["stp."+string(r)] = s.loginStaff(r)
	}
	for name, se := range sessions {
		start := "/quan-tri/"
		if name == "stp.viewer" {
			start = "/bao-cao/"
		}
		for _, l := range menuLinks(t, s.get(se, start).body) {
			if !strings.HasPrefix(l, "/quan-tri/") && !strings.HasPrefix(l, "/bao-cao/") {
				continue
			}
			if res := s.get(se, l); res.StatusCode == http.StatusForbidden || res.StatusCode >= 500 {
				t.Errorf("%s: the menu links %s, which answers %d", name, l, res.StatusCode)
			}
		}
	}
}
