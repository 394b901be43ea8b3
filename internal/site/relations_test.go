package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// relDoc is a document file: number, slug-worthy extra front matter, and
// a body.
func relDoc(number, typ, title, extra string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\nnumber: " + number + "\ntype: " + typ + "\nissuer: Quốc hội\nissued: 2013-06-18\ntitle: " + title +
		"\ndate: 2013-07-01\n" + extra + "---\nNội dung tóm tắt.\n")}
}

// relSite imports files on the clock's day and serves them.
type relSite struct {
	t     *testing.T
	clock *testsupport.Clock
	env   *app.Env
	h     http.Handler
}

func newRelSite(t *testing.T, files fstest.MapFS, day time.Time) *relSite {
	t.Helper()
	clock := testsupport.NewClock(day)
	env := testsupport.Open(t, config.Defaults, clock.Now)
	testsupport.Import(t, env, files)
	return &relSite{t: t, clock: clock, env: env, h: testsupport.Handler(t, env)}
}

// on moves the clock to day, has the page cache see the new day as
// serve's poller does, and refreshes the stored links as serve's hourly
// refresh does.
func (s *relSite) on(day time.Time) {
	s.t.Helper()
	s.clock.Set(day)
	s.env.Pages.Watch(-1, time.Time{}, day.Format(time.DateOnly))
	if _, err := s.env.Publish.RefreshRefs(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

func (s *relSite) page(path string) string {
	s.t.Helper()
	w := testsupport.Get(s.h, path)
	if w.Code != http.StatusOK {
		s.t.Fatalf("GET %s: %d", path, w.Code)
	}
	return w.Body.String()
}

var (
	validityCell    = regexp.MustCompile(`<span class="validity[^"]*">([^<]+)</span></td>`)
	relationSection = regexp.MustCompile(`(?s)<section class="relations".*?</section>`)
)

func (s *relSite) validity(path string) string {
	s.t.Helper()
	m := validityCell.FindStringSubmatch(s.page(path))
	if m == nil {
		s.t.Fatalf("%s shows no validity", path)
	}
	return m[1]
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 8, 0, 0, 0, vntext.Zone) }

const (
	law2013 = "29/2013/QH13"
	law2025 = "93/2025/QH15"
)

// replacedFrom is the two laws, the relation written by side ("target":
// the replaced law's replaced_by; "actor": the new law's replaces;
// "both"), and an article citing the old law.
func replacedFrom(side string) fstest.MapFS {
	old, neu := "effective: 2014-01-01\n", "effective: 2025-10-01\n"
	if side == "target" || side == "both" {
		old += "replaced_by: " + law2025 + " (01/10/2025)\n"
	}
	if side == "actor" || side == "both" {
		neu += "replaces: [\"" + law2013 + " (2025-10-01)\"]\n"
	}
	return fstest.MapFS{
		"documents/29-2013-qh13.md": relDoc(law2013, "Luật", "Luật Khoa học và Công nghệ", old),
		"documents/93-2025-qh15.md": relDoc(law2025, "Luật", "Luật Khoa học, công nghệ và đổi mới sáng tạo", neu),
		"articles/tin.md":           {Data: []byte("---\ntitle: Tin về Luật\ndate: 2024-01-02\n---\nTheo Luật số " + law2013 + " về khoa học.\n")},
	}
}

// TestReplacedLawChangesOnTheDay: a replaced law is in force the day
// before the replacement takes effect and out of force in whole from that
// day, on its page, in the directory's filter (the real router) and in
// the citation of an article, which keeps its link.
func TestReplacedLawChangesOnTheDay(t *testing.T) {
	s := newRelSite(t, replacedFrom("target"), day(2025, 9, 1))
	inForce, expired := url.QueryEscape("Còn hiệu lực"), url.QueryEscape("Hết hiệu lực toàn bộ")
	filtered := func(v string) []string { return entries(s.page("/van-ban/?hieu-luc=" + v)) }

	s.on(day(2025, 9, 30))
	if got := s.validity("/van-ban/29-2013-qh13"); got != "Còn hiệu lực" {
		t.Errorf("30/09/2025: %q, want Còn hiệu lực", got)
	}
	if got := filtered(inForce); !contains(got, "/van-ban/29-2013-qh13") {
		t.Errorf("30/09/2025: in-force filter %v lacks the old law", got)
	}
	art := s.page("/tin-tuc/tin")
	if strings.Contains(art, "Hết hiệu lực toàn bộ") {
		t.Error("30/09/2025: the article marks the law as out of force")
	}

	s.on(day(2025, 10, 1))
	if got := s.validity("/van-ban/29-2013-qh13"); got != "Hết hiệu lực toàn bộ" {
		t.Errorf("01/10/2025: %q, want Hết hiệu lực toàn bộ", got)
	}
	if got := s.validity("/van-ban/93-2025-qh15"); got != "Còn hiệu lực" {
		t.Errorf("01/10/2025: the new law is %q", got)
	}
	if got := filtered(expired); !contains(got, "/van-ban/29-2013-qh13") || contains(got, "/van-ban/93-2025-qh15") {
		t.Errorf("01/10/2025: out-of-force filter gives %v", got)
	}
	if got := filtered(inForce); contains(got, "/van-ban/29-2013-qh13") {
		t.Errorf("01/10/2025: in-force filter still lists the old law: %v", got)
	}
	dir := s.page("/van-ban/")
	if !strings.Contains(dir, `value="Hết hiệu lực toàn bộ">Hết hiệu lực toàn bộ (1)`) {
		t.Error("01/10/2025: the directory's validity choices do not count the old law")
	}
	if !strings.Contains(dir, `<span class="validity">Hết hiệu lực toàn bộ</span>`) {
		t.Error("01/10/2025: the directory does not show the old law's state")
	}
	art = s.page("/tin-tuc/tin")
	if !strings.Contains(art, `href="/van-ban/29-2013-qh13"`) || !strings.Contains(art, "Hết hiệu lực toàn bộ") {
		t.Error("01/10/2025: the article's citation lost its link or shows no marker")
	}

	old := s.page("/van-ban/29-2013-qh13")
	want := `Được thay thế bởi <a href="/van-ban/93-2025-qh15" title="Luật Khoa học, công nghệ và đổi mới sáng tạo">Luật số 93/2025/QH15</a> từ 01/10/2025`
	if !strings.Contains(old, want) {
		t.Errorf("the old law's page lacks %q", want)
	}
	neu := s.page("/van-ban/93-2025-qh15")
	want = `Thay thế <a href="/van-ban/29-2013-qh13" title="Luật Khoa học và Công nghệ">Luật số 29/2013/QH13</a> từ 01/10/2025`
	if !strings.Contains(neu, want) {
		t.Errorf("the new law's page lacks %q", want)
	}
}

// TestRelationsSymmetric: the relation written on either side, or on both,
// gives the same two pages.
func TestRelationsSymmetric(t *testing.T) {
	sections := map[string][2]string{}
	for _, side := range []string{"target", "actor", "both"} {
		s := newRelSite(t, replacedFrom(side), day(2025, 11, 1))
		var got [2]string
		for i, path := range []string{"/van-ban/29-2013-qh13", "/van-ban/93-2025-qh15"} {
			body := s.page(path)
			got[i] = relationSection.FindString(body) + "|" + validityCell.FindString(body)
		}
		sections[side] = got
	}
	for _, side := range []string{"actor", "both"} {
		if sections[side] != sections["target"] {
			t.Errorf("written on %s: %q\nwritten on the target: %q", side, sections[side], sections["target"])
		}
	}
	if !strings.Contains(sections["target"][0], "Hết hiệu lực toàn bộ") || !strings.Contains(sections["target"][0], "Được thay thế bởi") {
		t.Errorf("the old law's page: %q", sections["target"][0])
	}
}

// TestRelationKinds: each verb's effect on the target's validity before
// and after its day, and the words on both pages.
func TestRelationKinds(t *testing.T) {
	tests := []struct {
		field, phraseTarget, phraseActor string
		before, after                    string
	}{
		{"replaced_by", "Được thay thế bởi", "Thay thế", "Còn hiệu lực", "Hết hiệu lực toàn bộ"},
		{"repealed_by", "Bị bãi bỏ toàn bộ bởi", "Bãi bỏ toàn bộ", "Còn hiệu lực", "Hết hiệu lực toàn bộ"},
		{"repealed_in_part_by", "Bị bãi bỏ một phần bởi", "Bãi bỏ một phần", "Còn hiệu lực", "Hết hiệu lực một phần"},
		{"amended_by", "Được sửa đổi, bổ sung bởi", "Sửa đổi, bổ sung", "Còn hiệu lực", "Còn hiệu lực"},
		{"guided_by", "Được hướng dẫn, quy định chi tiết bởi", "Hướng dẫn, quy định chi tiết", "Còn hiệu lực", "Còn hiệu lực"},
	}
	for _, tc := range tests {
		t.Run(tc.field, func(t *testing.T) {
			files := fstest.MapFS{
				"documents/a.md": relDoc("10/2020/QH14", "Luật", "Luật A", "effective: 2021-01-01\n"+tc.field+": 05/2024/NĐ-CP (2024-03-01)\n"),
				"documents/b.md": relDoc("05/2024/NĐ-CP", "Nghị định", "Nghị định B", "effective: 2024-03-01\n"),
			}
			s := newRelSite(t, files, day(2024, 2, 29))
			if got := s.validity("/van-ban/a"); got != tc.before {
				t.Errorf("29/02/2024: %q, want %q", got, tc.before)
			}
			s.on(day(2024, 3, 1))
			if got := s.validity("/van-ban/a"); got != tc.after {
				t.Errorf("01/03/2024: %q, want %q", got, tc.after)
			}
			if got := entries(s.page("/van-ban/?hieu-luc=" + url.QueryEscape(tc.after))); !contains(got, "/van-ban/a") {
				t.Errorf("filter %q gives %v", tc.after, got)
			}
			if a := s.page("/van-ban/a"); !strings.Contains(a, tc.phraseTarget+` <a href="/van-ban/b"`) {
				t.Errorf("target's page lacks %q", tc.phraseTarget)
			}
			if partly := strings.Contains(s.page("/van-ban/a"), "một phần văn bản này đã hết hiệu lực"); partly != (tc.after == "Hết hiệu lực một phần") {
				t.Errorf("the note on a document out of force in part: %v", partly)
			}
			if b := s.page("/van-ban/b"); !strings.Contains(b, tc.phraseActor+` <a href="/van-ban/a"`) {
				t.Errorf("actor's page lacks %q", tc.phraseActor)
			}
		})
	}
}

// TestRelationWithoutDate: an entry without a day takes effect with the
// acting document (its effective date), and the page states no day no one
// wrote.
func TestRelationWithoutDate(t *testing.T) {
	files := fstest.MapFS{
		"documents/a.md": relDoc("10/2020/QH14", "Luật", "Luật A", "effective: 2021-01-01\nrepealed_by: 05/2024/NĐ-CP\n"),
		"documents/b.md": relDoc("05/2024/NĐ-CP", "Nghị định", "Nghị định B", "effective: 2024-03-01\n"),
	}
	s := newRelSite(t, files, day(2024, 2, 29))
	if got := s.validity("/van-ban/a"); got != "Còn hiệu lực" {
		t.Errorf("before the repealing decree is in force: %q", got)
	}
	s.on(day(2024, 3, 1))
	if got := s.validity("/van-ban/a"); got != "Hết hiệu lực toàn bộ" {
		t.Errorf("from its effective date: %q", got)
	}
	if a := s.page("/van-ban/a"); strings.Contains(relationSection.FindString(a), " từ ") {
		t.Errorf("a relation without a day shows one: %s", relationSection.FindString(a))
	}
}

// TestRelationCycleAndStorm: a cycle (A replaces B replaces A) and
// 10,000 relations over many files derive in one pass; the pages, the
// directory, and a burst of 100 different filtered directory pages at
// once answer within a generous bound (a few seconds on a slow shared
// machine; minutes would mean the derivation followed relations).
func TestRelationCycleAndStorm(t *testing.T) {
	files := fstest.MapFS{
		"documents/a.md": relDoc("01/2020/QH14", "Luật", "Luật A", "replaces: 02/2020/QH14 (2021-01-01)\n"),
		"documents/b.md": relDoc("02/2020/QH14", "Luật", "Luật B", "replaces: 01/2020/QH14 (2021-01-01)\n"),
	}
	// 50 decrees, each repealing in part 200 numbers (the limit of one
	// file): 10,000 relations, every one aimed at a number the registry
	// also holds as a document.
	for i := range 50 {
		var rels []string
		for j := range 200 {
			rels = append(rels, fmt.Sprintf("%d/2019/QĐ-UBND", 1+(i*200+j)%400))
		}
		files[fmt.Sprintf("documents/nd-%d.md", i)] = relDoc(fmt.Sprintf("%d/2020/NĐ-CP", i+1), "Nghị định", fmt.Sprintf("Nghị định %d", i),
			"repeals_part: ["+strings.Join(rels, ", ")+"]\n")
	}
	for j := range 400 {
		files[fmt.Sprintf("documents/qd-%d.md", j)] = relDoc(fmt.Sprintf("%d/2019/QĐ-UBND", j+1), "Quyết định", fmt.Sprintf("Quyết định %d", j), "")
	}
	start := time.Now()
	s := newRelSite(t, files, day(2022, 1, 1))
	t.Logf("import of 452 documents and 10,002 relations: %v", time.Since(start))
	if n := testsupport.Count(t, s.env.DB, `SELECT COUNT(*) FROM doc_relations`); n != 10002 {
		t.Errorf("relations stored: %d, want 10002", n)
	}
	start = time.Now()
	for _, path := range []string{"/van-ban/a", "/van-ban/b"} {
		if got := s.validity(path); got != "Hết hiệu lực toàn bộ" {
			t.Errorf("%s in the cycle: %q", path, got)
		}
	}
	if got := s.validity("/van-ban/qd-7"); got != "Hết hiệu lực một phần" {
		t.Errorf("a decision repealed in part 25 times: %q", got)
	}
	s.page("/van-ban/nd-3")
	dir := s.page("/van-ban/?hieu-luc=" + url.QueryEscape("Hết hiệu lực một phần"))
	if !strings.Contains(dir, "400 văn bản") {
		t.Error("the directory does not count 400 documents repealed in part")
	}
	// A burst of 100 different filtered directory pages at once (none
	// cached): every one answers.
	var wg sync.WaitGroup
	codes := make([]int, 100)
	sorts := []string{"", "ten", "moi"}
	states := []string{"Còn hiệu lực", "Hết hiệu lực một phần", "Hết hiệu lực toàn bộ", "Chưa có hiệu lực"}
	for i := range codes {
		wg.Go(func() {
			target := fmt.Sprintf("/van-ban/?hieu-luc=%s&sap-xep=%s&trang=%d", url.QueryEscape(states[i%4]), sorts[i%3], 1+i/12%2)
			codes[i] = testsupport.Get(s.h, target).Code
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK && c != http.StatusNotFound {
			t.Errorf("burst request %d: %d", i, c)
		}
	}
	if d := time.Since(start); d > 20*time.Second*raceSlowdown {
		t.Errorf("pages over 10,002 relations took %v", d)
	} else {
		t.Logf("pages over 10,002 relations: %v", d)
	}
}

// TestDocumentText: a document page shows its official source, or says
// that no text is attached; the trích yếu is shown once.
func TestDocumentText(t *testing.T) {
	files := fstest.MapFS{
		"documents/a.md": relDoc("10/2020/QH14", "Luật", "Luật có nguồn", "source_url: https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1\n"),
		"documents/b.md": relDoc("11/2020/QH14", "Luật", "Luật không có văn bản", ""),
	}
	s := newRelSite(t, files, day(2022, 1, 1))
	a := s.page("/van-ban/a")
	if !strings.Contains(a, `<a href="https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1" rel="external">Xem văn bản tại nguồn chính thức</a>`) {
		t.Error("the source address is not linked")
	}
	if strings.Contains(a, "chưa đính kèm toàn văn") {
		t.Error("a document with a source says no text is attached")
	}
	b := s.page("/van-ban/b")
	if !strings.Contains(b, "Chuyên mục chưa đính kèm toàn văn và chưa có địa chỉ nguồn chính thức của văn bản này.") {
		t.Error("a document without file or source does not say so")
	}
	article := regexp.MustCompile(`(?s)<article.*</article>`).FindString(b)
	if n := strings.Count(article, "Luật không có văn bản"); n != 1 {
		t.Errorf("the trích yếu is shown %d times in the page's article", n)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestDemoRelationsAndLists: the demo's relations on both pages today,
// and the lists of documents elsewhere (home, a topic, search) showing
// each document's validity.
func TestDemoRelationsAndLists(t *testing.T) {
	now := day(2026, 12, 6)
	h := testsupport.DemoHandler(t, config.Defaults, func() time.Time { return now })
	page := func(path string) string {
		t.Helper()
		w := testsupport.Get(h, path)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		return w.Body.String()
	}
	for _, tc := range []struct{ path, want string }{
		{"/van-ban/29-2013-qh13", `Được thay thế bởi <a href="/van-ban/93-2025-qh15" title="Luật Khoa học, công nghệ và đổi mới sáng tạo">Luật số 93/2025/QH15</a> từ 01/10/2025`},
		{"/van-ban/29-2013-qh13", `Được hướng dẫn, quy định chi tiết bởi <a href="/van-ban/08-2014-nd-cp"`},
		{"/van-ban/93-2025-qh15", `Thay thế <a href="/van-ban/29-2013-qh13" title="Luật Khoa học và Công nghệ">Luật số 29/2013/QH13</a> từ 01/10/2025`},
		{"/van-ban/08-2014-nd-cp", `Hướng dẫn, quy định chi tiết <a href="/van-ban/29-2013-qh13"`},
		{"/", `<span class="validity">`},
		{"/chu-de/van-ban-chi-dao", `<span class="validity">Hết hiệu lực toàn bộ</span>`},
		{"/tim-kiem?q=" + url.QueryEscape("29/2013/QH13"), `<span class="validity">Hết hiệu lực toàn bộ</span>`},
	} {
		if body := page(tc.path); !strings.Contains(body, tc.want) {
			t.Errorf("%s lacks %s", tc.path, tc.want)
		}
	}
}
