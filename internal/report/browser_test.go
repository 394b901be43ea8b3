//go:build browser

package report_test

import (
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBrowserPrintPDF prints /bao-cao/in?nam=2022 with Chromium as a
// person does (Ctrl+P, the page's own CSS: A4, margins, page numbers) and
// reads the PDF back: A4 pages, a page number at the top of every page
// but the first, the Quốc hiệu and the tiêu ngữ each on one line, the
// quarter headers unbroken, the text in a serif font that carries
// Vietnamese.
func TestBrowserPrintPDF(t *testing.T) {
	h, _ := server(t)
	sctx := openPrint(t, h, "/bao-cao/in?nam=2022")
	pr := printA4(t, sctx, "bao-cao-2022.pdf")
	path, pages := pr.path, pr.pages
	t.Logf("print: %d pages, %d bytes, printed in %v", pages, pr.size, pr.took)
	if pages < 3 || pages > 30 {
		t.Fatalf("%d pages: the report with its appendices is a few pages", pages)
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
