package app_test

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/testsupport"
)

// TestServeMemoryLimit: serve sets the Go runtime's soft memory limit
// (app.ServeMemoryLimit) when the environment gives no GOMEMLIMIT, and
// gives the old limit back when it returns; with GOMEMLIMIT set it leaves
// the limit the runtime took from it alone (issue 18.3: a moment's work
// left the heap at twice its live size for the process's life).
func TestServeMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	dir := t.TempDir()
	srv := testsupport.Serve(t, "--data", filepath.Join(dir, "data"), "--content", filepath.Join(dir, "khong-co"))
	if got := debug.SetMemoryLimit(-1); got != app.ServeMemoryLimit {
		t.Errorf("memory limit while serving: %d, want %d", got, app.ServeMemoryLimit)
	}
	if code := srv.Stop(); code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, srv.Stderr.String())
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit after serve: %d, want %d as before", got, before)
	}

	// GOMEMLIMIT in the environment: the runtime applied it; serve keeps it.
	const own = 300 << 20
	debug.SetMemoryLimit(own)
	defer debug.SetMemoryLimit(before)
	ctx, cancel := context.WithCancel(t.Context())
	var stderr testsupport.SyncBuffer
	done := make(chan int, 1)
	addr := testsupport.FreeAddr(t)
	go func() {
		done <- app.Run(ctx, []string{"serve", "--addr", addr, "--data", filepath.Join(dir, "data"), "--content", filepath.Join(dir, "khong-co")},
			func(k string) string {
				if k == "GOMEMLIMIT" {
					return "300MiB"
				}
				return ""
			}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	}()
	serving := regexp.MustCompile(`msg=serving`)
	for deadline := time.Now().Add(2 * time.Minute); !serving.MatchString(stderr.String()); {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got != own {
		t.Errorf("memory limit with GOMEMLIMIT set: %d, want %d", got, own)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, stderr.String())
	}
}
