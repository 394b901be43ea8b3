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

// agencyForm is a valid new agency's form.
func agencyForm(slug, name, prefix string) url.Values {
	return url.Values{"slug": {slug}, "name": {name}, "short_name": {"Sở " + slug}, "prefix": {prefix},
		"address": {"Số 1 Hùng Vương, TP. Quảng Ngãi"}, "phone": {"0255 3822 111"}, "email": {"vanthu@" + slug + ".gov.vn"},
		"website": {"https://" + slug + ".quangngai.gov.vn"}}
}

func (s *server) agencyCount() int {
	s.t.Helper()
	var n int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM agencies`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// TestAgenciesScreen: the root agency's admin lists, adds and edits
// agencies; a record with problems comes back (422) with what was typed
// and a Vietnamese message on its field — a prefix another agency has, a
// prefix the router keeps — and nothing written; two admins editing one
// record: the second save is a 409 showing what is stored, writing
// nothing; every other account, an agency's own admin included, is
// refused (403).
func TestAgenciesScreen(t *testing.T) {
	s := newAgencyServer(t)
	root := s.login(auth.Admin)
	res := s.get(root, admin.AgenciesPath)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Sở Tư pháp tỉnh Quảng Ngãi") || !strings.Contains(res.body, `href="/quan-tri/co-quan/"`) {
		t.Fatalf("the list: %d\n%s", res.StatusCode, res.body)
	}
	audits := len(s.auditActions())
	if res := s.post(root, admin.AgenciesPath, agencyForm("so-xay-dung", "Sở Xây dựng tỉnh Quảng Ngãi", "/so-xay-dung")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", res.StatusCode, res.body)
	}
	ag, err := s.env.Store.AgencyBySlug(t.Context(), "so-xay-dung")
	if err != nil || ag.Prefix != "/so-xay-dung" || ag.Email != "vanthu@so-xay-dung.gov.vn" {
		t.Fatalf("added %+v, %v", ag, err)
	}
	if got := s.auditActions(); len(got) != audits+1 || got[0] != "agency" {
		t.Errorf("audit after the add: %v", got[:min(3, len(got))])
	}

	for _, c := range []struct{ name, prefix, want string }{
		{"a prefix another agency has", "/so-tu-phap", "Giá trị này đã được cơ quan khác sử dụng."},
		{"a prefix the router keeps", "/tin-tuc", "Đường dẫn /tin-tuc đã dùng cho các trang của chuyên mục"},
		{"a prefix that is no segment", "/Sở Nội vụ", "Đường dẫn phải có dạng /ten-co-quan"},
	} {
		before := s.everything()
		form := agencyForm("so-noi-vu", "Sở Nội vụ tỉnh Quảng Ngãi", c.prefix)
		res := s.post(root, admin.AgenciesPath, form)
		body := html.UnescapeString(res.body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 422 saying %q", c.name, res.StatusCode, c.want)
		}
		for _, kept := range []string{"Sở Nội vụ tỉnh Quảng Ngãi", "so-noi-vu", "Số 1 Hùng Vương, TP. Quảng Ngãi", "https://so-noi-vu.quangngai.gov.vn"} {
			if !strings.Contains(body, `value="`+kept+`"`) {
				t.Errorf("%s: the form lost %q", c.name, kept)
			}
		}
		if !strings.Contains(res.body, `id="prefix-error"`) {
			t.Errorf("%s: the message is not on the prefix field", c.name)
		}
		if s.everything() != before {
			t.Errorf("%s: something was written", c.name)
		}
	}

	// Two admins open the same record; the first saves, the second's
	// save is refused, showing the record as it is now.
	s.addUser("quantri2", auth.Admin)
	root2 := s.loginAs("quantri2")
	edit := fmt.Sprintf("%s%d", admin.AgenciesPath, s.other)
	page1, page2 := s.get(root, edit), s.get(root2, edit)
	seen := regexpFind(page1.body, `name="seen" value="([0-9a-f]+)"`)
	if page1.StatusCode != http.StatusOK || seen == "" || regexpFind(page2.body, `name="seen" value="([0-9a-f]+)"`) != seen {
		t.Fatalf("the edit form: %d, stamp %q", page1.StatusCode, seen)
	}
	first := agencyForm("so-tu-phap", "Sở Tư pháp tỉnh Quảng Ngãi", "/so-tu-phap")
	first.Set("phone", "0255 3000 001")
	first.Set("seen", seen)
	if res := s.post(root, edit, first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the first save: %d\n%s", res.StatusCode, res.body)
	}
	before := s.everything()
	second := agencyForm("so-tu-phap", "Sở Tư pháp tỉnh Quảng Ngãi", "/stp")
	second.Set("seen", seen)
	res = s.post(root2, edit, second)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "0255 3000 001") || !strings.Contains(res.body, `value="/stp"`) {
		t.Errorf("the second save: %d, want 409 showing the stored phone and keeping the typed prefix\n%s", res.StatusCode, res.body)
	}
	if s.everything() != before {
		t.Error("the second save wrote")
	}
	// Saving again from the conflict page is a choice made seeing it.
	second.Set("seen", regexpFind(res.body, `name="seen" value="([0-9a-f]+)"`))
	if res := s.post(root2, edit, second); res.StatusCode != http.StatusSeeOther {
		t.Errorf("saving again after the conflict: %d", res.StatusCode)
	}
	if ag, _ := s.env.Store.Agency(t.Context(), s.other); ag.Prefix != "/stp" {
		t.Errorf("prefix %q after the second save", ag.Prefix)
	}

	// Everyone else: 403, nothing written.
	s.addUser("tonghop", auth.Province)
	for name, se := range map[string]session{"agency 2's admin": s.loginStaff(auth.Admin), "an approver": s.login(auth.Approver),
		"an editor": s.login(auth.Editor), "the province role": s.loginAs("tonghop")} {
		before := s.everything()
		for _, rq := range []request{{method: "GET", path: admin.AgenciesPath}, {method: "GET", path: edit},
			{method: "POST", path: admin.AgenciesPath, form: agencyForm("so-y-te", "Sở Y tế", "/so-y-te")},
			{method: "POST", path: edit, form: agencyForm("so-tu-phap", "Sở Tư pháp bị sửa", "/so-tu-phap")}} {
			rq.cookies = []*http.Cookie{se.cookie}
			if rq.form != nil {
				rq.form.Set("csrf", se.csrf)
				rq.form.Set("seen", seen)
			}
			if res := s.do(rq); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s %s: %d, want 403", name, rq.method, rq.path, res.StatusCode)
			}
		}
		if strings.Contains(s.get(se, "/quan-tri/mat-khau").body, `href="/quan-tri/co-quan/"`) {
			t.Errorf("%s is offered the agencies screen", name)
		}
		if s.everything() != before {
			t.Errorf("%s: something was written", name)
		}
	}
}

// TestAgenciesBurst: 40 admins of the root agency add agencies with the
// same prefix at once through the workspace: one is added, every other
// form comes back (422) saying the prefix is taken.
func TestAgenciesBurst(t *testing.T) {
	s := newAgencyServer(t)
	root := s.login(auth.Admin)
	before := s.agencyCount()
	const n = 40
	codes := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := agencyForm(fmt.Sprintf("so-%d", i), fmt.Sprintf("Sở số %d", i), "/so-chung")
			form.Set("csrf", root.csrf)
			res := s.do(request{method: "POST", path: admin.AgenciesPath, form: form, cookies: []*http.Cookie{root.cookie}})
			codes[i], bodies[i] = res.StatusCode, res.body
		}()
	}
	wg.Wait()
	won := 0
	for i, c := range codes {
		switch {
		case c == http.StatusSeeOther:
			won++
		case c == http.StatusUnprocessableEntity && strings.Contains(html.UnescapeString(bodies[i]), "Giá trị này đã được cơ quan khác sử dụng."):
		default:
			t.Errorf("attempt %d: %d", i, c)
		}
	}
	if won != 1 || s.agencyCount() != before+1 {
		t.Errorf("%d added, %d agencies now (was %d); want exactly one added", won, s.agencyCount(), before)
	}
}
