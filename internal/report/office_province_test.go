//go:build office

package report_test

import (
	"strings"
	"testing"

	"cchc/internal/auth"
)

// TestLibreOfficeOpensProvince has LibreOffice lay out the province's
// Word summary (/bao-cao/tinh/2022.docx) as PDF, as the other reports'
// office tests do: A4 pages, the page number atop every page but the
// first, and in order the letterhead, the summary with one row per
// agency, the signature, then the appendix of each agency.
func TestLibreOfficeOpensProvince(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	c, _ := s.login(auth.Admin)
	w := s.do("GET", "/bao-cao/tinh/2022.docx?den=2022-11-20", nil, c)
	if w.code != 200 {
		t.Fatalf("docx: %d", w.code)
	}
	text := strings.Join(strings.Fields(officeText(t, []byte(w.body), "bao-cao-tinh-2022")), " ")
	inOrder(t, text, "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
		"Quảng Ngãi, ngày 20 tháng 11 năm 2022", "BÁO CÁO", "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.", "I. KẾT QUẢ CỦA CÁC CƠ QUAN",
		"Sở Tư pháp", "Sở Y tế", "Nơi nhận:", "NGƯỜI LẬP BÁO CÁO",
		"Phụ lục 1: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "Phụ lục 2: Sở Tư pháp tỉnh Quảng Ngãi", "Phụ lục 3: Sở Y tế tỉnh Quảng Ngãi")
}
