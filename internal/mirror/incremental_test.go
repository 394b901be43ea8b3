package mirror_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	demo "cchc/content"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	cc "cchc/internal/content"
	"cchc/internal/mirror"
	"cchc/internal/publish"
	"cchc/internal/testsupport"
)

// readTree reads every file under dir, by its slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree fails the test unless the folders got and want hold the same
// files, byte for byte: the incremental run left no stale file and missed
// no change.
func sameTree(t *testing.T, step, got, want string) {
	t.Helper()
	g, w := readTree(t, got), readTree(t, want)
	for _, name := range slices.Sorted(maps.Keys(w)) {
		b, ok := g[name]
		switch {
		case !ok:
			t.Errorf("%s: %s missing from the incremental mirror", step, name)
		case !bytes.Equal(b, w[name]):
			t.Errorf("%s: %s differs from a full build's (%d bytes, full %d)", step, name, len(b), len(w[name]))
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			t.Errorf("%s: %s left in the incremental mirror, not in a full build", step, name)
		}
	}
}

// build runs one incremental build of env into out, counting the URLs
// asked of the handler.
func build(t *testing.T, env *app.Env, out string) (*mirror.Result, int) {
	t.Helper()
	ctx := context.Background()
	opt, err := env.MirrorOptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	h := opt.Handler
	opt.Handler = countHandler{h, &n}
	res, err := mirror.Build(ctx, out, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res, n
}

type countHandler struct {
	h http.Handler
	n *int
}

func (c countHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	*c.n++
	c.h.ServeHTTP(w, r)
}

const (
	// replacingDecree replaces 08/2014/NĐ-CP, which procedures cite: its
	// page shows the new decree, and theirs show it out of force, though
	// they do not link to the new one (the change passes on through the
	// page of the decree replaced).
	replacingDecree = `---
number: 15/2026/NĐ-CP
type: Nghị định
issuer: Chính phủ
issued: 2025-12-20
title: Quy định chi tiết một số điều của Luật Khoa học, công nghệ và đổi mới sáng tạo
effective: 2025-12-25
replaces: 08/2014/NĐ-CP (25/12/2025)
field: Khoa học và công nghệ
date: 2025-12-30T08:00:00+07:00
summary: Nghị định sửa đổi quy định về tổ chức khoa học và công nghệ.
---
Nội dung nghị định sửa đổi.
`
	// replacing is the law 29/2013/QH13 names as replacing it.
	replacing = `---
number: 93/2025/QH15
type: Luật
issuer: Quốc hội
issued: 2025-06-27
title: Luật Khoa học, công nghệ và đổi mới sáng tạo
effective: 2025-10-01
replaces: 29/2013/QH13 (01/10/2025)
field: Khoa học và công nghệ
date: 2025-12-30T09:00:00+07:00
summary: Luật thay thế Luật Khoa học và Công nghệ năm 2013.
---
Nội dung luật mới.
`
	scheduled = `---
title: Bài hẹn giờ đăng tải
date: 2026-01-01T11:00:00+07:00
summary: Một bài đến giờ mới đăng tải.
areas: [II.2.a]
---
Nội dung bài hẹn giờ.
`
)

// TestIncrementalEqualsFull changes the demo column step by step — one
// article more, a document's title edited, a decree replacing one that
// procedures cite, a law replacing another, a scheduled article falling
// due, an article trashed, an article's slug changed, a new day — and
// after each compares
// the mirror kept up by incremental runs with a full build into an empty
// folder: every file, its .gz and .br, the manifest, byte for byte, and no
// file more. Each change renders fewer URLs than the mirror holds; nothing
// changed renders only the 404 page; a new day renders everything.
func TestIncrementalEqualsFull(t *testing.T) {
	ctx := context.Background()
	now := clock
	cfg := config.Defaults
	cfg.BaseURL = base
	env := testsupport.Demo(t, cfg, func() time.Time { return now })
	out := t.TempDir()
	res, all := build(t, env, out)
	t.Logf("first run: %d files, %d URLs rendered", res.Files, all)

	edited, err := fs.ReadFile(demo.FS, "documents/08-2014-nd-cp.md")
	if err != nil {
		t.Fatal(err)
	}
	edited = bytes.Replace(edited, []byte("title: Quy định chi tiết"), []byte("title: Quy định cụ thể"), 1)
	steps := []struct {
		name   string
		change func()
		// full: the change is to every page (a new day).
		full bool
	}{
		{"nothing changed", func() {}, false},
		{"one article more", func() {
			testsupport.Import(t, env, fstest.MapFS{"articles/bai-moi.md": {Data: []byte(newArticle)}})
		}, false},
		{"a document's title edited", func() {
			testsupport.Import(t, env, fstest.MapFS{"documents/08-2014-nd-cp.md": {Data: edited}})
		}, false},
		{"a decree replacing one procedures cite", func() {
			testsupport.Import(t, env, fstest.MapFS{"documents/15-2026-nd-cp.md": {Data: []byte(replacingDecree)}})
		}, false},
		{"a law replacing another", func() {
			testsupport.Import(t, env, fstest.MapFS{"documents/93-2025-qh15.md": {Data: []byte(replacing)}})
		}, false},
		{"a scheduled article, not yet due", func() {
			testsupport.Import(t, env, fstest.MapFS{"articles/bai-hen-gio.md": {Data: []byte(scheduled)}})
		}, false},
		// No poller drops the page cache here when the time passes
		// (PageCache.Watch does in serve): MirrorOptions must, or the
		// lists cached before come back without the article due.
		{"the scheduled article falls due", func() { now = now.Add(3 * time.Hour) }, false},
		{"an article trashed", func() {
			it, err := env.Store.ItemBySlug(ctx, cc.Article, "bai-moi")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.Publish.Transition(ctx, publish.Actor{Name: "admin", Role: auth.Admin}, publish.TransitionRequest{ID: it.ID, Action: auth.ActDelete}); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"an article's slug changed", func() { renameArticle(t, env) }, false},
		{"a new day", func() { now = now.Add(24 * time.Hour) }, true},
	}
	for _, s := range steps {
		s.change()
		res, n := build(t, env, out)
		fresh := t.TempDir()
		full, nfull := build(t, env, fresh)
		t.Logf("%s: %d of %d URLs rendered (full: %d), %d files written, %d deleted", s.name, n, nfull, nfull, len(res.Written), len(res.Deleted))
		sameTree(t, s.name, out, fresh)
		if res.Files != full.Files || res.Redirects != full.Redirects || len(res.Left) != len(full.Left) {
			t.Errorf("%s: %d files, %d redirects, %d left; a full build %d, %d, %d", s.name,
				res.Files, res.Redirects, len(res.Left), full.Files, full.Redirects, len(full.Left))
		}
		switch {
		case s.full && n != nfull:
			t.Errorf("%s: %d URLs rendered, want all %d", s.name, n, nfull)
		case s.name == "nothing changed" && n > 1:
			t.Errorf("nothing changed, yet %d URLs rendered", n)
		case !s.full && n >= nfull*3/4:
			t.Errorf("%s: %d of %d URLs rendered", s.name, n, nfull)
		}
		if res.Rendered != n {
			t.Errorf("%s: Result.Rendered %d, the handler was asked %d times", s.name, res.Rendered, n)
		}
		if strings.Contains(s.name, "trashed") && !slices.Contains(res.Deleted, "tin-tuc/bai-moi.html") {
			t.Errorf("trashed article not deleted: %v", res.Deleted)
		}
		if strings.Contains(s.name, "falls due") && !slices.Contains(res.Written, "tin-tuc/bai-hen-gio.html") {
			t.Errorf("the article due is not written: %v", res.Written)
		}
	}
}

// TestForgedState: a state file forged to match the manifest, naming
// files and links outside the folder and a redirect off the site, makes
// the next run neither write nor delete anything outside the folder.
func TestForgedState(t *testing.T) {
	env, _ := demoEnv(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	victim := filepath.Join(parent, "victim.html")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, env, out)
	var st map[string]any
	b, err := os.ReadFile(filepath.Join(out, mirror.StateName))
	if err != nil || json.Unmarshal(b, &st) != nil {
		t.Fatalf("state: %v", err)
	}
	links := st["links"].([]any)
	pages := st["pages"].(map[string]any)
	n := len(links)
	links = append(links, "/../victim", "/%2e%2e/victim", "/.cchc/manifest.json")
	st["links"] = links
	home := pages["/"].(map[string]any)
	home["o"] = append(home["o"].([]any), n, n+1, n+2)
	pages["/tin-tuc/"].(map[string]any)["f"] = "../victim.html"
	pages["/theo-doi"] = map[string]any{"c": 301, "l": "https://evil.example/x"}
	pages["/../victim"] = map[string]any{"c": 200, "f": "../victim.html"}
	forged, _ := json.Marshal(st)
	if err := os.WriteFile(filepath.Join(out, mirror.StateName), forged, 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ := build(t, env, out)
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep" {
		t.Errorf("victim touched by a forged state: %q %v", b, err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 {
		t.Errorf("beside the mirror: %v", entries)
	}
	for _, name := range append(res.Written, res.Deleted...) {
		if strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
			t.Errorf("wrote or deleted %q", name)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "tin-tuc", "index.html")); err != nil {
		t.Errorf("the list whose record was forged is gone: %v", err)
	}
}
