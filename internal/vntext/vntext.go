// Package vntext holds the one implementation of Vietnamese text handling used
// everywhere: NFC normalisation, folding of diacritics (with đ→d, which Unicode
// does not decompose), slugs, collation and dd/mm/yyyy dates.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C. Phones and macOS send NFD;
// everything stored or compared goes through here first.
func NFC(s string) string {
	if stableNFC(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// stableNFC is a fast check that s is already NFC, true for nearly all
// stored text: every rune is one that NFC leaves alone and that no
// following rune can combine with — Latin below U+0300 (no combining
// marks), the precomposed Vietnamese letters of Latin Extended Additional,
// and common punctuation. Anything else goes to the full check.
func stableNFC(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !stableRune(r, size) {
			return false
		}
		i += size
	}
	return true
}

// stableRune is stableNFC's rule for one non-ASCII rune r decoded from
// size bytes.
func stableRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r < 0x300, r >= 0x1E00 && r <= 0x1EFF, r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E:
		return true
	}
	return false
}

// foldRune maps one NFC rune to its base letter without marks, or returns
// the rune itself. The mapping is one rune for one rune, so offsets in a
// folded string match offsets (in runes) in the NFC original.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	switch r {
	case 'đ':
		return 'd'
	case 'Đ':
		return 'D'
	}
	if f := foldTable.of(r); f != 0 {
		return f
	}
	return r
}

// foldTable maps every precomposed Latin letter to its base letter. It is
// built once from the NFD decomposition of the Latin blocks.
var foldTable = buildFoldTable()

// The Latin blocks foldTable covers: Latin-1 Supplement to Latin
// Extended-B, and Latin Extended Additional (the Vietnamese letters).
const (
	latinLo, latinHi       = 0x00C0, 0x024F
	latinExtLo, latinExtHi = 0x1E00, 0x1EFF
)

// folds is foldTable's form: the base letter of each rune of the two
// blocks, 0 for a rune kept as it is. Arrays, not a map: the search index
// folds every body an import writes, a rune at a time (h21-import).
type folds struct {
	latin    [latinHi - latinLo + 1]rune
	latinExt [latinExtHi - latinExtLo + 1]rune
}

// of is r's base letter, 0 when r has none.
func (t *folds) of(r rune) rune {
	switch {
	case r >= latinLo && r <= latinHi:
		return t.latin[r-latinLo]
	case r >= latinExtLo && r <= latinExtHi:
		return t.latinExt[r-latinExtLo]
	}
	return 0
}

func buildFoldTable() *folds {
	t := &folds{}
	for _, block := range [][2]rune{{latinLo, latinHi}, {latinExtLo, latinExtHi}} {
		for r := block[0]; r <= block[1]; r++ {
			d := norm.NFD.String(string(r))
			base, size := utf8.DecodeRuneInString(d)
			if size == len(d) || base >= utf8.RuneSelf {
				continue // no decomposition, or not onto ASCII
			}
			rest := d[size:]
			if strings.IndexFunc(rest, func(m rune) bool { return !unicode.Is(unicode.Mn, m) }) >= 0 {
				continue
			}
			if r <= latinHi {
				t.latin[r-latinLo] = base
			} else {
				t.latinExt[r-latinExtLo] = base
			}
		}
	}
	return t
}

