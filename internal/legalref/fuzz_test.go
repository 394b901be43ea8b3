package legalref

import (
	"testing"
	"unicode/utf8"
)

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Quyết định số 1256/QĐ-UBND ngày 22/12/2021",
		"Nghị định 56/ 2015/ NĐ - CP và 04 - NQ/TU",
		"https://dichvucong.gov.vn/p/home/12/QD-UBND a@b.vn 76/NQ-CP.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for _, m := range Find(text) {
			if m.Start < prevEnd || m.Start >= m.End || m.End > len(text) {
				t.Fatalf("bad span [%d,%d) after %d in %q", m.Start, m.End, prevEnd, text)
			}
			if text[m.Start:m.End] != m.Text {
				t.Fatalf("Text %q != text[%d:%d] %q", m.Text, m.Start, m.End, text[m.Start:m.End])
			}
			if m.WordStart < prevEnd || m.WordStart > m.Start {
				t.Fatalf("WordStart %d outside [%d,%d]", m.WordStart, prevEnd, m.Start)
			}
			if m.TypeWord != "" && text[m.WordStart:m.WordStart+len(m.TypeWord)] != m.TypeWord {
				t.Fatalf("TypeWord %q is not at %d", m.TypeWord, m.WordStart)
			}
			if k, ok := Key(m.Text); !ok || k != m.Key {
				t.Fatalf("Key(%q) = %q, %v; Find gave key %q", m.Text, k, ok, m.Key)
			}
			if !Valid(m.Text) {
				t.Fatalf("Valid(%q) = false for a match", m.Text)
			}
			prevEnd = m.End
		}
		k, ok := Key(text)
		if ok && utf8.ValidString(text) {
			if k2, ok2 := Key(k); !ok2 || k2 != k {
				t.Fatalf("Key(%q) = %q, but Key(%q) = %q, %v", text, k, k, k2, ok2)
			}
		}
		if p, ok := Loose(text); ok && p == "" {
			t.Fatalf("Loose(%q) gave an empty pattern", text)
		}
	})
}
