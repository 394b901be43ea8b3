package vntext

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// IsControl reports whether r is a control character no accepted text may
// hold: C0 other than tab, line feed and carriage return, DEL, and C1
// (U+0080–U+009F). It is the one rule for every input — the workspace's
// forms, content files, plans, account names given on the command line,
// configuration — because such characters are invisible on a page and,
// printed to a terminal, are commands to it (ESC starts a sequence that can
// rewrite the screen, set the window title or, on some terminals, answer
// back as typed input). The two noncharacters U+FFFE and U+FFFF count as
// well: XML cannot carry them (a feed, the Word report or an XLSX sheet
// holding one is broken or changes the text), and no text needs them.
func IsControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}

// ControlAt returns the byte offset in s of the first control character
// (IsControl), or -1 when there is none.
func ControlAt(s string) int { return strings.IndexFunc(s, IsControl) }

// ControlIndex returns the byte offset in b of the first control
// character (IsControl), or -1 when there is none: bytes.IndexFunc(b,
// IsControl), with ASCII checked a byte at a time rather than decoded
// and passed to a function — an import checks every content file with
// it, twice (h21-import).
func ControlIndex(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if IsControl(r) {
			return i
		}
		i += size
	}
	return -1
}

// ControlName names the control character r for a message: "U+001B (ESC)".
func ControlName(r rune) string {
	names := map[rune]string{0: "NUL", 7: "BEL", 8: "BS", 0x0b: "VT", 0x0c: "FF", 0x1b: "ESC", 0x7f: "DEL", 0x85: "NEL", 0x9b: "CSI", 0x9d: "OSC"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

// Terminal returns s safe to print as part of one line on a terminal, for
// anything that came from outside (a file name, a title, an argument):
// every control character — tab and line breaks included, so that a
// name cannot start a line of its own — is shown as an escape (\x1b,
// \x0a, \u009b), and so is every byte that is not UTF-8 (\xff).
func Terminal(s string) string {
	if clean(s, false) {
		return s
	}
	var b strings.Builder
	writeEscaped(&b, s, false)
	return b.String()
}

// clean reports whether s needs no escaping: valid UTF-8 without control
// characters (lines allows tab and line feed, and CR before LF).
func clean(s string, lines bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20 && c != 0x7f:
			case lines && (c == '\t' || c == '\n'):
			case lines && c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			default:
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsControl(r) {
			return false
		}
		i += size
	}
	return true
}

// writeEscaped writes s to b with its control characters and invalid bytes
// escaped. lines keeps tab, line feed and CRLF as they are.
func writeEscaped(b *strings.Builder, s string, lines bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(b, `\x%02x`, s[i])
		case lines && (r == '\t' || r == '\n'):
			b.WriteRune(r)
		case lines && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b.WriteRune(r)
		case r < utf8.RuneSelf && unicode.IsControl(r):
			fmt.Fprintf(b, `\x%02x`, r)
		case unicode.IsControl(r):
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}

// TerminalWriter writes text to a terminal with every control character
// other than tab, line feed and CRLF shown as an escape, as Terminal does
// (line breaks are kept: it carries whole messages and reports). It is
// the last guard of the command line's stdout and stderr, so that no
// message, whatever it quotes, can send a terminal a command. It is safe
// for concurrent use; call Flush when done.
type TerminalWriter struct {
	mu    sync.Mutex
	w     io.Writer
	carry []byte // an incomplete UTF-8 sequence, or a CR that may start CRLF
}

// NewTerminalWriter returns a TerminalWriter writing to w.
func NewTerminalWriter(w io.Writer) *TerminalWriter { return &TerminalWriter{w: w} }

// Write writes p, escaped. A trailing incomplete UTF-8 sequence or CR is
// held until the next Write or Flush, so a rune split across two writes
// is written whole.
func (t *TerminalWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	buf := p
	if len(t.carry) > 0 {
		buf = append(t.carry, p...)
		t.carry = nil
	}
	end := len(buf)
	if end > 0 && buf[end-1] == '\r' {
		end--
	} else {
		for i := end - 1; i >= 0 && i >= end-utf8.UTFMax; i-- {
			if utf8.RuneStart(buf[i]) {
				if !utf8.FullRune(buf[i:end]) {
					end = i
				}
				break
			}
		}
	}
	if end < len(buf) {
		t.carry = append([]byte(nil), buf[end:]...)
	}
	if err := t.write(string(buf[:end])); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what a Write held back.
func (t *TerminalWriter) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := string(t.carry)
	t.carry = nil
	return t.write(s)
}

func (t *TerminalWriter) write(s string) error {
	if s == "" {
		return nil
	}
	if !clean(s, true) {
		var b strings.Builder
		writeEscaped(&b, s, true)
		s = b.String()
	}
	_, err := io.WriteString(t.w, s)
	return err
}
