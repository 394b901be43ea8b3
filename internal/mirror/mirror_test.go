package mirror_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"

	"cchc/bench/corpus"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/mirror"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

const base = "https://cchc.example.gov.vn"

var clock = time.Date(2026, 1, 1, 9, 0, 0, 0, vntext.Zone)

// demoEnv is the demo column with a public address and one article moved
// to a new slug, so that its old address answers 301.
func demoEnv(t *testing.T) (*app.Env, string) {
	t.Helper()
	cfg := config.Defaults
	cfg.BaseURL = base
	env := testsupport.Demo(t, cfg, func() time.Time { return clock })
	return env, renameArticle(t, env)
}

func renameArticle(t *testing.T, env *app.Env) string {
	t.Helper()
	ctx := context.Background()
	items, _, err := env.Store.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: clock, Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("public article: %v", err)
	}
	if _, err := env.DB.Write.ExecContext(ctx, `UPDATE items SET slug = slug || '-doi-ten' WHERE id = ?`, items[0].ID); err != nil {
		t.Fatal(err)
	}
	env.Pages.Invalidate()
	return items[0].URL()
}

func readManifest(t *testing.T, out string) *mirror.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, mirror.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m mirror.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// checkSameAsRouter asks the router for every URL of the mirror and
// compares the bytes, and the .gz once unpacked; it returns the number of
// URLs compared.
func checkSameAsRouter(t *testing.T, h http.Handler, out string) int {
	t.Helper()
	m := readManifest(t, out)
	n := 0
	for name, e := range m.Files {
		disk, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if e.Gzip {
			zb, err := os.ReadFile(filepath.Join(out, name+".gz"))
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(zb))
			if err != nil {
				t.Fatalf("%s.gz: %v", name, err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(plain, disk) {
				t.Errorf("%s.gz does not unpack to %s (%v)", name, name, err)
			}
			// Every file with a .gz has its .br too, decoding to the
			// same bytes.
			bb, err := os.ReadFile(filepath.Join(out, name+".br"))
			if err != nil || !e.Brotli {
				t.Errorf("%s: no .br beside the .gz (manifest says %v): %v", name, e.Brotli, err)
			} else if plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(bb))); err != nil || !bytes.Equal(plain, disk) {
				t.Errorf("%s.br does not decode to %s (%v)", name, name, err)
			}
		}
		switch {
		case name == mirror.NotFoundName:
			w := testsupport.Get(h, "/404.html")
			if w.Code != 404 || !bytes.Equal(w.Body.Bytes(), disk) {
				t.Errorf("404.html differs from the router's 404 page")
			}
		case e.Location != "":
			w := testsupport.Get(h, e.URL)
			if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != e.Location {
				t.Errorf("%s: router %d → %q, mirror redirects to %q", e.URL, w.Code, w.Header().Get("Location"), e.Location)
			}
		case e.URL != "":
			w := testsupport.Get(h, e.URL)
			if w.Code != 200 {
				t.Errorf("%s: router answers %d", e.URL, w.Code)
				continue
			}
			if !bytes.Equal(w.Body.Bytes(), disk) {
				t.Errorf("%s (%s): %d bytes on disk differ from the router's %d", e.URL, name, len(disk), w.Body.Len())
			}
			if ct := w.Header().Get("Content-Type"); ct != e.Type {
				t.Errorf("%s: type %q recorded, router sends %q", e.URL, e.Type, ct)
			}
		}
		n++
	}
	return n
}

// resolve finds the file a static server (nginx: try_files $uri $uri.html
// $uri/index.html) serves for the URL path p.
func resolve(out, p string) (string, bool) {
	for _, c := range []string{p, p + ".html", p + "/index.html"} {
		if strings.HasSuffix(c, "/") {
			c += "index.html"
		}
		fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(c)))
		if err == nil && fi.Mode().IsRegular() {
			return filepath.Join(out, filepath.FromSlash(c)), true
		}
	}
	return "", false
}

