//go:build browser

package security_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
	"cchc/internal/content"
)

// axeSource is axe-core's axe.min.js, from $CCHC_AXE_JS (.ci/run installs
// axe-core@4.14.1 from npm into a cache and sets it). Without it the test
// fails: a skipped accessibility test would be one that never runs.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CCHC_AXE_JS")
	if path == "" {
		t.Fatal("CCHC_AXE_JS is not set: install axe-core (npm install --prefix ~/.cache/cchc-npm axe-core@4.14.1) and set CCHC_AXE_JS to its axe.min.js — .ci/run does this")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("CCHC_AXE_JS: %v", err)
	}
	return string(b)
}

// axeNode is one element a rule failed on.
type axeNode struct {
	Target         []any  `json:"target"`
	FailureSummary string `json:"failureSummary"`
}

// axeViolation is one failed rule of a page.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []axeNode `json:"nodes"`
}

// axeRun runs the WCAG 2.0 A and AA and WCAG 2.1 AA rules on the page.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})))`

// TestAccessibility runs axe-core in Chromium on every kind of page a
// citizen or an editor meets: zero violations of WCAG 2.0 A/AA and 2.1 AA.
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	s := newSite(t)
	base := browsertest.Server(t, s.h)
	browser := browsertest.Browser(t)
	tab := browsertest.Tab(t, browser)
	article, err := s.env.Store.ItemBySlug(context.Background(), content.Article, "so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022")
	if err != nil {
		t.Fatal(err)
	}
	preview := fmt.Sprintf("/quan-tri/tin-bai/%d/xem-truoc", article.ID)
	pages := []struct {
		name, path string
		login      bool
	}{
		{"home", "/", false},
		{"articles", "/tin-tuc/", false},
		{"procedures", "/thu-tuc-hanh-chinh/", false},
		{"documents", "/van-ban/", false},
		{"areas", "/chu-de/", false},
		{"area", "/chu-de/cai-cach-thu-tuc-hanh-chinh", false},
		{"article", "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", false},
		{"procedure", "/thu-tuc-hanh-chinh/dang-ky-hoat-dong-khcn", false},
		{"document", "/van-ban/1256-qd-ubnd", false},
		{"document with relations", "/van-ban/29-2013-qh13", false},
		{"public activities", "/hoat-dong/", false},
		{"public activity", "/hoat-dong/toa-dam-doanh-nghiep-ngay-khcn-18-5-2022", false},
		{"search results", "/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch", false},
		{"search without results", "/tim-kiem?q=zzzkhongco", false},
		{"follow", "/theo-doi", false},
		{"not found", "/khong-co-trang-nay", false},
		{"login", "/quan-tri/dang-nhap", false},
		{"dashboard", "/quan-tri/", true},
		{"editor list", "/quan-tri/tin-bai/", true},
		{"editor form", "/quan-tri/tin-bai/moi", true},
		{"procedure form", "/quan-tri/thu-tuc/moi", true},
		{"document form", "/quan-tri/van-ban/moi", true},
		{"activity form", "/quan-tri/hoat-dong/moi", true},
		{"activities list", "/quan-tri/hoat-dong/?don-vi=" + url.QueryEscape("Phòng Hành chính – Tổng hợp"), true},
		{"preview as citizens see it", preview, true},
		{"preview at a phone's width", preview + "?kho=dien-thoai", true},
		{"own password", "/quan-tri/mat-khau", true},
		{"report dashboard", "/bao-cao/?nam=2022", true},
		{"report as of a day", "/bao-cao/?nam=2022&den=2022-08-15", true},
		{"printable report", "/bao-cao/in?nam=2022", true},
		{"report draft", "/bao-cao/du-thao?nam=2022", true},
		{"province roll-up", "/bao-cao/tinh?nam=2022", true},
		{"province roll-up printed", "/bao-cao/tinh/in?nam=2022", true},
	}
	// axe must find a planted fault, or a clean result proves nothing.
	step, cancel := browsertest.Timeout(tab, 60*time.Second)
	_, err = chromedp.Run(step, chromedp.Steps(chromedp.Navigate(base+"/"), chromedp.Evaluate[chromedp.Void](axe),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main').appendChild(document.createElement('img')).src = '/favicon.svg'`)))
	if err != nil {
		t.Fatalf("plant a fault: %v", err)
	}
	vs, err := chromedp.Run(step, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	cancel()
	if err != nil || len(vs) == 0 || vs[0].ID != "image-alt" {
		t.Fatalf("axe did not find an image without alt text: %v %+v", err, vs)
	}

	total := 0
	loggedIn := false
	for _, p := range pages {
		if p.login && !loggedIn {
			browserLogin(t, tab, base)
			loggedIn = true
		}
		t.Run(p.name, func(t *testing.T) {
			step, cancel := browsertest.Timeout(tab, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(step, chromedp.Navigate(base+p.path), chromedp.Evaluate[chromedp.Void](axe)); err != nil {
				t.Fatalf("open %s and load axe: %v", p.path, err)
			}
			// A wrong address would test the 404 page instead.
			title, err := chromedp.Run(step, chromedp.Title())
			if err != nil || (p.name != "not found") == strings.Contains(title, "Không tìm thấy") {
				t.Fatalf("%s opened %q (%v)", p.path, title, err)
			}
			vs, err := chromedp.Run(step, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe.run on %s: %v", p.path, err)
			}
			total += len(vs)
			for _, v := range vs {
				var b strings.Builder
				for _, n := range v.Nodes {
					fmt.Fprintf(&b, "\n      %v: %s", n.Target, strings.ReplaceAll(n.FailureSummary, "\n", " "))
				}
				t.Errorf("%s: %s (%s): %s — %s%s", p.path, v.ID, v.Impact, v.Help, v.URL, b.String())
			}
		})
	}
	t.Logf("axe-core on %d pages: %d violations", len(pages), total)
}
