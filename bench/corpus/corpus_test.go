package corpus_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"cchc/bench/corpus"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// treeHash hashes every file's path and bytes under dir, in walk order
// (lexical), so two trees hash alike only when they are byte-identical.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(filepath.ToSlash(rel) + "\x00"))
		h.Write(b)
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// countWords counts the tokens of text that hold a letter or a digit, so
// Markdown syntax ("|", "-", "##") is not counted.
func countWords(text string) int {
	n := 0
	for _, f := range strings.Fields(text) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

func generate(t *testing.T, n int, seed int64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.Generate(dir, n, seed); err != nil {
		t.Fatalf("Generate(%d, %d): %v", n, seed, err)
	}
	return dir
}

func TestGenerateDeterministic(t *testing.T) {
	a := treeHash(t, generate(t, 80, 7))
	if b := treeHash(t, generate(t, 80, 7)); a != b {
		t.Errorf("same (n, seed) gave different trees: %s vs %s", a, b)
	}
	if c := treeHash(t, generate(t, 80, 8)); a == c {
		t.Errorf("a different seed gave the same tree %s", a)
	}
}

func TestGenerateRefuses(t *testing.T) {
	nonEmpty := t.TempDir()
	if err := os.WriteFile(filepath.Join(nonEmpty, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dir  string
		n    int
		want string
	}{
		{"too few items", filepath.Join(t.TempDir(), "c"), corpus.MinItems - 1, "cần ít nhất"},
		{"non-empty folder", nonEmpty, 50, "thư mục không trống"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := corpus.Generate(tc.dir, tc.n, 1)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Generate = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestGenerateShape checks every file: kinds in the right proportions,
// NFC text, bodies of 400–1,500 words with headings, and the tables and
// lists the issue asks for.
func TestGenerateShape(t *testing.T) {
	const n = 200
	dir := generate(t, n, 3)
	want := corpus.Split(n)
	for _, tc := range []struct {
		kind  content.Kind
		count int
	}{
		{content.Article, want.Articles},
		{content.Procedure, want.Procedures},
		{content.Document, want.Documents},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			entries, err := os.ReadDir(filepath.Join(dir, tc.kind.Dir()))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != tc.count {
				t.Errorf("%d files, want %d", len(entries), tc.count)
			}
			tables, lists := 0, 0
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(dir, tc.kind.Dir(), e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				text := string(b)
				if vntext.NFC(text) != text {
					t.Errorf("%s: not NFC", e.Name())
				}
				it, err := content.Parse(e.Name(), tc.kind, b)
				if err != nil {
					t.Fatalf("%s: %v", e.Name(), err)
				}
				if words := countWords(it.Body); words < 400 || words > 1500 {
					t.Errorf("%s: body of %d words, want 400–1,500", e.Name(), words)
				}
				if !strings.Contains(it.Body, "\n## ") && !strings.HasPrefix(it.Body, "## ") {
					t.Errorf("%s: no ## heading", e.Name())
				}
				if strings.Contains(it.Body, "|---|") {
					tables++
				}
				if strings.Contains(it.Body, "\n- ") || strings.Contains(it.Body, "\n1. ") {
					lists++
				}
				if strings.TrimSuffix(e.Name(), ".md") != vntext.Slug(strings.TrimSuffix(e.Name(), ".md")) {
					t.Errorf("%s: file name is not a slug", e.Name())
				}
			}
			if tables == 0 || lists == 0 {
				t.Errorf("%d files with tables and %d with lists; want some of each", tables, lists)
			}
		})
	}
	plans, err := os.ReadDir(filepath.Join(dir, "plans"))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(plans); got != corpus.LastYear-corpus.FirstYear+1 {
		t.Errorf("%d plans, want one a year %d–%d", got, corpus.FirstYear, corpus.LastYear)
	}
}

// TestGenerateImports imports a generated tree with the real importer: no
// file fails, and every legal reference resolves except those cited on
// purpose with corpus.MissingSymbol.
func TestGenerateImports(t *testing.T) {
	const n = 300
	dir := generate(t, n, 11)
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, time.June, 1, 9, 0, 0, 0, vntext.Zone) }
	env := testsupport.Open(t, config.Defaults, clock)
	res, err := env.Publish.Import(ctx, os.DirFS(dir), "content")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Errorf("import error: %v", e)
	}
	years := corpus.LastYear - corpus.FirstYear + 1
	if res.Failed != 0 || res.Added != n+years {
		t.Errorf("added %d, failed %d; want %d added (items and plans), 0 failed", res.Added, res.Failed, n+years)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, corpus.MissingSymbol) {
			t.Errorf("unexpected warning: %v", w)
		}
	}
	var resolved, unresolved, missingOnPurpose int
	rows, err := env.DB.Read.QueryContext(ctx, `SELECT key, state FROM item_refs`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	missingKey := strings.ReplaceAll(corpus.MissingSymbol, "Đ", "D")
	for rows.Next() {
		var key, state string
		if err := rows.Scan(&key, &state); err != nil {
			t.Fatal(err)
		}
		switch {
		case state != "":
			resolved++
		case strings.HasSuffix(key, "/"+missingKey):
			missingOnPurpose++
		default:
			unresolved++
			t.Errorf("reference %s does not resolve", key)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if resolved < n || missingOnPurpose == 0 {
		t.Errorf("%d resolved references, %d missing on purpose; want at least %d resolved and some missing", resolved, missingOnPurpose, n)
	}
}
