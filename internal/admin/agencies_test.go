package admin_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"cchc/internal/admin"
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

// TestOtherAgencyLists: with the store acting for the request's agency,
// agency 2's staff see their own items in the lists, the trash and the
// dashboard and none of agency 1's (and agency 1's staff none of
// theirs); an item agency 2's editor creates is agency 2's; the province
// role's dashboard and report show the agency it chose.
func TestOtherAgencyLists(t *testing.T) {
	s := newAgencyServer(t)
	ctx := context.Background()
	if _, err := s.env.Publish.Import(ctx, testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	stateFixture(t, s.server, auth.StateSubmitted, "Bài chờ duyệt của Sở KH&CN")
	stateFixture(t, s.server, auth.StateTrashed, "Bài trong thùng rác của Sở KH&CN")
	stateFixture(t, s.server, auth.StateDraft, "Bản nháp của Sở KH&CN")

	ed2 := s.loginStaff(auth.Editor)
	res := s.post(ed2, "/quan-tri/tin-bai/moi", url.Values{"title": {"Bản nháp của Sở Tư pháp"}, "body": {"Nội dung.\n"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2's editor creating a draft: %d\n%s", res.StatusCode, res.body)
	}
	var id, owner int64
	if err := s.env.DB.Read.QueryRow(`SELECT id, agency_id FROM items WHERE title = 'Bản nháp của Sở Tư pháp'`).Scan(&id, &owner); err != nil || owner != s.other {
		t.Fatalf("the new draft belongs to agency %d (%v), want %d", owner, err, s.other)
	}
	mine := fmt.Sprintf("/quan-tri/tin-bai/%d", id)
	if res := s.post(ed2, mine+"/gui-duyet", url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2's editor submitting its draft: %d", res.StatusCode)
	}
	if res := s.get(s.login(auth.Editor), mine); res.StatusCode != http.StatusNotFound {
		t.Errorf("agency 1's editor opening agency 2's draft: %d, want 404", res.StatusCode)
	}

	ad2 := s.loginStaff(auth.Admin)
	for _, c := range []struct {
		se         session
		path, want string
		not        []string
	}{
		{ed2, "/quan-tri/tin-bai/", "Bản nháp của Sở Tư pháp", []string{"Sở KH&amp;CN"}},
		{ed2, "/quan-tri/", "Bản nháp của Sở Tư pháp", []string{"Sở KH&amp;CN"}},
		{ad2, "/quan-tri/thung-rac", "", []string{"Bài trong thùng rác của Sở KH&amp;CN"}},
		{s.login(auth.Admin), "/quan-tri/thung-rac", "Bài trong thùng rác của Sở KH&amp;CN", nil},
		{s.login(auth.Approver), "/quan-tri/", "Bài chờ duyệt của Sở KH&amp;CN", []string{"Sở Tư pháp"}},
	} {
		res := s.get(c.se, c.path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, c.want) {
			t.Errorf("GET %s: %d, or %q missing", c.path, res.StatusCode, c.want)
		}
		for _, n := range c.not {
			if strings.Contains(res.body, n) {
				t.Errorf("GET %s shows another agency's %q", c.path, n)
			}
		}
	}

	s.addUser("tonghop", auth.Province)
	pr := s.loginAs("tonghop")
	for _, c := range []struct {
		path      string
		want, not string
	}{
		{"/quan-tri/?co-quan=so-tu-phap", "Bản nháp của Sở Tư pháp", "Bài chờ duyệt của Sở KH&amp;CN"},
		{"/quan-tri/?co-quan=so-khcn", "Bài chờ duyệt của Sở KH&amp;CN", "Bản nháp của Sở Tư pháp"},
		// The plan and the publication log are the agency's.
		{"/bao-cao/?co-quan=so-khcn&nam=2022", "272/KH-SKHCN", "Năm 2022 chưa có kế hoạch"},
		{"/bao-cao/?co-quan=so-tu-phap&nam=2022", "Năm 2022 chưa có kế hoạch", "272/KH-SKHCN"},
	} {
		res := s.get(pr, c.path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, c.want) || c.not != "" && strings.Contains(res.body, c.not) {
			t.Errorf("the province role, GET %s: %d; want %q shown and %q not", c.path, res.StatusCode, c.want, c.not)
		}
	}
}

// TestOtherAgencyRootRows: the media library is each agency's: agency
// 2's uploads are its own, listed for it and not for agency 1, and its
// upload of bytes agency 1's library holds makes it an owner of that one
// file (media_owners) without touching agency 1's row. (The settings and a report's sending, once
// the root's alone, are each agency's: TestAgencySettingsOwn and
// TestAgencySendingOwn in join_test.go.)
func TestOtherAgencyRootRows(t *testing.T) {
	s := newAgencyServer(t)
	ad2 := s.loginStaff(auth.Admin)
	ad1 := s.login(auth.Admin)
	one := s.send(upload{filename: "so-do.png", data: testsupport.PNG(5), alt: strp("Sơ đồ của Sở KH&CN"), csrf: ad1.csrf}, &ad1, nil)
	if one.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 1's upload: %d", one.StatusCode)
	}
	file1 := strings.TrimPrefix(one.Header.Get("Location"), "/quan-tri/tep/")
	before := s.mediaState()
	// The same bytes are one file, which agency 2 now owns too: its upload
	// succeeds, the file is in its library, and agency 1's row (its alt
	// text, its name) and the files on disk are as they were.
	same := s.send(upload{filename: "chep.png", data: testsupport.PNG(5), alt: strp("Chép của Sở Tư pháp"), csrf: ad2.csrf}, &ad2, nil)
	if same.StatusCode != http.StatusSeeOther || same.Header.Get("Location") != "/quan-tri/tep/"+file1 {
		t.Fatalf("agency 2 uploading agency 1's bytes: %d %q, want 303 to the file\n%.600s", same.StatusCode, same.Header.Get("Location"), same.body)
	}
	if s.mediaState() != before {
		t.Error("agency 2's upload of agency 1's bytes changed agency 1's library")
	}
	if res := s.get(ad2, "/quan-tri/tep/"+file1); res.StatusCode != http.StatusOK {
		t.Errorf("agency 2 opening the file it now owns: %d", res.StatusCode)
	}
	var owners int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM media_owners WHERE name = ? AND agency_id = ?`, file1, s.other).Scan(&owners); err != nil || owners != 1 {
		t.Errorf("agency 2's ownership rows: %d %v, want 1", owners, err)
	}
	two := s.send(upload{filename: "quy-trinh.png", data: testsupport.PNG(6), alt: strp("Quy trình của Sở Tư pháp"), csrf: ad2.csrf}, &ad2, nil)
	if two.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2's own upload: %d\n%s", two.StatusCode, two.body)
	}
	file2 := strings.TrimPrefix(two.Header.Get("Location"), "/quan-tri/tep/")
	if res := s.get(ad2, "/quan-tri/tep/"+file2); res.StatusCode != http.StatusOK {
		t.Errorf("agency 2 opening its own file: %d", res.StatusCode)
	}
	if body := s.get(ad2, "/quan-tri/tep").body; !strings.Contains(body, file1) || !strings.Contains(body, file2) {
		t.Error("agency 2's library lacks its own upload or the file it shares with agency 1")
	}
	if body := s.get(ad1, "/quan-tri/tep").body; !strings.Contains(body, file1) || strings.Contains(body, file2) {
		t.Error("agency 1's library shows agency 2's file, or not its own")
	}
	// The audit log is each agency's: an upload's row is its agency's.
	for _, c := range []struct {
		se         session
		shows, not string
	}{{ad2, "quy-trinh.png", "so-do.png"}, {ad1, "so-do.png", "quy-trinh.png"}} {
		body := s.get(c.se, admin.AuditPath).body
		if !strings.Contains(body, c.shows) || strings.Contains(body, c.not) {
			t.Errorf("an audit log shows another agency's row, or not its own (%s)", c.shows)
		}
	}
}

// TestMediaAltPerOwner: two agencies uploading the same image are one
// file, but each keeps the alt text it typed: each one's file page and
// library offer its own words, an owner's later upload with new words
// changes only its own, and the first uploader's row stays as it was.
func TestMediaAltPerOwner(t *testing.T) {
	s := newAgencyServer(t)
	ad2 := s.loginStaff(auth.Admin)
	ad1 := s.login(auth.Admin)
	one := s.send(upload{filename: "so-do.png", data: testsupport.PNG(7), alt: strp("Sơ đồ quy trình của Sở KH&CN"), csrf: ad1.csrf}, &ad1, nil)
	if one.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 1's upload: %d", one.StatusCode)
	}
	file := strings.TrimPrefix(one.Header.Get("Location"), "/quan-tri/tep/")
	if res := s.send(upload{filename: "chep.png", data: testsupport.PNG(7), alt: strp("Lưu đồ tiếp nhận hồ sơ của Sở Tư pháp"), csrf: ad2.csrf}, &ad2, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2's upload of the same bytes: %d", res.StatusCode)
	}
	check := func(step string, se session, want, not string) {
		t.Helper()
		for _, p := range []string{"/quan-tri/tep/" + file, "/quan-tri/tep"} {
			body := html.UnescapeString(s.get(se, p).body)
			if !strings.Contains(body, want) || strings.Contains(body, not) {
				t.Errorf("%s, %s: want the alt text %q and not %q", step, p, want, not)
			}
		}
	}
	check("agency 2 after its upload", ad2, "Lưu đồ tiếp nhận hồ sơ của Sở Tư pháp", "Sơ đồ quy trình của Sở KH&CN")
	check("agency 1 after agency 2's upload", ad1, "Sơ đồ quy trình của Sở KH&CN", "Lưu đồ tiếp nhận hồ sơ")
	if res := s.send(upload{filename: "chep.png", data: testsupport.PNG(7), alt: strp("Lưu đồ mới của Sở Tư pháp"), csrf: ad2.csrf}, &ad2, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agency 2's second upload: %d", res.StatusCode)
	}
	check("agency 2 after new words", ad2, "Lưu đồ mới của Sở Tư pháp", "Lưu đồ tiếp nhận hồ sơ")
	check("agency 1 after agency 2's new words", ad1, "Sơ đồ quy trình của Sở KH&CN", "Lưu đồ mới")
	var alt string
	if err := s.env.DB.Read.QueryRow(`SELECT alt FROM media WHERE name = ?`, file).Scan(&alt); err != nil || alt != "Sơ đồ quy trình của Sở KH&CN" {
		t.Errorf("the first uploader's row: %q %v", alt, err)
	}
}
