package vntext

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// A collator is not safe for concurrent use, so each caller takes one from
// the pool.
var collators = sync.Pool{New: func() any { return collate.New(language.Vietnamese, collate.IgnoreCase) }}

// Compare orders two strings as a Vietnamese dictionary does
// (a < ă < â, d < đ, tones after the base letter), ignoring case.
func Compare(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(NFC(a), NFC(b))
}

// SortKey is the Vietnamese collation key of s: comparing keys bytewise
// orders strings as Compare does, so a database can sort by it.
func SortKey(s string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	return append([]byte(nil), c.KeyFromString(&buf, NFC(s))...)
}
