package vntext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func FuzzSlug(f *testing.F) {
	for _, s := range []string{
		"Thành phần hồ sơ",
		"1256/QĐ-UBND",
		"Tha\u0300nh pha\u0302\u0300n",
		strings.Repeat("Đẩy mạnh ứng dụng ", 12),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slug(s)
		if len(got) > 120 {
			t.Fatalf("Slug(%q) is %d bytes", s, len(got))
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				t.Fatalf("Slug(%q) = %q has byte %q", s, got, c)
			}
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slug(%q) = %q has a stray hyphen", s, got)
		}
		if again := Slug(got); again != got {
			t.Fatalf("Slug(Slug(%q)) = %q, want %q", s, again, got)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"Đổi mới ĐẢNG",
		"Vie\u0302\u0323t Nam",
		"\u0301a\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Fold(%+q) = %+q is not valid UTF-8", s, got)
		}
		for _, r := range got {
			if unicode.Is(unicode.Mn, r) || r == 'đ' || r == 'Đ' {
				t.Fatalf("Fold(%+q) = %+q keeps %U", s, got, r)
			}
		}
		if utf8.ValidString(s) && norm.NFC.IsNormalString(s) && !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Mn, r) }) {
			if a, b := utf8.RuneCountInString(s), utf8.RuneCountInString(got); a != b {
				t.Fatalf("Fold(%+q) = %+q: %d runes became %d", s, got, a, b)
			}
		}
		keep := FoldKeepLength(s)
		if a, b := utf8.RuneCountInString(s), utf8.RuneCountInString(keep); a != b {
			t.Fatalf("FoldKeepLength(%+q) = %+q: %d runes became %d", s, keep, a, b)
		}
		if got := FoldLower(s); got != strings.ToLower(Fold(s)) {
			t.Fatalf("FoldLower(%+q) = %+q, not the lower case of Fold", s, got)
		}
	})
}
