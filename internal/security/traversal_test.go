package security_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/browsertest"
	"cchc/internal/config"
)

// traversals are ways to climb out of a folder in a URL path.
var traversals = []string{
	"../../../../etc/passwd",
	"..%2f..%2f..%2f..%2fetc%2fpasswd",
	"%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
	"%2e%2e/%2e%2e/%2e%2e/go.mod",
	"%252e%252e%252f%252e%252e%252fgo.mod",
	"..%5c..%5c..%5cgo.mod",
	`..\..\..\go.mod`,
	"....//....//go.mod",
	"..%c0%af..%c0%afgo.mod",
	"style.css%00.png",
	"%00",
	"..",
	".",
	"%2e",
	"/etc/passwd",
	"secret.txt",
	"..%2fsecret.txt",
}

// leaked tells whether a body holds a file from outside what is served.
func leaked(body string) bool {
	return strings.Contains(body, "root:x:0:0") || strings.Contains(body, "module cchc") || strings.Contains(body, "BÍ MẬT")
}

// TestPathTraversal sends each traversal, raw on the wire (no client
// cleans the path), to the public assets, the admin assets and stored
// files, with a custom theme on disk next to a secret file: every answer
// is 400 or 404 (or a redirect within the site), never a file.
func TestPathTraversal(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "themes", "rieng", "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "themes", "rieng", "assets", "extra.css"), []byte("body{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "themes", "secret.txt"), []byte("BÍ MẬT"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "themes", "rieng", "secret.txt"), []byte("BÍ MẬT"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	s := newSite(t, func(c *config.Config) { c.Theme = "rieng" })
	base := browsertest.Server(t, s.h)
	host := strings.TrimPrefix(base, "http://")
	n := 0
	for _, prefix := range []string{"/assets/", "/quan-tri/assets/", "/tep/", "/"} {
		for _, tr := range traversals {
			path := prefix + tr
			status, loc, body := rawGET(t, host, path)
			n++
			if leaked(body) {
				t.Errorf("GET %s leaked a file (%d)", path, status)
			}
			switch {
			case status == http.StatusNotFound || status == http.StatusBadRequest:
			case status >= 300 && status < 400 && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//"):
			default:
				t.Errorf("GET %s: %d (Location %q)", path, status, loc)
			}
		}
	}
	t.Logf("%d traversal requests refused", n)
}

// rawGET writes a request line as given and reads the answer.
func rawGET(t *testing.T, host, path string) (int, string, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", host, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/html\r\nConnection: close\r\n\r\n", path, host)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return res.StatusCode, res.Header.Get("Location"), b.String()
}

// TestThemeTraversal refuses a theme name that climbs out of themes/.
func TestThemeTraversal(t *testing.T) {
	for _, name := range []string{"../x", "..", ".", "a/b", `..\x`, "/etc", "x/../../y"} {
		var stderr bytes.Buffer
		code := app.Run(t.Context(), []string{"serve", "--theme", name, "--data", t.TempDir(), "--addr", "127.0.0.1:0"},
			func(string) string { return "" }, strings.NewReader(""), &bytes.Buffer{}, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "--theme") {
			t.Errorf("--theme %q: exit %d, %q", name, code, stderr.String())
		}
	}
	// Through the variable as well.
	var stderr bytes.Buffer
	code := app.Run(t.Context(), []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"},
		func(k string) string {
			if k == "CCHC_THEME" {
				return "../../etc"
			}
			return ""
		}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "CCHC_THEME") {
		t.Errorf("CCHC_THEME=../../etc: exit %d, %q", code, stderr.String())
	}
}
