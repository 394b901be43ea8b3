package vntext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The twelve Vietnamese vowels, each with no tone and then the five tones
// (huyền, sắc, hỏi, ngã, nặng), written in NFC.
var vowelRows = []struct {
	lower, upper string
	base         byte
}{
	{"aàáảãạ", "AÀÁẢÃẠ", 'a'},
	{"ăằắẳẵặ", "ĂẰẮẲẴẶ", 'a'},
	{"âầấẩẫậ", "ÂẦẤẨẪẬ", 'a'},
	{"eèéẻẽẹ", "EÈÉẺẼẸ", 'e'},
	{"êềếểễệ", "ÊỀẾỂỄỆ", 'e'},
	{"iìíỉĩị", "IÌÍỈĨỊ", 'i'},
	{"oòóỏõọ", "OÒÓỎÕỌ", 'o'},
	{"ôồốổỗộ", "ÔỒỐỔỖỘ", 'o'},
	{"ơờớởỡợ", "ƠỜỚỞỠỢ", 'o'},
	{"uùúủũụ", "UÙÚỦŨỤ", 'u'},
	{"ưừứửữự", "ƯỪỨỬỮỰ", 'u'},
	{"yỳýỷỹỵ", "YỲÝỶỸỴ", 'y'},
}

func TestNFC(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii unchanged", "Thanh pho", "Thanh pho"},
		{"nfc unchanged", "Quảng Ngãi", "Quảng Ngãi"},
		{"nfd e circumflex dot below", "e\u0323\u0302", "ệ"},
		{"nfd e dot below circumflex order swapped", "e\u0302\u0323", "ệ"},
		{"nfd o horn hook", "o\u031b\u0309", "ở"},
		{"nfd sentence", "Qua\u0309ng Nga\u0303i", "Quảng Ngãi"},
		{"nfd capital a breve acute", "A\u0306\u0301", "Ắ"},
		{"d stroke has no decomposition", "Đ đ", "Đ đ"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NFC(tt.in); got != tt.want {
				t.Errorf("NFC(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldVowels(t *testing.T) {
	for _, row := range vowelRows {
		for _, c := range []struct {
			name, in, want string
		}{
			{"lower " + row.lower, row.lower, strings.Repeat(string(row.base), 6)},
			{"upper " + row.upper, row.upper, strings.Repeat(strings.ToUpper(string(row.base)), 6)},
		} {
			t.Run(c.name, func(t *testing.T) {
				if !norm.NFC.IsNormalString(c.in) || utf8.RuneCountInString(c.in) != 6 {
					t.Fatalf("test row %q is not six NFC runes", c.in)
				}
				if got := Fold(c.in); got != c.want {
					t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
				}
				nfd := norm.NFD.String(c.in)
				if got := Fold(nfd); got != c.want {
					t.Errorf("Fold(NFD %+q) = %q, want %q", nfd, got, c.want)
				}
				if got := FoldKeepLength(c.in); got != c.want {
					t.Errorf("FoldKeepLength(%q) = %q, want %q", c.in, got, c.want)
				}
			})
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"d stroke lower", "đường", "duong"},
		{"d stroke upper", "ĐẢNG", "DANG"},
		{"case kept", "Sở Khoa Học", "So Khoa Hoc"},
		{"number symbol", "1256/QĐ-UBND", "1256/QD-UBND"},
		{"hyphen and punctuation kept", "Hà Nội – Việt Nam!", "Ha Noi – Viet Nam!"},
		{"nfd input", "Qua\u0309ng Nga\u0303i", "Quang Ngai"},
		{"nfd with marks in odd order", "Vie\u0302\u0323t", "Viet"},
		{"stray combining mark dropped", "\u0301a", "a"},
		{"non-latin kept", "日本 ∑", "日本 ∑"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%+q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Fold(norm.NFD.String(tt.in)); got != tt.want {
				t.Errorf("Fold(NFD(%+q)) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldLower(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"title", "Cải Cách Hành Chính", "cai cach hanh chinh"},
		{"d stroke upper", "ĐỀ ÁN", "de an"},
		{"number", "04-NQ/TU", "04-nq/tu"},
		{"nfd", "Đa\u0302\u0309y", "day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FoldLower(tt.in); got != tt.want {
				t.Errorf("FoldLower(%+q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldKeepLength(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"nfc", "Đổi mới", "Doi moi"},
		{"stray mark becomes space", "a\u0301b", "a b"},
		{"leading mark", "\u0323x", " x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FoldKeepLength(tt.in)
			if got != tt.want {
				t.Errorf("FoldKeepLength(%+q) = %q, want %q", tt.in, got, tt.want)
			}
			if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
				t.Errorf("rune count changed: %d → %d", utf8.RuneCountInString(tt.in), utf8.RuneCountInString(got))
			}
		})
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"title", "Thành phần hồ sơ", "thanh-phan-ho-so"},
		{"document number", "1256/QĐ-UBND", "1256-qd-ubnd"},
		{"d stroke at start", "Đẩy mạnh ứng dụng", "day-manh-ung-dung"},
		{"nfd input", "Tha\u0300nh pha\u0302\u0300n ho\u0302\u0300 so\u031b", "thanh-phan-ho-so"},
		{"punctuation runs", "Cải cách --- hành chính!!! (2022)", "cai-cach-hanh-chinh-2022"},
		{"leading and trailing junk", "  ...«Tin mới»...  ", "tin-moi"},
		{"party number", "04-NQ/TU", "04-nq-tu"},
		{"law number", "67/2006/QH11", "67-2006-qh11"},
		{"ampersand", "KH&CN", "kh-cn"},
		{"en dash", "2021–2025", "2021-2025"},
		{"non-latin dropped", "日本 ISO 9001:2015", "iso-9001-2015"},
		{"only junk", "!!! ---", ""},
		{"empty", "", ""},
		{
			// "thanh-phan-ho-so-" is 17 bytes; seven of them and the
			// "t" of the eighth fill 120 bytes, so the cut falls back to
			// the hyphen after the seventh.
			"long cut at hyphen",
			strings.Repeat("Thành phần hồ sơ ", 10),
			strings.TrimSuffix(strings.Repeat("thanh-phan-ho-so-", 7), "-"),
		},
		{"long single word cut at 120", strings.Repeat("a", 200), strings.Repeat("a", 120)},
		{
			// The only hyphen is too early to cut at: cut at 120 bytes.
			"long with early hyphen",
			"ab " + strings.Repeat("c", 200),
			"ab-" + strings.Repeat("c", 117),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slug(tt.in)
			if got != tt.want {
				t.Errorf("Slug(%+q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > 120 {
				t.Errorf("Slug(%+q) is %d bytes, want ≤ 120", tt.in, len(got))
			}
		})
	}
}

func TestValidUTF8Line(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want int
	}{
		{"valid ascii", []byte("a\nb\n"), 0},
		{"valid vietnamese", []byte("Việt\nNam\n"), 0},
		{"empty", nil, 0},
		{"bad first byte", []byte("\xff"), 1},
		{"bad on line 2", []byte("abc\n\xffdef"), 2},
		{"bad after multibyte on line 3", []byte("ệ\nế\nx\x80"), 3},
		{"truncated sequence at end", []byte("a\nb\nc\xe1\xba"), 3},
		{"latin-1 byte", []byte("---\ntitle: Vi\xeat\n---\n"), 2},
		{"surrogate encoded", []byte("ok\n\xed\xa0\x80"), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidUTF8Line(tt.in); got != tt.want {
				t.Errorf("ValidUTF8Line(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
