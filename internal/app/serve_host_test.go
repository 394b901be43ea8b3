package app_test

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/testsupport"
)

// serveFor runs `cchc serve` with args (and a fresh data folder, on a port
// of 127.0.0.1 the system picks) until the test ends, and returns the
// address it listens on and its log.
func serveFor(t *testing.T, args ...string) (string, *testsupport.SyncBuffer) {
	t.Helper()
	dir := t.TempDir()
	srv := testsupport.Serve(t, append([]string{"--data", filepath.Join(dir, "data"), "--content", filepath.Join(dir, "khong-co")}, args...)...)
	return srv.Addr, srv.Stderr
}

func getWithHost(t *testing.T, addr, path, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServePublicBase: without --base-url or --allowed-hosts, serve warns
// at start and writes absolute URLs under the address it listens on (the
// port it was given, not the 0 asked for), whatever Host a request
// names; with --allowed-hosts, under the first one, and a foreign Host
// is refused.
func TestServePublicBase(t *testing.T) {
	t.Run("no base url", func(t *testing.T) {
		addr, log := serveFor(t)
		if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "public_base=http://"+addr) {
			t.Errorf("no warning naming the public address http://%s:\n%s", addr, log.String())
		}
		for _, host := range []string{"", "attacker.invalid"} {
			st, body := getWithHost(t, addr, "/robots.txt", host)
			if st != http.StatusOK || !strings.Contains(body, "Sitemap: http://"+addr+"/sitemap.xml") || strings.Contains(body, "attacker") {
				t.Errorf("Host %q: robots.txt %d:\n%s", host, st, body)
			}
		}
	})
	t.Run("allowed hosts", func(t *testing.T) {
		addr, log := serveFor(t, "--allowed-hosts", "cchc.example.vn, 127.0.0.1")
		if strings.Contains(log.String(), "level=WARN") {
			t.Errorf("warning with --allowed-hosts:\n%s", log.String())
		}
		st, body := getWithHost(t, addr, "/robots.txt", "")
		if st != http.StatusOK || !strings.Contains(body, "Sitemap: http://cchc.example.vn/sitemap.xml") {
			t.Errorf("robots.txt %d:\n%s", st, body)
		}
		if st, _ := getWithHost(t, addr, "/robots.txt", "attacker.invalid"); st != http.StatusMisdirectedRequest {
			t.Errorf("foreign Host: %d, want 421", st)
		}
	})
	t.Run("bad allowed hosts", func(t *testing.T) {
		var stderr testsupport.SyncBuffer
		code := app.Run(t.Context(), []string{"serve", "--data", t.TempDir(), "--allowed-hosts", "https://cchc.example.vn"},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "--allowed-hosts (CCHC_ALLOWED_HOSTS)") {
			t.Errorf("exit %d:\n%s", code, stderr.String())
		}
	})
}
