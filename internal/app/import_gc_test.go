package app

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestImportGC: an import collects at ImportGCPercent under
// ImportMemoryLimit when the environment sets neither, leaves alone the
// one the environment sets, and gives the old settings back after.
func TestImportGC(t *testing.T) {
	gc, limit := gcPercent(), debug.SetMemoryLimit(-1)
	defer debug.SetGCPercent(gc)
	defer debug.SetMemoryLimit(limit)

	restore := importGC(func(string) string { return "" })
	if got := gcPercent(); got != ImportGCPercent {
		t.Errorf("GOGC during an import: %d, want %d", got, ImportGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != ImportMemoryLimit {
		t.Errorf("memory limit during an import: %d, want %d", got, ImportMemoryLimit)
	}
	restore()
	if got := gcPercent(); got != gc {
		t.Errorf("GOGC after the import: %d, want %d as before", got, gc)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after the import: %d, want %d as before", got, limit)
	}

	// GOGC given: the runtime took it; only the limit is the import's.
	debug.SetGCPercent(50)
	restore = importGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := gcPercent(); got != 50 {
		t.Errorf("GOGC=50 in the environment: %d during the import", got)
	}
	if got := debug.SetMemoryLimit(-1); got != ImportMemoryLimit {
		t.Errorf("memory limit with GOGC set: %d, want %d", got, ImportMemoryLimit)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after the import: %d, want %d as before", got, limit)
	}
}
