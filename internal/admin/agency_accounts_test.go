package admin_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"cchc/internal/admin"
	"cchc/internal/auth"
)

func newAccountForm(name, role, agencySlug string) url.Values {
	v := url.Values{"name": {name}, "display_name": {"Người mới"}, "role": {role}, "password": {"một mật khẩu dài"}, "password2": {"một mật khẩu dài"}}
	if agencySlug != "" {
		v.Set("agency", agencySlug)
	}
	return v
}

// TestAgencyAdminAccounts: an agency's own admin lists and manages its own
// accounts only — another agency's accounts are not found (404) on every
// account route, and adding an account in another agency or giving the
// province role, by a new account or a change, is refused (403) — with
// nothing written; the root agency's admin sees every agency's accounts
// and chooses the agency of a new one.
func TestAgencyAdminAccounts(t *testing.T) {
	s := newAgencyServer(t)
	se := s.loginStaff(auth.Admin)
	list := s.get(se, admin.UsersPath)
	if list.StatusCode != http.StatusOK || !strings.Contains(list.body, ">stp.editor<") || strings.Contains(list.body, ">approver<") ||
		strings.Contains(list.body, `name="agency"`) || strings.Contains(list.body, `value="province"`) {
		t.Errorf("agency 2's admin's list: %d, or it shows agency 1's accounts, the agency choice or the province role\n%s", list.StatusCode, list.body)
	}
	other := s.users[auth.Editor] // agency 1's
	base := fmt.Sprintf("%s/%d", admin.UsersPath, other.ID)
	before := s.everything()
	for _, rq := range []request{
		{method: "GET", path: base},
		{method: "POST", path: base, form: url.Values{"display_name": {"Bị sửa"}, "role": {"admin"}}},
		{method: "POST", path: base + "/mat-khau", form: url.Values{"password": {"mật khẩu chiếm quyền"}, "password2": {"mật khẩu chiếm quyền"}}},
		{method: "POST", path: base + "/khoa", form: url.Values{}},
		{method: "POST", path: base + "/mo-khoa", form: url.Values{}},
	} {
		rq.cookies = []*http.Cookie{se.cookie}
		if rq.form != nil {
			rq.form.Set("csrf", se.csrf)
		}
		if res := s.do(rq); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s on agency 1's account: %d, want 404", rq.method, rq.path, res.StatusCode)
		}
	}
	own := fmt.Sprintf("%s/%d", admin.UsersPath, s.staff[auth.Editor].ID)
	for name, rq := range map[string]request{
		"an account in agency 1":         {method: "POST", path: admin.UsersPath, form: newAccountForm("leo", "admin", "so-khcn")},
		"a province account":             {method: "POST", path: admin.UsersPath, form: newAccountForm("tinh", "province", "")},
		"its editor made province":       {method: "POST", path: own, form: url.Values{"display_name": {""}, "role": {"province"}}},
		"a province account in agency 2": {method: "POST", path: admin.UsersPath, form: newAccountForm("tinh2", "province", "so-tu-phap")},
	} {
		rq.cookies = []*http.Cookie{se.cookie}
		rq.form.Set("csrf", se.csrf)
		if res := s.do(rq); res.StatusCode != http.StatusForbidden {
			t.Errorf("agency 2's admin adding %s: %d, want 403", name, res.StatusCode)
		}
	}
	if s.everything() != before {
		t.Error("refused requests wrote")
	}
	// Its own: added in agency 2, its editor changed.
	if res := s.post(se, admin.UsersPath, newAccountForm("stp.moi", "editor", "")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2's admin adding its own editor: %d\n%s", res.StatusCode, res.body)
	}
	if u := account(t, s.server, "stp.moi"); u.AgencyID != s.other {
		t.Errorf("the new account acts for agency %d, want %d", u.AgencyID, s.other)
	}
	if res := s.post(se, own, url.Values{"display_name": {"Biên tập Tư pháp"}, "role": {"approver"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("agency 2's admin changing its editor: %d", res.StatusCode)
	}

	// The root agency's admin: every agency's accounts, the agency chosen.
	root := s.login(auth.Admin)
	list = s.get(root, admin.UsersPath)
	if !strings.Contains(list.body, ">stp.editor<") || !strings.Contains(list.body, ">approver<") || !strings.Contains(list.body, `name="agency"`) ||
		!strings.Contains(list.body, `value="province"`) {
		t.Errorf("the root admin's list lacks an agency's accounts, the agency choice or the province role")
	}
	if res := s.post(root, admin.UsersPath, newAccountForm("stp.quantri2", "admin", "so-tu-phap")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the root admin adding agency 2's admin: %d\n%s", res.StatusCode, res.body)
	}
	if u := account(t, s.server, "stp.quantri2"); u.AgencyID != s.other || u.Role != auth.Admin {
		t.Errorf("added %+v", u)
	}
	res := s.post(root, admin.UsersPath, newAccountForm("tinh3", "province", "so-tu-phap"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.body), "Vai trò tổng hợp chỉ dành cho tài khoản của cơ quan gốc.") {
		t.Errorf("a province account outside the root agency: %d", res.StatusCode)
	}
	res = s.post(root, admin.UsersPath, newAccountForm("tinh4", "editor", "khong-co"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.body), "Không có cơ quan “khong-co” trong danh sách.") {
		t.Errorf("an unknown agency: %d", res.StatusCode)
	}
	if res := s.post(root, admin.UsersPath, newAccountForm("tonghop", "province", "so-khcn")); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the root admin adding a province account: %d", res.StatusCode)
	}
	if res := s.get(root, own); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Sở Tư pháp tỉnh Quảng Ngãi") {
		t.Errorf("the root admin opening agency 2's account: %d", res.StatusCode)
	}
}

