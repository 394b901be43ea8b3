package markdown_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"cchc/internal/fuzztime"
	"cchc/internal/markdown"
)

// slowBound is how long a refused or rendered pathological body may take
// in these tests: generous for a loaded machine, while each of them took
// from 2 s to hours before the limits (see docs/RELIABILITY.md, "Bounded
// work").
const slowBound = 2 * time.Second

// rows is n lines of line.
func rows(n int, line string) string { return strings.Repeat(line+"\n", n) }

// indentedList is a list nested n levels by indentation alone.
func indentedList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- a\n")
	}
	return b.String()
}

func TestLimitsRefuse(t *testing.T) {
	md := markdown.New()
	res := testRegistry(t)
	tests := []struct {
		name string
		src  string
		msg  string // the message, exactly
		line int
	}{
		{"10k headings", rows(10000, "# a"), "nội dung có quá 2.000 tiêu đề (giới hạn 2.000 tiêu đề)", 2001},
		{"20k setext headings", rows(20000, "a\n="), "nội dung có quá 2.000 tiêu đề (giới hạn 2.000 tiêu đề)", 4002},
		{"100k-column table", "|" + strings.Repeat("a|", 100000) + "\n|" + strings.Repeat("-|", 100000) + "\n" + rows(1000, "|"),
			"bảng có 100.000 cột (giới hạn 64 cột)", 2},
		{"wide header, many short rows", "|" + strings.Repeat("a|", 60) + "\n|" + strings.Repeat("-|", 60) + "\n" + rows(30000, "|"),
			"các bảng có tổng cộng quá 50.000 ô (giới hạn 50.000 ô); hãy chia thành nhiều bài", 2},
		{"table in a list", "- x\n\n  |" + strings.Repeat(" a |", 65) + "\n  |" + strings.Repeat("---|", 65) + "\n",
			"bảng có 65 cột (giới hạn 64 cột)", 4},
		{"5k nested quotes", strings.Repeat(">", 5000) + " a\n",
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chú thích nằm trong nhau; giới hạn 32 cấp)", 1},
		{"5k nested lists on a line", strings.Repeat("- ", 5000) + "a\n",
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chú thích nằm trong nhau; giới hạn 32 cấp)", 1},
		{"lists nested by indentation", "Mở đầu.\n\n" + indentedList(200),
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chú thích nằm trong nhau; giới hạn 32 cấp)", 35},
		{"items after the limit", strings.Repeat("1) ", 40) + "a\n1) b\n\n1) c\nd\n",
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chú thích nằm trong nhau; giới hạn 32 cấp)", 1},
		{"quotes and lists", strings.Repeat("> - ", 8000) + "a\n",
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chú thích nằm trong nhau; giới hạn 32 cấp)", 1},
		{"nested emphasis", "Mở đầu\n\n" + strings.Repeat("*", 30000) + "a" + strings.Repeat("*", 30000) + "\n",
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chữ nhấn mạnh, liên kết nằm trong nhau; giới hạn 32 cấp)", 3},
		{"nested images", strings.Repeat("![", 5000) + "a" + strings.Repeat("](b)", 5000),
			"nội dung lồng nhau quá 32 cấp (danh sách, trích dẫn, chữ nhấn mạnh, liên kết nằm trong nhau; giới hạn 32 cấp)", 1},
		{"1 MiB of link definitions", rows(120000, "[a]: b '"),
			"nội dung có quá 1.000 định nghĩa liên kết (dòng dạng [nhãn]: địa chỉ; giới hạn 1.000)", 1001},
		{"output past 4 MB", "[^a]: chú thích\n\n" + strings.Repeat("[^a]", 100000),
			"nội dung khi hiển thị dài quá 4 MB (giới hạn 4 MB); hãy chia thành nhiều bài", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got, err := md.Render(context.Background(), tt.src, res)
			took := time.Since(start)
			var le *markdown.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("Render: %v (HTML %d bytes), want a LimitError", err, len(got.HTML))
			}
			if le.Msg != tt.msg || le.Line != tt.line {
				t.Errorf("LimitError at line %d: %q\nwant line %d: %q", le.Line, le.Msg, tt.line, tt.msg)
			}
			if took > slowBound {
				t.Errorf("refusing %d bytes took %v (bound %v)", len(tt.src), took, slowBound)
			}
			t.Logf("%d bytes refused in %v", len(tt.src), took.Round(time.Millisecond))
		})
	}
}

// TestLimitsKeepRealContent renders bodies just inside every limit.
func TestLimitsKeepRealContent(t *testing.T) {
	md := markdown.New()
	tests := []struct {
		name, src, want string
	}{
		{"2,000 headings", rows(2000, "## Mục"), `<h2 id="muc-1999">Mục</h2>`},
		{"64 columns", "|" + strings.Repeat(" a |", 64) + "\n|" + strings.Repeat("---|", 64) + "\n|" + strings.Repeat(" 1 |", 64) + "\n", "<td>1</td>"},
		{"32 levels", strings.Repeat("> ", 31) + "- a", "<li>a</li>"},
		{"address of 2,000 bytes", "[tải](https://a.vn/" + strings.Repeat("x", 1980) + ")", `<a href="https://a.vn/xxx`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := md.Render(context.Background(), tt.src, nil)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if !strings.Contains(got.HTML, tt.want) {
				t.Errorf("HTML lacks %q", tt.want)
			}
		})
	}
	// An address past MaxLinkDestination is text, and the link after it
	// is still a link.
	long := "[a](https://a.vn/" + strings.Repeat("x", markdown.MaxLinkDestination) + ") [b](https://b.vn)"
	got, err := md.Render(context.Background(), long, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.HTML, `href="https://a.vn`) || !strings.Contains(got.HTML, `<a href="https://b.vn">b</a>`) {
		t.Errorf("long address: %.200s", got.HTML)
	}
}

