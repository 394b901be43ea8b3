package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/web"
)

// fillDisk makes the database full: the writer may not grow the file past
// the pages it has (PRAGMA max_page_count), so a save that needs a new page
// fails with SQLITE_FULL, as on a full disk. It returns the undo.
func (s *server) fillDisk() func() {
	s.t.Helper()
	var pages int
	if err := s.env.DB.Write.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.env.DB.Write.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		s.t.Fatal(err)
	}
	return func() {
		if _, err := s.env.DB.Write.Exec(`PRAGMA max_page_count = 4294967294`); err != nil {
			s.t.Fatal(err)
		}
	}
}

// TestDiskFullKeepsTheForm: a save that meets a full disk shows the form
// again with everything typed and a message saying the disk is full (503),
// changes nothing, and the same form saves once there is room.
func TestDiskFullKeepsTheForm(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	// A body bigger than the free pages the file may hold.
	body := "Đoạn văn bản biên tập viên đã gõ rất lâu.\n\n" + strings.Repeat("Cải cách hành chính là nhiệm vụ trọng tâm. ", 6000)
	for _, tc := range []struct {
		name, path string
		form       url.Values
	}{
		{"create", "/quan-tri/tin-bai/moi", url.Values{"title": {"Tin viết khi ổ đĩa đầy"}, "body": {body}, "areas": {"II.1"},
			"summary": {"Tóm tắt đã gõ."}, "tags": {"ổ đĩa, thử nghiệm"}}},
		{"edit", editPath(f.draft), url.Values{"title": {"Bản nháp sửa khi ổ đĩa đầy"}, "body": {body}, "areas": {"II.1"},
			"summary": {"Tóm tắt đã gõ."}, "tags": {"ổ đĩa, thử nghiệm"}, "version": {ver(f.draft)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.itemsState()
			undo := s.fillDisk()
			res := s.post(ed, tc.path, tc.form)
			undo()
			if res.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503\n%.600s", res.StatusCode, res.body)
			}
			page := html.UnescapeString(res.body)
			for _, want := range []string{"Ổ đĩa máy chủ đã đầy", "vẫn còn nguyên", tc.form.Get("title"), "Tóm tắt đã gõ.", "ổ đĩa, thử nghiệm",
				"Đoạn văn bản biên tập viên đã gõ rất lâu.", `name="csrf"`} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Count(page, "Cải cách hành chính là nhiệm vụ trọng tâm.") < 6000 {
				t.Error("the body typed was not kept whole")
			}
			if after := s.itemsState(); after != before {
				t.Errorf("a save on a full disk changed the items:\n%s\n%s", before, after)
			}
			if res := s.post(ed, tc.path, tc.form); res.StatusCode != http.StatusSeeOther {
				t.Errorf("the same form once there is room: %d", res.StatusCode)
			}
		})
	}
}

// TestDamagedRefusesTheWorkspace: once the database is marked damaged,
// every route of the workspace and the reports — every method, signed in
// as admin with a valid form token — answers the 503 page that says the
// database is damaged and names cchc check; nothing changes; public pages
// are still served.
func TestDamagedRefusesTheWorkspace(t *testing.T) {
	s, f := newItemServer(t)
	adm := s.login(auth.Admin)
	before := s.itemsState() + s.snapshot()
	s.env.DB.MarkDamaged("test: quick_check found 1 problem")
	var eng *gin.Engine
	switch h := s.h.(type) {
	case *gin.Engine:
		eng = h
	case *web.Front:
		eng = h.Engine
	default:
		t.Fatalf("handler is %T, not a gin engine", s.h)
	}
	id := strconv.FormatInt(f.draft.ID, 10)
	n := 0
	for _, r := range eng.Routes() {
		if !strings.HasPrefix(r.Path, "/quan-tri") && !strings.HasPrefix(r.Path, "/bao-cao") || strings.HasPrefix(r.Path, "/quan-tri/assets/") {
			continue
		}
		path := strings.NewReplacer(":id", id, ":name", "x", ":year", "2026", "*name", "x").Replace(r.Path)
		var res response
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			res = s.do(request{method: r.Method, path: path, cookies: adm.cookiesList()})
		} else {
			res = s.do(request{method: r.Method, path: path, cookies: adm.cookiesList(),
				form: url.Values{"csrf": {adm.csrf}, "version": {ver(f.draft)}, "title": {"Sửa khi hỏng"}, "name": {"admin"}}})
		}
		n++
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("%s %s: %d, want 503", r.Method, r.Path, res.StatusCode)
			continue
		}
		if r.Method != http.MethodHead && (!strings.Contains(res.body, "Cơ sở dữ liệu của hệ thống bị hỏng") || !strings.Contains(res.body, "cchc check")) {
			t.Errorf("%s %s: the page does not say the database is damaged", r.Method, r.Path)
		}
	}
	if n < 40 {
		t.Errorf("only %d workspace routes tried", n)
	}
	if after := s.itemsState() + s.snapshot(); after != before {
		t.Errorf("refused requests changed the state:\n%s\n%s", before, after)
	}
	for _, p := range []string{"/", "/tin-tuc/", "/rss.xml"} {
		if res := s.do(request{method: "GET", path: p}); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, res.StatusCode)
		}
	}
	t.Logf("%d workspace routes refused", n)
}

func (se session) cookiesList() []*http.Cookie { return []*http.Cookie{se.cookie} }
