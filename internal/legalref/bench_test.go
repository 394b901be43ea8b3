package legalref

import (
	"strings"
	"testing"
)

// benchParagraph is a made-up article in the style of the column, about
// 5 KB with 40 numbers, citing numbers in several ways among dates, amounts and a URL.
var benchParagraph = func() string {
	base := "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể " +
		"cải cách hành chính nhà nước giai đoạn 2021 – 2030, Nghị quyết số 04-NQ/TU của Tỉnh ủy và " +
		"Quyết định số 1256/QĐ-UBND ngày 22/12/2021 của Ủy ban nhân dân tỉnh, Sở Khoa học và Công nghệ " +
		"ban hành Kế hoạch số 272/KH-SKHCN triển khai công tác tuyên truyền năm 2022. Theo Nghị định " +
		"42/2022/NĐ-CP, cổng thông tin điện tử phải công khai văn bản quy phạm pháp luật; thủ tục mã " +
		"1.001612.000.00.00.H48 có lệ phí 1.500.000 đồng, tiếp nhận lúc 8h30 tại số 0255.3822.123 hoặc " +
		"trực tuyến tại https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html. Đơn vị cũng " +
		"căn cứ Luật số 29/2013/QH13, Thông tư 01/2018/TT-VPCP và Công văn 4946/BTTTT-CĐSQG để rà soát, " +
		"bảo đảm tỷ lệ 1/2 hồ sơ được xử lý đúng hạn trong quý I/2022. "
	return strings.Repeat(base, max(1, 5000/len(base)))
}()

func BenchmarkFind(b *testing.B) {
	b.SetBytes(int64(len(benchParagraph)))
	b.ReportAllocs()
	for b.Loop() {
		Find(benchParagraph)
	}
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Key("56/ 2015/ NĐ - CP")
		Key("1256 qd ubnd")
	}
}

func TestFindLinear(t *testing.T) {
	// Long runs of letters, digits and separators must not make Find slow;
	// a quadratic scan would take seconds here.
	for _, s := range []string{
		strings.Repeat("1/", 200000),
		strings.Repeat("a", 200000) + " 1/QĐ-UBND",
		strings.Repeat("Quyết định 1/QĐ-UBND ", 20000),
		strings.Repeat("x@y ", 50000) + "1/QĐ-UBND",
		strings.Repeat("1-A/", 100000),
	} {
		Find(s)
		Key(s)
		Loose(s)
	}
}
