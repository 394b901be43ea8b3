// Package queries makes the search queries the benchmark sends: realistic,
// distinct, each asked once, drawn from a content tree's own vocabulary and
// document numbers, so that no answer can come from a page cache and the
// hard cases (a word in nearly every item) are in the set in the
// proportion a citizen would type them.
//
// The vocabulary is read from a sample of the tree's files (titles and
// bodies, tokenized as the search tokenizes: runs of letters and digits,
// lower case); each word's document frequency in the sample sorts it into
// common (in at least a third of the items), middling, or rare (at most
// 1 item in 200). Phrases of 2–4 words are cut from titles, as people copy
// them. Document numbers come from every document's front matter and
// procedure codes from every procedure's, typed in the forms the search
// accepts (1256/QĐ-UBND, 1256 qd ubnd, qđ 1256). About half of every class
// is sent without diacritics.
package queries

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"cchc/internal/vntext"
)

// Query is one query of the set and the class it was drawn from.
type Query struct {
	Text  string
	Class string // common, middling, rare, phrase, number, code
}

// Classes lists the classes in report order.
var Classes = []string{"common", "middling", "rare", "phrase", "number", "code"}

// share is how many queries of every 100 each class gets.
var share = map[string]int{"common": 20, "middling": 20, "rare": 15, "phrase": 25, "number": 15, "code": 5}

// sampleFiles is how many item files the vocabulary is read from.
const sampleFiles = 3000

// FromTree returns n distinct queries (fewer only when the tree is too
// small to give them) drawn from the content tree at dir, the same ones
// for the same tree, n and seed.
func FromTree(dir string, n int, seed int64) ([]Query, error) {
	files, err := itemFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("queries: no item in %s", dir)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 18))
	v := &vocab{df: map[string]int{}}
	step := max(1, len(files)/sampleFiles)
	for i := 0; i < len(files); i += step {
		if err := v.read(files[i].path, files[i].kind); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if f.kind == "documents" || f.kind == "procedures" {
			if err := v.readKeys(f.path, f.kind); err != nil {
				return nil, err
			}
		}
	}
	pools := v.pools()

	seen := map[string]bool{}
	var out []Query
	add := func(text, class string) bool {
		text = strings.TrimSpace(text)
		if text == "" || seen[strings.ToLower(text)] {
			return false
		}
		seen[strings.ToLower(text)] = true
		out = append(out, Query{Text: text, Class: class})
		return true
	}
	for _, class := range Classes {
		want := n * share[class] / 100
		pool := pools[class]
		for tries := 0; want > 0 && len(pool) > 0 && tries < 50*want+100; tries++ {
			q := make1(r, class, pool)
			if r.IntN(2) == 0 {
				q = vntext.Fold(q)
			}
			if add(q, class) {
				want--
			}
		}
	}
	// Rounding leaves a few to fill, from phrases (the largest pool).
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		class := Classes[r.IntN(len(Classes))]
		if len(pools[class]) > 0 {
			add(make1(r, class, pools[class]), class)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// make1 draws one query of class from its pool.
func make1(r *rand.Rand, class string, pool []string) string {
	pick := func() string { return pool[r.IntN(len(pool))] }
	switch class {
	case "common", "middling":
		// One or two words, as people type a subject.
		if r.IntN(3) == 0 {
			return pick() + " " + pick()
		}
		return pick()
	case "rare":
		return pick()
	case "number":
		num := pick()
		switch r.IntN(4) {
		case 0:
			return num
		case 1: // 1256 qd ubnd
			return strings.Join(strings.FieldsFunc(vntext.FoldLower(num), func(r rune) bool { return !isWord(r) }), " ")
		case 2: // qđ 1256
			digits, sym, _ := strings.Cut(num, "/")
			if i := strings.LastIndexByte(sym, '/'); i >= 0 {
				sym = sym[i+1:]
			}
			first, _, _ := strings.Cut(sym, "-")
			return strings.ToLower(first) + " " + digits
		default: // lower case, as typed on a phone
			return strings.ToLower(num)
		}
	case "code":
		c := pick()
		if r.IntN(2) == 0 {
			if head, _, ok := strings.Cut(c, ".000"); ok {
				return head
			}
		}
		return c
	default: // phrase: 2–4 consecutive words of a title
		words := strings.Fields(pick())
		k := 2 + r.IntN(3)
		if len(words) <= k {
			return strings.Join(words, " ")
		}
		i := r.IntN(len(words) - k + 1)
		return strings.Join(words[i:i+k], " ")
	}
}

type file struct{ path, kind string }

// itemFiles lists the Markdown files of the tree's three item folders, in
// a fixed order.
func itemFiles(dir string) ([]file, error) {
	var out []file
	for _, kind := range []string{"articles", "procedures", "documents"} {
		entries, err := os.ReadDir(filepath.Join(dir, kind))
		if err != nil {
			return nil, fmt.Errorf("queries: %w", err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".md") {
				out = append(out, file{filepath.Join(dir, kind, e.Name()), kind})
			}
		}
	}
	slices.SortFunc(out, func(a, b file) int { return strings.Compare(a.path, b.path) })
	return out, nil
}

// vocab is what was read of the tree.
type vocab struct {
	docs   int
	df     map[string]int // lower-case word → files holding it
	titles []string
	keys   map[string][]string // numbers, codes
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// read adds one item file to the vocabulary.
func (v *vocab) read(path, kind string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("queries: %w", err)
	}
	front, body := split(b)
	title := field(front, "title")
	if title != "" { // a document's title is its extract, which reads like one
		v.titles = append(v.titles, title)
	}
	v.docs++
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(vntext.NFC(title+" "+string(body))), func(r rune) bool { return !isWord(r) }) {
		if !seen[w] {
			seen[w] = true
			v.df[w]++
		}
	}
	return nil
}

// readKeys adds a document's number or a procedure's code.
func (v *vocab) readKeys(path, kind string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("queries: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	name := "number"
	if kind == "procedures" {
		name = "code"
	}
	if v.keys == nil {
		v.keys = map[string][]string{}
	}
	for i := 0; sc.Scan() && i < 40; i++ {
		if val, ok := strings.CutPrefix(sc.Text(), name+": "); ok {
			v.keys[name] = append(v.keys[name], strings.Trim(val, `"`))
			break
		}
	}
	return sc.Err()
}

// pools sorts the vocabulary into the classes' pools.
func (v *vocab) pools() map[string][]string {
	p := map[string][]string{"phrase": v.titles, "number": v.keys["number"], "code": v.keys["code"]}
	words := make([]string, 0, len(v.df))
	for w := range v.df {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		if len([]rune(w)) < 2 || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue // numbers alone ("2.941" is two tokens) and single letters
		}
		df := v.df[w]
		switch {
		case 3*df >= v.docs:
			p["common"] = append(p["common"], w)
		case 200*df <= v.docs:
			p["rare"] = append(p["rare"], w)
		default:
			p["middling"] = append(p["middling"], w)
		}
	}
	return p
}

// split cuts a Markdown file into its front matter and body.
func split(b []byte) (front, body []byte) {
	rest, ok := bytes.CutPrefix(b, []byte("---\n"))
	if !ok {
		return nil, b
	}
	front, body, ok = bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return nil, b
	}
	return front, body
}

// field is a scalar of the front matter, unquoted.
func field(front []byte, name string) string {
	for line := range strings.Lines(string(front)) {
		if v, ok := strings.CutPrefix(line, name+": "); ok {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}
