package theme_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"cchc/internal/site"
	"cchc/internal/theme"
	"cchc/themes"
)

func TestLayered(t *testing.T) {
	upper := fstest.MapFS{
		"pages/error.html": {Data: []byte("upper error")},
		"assets/extra.css": {Data: []byte("extra")},
	}
	lower := fstest.MapFS{
		"pages/error.html":  {Data: []byte("lower error")},
		"pages/home.html":   {Data: []byte("lower home")},
		"layouts/base.html": {Data: []byte("lower base")},
	}
	l := theme.Layered{nil, upper, lower}
	tests := []struct {
		name    string
		file    string
		want    string
		missing bool
	}{
		{"upper wins", "pages/error.html", "upper error", false},
		{"falls through to lower", "pages/home.html", "lower home", false},
		{"only in upper", "assets/extra.css", "extra", false},
		{"only in lower folder", "layouts/base.html", "lower base", false},
		{"nowhere", "pages/khong-co.html", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := fs.ReadFile(l, tt.file)
			if tt.missing {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("ReadFile(%s) error = %v, want fs.ErrNotExist", tt.file, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("ReadFile(%s) = %q, want %q", tt.file, b, tt.want)
			}
		})
	}

	entries, err := fs.ReadDir(l, "pages")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, ","); got != "error.html,home.html" {
		t.Errorf("ReadDir(pages) = %s, want error.html,home.html (merged, sorted, once each)", got)
	}
	if _, err := fs.ReadDir(l, "khong-co"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadDir of a missing folder: %v, want fs.ErrNotExist", err)
	}
	globbed, err := fs.Glob(l, "pages/*.html")
	if err != nil || len(globbed) != 2 {
		t.Errorf("Glob(pages/*.html) = %v, %v; want both pages", globbed, err)
	}
}

// minimal is a theme with one layout, one partial, two pages and an asset.
func minimal() fstest.MapFS {
	return fstest.MapFS{
		"layouts/base.html":  {Data: []byte(`{{define "base"}}<html lang="vi"><link href="{{asset "style.css"}}">{{template "nav" .}}{{block "main" .}}{{end}}</html>{{end}}`)},
		"partials/nav.html":  {Data: []byte(`{{define "nav"}}<nav>{{.Title}}</nav>{{end}}`)},
		"pages/home.html":    {Data: []byte(`{{define "home"}}{{template "base" .}}{{end}}{{define "main"}}<h1>Trang chủ {{.Title}}</h1>{{end}}`)},
		"pages/error.html":   {Data: []byte(`{{define "error"}}{{template "base" .}}{{end}}{{define "main"}}<h1>Lỗi {{.Status}}</h1>{{if .Fail}}{{call .Fail}}{{end}}{{end}}`)},
		"assets/style.css":   {Data: []byte("body{color:#111}")},
		"assets/logo.svg":    {Data: []byte("<svg/>")},
		"assets/font.woff2":  {Data: []byte("wOF2")},
		"assets/unknown.bin": {Data: []byte{0}},
	}
}

