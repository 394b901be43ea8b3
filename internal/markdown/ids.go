package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"

	"cchc/internal/vntext"
)

// headingIDs gives headings readable ASCII IDs from our slug function
// ("Thành phần hồ sơ" → "thanh-phan-ho-so"); goldmark's own generator drops
// every non-ASCII byte. A new one is used for each document.
//
// Repeated headings get -1, -2, … after the first. The next number to try
// is kept for each base, so n headings cost O(n) however many repeat: an ID
// base-i is skipped at most once (its base and number are read back from it
// unambiguously, the number being the digits after the last '-').
type headingIDs struct {
	used map[string]bool
	next map[string]int // base → the next suffix to try
}

func newIDs() *headingIDs { return &headingIDs{used: map[string]bool{}, next: map[string]int{}} }

// Generate returns a unique ID for a heading with text value.
func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := vntext.Slug(string(value))
	if base == "" {
		base = "muc"
	}
	id := base
	if h.used[id] {
		i := max(h.next[base], 1)
		for id = base + "-" + strconv.Itoa(i); h.used[id]; id = base + "-" + strconv.Itoa(i) {
			i++
		}
		h.next[base] = i + 1
	}
	h.used[id] = true
	return []byte(id)
}

// Put records an ID given explicitly.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
