package queries_test

import (
	"slices"
	"strings"
	"testing"

	"cchc/bench/corpus"
	"cchc/bench/queries"
	"cchc/internal/vntext"
)

// TestFromTree: the set has as many distinct queries as asked, every
// class, about half without diacritics, document numbers of the tree, and
// is the same for the same tree and seed.
func TestFromTree(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 400, 1); err != nil {
		t.Fatal(err)
	}
	qs, err := queries.FromTree(dir, 400, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 400 {
		t.Fatalf("%d queries, want 400", len(qs))
	}
	seen := map[string]bool{}
	classes := map[string]int{}
	plain := 0
	for _, q := range qs {
		k := strings.ToLower(q.Text)
		if seen[k] {
			t.Errorf("query %q twice", q.Text)
		}
		seen[k] = true
		classes[q.Class]++
		if vntext.Fold(q.Text) == q.Text {
			plain++
		}
		if n := len(strings.Fields(q.Text)); n < 1 || n > 4 && q.Class != "number" {
			t.Errorf("%q: %d words", q.Text, n)
		}
	}
	for _, c := range queries.Classes {
		if classes[c] == 0 {
			t.Errorf("no query of class %s: %v", c, classes)
		}
	}
	if plain < 100 || plain > 300 {
		t.Errorf("%d of 400 queries without diacritics", plain)
	}
	again, err := queries.FromTree(dir, 400, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(qs, again) {
		t.Error("another set from the same tree and seed")
	}
}
