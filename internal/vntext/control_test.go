package vntext

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
)

// TestIsControl: the rule is the one the workspace's forms applied before
// it moved here — every Unicode control character except tab, line feed
// and carriage return — checked over all of C0, DEL, C1 and a few others.
func TestIsControl(t *testing.T) {
	form := func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
	for r := rune(0); r < 0x300; r++ {
		if IsControl(r) != form(r) {
			t.Errorf("IsControl(%U) = %v, want %v", r, IsControl(r), form(r))
		}
	}
	for _, r := range []rune{0xFFFE, 0xFFFF} {
		if !IsControl(r) {
			t.Errorf("IsControl(%U) = false: XML cannot carry it", r)
		}
	}
	for _, r := range []rune{'đ', 'Ư', '\u00a0', '\ufeff', '\ufffd', '\u200b', '\u202e'} {
		if IsControl(r) {
			t.Errorf("IsControl(%U) = true", r)
		}
	}
	if i := ControlAt("Tiêu đề \x1b[31m"); i != len("Tiêu đề ") {
		t.Errorf("ControlAt = %d", i)
	}
	if i := ControlAt("Dòng\tmột\r\ndòng hai"); i != -1 {
		t.Errorf("ControlAt(tab, CRLF) = %d, want -1", i)
	}
}

func TestTerminal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"articles/bài-viết.md", "articles/bài-viết.md"},
		{"x\x1b[2J.md", `x\x1b[2J.md`},
		{"a\nb\tc\rd", `a\x0ab\x09c\x0dd`},
		{"chuông\x07", `chuông\x07`},
		{"del\x7f", `del\x7f`},
		{"csi\u009b2J nel\u0085", `csi\u009b2J nel\u0085`},
		{"bad \xff\xfe byte", `bad \xff\xfe byte`},
	}
	for _, tt := range tests {
		if got := Terminal(tt.in); got != tt.want {
			t.Errorf("Terminal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTerminalWriter: line breaks, tabs and CRLF pass; every other control
// character is escaped, even when a write splits a rune or a CRLF.
func TestTerminalWriter(t *testing.T) {
	in := "Tên\tVai trò\r\nbiên tập\x1b]0;x\x07\nC1 \u009b; CR lẻ \rhết\r"
	want := "Tên\tVai trò\r\nbiên tập\\x1b]0;x\\x07\nC1 \\u009b; CR lẻ \\x0dhết\\x0d"
	for split := 0; split <= len(in); split++ {
		var out bytes.Buffer
		w := NewTerminalWriter(&out)
		for _, part := range []string{in[:split], in[split:]} {
			if n, err := w.Write([]byte(part)); n != len(part) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("split at %d: wrote %q, want %q", split, out.String(), want)
		}
	}
	// Byte by byte, too.
	var out bytes.Buffer
	w := NewTerminalWriter(&out)
	for i := range len(in) {
		w.Write([]byte{in[i]})
	}
	w.Flush()
	if out.String() != want {
		t.Errorf("byte by byte: %q", out.String())
	}
	if strings.ContainsAny(out.String(), "\x1b\x07\u009b") {
		t.Errorf("a control character got through: %q", out.String())
	}
}
