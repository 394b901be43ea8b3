package legalref

import (
	"strings"
	"unicode"

	"cchc/internal/vntext"
)

// Key returns the canonical key of a number typed on its own (e.g. a form
// field, a legal_basis entry, a search query), and whether s is a number at
// all. Besides every form Valid accepts, Key takes:
//
//   - a leading type word, "số" and ':' ("Quyết định số 1256/QĐ-UBND",
//     "Số: 12/BC-SKHCN");
//   - parts separated by spaces or any mix of spaces, punctuation, '/' and
//     '-' ("1256 qd ubnd" → 1256/QD-UBND, "42 2022 nd cp" → 42/2022/ND-CP,
//     "qđ 1256 ubnd" → 1256/QD-UBND), provided they name one leading number,
//     and then either a year right after it and at least one symbol, or at
//     least two symbols; symbols keep their order wherever they stand. They
//     are put together as number/TYPE-ISSUER or number/year/TYPE-ISSUER,
//     except that two symbols ending with a Party issuer (TU, HU, TW,
//     VPTW…) give the Party shape number-TYPE/ISSUER ("04 nq tu" →
//     4-NQ/TU). A 4-digit 19xx/20xx right after the number is always read
//     as its year. Type words inside such a query are not turned into
//     symbols (Loose does that).
//
// A query naming less ("qđ 1256") is not a key; see Loose.
func Key(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strict(s) {
		return canonical(s), true
	}
	rest := stripTypeWord(s)
	if rest != s && strict(rest) {
		return canonical(rest), true
	}
	q, ok := parseQuery(rest)
	if !ok {
		return "", false
	}
	return q.key()
}

// Valid reports whether s, typed on its own, has the shape of a document
// number (used to validate a document's number field): one of the slash forms
// of the package comment, in any case, with or without diacritics, stray
// spaces around separators allowed, surrounding space ignored. Any symbol
// part is accepted, so Valid("1/Năm") is true even though Find would not see a
// number in "Quý 1/Năm 2022". For such strict forms Key(s) succeeds exactly
// when Valid(s) does.
func Valid(s string) bool {
	return strict(strings.TrimSpace(s))
}

// Loose turns a search query that names part of a number into an SQLite GLOB
// pattern over canonical keys (use it as `key GLOB ?`; keys are upper case
// and GLOB is case-sensitive, so an index on the key column can serve it).
// When Key(s) succeeds the pattern is the key itself. Otherwise the query
// must name a leading number, perhaps a year right after it, and any symbols
// or type words around them, in any order:
//
//	"qđ 1256", "quyết định 1256" → 1256[-/]QD*   (matches 1256/QD-UBND)
//	"1256"                       → 1256[-/]*
//	"nghị định 42/2022"          → 42/2022/ND*
//	"luật 29/2013"               → 29/2013/*
//	"nq 04 tu"                   → 4[-/]NQ[-/]TU*  (matches 4-NQ/TU)
//
// A type word ("quyết định") stands for its abbreviation (QD) placed first;
// words that carry none ("luật", "công văn") and "số" are dropped. Loose
// fails when the query holds no number, more than one number other than a
// year, or characters other than letters, digits, '&', spaces and
// punctuation.
func Loose(s string) (string, bool) {
	if k, ok := Key(s); ok {
		return k, true
	}
	q, ok := parseQuery(s)
	if !ok {
		return "", false
	}
	return q.pattern(), true
}

// strict reports whether all of s is one number in a slash form.
func strict(s string) bool {
	if s == "" || !isDigit(s[0]) {
		return false
	}
	end, ok := parse(s, 0, true)
	return ok && end == len(s)
}

// canonical returns the key of a number: folded, upper case, without
// spaces, hyphens as '-', no leading zeros on the leading number.
func canonical(s string) string {
	if isCanonical(s) {
		return s
	}
	f := vntext.Fold(s)
	var b strings.Builder
	b.Grow(len(f))
	for _, r := range f {
		switch {
		case unicode.IsSpace(r):
		case isHyphen(r):
			b.WriteByte('-')
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return stripZeros(b.String())
}

// stripZeros removes the leading zeros of the number that starts k, keeping
// one digit.
func stripZeros(k string) string {
	i := 0
	for i+1 < len(k) && k[i] == '0' && isDigit(k[i+1]) {
		i++
	}
	return k[i:]
}

// isCanonical reports whether s, a number, is already its own key, as most
// numbers typed in ASCII upper case are.
func isCanonical(s string) bool {
	if len(s) > 1 && s[0] == '0' && isDigit(s[1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || 'A' <= c && c <= 'Z' || c == '/' || c == '-' || c == '&') {
			return false
		}
	}
	return true
}
