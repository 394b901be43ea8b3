package locale

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// keyShape is how a key is written: ASCII words in lower case, dotted by
// area, at least two parts.
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// TestCatalogueFile checks vi.json as a file people edit: one JSON object
// of strings, keys well formed, sorted and each written once (a second
// entry would silently win), every message in NFC with no stray spaces,
// and every fmt verb one that fills a value.
func TestCatalogueFile(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(file))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("vi.json must be one JSON object: %v %v", tok, err)
	}
	prev := ""
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("vi.json: %v", err)
		}
		key := tok.(string)
		var msg string
		if err := dec.Decode(&msg); err != nil {
			t.Fatalf("vi.json: %q: the message must be a string: %v", key, err)
		}
		switch {
		case seen[key]:
			t.Errorf("vi.json: %q written twice", key)
		case key < prev:
			t.Errorf("vi.json: %q comes before %q: keep the keys sorted", key, prev)
		}
		seen[key], prev = true, key
		if !keyShape.MatchString(key) {
			t.Errorf("vi.json: key %q: write keys as area.name, lower-case ASCII, digits and _", key)
		}
		checkMessage(t, key, msg)
	}
	if len(seen) != len(catalogue()) {
		t.Errorf("vi.json read %d keys, the catalogue has %d", len(seen), len(catalogue()))
	}
}

func checkMessage(t *testing.T, key, msg string) {
	t.Helper()
	switch {
	case msg == "":
		t.Errorf("vi.json: %q is empty", key)
	case !norm.NFC.IsNormalString(msg):
		t.Errorf("vi.json: %q is not in NFC (compose its letters: ế, not e + ̂ + ́)", key)
	case strings.Contains(msg, "  "):
		t.Errorf("vi.json: %q has two spaces in a row", key)
	case strings.TrimSpace(msg) != msg && !strings.HasSuffix(msg, "\n"):
		t.Errorf("vi.json: %q starts or ends with a space: keep spaces in the code or template around it", key)
	case strings.Contains(msg, "%w"):
		t.Errorf("vi.json: %q has %%w: an error among the values is written with %%v", key)
	}
	// Every verb fills a value: filled with as many values as it takes,
	// the message has no %!.
	args := make([]any, verbs(msg))
	for i := range args {
		args[i] = anyValue{}
	}
	if len(args) > 0 {
		if out := fmt.Sprintf(msg, args...); strings.Contains(out, "%!") {
			t.Errorf("vi.json: %q: a verb that fills no value: %s", key, out)
		}
	}
}

// anyValue formats as x under any verb.
type anyValue struct{}

func (anyValue) Format(f fmt.State, verb rune) { io.WriteString(f, "x") }

func TestT(t *testing.T) {
	for _, key := range Keys() {
		if T(key) == key {
			t.Errorf("T(%q) is its key", key)
		}
	}
	if got := T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key gives %q, want the key", got)
	}
}

func TestVerbs(t *testing.T) {
	for _, c := range []struct {
		msg  string
		want int
	}{
		{"không có", 0},
		{"100%% xong", 0},
		{"%s: %d hàng", 2},
		{"%[2]s trước %[1]s", 2},
		{"%[1]d cấp (giới hạn %[1]d cấp)", 1},
		{"%q và %v %%", 2},
	} {
		if got := verbs(c.msg); got != c.want {
			t.Errorf("verbs(%q) = %d, want %d", c.msg, got, c.want)
		}
	}
}
