package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLeavesBenchOut: nothing of the benchmarks (the corpus
// generator, the harness) is linked into cchc; they live under bench/.
func TestBinaryLeavesBenchOut(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 || deps[len(deps)-1] != "cchc/cmd/cchc" {
		t.Fatalf("go list -deps gave %d packages, ending %q", len(deps), deps[len(deps)-1])
	}
	for _, p := range deps {
		if strings.HasPrefix(p, "cchc/bench/") || strings.HasSuffix(p, "/corpus") {
			t.Errorf("cchc links %s", p)
		}
	}
}
