package legalref

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestKey(t *testing.T) {
	tests := []struct {
		in, key string
		ok      bool
	}{
		{"1256/QĐ-UBND", "1256/QD-UBND", true},
		{"1256/QD-UBND", "1256/QD-UBND", true},
		{"1256 / qđ - ubnd", "1256/QD-UBND", true},
		{"  1256/QĐ-UBND  ", "1256/QD-UBND", true},
		{norm.NFD.String("93/NQ-HĐND"), "93/NQ-HDND", true},
		{"42/2022/NĐ-CP", "42/2022/ND-CP", true},
		{"20/2020/QĐ-TTg", "20/2020/QD-TTG", true},
		{"04-NQ/TU", "4-NQ/TU", true},
		{"0004-NQ/TU", "4-NQ/TU", true},
		{"0/QĐ-UBND", "0/QD-UBND", true},
		{"2231/snv-cchc&pc", "2231/SNV-CCHC&PC", true},
		{"1/Năm", "1/NAM", true},
		{"4946/bttttt-cđsqg", "4946/BTTTTT-CDSQG", true},
		// Type words.
		{"Quyết định số 1256/QĐ-UBND", "1256/QD-UBND", true},
		{"Nghị định 61/2018/NĐ-CP", "61/2018/ND-CP", true},
		{"Số: 12/BC-SKHCN", "12/BC-SKHCN", true},
		// Search forms.
		{"1256 qd ubnd", "1256/QD-UBND", true},
		{"1256 QĐ UBND", "1256/QD-UBND", true},
		{"qđ 1256 ubnd", "1256/QD-UBND", true},
		{"1256 qđ-ubnd", "1256/QD-UBND", true},
		{"42 2022 nd cp", "42/2022/ND-CP", true},
		{"29 2013 qh13", "29/2013/QH13", true},
		{"04 nq tu", "4-NQ/TU", true},
		{"36 hd vptw", "36-HD/VPTW", true},
		// Not numbers, or not enough for a key.
		{"qđ 1256", "", false},
		{"1256", "", false},
		{"quyết định 1256", "", false},
		{"quyết định 1256 ubnd", "", false},
		{"15/3/2022", "", false},
		{"1/2", "", false},
		{"2021-2025", "", false},
		{"", "", false},
		{"Quyết định", "", false},
		{"12 13 qd ubnd", "", false},
		{"1256/QĐ-UBND!", "", false},
		{"1256/QĐ-UBND-", "1256/QD-UBND", true}, // read as a search form
		{"\xff", "", false},
	}
	for _, tt := range tests {
		k, ok := Key(tt.in)
		if k != tt.key || ok != tt.ok {
			t.Errorf("Key(%q) = %q, %v; want %q, %v", tt.in, k, ok, tt.key, tt.ok)
		}
		if ok {
			if k2, ok2 := Key(k); !ok2 || k2 != k || !Valid(k) {
				t.Errorf("key %q is not a fixed point of Key (%q, %v) or not Valid", k, k2, ok2)
			}
		}
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"1256/QĐ-UBND", true},
		{"42/2022/NĐ-CP", true},
		{"67/2006/QH11", true},
		{"04-NQ/TU", true},
		{"36-HD/VPTW", true},
		{"4946/BTTTT-CĐSQG", true},
		{"2231/SNV-CCHC&PC", true},
		{"1714/TTr-STTTT", true},
		{"56/ 2015/ NĐ - CP", true},
		{"1256/qd-ubnd", true},
		{"123/UBND", true},
		{"1256 qd ubnd", false},
		{"Quyết định số 1256/QĐ-UBND", false},
		{"04-NQ", false},
		{"15/3/2022", false},
		{"1/2", false},
		{"42/2022", false},
		{"1256/QĐ-UBND.", false},
		{"1256/QĐ-&UBND", false},
		{"1256/QĐ-UBND&", false},
		{"1256//QĐ-UBND", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Valid(tt.in); got != tt.ok {
			t.Errorf("Valid(%q) = %v, want %v", tt.in, got, tt.ok)
		}
		if _, ok := Key(tt.in); tt.ok && !ok {
			t.Errorf("Valid(%q) but Key fails", tt.in)
		}
	}
}

func TestLoose(t *testing.T) {
	tests := []struct {
		in, pattern string
		ok          bool
		matches     []string
		misses      []string
	}{
		{"qđ 1256", "1256[-/]QD*", true, []string{"1256/QD-UBND"}, []string{"12560/QD-UBND", "1256/ND-CP"}},
		{"quyết định 1256", "1256[-/]QD*", true, []string{"1256/QD-UBND"}, nil},
		{"Quyet dinh so 1256", "1256[-/]QD*", true, []string{"1256/QD-UBND"}, nil},
		{"quyết định 1256 ubnd", "1256[-/]QD[-/]UBND*", true, []string{"1256/QD-UBND"}, []string{"1256/QD-CP"}},
		{"1256", "1256[-/]*", true, []string{"1256/QD-UBND", "1256-NQ/TU", "1256/2021/ND-CP"}, []string{"12560/QD-UBND", "125/QD-UBND"}},
		{"0034", "34[-/]*", true, []string{"34/KH-UBND"}, nil},
		{"nghị định 42/2022", "42/2022/ND*", true, []string{"42/2022/ND-CP"}, []string{"42/2021/ND-CP"}},
		{"luật 29/2013", "29/2013/*", true, []string{"29/2013/QH13"}, nil},
		{"nq 04", "4[-/]NQ*", true, []string{"4-NQ/TU", "4/NQ-CP"}, nil},
		{"1256 qd ubnd", "1256/QD-UBND", true, []string{"1256/QD-UBND"}, []string{"1256/QD-UBND-NC"}},
		{"Công văn 4946", "4946[-/]*", true, []string{"4946/BTTTT-CDSQG"}, nil},
		{"quyết định", "", false, nil, nil},
		{"15/3/2022", "", false, nil, nil},
		{"1256 [qd]", "", false, nil, nil},
		{"1256 qd*", "", false, nil, nil},
		{"", "", false, nil, nil},
	}
	for _, tt := range tests {
		p, ok := Loose(tt.in)
		if p != tt.pattern || ok != tt.ok {
			t.Errorf("Loose(%q) = %q, %v; want %q, %v", tt.in, p, ok, tt.pattern, tt.ok)
			continue
		}
		for _, k := range tt.matches {
			if !glob(p, k) {
				t.Errorf("pattern %q of %q does not match %q", p, tt.in, k)
			}
		}
		for _, k := range tt.misses {
			if glob(p, k) {
				t.Errorf("pattern %q of %q matches %q", p, tt.in, k)
			}
		}
	}
}

// glob matches s against the subset of SQLite GLOB that Loose produces:
// '*' and bracket classes without ranges or negation.
func glob(p, s string) bool {
	switch {
	case p == "":
		return s == ""
	case p[0] == '*':
		for i := 0; i <= len(s); i++ {
			if glob(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case s == "":
		return false
	case p[0] == '[':
		end := 1
		for end < len(p) && p[end] != ']' {
			end++
		}
		for i := 1; i < end; i++ {
			if p[i] == s[0] {
				return glob(p[end+1:], s[1:])
			}
		}
		return false
	default:
		return p[0] == s[0] && glob(p[1:], s[1:])
	}
}
