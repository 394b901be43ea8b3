//go:build office

package report_test

import (
	"strings"
	"testing"

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
	text := strings.Join(strings.Fields(officeText(t, w.Body.Bytes(), "bao-cao-so-2022")), " ")
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
