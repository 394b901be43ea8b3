package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/config"
	"cchc/internal/testsupport"
)

// TestBuildStaticCommand runs cchc build-static on an imported column:
// the mirror is written, a second run writes nothing, and bad usage says
// so in Vietnamese with no trace.
func TestBuildStaticCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errOut := run(t, nil, "import", "--data", data, "../../content"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	out := filepath.Join(dir, "mirror")
	code, stdout, stderr := run(t, nil, "build-static", out, "--data", data, "--base-url", "https://cchc.example.gov.vn")
	if code != 0 || !strings.Contains(stdout, "Đã ghi bản tĩnh vào") || stderr != "" {
		t.Fatalf("build-static = %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"index.html", "index.html.gz", "tin-tuc/index.html", "sitemap.xml", "404.html", "_redirects", ".cchc/manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "sitemap.xml")); !strings.Contains(string(b), "<loc>https://cchc.example.gov.vn/tin-tuc/</loc>") {
		t.Errorf("sitemap without the --base-url:\n%.300s", b)
	}
	_, stdout, _ = run(t, nil, "build-static", "--data", data, "--base-url", "https://cchc.example.gov.vn", out)
	if !strings.Contains(stdout, " 0 tệp ghi mới hoặc thay đổi, 0 tệp xóa") {
		t.Errorf("second run: %s", stdout)
	}
	// Nothing changed: only the 404 page is asked for, the rest is the
	// last run's (mirror.Inputs).
	if !strings.Contains(stdout, "dựng lại 1 địa chỉ,") {
		t.Errorf("second run rendered more than the 404 page: %s", stdout)
	}

	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"build-static"},
		{"build-static", file, "--data", data},
		{"build-static", out, "--data", data, "extra"},
		{"build-static", out, "--nope"},
	} {
		code, _, stderr := run(t, nil, args...)
		if code != 2 || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v = %d\n%s", args, code, stderr)
		}
	}
	// Without --base-url the mirror links to this machine: it says so.
	code, _, stderr = run(t, nil, "build-static", filepath.Join(dir, "mirror2"), "--data", data)
	if code != 0 || !strings.Contains(stderr, "chưa có --base-url") || !strings.Contains(stderr, "http://127.0.0.1:8080") {
		t.Errorf("no --base-url: %d %s", code, stderr)
	}
	if _, _, stderr := run(t, nil, "build-static", file, "--data", data); !strings.Contains(stderr, "không phải là thư mục") {
		t.Errorf("a file as the folder: %s", stderr)
	}
}

// TestKeepMirror runs serve's mirror keeper: the first build, a publication
// rebuilt into the mirror and the sync command run after each update, and
// nothing run while nothing changes.
func TestKeepMirror(t *testing.T) {
	env := testsupport.Demo(t, config.Defaults, nil)
	out := t.TempDir()
	marker := filepath.Join(t.TempDir(), "synced")
	cmd := `echo "$CCHC_MIRROR" >> '` + marker + `'`
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); env.KeepMirror(ctx, out, cmd, 20*time.Millisecond, 200*time.Millisecond) }()
	defer func() { cancel(); <-done }()

	// Generous bounds: a build of the demo takes about a second on a
	// loaded machine; these only catch a keeper that never acts.
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after 60 s: %s", what)
			}
		}
	}
	lines := func() int {
		b, _ := os.ReadFile(marker)
		return strings.Count(string(b), out+"\n")
	}
	waitFor("the first build and its sync", func() bool { return lines() == 1 })
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Fatal(err)
	}
	testsupport.Import(t, env, fstest.MapFS{"articles/bai-moi.md": {Data: []byte(article)}})
	waitFor("the new article in the mirror", func() bool {
		_, err := os.Stat(filepath.Join(out, "tin-tuc/bai-moi.html"))
		return err == nil
	})
	waitFor("the sync after the update", func() bool { return lines() == 2 })
	time.Sleep(500 * time.Millisecond)
	if n := lines(); n != 2 {
		t.Errorf("the sync ran %d times with nothing changed since", n)
	}
}
