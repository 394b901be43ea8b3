package vntext

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// refFold is foldRune as it was before the arrays (h21-import): the base
// letter from a map built the same way, for every rune of the two blocks.
func refFold(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	switch r {
	case 'đ':
		return 'd'
	case 'Đ':
		return 'D'
	}
	if r < 0x00C0 || (r > 0x024F && r < 0x1E00) || r > 0x1EFF {
		return r
	}
	d := norm.NFD.String(string(r))
	base, size := utf8.DecodeRuneInString(d)
	if size == len(d) || base >= utf8.RuneSelf {
		return r
	}
	if strings.IndexFunc(d[size:], func(m rune) bool { return !unicode.Is(unicode.Mn, m) }) >= 0 {
		return r
	}
	return base
}

// refFoldKeepLength is FoldKeepLength as it was: rune by rune.
func refFoldKeepLength(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x300 && unicode.Is(unicode.Mn, r) {
			b.WriteRune(' ')
			continue
		}
		b.WriteRune(refFold(r))
	}
	return b.String()
}

// TestFoldSameAsBefore: the table in arrays and the ASCII runs copied
// whole give, for every rune there is, and for text mixing them with
// ASCII, combining marks and bytes that are not UTF-8, exactly what the
// map and the rune-by-rune loop gave.
func TestFoldSameAsBefore(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := foldRune(r), refFold(r); got != want {
			t.Fatalf("foldRune(%U) = %U, want %U", r, got, want)
		}
	}
	cases := []string{
		"", "abc", "Đồng bộ hóa hồ sơ", "Quyết định 1256/QĐ-UBND",
		"a\u0301b", "\u0301", "e\u0323\u0302", "x\xffy", "\xe1\xbb", "ASCII only, then é",
		"Nghị quyết 04-NQ/TU — “ngoặc kép” … ½ ﬁ 漢字 😀",
	}
	for r := rune(0xA0); r < 0x2100; r += 7 {
		cases = append(cases, "ab"+string(r)+"cd"+string(r+1)+string(r+2))
	}
	for _, s := range cases {
		if got, want := FoldKeepLength(s), refFoldKeepLength(s); got != want {
			t.Errorf("FoldKeepLength(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

// TestControlIndexSameAsIndexFunc: ControlIndex finds what
// bytes.IndexFunc(b, IsControl) finds, for every rune there is after
// ASCII and Vietnamese text, and for bytes that are not UTF-8.
func TestControlIndexSameAsIndexFunc(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		if got, want := ControlIndex(b), bytes.IndexFunc(b, IsControl); got != want {
			t.Fatalf("ControlIndex(%+q) = %d, want %d", b, got, want)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		check([]byte("Đồng bộ\tx\r\n" + string(r) + "y\x1b"))
		check([]byte("ab" + string(r)))
	}
	for c := range 256 {
		check([]byte{'a', byte(c), 'b'})
		check([]byte{0xe1, byte(c), 0x80, 0x07})
	}
	check(nil)
}
