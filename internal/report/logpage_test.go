package report_test

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/config"
	"cchc/internal/report"
	"cchc/internal/testsupport"
)

var (
	logRowRE   = regexp.MustCompile(`(?s)<tr>\s*<td>(\d+)</td>`)
	logTableRE = regexp.MustCompile(`(?s)<table class="data log">.*?</table>`)
)

// TestDashboardLogPages: the dashboard lists the year's log a page at a
// time, every row on exactly one page, the pages linked with the filters
// kept and back to the log's heading; a page past the last shows the last.
func TestDashboardLogPages(t *testing.T) {
	now := func() time.Time { return clock }
	env := testsupport.Demo(t, config.Defaults, now)
	const size = 15
	r := reportRoutes(t, env, now, func(c *report.Config) { c.LogPageSize = size })

	rows := func(url string) (seqs []string, body string) {
		t.Helper()
		w := testsupport.Do(r, http.MethodGet, url)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", url, w.Code)
		}
		body = html.UnescapeString(w.Body.String())
		for _, m := range logRowRE.FindAllStringSubmatch(logTableRE.FindString(body), -1) {
			seqs = append(seqs, m[1])
		}
		return seqs, body
	}
	first, body := rows("/bao-cao/?nam=2022")
	m := regexp.MustCompile(`Bản ghi 1–15 trong (\d+) bản ghi đang xem \(cả năm: (\d+) bản ghi\)`).FindStringSubmatch(body)
	if m == nil || m[1] != m[2] || len(first) != size {
		t.Fatalf("page 1: %d rows, count line %v", len(first), m)
	}
	total, _ := strconv.Atoi(m[1])
	pages := (total + size - 1) / size
	if pages < 3 {
		t.Fatalf("the demo's year has %d rows: too few to page", total)
	}
	if !strings.Contains(body, `href="/bao-cao/?nam=2022&trang=2#nhat-ky" rel="next"`) {
		t.Error("page 1 does not link page 2 back to the log's heading")
	}
	seen := map[string]int{}
	for n := 1; n <= pages; n++ {
		seqs, _ := rows("/bao-cao/?nam=2022&trang=" + strconv.Itoa(n))
		if want := min(size, total-(n-1)*size); len(seqs) != want {
			t.Errorf("page %d: %d rows, want %d", n, len(seqs), want)
		}
		for _, s := range seqs {
			seen[s]++
		}
	}
	if len(seen) != total {
		t.Errorf("the pages list %d distinct rows of %d", len(seen), total)
	}
	for s, k := range seen {
		if k != 1 {
			t.Errorf("row %s on %d pages", s, k)
		}
	}
	last, _ := rows("/bao-cao/?nam=2022&trang=" + strconv.Itoa(pages))
	past, _ := rows("/bao-cao/?nam=2022&trang=999")
	if strings.Join(past, ",") != strings.Join(last, ",") {
		t.Error("a page past the last is not the last")
	}
	// A filter is kept from page to page.
	if seqs, body := rows("/bao-cao/?nam=2022&loai=article"); len(seqs) != size || !strings.Contains(body, `href="/bao-cao/?loai=article&nam=2022&trang=2#nhat-ky"`) {
		t.Errorf("a filtered log of more than a page: %d rows, page 2 linked with the filter: %t", len(seqs), strings.Contains(body, "loai=article&nam=2022&trang=2"))
	}
	if w := testsupport.Do(r, http.MethodGet, "/bao-cao/?nam=2022&trang=x"); w.Code != http.StatusBadRequest {
		t.Errorf("trang=x: %d, want 400", w.Code)
	}
}
