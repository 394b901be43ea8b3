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

// TestLibreOfficeOpensReport has LibreOffice (libreoffice-writer-nogui,
// which .ci/run installs; without it the test fails) lay out the Word
// report /bao-cao/2022.docx as PDF, read back with poppler-utils: A4
// pages, the page number atop every page but the first (Nghị định 30),
// the Quốc hiệu on one line, the sections in order.
func TestLibreOfficeOpensReport(t *testing.T) {
	h, _ := server(t)
	w := testsupport.Get(h, "/bao-cao/2022.docx")
	if w.Code != 200 {
		t.Fatalf("docx: %d", w.Code)
	}
	text := officeText(t, w.Body.Bytes(), "bao-cao-2022")
	inOrder(t, text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 01 tháng 11 năm 2022",
		"BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ",
		"KT. GIÁM ĐỐC", "PHỤ LỤC I.", "PHỤ LỤC II.")
}

// officeText has LibreOffice lay out the Word document docx as PDF (named
// name in a temporary folder) and checks what every report shares — A4
// pages, the page number atop every page but the first (Nghị định 30) —
// and returns the text of all its pages, read back with poppler-utils.
func officeText(t *testing.T, docx []byte, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, name+".docx")
	if err := os.WriteFile(src, docx, 0o644); err != nil {
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
	pdf := filepath.Join(dir, name+".pdf")
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("LibreOffice made no PDF (pdfinfo: %v)\n%s", err, out)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil || !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)`).Match(info) {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	t.Logf("LibreOffice, %s: %d pages in %v", name, pages, time.Since(start))
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
	return all.String()
}