// crawlMirror follows every link of the mirror from / on disk, as a
// reader of the static server would, and returns the links that find no
// file, and how many files it read.
func crawlMirror(t *testing.T, out string) (broken []string, visited int) {
	t.Helper()
	m := readManifest(t, out)
	types := map[string]string{}
	for name, e := range m.Files {
		types[filepath.Join(out, filepath.FromSlash(name))] = e.Type
	}
	seen := map[string]bool{"/": true}
	queue := []string{"/", "/robots.txt", "/sitemap.xml"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		file, ok := resolve(out, p)
		if !ok {
			t.Fatalf("%s: no file", p)
		}
		visited++
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, link := range mirror.Links(body, types[file], base) {
			u, err := url.Parse(strings.TrimPrefix(link, base))
			if err != nil || u.Host != "" || u.Scheme != "" {
				continue // another site's
			}
			r := (&url.URL{Path: p}).ResolveReference(u)
			if r.Path == "" || strings.HasPrefix(r.Path, "/tim-kiem") || strings.HasPrefix(r.Path, "/quan-tri") {
				continue // on the origin
			}
			if r.RawQuery != "" {
				broken = append(broken, link+" (query, from "+p+")")
				continue
			}
			if seen[r.Path] {
				continue
			}
			seen[r.Path] = true
			if _, ok := resolve(out, r.Path); !ok {
				broken = append(broken, r.Path+" (from "+p+")")
				continue
			}
			queue = append(queue, r.Path)
		}
	}
	return broken, visited
}

// TestDemoMirror builds the mirror of the demo column and checks it
// against the router: every file the very bytes serve sends, the moved
// article's 301 kept three ways, and every link resolving inside it.
func TestDemoMirror(t *testing.T) {
	env, old := demoEnv(t)
	out := t.TempDir()
	res, err := env.BuildMirror(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != res.Files || res.Files < 100 {
		t.Errorf("first run: %d files, %d written", res.Files, len(res.Written))
	}
	for _, l := range res.Left {
		if l.Reason != mirror.LeftQuery {
			t.Errorf("left out: %+v", l)
		}
	}
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	n := checkSameAsRouter(t, h, out)
	t.Logf("demo: %d files compared with the router, %d bytes", n, res.Bytes)

	// The moved article: a redirect page, a map entry, a _redirects line.
	to := old + "-doi-ten"
	page, err := os.ReadFile(filepath.Join(out, strings.TrimPrefix(old, "/")+".html"))
	if err != nil || !bytes.Contains(page, []byte(`<meta http-equiv="refresh" content="0; url=`+to+`">`)) {
		t.Errorf("no redirect page at %s: %v\n%s", old, err, page)
	}
	nginx, _ := os.ReadFile(filepath.Join(out, mirror.NginxMapName))
	if !bytes.Contains(nginx, []byte(`"`+old+`" "`+to+`";`)) {
		t.Errorf("nginx map lacks %s:\n%s", old, nginx)
	}
	netlify, _ := os.ReadFile(filepath.Join(out, mirror.RedirectsName))
	if !bytes.Contains(netlify, []byte(old+" "+to+" 301\n")) {
		t.Errorf("_redirects lacks %s:\n%s", old, netlify)
	}
	if res.Redirects != 1 {
		t.Errorf("%d redirects, want 1", res.Redirects)
	}

	broken, visited := crawlMirror(t, out)
	if len(broken) > 0 {
		t.Errorf("%d links unresolved in the mirror: %v", len(broken), broken)
	}
	if visited < 100 {
		t.Errorf("the crawl of the mirror read only %d files", visited)
	}
}

// TestCorpusMirror does the same on a generated corpus of 1,000 items
// (issue 19.1: the demo column and a 1,000-item corpus, byte for byte)
// whose lists fill many pages: every file the bytes serve sends for its
// URL, gzip aside, and every page of every list in the mirror, by path.
// Then one article more: the next run renders its page, the lists, areas,
// feeds and sitemap — a fraction of the URLs — and leaves the folder as a
// full build into an empty one does (issue 19.2).
func TestCorpusMirror(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 1000, 1); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults
	cfg.BaseURL = base
	env := testsupport.Open(t, cfg, func() time.Time { return clock })
	testsupport.Import(t, env, os.DirFS(dir))
	out := t.TempDir()
	t0 := time.Now()
	res, all := build(t, env, out)
	tFull := time.Since(t0)
	t.Logf("corpus of 1,000 items: %d files, %d bytes in %v", res.Files, res.Bytes, tFull.Round(time.Millisecond))
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	if n := checkSameAsRouter(t, h, out); n < 1000 {
		t.Errorf("only %d files compared with the router", n)
	}
	for _, f := range []string{"tin-tuc/trang/2/index.html", "van-ban/trang/2/index.html", "thu-tuc-hanh-chinh/trang/2/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s missing: %v", f, err)
		}
	}
	if broken, _ := crawlMirror(t, out); len(broken) > 0 {
		t.Errorf("%d links unresolved in the mirror: %v", len(broken), broken)
	}

	testsupport.Import(t, env, fstest.MapFS{"articles/bai-moi.md": {Data: []byte(newArticle)}})
	t0 = time.Now()
	res, n := build(t, env, out)
	t.Logf("one article more: %d of %d URLs rendered, %d files written in %v (full: %v)",
		n, all, len(res.Written), time.Since(t0).Round(time.Millisecond), tFull.Round(time.Millisecond))
	if n*4 > all {
		t.Errorf("one article more rendered %d of %d URLs", n, all)
	}
	fresh := t.TempDir()
	build(t, env, fresh)
	sameTree(t, "one article more at 1,000", out, fresh)
}

