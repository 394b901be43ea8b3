package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"

	"cchc/internal/vntext"
)

// headingIDs gives headings readable ASCII IDs from our slug function
// ("Thành phần hồ sơ" → "thanh-phan-ho-so"); goldmark's own generator drops
// every non-ASCII byte. A new one is used for each document.
type headingIDs struct {
	used map[string]bool
}

func newIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

// Generate returns a unique ID for a heading with text value.
func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := vntext.Slug(string(value))
	if base == "" {
		base = "muc"
	}
	id := base
	for i := 1; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put records an ID given explicitly.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
