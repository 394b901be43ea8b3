package report_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// storyClock: 16/11/2022, the day after the Sở's deadline.
var storyClock = time.Date(2022, 11, 16, 9, 0, 0, 0, vntext.Zone)

// storyServer is the report routes over the demo content at storyClock.
func storyServer(t *testing.T) http.Handler {
	t.Helper()
	now := func() time.Time { return storyClock }
	return reportRoutes(t, testsupport.Demo(t, config.Defaults, now), now)
}

var (
	tagRE   = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]+>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// pageText is body as a reader sees it: no markup, one space between words.
func pageText(body string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(body, " ")), " "))
}

// TestDemoStory reads the demo's Sở report at the Trung tâm's cut-off
// (10/11/2022) as staff would: bản tin 6/6, phát thanh and báo in 12/12,
// truyền hình 9/12 short; the 18/5 article once in III.4 and once in Phụ
// lục I; the ISO training in Q2; the inspection still ahead (Quý IV
// running); each unit's results; the figures' source and as-of date; a
// bản tin's 500 copies written as people reached, not as attendees.
func TestDemoStory(t *testing.T) {
	h := storyServer(t)
	w := testsupport.Get(h, "/bao-cao/in?nam=2022&den=2022-11-10&cap=so")
	if w.Code != http.StatusOK {
		t.Fatalf("Sở print: %d", w.Code)
	}
	text := pageText(w.Body.String())
	for _, want := range []string{
		"Kính gửi: Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông).",
		"Sở Khoa học và Công nghệ báo cáo kết quả thực hiện Kế hoạch năm 2022 của các phòng, đơn vị thuộc Sở",
		"số liệu tính đến ngày 10/11/2022, lấy từ nhật ký đăng tải, gồm cả các hoạt động đã ghi nhận",
		"- Phát thanh: đã thực hiện 12/12 — Hoàn thành",
		"- Truyền hình: đã thực hiện 09/12 — Đang thực hiện",
		"- Báo in: đã thực hiện 12/12 — Hoàn thành",
		"- Bản tin: đã thực hiện 06/06 — Hoàn thành",
		"Mục III.4", "Đã thực hiện 02 hoạt động trong Quý II, tính đến ngày 10/11/2022.",
		"14/06/2022–15/06/2022: Tập huấn duy trì, cải tiến và đánh giá nội bộ",
		"Đã thực hiện 01 hoạt động trong Quý I–II",
		"(Tập huấn; Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng; 65 người tham dự)",
		"(Hội nghị; Phòng Hành chính – Tổng hợp; 80 người tham dự)",
		"(Bản tin; Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ; 500 người tiếp cận)",
		"Chi cục Tiêu chuẩn Đo lường Chất lượng: chủ trì III.6 (Đang thực hiện)",
		"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the Sở's report lacks %q", want)
		}
	}
	// The Trung tâm's report covers the work off the column too (III.3,
	// III.4 are its items), and says so in its opening sentence.
	centre := pageText(testsupport.Get(h, "/bao-cao/in?nam=2022&den=2022-11-10").Body.String())
	if !strings.Contains(centre, "báo cáo kết quả thực hiện Kế hoạch năm 2022: đăng tải trên chuyên mục Cải cách hành chính của Trang Thông tin điện tử của Sở và các hoạt động ngoài chuyên mục do đơn vị chủ trì") ||
		!strings.Contains(centre, "- Truyền hình: đã thực hiện 09/12 — Đang thực hiện") {
		t.Error("the Trung tâm's report does not say it covers the work off the column")
	}
	for _, never := range []string{"500 người tham dự", "xuất bản", "22/11/2022–09/12/2022", "báo cáo kết quả đăng tải trên chuyên mục"} {
		if strings.Contains(text, never) {
			t.Errorf("the Sở's report says %q", never)
		}
	}
	article := "Hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5/2022 gắn với cải cách thủ tục hành chính"
	if n := strings.Count(text, article); n != 2 {
		t.Errorf("the 18/5 article appears %d times, want 2 (III.4's list and Phụ lục I)", n)
	}
	iii4 := text[strings.Index(text, "4. Mục III.4"):strings.Index(text, "5. Mục III.5")]
	if n := strings.Count(iii4, article); n != 1 {
		t.Errorf("III.4 lists the 18/5 article %d times, want once", n)
	}
	dash := pageText(testsupport.Get(h, "/bao-cao/?nam=2022&den=2022-11-10").Body.String())
	if !strings.Contains(dash, "500 người tiếp cận") || strings.Contains(dash, "500 người tham dự") {
		t.Error("the dashboard does not write a bản tin's 500 as people reached")
	}
}

