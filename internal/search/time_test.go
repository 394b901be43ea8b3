package search_test

import (
	"context"
	"fmt"
	"testing"

	"cchc/internal/content"
	"cchc/internal/fuzztime"
	"cchc/internal/search"
)

// FuzzSearchTime fails when a search typed as fuzztime.Size bytes (the
// fuzzed middle repeated between the fuzzed prefix and suffix) takes longer
// than fuzztime.Bound over the demo content's index, facets and snippets
// included: what anyone may type into the public search box.
func FuzzSearchTime(f *testing.F) {
	for _, s := range [][3]string{
		{"", "cai cach ", ""},
		{"", `"a `, ""},
		{"", `"`, ""},
		{"", "a OR b AND NOT c NEAR(d) ", ""},
		{"", "* ", ""},
		{"", "1 ", ""},
		{"", "1256/QĐ-UBND ", ""},
		{"", "qđ 1256 ", ""},
		{"", "1/", ""},
		{"", "a b c d e f g h i j k l m n o p q ", ""},
		{"", "thủ tục hành chính ", ""},
		{"", "\u0301", ""},
		{"", "“đường dây nóng” ", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	env := openEnv(f)
	f.Fuzz(func(t *testing.T, prefix, middle, suffix string) {
		q := fuzztime.Input(prefix, middle, suffix)
		fuzztime.Check(t, fmt.Sprintf("Search(%q + %q… + %q)", prefix, middle, suffix), func() {
			for _, k := range []content.Kind{"", content.Procedure} {
				if _, err := env.Search.Search(context.Background(), search.Query{Text: q, Kind: k, Now: testNow, Limit: 20}); err != nil {
					t.Fatalf("Search: %v", err)
				}
			}
		})
	})
}
