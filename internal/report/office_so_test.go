//go:build office

package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/testsupport"
)

// TestLibreOfficeOpensSoReport has LibreOffice lay out the Sở's Word
// report of the demo year (/bao-cao/2022.docx?den=2022-11-10&cap=so) as
// PDF, as TestLibreOfficeOpensReport does the Trung tâm's: A4 pages, the
// page number atop every page but the first, and in order the Sở's
// letterhead, the addressee, the six items, each unit's results, sections
// II and III, the signature block and the appendix.
func TestLibreOfficeOpensSoReport(t *testing.T) {
	w := testsupport.Get(storyServer(t), "/bao-cao/2022.docx?den=2022-11-10&cap=so")
	if w.Code != 200 {
		t.Fatalf("docx: %d", w.Code)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "bao-cao-so-2022.docx")
	if err := os.WriteFile(src, w.Body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("soffice not found: apt-get install --no-install-recommends libreoffice-writer-nogui (this test fails rather than skips)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, src).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "bao-cao-so-2022.pdf")
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("LibreOffice made no PDF (pdfinfo: %v)\n%s", err, out)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil || !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)`).Match(info) {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	t.Logf("LibreOffice, the Sở's report: %d pages in %v", pages, time.Since(start))
	var all strings.Builder
	for n := 1; n <= pages; n++ {
		text := pdfText(t, pdf, n)
		all.WriteString(text)
		first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(text, "\n "), "\n", 2)[0])
		if n > 1 && first != strconv.Itoa(n) {
			t.Errorf("page %d begins %q, not its number", n, first)
		}
		if n == 1 && first == "1" {
			t.Error("page 1 has a page number")
		}
	}
	text := strings.Join(strings.Fields(all.String()), " ")
	inOrder(t, text, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "/BC-SKHCN", "Quảng Ngãi, ngày 10 tháng 11 năm 2022", "BÁO CÁO",
		"Kính gửi: Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông).",
		"I. KẾT QUẢ THỰC HIỆN", "Mục III.1", "Mục III.2", "Mục III.3", "Mục III.4", "Mục III.5", "Mục III.6",
		"Kết quả của các đơn vị", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ",
		"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "PHỤ LỤC I.")
	for _, never := range []string{"500 người tham dự", "xuất bản"} {
		if strings.Contains(text, never) {
			t.Errorf("the Sở's Word report says %q", never)
		}
	}
}