func TestLoadAndRender(t *testing.T) {
	th, err := theme.Load(minimal(), template.FuncMap{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	sum := sha256.Sum256([]byte("body{color:#111}"))
	styleURL := "/assets/style." + hex.EncodeToString(sum[:4]) + ".css"

	tests := []struct {
		name    string
		page    string
		data    any
		want    string
		wantErr bool
	}{
		{"home", "home", map[string]any{"Title": "<b>"}, `<html lang="vi"><link href="` + styleURL + `"><nav>&lt;b&gt;</nav><h1>Trang chủ &lt;b&gt;</h1></html>`, false},
		{"pages keep their own main", "error", map[string]any{"Title": "x", "Status": 404, "Fail": nil}, `<h1>Lỗi 404</h1>`, false},
		{"unknown page", "khong-co", nil, "", true},
		{"failing template", "error", map[string]any{"Title": "x", "Status": 500, "Fail": func() (string, error) { return "", errors.New("hỏng") }}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := th.Render(&buf, tt.page, tt.data)
			if tt.wantErr {
				if err == nil {
					t.Fatal("Render succeeded, want an error")
				}
				if buf.Len() != 0 {
					t.Errorf("a failing page wrote %q; nothing may be sent", buf.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if !strings.Contains(buf.String(), tt.want) {
				t.Errorf("Render = %s, want it to contain %s", buf.String(), tt.want)
			}
		})
	}
	if !th.Has("home") || !th.Has("error") || th.Has("base") {
		t.Error("Has: want home and error to be pages and base not")
	}
}

func TestAssets(t *testing.T) {
	th, err := theme.Load(minimal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, contentType string
	}{
		{"style.css", "text/css; charset=utf-8"},
		{"logo.svg", "image/svg+xml"},
		{"font.woff2", "font/woff2"},
		{"unknown.bin", "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			url := th.AssetURL(tt.file)
			name := strings.TrimPrefix(url, "/assets/")
			if name == tt.file || !strings.HasPrefix(url, "/assets/") {
				t.Fatalf("AssetURL(%s) = %s, want a fingerprinted name under /assets/", tt.file, url)
			}
			a, ok := th.Asset(name)
			if !ok {
				t.Fatalf("Asset(%s) not found", name)
			}
			if a.ContentType != tt.contentType {
				t.Errorf("ContentType = %q, want %q", a.ContentType, tt.contentType)
			}
			if _, ok := th.Asset(tt.file); ok {
				t.Errorf("Asset(%s) served under its plain name; only fingerprinted names are immutable", tt.file)
			}
		})
	}
	if got := th.AssetURL("khong-co.css"); got != "/assets/khong-co.css" {
		t.Errorf("AssetURL of a missing asset = %q", got)
	}
	// A changed file gets a new name, so caches never serve the old one.
	changed := minimal()
	changed["assets/style.css"] = &fstest.MapFile{Data: []byte("body{color:#000}")}
	th2, err := theme.Load(changed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if th.AssetURL("style.css") == th2.AssetURL("style.css") {
		t.Error("changed stylesheet kept its fingerprinted name")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"no pages", func(m fstest.MapFS) {
			delete(m, "pages/home.html")
			delete(m, "pages/error.html")
		}, "pages"},
		{"page without its define", func(m fstest.MapFS) {
			m["pages/about.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}x{{end}}`)}
		}, "pages/about.html"},
		{"parse error in a page", func(m fstest.MapFS) {
			m["pages/home.html"] = &fstest.MapFile{Data: []byte(`{{define "home"}}{{if}}{{end}}`)}
		}, "pages/home.html"},
		{"parse error in a partial", func(m fstest.MapFS) {
			m["partials/nav.html"] = &fstest.MapFile{Data: []byte(`{{define "nav"}}{{.Title}{{end}}`)}
		}, "partials/nav.html"},
		{"unknown function", func(m fstest.MapFS) {
			m["pages/home.html"] = &fstest.MapFile{Data: []byte(`{{define "home"}}{{khongco .}}{{end}}`)}
		}, "khongco"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := minimal()
			tt.change(m)
			_, err := theme.Load(m, nil)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestDefaultThemeLoads(t *testing.T) {
	def, err := fs.Sub(themes.Default, "default")
	if err != nil {
		t.Fatal(err)
	}
	th, err := theme.Load(def, site.Funcs())
	if err != nil {
		t.Fatalf("Load(default theme): %v", err)
	}
	for _, page := range []string{"home", "article", "procedure", "document", "error", "tin-tuc", "thu-tuc-hanh-chinh", "van-ban", "area", "areas"} {
		if !th.Has(page) {
			t.Errorf("default theme lacks page %s", page)
		}
	}
	if url := th.AssetURL("style.css"); url == "/assets/style.css" {
		t.Error("default stylesheet not fingerprinted")
	}
}

// TestCatalogueFunc: every template has t, the catalogue's messages, escaped
// like any other value.
func TestCatalogueFunc(t *testing.T) {
	fsys := fstest.MapFS{"pages/p.html": {Data: []byte(`{{define "p"}}<h1>{{t "error.heading.other"}}</h1><p title="{{t "error.method_not_allowed" .}}">{{t "error.method_not_allowed" .}}</p>{{end}}`)}}
	th, err := theme.Load(fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := th.RenderBytes("p", "<PUT>")
	if err != nil {
		t.Fatal(err)
	}
	want := `<h1>Lỗi</h1><p title="Trang này không nhận phương thức &lt;PUT&gt;.">Trang này không nhận phương thức &lt;PUT&gt;.</p>`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
