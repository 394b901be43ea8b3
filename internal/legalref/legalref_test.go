package legalref

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// one returns the only match of Find(text), failing the test otherwise.
func one(t *testing.T, text string) Match {
	t.Helper()
	ms := Find(text)
	if len(ms) != 1 {
		t.Fatalf("Find(%q) = %d matches %+v, want 1", text, len(ms), ms)
	}
	return ms[0]
}

func TestFindNumbers(t *testing.T) {
	tests := []struct {
		name, text, number, key string
	}{
		{"plan decision", "Quyết định số 1256/QĐ-UBND ngày 22/12/2021", "1256/QĐ-UBND", "1256/QD-UBND"},
		{"no diacritics", "Quyet dinh so 1256/QD-UBND ngay 22/12/2021", "1256/QD-UBND", "1256/QD-UBND"},
		{"lower case", "theo 1256/qđ-ubnd của tỉnh", "1256/qđ-ubnd", "1256/QD-UBND"},
		{"stray spaces", "số 1256 / QĐ - UBND ngày", "1256 / QĐ - UBND", "1256/QD-UBND"},
		{"stray spaces lower", "số 1256 / qđ - ubnd.", "1256 / qđ - ubnd", "1256/QD-UBND"},
		{"plan resolution", "Nghị quyết số 76/NQ-CP.", "76/NQ-CP", "76/NQ-CP"},
		{"party resolution", "Nghị quyết số 04-NQ/TU của Tỉnh ủy", "04-NQ/TU", "4-NQ/TU"},
		{"party no zero", "Nghị quyết 4-NQ/TU", "4-NQ/TU", "4-NQ/TU"},
		{"party spaced", "Nghị quyết 04 - NQ/TU", "04 - NQ/TU", "4-NQ/TU"},
		{"party guide", "Hướng dẫn số 36-HD/VPTW,", "36-HD/VPTW", "36-HD/VPTW"},
		{"council resolution", "Nghị quyết số 93/NQ-HĐND", "93/NQ-HĐND", "93/NQ-HDND"},
		{"council normative", "Nghị quyết 93/2021/NQ-HĐND;", "93/2021/NQ-HĐND", "93/2021/NQ-HDND"},
		{"decision 649", "(Quyết định 649/QĐ-UBND)", "649/QĐ-UBND", "649/QD-UBND"},
		{"decision 93", "Quyết định số 93/QĐ-UBND:", "93/QĐ-UBND", "93/QD-UBND"},
		{"plan 34", "Kế hoạch số 34/KH-UBND", "34/KH-UBND", "34/KH-UBND"},
		{"guide 305", "Hướng dẫn số 305/HD-STTTT", "305/HD-STTTT", "305/HD-STTTT"},
		{"plan 119", "Kế hoạch 119/KH-UBND.", "119/KH-UBND", "119/KH-UBND"},
		{"plan 169", "KH 169/KH-UBND,", "169/KH-UBND", "169/KH-UBND"},
		{"plan 272", "Sở ban hành Kế hoạch số 272/KH-SKHCN thực hiện", "272/KH-SKHCN", "272/KH-SKHCN"},
		{"submission", "Tờ trình số 1714/TTr-STTTT", "1714/TTr-STTTT", "1714/TTR-STTTT"},
		{"official letter", "Công văn số 4946/BTTTT-CĐSQG", "4946/BTTTT-CĐSQG", "4946/BTTTT-CDSQG"},
		{"ampersand", "Công văn 2231/SNV-CCHC&PC;", "2231/SNV-CCHC&PC", "2231/SNV-CCHC&PC"},
		{"law", "Luật số 67/2006/QH11", "67/2006/QH11", "67/2006/QH11"},
		{"law 2013", "Luật Đất đai số 29/2013/QH13.", "29/2013/QH13", "29/2013/QH13"},
		{"law lower", "luật 29/2013/qh13", "29/2013/qh13", "29/2013/QH13"},
		{"decree 42", "Nghị định số 42/2022/NĐ-CP", "42/2022/NĐ-CP", "42/2022/ND-CP"},
		{"decree 42 ascii", "Nghi dinh 42/2022/ND-CP", "42/2022/ND-CP", "42/2022/ND-CP"},
		{"decree spaced", "Nghị định 56/ 2015/ NĐ - CP quy định", "56/ 2015/ NĐ - CP", "56/2015/ND-CP"},
		{"decree 08", "Nghị định 08/2014/NĐ-CP", "08/2014/NĐ-CP", "8/2014/ND-CP"},
		{"decree 61", "theo Nghị định số 61/2018/NĐ-CP,", "61/2018/NĐ-CP", "61/2018/ND-CP"},
		{"decree 45", "Nghị định 45/2020/NĐ-CP)", "45/2020/NĐ-CP", "45/2020/ND-CP"},
		{"decree 107", "Nghị định số 107/2021/NĐ-CP", "107/2021/NĐ-CP", "107/2021/ND-CP"},
		{"decree lower", "nghị định 107/2021/nđ-cp", "107/2021/nđ-cp", "107/2021/ND-CP"},
		{"circular 01", "Thông tư số 01/2018/TT-VPCP", "01/2018/TT-VPCP", "1/2018/TT-VPCP"},
		{"circular 03", "Thông tư 03/2014/TT-BKHCN.", "03/2014/TT-BKHCN", "3/2014/TT-BKHCN"},
		{"circular 26", "Thông tư 26/2020/TT-BTTTT", "26/2020/TT-BTTTT", "26/2020/TT-BTTTT"},
		{"prime minister", "Quyết định 20/2020/QĐ-TTg", "20/2020/QĐ-TTg", "20/2020/QD-TTG"},
		{"prime minister lower", "quyết định 20/2020/qđ-ttg", "20/2020/qđ-ttg", "20/2020/QD-TTG"},
		{"joint circular", "Thông tư liên tịch số 12/2015/TTLT-BTC-BNV", "12/2015/TTLT-BTC-BNV", "12/2015/TTLT-BTC-BNV"},
		{"directive", "Chỉ thị số 05/CT-TTg", "05/CT-TTg", "5/CT-TTG"},
		{"notice", "Thông báo số 123/TB-UBND", "123/TB-UBND", "123/TB-UBND"},
		{"report", "Báo cáo số 45/BC-SKHCN", "45/BC-SKHCN", "45/BC-SKHCN"},
		{"issuer only", "Công văn số 123/UBND ngày", "123/UBND", "123/UBND"},
		{"en dash", "Quyết định 1256/QĐ–UBND", "1256/QĐ–UBND", "1256/QD-UBND"},
		{"no-break space", "Quyết định số\u00a01256\u00a0/\u00a0QĐ-UBND", "1256\u00a0/\u00a0QĐ-UBND", "1256/QD-UBND"},
		{"NFD", norm.NFD.String("Quyết định số 1256/QĐ-UBND của Ủy ban"), "1256/QĐ-UBND", "1256/QD-UBND"},
		{"NFD lower", norm.NFD.String("nghị quyết 93/nq-hđnd tỉnh"), "93/nq-hđnd", "93/NQ-HDND"},
		{"start of text", "1256/QĐ-UBND", "1256/QĐ-UBND", "1256/QD-UBND"},
		{"quotes", "“76/NQ-CP”", "76/NQ-CP", "76/NQ-CP"},
		{"header colon", "Số:12/BC-SKHCN", "12/BC-SKHCN", "12/BC-SKHCN"},
		{"next to date", "số 76/NQ-CP ngày 15/7/2021", "76/NQ-CP", "76/NQ-CP"},
		{"spaced tail not prose", "Nghị quyết 76/NQ-CP - UBND tỉnh triển khai", "76/NQ-CP", "76/NQ-CP"},
		{"before dash prose", "Kế hoạch 34/KH-UBND - Hà Nội", "34/KH-UBND", "34/KH-UBND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := one(t, tt.text)
			if m.Text != tt.number || m.Key != tt.key {
				t.Errorf("Find(%q) = %q key %q, want %q key %q", tt.text, m.Text, m.Key, tt.number, tt.key)
			}
			if tt.text[m.Start:m.End] != m.Text {
				t.Errorf("text[%d:%d] = %q, Text %q", m.Start, m.End, tt.text[m.Start:m.End], m.Text)
			}
			if k, ok := Key(m.Text); !ok || k != m.Key {
				t.Errorf("Key(%q) = %q, %v; want %q, true", m.Text, k, ok, m.Key)
			}
		})
	}
}

