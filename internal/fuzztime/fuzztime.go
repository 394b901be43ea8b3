// Package fuzztime lets a fuzz target fail on time as well as on panics:
// every parser an outsider or an editor feeds (Markdown bodies, front
// matter, search queries, legal numbers) must do work linear in its input,
// and a target built on Input and Check fails when some input of Size bytes
// takes longer than Bound.
//
// A mutated input is small, so Input repeats its middle part up to Size
// bytes: a construct whose cost grows with the square of its repetitions
// (a heading ID searched against all before it, a link address read to the
// end of the line at every "](") shows up at once, while linear work
// stays far below the bound.
package fuzztime

import (
	"strings"
	"testing"
	"time"
)

// Size is the size of the inputs timed: 64 KiB.
const Size = 64 << 10

// Bound is the longest one input of Size bytes may take. The slowest
// inputs known after the fixes of issue 12 take 0.1–0.2 s on the shared
// development machine (2 cores, load average 5–8); the quadratic ones they
// replaced took 3–16 s at this size. One second leaves a margin of five for
// CI on two shared cores and still tells linear work from quadratic.
const Bound = time.Second

// Input is prefix, then middle repeated until the whole is about Size
// bytes, then suffix; all of it cut to Size bytes.
func Input(prefix, middle, suffix string) string {
	var b strings.Builder
	b.Grow(Size + len(middle))
	b.WriteString(prefix)
	if middle != "" {
		for b.Len()+len(suffix) < Size {
			b.WriteString(middle)
		}
	}
	b.WriteString(suffix)
	s := b.String()
	if len(s) > Size {
		s = s[:Size]
	}
	return s
}

// Check runs fn and fails t when it takes longer than Bound twice in a row
// (once may be a pause of the machine; twice is the input).
func Check(t *testing.T, what string, fn func()) {
	t.Helper()
	first := timed(fn)
	if first <= Bound {
		return
	}
	if again := timed(fn); again > Bound {
		t.Fatalf("%s took %v, then %v (bound %v)", what, first.Round(time.Millisecond), again.Round(time.Millisecond), Bound)
	}
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}