const newArticle = `---
title: Bài mới về cải cách hành chính
date: 2025-12-30T08:00:00+07:00
summary: Một bài mới để kiểm tra bản tĩnh.
areas: [II.1]
---
Nội dung bài mới.
`

// TestIncremental publishes one article and rebuilds: only the files it
// appears in are written, the others keep their time; trashing it deletes
// its file.
func TestIncremental(t *testing.T) {
	env, _ := demoEnv(t)
	ctx := context.Background()
	out := t.TempDir()
	if _, err := env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	// Every file an hour old: a write shows in its time.
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, past, past)
		}
		return nil
	})
	res, err := env.BuildMirror(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 0 || len(res.Deleted) != 0 {
		t.Fatalf("a run with nothing changed wrote %v, deleted %v", res.Written, res.Deleted)
	}

	testsupport.Import(t, env, fstest.MapFS{"articles/bai-moi.md": {Data: []byte(newArticle)}})
	res, err = env.BuildMirror(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after one article: %d of %d files written: %v", len(res.Written), res.Files, res.Written)
	for _, want := range []string{"tin-tuc/bai-moi.html", "index.html", "tin-tuc/index.html", "rss.xml", "tin-tuc/atom.xml",
		"sitemap.xml", "chu-de/van-ban-chi-dao.html", "chu-de/van-ban-chi-dao/feed.json", "chu-de/index.html"} {
		if !slices.Contains(res.Written, want) {
			t.Errorf("%s not written", want)
		}
	}
	for _, w := range res.Written {
		if strings.HasPrefix(w, "thu-tuc-hanh-chinh/") || strings.HasPrefix(w, "van-ban/") || strings.HasPrefix(w, "assets/") {
			t.Errorf("%s written: the article is not on it", w)
		}
	}
	if len(res.Written) > 30 {
		t.Errorf("%d files written for one article", len(res.Written))
	}
	m := readManifest(t, out)
	kept := 0
	for name := range m.Files {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if written := slices.Contains(res.Written, name); written == fi.ModTime().Equal(past) {
			t.Errorf("%s: written %v, time %v", name, written, fi.ModTime())
		}
		if !slices.Contains(res.Written, name) {
			kept++
		}
	}
	if kept < 80 {
		t.Errorf("only %d files kept", kept)
	}

	// The article leaves the public site: its file goes, the lists change.
	it, err := env.Store.ItemBySlug(ctx, content.Article, "bai-moi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Publish.Transition(ctx, publish.Actor{Name: "admin", Role: auth.Admin}, publish.TransitionRequest{ID: it.ID, Action: auth.ActDelete}); err != nil {
		t.Fatal(err)
	}
	res, err = env.BuildMirror(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Deleted, []string{"tin-tuc/bai-moi.html"}) {
		t.Errorf("deleted %v, want the article", res.Deleted)
	}
	for _, f := range []string{"tin-tuc/bai-moi.html", "tin-tuc/bai-moi.html.gz"} {
		if _, err := os.Stat(filepath.Join(out, f)); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", f, err)
		}
	}
	h, _ := env.Handler()
	checkSameAsRouter(t, h, out)
}

// hostile is an origin that links to addresses meant to escape the
// mirror's folder or to overwrite its own files.
func hostile(links []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ra-ngoai":
			http.Redirect(w, r, "https://evil.example/x", http.StatusMovedPermanently)
			return
		case "/chuyen":
			http.Redirect(w, r, "/../../thoat", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		b.WriteString("<!DOCTYPE html><title>x</title>")
		if r.URL.Path == "/" {
			for _, l := range links {
				b.WriteString(`<a href="` + l + `">x</a>`)
			}
		}
		b.WriteString("<p>" + r.URL.Path + "</p>")
		w.Write([]byte(b.String()))
	})
}