func TestFindNothing(t *testing.T) {
	tests := []struct{ name, text string }{
		{"date", "ngày 15/3/2022"},
		{"date long", "ban hành ngày 22/12/2021."},
		{"date zero", "từ 03/3/2022 đến nay"},
		{"month year", "tháng 3/2022"},
		{"fraction", "giảm 1/2 thời gian"},
		{"fraction 3/4", "3/4 số hồ sơ"},
		{"time", "lúc 10:30 sáng"},
		{"time h", "lúc 8h30"},
		{"always open", "phục vụ 24/7"},
		{"phone dashes", "gọi 0912-345-678"},
		{"phone dots", "điện thoại 0255.3822.123"},
		{"url", "xem https://dichvucong.gov.vn/p/home/12/QD-UBND ngay"},
		{"url http", "(http://example.vn/van-ban/1256/QD-UBND)"},
		{"url www", "www.skhcn.quangngai.gov.vn/12/QD-UBND"},
		{"path", "dichvucong.gov.vn/p/home/12/QD-UBND"},
		{"email", "gửi 12/qd-ubnd@gmail.com"},
		{"email plain", "liên hệ skhcn@quangngai.gov.vn"},
		{"iso", "ISO 9001:2015"},
		{"tcvn", "TCVN ISO 9001:2015"},
		{"version", "phiên bản 1.2.3"},
		{"procedure code", "mã 1.001612.000.00.00.H48"},
		{"amount", "1.500.000 đồng"},
		{"page dash place", "trang 5 - Hà Nội"},
		{"year dash issuer", "năm 2022 - UBND tỉnh"},
		{"range", "giai đoạn 2021-2025"},
		{"range en dash", "giai đoạn 2021 – 2030"},
		{"glued before", "abc123/QĐ-UBND"},
		{"glued after", "1256/QĐ-UBNDx/"},
		{"glued digit after slash", "1256/QĐ-UBND/2021"},
		{"trailing hyphen", "1256/QĐ-UBND-"},
		{"dash only", "số 04-NQ của tỉnh"},
		{"prose after slash", "Quý 1/Năm 2022"},
		{"heading", "QUÝ 1/NĂM 2022"},
		{"accented capitals", "trang 5 / HÀ NỘI"},
		{"lower prose", "khoảng 5/tháng"},
		{"decimal before", "H.264/AVC"},
		{"covid", "COVID-19/ncov"},
		{"too many digits", "1234567/QĐ-UBND"},
		{"too many spaces", "1256    /    QĐ-UBND"},
		{"newline", "1256\n/QĐ-UBND"},
		{"year without symbol", "Thông tư 32/2017 và Nghị định 43/2011"},
		{"underscore", "file_12/QD-UBND"},
		{"invalid utf8", "\xff\xfe12/\xffQĐ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ms := Find(tt.text); len(ms) != 0 {
				t.Errorf("Find(%q) = %+v, want none", tt.text, ms)
			}
		})
	}
}

