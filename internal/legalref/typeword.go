package legalref

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"cchc/internal/vntext"
)

// typeWords maps the type words that introduce a number, folded and in lower
// case, to the abbreviation that numbers of that type carry ("" when they
// carry none, as for laws and công văn).
var typeWords = map[string]string{
	"nghi quyet":           "NQ",
	"nghi quyet lien tich": "NQLT",
	"nghi dinh":            "ND",
	"quyet dinh":           "QD",
	"quy dinh":             "QDI",
	"ke hoach":             "KH",
	"cong van":             "",
	"cong dien":            "CD",
	"thong tu":             "TT",
	"thong tu lien tich":   "TTLT",
	"huong dan":            "HD",
	"luat":                 "",
	"bo luat":              "",
	"phap lenh":            "",
	"chi thi":              "CT",
	"thong bao":            "TB",
	"to trinh":             "TTR",
	"bao cao":              "BC",
	"ket luan":             "KL",
	"chuong trinh":         "CTR",
	"de an":                "DA",
	"van ban":              "",
	"van ban hop nhat":     "VBHN",
}

// maxTypeWords is the number of words of the longest entry of typeWords.
const maxTypeWords = 4

// numberWord is "số" ("number") folded, which may follow a type word.
const numberWord = "so"

// typeWordSuffixes holds every trailing run of words of the entries of
// typeWords ("dinh", "quyet dinh", "tich", "lien tich"…), so that the search
// backwards from a number stops at the first word that cannot belong to one.
var typeWordSuffixes = func() map[string]bool {
	m := make(map[string]bool)
	for tw := range typeWords {
		words := strings.Fields(tw)
		for i := range words {
			m[strings.Join(words[i:], " ")] = true
		}
	}
	return m
}()

// maxWordBytes bounds the bytes of one word of a type word, even in NFD
// ("chương", "quyết"), so that long words are never folded.
const maxWordBytes = 24

// typeWordBefore returns where the type word (and the "số" after it, if any)
// that introduces the number at start begins, looking no further back than
// floor. It walks back word by word and stops at the first word that cannot
// be part of a type word, so most numbers cost one or two folds.
func typeWordBefore(text string, start, floor int) (int, bool) {
	pos, phrase, found := start, "", -1
	for {
		w, ok := wordBefore(text, pos, floor)
		if !ok {
			break
		}
		word := foldWord(text[w.start:w.end])
		if pos == start && word == numberWord {
			pos = w.start
			continue
		}
		pos = w.start
		if phrase != "" {
			word += " " + phrase
		}
		if !typeWordSuffixes[word] {
			break
		}
		phrase = word
		if _, ok := typeWords[phrase]; ok {
			found = w.start
		}
	}
	return found, found >= 0
}

// wordBefore returns the word (a run of letters) that ends before the
// horizontal space that ends at pos, if it lies after floor.
func wordBefore(text string, pos, floor int) (span, bool) {
	e := pos
	for e > floor {
		r, size := utf8.DecodeLastRuneInString(text[floor:e])
		if !isHSpace(r) {
			break
		}
		e -= size
	}
	b := e
	for b > floor {
		r, size := utf8.DecodeLastRuneInString(text[floor:b])
		if !isLetterOrMark(r) {
			break
		}
		b -= size
	}
	return span{b, e}, e < pos && b < e
}

// stripTypeWord removes a leading type word, "số" and ':' from a number typed
// on its own ("Quyết định số 1256/QĐ-UBND", "Số: 12/BC-SKHCN").
func stripTypeWord(s string) string {
	var words []string
	var ends []int
	for p := 0; len(words) < maxTypeWords+1; {
		e := p
		for e < len(s) {
			r, size := utf8.DecodeRuneInString(s[e:])
			if !isLetterOrMark(r) {
				break
			}
			e += size
		}
		if e == p {
			break
		}
		words = append(words, foldWord(s[p:e]))
		ends = append(ends, e)
		p = skipAllHSpace(s, e)
	}
	n, _ := phraseAt(words)
	if n < len(words) && words[n] == numberWord {
		n++
	}
	if n == 0 {
		return s
	}
	rest := strings.TrimLeftFunc(s[ends[n-1]:], isHSpace)
	rest = strings.TrimPrefix(rest, ":")
	return strings.TrimLeftFunc(rest, isHSpace)
}

// phraseAt returns the number of words of the longest type word at the start
// of words (folded, any case) and its abbreviation; 0 when there is none.
func phraseAt(words []string) (int, string) {
	for k := min(len(words), maxTypeWords); k > 0; k-- {
		if abbr, ok := typeWords[strings.ToLower(strings.Join(words[:k], " "))]; ok {
			return k, abbr
		}
	}
	return 0, ""
}

// foldWord folds a word for lookup in typeWords; a word too long to be part
// of a type word gives "".
func foldWord(w string) string {
	if len(w) > maxWordBytes {
		return ""
	}
	return strings.ToLower(vntext.Fold(w))
}

// skipAllHSpace skips every horizontal space from p.
func skipAllHSpace(s string, p int) int {
	for p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		if !isHSpace(r) {
			break
		}
		p += size
	}
	return p
}

// trimHSpaceRight removes trailing horizontal spaces.
func trimHSpaceRight(s string) string {
	return strings.TrimRightFunc(s, isHSpace)
}

// isLetterOrMark reports whether r is part of a word of a type name.
func isLetterOrMark(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}
