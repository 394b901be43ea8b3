package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// stpArticle is an article of agency 2's column.
func stpArticle(slug, title string) fstest.MapFS {
	return fstest.MapFS{"articles/" + slug + ".md": {Data: []byte("---\ntitle: " + title +
		"\ndate: 2022-03-20T08:00:00+07:00\nsummary: " + title + ".\nauthor: Văn phòng Sở Tư pháp\n---\n" + title + ".\n")}}
}

func importFor(t *testing.T, env *app.Env, id int64, fsys fstest.MapFS) {
	t.Helper()
	res, err := env.Publish.Import(agency.WithID(t.Context(), id), fsys, "content")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import for agency %d: %v %v", id, err, res)
	}
}

// TestMirrorWithColumns: the static mirror (issue 20, point 6) holds
// the root column and, reached through the root's robots.txt, each
// column under a prefix; an incremental run follows what changes in a
// column — its items, its agency's record — and leaves the root
// column's files alone, ending as a full run does.
func TestMirrorWithColumns(t *testing.T) {
	ctx := t.Context()
	clock := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cfg := config.Defaults
	cfg.BaseURL = "https://cchc.example.gov.vn"
	env := testsupport.Demo(t, cfg, func() time.Time { return clock })
	out := t.TempDir()
	if _, err := env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	read := func(dir, name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rootOnly := func(res []string) {
		t.Helper()
		for _, w := range res {
			if !strings.HasPrefix(w, "robots.txt") && !strings.HasPrefix(w, "so-tu-phap/") {
				t.Errorf("a root column's file written again: %s", w)
			}
		}
	}

	stp := agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"}
	id, err := env.Store.CreateAgency(ctx, stp, store.AuditEntry{At: clock, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	importFor(t, env, id, stpArticle("stp-mot", "Sở Tư pháp tuyên truyền cải cách hành chính"))
	res, err := env.BuildMirror(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	rootOnly(res.Written)
	if robots := read(out, "robots.txt"); !bytes.HasSuffix(robots, []byte("Sitemap: https://cchc.example.gov.vn/sitemap.xml\nSitemap: https://cchc.example.gov.vn/so-tu-phap/sitemap.xml\n")) {
		t.Errorf("the mirror's robots.txt after the column was added:\n%s", robots)
	}
	if home := read(out, "so-tu-phap/index.html"); !bytes.Contains(home, []byte(`<span class="brand-name">Sở Tư pháp tỉnh Quảng Ngãi</span>`)) ||
		!bytes.Contains(home, []byte(`href="/so-tu-phap/tin-tuc/stp-mot"`)) {
		t.Error("the column's home in the mirror is not its own")
	}
	read(out, "so-tu-phap/tin-tuc/stp-mot.html")

	// A new item of the column, then a new name: each reaches the mirror
	// in an incremental run.
	importFor(t, env, id, stpArticle("stp-hai", "Sở Tư pháp tập huấn thủ tục hành chính"))
	if res, err = env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	rootOnly(res.Written)
	if list := read(out, "so-tu-phap/tin-tuc/index.html"); !bytes.Contains(list, []byte(`href="/so-tu-phap/tin-tuc/stp-hai"`)) {
		t.Errorf("the column's new article is not in its mirrored list (written %v)", res.Written)
	}
	st, err := env.Store.Agency(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st.Name = "Sở Tư pháp"
	if err := env.Store.UpdateAgency(ctx, *st, store.AuditEntry{At: clock, Actor: "admin"}); err != nil {
		t.Fatal(err)
	}
	if res, err = env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	if home := read(out, "so-tu-phap/index.html"); !bytes.Contains(home, []byte(`<span class="brand-name">Sở Tư pháp</span>`)) {
		t.Errorf("the column's new name is not in the mirror (written %v)", res.Written)
	}

	// As a full run ends.
	full := t.TempDir()
	if _, err := env.BuildMirror(ctx, full); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"robots.txt", "index.html", "so-tu-phap/index.html", "so-tu-phap/tin-tuc/index.html", "so-tu-phap/sitemap.xml", "so-tu-phap/tin-tuc/stp-hai.html"} {
		if !bytes.Equal(read(out, f), read(full, f)) {
			t.Errorf("%s: the incremental mirror differs from a full one", f)
		}
	}
	t.Logf("last incremental run: %d rendered, %d written", res.Rendered, len(res.Written))
}

// TestMirrorHostColumns: a column at a host of its own is in the mirror
// too, as a mirror of its own in .hosts/HOST — its pages, feeds, sitemap
// and robots.txt at its host's addresses, its stored files, its 404 page
// — and none of it in the main folder; an incremental run follows its
// changes, leaves the main column's files alone, and ends as a full run
// does; a column that moves to another host moves folder, and one that
// leaves its host takes its folder with it.
func TestMirrorHostColumns(t *testing.T) {
	ctx := t.Context()
	clock := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cfg := config.Defaults
	cfg.BaseURL = "https://cchc.example.gov.vn"
	env := testsupport.Demo(t, cfg, func() time.Time { return clock })
	out := t.TempDir()
	if _, err := env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	read := func(dir, name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	stc := agency.Agency{Slug: "so-tai-chinh", Name: "Sở Tài chính tỉnh Quảng Ngãi", ShortName: "Sở Tài chính", Host: "stc.example.gov.vn"}
	id, err := env.Store.CreateAgency(ctx, stc, store.AuditEntry{At: clock, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	importFor(t, env, id, stpArticle("stc-mot", "Sở Tài chính công khai thủ tục hành chính"))
	res, err := env.BuildMirror(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, ".hosts", "stc.example.gov.vn")
	if home := read(dir, "index.html"); !bytes.Contains(home, []byte(`<span class="brand-name">Sở Tài chính tỉnh Quảng Ngãi</span>`)) ||
		!bytes.Contains(home, []byte(`href="/tin-tuc/stc-mot"`)) {
		t.Error("the host column's home in its folder is not its own")
	}
	read(dir, "tin-tuc/stc-mot.html")
	read(dir, "404.html")
	read(dir, ".cchc/manifest.json")
	if sm := read(dir, "sitemap.xml"); !bytes.Contains(sm, []byte("<loc>https://stc.example.gov.vn/tin-tuc/stc-mot</loc>")) ||
		bytes.Contains(sm, []byte("cchc.example.gov.vn/tin-tuc/")) {
		t.Errorf("the host column's sitemap:\n%.600s", sm)
	}
	if robots := read(dir, "robots.txt"); !bytes.Contains(robots, []byte("Sitemap: https://stc.example.gov.vn/sitemap.xml")) {
		t.Errorf("the host column's robots.txt:\n%s", robots)
	}
	if _, err := os.Stat(filepath.Join(out, "tin-tuc", "stc-mot.html")); err == nil {
		t.Error("the host column's article is in the main column's folder")
	}
	for _, w := range res.Written {
		if !strings.HasPrefix(w, ".hosts/stc.example.gov.vn/") {
			t.Errorf("a main column's file written for the host column: %s", w)
		}
	}

	// An incremental run follows a new item, and ends as a full run.
	importFor(t, env, id, stpArticle("stc-hai", "Sở Tài chính tập huấn một cửa"))
	if res, err = env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Written {
		if !strings.HasPrefix(w, ".hosts/stc.example.gov.vn/") {
			t.Errorf("a main column's file written for the host column's new item: %s", w)
		}
	}
	if list := read(dir, "tin-tuc/index.html"); !bytes.Contains(list, []byte(`href="/tin-tuc/stc-hai"`)) {
		t.Errorf("the new article is not in the host column's list (written %v)", res.Written)
	}
	full := t.TempDir()
	if _, err := env.BuildMirror(ctx, full); err != nil {
		t.Fatal(err)
	}
	fullDir := filepath.Join(full, ".hosts", "stc.example.gov.vn")
	for _, f := range []string{"index.html", "tin-tuc/index.html", "tin-tuc/stc-hai.html", "sitemap.xml", "rss.xml", ".cchc/manifest.json"} {
		if !bytes.Equal(read(dir, f), read(fullDir, f)) {
			t.Errorf("%s: the incremental host mirror differs from a full one", f)
		}
	}
	t.Logf("incremental run with a host column's new item: %d rendered, %d written", res.Rendered, len(res.Written))

	// Another host: the folder moves. No host (a prefix): it goes.
	a, err := env.Store.Agency(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a.Host = "taichinh.example.gov.vn"
	if err := env.Store.UpdateAgency(ctx, *a, store.AuditEntry{At: clock, Actor: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	read(filepath.Join(out, ".hosts", "taichinh.example.gov.vn"), "tin-tuc/stc-hai.html")
	if _, err := os.Stat(dir); err == nil {
		t.Error("the old host's folder is still there")
	}
	a.Host, a.Prefix = "", "/so-tai-chinh"
	if err := env.Store.UpdateAgency(ctx, *a, store.AuditEntry{At: clock, Actor: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.BuildMirror(ctx, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, ".hosts")); err == nil {
		t.Error("the hosts' folder is still there with no host column")
	}
	read(out, "so-tai-chinh/tin-tuc/stc-hai.html")
}
