//go:build browser

package report_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
)

// TestBrowserPrintPDF prints /bao-cao/in?nam=2022 with Chromium as a
// person does (Ctrl+P, the page's own CSS: A4, margins, page numbers) and
// reads the PDF back: A4 pages, a page number at the top of every page
// but the first, the Quốc hiệu and the tiêu ngữ each on one line, the
// quarter headers unbroken, the text in a serif font that carries
// Vietnamese.
func TestBrowserPrintPDF(t *testing.T) {
	h, _ := server(t)
	base := browsertest.Server(t, h)
	ctx := browsertest.Browser(t)
	sctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, chromedp.Navigate(base+"/bao-cao/in?nam=2022"), chromedp.WaitVisible(chromedp.CSS(".doc-signature"))); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	pdf, err := chromedp.Run(sctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
		// The page's @page rule decides the paper, margins and header, as
		// it does for a person printing from the browser.
		yes := true
		p.PreferCSSPageSize = &yes
	}))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bao-cao-2022.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	t.Logf("print: %d pages, %d bytes, printed in %v", pages, len(pdf), time.Since(start))
	if pages < 3 || pages > 30 {
		t.Fatalf("%d pages: the report with its appendices is a few pages", pages)
	}
	if !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)`).Match(info) {
		t.Errorf("not A4:\n%s", info)
	}

	first := pdfText(t, path, 1)
	for _, line := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 01 tháng 11 năm 2022"} {
		if !strings.Contains(first, line) {
			t.Errorf("page 1: %q is not on one line\n%s", line, first)
		}
	}
	// The agency and the Quốc hiệu share the top line.
	if top := strings.SplitN(strings.TrimLeft(first, "\n "), "\n", 2)[0]; !strings.Contains(top, "SỞ KHOA HỌC VÀ CÔNG NGHỆ") || !strings.Contains(top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
		t.Errorf("top line %q", top)
	}
	numbered := regexp.MustCompile(`^\s*(\d+)\s*$`)
	firstLine := func(text string) string {
		for l := range strings.Lines(text) {
			if strings.TrimSpace(l) != "" {
				return strings.TrimSpace(l)
			}
		}
		return ""
	}
	if numbered.MatchString(firstLine(first)) {
		t.Error("page 1 has a page number (Nghị định 30 numbers from page 2)")
	}
	quarters := false
	for n := 2; n <= pages; n++ {
		text := pdfText(t, path, n)
		if got := firstLine(text); got != strconv.Itoa(n) {
			t.Errorf("page %d begins %q, not its number", n, got)
		}
		if regexp.MustCompile(`Quý I\s+Quý II\s+Quý III\s+Quý IV\s+Cả năm`).MatchString(text) {
			quarters = true
		}
	}
	if !quarters {
		t.Error("the quarter headers are not on one line")
	}

	fonts, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	if !regexp.MustCompile(`(?i)(TimesNewRoman|LiberationSerif|Tinos)`).Match(fonts) {
		t.Errorf("no Times New Roman or metric-compatible serif:\n%s", fonts)
	}
}
