package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cchc/internal/fuzztime"
)

// slowBound is how long parsing a hostile front matter may take in these
// tests: generous for a loaded machine, where each of them took from 3 s to
// hours before the shape was checked (see docs/RELIABILITY.md, "Bounded
// work").
const slowBound = 2 * time.Second

// TestFrontMatterShapeRefused: front matter nested too deeply or with too
// many keys is refused with a message naming the limit, on the line where
// it passes it, at once.
func TestFrontMatterShapeRefused(t *testing.T) {
	const deep = "phần khai báo lồng nhau quá 16 cấp (giới hạn 16 cấp; mỗi trường chỉ cần một giá trị hoặc một danh sách)"
	const many = "phần khai báo có quá 200 tên trường (giới hạn 200)"
	const blank = "có quá 50 dòng trống liền nhau (giới hạn 50); hãy xóa bớt các dòng trống"
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: v\n", i)
		}
		return b.String()
	}
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat(" ", i) + "a:\n")
		}
		return b.String()
	}
	tests := []struct {
		name, front string
		line        int
		msg         string
	}{
		{"flow [[[ (16 s for 64 KiB before)", "title: " + strings.Repeat("[", 300000) + strings.Repeat("]", 300000) + "\n", 2, deep},
		{"flow {a: {a:", "title: " + strings.Repeat("{a: ", 100000) + "1" + strings.Repeat("}", 100000) + "\n", 2, deep},
		{"compact - - - (3.3 s for 64 KiB before)", "title: x\ntags:\n" + strings.Repeat("- ", 300000) + "a\n", 4, deep},
		{"? ? ?", strings.Repeat("? ", 300000) + "\n", 2, deep},
		{"- inside a flow collection", "title: [\n" + strings.Repeat("- ", 300000) + "\n]\n", 3, deep},
		{"nested by indentation", "title: x\ntags:\n" + indented(1000), 20, deep},
		{"100,000 keys (19 s for 1 MiB before)", "title: x\n" + keys(100000), 202, many},
		{"keys of a nested mapping", "title: x\ntags:\n" + strings.ReplaceAll(keys(50000), "k", "  k"), 202, many},
		{"blank lines ending a block scalar (9 s for 64 KiB before)", "title: x\nsummary: |\n" + strings.Repeat(" \n", 40000), 54, blank},
		{"blank lines with tabs and CRs", "title: x\nsummary: >\n  a\n" + strings.Repeat("\t \r\n", 40000) + "author: y\n", 55, blank},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte("---\n" + tt.front + "---\nThân bài.\n")
			start := time.Now()
			_, err := Parse("content/articles/x.md", Article, data)
			took := time.Since(start)
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("Parse: %v, want one error", err)
			}
			if errs[0].Line != tt.line || errs[0].Msg != tt.msg {
				t.Errorf("got %d: %s\nwant %d: %s", errs[0].Line, errs[0].Msg, tt.line, tt.msg)
			}
			if took > slowBound {
				t.Errorf("%d bytes took %v (bound %v)", len(data), took, slowBound)
			}
			t.Logf("%d bytes refused in %v", len(data), took.Round(time.Millisecond))
		})
	}
}

// TestFrontMatterShapeKeepsRealFiles: what items really hold is never
// mistaken for deep nesting: block scalars with indented text, quoted
// values with brackets and dashes, flow lists, comments.
func TestFrontMatterShapeKeepsRealFiles(t *testing.T) {
	src := "---\n" +
		"title: \"Thủ tục [cấp tỉnh] - bước 1: nộp hồ sơ {mẫu 01}\"\n" +
		"code: 1.001612.000.00.00.H48\n" +
		"summary: |\n" + strings.Repeat("        - - - - - - - - - - - - - - - - - - [[[[[[[[[[[[[[[[[[\n", 3) +
		"applicants: 'Tổ chức: cá nhân [[[[[[[[[[[[[[[[[[ ''trích'' - - - - - - - - - - - - - - - - - -'\n" +
		"legal_basis: [1256/QĐ-UBND, \"42/2022/NĐ-CP\"]  # [[[[[[[[[[[[[[[[[[ chú thích\n" +
		"fee: Không thu phí [[[[[[[[[[[[[[[[[[\n" +
		"submission:\n  - trực tiếp\n  - trực tuyến\n" +
		"---\nThân bài.\n"
	it, err := Parse("content/procedures/x.md", Procedure, []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !strings.Contains(it.Summary, "- - -") || len(it.LegalBasis) != 2 || len(it.Submission) != 2 {
		t.Errorf("parsed %+v", it)
	}
	// As many blank lines in a row as allowed, twice.
	gaps := "---\ntitle: T\n" + strings.Repeat("\n", MaxBlankLines) + "summary: |\n  a\n" + strings.Repeat("  \n", MaxBlankLines) + "author: b\n---\n"
	it, err = Parse("content/articles/x.md", Article, []byte(gaps))
	if err != nil {
		t.Fatalf("Parse with %d blank lines in a row: %v", MaxBlankLines, err)
	}
	if it.Summary != "a" || it.Author != "b" {
		t.Errorf("parsed summary %q, author %q", it.Summary, it.Author)
	}
}

// FuzzParseTime fails when parsing a file of fuzztime.Size bytes (the
// fuzzed middle repeated between the fuzzed prefix and suffix) takes
// longer than fuzztime.Bound.
func FuzzParseTime(f *testing.F) {
	for _, s := range [][3]string{
		{"---\ntitle: ", "[", "\n---\n"},
		{"---\ntitle: ", "{a: ", "\n---\n"},
		{"---\ntitle: x\ntags:\n", "- ", "a\n---\n"},
		{"---\n", "? ", "\n---\n"},
		{"---\ntitle: [\n", "- ", "\n---\n"},
		{"---\ntitle: x\n", "k: v\n", "---\n"},
		{"---\ntitle: x\ntags:\n", "  - a\n", "---\n"},
		{"---\ntitle: x\ntags: [", "a, ", "a]\n---\n"},
		{"---\ntitle: &t x\ntags: [", "*t, ", "a]\n---\n"},
		{"---\ntitle: x\nsummary: |\n", "  a\n", "---\n"},
		{"---\n", "a:\n ", "---\n"},
		{"---\ntitle: x\n---\n", "# a\n", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, prefix, middle, suffix string) {
		data := []byte(fuzztime.Input(prefix, middle, suffix))
		fuzztime.Check(t, fmt.Sprintf("Parse(%q + %q… + %q)", prefix, middle, suffix), func() {
			for _, k := range Kinds {
				Parse("content/x.md", k, data)
			}
		})
	})
}
