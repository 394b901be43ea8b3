//go:build browser

package report_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
	"cchc/internal/testsupport"
)

// TestBrowserPrintsProvince signs the root's admin in with Chromium,
// follows the roll-up's links (a sort, then the print) as a person does,
// and prints /bao-cao/tinh/in with the page's own CSS: A4 pages, a page
// number atop every page but the first, the Quốc hiệu on one line, the
// summary then one appendix per agency.
func TestBrowserPrintsProvince(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	base := browsertest.Server(t, s.h)
	ctx, cancel := browsertest.Timeout(browsertest.Browser(t), 90*time.Second)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/quan-tri/dang-nhap"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SetValue(chromedp.ID("name"), "admin"),
		chromedp.SetValue(chromedp.ID("password"), testsupport.Password),
		chromedp.Click(chromedp.CSS(".login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".whoami")),
		chromedp.Navigate(base+"/bao-cao/tinh?nam=2022&den=2022-11-20"),
		chromedp.Click(chromedp.CSS(`.rollup-choices a[href*="sap-xep=hoan-thanh"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href*="/bao-cao/tinh/in?"][href*="sap-xep=hoan-thanh"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.export-links a`), "href"))
	if err != nil {
		t.Fatal(err)
	}
	href := attr.Value
	if !strings.Contains(href, "sap-xep=hoan-thanh") || !strings.Contains(href, "den=2022-11-20") {
		t.Errorf("the print link %q loses the order or the cut-off", href)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS(".doc-signature"))); err != nil {
		t.Fatal(err)
	}
	pr := printA4(t, ctx, "bao-cao-tinh-2022.pdf")
	path, pages := pr.path, pr.pages
	t.Logf("province print: %d pages, %d bytes", pages, pr.size)
	var all strings.Builder
	for n := 1; n <= pages; n++ {
		text := pdfText(t, path, n)
		all.WriteString(text)
		first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(text, "\n "), "\n", 2)[0])
		if n > 1 && first != strconv.Itoa(n) {
			t.Errorf("page %d begins %q, not its number", n, first)
		}
	}
	text := all.String()
	if !strings.Contains(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
		t.Error("the Quốc hiệu is not on one line")
	}
	inOrder(t, strings.Join(strings.Fields(text), " "), "ỦY BAN NHÂN DÂN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "BÁO CÁO", "I. KẾT QUẢ CỦA CÁC CƠ QUAN",
		"NGƯỜI LẬP BÁO CÁO", "Phụ lục 1:", "Phụ lục 2:", "Phụ lục 3:")
}