func TestFindTypeWord(t *testing.T) {
	tests := []struct {
		name, text, word string
		wordStart        int
	}{
		{"decision", "Theo Quyết định số 1256/QĐ-UBND", "Quyết định số", 5},
		{"without so", "Nghị định 42/2022/NĐ-CP", "Nghị định", 0},
		{"ascii", "theo Quyet dinh so 1256/QD-UBND", "Quyet dinh so", 5},
		{"upper", "QUYẾT ĐỊNH SỐ 1256/QĐ-UBND", "QUYẾT ĐỊNH SỐ", 0},
		{"law", "Luật số 29/2013/QH13", "Luật số", 0},
		{"joint circular", "Thông tư liên tịch số 12/2015/TTLT-BTC-BNV", "Thông tư liên tịch số", 0},
		{"plan", "thực hiện Kế hoạch 34/KH-UBND", "Kế hoạch", len("thực hiện ")},
		{"official letter", "Công văn số 4946/BTTTT-CĐSQG", "Công văn số", 0},
		{"submission", "Tờ trình 1714/TTr-STTTT", "Tờ trình", 0},
		{"directive", "Chỉ thị số 05/CT-TTg", "Chỉ thị số", 0},
		{"notice", "Thông báo 123/TB-UBND", "Thông báo", 0},
		{"report", "Báo cáo số 45/BC-SKHCN", "Báo cáo số", 0},
		{"guide", "Hướng dẫn số 305/HD-STTTT", "Hướng dẫn số", 0},
		{"NFD", norm.NFD.String("Nghị quyết số 76/NQ-CP"), norm.NFD.String("Nghị quyết số"), 0},
		{"two spaces", "Kế hoạch  số  34/KH-UBND", "Kế hoạch  số", 0},
		{"so alone", "văn bản Số 34/KH-UBND", "văn bản Số", 0},
		{"no type", "theo số 34/KH-UBND", "", len("theo số ")},
		{"comma between", "Quyết định, 34/KH-UBND", "", len("Quyết định, ")},
		{"none", "(34/KH-UBND)", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := one(t, tt.text)
			if m.TypeWord != tt.word || m.WordStart != tt.wordStart {
				t.Errorf("Find(%q): TypeWord %q at %d, want %q at %d", tt.text, m.TypeWord, m.WordStart, tt.word, tt.wordStart)
			}
			if m.TypeWord != "" && tt.text[m.WordStart:m.WordStart+len(m.TypeWord)] != m.TypeWord {
				t.Errorf("TypeWord %q is not text[%d:]", m.TypeWord, m.WordStart)
			}
		})
	}
}

