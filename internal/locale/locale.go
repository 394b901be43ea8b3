// Package locale holds every word that a citizen, an editor or a staff
// member reads: one Vietnamese catalogue, vi.json, embedded in the binary,
// whose keys the code and the templates name. A theme writer or an
// operator finds all the column's words in that one file.
//
// Keys are ASCII, dotted by area (status.draft, site.search.title,
// content.field.required). A message with values to fill in is a format
// of package fmt: verbs in order (%s, %d, %q, %v), %[n]s to reorder, %% for
// a percent sign; a message read without values is used as written.
// Vietnamese has no plural forms, so there are none; counts that the
// reports write with two digits say %02d in their message.
//
// To add a string: add "area.name": "Vietnamese text" to vi.json (the keys
// stay sorted), then write locale.T("area.name", values…) in Go or
// {{t "area.name" values…}} in a template. The tests of this package fail
// when a key used is missing, when a key is unused, when the number of
// values does not match the message, and when Vietnamese text is written
// anywhere else.
package locale

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:embed vi.json
var file []byte

// catalogue is vi.json read once: it never changes while the program runs.
var catalogue = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	if err := json.Unmarshal(file, &m); err != nil {
		panic("locale: vi.json: " + err.Error()) // the file is checked by the tests
	}
	return m
})

// T is the message of key, with args filled in as fmt.Sprintf would. A key
// missing from the catalogue (which the tests rule out for every key the
// code names) gives the key itself, so the gap shows rather than a blank.
func T(key string, args ...any) string {
	s, ok := catalogue()[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Has reports whether the catalogue has key.
func Has(key string) bool {
	_, ok := catalogue()[key]
	return ok
}

// Keys are the catalogue's keys, sorted.
func Keys() []string {
	keys := make([]string, 0, len(catalogue()))
	for k := range catalogue() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Verbs is the number of values the message of key takes (its fmt verbs,
// %% not counted).
func Verbs(key string) int { return verbs(catalogue()[key]) }

// verbs is the number of values the format s takes.
func verbs(s string) int {
	n, max := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		// An explicit index, %[2]s, names the value it takes.
		if i < len(s) && s[i] == '[' {
			end := strings.IndexByte(s[i:], ']')
			var idx int
			if end > 0 {
				fmt.Sscanf(s[i+1:i+end], "%d", &idx)
			}
			n = idx
		} else {
			n++
		}
		if n > max {
			max = n
		}
	}
	return max
}
