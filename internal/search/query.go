package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"cchc/internal/vntext"
)

// Limits on what one query may ask for. Longer input is cut, not refused:
// a citizen who pastes a paragraph still gets results.
const (
	// MaxQueryRunes is the length of query text kept.
	MaxQueryRunes = 200
	// MaxTerms is the number of words (the words of phrases included) kept.
	MaxTerms = 16
)

// parsed is a query read into terms: each term is a word, or a phrase of
// several words, as folded lower-case tokens made only of letters and
// digits.
type parsed struct {
	// Text is the cleaned query, as shown back in the search box.
	Text  string
	Terms [][]string
	// Quoted is set when the user typed a phrase in quotes; the whole query
	// is then not tried as one phrase.
	Quoted bool
}

// Clean turns raw input into the query text kept: valid UTF-8, control
// characters (NUL included) as spaces, NFC, runs of space as one, at most
// MaxQueryRunes runes.
func Clean(s string) string {
	// Cut early so a huge input costs little; NFC never needs more than a
	// few runes past the cut.
	if len(s) > 4*MaxQueryRunes*utf8.UTFMax {
		s = s[:4*MaxQueryRunes*utf8.UTFMax]
	}
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = vntext.NFC(s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxQueryRunes {
		s = strings.TrimSpace(string([]rune(s)[:MaxQueryRunes]))
	}
	return s
}

// isQuote reports whether r opens or closes a phrase: the ASCII quote and
// the typographic ones phones type.
func isQuote(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '„'
}

// isWordRune reports whether r belongs to a token. FTS5's unicode61
// tokenizer also keeps letters and numbers and separates on everything
// else, so a token made of these runes is one token there too.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// tokens folds s (diacritics off, đ→d, lower case) and splits it into runs
// of letters and digits.
func tokens(s string) []string {
	folded, _ := tokenPairs(s)
	return folded
}

// tokenPairs splits s into tokens, folded and as typed (NFC, lower case).
// The fold keeps one rune for each rune of the NFC text (a stray combining
// mark becomes a space, as it does in the index), so both lists line up.
func tokenPairs(s string) (folded, typed []string) {
	orig := []rune(strings.ToLower(vntext.NFC(s)))
	fold := []rune(vntext.FoldKeepLength(string(orig)))
	if len(fold) != len(orig) {
		fold = orig
	}
	for i := 0; i < len(fold); {
		if !isWordRune(fold[i]) {
			i++
			continue
		}
		j := i
		for j < len(fold) && isWordRune(fold[j]) {
			j++
		}
		folded = append(folded, string(fold[i:j]))
		typed = append(typed, string(orig[i:j]))
		i = j
	}
	return folded, typed
}

// parse reads q into terms. Text between quotes is a phrase; outside
// quotes, each space-separated chunk is a word, or a phrase when it holds
// several tokens ("1256/QĐ-UBND", "9001:2015"). Operators, column filters,
// '*' and parentheses are only separators or letters here: nothing the
// user types is ever syntax.
func parse(q string) parsed {
	p := parsed{Text: Clean(q)}
	budget := MaxTerms
	seen := map[string]bool{}
	add := func(toks []string, quoted bool) {
		if len(toks) > budget {
			toks = toks[:budget]
		}
		if len(toks) == 0 {
			return
		}
		key := strings.Join(toks, " ")
		if seen[key] {
			return
		}
		seen[key] = true
		budget -= len(toks)
		p.Terms = append(p.Terms, toks)
		if quoted && len(toks) > 1 {
			p.Quoted = true
		}
	}
	var seg strings.Builder
	inside := false
	flush := func() {
		text := seg.String()
		seg.Reset()
		if inside {
			add(tokens(text), true)
			return
		}
		for _, chunk := range strings.Fields(text) {
			add(tokens(chunk), false)
		}
	}
	for _, r := range p.Text {
		if isQuote(r) {
			// An unclosed quote runs to the end of the query.
			flush()
			inside = !inside
			continue
		}
		seg.WriteRune(r)
	}
	flush()
	return p
}

// words maps every folded token of the query to the form the user typed
// when it carried diacritics, or to "" when it did not: "chuyển đổi số"
// gives chuyen→chuyển, doi→đổi, so→số. Highlighting uses it to prefer the
// letters typed ("số", not "sở") where the text has them.
func (p parsed) words() map[string]string {
	m := map[string]string{}
	f, t := tokenPairs(p.Text)
	for i := range f {
		typed := t[i]
		if typed == f[i] {
			typed = ""
		}
		if prev, ok := m[f[i]]; ok && (prev == "" || prev != typed) {
			typed = ""
		}
		m[f[i]] = typed
	}
	return m
}

// ftsString quotes s as an FTS5 string: inside double quotes, with any
// double quote doubled. Everything inside is text to FTS5, never syntax.
func ftsString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// matchAll is the MATCH expression for "every term": each term an FTS5
// phrase, joined with AND. It is "" when there is no term.
func (p parsed) matchAll() string {
	parts := make([]string, len(p.Terms))
	for i, t := range p.Terms {
		parts[i] = ftsString(strings.Join(t, " "))
	}
	return strings.Join(parts, " AND ")
}

// matchPhrase is the MATCH expression for the whole query as one phrase,
// which ranks first; "" when that would add nothing (one term, or phrases
// the user quoted).
func (p parsed) matchPhrase() string {
	if p.Quoted || len(p.Terms) < 2 {
		return ""
	}
	var all []string
	for _, t := range p.Terms {
		all = append(all, t...)
	}
	return ftsString(strings.Join(all, " "))
}
