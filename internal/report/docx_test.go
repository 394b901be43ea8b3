package report_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cchc/internal/docx"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/report"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestDOCX: /bao-cao/YYYY.docx is the print's report as a Word document —
// the same parts in the same order, the saved draft's sections II and III,
// Phụ lục I numbered 1…N — read back with package docx's reader.
func TestDOCX(t *testing.T) {
	h, env := server(t)
	d := &store.ReportDraft{Year: 2022, Shortcomings: "Tồn tại của năm.\nNguyên nhân: thiếu người.", Directions: "Phương hướng của năm.",
		Author: "approver", SavedAt: clock.UTC()}
	if err := env.Store.SaveReportDraft(context.Background(), d, 0, store.AuditEntry{At: clock, Actor: "approver", Action: store.AuditReportDraft}); err != nil {
		t.Fatal(err)
	}
	w := testsupport.Get(h, "/bao-cao/2022.docx?den=2022-08-15")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
		w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-2022.docx"` {
		t.Fatalf("docx: %d %v", w.Code, w.Header())
	}
	start := time.Now()
	doc, err := docx.Read(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	md := doc.Markdown()
	t.Logf("docx: %d bytes, read back in %v, %d characters of Markdown", w.Body.Len(), time.Since(start), len(md))
	inOrder(t, md,
		"SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TRUNG TÂM ỨNG DỤNG VÀ DỊCH VỤ KHOA HỌC VÀ CÔNG NGHỆ",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"/BC-TTUD", "Quảng Ngãi, ngày 15 tháng 8 năm 2022",
		"BÁO CÁO", "Kết quả thực hiện Kế hoạch số 272/KH-SKHCN ngày 15/3/2022",
		"Kính gửi: Sở Khoa học và Công nghệ (qua Phòng Hành chính – Tổng hợp).",
		"I. KẾT QUẢ THỰC HIỆN", "Mục III.1", "Đánh giá: Hoàn thành.", "Mục III.2", "Đánh giá: Chưa hoàn thành.",
		"II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "Tồn tại của năm.", "Nguyên nhân: thiếu người.",
		"III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ", "Phương hướng của năm.",
		"Nơi nhận:", "Giám đốc Trung tâm (b/c);", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
		"PHỤ LỤC I.", "| 1 | 11/1/2022 | Văn bản | 76/NQ-CP", "| 2 | 12/1/2022 | Tin, bài |",
		"PHỤ LỤC II.", "Chỉ tiêu nội bộ của đơn vị", "Quý I", "Xác thực số liệu",
	)
	// Phụ lục I has the print's N rows, numbered 1…N.
	page := testsupport.Get(h, "/bao-cao/in?nam=2022&den=2022-08-15").Body.String()
	n := strings.Count(page[strings.Index(page, `<table class="doc-table published">`):], "<tr><td>")
	n -= strings.Count(page[strings.Index(page, `id="phu-luc-2"`):], "<tr><td>")
	if n < 20 || !strings.Contains(md, fmt.Sprintf("\n| %d | ", n)) || strings.Contains(md, fmt.Sprintf("\n| %d | ", n+1)) {
		t.Errorf("Phụ lục I: the print has %d rows; the document differs", n)
	}
}

// TestDOCXCarriesAnyTitle: a title holding a character XML cannot carry
// (U+FFFF slips past the control-character rule) still gives a Word
// document, the character shown as U+FFFD, not an error page.
func TestDOCXCarriesAnyTitle(t *testing.T) {
	_, env := server(t)
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, clock)
	if err != nil {
		t.Fatal(err)
	}
	p, err := report.NewPaper(context.Background(), env.Store, r, "")
	if err != nil {
		t.Fatal(err)
	}
	p.Published[0].Title = "Tiêu đề\uFFFFlạ"
	p.Shortcomings = []string{"Tồn tại\uFFFE."}
	var buf bytes.Buffer
	if err := p.WriteDOCX(&buf); err != nil {
		t.Fatalf("WriteDOCX: %v", err)
	}
	doc, err := docx.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	// The reader drops U+FFFD; the text around it is there.
	if md := doc.Markdown(); !strings.Contains(md, "| Tiêu đềlạ |") || !strings.Contains(md, "Tồn tại.") {
		t.Errorf("the texts are not there:\n%s", md)
	}
}
