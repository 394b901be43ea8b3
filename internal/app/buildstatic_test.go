package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if _, _, stderr := run(t, nil, "build-static", file, "--data", data); !strings.Contains(stderr, "không phải là thư mục") {
		t.Errorf("a file as the folder: %s", stderr)
	}
}
