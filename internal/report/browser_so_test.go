//go:build browser

package report_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
)

// TestBrowserSoPrintPDF prints the Sở's report of the demo year at the
// Trung tâm's cut-off (/bao-cao/in?nam=2022&den=2022-11-10&cap=so) with
// Chromium as a person does and reads the PDF back with pdftotext: the
// six items of the plan in order, the addressee (UBND tỉnh through Sở
// Thông tin và Truyền thông), the Sở's letterhead and number, each unit's
// results and the signature block; the parent agency's name not broken
// inside the province's.
func TestBrowserSoPrintPDF(t *testing.T) {
	sctx := openPrint(t, storyServer(t), "/bao-cao/in?nam=2022&den=2022-11-10&cap=so")
	pr := printA4(t, sctx, "bao-cao-so-2022.pdf")
	path, pages := pr.path, pr.pages
	t.Logf("Sở's print: %d pages, %d bytes, printed in %v", pages, pr.size, pr.took)
	var all strings.Builder
	for n := 1; n <= pages; n++ {
		all.WriteString(pdfText(t, path, n))
	}
	// One space between words: a long line may wrap anywhere on paper.
	text := strings.Join(strings.Fields(all.String()), " ")
	// The parent agency is longer than its column: it breaks into two
	// even lines, the province's name whole on the second (before, "NGÃI"
	// stood alone under "ỦY BAN NHÂN DÂN TỈNH QUẢNG").
	first := pdfText(t, path, 1)
	if !regexp.MustCompile(`(?m)^\s*ỦY BAN NHÂN DÂN\s{2,}CỘNG HÒA`).MatchString(first) || !regexp.MustCompile(`(?m)^\s*TỈNH QUẢNG NGÃI\s{2,}Độc lập`).MatchString(first) {
		t.Errorf("the letterhead's parent agency is not \"ỦY BAN NHÂN DÂN / TỈNH QUẢNG NGÃI\":\n%s", first)
	}
	inOrder(t, text, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "/BC-SKHCN", "Kính gửi: Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông).",
		"I. KẾT QUẢ THỰC HIỆN", "1. Mục III.1", "2. Mục III.2", "3. Mục III.3", "Truyền hình: đã thực hiện 09/12",
		"4. Mục III.4", "5. Mục III.5", "6. Mục III.6", "Kết quả của các đơn vị", "Chi cục Tiêu chuẩn Đo lường Chất lượng: chủ trì III.6",
		"II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ",
		"Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "PHỤ LỤC I.")
}

// TestBrowserDashboardActivitiesOnPhone: the dashboard of the demo year
// at 390 px, as a phone shows it: no sideways scrolling of the page, and
// every activity's workspace link and evidence link (the 41 records of
// III.3–III.5 at 10/11; the inspection is after it; the log's table below,
// which scrolls sideways in its own box, aside) laid out inside the
// screen, at least 24 px high to tap (WCAG 2.2's minimum target, counting
// the line it sits on).
func TestBrowserDashboardActivitiesOnPhone(t *testing.T) {
	base := browsertest.Server(t, storyServer(t))
	tab := browsertest.Tab(t, browsertest.Browser(t))
	step, cancel := browsertest.Timeout(tab, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/bao-cao/?nam=2022&den=2022-11-10")); err != nil {
		t.Fatal(err)
	}
	type layout struct {
		Width, ScrollWidth     float64
		Workspace, Evidence    int
		Outside, Small, Hidden []string
	}
	l, err := chromedp.Run(step, chromedp.Evaluate[layout](`(() => {
		const r = {Width: window.innerWidth, ScrollWidth: document.documentElement.scrollWidth, Workspace: 0, Evidence: 0, Outside: [], Small: [], Hidden: []};
		for (const a of document.querySelectorAll('a[href^="/quan-tri/hoat-dong/"], a[href^="/tep/"]')) {
			if (a.closest('nav, .table-scroll')) continue; // the log's wide table scrolls on its own
			if (a.getAttribute('href').startsWith('/tep/')) r.Evidence++; else r.Workspace++;
			const b = a.getBoundingClientRect();
			const name = a.getAttribute('href');
			if (b.width === 0 || b.height === 0) { r.Hidden.push(name); continue; }
			if (b.left < 0 || b.right > window.innerWidth + 0.5) r.Outside.push(name + ' ' + Math.round(b.left) + '–' + Math.round(b.right));
			const line = parseFloat(getComputedStyle(a.parentElement).lineHeight) || b.height;
			if (Math.max(b.height, line) < 24) r.Small.push(name + ' ' + b.height.toFixed(1));
		}
		return r;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dashboard at %.0f px: page %.0f px wide, %d workspace and %d evidence links; %d outside, %d small, %d hidden",
		l.Width, l.ScrollWidth, l.Workspace, l.Evidence, len(l.Outside), len(l.Small), len(l.Hidden))
	if l.ScrollWidth > l.Width+1 {
		t.Errorf("the page scrolls sideways: %.0f px wide at %.0f", l.ScrollWidth, l.Width)
	}
	if l.Workspace != 41 || l.Evidence != 41 {
		t.Errorf("%d workspace and %d evidence links, want the 41 activities' each (the inspection, 22/11, is after the cut-off)", l.Workspace, l.Evidence)
	}
	for _, bad := range [][]string{l.Outside, l.Small, l.Hidden} {
		if len(bad) > 0 {
			t.Errorf("links off the screen, too small or hidden: %q", bad)
		}
	}
}