// TestAgencyAdminBurst: agency 2's admin sends 60 requests at once to
// take over agency 1's accounts — new passwords, role changes, locks,
// accounts added in agency 1 or with the province role — and none is
// written.
func TestAgencyAdminBurst(t *testing.T) {
	s := newAgencyServer(t)
	se := s.loginStaff(auth.Admin)
	before := s.everything()
	target := fmt.Sprintf("%s/%d", admin.UsersPath, s.users[auth.Admin].ID)
	const n = 60
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rq request
			switch i % 4 {
			case 0:
				rq = request{method: "POST", path: target + "/mat-khau", form: url.Values{"password": {"mật khẩu chiếm quyền"}, "password2": {"mật khẩu chiếm quyền"}}}
			case 1:
				rq = request{method: "POST", path: target, form: url.Values{"role": {"viewer"}}}
			case 2:
				rq = request{method: "POST", path: admin.UsersPath, form: newAccountForm(fmt.Sprintf("leo%d", i), "admin", "so-khcn")}
			case 3:
				rq = request{method: "POST", path: admin.UsersPath, form: newAccountForm(fmt.Sprintf("tinh%d", i), "province", "")}
			}
			rq.form.Set("csrf", se.csrf)
			rq.cookies = []*http.Cookie{se.cookie}
			codes[i] = s.do(rq).StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if want := []int{http.StatusNotFound, http.StatusNotFound, http.StatusForbidden, http.StatusForbidden}[i%4]; c != want {
			t.Errorf("attempt %d: %d, want %d", i, c, want)
		}
	}
	if s.everything() != before {
		t.Error("the burst wrote")
	}
}

// TestAgencyAccountUnits: the root admin opening an account of agency 2
// chooses among agency 2's units (each agency has its own), and saving
// one of them puts the account in it; the page offered the root's units,
// and a unit of agency 2 was refused as unknown.
func TestAgencyAccountUnits(t *testing.T) {
	s := newAgencyServer(t)
	if _, err := s.env.DB.Write.Exec(`INSERT INTO units (slug, name, agency_id) VALUES ('van-phong-so', 'Văn phòng Sở', ?)`, s.other); err != nil {
		t.Fatal(err)
	}
	root := s.login(auth.Admin)
	own := fmt.Sprintf("%s/%d", admin.UsersPath, s.staff[auth.Editor].ID)
	page := s.get(root, own)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, `value="van-phong-so"`) || strings.Contains(page.body, `value="trung-tam-ung-dung"`) {
		t.Errorf("agency 2's account page: %d; it must offer agency 2's units and not the root's\n%s", page.StatusCode, page.body)
	}
	// A unit of the root, posted for agency 2's account: refused, the form
	// shown again with the choice, nothing written.
	before := s.everything()
	res := s.post(root, own, url.Values{"display_name": {"Tên đã gõ"}, "role": {"editor"}, "unit": {"trung-tam-ung-dung"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.body), `không có đơn vị "trung-tam-ung-dung"`) ||
		!strings.Contains(res.body, `value="Tên đã gõ"`) {
		t.Errorf("a root unit for agency 2's account: %d\n%s", res.StatusCode, res.body)
	}
	if s.everything() != before {
		t.Error("the refused unit wrote")
	}
	if res := s.post(root, own, url.Values{"display_name": {""}, "role": {"editor"}, "unit": {"van-phong-so"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving agency 2's unit: %d\n%s", res.StatusCode, res.body)
	}
	if u := account(t, s.server, "stp.editor"); u.Unit != "Văn phòng Sở" {
		t.Errorf("the account's unit: %q", u.Unit)
	}
}
