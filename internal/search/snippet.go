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

// span is one token of a text, in bytes of the NFC text; hit when it is
// marked.
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
// "đường dây nóng". The text is folded a rune at a time as it is read,
// and a token is looked up only when it is as long as a word of the
// query: a body of 6 KB is read once, without a copy as runes (each of the
// ten hits of a page has one).
func mark(s string, words map[string]string, window int) (template.HTML, bool) {
	orig := vntext.NFC(s)
	lengths := map[int]bool{}
	for w := range words {
		lengths[utf8.RuneCountInString(w)] = true
	}
	// spans are every token; matched the ones that are words of the
	// query (few), with the word and its typed form.
	type match struct {
		tok       int
		key, want string
	}
	spans := make([]span, 0, len(orig)/6)
	var matched []match
	key := make([]byte, 0, 64)
	exact := map[string]bool{} // folded words seen as typed, diacritics included
	inTok, start, runes, n := false, 0, 0, 0
	end := func(at int) {
		if lengths[runes] {
			if want, ok := words[string(key)]; ok {
				m := match{tok: len(spans), key: string(key), want: want}
				matched = append(matched, m)
				if want != "" && strings.ToLower(orig[start:at]) == want {
					exact[m.key] = true
				}
			}
		}
		spans = append(spans, span{start: start, end: at})
		inTok = false
	}
	cut := len(orig)
	for i, r := range orig {
		if window > 0 && n == maxSnippetScan {
			// A match past this point shows no snippet: scanning a long
			// body for each of the hits would cost more than the search.
			cut = i
			break
		}
		n++
		f := unicode.ToLower(vntext.FoldRuneKeepLength(r)) // one rune for one rune
		if !isWordRune(f) {
			if inTok {
				end(i)
			}
			continue
		}
		if !inTok {
			inTok, start, runes, key = true, i, 0, key[:0]
		}
		runes++
		key = utf8.AppendRune(key, f)
	}
	if inTok {
		end(cut)
	}
	orig = orig[:cut]
	found := false
	for _, m := range matched {
		// A word typed with diacritics marks only its own spelling when
		// the text has it, and any spelling when it does not.
		t := &spans[m.tok]
		t.hit = m.want == "" || !exact[m.key] || strings.ToLower(orig[t.start:t.end]) == m.want
		found = found || t.hit
	}
	from, to := 0, len(orig)
	first, last := 0, len(spans)
	if window > 0 {
		if !found {
			return "", false
		}
		first, last = densest(spans, window)
		if first > 0 {
			from = spans[first].start
		}
		if last < len(spans) {
			to = spans[last-1].end
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos := from
	for _, t := range spans[first:last] {
		if !t.hit {
			continue
		}
		b.WriteString(template.HTMLEscapeString(orig[pos:t.start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(orig[t.start:t.end]))
		b.WriteString("</mark>")
		pos = t.end
	}
	b.WriteString(template.HTMLEscapeString(orig[pos:to]))
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