// TestHostilePaths: no link, redirect or forged manifest makes the mirror
// write or delete a file outside its folder, or overwrite its own records.
func TestHostilePaths(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	victim := filepath.Join(parent, "victim.html")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := []string{
		"/../victim", "/../../thoat", "/%2e%2e/victim", "/a/%2e%2e/%2e%2e/victim", "/a/..%2f..%2fvictim",
		"/.cchc/manifest.json", "/.cchc/redirects.map", "/.tmp-index.html", "/a\\..\\..\\victim",
		"/" + strings.Repeat("a", 300), "/" + strings.Repeat("b/", 600), "/%00", "/c%0Ad",
		"//evil.example/x", "https://evil.example/y", "/ra-ngoai", "/chuyen", "/duoc",
	}
	opt := mirror.Options{Handler: hostile(links), Base: base}
	res, err := mirror.Build(context.Background(), out, opt)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"out", "victim.html"}) {
		t.Errorf("beside the mirror: %v", names)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("victim overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(out, "duoc.html")); err != nil {
		t.Errorf("the plain link was not written: %v", err)
	}
	m := readManifest(t, out)
	for name := range m.Files {
		if strings.Contains(name, "..") || len(name) > 1100 {
			t.Errorf("manifest names %q", name)
		}
	}
	t.Logf("%d files, %d links left out", res.Files, len(res.Left))

	// A forged manifest naming files outside: the next run deletes none.
	forged := `{"files":{"../victim.html":{"url":"/x","sha256":"0"},"/etc/passwd":{"url":"/y","sha256":"0"},"a/../../victim.html":{"url":"/z","sha256":"0"}}}`
	if err := os.WriteFile(filepath.Join(out, mirror.ManifestName), []byte(forged), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = mirror.Build(context.Background(), out, opt)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep" {
		t.Errorf("victim touched by a forged manifest: %q %v", b, err)
	}
	if len(res.Deleted) != 0 {
		t.Errorf("deleted %v", res.Deleted)
	}
	if got := path.Clean("/" + res.Written[0]); strings.HasPrefix(got, "/..") {
		t.Errorf("written %v", res.Written)
	}
}

// TestFileName pins how URLs become files.
func TestFileName(t *testing.T) {
	html := "text/html; charset=utf-8"
	tests := []struct{ path, ctype, want string }{
		{"/", html, "index.html"},
		{"/tin-tuc/", html, "tin-tuc/index.html"},
		{"/tin-tuc/trang/2/", html, "tin-tuc/trang/2/index.html"},
		{"/tin-tuc/bai", html, "tin-tuc/bai.html"},
		{"/chu-de/II.1", html, "chu-de/II.1.html"},
		{"/chu-de/II.1/rss.xml", "application/rss+xml; charset=utf-8", "chu-de/II.1/rss.xml"},
		{"/robots.txt", "text/plain; charset=utf-8", "robots.txt"},
		{"/404.html", html, "404.html"},
	}
	for _, tt := range tests {
		if got, err := mirror.FileName(tt.path, tt.ctype); err != nil || got != tt.want {
			t.Errorf("FileName(%q) = %q, %v; want %q", tt.path, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "a", "/..", "/a/../b", "/./a", "//a", "/a//b", "/.cchc/x", "/a\\b", "/a\x00", "/" + strings.Repeat("x", 201), "/" + strings.Repeat("x/", 600)} {
		if got, err := mirror.FileName(bad, html); err == nil {
			t.Errorf("FileName(%q) = %q, want refused", bad, got)
		}
	}
}

// TestConcurrentBuilds runs four builds into one folder at once (cchc
// build-static beside serve --mirror): none fails, the folder ends as one
// build leaves it, and no temporary file is left.
func TestConcurrentBuilds(t *testing.T) {
	env, _ := demoEnv(t)
	out := t.TempDir()
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, err := env.BuildMirror(context.Background(), out)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent build: %v", err)
		}
	}
	res, err := env.BuildMirror(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 0 || len(res.Deleted) != 0 {
		t.Errorf("after the concurrent builds: wrote %v, deleted %v", res.Written, res.Deleted)
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
	h, _ := env.Handler()
	checkSameAsRouter(t, h, out)
}
