package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// agencyServer is a server with a second agency (Sở Tư pháp, agency 2)
// beside today's column (agency 1), and one account of agency 2 per
// workspace role, named stp.ROLE.
type agencyServer struct {
	*server
	other int64                     // agency 2's id
	staff map[auth.Role]*store.User // agency 2's accounts
}

func newAgencyServer(t *testing.T) *agencyServer {
	t.Helper()
	s := newServer(t)
	id, err := s.env.Store.CreateAgency(context.Background(), agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi",
		ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"}, store.AuditEntry{At: s.clock.Now(), Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	as := &agencyServer{server: s, other: id, staff: map[auth.Role]*store.User{}}
	for _, r := range []auth.Role{auth.Viewer, auth.Editor, auth.Approver, auth.Admin} {
		as.staff[r] = as.addStaff("stp."+string(r), r)
	}
	return as
}

// addStaff adds an account of agency 2.
func (s *agencyServer) addStaff(name string, role auth.Role) *store.User {
	s.t.Helper()
	u := s.addUser(name, role)
	if _, err := s.env.DB.Write.Exec(`UPDATE users SET agency_id = ? WHERE id = ?`, s.other, u.ID); err != nil {
		s.t.Fatal(err)
	}
	u.AgencyID = s.other
	return u
}

// loginStaff logs agency 2's account of role in.
func (s *agencyServer) loginStaff(role auth.Role) session { return s.loginAs(s.staff[role].Name) }

// otherAgencyRoutes are the workspace's routes on item it (an article of
// agency 1) and on the file name of agency 1's library, with what each
// POST carries: every page and every change of an item or a file.
func otherAgencyRoutes(it *store.Item, file string) []request {
	base := editPath(it)
	v := func(kv ...string) url.Values {
		out := url.Values{"version": {ver(it)}}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	rs := []request{
		{method: "GET", path: base},
		{method: "GET", path: base + "/lich-su"},
		{method: "GET", path: base + "/so-sanh"},
		{method: "GET", path: base + "/xoa"},
		{method: "GET", path: base + "/xem-truoc"},
		{method: "GET", path: "/quan-tri/tep/" + file},
		{method: "POST", path: base, form: v("title", "Sửa trộm", "body", "Nội dung của cơ quan khác.\n")},
		{method: "POST", path: base + "/lich-su/1/khoi-phuc", form: v()},
		{method: "POST", path: "/quan-tri/tin-bai/xem-truoc", form: v("id", fmt.Sprint(it.ID), "title", it.Title, "body", "Xem thử.")},
	}
	for _, seg := range []string{"/gui-duyet", "/tra-lai", "/xuat-ban", "/hen-gio", "/go-bo", "/dang-lai", "/thoi-xuat-ban", "/xoa", "/khoi-phuc"} {
		rs = append(rs, request{method: "POST", path: base + seg, form: v("note", "Lý do", "at", "2026-03-10T08:00")})
	}
	return rs
}

// TestOtherAgencyItems: an editor, approver or admin of agency 2 finds
// agency 1's items, their revisions, diff, preview and files as if they
// did not exist — a 404 on every page and every change, in every state of
// the item, where the role is admitted to the route at all (a route the
// role may never use stays its 403) — and nothing is written.
func TestOtherAgencyItems(t *testing.T) {
	s := newAgencyServer(t)
	admin1 := s.login(auth.Admin)
	up := s.send(upload{filename: "so-do.png", data: testsupport.PNG(3), alt: strp("Sơ đồ quy trình"), csrf: admin1.csrf}, &admin1, nil)
	if up.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", up.StatusCode, up.body)
	}
	file := strings.TrimPrefix(up.Header.Get("Location"), "/quan-tri/tep/")
	var items []*store.Item
	for _, st := range auth.States {
		items = append(items, stateFixture(t, s.server, st, "Bài của Sở KH&CN "+string(st)))
	}
	for _, r := range []auth.Role{auth.Editor, auth.Approver, auth.Admin} {
		se := s.loginStaff(r)
		for _, it := range items {
			for _, rq := range otherAgencyRoutes(it, file) {
				before, media := s.itemsState(), s.mediaState()
				rq.cookies = []*http.Cookie{se.cookie}
				if rq.form != nil {
					rq.form.Set("csrf", se.csrf)
				}
				res := s.do(rq)
				want := http.StatusNotFound
				if r != auth.Admin && strings.HasSuffix(rq.path, "/khoi-phuc") && !strings.Contains(rq.path, "/lich-su/") {
					want = http.StatusForbidden // restoring from the trash is an admin's, in any agency
				}
				if res.StatusCode != want {
					t.Errorf("%s of agency 2, %s %s (%s item): %d, want %d", r, rq.method, rq.path, publishState(it), res.StatusCode, want)
				}
				if s.itemsState() != before || s.mediaState() != media {
					t.Errorf("%s of agency 2, %s %s: something was written", r, rq.method, rq.path)
				}
			}
		}
	}
	// Not vacuous: agency 1's own editor and admin open the same pages.
	ed1 := s.login(auth.Editor)
	if res := s.get(ed1, editPath(items[0])); res.StatusCode != http.StatusOK {
		t.Errorf("agency 1's editor opening its draft: %d", res.StatusCode)
	}
	if res := s.get(admin1, "/quan-tri/tep/"+file); res.StatusCode != http.StatusOK {
		t.Errorf("agency 1's admin opening its file: %d", res.StatusCode)
	}
}

// TestOtherAgencyBurst: 60 concurrent saves and steps by agency 2's
// editor on agency 1's draft, with valid tokens and versions, write
// nothing: each is a 404.
func TestOtherAgencyBurst(t *testing.T) {
	s := newAgencyServer(t)
	it := stateFixture(t, s.server, auth.StateDraft, "Bản nháp của Sở KH&CN")
	se := s.loginStaff(auth.Editor)
	before := s.itemsState()
	const n = 60
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path, form := editPath(it), url.Values{"version": {ver(it)}, "title": {fmt.Sprintf("Sửa lần %d", i)}, "body": {"Chiếm quyền.\n"}, "csrf": {se.csrf}}
			switch i % 3 {
			case 1:
				path += "/gui-duyet"
			case 2:
				path += "/xoa"
			}
			codes[i] = s.do(request{method: "POST", path: path, form: form, cookies: []*http.Cookie{se.cookie}}).StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusNotFound {
			t.Errorf("attempt %d: %d, want 404", i, c)
		}
	}
	if s.itemsState() != before {
		t.Error("the burst changed agency 1's items")
	}
}

func publishState(it *store.Item) string { return fmt.Sprint(it.Status, " ", !it.Deleted.IsZero()) }