func TestFindSeveral(t *testing.T) {
	text := "Căn cứ Nghị định số 42/2022/NĐ-CP, Quyết định số 1256/QĐ-UBND ngày 22/12/2021 " +
		"và Kế hoạch 34/KH-UBND (thay 04-NQ/TU); xem https://a.vn/12/QD-UBND, 76/NQ-CP."
	want := []struct{ text, key, word string }{
		{"42/2022/NĐ-CP", "42/2022/ND-CP", "Nghị định số"},
		{"1256/QĐ-UBND", "1256/QD-UBND", "Quyết định số"},
		{"34/KH-UBND", "34/KH-UBND", "Kế hoạch"},
		{"04-NQ/TU", "4-NQ/TU", ""},
		{"76/NQ-CP", "76/NQ-CP", ""},
	}
	ms := Find(text)
	if len(ms) != len(want) {
		t.Fatalf("Find = %+v, want %d matches", ms, len(want))
	}
	prev := 0
	for i, m := range ms {
		if m.Text != want[i].text || m.Key != want[i].key || m.TypeWord != want[i].word {
			t.Errorf("match %d = %q %q %q, want %q %q %q", i, m.Text, m.Key, m.TypeWord, want[i].text, want[i].key, want[i].word)
		}
		if text[m.Start:m.End] != m.Text || m.WordStart < prev || m.WordStart > m.Start {
			t.Errorf("match %d: bad offsets %+v (previous end %d)", i, m, prev)
		}
		prev = m.End
	}
}

func TestFindAdjacent(t *testing.T) {
	ms := Find("12/QĐ-UBND, 13/QĐ-UBND và 14/QĐ-UBND Quyết định 15/QĐ-UBND")
	var keys []string
	for _, m := range ms {
		keys = append(keys, m.Key)
	}
	want := []string{"12/QD-UBND", "13/QD-UBND", "14/QD-UBND", "15/QD-UBND"}
	if len(keys) != len(want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("keys %v, want %v", keys, want)
		}
	}
	if last := ms[3]; last.TypeWord != "Quyết định" {
		t.Errorf("last TypeWord %q", last.TypeWord)
	}
}
