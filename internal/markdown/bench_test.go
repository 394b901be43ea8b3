package markdown_test

import (
	"context"
	"strings"
	"testing"

	"cchc/internal/markdown"
)

// benchArticle is a realistic article of about 1,000 words: headings, a
// table of dossier documents, a list and several legal numbers.
var benchArticle = func() string {
	var b strings.Builder
	b.WriteString("## Căn cứ pháp lý\n\n")
	b.WriteString("Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, Nghị quyết số 04-NQ/TU của Tỉnh ủy và " +
		"Quyết định số 1256/QĐ-UBND ngày 22/12/2021 của UBND tỉnh, Sở Khoa học và Công nghệ ban hành Kế hoạch số " +
		"34/KH-UBND về tuyên truyền cải cách hành chính. Nghị định 08/2014/NĐ-CP đã được thay thế; các nội dung mới " +
		"áp dụng theo Nghị định 99/2099/NĐ-CP.\n\n")
	para := "Cải cách hành chính là nhiệm vụ trọng tâm, thường xuyên của cả hệ thống chính trị. Sở tiếp tục rà soát, " +
		"đơn giản hóa thủ tục hành chính, đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình tại " +
		"https://dichvucong.gov.vn, số hóa hồ sơ, kết quả giải quyết thủ tục hành chính và nâng cao chỉ số hài lòng " +
		"của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính nhà nước theo Quyết định 1256/QĐ-UBND.\n\n"
	for i := 0; i < 7; i++ {
		b.WriteString("### Nội dung thứ " + string(rune('1'+i)) + "\n\n")
		b.WriteString(para)
		b.WriteString("- Tuyên truyền **Kế hoạch 34/KH-UBND** trên Trang thông tin điện tử;\n- Cập nhật `quy trình ISO` khi thủ tục thay đổi.\n\n")
	}
	b.WriteString("## Thành phần hồ sơ\n\n| Tên giấy tờ | Mẫu đơn, tờ khai | Bản chính | Bản sao |\n|:---|:---:|---:|---:|\n")
	for i := 0; i < 10; i++ {
		b.WriteString("| Đơn đăng ký hoạt động khoa học và công nghệ | Mẫu 01 theo 04-NQ/TU | 1 | 0 |\n")
	}
	return b.String()
}()

func BenchmarkRender(b *testing.B) {
	md := markdown.New()
	res := testRegistry(b)
	b.SetBytes(int64(len(benchArticle)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := md.Render(context.Background(), benchArticle, res); err != nil {
			b.Fatal(err)
		}
	}
}
