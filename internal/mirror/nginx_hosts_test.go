//go:build nginx

package mirror_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/agency"
	"cchc/internal/mirror"
	"cchc/internal/store"
)

// hostColumn is the host of the column TestNginxServesHostColumn mirrors.
const hostColumn = "stc.example.gov.vn"

// nginxHostServer is docs/DEPLOY.md's server of a host column: the main
// server's lines, its root the host's folder of the mirror.
const nginxHostServer = `
    map $uri $cchc_redirect_stc {
        include OUT/.hosts/` + hostColumn + `/.cchc/redirects.map;
    }
    server {
        listen 127.0.0.1:PORT;
        server_name ` + hostColumn + `;
        root OUT/.hosts/` + hostColumn + `;
        absolute_redirect off;
        charset utf-8;
        charset_types text/html text/plain text/css text/xml application/javascript;
        gzip_static on;
        brotli_static on;
        etag on;
        error_page 404 /404.html;

        location ~ /\. { return 404; }
        location = /_redirects { return 404; }

        if ($cchc_redirect_stc) { return 301 $cchc_redirect_stc; }

        location / {
            try_files $uri $uri.html $uri/ =404;
        }
        location ~ /rss\.xml$   { default_type "application/rss+xml; charset=utf-8";   types { } }
        location ~ /atom\.xml$  { default_type "application/atom+xml; charset=utf-8";  types { } }
        location ~ /feed\.json$ { default_type "application/feed+json; charset=utf-8"; types { } }
        location ~ /sitemap[^/]*\.xml$ { default_type "application/xml; charset=utf-8"; types { } }
    }
`

// TestNginxServesHostColumn: a column at a host of its own, mirrored
// into .hosts/HOST and served by a server of that name as DEPLOY.md
// shows it, answers every URL of its manifest as serve does at that
// host (status, content type, bytes), its 404 page too; the main server
// does not serve the host's folder.
func TestNginxServesHostColumn(t *testing.T) {
	env, _ := demoEnv(t)
	ctx := context.Background()
	id, err := env.Store.CreateAgency(ctx, agency.Agency{Slug: "so-tai-chinh", Name: "Sở Tài chính tỉnh Quảng Ngãi", ShortName: "Sở Tài chính",
		Host: hostColumn}, store.AuditEntry{At: clock, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Publish.Import(agency.WithID(ctx, id), fstest.MapFS{"articles/stc-mot.md": {Data: []byte("---\ntitle: Sở Tài chính công khai thủ tục hành chính" +
		"\ndate: 2022-03-20T08:00:00+07:00\nsummary: Công khai thủ tục.\nauthor: Văn phòng Sở Tài chính\n---\nCông khai thủ tục.\n")}}, "content")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import: %v %v", err, res)
	}
	out := t.TempDir()
	if _, err := env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	base := startNginxWith(t, out, nginxHostServer)
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	get := func(host, path string) (int, string, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), b
	}
	serve := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = hostColumn
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	m := readManifest(t, filepath.Join(out, mirror.HostsDir, hostColumn))
	pages := 0
	for _, e := range m.Files {
		if e.URL == "" || e.Location != "" {
			continue
		}
		want := serve(e.URL)
		code, ctype, body := get(hostColumn, e.URL)
		if code != want.Code || !bytes.Equal(body, want.Body.Bytes()) || ctype != want.Header().Get("Content-Type") {
			t.Errorf("%s: nginx %d %q, %d bytes; serve %d %q, %d bytes", e.URL, code, ctype, len(body), want.Code, want.Header().Get("Content-Type"), want.Body.Len())
			continue
		}
		pages++
	}
	if code, _, body := get(hostColumn, "/tin-tuc/stc-mot"); code != http.StatusOK || !bytes.Contains(body, []byte("Sở Tài chính công khai thủ tục hành chính")) {
		t.Errorf("the host column's article from nginx: %d", code)
	}
	want := serve("/khong-co-trang-nay")
	if code, _, body := get(hostColumn, "/khong-co-trang-nay"); code != http.StatusNotFound || !bytes.Equal(body, want.Body.Bytes()) {
		t.Errorf("the host column's 404 from nginx: %d, %d bytes; serve %d, %d bytes", code, len(body), want.Code, want.Body.Len())
	}
	for _, p := range []string{"/" + mirror.HostsDir + "/" + hostColumn + "/index.html", "/" + mirror.HostsDir + "/" + hostColumn + "/tin-tuc/stc-mot.html"} {
		if code, _, body := get("cchc.example.gov.vn", p); code != http.StatusNotFound || strings.Contains(string(body), "Sở Tài chính công khai") {
			t.Errorf("the main server serves %s: %d", p, code)
		}
	}
	if pages < 10 {
		t.Errorf("compared only %d URLs of the host column", pages)
	}
	t.Logf("nginx, host column %s: %d URLs the same as serve at that host", hostColumn, pages)
}
