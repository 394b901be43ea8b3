package admin_test

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	demo "cchc/content"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// The units of migration 0091, by their full names.
const (
	unitCentre = "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ"
	unitOffice = "Phòng Hành chính – Tổng hợp"
)

// activityServer is a server whose editor belongs to the Trung tâm, with
// a second editor of the Phòng Hành chính – Tổng hợp ("editor2") and a
// third of no unit ("editor3"); the plan is the demo's, so plan items
// resolve.
func activityServer(t *testing.T) *server {
	t.Helper()
	s := newServer(t)
	s.addUser("editor2", auth.Editor)
	s.addUser("editor3", auth.Editor)
	s.setUnit("editor", unitCentre)
	s.setUnit("editor2", unitOffice)
	plan := fstest.MapFS{}
	for _, name := range []string{"plans/2022.yaml", "plans/2022-tthc.csv"} {
		b, err := fs.ReadFile(demo.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		plan[name] = &fstest.MapFile{Data: b}
	}
	testsupport.Import(t, s.env, plan)
	return s
}

// setUnit puts account name in the unit called unit.
func (s *server) setUnit(name, unit string) {
	s.t.Helper()
	ctx := context.Background()
	units, err := s.env.Store.Units(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	un, ok := store.UnitNamed(units, unit)
	if !ok {
		s.t.Fatalf("no unit %q", unit)
	}
	u, err := s.env.Store.UserByName(ctx, name)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.env.Store.Tx(ctx, func(tx *sql.Tx) error { return s.env.Store.SetUserUnit(ctx, tx, u.ID, un.ID, s.clock.Now()) }); err != nil {
		s.t.Fatal(err)
	}
}

// loginAs logs account name (password testsupport.Password) in.
func (s *server) loginAs(name string) session {
	s.t.Helper()
	res := s.tryLogin(name, testsupport.Password, "")
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login as %s: %d", name, res.StatusCode)
	}
	c := res.cookie(admin.CookieName)
	return session{cookie: c, csrf: s.csrfOf(c)}
}

// activityForm is the form of an activity of unit, as a browser posts it.
func activityForm(csrf, unit, title string) url.Values {
	return url.Values{"csrf": {csrf}, "title": {title}, "plan_item": {"III.3"}, "channel": {"phat-thanh"},
		"date": {"20/03/2022"}, "place": {"Đài Phát thanh – Truyền hình Quảng Ngãi"}, "unit": {unit}, "audience": {"45"},
		"evidence": {"https://example.gov.vn/chuyen-muc-3.mp3"}, "body": {"Ghi chú."}}
}

// addActivity stores a draft activity of unit through the workflow, as
// an admin, public when asked.
func (s *server) addActivity(title, unit string, public bool) *store.Item {
	s.t.Helper()
	it := content.Item{Kind: content.Activity, Title: title, PlanItem: "III.3", Channel: "bao-in", Date: time.Date(2022, 4, 15, 0, 0, 0, 0, vntext.Zone),
		Place: "Báo Quảng Ngãi", Unit: unit, Public: public, Body: "Ghi chú."}
	saved, _, err := s.env.Publish.Save(context.Background(), publish.Actor{Name: "admin", Role: auth.Admin}, publish.SaveRequest{Item: it})
	if err != nil {
		s.t.Fatalf("add activity %q: %v", title, err)
	}
	return saved
}

// writes is what a refused request must leave as it was: every item's
// row, the revisions, the audit log and the publication log.
func (s *server) writes() string {
	s.t.Helper()
	var b strings.Builder
	rows, err := s.env.DB.Read.Query(`SELECT id, kind, status, version, COALESCE(deleted_at, 0), unit, public, meta FROM items ORDER BY id`)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, version, deleted, public int64
		var kind, status, unit, meta string
		if err := rows.Scan(&id, &kind, &status, &version, &deleted, &unit, &public, &meta); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d|%s|%s|%d|%d|%s|%d|%s\n", id, kind, status, version, deleted, unit, public, meta)
	}
	for _, q := range []string{`SELECT COUNT(*) FROM revisions`, `SELECT COUNT(*) FROM audit_log`, `SELECT COUNT(*) FROM publog`} {
		var n int
		if err := s.env.DB.Read.QueryRow(q).Scan(&n); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d\n", q, n)
	}
	return b.String()
}