// TestHeadingIDsLinear: 10,000 headings with the same text get distinct
// IDs in linear time (the search for a free ID took 6.7 s here before;
// 20,000 took 22 s).
func TestHeadingIDsLinear(t *testing.T) {
	l := markdown.DefaultLimits
	l.Headings = 40000
	md := markdown.NewWithLimits(l)
	src := rows(10000, "# a") + rows(5000, "# a\n# a-1")
	start := time.Now()
	got, err := md.Render(context.Background(), src, nil)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	ids := regexp.MustCompile(`<h1 id="([^"]+)"`).FindAllStringSubmatch(got.HTML, -1)
	if len(ids) != 20000 {
		t.Fatalf("%d headings, want 20000", len(ids))
	}
	seen := map[string]bool{}
	for _, m := range ids {
		if seen[m[1]] {
			t.Fatalf("duplicate id %q", m[1])
		}
		seen[m[1]] = true
	}
	for _, id := range []string{"a", "a-1", "a-9999", "a-1-1", "a-14999"} {
		if !seen[id] {
			t.Errorf("no heading has id %q", id)
		}
	}
	if took > slowBound {
		t.Errorf("20,000 repeated headings took %v (bound %v)", took, slowBound)
	}
	t.Logf("20,000 repeated headings in %v", took.Round(time.Millisecond))
}

// TestManyNumbersLinear: every distinct document number of a 1 MiB body
// is found with its line in linear time (the line of each was counted
// from the top: 80,000 numbers took seconds).
func TestManyNumbersLinear(t *testing.T) {
	var b strings.Builder
	n := 0
	for ; b.Len() < 1<<20; n++ {
		fmt.Fprintf(&b, "%d/QĐ-UBND\n", n+1)
	}
	start := time.Now()
	got, err := markdown.New().Render(context.Background(), b.String(), nil)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Refs) != n {
		t.Fatalf("%d refs, want %d", len(got.Refs), n)
	}
	for i, r := range got.Refs {
		if r.Line != i+1 {
			t.Fatalf("ref %d (%s) on line %d, want %d", i, r.Text, r.Line, i+1)
		}
	}
	if took > slowBound {
		t.Errorf("%d numbers took %v (bound %v)", n, took, slowBound)
	}
	t.Logf("%d numbers in 1 MiB: %v", n, took.Round(time.Millisecond))
}

// TestRenderDeadline: a rendering that outlasts its time limit stops, reads
// the rest as plain text, and says so; a caller giving up is not a limit.
func TestRenderDeadline(t *testing.T) {
	l := markdown.DefaultLimits
	l.Time = time.Millisecond
	md := markdown.NewWithLimits(l)
	// 1.3 MB of ordinary paragraphs with links and emphasis: some 100 ms
	// of work, a hundred times the limit.
	src := rows(20000, "Sở **Khoa học** và [Công nghệ](https://skhcn.quangngai.gov.vn) thực hiện *cải cách hành chính*.")
	start := time.Now()
	_, err := md.Render(context.Background(), src, nil)
	took := time.Since(start)
	var le *markdown.LimitError
	if !errors.As(err, &le) {
		t.Fatalf("Render: %v, want a LimitError", err)
	}
	want := "nội dung quá phức tạp: hiển thị mất hơn 0,001 giây (giới hạn thời gian hiển thị); hãy chia nhỏ hoặc viết đơn giản hơn"
	if le.Msg != want || le.Line != 0 {
		t.Errorf("got line %d %q, want %q", le.Line, le.Msg, want)
	}
	if took > slowBound {
		t.Errorf("stopping took %v", took)
	}
	t.Logf("stopped after %v", took.Round(time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = markdown.New().Render(ctx, "# a", nil)
	if !errors.Is(err, context.Canceled) || errors.As(err, &le) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// FuzzRenderTime fails when a body of fuzztime.Size bytes (the fuzzed
// middle repeated between the fuzzed prefix and suffix) takes longer than
// fuzztime.Bound to render or refuse.
func FuzzRenderTime(f *testing.F) {
	for _, s := range [][3]string{
		{"", "# a\n", ""},
		{"", "a\n=\n", ""},
		{"", "[a](", ""},
		{"", "![a](", ""},
		{"", "[a](<", ""},
		{"", "[a](b (\n", ""},
		{"", "[a]: b '\n", ""},
		{"", "[a]: /x\n", ""},
		{"", "[x\n", ""},
		{"", "[a][", ""},
		{"", "<a href=", ""},
		{"", "[^", ""},
		{"[^a]: b\n\n", "[^a]", ""},
		{"", "*a**", ""},
		{"", ">", " a\n"},
		{"", "- ", "a\n"},
		{"|" + strings.Repeat("a|", 64) + "\n|" + strings.Repeat("-|", 64) + "\n", "|\n", ""},
		{"", "1256/QĐ-UBND ", ""},
		{"", "9/QĐ-UBND\n1", ""},
		{"", "www.a.vn ", ""},
		{"", "<!--", ""},
		{"", "```\n", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	md := markdown.New()
	res := testRegistry(f)
	f.Fuzz(func(t *testing.T, prefix, middle, suffix string) {
		src := fuzztime.Input(prefix, middle, suffix)
		fuzztime.Check(t, fmt.Sprintf("Render(%q + %q… + %q)", prefix, middle, suffix), func() {
			_, err := md.Render(context.Background(), src, res)
			var le *markdown.LimitError
			if err != nil && !errors.As(err, &le) {
				t.Fatalf("Render: %v", err)
			}
		})
	})
}
