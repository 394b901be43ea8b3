package legalref

import (
	"fmt"
	"testing"

	"cchc/internal/fuzztime"
)

// FuzzFindTime fails when scanning a text of fuzztime.Size bytes (the
// fuzzed middle repeated between the fuzzed prefix and suffix) for
// numbers, or reading it as a number or a search query, takes longer than
// fuzztime.Bound. Every body, legal basis and search query goes through
// these.
func FuzzFindTime(f *testing.F) {
	for _, s := range [][3]string{
		{"", "1256/QĐ-UBND ", ""},
		{"", "Quyết định số 1/QĐ-UBND ", ""},
		{"", "1/", ""},
		{"", "1-A/", ""},
		{"", "1 / a - b ", ""},
		{"", "www.", ""},
		{"", "x@y ", ""},
		{"https://", "a", " 1/QĐ-UBND"},
		{"", "Nghị quyết ", "1/NQ-CP"},
		{"", "a", " 1/QĐ-UBND"},
		{"", "số ", "1/QĐ-UBND"},
		{"", "KH&", ""},
		{"", "qđ 1256 ", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, prefix, middle, suffix string) {
		text := fuzztime.Input(prefix, middle, suffix)
		fuzztime.Check(t, fmt.Sprintf("Find/Key/Loose(%q + %q… + %q)", prefix, middle, suffix), func() {
			Find(text)
			Key(text)
			Loose(text)
		})
	})
}
