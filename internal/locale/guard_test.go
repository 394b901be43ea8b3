package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
)

// dataFiles may hold Vietnamese string literals: they are data or the
// domain's own words, matched or stored as written, not text for people
// (each says why in its own doc comment). Test files are never looked at:
// their strings are inputs and the expected words.
var dataFiles = []string{
	// Developer tools outside the binary (cmd/cchc's test keeps them out):
	// the corpus generator's word lists and its own usage.
	"bench/",
	// The test set-up the tests share (outside the product: only external
	// test packages import it); its strings are test data.
	"internal/testsupport/",
	// The values content files write and the store keeps: a document's
	// validity as the national legal database words it, a procedure's
	// online level and ways of submitting.
	"internal/content/vocabulary.go",
	// Words the JSON-LD looks for in data (an author that is a unit, an
	// issuer of the province); never shown.
	"internal/site/words.go",
	// The words CCHC_REQUIRE_REVIEW accepts for true and false.
	"internal/config/words.go",
	// The words an official list writes before a decision's number,
	// dropped when the report names the decision.
	"internal/progress/words.go",
}

// dataFields are the fields of the content schema's rows whose values are
// data a content file writes, not labels: an example value (documentation
// and the round-trip test's input) and the values the form suggests.
var dataFields = []string{"Example", "Suggest"}

// vietnamese reports whether s holds a letter only Vietnamese among the
// column's languages writes: a vowel with a Vietnamese mark, đ or Đ, or
// one of the combining marks (text not in NFC).
func vietnamese(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		switch {
		case r == 'đ' || r == 'Đ':
			return true
		case r >= 0x0300 && r <= 0x0323:
			return slices.Contains([]rune{0x0300, 0x0301, 0x0302, 0x0303, 0x0306, 0x0309, 0x031B, 0x0323}, r)
		case r >= 0x1EA0 && r <= 0x1EF9: // Latin Extended Additional: ạ…ỹ
			return true
		}
		return strings.ContainsRune("àáâãèéêìíòóôõùúýăĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯ", r)
	})
}

// howToFix is the end of every message of the guard.
const howToFix = "put the words in internal/locale/vi.json as \"area.name\": \"…\" (keys sorted) and write locale.T(\"area.name\") in Go or {{t \"area.name\"}} in a template (see package locale); data that is not text for people goes in a file of dataFiles in internal/locale/guard_test.go, with the reason"

// TestNoVietnameseOutsideCatalogue is the guard: no string literal of the
// module's Go code outside dataFiles and dataFields, and no text of a
// theme template outside a {{t}} call, holds Vietnamese.
func TestNoVietnameseOutsideCatalogue(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	var problems []string
	sources(t, root, ".go", func(rel, path string) {
		if strings.HasSuffix(rel, "_test.go") || slices.ContainsFunc(dataFiles, func(d string) bool {
			return rel == d || strings.HasSuffix(d, "/") && strings.HasPrefix(rel, d)
		}) {
			return
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && slices.Contains(dataFields, id.Name) {
					return false
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && vietnamese(s) {
					problems = append(problems, rel+":"+strconv.Itoa(fset.Position(n.Pos()).Line)+": Vietnamese text in Go, "+short(s))
				}
			}
			return true
		})
	})
	templates(t, root, func(rel string, tree *parse.Tree) {
		walk(tree.Root, func(n parse.Node) {
			var s string
			switch n := n.(type) {
			case *parse.TextNode:
				s = string(n.Text)
			case *parse.StringNode:
				s = n.Text
			default:
				return
			}
			if vietnamese(s) {
				loc, _ := tree.ErrorContext(n)
				problems = append(problems, rel+":"+strings.Split(loc, ":")[1]+": Vietnamese text in a template, "+short(strings.TrimSpace(s)))
			}
		})
	})
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		t.Log(howToFix)
	}
}

// short quotes the start of s for a message.
func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return strconv.Quote(s)
}

func TestVietnamese(t *testing.T) {
	for s, want := range map[string]bool{
		"Tin tức": true, "đ": true, "Đ": true, "ư": true, "Cải cách": true,
		"e\u0301": true, // NFD é
		"Tin tuc": false, "café": true, "naïve": false, "ASCII only": false, "–…“”": false,
	} {
		if got := vietnamese(s); got != want {
			t.Errorf("vietnamese(%q) = %v, want %v", s, got, want)
		}
	}
}
