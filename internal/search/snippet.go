package search

import (
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

const (
	// snippetWords is the length of a body snippet, in words.
	snippetWords = 32
	// maxSnippetScan is how far into a body a snippet is looked for, in
	// runes.
	maxSnippetScan = 20000
)

// newHit highlights the words of the query in the title, summary and body.
func newHit(it *store.Item, words map[string]string) Hit {
	title, summary := it.Designation(), it.Summary
	if it.Kind == content.Document {
		summary = it.Title // a document's title is its extract
	}
	h := Hit{Item: it}
	h.Title, _ = mark(title, words, 0)
	h.Summary, _ = mark(summary, words, 0)
	if s, ok := mark(it.Text, words, snippetWords); ok {
		h.Snippet = s
	}
	return h
}

// span is one token of a text, in runes.
type span struct {
	start, end int
	hit        bool
}

// mark returns s HTML-escaped with every word of the query in <mark>, and
// whether any was. With window > 0 it returns only about window words
// around the densest run of matches, with "…" where text was cut.
//
// Matching runs on the folded text, which after NFC has exactly one rune
// for each rune of the original, so the marks land on the original
// Vietnamese with its diacritics: the query "duong day nong" marks
// "đường dây nóng".
func mark(s string, words map[string]string, window int) (template.HTML, bool) {
	orig := []rune(vntext.NFC(s))
	if window > 0 && len(orig) > maxSnippetScan {
		// A match past this point shows no snippet: scanning a long body
		// for each of the hits would cost more than the search.
		orig = orig[:maxSnippetScan]
	}
	folded := []rune(vntext.FoldKeepLength(string(orig)))
	if len(folded) != len(orig) {
		// Cannot happen after NFC; never mark the wrong letters if it does.
		folded = append([]rune(nil), orig...)
	}
	for i, r := range folded {
		folded[i] = unicode.ToLower(r) // one rune for one rune, unlike strings.ToLower
	}
	lengths := map[int]bool{}
	for w := range words {
		lengths[utf8.RuneCountInString(w)] = true
	}
	var toks []span
	var keys []string
	for i := 0; i < len(folded); {
		if !isWordRune(folded[i]) {
			i++
			continue
		}
		j := i
		for j < len(folded) && isWordRune(folded[j]) {
			j++
		}
		key := ""
		if lengths[j-i] {
			key = string(folded[i:j])
		}
		toks = append(toks, span{start: i, end: j})
		keys = append(keys, key)
		i = j
	}
	exact := map[string]bool{} // folded words seen as typed, diacritics included
	for k, t := range toks {
		if want := words[keys[k]]; want != "" && strings.ToLower(string(orig[t.start:t.end])) == want {
			exact[keys[k]] = true
		}
	}
	found := false
	for k, t := range toks {
		want, ok := words[keys[k]]
		// A word typed with diacritics marks only its own spelling when
		// the text has it, and any spelling when it does not.
		toks[k].hit = ok && (want == "" || !exact[keys[k]] || strings.ToLower(string(orig[t.start:t.end])) == want)
		found = found || toks[k].hit
	}
	from, to := 0, len(orig)
	first, last := 0, len(toks)
	if window > 0 {
		if !found {
			return "", false
		}
		first, last = densest(toks, window)
		if first > 0 {
			from = toks[first].start
		}
		if last < len(toks) {
			to = toks[last-1].end
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos := from
	for _, t := range toks[first:last] {
		if !t.hit {
			continue
		}
		b.WriteString(template.HTMLEscapeString(string(orig[pos:t.start])))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(string(orig[t.start:t.end])))
		b.WriteString("</mark>")
		pos = t.end
	}
	b.WriteString(template.HTMLEscapeString(string(orig[pos:to])))
	if to < len(orig) {
		b.WriteString(" …")
	}
	return template.HTML(b.String()), found
}

// densest picks the window of n tokens holding the most matches, started a
// few words before its first match so the match has some context.
func densest(toks []span, n int) (first, last int) {
	best, bestAt, count := -1, 0, 0
	for i := range toks {
		if toks[i].hit {
			count++
		}
		if i >= n && toks[i-n].hit {
			count--
		}
		if start := max(0, i-n+1); count > best {
			best, bestAt = count, start
		}
	}
	for i := bestAt; i < len(toks) && i < bestAt+n; i++ {
		if toks[i].hit {
			bestAt = max(0, i-min(4, n/3))
			break
		}
	}
	return bestAt, min(len(toks), bestAt+n)
}
