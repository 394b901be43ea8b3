package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestParseRefusesControlCharacters: a content file's values hold no
// control character — the rule of the workspace's forms — whether the
// file carries it raw or as a YAML escape; the message gives path:line
// and names the character, escaped when printed.
func TestParseRefusesControlCharacters(t *testing.T) {
	tests := []struct {
		name, file string
		line       int
		phrase     string
	}{
		{"raw ESC in the title", "---\ntitle: Tin \x1b[31mđỏ\n---\nX\n", 2, "U+001B (ESC)"},
		{"OSC title sequence with BEL", "---\ntitle: Tin \x1b]0;pwned\x07\n---\nX\n", 2, "U+001B (ESC)"},
		{"raw BEL", "---\ntitle: Tin\nsummary: chuông \x07\n---\nX\n", 3, "U+0007 (BEL)"},
		{"raw DEL", "---\ntitle: Tin \x7f\n---\nX\n", 2, "U+007F (DEL)"},
		{"raw C1 CSI", "---\ntitle: Tin \u009b2J\n---\nX\n", 2, "U+009B (CSI)"},
		{"backspace in the body", "---\ntitle: Tin\n---\nDòng một\nẩn\b\b\bhiện\n", 5, "U+0008 (BS)"},
		{"YAML escape \\e in a quoted title", "---\ntitle: \"Tin \\e[2J\"\n---\nX\n", 2, `trường "title" chứa ký tự điều khiển U+001B (ESC)`},
		{"YAML escape \\x07", "---\ntitle: Tin\nauthor: \"A\\x07\"\n---\nX\n", 3, `trường "author" chứa ký tự điều khiển U+0007 (BEL)`},
		{"YAML escape \\u0085 (NEL) in a list item", "---\ntitle: Tin\ntags:\n  - một\n  - \"hai\\u0085\"\n---\nX\n", 5, `trường "tags" chứa ký tự điều khiển U+0085 (NEL)`},
		{"YAML escape \\N in a single value list", "---\ntitle: Tin\ntags: \"a\\N\"\n---\nX\n", 3, `trường "tags" chứa ký tự điều khiển U+0085 (NEL)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("content/articles/x.md", Article, []byte(tt.file))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse accepted the file (err %v)", err)
			}
			prefix := fmt.Sprintf("content/articles/x.md:%d: ", tt.line)
			for _, e := range errs {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.phrase) {
					return
				}
			}
			t.Errorf("errors:\n%v\nwant one starting with %q and containing %q", err, prefix, tt.phrase)
		})
	}
	// Tabs, line breaks and CRLF stay allowed, as in the forms.
	ok := "---\r\ntitle: Tin\r\nsummary: \"a\\tb\"\r\n---\r\nCột\tmột\r\n"
	if _, err := Parse("content/articles/ok.md", Article, []byte(ok)); err != nil {
		t.Errorf("tabs and CRLF: %v", err)
	}
}

// TestErrorEscapesPath: a message names a file whose name came from the
// content folder; a control character or a line break in that name is
// printed as an escape, never sent to the terminal.
func TestErrorEscapesPath(t *testing.T) {
	e := &Error{Path: "content/articles/x\x1b[2J\nfake.md", Line: 3, Msg: "trường \u009b và \xff không hợp lệ"}
	want := `content/articles/x\x1b[2J\x0afake.md:3: trường \u009b và \xff không hợp lệ`
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (&Error{Path: "a\x07.md", Msg: "m"}).Error(); got != `a\x07.md: m` {
		t.Errorf("Error() = %q", got)
	}
}
