package content

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// billionLaughs is a 743-byte plan of nested aliases: decoding expands it
// to 9^9 strings (the old ParsePlan grew past 2 GB on a smaller one).
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("# bom: mở ra thành 9^9 chuỗi \"lol\"\n")
	b.WriteString("number: 272/KH-SKHCN\ntitle: Kế hoạch\nissued: 2022-03-15\nyear: 2022\n")
	b.WriteString(`documents: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	b.WriteString("implements: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nitems:\n")
	prev := "b"
	for i, n := range []string{"c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "  - id: III.%d\n    title: Mục\n    lead: &%s [%s]\n", i+1, n, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
		prev = n
	}
	return b.String()
}

// parseBounded runs ParsePlan and reports how long it took and how much
// it allocated.
func parseBounded(t *testing.T, data string) (error, time.Duration, uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := ParsePlan("content/plans/2022.yaml", 2022, []byte(data))
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return err, took, after.TotalAlloc - before.TotalAlloc
}

// TestPlanHostile: plans that would exhaust memory or time are refused
// quickly, with bounded memory, at path:line. The bounds asserted are
// generous (2 s, 64 MiB) so a slow machine never trips them; what they
// catch is the unbounded case, which took 6 s and 2 GB (aliases) or over
// a minute and 14 GB (deep nesting) before.
func TestPlanHostile(t *testing.T) {
	deepBlock := strings.Builder{}
	deepBlock.WriteString("number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\nitems:\n")
	for i := 0; i < 300; i++ {
		deepBlock.WriteString(strings.Repeat(" ", i+2) + "a:\n")
	}
	tests := []struct {
		name, data string
		line       int
		phrase     string
	}{
		{"billion laughs", billionLaughs(), 6, "không dùng tham chiếu YAML (& và *)"},
		{"alias of a scalar", "number: &n 272/KH-SKHCN\ntitle: *n\nissued: 2022-03-15\nyear: 2022\n", 1, "tham chiếu YAML"},
		{"a tag on a list (crashed the decoder)", "number: \ntitle:\nareas: !000 00000000", 3, "thẻ kiểu YAML"},
		{"a tag on a value", "number: !!str 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\n", 1, "thẻ kiểu YAML"},
		{"merge key", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\nitems:\n  - <<: {id: III.1}\n", 6, "khóa gộp YAML"},
		{"64 KiB of nested [", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\ndocuments: " + strings.Repeat("[", 64<<10), 5, "lồng nhau quá sâu"},
		{"nested { across lines", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\nitems:\n" + strings.Repeat("  {a:\n", 20000), 22, "lồng nhau quá sâu"},
		{"300 levels of indentation", deepBlock.String(), 84, "thụt lề quá sâu"},
		{"long chain of - -", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\nitems:\n" + strings.Repeat("- ", 30000) + "x\n", 6, "thụt lề quá sâu"},
		{"too many tokens", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\ndocuments:\n" + strings.Repeat("- a\n", 30000), 1, "quá nhiều phần tử YAML"},
		{"over 256 KiB", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\n" + strings.Repeat("# chú thích dài dòng\n", 20000), 0, "tệp quá lớn"},
		{"ESC in a title", "number: 272/KH-SKHCN\ntitle: K\nissued: 2022-03-15\nyear: 2022\nareas:\n  - {id: II.1, title: \"A\\e[2J\"}\n", 6, "ký tự điều khiển U+001B (ESC)"},
		{"blank lines ending a block scalar (quadratic in go-yaml's lexer)", "number: 272/KH-SKHCN\ntitle: |\n  K\n" + strings.Repeat("\n", 100000) + "issued: 2022-03-15\nyear: 2022\n", 54, "dòng trống liền nhau"},
		{"raw BEL", "number: 272/KH-SKHCN\ntitle: K\x07\nissued: 2022-03-15\nyear: 2022\n", 2, "ký tự điều khiển U+0007 (BEL)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err, took, alloc := parseBounded(t, tt.data)
			t.Logf("%d bytes: refused in %v, %d KiB allocated", len(tt.data), took, alloc>>10)
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("ParsePlan accepted it (err %v)", err)
			}
			e := errs[0]
			if e.Line != tt.line || !strings.Contains(e.Msg, tt.phrase) {
				t.Errorf("error %q (line %d), want line %d containing %q", e.Error(), e.Line, tt.line, tt.phrase)
			}
			if took > 2*time.Second || alloc > 64<<20 {
				t.Errorf("took %v and %d MiB; want well under 2 s and 64 MiB", took, alloc>>20)
			}
		})
	}
	if n := len(billionLaughs()); n != 743 {
		t.Errorf("billion laughs is %d bytes, want the 743 of the report", n)
	}
}

// TestPlanThousandsOfProblems: a plan of 4,000 unknown channels (36,000
// YAML tokens, under the token cap) is refused quickly with the first
// 100 problems at their lines and one line counting the rest. Before,
// every problem re-parsed the whole file to find its line: 2 min 42 s and
// 93 GB allocated. The bounds (2 s, 256 MiB) are generous for a slow
// machine; the decoder alone allocates about 60 MiB for such a file.
func TestPlanThousandsOfProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("number: 1/KH\ntitle: K\nissued: 2022-03-15\nyear: 2022\nchannels:\n")
	for i := range 4000 {
		fmt.Fprintf(&b, "  - {code: x%d, name: a}\n", i)
	}
	err, took, alloc := parseBounded(t, b.String())
	t.Logf("%d bytes: refused in %v, %d KiB allocated", b.Len(), took, alloc>>10)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != maxPlanProblems+1 {
		t.Fatalf("%d problems, want %d and a count of the rest", len(errs), maxPlanProblems+1)
	}
	if errs[0].Line != 6 || errs[99].Line != 105 || !strings.Contains(errs[100].Msg, "còn 3900 lỗi khác") {
		t.Errorf("first %v, 100th %v, last %v", errs[0], errs[99], errs[100])
	}
	if took > 2*time.Second || alloc > 256<<20 {
		t.Errorf("took %v and %d MiB; want well under 2 s and 256 MiB", took, alloc>>20)
	}
}

// TestPlanTenThousandChannelTargets: a hostile plan gives one item 10,000
// channel targets (codes no plan may declare), and another plan 200
// items each with a target on every channel of the fixed list (500 would
// pass the 50,000 YAML nodes the reader allows). The first is refused at
// path:line with the first 100 problems and a count of the rest; the
// second is read. Both in bounded time and memory (2 s, 256 MiB:
// generous on a slow, shared machine; the figures are logged).
func TestPlanTenThousandChannelTargets(t *testing.T) {
	head := "number: 1/KH\ntitle: K\nissued: 2022-03-15\nyear: 2022\nchannels:\n  - {code: ban-tin, name: Bản tin}\n"
	var b strings.Builder
	b.WriteString(head + "items:\n  - id: III.3\n    title: T\n    tracked: true\n    channel_targets: {")
	for i := range 10000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "k%d: 1", i)
	}
	b.WriteString("}\n")
	err, took, alloc := parseBounded(t, b.String())
	t.Logf("10,000 channel targets, %d bytes: refused in %v, %d KiB allocated", b.Len(), took, alloc>>10)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != maxPlanProblems+1 {
		t.Fatalf("%d problems (%v), want %d and a count of the rest", len(errs), err, maxPlanProblems+1)
	}
	if errs[0].Line != 11 || !strings.Contains(errs[0].Msg, `"k0"`) || !strings.Contains(errs[100].Msg, "còn 9900 lỗi khác") {
		t.Errorf("first %v, last %v", errs[0], errs[100])
	}
	if took > 2*time.Second || alloc > 256<<20 {
		t.Errorf("took %v and %d MiB; want well under 2 s and 256 MiB", took, alloc>>20)
	}

	b.Reset()
	b.WriteString("number: 1/KH\ntitle: K\nissued: 2022-03-15\nyear: 2022\nchannels:\n")
	var targets []string
	for _, c := range Channels {
		fmt.Fprintf(&b, "  - {code: %s, name: %s}\n", c.Code, c.Code)
		targets = append(targets, c.Code+": {value: 1, source: plan, wording: W}")
	}
	b.WriteString("items:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  - {id: III.%d, title: T, tracked: true, channel_targets: {%s}}\n", i+1, strings.Join(targets, ", "))
		if b.Len() > MaxPlanSize-400 {
			t.Fatalf("only %d items fit in MaxPlanSize", i)
		}
	}
	err, took, alloc = parseBounded(t, b.String())
	t.Logf("200 items × 8 channel targets, %d bytes: %v in %v, %d KiB allocated", b.Len(), err, took, alloc>>10)
	if err != nil {
		t.Errorf("200 items × 8 channel targets refused: %v", err)
	}
	if took > 2*time.Second || alloc > 256<<20 {
		t.Errorf("took %v and %d MiB; want well under 2 s and 256 MiB", took, alloc>>20)
	}
}
