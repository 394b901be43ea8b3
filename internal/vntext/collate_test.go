package vntext

import (
	"bytes"
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int // sign
	}{
		{"a before a breve", "an", "ăn", -1},
		{"a breve before a circumflex", "ăn", "ân", -1},
		{"a circumflex after a", "ân", "an", 1},
		{"d before d stroke", "do", "đo", -1},
		{"d stroke before e", "đo", "e", -1},
		{"o before o circumflex before o horn", "ô", "ơ", -1},
		{"u before u horn", "u", "ư", -1},
		{"base letter before tone", "ma", "mà", -1},
		{"case ignored", "AN", "an", 0},
		{"case ignored d stroke", "Đo", "đo", 0},
		{"nfd equals nfc", norm.NFD.String("Quảng Ngãi"), "Quảng Ngãi", 0},
		{"word order", "Bình Định", "Bình Dương", 1},
		{"equal", "Việt", "Việt", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(tt.a, tt.b)
			if sign(got) != tt.want {
				t.Errorf("Compare(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
			}
			if back := Compare(tt.b, tt.a); sign(back) != -tt.want {
				t.Errorf("Compare(%q, %q) = %d, not the opposite of %d", tt.b, tt.a, back, got)
			}
			if keys := bytes.Compare(SortKey(tt.a), SortKey(tt.b)); keys != tt.want {
				t.Errorf("SortKey(%q) vs SortKey(%q) = %d, want %d", tt.a, tt.b, keys, tt.want)
			}
		})
	}
}

func TestCompareSort(t *testing.T) {
	words := []string{"ư", "đo", "ân", "o", "do", "ơ", "an", "ô", "ăn", "u", "e"}
	want := []string{"an", "ăn", "ân", "do", "đo", "e", "o", "ô", "ơ", "u", "ư"}
	slices.SortFunc(words, Compare)
	if !slices.Equal(words, want) {
		t.Errorf("sorted = %q, want %q", words, want)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
