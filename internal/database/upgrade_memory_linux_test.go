//go:build linux

package database

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestUpgradeMemoryBounded: migrations keep their temporary data in files.
// A migration that changes every row of a large table (0240 empties and
// drops items' text columns) makes SQLite keep each page it changes as it
// was until the statement ends, its statement journal; at the writer's
// temp_store of MEMORY that was the whole table in memory, and upgrading a
// database of 100,000 items (2.9 GB) took the process to 3.9 GB of RSS
// (docs/PERFORMANCE.md, h31). The upgrade runs in a process of its own,
// which reports how far its peak RSS rose while Open applied it.
func TestUpgradeMemoryBounded(t *testing.T) {
	if path := os.Getenv("CCHC_UPGRADE_CHILD"); path != "" {
		before := peakRSSKiB(t)
		db, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		fmt.Printf("rose %d KiB\n", peakRSSKiB(t)-before)
		return
	}
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), FileName)
	raw := databaseBelow(t, path, 240)
	tail := strings.Repeat("Cải cách hành chính. ", 400) // 8 KB
	itemsBelow240(t, raw, 2500, func(int, string) string { return tail })
	var pages, pageSize int64
	if err := raw.QueryRowContext(ctx, `SELECT p.page_count, s.page_size FROM pragma_page_count p, pragma_page_size s`).Scan(&pages, &pageSize); err != nil {
		t.Fatal(err)
	}
	size := pages * pageSize
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestUpgradeMemoryBounded$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CCHC_UPGRADE_CHILD="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("upgrade in a process of its own: %v\n%s", err, out)
	}
	var rose int64
	reported := false
	for line := range strings.Lines(string(out)) {
		if _, err := fmt.Sscanf(line, "rose %d KiB", &rose); err == nil {
			reported = true
			break
		}
	}
	if !reported {
		t.Fatalf("the upgrade did not report its memory:\n%s", out)
	}
	// What the upgrade adds does not grow with the file: 39 MiB here for
	// a file of 79 MiB and for one of 158 MiB (the connections, their
	// caches, the migrations' text; 48 MiB under -race), 180 MiB for
	// 79 MiB with the statement journals in memory.
	const limit = 96 << 10
	t.Logf("database of %d MiB (%d pages): the upgrade's peak RSS rose %d MiB", size>>20, pages, rose>>10)
	if rose > limit {
		t.Errorf("upgrading a database of %d MiB raised the peak RSS by %d MiB, want at most %d MiB", size>>20, rose>>10, limit>>10)
	}
}

// peakRSSKiB is the process's peak resident set size (VmHWM), in KiB.
func peakRSSKiB(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kib
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