// TestSoPrintBurst: 200 concurrent requests for the Sở's print of the
// demo year (cut-offs of the two deadlines and the year's end), with
// forged X-Forwarded-For and X-Real-IP, all answer 200 with the same
// document for the same address — no request sees another's figures.
// Bounded by a generous two minutes (a slow, shared machine must not trip
// it; the figure is logged and recorded in RELIABILITY.md).
func TestSoPrintBurst(t *testing.T) {
	h := storyServer(t)
	urls := []string{"/bao-cao/in?nam=2022&cap=so", "/bao-cao/in?nam=2022&den=2022-11-10&cap=so", "/bao-cao/in?nam=2022&den=2022-11-15&cap=so"}
	want := map[string]string{}
	for _, u := range urls {
		want[u] = pageText(testsupport.Get(h, u).Body.String())
	}
	const n = 200
	codes, same := make([]int, n), make([]bool, n)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			u := urls[i%len(urls)]
			w := testsupport.Get(h, u, "X-Forwarded-For", fmt.Sprintf("10.1.%d.%d", i/250, i%250), "X-Real-IP", "203.0.113.7")
			codes[i], same[i] = w.Code, pageText(w.Body.String()) == want[u]
		})
	}
	wg.Wait()
	took := time.Since(start)
	t.Logf("%d concurrent requests for the Sở's print in %v", n, took)
	for i := range n {
		if codes[i] != http.StatusOK || !same[i] {
			t.Errorf("request %d (%s): %d, same document %v", i, urls[i%len(urls)], codes[i], same[i])
		}
	}
	if took > 2*time.Minute {
		t.Errorf("%d requests took %v", n, took)
	}
}

// TestReportOfAHugePlan: a plan of 200 items each with a target on all
// eight channels (as large as the plan reader lets through) makes a
// dashboard, a Sở's print, a Word document, a workbook and a CSV in
// bounded time (10 s each: generous; the figures are logged).
func TestReportOfAHugePlan(t *testing.T) {
	src := string(testsupport.ActivityPlan["plans/2022.yaml"].Data)
	var b strings.Builder
	b.WriteString(src[:strings.Index(src, "channels:")])
	b.WriteString("channels:\n")
	var targets []string
	for _, c := range content.Channels {
		fmt.Fprintf(&b, "  - {code: %s, name: %s}\n", c.Code, c.Label)
		targets = append(targets, c.Code+": {value: 3, source: plan, wording: W}")
	}
	b.WriteString("items:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  - {id: III.%d, title: Mục %d, lead: %s, tracked: true, channel_targets: {%s}}\n", i+1, i+1, testsupport.UnitCentre, strings.Join(targets, ", "))
	}
	now := func() time.Time { return storyClock }
	env := testsupport.Open(t, config.Defaults, now)
	testsupport.Import(t, env, fstest.MapFS{"plans/2022.yaml": {Data: []byte(b.String())}})
	r := reportRoutes(t, env, now)
	for _, u := range []string{"/bao-cao/?nam=2022", "/bao-cao/in?nam=2022&cap=so", "/bao-cao/2022.docx?cap=so", "/bao-cao/2022.xlsx?cap=so", "/bao-cao/2022.csv?cap=so"} {
		start := time.Now()
		w := testsupport.Get(r, u)
		took := time.Since(start)
		t.Logf("%s: %d, %d bytes in %v", u, w.Code, w.Body.Len(), took)
		if w.Code != http.StatusOK {
			t.Errorf("%s: %d", u, w.Code)
		}
		if took > 10*time.Second {
			t.Errorf("%s took %v", u, took)
		}
	}
}

// TestLogTableActivityLinks: in the dashboard's table of the log's rows
// (#nhat-ky) an activity is labelled Hoạt động; a hidden one's title
// links to its workspace screen (its public address is a 404), the
// public 18/5 meeting's to its page.
func TestLogTableActivityLinks(t *testing.T) {
	h := storyServer(t)
	body := testsupport.Get(h, "/bao-cao/?nam=2022&den=2022-11-10").Body.String()
	i := strings.Index(body, `<table class="data log">`)
	if i < 0 {
		t.Fatal("no log table")
	}
	table := body[i : i+strings.Index(body[i:], "</table>")]
	rows := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(table, -1)
	hidden, shown := 0, 0
	for _, r := range rows {
		row := r[1]
		if !strings.Contains(row, "<td>Hoạt động</td>") {
			continue
		}
		href := regexp.MustCompile(`<a href="([^"]*)"`).FindStringSubmatch(row)
		switch {
		case href == nil:
			t.Errorf("an activity's row has no link: %s", row)
		case strings.Contains(row, "Tọa đàm với doanh nghiệp"):
			shown++
			if href[1] != "/hoat-dong/toa-dam-doanh-nghiep-ngay-khcn-18-5-2022" {
				t.Errorf("the public meeting links to %s", href[1])
			}
		default:
			hidden++
			if !regexp.MustCompile(`^/quan-tri/hoat-dong/\d+$`).MatchString(href[1]) {
				t.Errorf("a hidden activity links to %s, not its workspace screen", href[1])
			}
		}
	}
	if hidden != 40 || shown != 1 {
		t.Errorf("%d hidden and %d public activities' rows, want 40 and 1 (41 by 10/11)", hidden, shown)
	}
}