// Fold returns s in NFC with every diacritic removed and đ/Đ turned into d/D.
// Case is kept. After NFC, one rune of the input gives exactly one rune of the
// output, so rune offsets carry over; combining marks left over after NFC are
// dropped.
func Fold(s string) string {
	s = NFC(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// FoldKeepLength folds s (already NFC) rune for rune, replacing any stray
// combining mark with a space rather than dropping it, so that the result has
// exactly as many runes as s. Search uses it to map match offsets back onto
// the original text.
func FoldKeepLength(s string) string {
	out, _ := foldKeepLength(s, false)
	return out
}

// FoldNFCKeepLength is FoldKeepLength(NFC(s)) in one pass over s when s
// is already NFC by stableNFC's rule, as nearly all text is (the search
// index folds every item's text this way on every import): NFC's check
// and the fold each decoded every rune (h26-parse).
func FoldNFCKeepLength(s string) string {
	if out, ok := foldKeepLength(s, true); ok {
		return out
	}
	return FoldKeepLength(NFC(s))
}

// foldKeepLength folds s rune for rune into one buffer of its size
// (strings.Builder's, which String does not copy). With stable, it stops
// (ok false) at the first rune stableNFC would not take.
func foldKeepLength(s string, stable bool) (out string, ok bool) {
	// Runs of ASCII, most of any text, are copied as they are; text with
	// no other byte is returned as it is.
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if stable && !stableRune(r, size) {
			return "", false
		}
		b.WriteRune(FoldRuneKeepLength(r))
		i += size
	}
	return b.String(), true
}

// FoldRuneKeepLength is FoldKeepLength for one rune: its base letter, a
// space for a combining mark, or the rune itself. Search folds text a rune
// at a time with it, without building the folded string.
func FoldRuneKeepLength(r rune) rune {
	if r < 0x300 || (r >= latinExtLo && r <= latinExtHi) {
		// No combining mark below U+0300 nor among the Vietnamese
		// letters: the table alone, without unicode.Is's search.
		return foldRune(r)
	}
	if unicode.Is(unicode.Mn, r) {
		return ' '
	}
	return foldRune(r)
}

// FoldLower is Fold followed by lower-casing: the form used for matching.
func FoldLower(s string) string {
	return strings.ToLower(Fold(s))
}

// Slug turns a Vietnamese title into a readable ASCII URL segment:
// "Thành phần hồ sơ" → "thanh-phan-ho-so", "1256/QĐ-UBND" → "1256-qd-ubnd".
// Letters and digits are kept, every other run of characters becomes one
// hyphen. The result is at most 120 bytes and cut at a hyphen where possible.
func Slug(s string) string {
	f := FoldLower(s)
	var b strings.Builder
	b.Grow(len(f))
	hyphen := false
	for _, r := range f {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	out := b.String()
	const max = 120
	if len(out) > max {
		out = out[:max]
		if i := strings.LastIndexByte(out, '-'); i > max/2 {
			out = out[:i]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

// ValidUTF8Line reports the 1-based line of the first invalid UTF-8 byte in
// b, or 0 when b is valid.
func ValidUTF8Line(b []byte) int {
	if utf8.Valid(b) {
		return 0
	}
	line := 1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}

// Plain reports whether b is text that needs nothing done to it: valid
// UTF-8 (ValidUTF8Line is 0), without a control character (ControlIndex
// is -1; NUL is one) and already NFC by stableNFC's rule. It is the three
// checks in one pass over the bytes, decoding by hand only the runes
// stableNFC takes: a content file goes through all three on every import,
// and nearly every file passes them (h26-parse). When it is false, the
// checks one by one say which failed, and where.
func Plain(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		switch {
		case c >= 0xC2 && c <= 0xCB:
			// U+0080…U+02FF, but not the C1 controls U+0080…U+009F.
			if i+1 >= len(b) || b[i+1]&0xC0 != 0x80 || c == 0xC2 && b[i+1] < 0xA0 {
				return false
			}
			i += 2
		case c == 0xE1:
			// U+1E00…U+1EFF, Latin Extended Additional: E1 B8…BB xx.
			if i+2 >= len(b) || b[i+1] < 0xB8 || b[i+1] > 0xBB || b[i+2]&0xC0 != 0x80 {
				return false
			}
			i += 3
		case c == 0xE2:
			// U+2010…U+2027 (E2 80 90…A7), U+2030…U+205E (E2 80 B0…BF,
			// E2 81 80…9E).
			if i+2 >= len(b) {
				return false
			}
			c1, c2 := b[i+1], b[i+2]
			if !(c1 == 0x80 && (c2 >= 0x90 && c2 <= 0xA7 || c2 >= 0xB0 && c2 <= 0xBF) || c1 == 0x81 && c2 >= 0x80 && c2 <= 0x9E) {
				return false
			}
			i += 3
		default:
			return false
		}
	}
	return true
}
