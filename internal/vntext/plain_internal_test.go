package vntext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// plainByParts is what Plain stands for: the three checks one by one.
func plainByParts(b []byte) bool {
	return ValidUTF8Line(b) == 0 && ControlIndex(b) < 0 && stableNFC(string(b))
}

// TestPlainAgrees checks Plain against the three checks it replaces on
// every rune up to U+FFFF and a few past it, alone and between letters,
// on truncated and broken sequences, and on real text.
func TestPlainAgrees(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		if got, want := Plain(b), plainByParts(b); got != want {
			t.Errorf("Plain(% x) = %v, the checks one by one say %v", b, got, want)
		}
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r > 0xFFFF && r%0x101 != 0 {
			continue
		}
		enc := utf8.AppendRune(nil, r)
		check(enc)
		check(append(append([]byte("a"), enc...), 'b'))
		for n := 1; n < len(enc); n++ {
			check(enc[:n])                             // cut at the end
			check(append(enc[:n:n], 'x'))              // cut before ASCII
			check(append(enc[:n:n], 0xE1, 0xBA, 0xA1)) // cut before a letter
		}
	}
	for _, b := range [][]byte{
		{0xC0, 0x80}, {0xC1, 0xBF}, {0xE0, 0x80, 0x80}, {0xED, 0xA0, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80},
		{0xE1, 0xBB}, {0xE2, 0x80}, {0xC2}, {0x80}, {0xBF, 0xBF},
		[]byte("Cải cách hành chính – “chuyển đổi số”…\r\n\tQuyết định số 1256/QĐ-UBND"),
		[]byte("Cải cách\x00"), []byte("Cải cách\x1b[31m"), []byte("Cai\u0309 cách"),
	} {
		check(b)
	}
}

// FuzzPlain: on any bytes, Plain says what the three checks say.
func FuzzPlain(f *testing.F) {
	f.Add([]byte("---\ntitle: Cải cách hành chính\n---\nNội dung – “trích”…\n"))
	f.Add([]byte{0xC2, 0x9F, 0xE1, 0xBB, 0xBF, 0xE2, 0x81, 0x9F})
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := Plain(b), plainByParts(b); got != want {
			t.Errorf("Plain(% x) = %v, the checks one by one say %v", b, got, want)
		}
	})
}

// TestFoldNFCKeepLength: FoldNFCKeepLength is FoldKeepLength(NFC(s)) for
// every rune up to U+2FFF alone and between letters, for NFD text and
// for broken bytes; and folding allocates the folded text once.
func TestFoldNFCKeepLength(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := FoldNFCKeepLength(s), FoldKeepLength(NFC(s)); got != want {
			t.Errorf("FoldNFCKeepLength(%+q) = %+q, want %+q", s, got, want)
		}
	}
	for r := rune(0); r < 0x3000; r++ {
		check(string(r))
		check("Đẩy " + string(r) + "ạ b")
	}
	for _, s := range []string{"", "abc", "Cải cách hành chính – “số”…", "Cai\u0309 ca\u0301ch", "Cải\xff cách", "Cải\xe1\xbb"} {
		check(s)
	}
	text := strings.Repeat("Sở Khoa học và Công nghệ đẩy mạnh cải cách hành chính. ", 200)
	if n := testing.AllocsPerRun(20, func() { FoldNFCKeepLength(text) }); n != 1 {
		t.Errorf("folding %d bytes allocated %v times, want once", len(text), n)
	}
	if n := testing.AllocsPerRun(20, func() { FoldKeepLength(text) }); n != 1 {
		t.Errorf("FoldKeepLength of %d bytes allocated %v times, want once", len(text), n)
	}
}

// FuzzFoldNFCKeepLength: on any text, FoldNFCKeepLength is
// FoldKeepLength(NFC(s)).
func FuzzFoldNFCKeepLength(f *testing.F) {
	f.Add("Cải cách hành chính – “số”…")
	f.Add("Cai\u0309 ca\u0301ch\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := FoldNFCKeepLength(s), FoldKeepLength(NFC(s)); got != want {
			t.Errorf("FoldNFCKeepLength(%+q) = %+q, want %+q", s, got, want)
		}
	})
}