// TestActivityUnitPermissions: an editor creates, edits, submits, trashes
// and restores revisions of their own unit's activities only; every
// route refuses another unit's with 403, a Vietnamese message and nothing
// written, as it refuses an editor of no unit. Approvers and admins act
// on every unit.
func TestActivityUnitPermissions(t *testing.T) {
	s := activityServer(t)
	own := s.addActivity("Chuyên mục của Trung tâm", unitCentre, false)
	other := s.addActivity("Hoạt động của Phòng Hành chính", unitOffice, false)
	ed := s.login(auth.Editor)
	base := admin.KindPath(content.Activity)
	edit := func(it *store.Item) string { return admin.EditURL(it) }
	version := func(it *store.Item) string {
		cur, err := s.env.Store.ItemByID(context.Background(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(cur.Version)
	}
	refused := []struct {
		name string
		who  func() session
		path string
		form func(csrf string) url.Values
	}{
		{"create for another unit", func() session { return ed }, base + "moi",
			func(csrf string) url.Values { return activityForm(csrf, unitOffice, "Tạo hộ đơn vị khác") }},
		{"save another unit's", func() session { return ed }, edit(other),
			func(csrf string) url.Values {
				f := activityForm(csrf, unitOffice, "Sửa hộ đơn vị khác")
				f.Set("version", version(other))
				return f
			}},
		{"move one's own to another unit", func() session { return ed }, edit(own),
			func(csrf string) url.Values {
				f := activityForm(csrf, unitOffice, "Chuyển sang đơn vị khác")
				f.Set("version", version(own))
				return f
			}},
		{"take another unit's for one's own", func() session { return ed }, edit(other),
			func(csrf string) url.Values {
				f := activityForm(csrf, unitCentre, "Nhận về đơn vị mình")
				f.Set("version", version(other))
				return f
			}},
		{"submit another unit's", func() session { return ed }, edit(other) + "/gui-duyet",
			func(csrf string) url.Values { return url.Values{"csrf": {csrf}, "version": {version(other)}} }},
		{"trash another unit's", func() session { return ed }, edit(other) + "/xoa",
			func(csrf string) url.Values { return url.Values{"csrf": {csrf}, "version": {version(other)}} }},
		{"restore a revision of another unit's", func() session { return ed }, edit(other) + "/lich-su/1/khoi-phuc",
			func(csrf string) url.Values { return url.Values{"csrf": {csrf}, "version": {version(other)}} }},
		{"create with no unit", func() session { return s.loginAs("editor3") }, base + "moi",
			func(csrf string) url.Values {
				return activityForm(csrf, unitCentre, "Biên tập viên chưa có đơn vị")
			}},
		{"submit with no unit", func() session { return s.loginAs("editor3") }, edit(own) + "/gui-duyet",
			func(csrf string) url.Values { return url.Values{"csrf": {csrf}, "version": {version(own)}} }},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			se := c.who()
			before := s.writes()
			res := s.do(request{method: "POST", path: c.path, form: c.form(se.csrf), cookies: []*http.Cookie{se.cookie}})
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403\n%s", res.StatusCode, regexpFind(res.body, `(?s)<main[^>]*>(.*?)</main>`))
			}
			if !strings.Contains(res.body, "thuộc đơn vị khác") {
				t.Errorf("the 403 does not say why:\n%s", regexpFind(res.body, `(?s)<main[^>]*>(.*?)</main>`))
			}
			if after := s.writes(); after != before {
				t.Errorf("a refused request wrote:\nbefore %s\nafter  %s", before, after)
			}
		})
	}

	// A burst of the same forged requests at once (100, concurrent, on
	// the one writer): every one refused, nothing written.
	t.Run("burst", func(t *testing.T) {
		before := s.writes()
		codes := make(chan int, 100)
		var wg sync.WaitGroup
		for i := range 100 {
			c := refused[i%7] // the editor's own session: one login, many requests
			form := c.form(ed.csrf)
			wg.Go(func() {
				codes <- s.do(request{method: "POST", path: c.path, form: form, cookies: []*http.Cookie{ed.cookie}}).StatusCode
			})
		}
		wg.Wait()
		close(codes)
		n := 0
		for code := range codes {
			n++
			if code != http.StatusForbidden {
				t.Errorf("a forged request of the burst: %d, want 403", code)
			}
		}
		if n != 100 {
			t.Errorf("%d answers, want 100", n)
		}
		if after := s.writes(); after != before {
			t.Errorf("the burst wrote:\nbefore %s\nafter  %s", before, after)
		}
	})

	// The editor sees another unit's activity but is offered no change.
	page := s.do(request{method: "GET", path: edit(other), cookies: []*http.Cookie{ed.cookie}})
	if page.StatusCode != http.StatusOK || strings.Contains(page.body, `action="`+edit(other)+`/gui-duyet"`) {
		t.Errorf("another unit's page: %d, offers to submit: %v", page.StatusCode, strings.Contains(page.body, "/gui-duyet"))
	}

	// Their own unit's: saved, submitted.
	f := activityForm(ed.csrf, unitCentre, "Chuyên mục của Trung tâm, đã sửa")
	f.Set("version", version(own))
	if res := s.do(request{method: "POST", path: edit(own), form: f, cookies: []*http.Cookie{ed.cookie}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save own: %d\n%s", res.StatusCode, regexpFind(res.body, `(?s)(<div class="error-summary".*?</div>)`))
	}
	if res := s.do(request{method: "POST", path: edit(own) + "/gui-duyet", form: url.Values{"csrf": {ed.csrf}, "version": {version(own)}},
		cookies: []*http.Cookie{ed.cookie}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit own: %d", res.StatusCode)
	}
	if res := s.do(request{method: "POST", path: base + "moi", form: activityForm(ed.csrf, unitCentre, "Chuyên mục mới của Trung tâm"),
		cookies: []*http.Cookie{ed.cookie}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create own: %d\n%s", res.StatusCode, regexpFind(res.body, `(?s)(<div class="error-summary".*?</div>)`))
	}

	// An approver acts on every unit: edits and publishes the other
	// unit's activity, which enters the publication log.
	ap := s.login(auth.Approver)
	f = activityForm(ap.csrf, unitOffice, "Hoạt động của Phòng Hành chính, đã duyệt")
	f.Set("version", version(other))
	if res := s.do(request{method: "POST", path: edit(other), form: f, cookies: []*http.Cookie{ap.cookie}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approver save: %d", res.StatusCode)
	}
	if res := s.do(request{method: "POST", path: edit(other) + "/xuat-ban", form: url.Values{"csrf": {ap.csrf}, "version": {version(other)}},
		cookies: []*http.Cookie{ap.cookie}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approver publish: %d", res.StatusCode)
	}
	var logged int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM publog WHERE item_id = ? AND type = 'publish'`, other.ID).Scan(&logged); err != nil || logged != 1 {
		t.Errorf("publication log rows of the published activity: %d, %v", logged, err)
	}

	// The list filters by unit and by plan item.
	list := s.do(request{method: "GET", path: base + "?don-vi=" + url.QueryEscape(unitOffice), cookies: []*http.Cookie{ed.cookie}})
	if !strings.Contains(list.body, "Hoạt động của Phòng Hành chính") || strings.Contains(list.body, "Chuyên mục của Trung tâm") {
		t.Errorf("list by unit:\n%s", regexpFind(list.body, `(?s)(<table class="data items">.*?</table>)`))
	}
	list = s.do(request{method: "GET", path: base + "?muc=III.4", cookies: []*http.Cookie{ed.cookie}})
	if strings.Contains(list.body, "Chuyên mục của Trung tâm") || !strings.Contains(list.body, `<option value="III.4" selected>`) {
		t.Errorf("list by plan item III.4 shows a III.3 activity")
	}
}

// TestActivityPublicOnlyByApprover: an editor sees "public" but cannot
// set it, nor clear it (403, nothing written, even from a forged form);
// leaving it as it is saves; an approver sets it.
func TestActivityPublicOnlyByApprover(t *testing.T) {
	s := activityServer(t)
	shown := s.addActivity("Tọa đàm đã công khai", unitCentre, true)
	ed := s.login(auth.Editor)
	base := admin.KindPath(content.Activity)

	page := s.do(request{method: "GET", path: base + "moi", cookies: []*http.Cookie{ed.cookie}})
	if !strings.Contains(page.body, `name="public" value="1" disabled`) {
		t.Errorf("the editor's form does not show public read-only:\n%s", regexpFind(page.body, `(?s)(<fieldset[^>]*>\s*<legend>Đăng tải thành trang công khai.*?</fieldset>)`))
	}

	for _, c := range []struct {
		name, path string
		form       func() url.Values
	}{
		{"create public", base + "moi", func() url.Values {
			f := activityForm(ed.csrf, unitCentre, "Tự đăng tải công khai")
			f.Set("public", "1")
			return f
		}},
		{"clear public", admin.EditURL(shown), func() url.Values {
			f := activityForm(ed.csrf, unitCentre, "Thôi công khai")
			f.Set("public", "")
			f.Set("version", "1")
			return f
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := s.writes()
			res := s.do(request{method: "POST", path: c.path, form: c.form(), cookies: []*http.Cookie{ed.cookie}})
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "Chỉ người duyệt hoặc quản trị viên") {
				t.Fatalf("status %d, want 403 saying why", res.StatusCode)
			}
			if after := s.writes(); after != before {
				t.Errorf("a refused request wrote")
			}
		})
	}

	// The disabled checkbox is not posted: the activity stays public.
	f := activityForm(ed.csrf, unitCentre, "Tọa đàm đã công khai, sửa chính tả")
	f.Set("version", "1")
	if res := s.do(request{method: "POST", path: admin.EditURL(shown), form: f, cookies: []*http.Cookie{ed.cookie}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor's save without public: %d", res.StatusCode)
	}
	if it, err := s.env.Store.ItemByID(context.Background(), shown.ID); err != nil || !it.Item.Public {
		t.Errorf("the editor's save changed public: %v", err)
	}

	ap := s.login(auth.Approver)
	f = activityForm(ap.csrf, unitOffice, "Người duyệt đăng tải công khai")
	f.Set("public", "1")
	res := s.do(request{method: "POST", path: base + "moi", form: f, cookies: []*http.Cookie{ap.cookie}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approver's public activity: %d", res.StatusCode)
	}
	var public int
	if err := s.env.DB.Read.QueryRow(`SELECT public FROM items WHERE title = 'Người duyệt đăng tải công khai'`).Scan(&public); err != nil || public != 1 {
		t.Errorf("items.public = %d, %v", public, err)
	}
}

// TestActivityFormProblems: a date range ending before it starts, an
// unknown channel, unit or plan item, and a count that is not one come
// back as 422 with the typed values shown again, nothing written.
func TestActivityFormProblems(t *testing.T) {
	s := activityServer(t)
	ad := s.login(auth.Admin)
	path := admin.KindPath(content.Activity) + "moi"
	for _, c := range []struct {
		name, field, value, want string
	}{
		{"end before start", "date_end", "18/03/2022", "Ngày kết thúc (18/03/2022) trước ngày bắt đầu (20/03/2022)."},
		{"unknown channel", "channel", "radio", "Hãy chọn một trong các giá trị có sẵn."},
		{"unknown unit", "unit", "Phòng Không Có", "Không có đơn vị &#34;Phòng Không Có&#34; trong danh sách đơn vị."},
		{"unknown plan item", "plan_item", "III.9", "Không có mục &#34;III.9&#34; trong kế hoạch nào."},
		{"audience not a count", "audience", "nhiều", "Nhập một số nguyên từ 0 đến"},
		{"no date", "date", "", "Nhập ngày diễn ra"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := activityForm(ad.csrf, unitCentre, "Chuyên mục <gõ tay> tháng 3")
			f.Set(c.field, c.value)
			before := s.writes()
			res := s.do(request{method: "POST", path: path, form: f, cookies: []*http.Cookie{ad.cookie}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			summary := regexpFind(res.body, `(?s)(<div class="error-summary".*?</div>)`)
			if !strings.Contains(summary, c.want) {
				t.Errorf("summary lacks %q:\n%s", c.want, summary)
			}
			// Everything typed is shown again, the wrong value too (the
			// units' and plan items' selects show an unknown one as one
			// more choice).
			kept := map[string]string{"title": `value="Chuyên mục &lt;gõ tay&gt; tháng 3"`, "date": `value="20/03/2022"`,
				"audience": `value="45"`, "evidence": "https://example.gov.vn/chuyen-muc-3.mp3"}
			switch {
			case c.field == "channel":
				delete(kept, c.field) // a fixed list's select shows its own choices only
			case c.value != "":
				kept[c.field] = `value="` + template.HTMLEscapeString(c.value) + `"`
			default:
				delete(kept, c.field)
			}
			for _, k := range kept {
				if !strings.Contains(res.body, k) {
					t.Errorf("the form lost %s", k)
				}
			}
			if after := s.writes(); after != before {
				t.Errorf("a refused form wrote")
			}
		})
	}
}

// TestActivityPreviews: the form's preview renders an activity's notes,
// and the saved activity's public preview shows its page as citizens
// would see it once shown — while the public address stays 404.
func TestActivityPreviews(t *testing.T) {
	s := activityServer(t)
	ed := s.login(auth.Editor)
	f := activityForm(ed.csrf, unitCentre, "Chuyên mục xem trước")
	f.Set("body", "Ghi chú **đậm** của hoạt động.")
	res := s.do(request{method: "POST", path: admin.KindPath(content.Activity) + "xem-truoc", form: f, cookies: []*http.Cookie{ed.cookie}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "<strong>đậm</strong>") {
		t.Fatalf("form preview: %d", res.StatusCode)
	}
	it := s.addActivity("Hoạt động xem như công dân", unitCentre, false)
	res = s.do(request{method: "GET", path: admin.EditURL(it) + "/xem-truoc", cookies: []*http.Cookie{ed.cookie}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "<h1>Hoạt động xem như công dân</h1>") || !strings.Contains(res.body, "Báo Quảng Ngãi") {
		t.Errorf("public preview: %d\n%s", res.StatusCode, regexpFind(res.body, `(?s)<main[^>]*>(.*?)</main>`))
	}
	if pub := s.do(request{method: "GET", path: it.URL()}); pub.StatusCode != http.StatusNotFound {
		t.Errorf("the hidden draft at %s: %d", it.URL(), pub.StatusCode)
	}
}

// TestDashboardActivityLinks: the dashboard's "recently published" list
// names an activity by its kind, links it to its workspace address
// (/quan-tri/hoat-dong/ID, not /quan-tri//ID), and offers "xem trang công
// khai" only for the one an approver made public — a hidden activity's
// public address is a 404, so a link to it was a dead end.
func TestDashboardActivityLinks(t *testing.T) {
	s := activityServer(t)
	ctx := context.Background()
	approver := publish.Actor{Name: "admin", Role: auth.Admin}
	hidden := s.addActivity("Chuyên mục trên Báo Quảng Ngãi số 04/2022", unitCentre, false)
	shown := s.addActivity("Tọa đàm hưởng ứng Ngày Khoa học và Công nghệ Việt Nam", unitCentre, true)
	for _, it := range []*store.Item{hidden, shown} {
		if _, err := s.env.Publish.Transition(ctx, approver, publish.TransitionRequest{ID: it.ID, Action: auth.ActPublish}); err != nil {
			t.Fatalf("publish %q: %v", it.Title, err)
		}
	}
	res := s.get(s.login(auth.Approver), "/quan-tri/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	for _, it := range []*store.Item{hidden, shown} {
		if want := `href="/quan-tri/hoat-dong/` + strconv.FormatInt(it.ID, 10) + `"`; !strings.Contains(res.body, want) {
			t.Errorf("no workspace link %s for %q", want, it.Title)
		}
		row := res.body[strings.Index(res.body, template.HTMLEscapeString(it.Title)):]
		row = row[:strings.Index(row, "</tr>")]
		if !strings.Contains(row, "<td>Hoạt động</td>") {
			t.Errorf("row of %q has no kind label Hoạt động: %s", it.Title, row)
		}
	}
	if strings.Contains(res.body, "/quan-tri//") {
		t.Error("a link to /quan-tri//ID")
	}
	hiddenURL, shownURL := `href="/hoat-dong/`+hidden.Slug+`"`, `href="/hoat-dong/`+shown.Slug+`"`
	if strings.Contains(res.body, hiddenURL) {
		t.Errorf("the hidden activity links to its public page %s, a 404", hiddenURL)
	}
	if !strings.Contains(res.body, shownURL) {
		t.Errorf("the public activity has no link %s to its page", shownURL)
	}
	if got := testsupport.Get(s.h, "/hoat-dong/"+hidden.Slug).Code; got != http.StatusNotFound {
		t.Errorf("hidden activity's page: %d, want 404", got)
	}
}

// TestActivityUnitForgedSpellings: an editor of the Trung tâm posts new
// activities claiming the Phòng Hành chính – Tổng hợp through spellings a
// plain comparison might let through — the name twice with their own
// first or last, in NFD, with a trailing space or a zero-width space, by
// its slug, by its short name, in capitals. Each is refused (403 or 422,
// nothing written) or stored as the editor's own unit; none ever stores
// an activity of another unit, nor a unit not in the list.
func TestActivityUnitForgedSpellings(t *testing.T) {
	s := activityServer(t)
	ed := s.login(auth.Editor)
	path := admin.KindPath(content.Activity) + "moi"
	nfd := "Pho\u0300ng Ha\u0300nh chi\u0301nh – Tô\u0309ng hơ\u0323p"
	cases := []struct {
		name  string
		units []string
	}{
		{"another unit then one's own", []string{unitOffice, unitCentre}},
		{"one's own then another unit", []string{unitCentre, unitOffice}},
		{"NFD", []string{nfd}},
		{"trailing space", []string{unitOffice + " "}},
		{"zero-width space", []string{"Phòng Hành chính\u200b – Tổng hợp"}},
		{"slug", []string{"phong-hanh-chinh-tong-hop"}},
		{"short name", []string{"Phòng HC-TH"}},
		{"capitals", []string{"PHÒNG HÀNH CHÍNH – TỔNG HỢP"}},
		{"empty", []string{""}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := s.writes()
			form := activityForm(ed.csrf, "", fmt.Sprintf("Hoạt động giả mạo đơn vị %d", i))
			form["unit"] = c.units
			res := s.do(request{method: "POST", path: path, form: form, cookies: []*http.Cookie{ed.cookie}})
			t.Logf("%s: %d", c.name, res.StatusCode)
			switch res.StatusCode {
			case http.StatusForbidden, http.StatusUnprocessableEntity:
				// Refused for the unit, not for the form token.
				if !strings.Contains(res.body, "đơn vị") {
					t.Errorf("refused (%d) without naming the unit:\n%s", res.StatusCode, regexpFind(res.body, `(?s)<main[^>]*>(.*?)</main>`))
				}
				if after := s.writes(); after != before {
					t.Errorf("refused (%d) but wrote:\nbefore %s\nafter  %s", res.StatusCode, before, after)
				}
			case http.StatusSeeOther:
				var unit string
				if err := s.env.DB.Read.QueryRow(`SELECT unit FROM items WHERE title = ?`, form.Get("title")).Scan(&unit); err != nil {
					t.Fatal(err)
				}
				if unit != unitCentre {
					t.Errorf("stored with unit %q, want the editor's own %q", unit, unitCentre)
				}
			default:
				t.Errorf("status %d, want 403, 422 or 303", res.StatusCode)
			}
		})
	}
}
