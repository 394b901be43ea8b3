package legalref

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// skipper knows the parts of a text that hold no numbers: URLs and e-mail
// addresses, each a whole whitespace-delimited token. Find asks it about
// increasing offsets only, so it walks its spans once.
type skipper struct {
	spans []span
	next  int // index of the first span that does not end before the last offset asked about
}

// newSkipper finds the URL and e-mail tokens of text: the tokens holding
// "://", "www." at a word start, or an '@' between two non-space runes.
func newSkipper(text string) *skipper {
	sk := &skipper{}
	floor := 0
	for i := 0; i < len(text); i++ {
		j := strings.IndexAny(text[i:], ":@wW")
		if j < 0 {
			break
		}
		if i += j; !urlOrEmailAt(text, i) {
			continue
		}
		start := tokenStart(text, i, floor)
		floor = tokenEnd(text, i)
		sk.spans = append(sk.spans, span{start, floor})
		i = floor
	}
	return sk
}

// urlOrEmailAt reports whether text[i] begins "://" or "www." (any case, not
// inside a word), or is an '@' inside a token.
func urlOrEmailAt(text string, i int) bool {
	switch c := text[i]; {
	case c == ':':
		return strings.HasPrefix(text[i:], "://")
	case c == '@':
		return i > 0 && i+1 < len(text) && !isSpaceAt(text, i+1) && !isSpaceBefore(text, i)
	case c|0x20 == 'w':
		if i+4 > len(text) || text[i+1]|0x20 != 'w' || text[i+2]|0x20 != 'w' || text[i+3] != '.' {
			return false
		}
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		return i == 0 || !isWordRune(r)
	}
	return false
}

// tokenStart returns the start of the run of non-space runes that ends at
// or covers i, looking no further back than floor.
func tokenStart(s string, i, floor int) int {
	for i > floor && !isSpaceBefore(s, i) {
		_, size := utf8.DecodeLastRuneInString(s[floor:i])
		i -= size
	}
	return i
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func isSpaceBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r)
}

// skip reports whether offset i lies in a skipped span, and the span's end.
func (sk *skipper) skip(i int) (int, bool) {
	for sk.next < len(sk.spans) && sk.spans[sk.next].end <= i {
		sk.next++
	}
	if sk.next < len(sk.spans) && sk.spans[sk.next].start <= i {
		return sk.spans[sk.next].end, true
	}
	return i, false
}

// overlaps reports whether [start, end) meets a skipped span; start must
// not lie in one (skip said so).
func (sk *skipper) overlaps(start, end int) bool {
	for k := sk.next; k < len(sk.spans) && sk.spans[k].start < end; k++ {
		if sk.spans[k].end > start {
			return true
		}
	}
	return false
}

// tokenEnd returns the end of the run of non-space runes starting at i.
func tokenEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}
