package admin_test

import (
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cchc/internal/auth"
)

// addArticles writes n published articles straight into the database,
// each with a title of about titleBytes, dated before every item the test
// made through the workflow (so never on a list's first page), numbered
// from first.
func (s *server) addArticles(first, n, titleBytes int) {
	s.t.Helper()
	at := s.clock.Now().Add(-24 * 3600e9).Unix()
	_, err := s.env.DB.Write.Exec(`WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO items (uid, kind, slug, status, title, created_at, modified_at, published_at, created_by)
		SELECT 'cu-' || i, 'article', 'bai-cu-' || i, 'published', 'Bài cũ số ' || i || ' ' || replace(hex(zeroblob(?)), '00', 'ab'),
			?, ? - i, ? - i, 'import' FROM n`, first, first+n-1, titleBytes/2, at, at, at)
	if err != nil {
		s.t.Fatal(err)
	}
}

// allocated is the fewest bytes three GETs of path allocated (in this
// process: the router runs in the test), and the last answer.
func (s *server) allocated(se session, path string) (uint64, response) {
	s.t.Helper()
	least := uint64(1 << 63)
	var res response
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		res = s.get(se, path)
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least, res
}

// listTitles are the titles of a list page's rows, in order.
func listTitles(body string) []string {
	var out []string
	for _, m := range rowTitle.FindAllStringSubmatch(body, -1) {
		out = append(out, unescape(m[1]))
	}
	return out
}

// TestItemListReadsItsPageOnly: a list page reads its own rows, not every
// item of the kind. 3,000 older articles with 4 KB titles (12 MB of
// titles) added under the first page do not change what the first page
// allocates (before migration 0250 and the paged AdminItems each request
// read every title: 12 MB more), and the deepest page, a page past it,
// the count and the filters still agree with the rows.
func TestItemListReadsItsPageOnly(t *testing.T) {
	s := newServer(t)
	ed := s.login(auth.Editor)
	s.addArticles(1, 45, 20)
	for _, p := range []string{"/quan-tri/tin-bai/", "/quan-tri/tin-bai/?sap-xep=sua", "/quan-tri/tin-bai/?trang-thai=published&nguoi-tao=import"} {
		s.get(ed, p) // the first request of a path builds what later ones keep
	}
	type page struct {
		bytes uint64
		rows  []string
	}
	measure := func() map[string]page {
		out := map[string]page{}
		for _, p := range []string{"/quan-tri/tin-bai/", "/quan-tri/tin-bai/?sap-xep=sua", "/quan-tri/tin-bai/?trang-thai=published&nguoi-tao=import"} {
			n, res := s.allocated(ed, p)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", p, res.StatusCode)
			}
			out[p] = page{n, listTitles(res.body)}
		}
		return out
	}
	small := measure()
	s.addArticles(1000, 3000, 4000)
	large := measure()
	for p, before := range small {
		after := large[p]
		if !slices.Equal(before.rows, after.rows) || len(after.rows) != 30 {
			t.Errorf("%s: the first page changed:\n%q\n%q", p, before.rows, after.rows)
		}
		if after.bytes > before.bytes+1<<20 {
			t.Errorf("%s: allocated %d bytes with 3,000 more items, %d before: the page reads every item", p, after.bytes, before.bytes)
		}
	}

	// 3,045 items: 102 pages, the last one with 15, the oldest last.
	res := s.get(ed, "/quan-tri/tin-bai/")
	if !strings.Contains(res.body, "3.045 mục") {
		t.Error("the count is not 3.045")
	}
	last := listTitles(s.get(ed, "/quan-tri/tin-bai/?trang=102").body)
	if len(last) != 15 || !strings.HasPrefix(last[14], "Bài cũ số 3999 ") || !strings.HasPrefix(last[0], "Bài cũ số 3985 ") {
		t.Errorf("the last page: %d rows, %.20q … %.20q", len(last), last[0], last[len(last)-1])
	}
	for _, p := range []string{"/quan-tri/tin-bai/?trang=103", "/quan-tri/tin-bai/?trang-thai=draft&trang=2"} {
		if res := s.get(ed, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
	// Edited order: the same items, by modified_at, which the filler
	// shares with its publication date.
	if got := listTitles(s.get(ed, "/quan-tri/tin-bai/?sap-xep=sua&trang=34").body); len(got) != 30 || !strings.HasPrefix(got[0], "Bài cũ số "+strconv.Itoa(1000+33*30-45)+" ") {
		t.Errorf("edited order, page 34: %d rows, first %.20q", len(got), got)
	}
	// The title box still reads every title, in the list's order.
	// 39 and 3900 to 3999: 101 rows, 4 pages.
	first := s.get(ed, "/quan-tri/tin-bai/?q=bai+cu+so+39")
	got := listTitles(first.body)
	if len(got) != 30 || !strings.HasPrefix(got[0], "Bài cũ số 39 ") || !strings.HasPrefix(got[1], "Bài cũ số 3900 ") || !strings.Contains(first.body, "101 mục") {
		t.Errorf("title search: %d rows, %.20q", len(got), got)
	}
	got = listTitles(s.get(ed, "/quan-tri/tin-bai/?q=bai+cu+so+39&trang=4").body)
	if len(got) != 11 || !strings.HasPrefix(got[0], "Bài cũ số 3989 ") || !strings.HasPrefix(got[10], "Bài cũ số 3999 ") {
		t.Errorf("title search, page 4: %d rows, %.20q", len(got), got)
	}
	if res := s.get(ed, "/quan-tri/tin-bai/?q=bai+cu+so+39&trang-thai=draft"); !strings.Contains(res.body, "Không có mục nào khớp") {
		t.Error("title search with a status: drafts found")
	}
}

// trashTitle finds each row's title link in the trash.
var trashTitle = regexp.MustCompile(`<td><a href="/quan-tri/tin-bai/\d+">([^<]+)</a>`)

// TestTrashPages: 120 trashed items, 50 a page, most recently trashed
// first; the last page has the oldest 20, the page after it is a 404.
func TestTrashPages(t *testing.T) {
	s := newServer(t)
	ad := s.login(auth.Admin)
	s.addArticles(1, 130, 20)
	if _, err := s.env.DB.Write.Exec(`UPDATE items SET deleted_at = 2000000000 - id WHERE uid LIKE 'cu-%' AND id % 13 <> 0`); err != nil {
		t.Fatal(err)
	}
	var trashed []string
	rows, err := s.env.DB.Read.Query(`SELECT title FROM items WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var title string
		if err := rows.Scan(&title); err != nil {
			t.Fatal(err)
		}
		trashed = append(trashed, title)
	}
	if len(trashed) != 120 {
		t.Fatalf("%d trashed", len(trashed))
	}
	var pages []string
	for n := 1; n <= 3; n++ {
		var got []string
		for _, m := range trashTitle.FindAllStringSubmatch(s.get(ad, "/quan-tri/thung-rac?trang="+strconv.Itoa(n)).body, -1) {
			got = append(got, unescape(m[1]))
		}
		if want := min(50, 120-(n-1)*50); len(got) != want {
			t.Errorf("page %d: %d rows, want %d", n, len(got), want)
		}
		pages = append(pages, got...)
	}
	if !slices.Equal(pages, trashed) {
		t.Errorf("the pages are not the trash in order:\n%q\n%q", pages, trashed)
	}
	if res := s.get(ad, "/quan-tri/thung-rac?trang=4"); res.StatusCode != http.StatusNotFound {
		t.Errorf("page 4: status %d, want 404", res.StatusCode)
	}
}
