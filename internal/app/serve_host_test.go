package app_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
)

var servingAddrRe = regexp.MustCompile(`msg=serving addr=http://(127\.0\.0\.1:\d+)`)

// serveFor runs `cchc serve` with args (and a fresh data folder, on a port
// of 127.0.0.1 the system picks) until the test ends, and returns the
// address it listens on and its log.
func serveFor(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- app.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"),
			"--content", filepath.Join(dir, "khong-co")}, args...),
			func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not return after cancel")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := servingAddrRe.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], &stderr
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d:\n%s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
	}
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
		var stderr syncBuffer
		code := app.Run(t.Context(), []string{"serve", "--data", t.TempDir(), "--allowed-hosts", "https://cchc.example.vn"},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "--allowed-hosts (CCHC_ALLOWED_HOSTS)") {
			t.Errorf("exit %d:\n%s", code, stderr.String())
		}
	})
}
