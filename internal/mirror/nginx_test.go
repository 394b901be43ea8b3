//go:build nginx

package mirror_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"cchc/internal/mirror"
	"cchc/internal/testsupport"
)

// nginxConf is the mirror's server of docs/DEPLOY.md, on a loopback port,
// with every path of its own under dir.
const nginxConf = `daemon off;
master_process off;
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
pid DIR/nginx.pid;
error_log DIR/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path DIR/tmp;
    proxy_temp_path DIR/tmp;
    fastcgi_temp_path DIR/tmp;
    uwsgi_temp_path DIR/tmp;
    scgi_temp_path DIR/tmp;

    map $uri $cchc_redirect {
        include OUT/.cchc/redirects.map;
    }

    server {
        listen 127.0.0.1:PORT;
        root OUT;
        absolute_redirect off;
        charset utf-8;
        charset_types text/html text/plain text/css text/xml application/javascript;
        gzip_static on;
        brotli_static on;
        etag on;
        error_page 404 /404.html;

        location ~ /\. { return 404; }
        location = /_redirects { return 404; }

        if ($cchc_redirect) { return 301 $cchc_redirect; }

        location / {
            try_files $uri $uri.html $uri/ =404;
        }
        location ~ /rss\.xml$   { default_type "application/rss+xml; charset=utf-8";   types { } }
        location ~ /atom\.xml$  { default_type "application/atom+xml; charset=utf-8";  types { } }
        location ~ /feed\.json$ { default_type "application/feed+json; charset=utf-8"; types { } }
        location ~ /sitemap[^/]*\.xml$ { default_type "application/xml; charset=utf-8"; types { } }
    }
EXTRA
}
`

// startNginx serves out with Debian's nginx on a free loopback port and
// returns its address; it stops with the test.
func startNginx(t *testing.T, out string) string {
	t.Helper()
	return startNginxWith(t, out, "")
}

// startNginxWith is startNginx with extra (more servers, on PORT) in the
// configuration's http block.
func startNginxWith(t *testing.T, out, extra string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("nginx is not installed (.ci/run installs Debian's): %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("DIR", dir, "OUT", out, "PORT", port).Replace(strings.Replace(nginxConf, "EXTRA", extra, 1))
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf"))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	addr := "127.0.0.1:" + port
	// A generous bound: nginx starts in milliseconds; this only catches
	// one that never listens.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx does not listen on %s: %s\n%s", addr, stderr.String(), log)
		}
	}
	return "http://" + addr
}

// TestNginxServesMirror serves the demo's mirror with nginx and checks it
// against serve for the same URLs: status, content type, bytes, gzip,
// brotli (ngx_brotli, Debian's libnginx-mod-http-brotli-static), ETag and
// 304, the moved article's 301 and the 404 page.
func TestNginxServesMirror(t *testing.T) {
	env, old := demoEnv(t)
	out := t.TempDir()
	if _, err := env.BuildMirror(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	base := startNginx(t, out)
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	get := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}

	m := readManifest(t, out)
	pages, gz, br := 0, 0, 0
	for _, e := range m.Files {
		if e.URL == "" || e.Location != "" {
			continue
		}
		want := testsupport.Get(h, e.URL)
		resp, body := get(e.URL)
		if resp.StatusCode != want.Code || !bytes.Equal(body, want.Body.Bytes()) {
			t.Errorf("%s: nginx %d, %d bytes; serve %d, %d bytes", e.URL, resp.StatusCode, len(body), want.Code, want.Body.Len())
			continue
		}
		if got, w := resp.Header.Get("Content-Type"), want.Header().Get("Content-Type"); got != w {
			t.Errorf("%s: nginx sends %q, serve %q", e.URL, got, w)
		}
		pages++
		// ETag and 304, then the same compressed, from the .gz.
		tag := resp.Header.Get("ETag")
		if tag == "" {
			t.Errorf("%s: no ETag from nginx", e.URL)
		} else if resp, _ := get(e.URL, "If-None-Match", tag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match %s = %d, want 304", e.URL, tag, resp.StatusCode)
		}
		// A browser that takes brotli gets the .br (ngx_brotli's
		// brotli_static), decoding to the same bytes.
		if resp, bbody := get(e.URL, "Accept-Encoding", "gzip, deflate, br"); e.Brotli {
			if resp.Header.Get("Content-Encoding") != "br" {
				t.Errorf("%s: no br from nginx (%q)", e.URL, resp.Header.Get("Content-Encoding"))
			} else if plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(bbody))); err != nil || !bytes.Equal(plain, body) {
				t.Errorf("%s: br from nginx decodes to other bytes (%v)", e.URL, err)
			} else {
				br++
			}
		}
		resp, zbody := get(e.URL, "Accept-Encoding", "gzip")
		if e.Gzip {
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: no gzip from nginx", e.URL)
			} else {
				zr, err := gzip.NewReader(bytes.NewReader(zbody))
				if err != nil {
					t.Fatalf("%s: %v", e.URL, err)
				}
				if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, body) {
					t.Errorf("%s: gzip from nginx unpacks to other bytes", e.URL)
				}
				gz++
			}
		}
	}
	if pages < 100 || gz < 100 || br != gz {
		t.Errorf("compared %d URLs, %d gzipped, %d in brotli", pages, gz, br)
	}

	// The moved article, as serve answers it.
	want := testsupport.Get(h, old)
	resp, _ := get(old)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want.Header().Get("Location") {
		t.Errorf("%s: nginx %d → %q, serve %d → %q", old, resp.StatusCode, resp.Header.Get("Location"), want.Code, want.Header().Get("Location"))
	}
	// The 404 page: serve's bytes, status 404.
	want = testsupport.Get(h, "/khong-co-trang-nay")
	resp, body := get("/khong-co-trang-nay")
	if resp.StatusCode != 404 || want.Code != 404 || !bytes.Equal(body, want.Body.Bytes()) {
		t.Errorf("404: nginx %d, %d bytes; serve %d, %d bytes", resp.StatusCode, len(body), want.Code, want.Body.Len())
	}
	// The mirror's own records are not served.
	for _, p := range []string{"/" + mirror.ManifestName, "/" + mirror.StateName, "/" + mirror.NginxMapName, "/" + mirror.RedirectsName} {
		if resp, _ := get(p); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
	t.Logf("nginx: %d URLs the same as serve, %d of them gzipped from the .gz and as many in brotli from the .br", pages, gz)
}
