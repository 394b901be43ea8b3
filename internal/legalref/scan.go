package legalref

import (
	"unicode"
	"unicode/utf8"
)

// Limits that keep the scanner from taking prose or long digit strings for a
// number.
const (
	maxDigits     = 6  // leading number: 4946, 12345…
	maxSpaces     = 3  // stray spaces on one side of a separator
	maxSymbolLen  = 16 // runes in one symbol part (BNNPTNT, UBTVQH14…)
	maxSymbolPart = 6  // symbol parts in one number
)

// parse reads a number starting at s[i], which must be a digit, and returns
// where it ends. In relaxed mode (a number typed on its own) any symbol is
// accepted; otherwise (running text) symbols that may be prose must look like
// abbreviations, as the package comment explains. parse does not check the
// boundaries around the number.
func parse(s string, i int, relaxed bool) (int, bool) {
	p := digitsEnd(s, i)
	if p == i || p-i > maxDigits {
		return 0, false
	}
	sep, _, q := separator(s, p)
	if sep == 0 {
		return 0, false
	}
	slashes := 0
	if sep == '/' {
		slashes++
	}
	year := false
	if sep == '/' {
		if after, ok := yearThenSlash(s, q); ok {
			q, year = after, true
			slashes++
		}
	}
	e := symbolEnd(s, q)
	if e == q || (!relaxed && !year && !abbreviation(s[q:e])) {
		return 0, false
	}
	end, more := moreSymbols(s, e, relaxed)
	if slashes+more == 0 {
		return 0, false
	}
	return end, true
}

// moreSymbols reads the symbol parts after the first one, starting at p, and
// returns where they end and how many of their separators were slashes.
func moreSymbols(s string, p int, relaxed bool) (int, int) {
	slashes, spacedOnly := 0, true
	for parts := 1; parts < maxSymbolPart; parts++ {
		sep, spaced, q := separator(s, p)
		if sep == 0 || (spaced && !spacedOnly) {
			break
		}
		e := symbolEnd(s, q)
		if e == q || (spaced && !relaxed && !abbreviation(s[q:e])) {
			break
		}
		if !spaced {
			spacedOnly = false
		}
		if sep == '/' {
			slashes++
		}
		p = e
	}
	return p, slashes
}

// separator reads optional spaces, a '/' or hyphen, and optional spaces at
// s[p:]. It returns the separator ('/' or '-', 0 when there is none), whether
// any space surrounded it, and the position after it.
func separator(s string, p int) (byte, bool, int) {
	q := skipHSpace(s, p)
	if q >= len(s) {
		return 0, false, p
	}
	r, size := utf8.DecodeRuneInString(s[q:])
	var sep byte
	switch {
	case r == '/':
		sep = '/'
	case isHyphen(r):
		sep = '-'
	default:
		return 0, false, p
	}
	e := skipHSpace(s, q+size)
	return sep, q > p || e > q+size, e
}

// skipHSpace skips at most maxSpaces horizontal spaces from p; any further
// space is left in place, so the caller sees no separator there.
func skipHSpace(s string, p int) int {
	for n := 0; p < len(s) && n < maxSpaces; n++ {
		r, size := utf8.DecodeRuneInString(s[p:])
		if !isHSpace(r) {
			break
		}
		p += size
	}
	return p
}

// yearThenSlash reports whether s[q:] starts with a year (19xx or 20xx) and
// a '/' separator, and returns the position after the separator.
func yearThenSlash(s string, q int) (int, bool) {
	if digitsEnd(s, q) != q+4 || !(s[q:q+2] == "19" || s[q:q+2] == "20") {
		return 0, false
	}
	sep, _, after := separator(s, q+4)
	return after, sep == '/'
}

// symbolEnd returns the end of the symbol part starting at s[q], or q when
// none starts there. A part starts with a letter and goes on with letters,
// combining marks, ASCII digits and '&' followed by a letter or digit.
func symbolEnd(s string, q int) int {
	if q >= len(s) {
		return q
	}
	r, size := utf8.DecodeRuneInString(s[q:])
	if !unicode.IsLetter(r) {
		return q
	}
	p := q + size
	for n := 1; p < len(s); n++ {
		if n > maxSymbolLen {
			return q
		}
		r, size = utf8.DecodeRuneInString(s[p:])
		if r == '&' {
			// '&' joins two words (KH&CN): a letter or digit must follow,
			// not a bare combining mark, which folding would drop and
			// leave the '&' trailing.
			r2, _ := utf8.DecodeRuneInString(s[p+size:])
			if !unicode.IsLetter(r2) && !isDigitRune(r2) {
				break
			}
		} else if !isWordRune(r) {
			break
		}
		p += size
	}
	return p
}

// leftBoundary reports whether a number may start at s[i]: the rune before
// must not glue it to a word, a path, an address or a decimal number.
func leftBoundary(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, size := utf8.DecodeLastRuneInString(s[:i])
	switch {
	case isWordRune(r), isHyphen(r), r == '/', r == '&', r == '_', r == '@', r == '\\':
		return false
	case r == '.':
		r2, _ := utf8.DecodeLastRuneInString(s[:i-size])
		return !isWordRune(r2)
	case r == ',', r == ':':
		r2, _ := utf8.DecodeLastRuneInString(s[:i-size])
		return !isDigitRune(r2)
	}
	return true
}

// rightBoundary reports whether a number may end at s[p].
func rightBoundary(s string, p int) bool {
	if p >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[p:])
	return !(isWordRune(r) || isHyphen(r) || r == '/' || r == '&' || r == '_' || r == '@')
}

// digitsEnd returns the end of the run of ASCII digits starting at s[i].
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigitRune(r rune) bool { return '0' <= r && r <= '9' }

// isWordRune reports whether r belongs to a word: a letter, a digit or a
// combining mark (input may be NFD).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isHyphen reports whether r is typed as the '-' of a number: the ASCII
// hyphen-minus, the Unicode hyphens and the en dash that word processors
// substitute.
func isHyphen(r rune) bool {
	return r == '-' || r == '\u2010' || r == '\u2011' || r == '\u2013'
}

// isHSpace reports whether r is a space that may surround a separator.
func isHSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u00a0' || r == '\u2009' || r == '\u202f'
}
