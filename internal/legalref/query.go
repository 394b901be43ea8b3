package legalref

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"cchc/internal/vntext"
)

// query is what a search query says about a number: the leading number, a
// year, the abbreviation of a type word and the symbols, folded and in upper
// case.
type query struct {
	num, year string
	typ       string // abbreviation of a type word ("QD" for "quyết định")
	typed     bool   // a type word was present, even one without abbreviation
	syms      []string
}

// parseQuery reads the words of a search query.
func parseQuery(s string) (query, bool) {
	var q query
	toks, ok := queryTokens(s)
	if !ok {
		return q, false
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if isDigit(t[0]) {
			if q.num != "" || len(t) > maxDigits {
				return q, false
			}
			q.num = t
			if i+1 < len(toks) && isYear(toks[i+1]) {
				q.year = toks[i+1]
				i++
			}
			continue
		}
		if k, abbr := phraseAt(toks[i:]); k > 0 {
			q.typed = true
			if q.typ == "" {
				q.typ = abbr
			}
			i += k - 1
			continue
		}
		if t != strings.ToUpper(numberWord) {
			q.syms = append(q.syms, t)
		}
	}
	return q, q.num != ""
}

// key builds the key a query without type words spells out, if it names a
// whole number (see Key).
func (q query) key() (string, bool) {
	if q.typed || q.num == "" {
		return "", false
	}
	var k string
	switch {
	case q.year != "" && len(q.syms) >= 1:
		k = q.num + "/" + q.year + "/" + strings.Join(q.syms, "-")
	case len(q.syms) == 2 && partyIssuers[q.syms[1]]:
		k = q.num + "-" + q.syms[0] + "/" + q.syms[1]
	case len(q.syms) >= 2:
		k = q.num + "/" + strings.Join(q.syms, "-")
	default:
		return "", false
	}
	if !strict(k) {
		return "", false
	}
	return canonical(k), true
}

// pattern builds the GLOB pattern of a query (see Loose).
func (q query) pattern() string {
	syms := q.syms
	if q.typ != "" && (len(syms) == 0 || syms[0] != q.typ) {
		syms = append([]string{q.typ}, syms...)
	}
	var b strings.Builder
	b.WriteString(stripZeros(q.num))
	if q.year != "" {
		b.WriteString("/" + q.year + "/" + strings.Join(syms, "-") + "*")
		return b.String()
	}
	if len(syms) == 0 {
		b.WriteString("[-/]*")
		return b.String()
	}
	for i, s := range syms {
		if i < 2 {
			b.WriteString("[-/]")
		} else {
			b.WriteByte('-')
		}
		b.WriteString(s)
	}
	b.WriteByte('*')
	return b.String()
}

// queryTokens folds s, upper-cases it and splits it at spaces and
// punctuation into runs of ASCII digits and symbols (a letter, then letters,
// digits and '&'). Anything else makes the query unreadable.
func queryTokens(s string) ([]string, bool) {
	var toks []string
	for _, f := range strings.FieldsFunc(upper(vntext.Fold(s)), isQuerySeparator) {
		if !isDigit(f[0]) && !isSymbolToken(f) {
			return nil, false
		}
		if isDigit(f[0]) && digitsEnd(f, 0) != len(f) {
			return nil, false
		}
		toks = append(toks, f)
	}
	return toks, true
}

// isSymbolToken reports whether t is a letter followed by letters, digits
// and '&'.
func isSymbolToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsLetter(r) {
		return false
	}
	for _, r := range t {
		if r != '&' && !isWordRune(r) {
			return false
		}
	}
	return !strings.HasSuffix(t, "&")
}

// isQuerySeparator reports whether r separates the words of a query.
func isQuerySeparator(r rune) bool {
	return unicode.IsSpace(r) || r == '/' || isHyphen(r) || strings.ContainsRune(".,;:()\"'", r)
}

// isYear reports whether t is a year as numbers carry it: 19xx or 20xx.
func isYear(t string) bool {
	return len(t) == 4 && digitsEnd(t, 0) == 4 && (t[:2] == "19" || t[:2] == "20")
}

// upper upper-cases s rune by rune (no special casing), as keys are.
func upper(s string) string {
	return strings.Map(unicode.ToUpper, s)
}
