// Package theme loads the site's templates and assets from a layered file
// system (a theme folder on disk over the embedded default), parses every
// page's template set once at start, and renders pages into a buffer so that
// a template error never sends half a page.
package theme

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"

	"cchc/internal/locale"
)

// Theme is a parsed theme.
type Theme struct {
	pages  map[string]*template.Template
	assets map[string]Asset // by fingerprinted name
	byName map[string]string
}

// Asset is one static file of the theme, served under /assets/ with a name
// that carries a hash of its content so it can be cached for ever.
type Asset struct {
	Name        string // fingerprinted name, e.g. style.3f2a9c1b.css
	Data        []byte
	ContentType string
}

// Load parses the theme in fsys: layouts/*.html and partials/*.html are
// shared by every page; each pages/NAME.html is a page called NAME. Besides
// funcs, every template has asset (an asset's fingerprinted URL) and t
// (a message of the catalogue: {{t "area.name" values…}}, see package
// locale).
func Load(fsys fs.FS, funcs template.FuncMap) (*Theme, error) {
	t := &Theme{pages: map[string]*template.Template{}, assets: map[string]Asset{}, byName: map[string]string{}}
	if err := t.loadAssets(fsys); err != nil {
		return nil, err
	}
	all := template.FuncMap{"asset": t.AssetURL, "t": locale.T}
	for k, v := range funcs {
		all[k] = v
	}
	shared := template.New("").Funcs(all)
	for _, dir := range []string{"layouts", "partials"} {
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		for _, f := range files {
			if err := parseFile(shared, fsys, f); err != nil {
				return nil, err
			}
		}
	}
	pages, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("theme: no pages/*.html")
	}
	for _, f := range pages {
		set, err := shared.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		if err := parseFile(set, fsys, f); err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(f), ".html")
		if set.Lookup(name) == nil {
			return nil, fmt.Errorf("theme: %s must define {{define %q}}", f, name)
		}
		t.pages[name] = set
	}
	return t, nil
}

func parseFile(set *template.Template, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	if _, err := set.New(name).Parse(string(b)); err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	return nil
}

func (t *Theme) loadAssets(fsys fs.FS) error {
	files, err := fs.Glob(fsys, "assets/*")
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return fmt.Errorf("theme: %w", err)
		}
		base := path.Base(f)
		ext := path.Ext(base)
		sum := sha256.Sum256(b)
		name := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		t.assets[name] = Asset{Name: name, Data: b, ContentType: contentType(ext)}
		t.byName[base] = name
	}
	return nil
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".woff2":
		return "font/woff2"
	}
	return "application/octet-stream"
}

// AssetURL is the fingerprinted URL of the asset named name ("style.css").
func (t *Theme) AssetURL(name string) string {
	if fp, ok := t.byName[name]; ok {
		return "/assets/" + fp
	}
	return "/assets/" + name
}

// Asset returns the asset with fingerprinted name.
func (t *Theme) Asset(name string) (Asset, bool) {
	a, ok := t.assets[name]
	return a, ok
}

// Has reports whether the theme has a page called name.
func (t *Theme) Has(name string) bool { _, ok := t.pages[name]; return ok }

// Render executes page name with data into a buffer and then writes it to
// w, so that a failing template never sends half a page.
func (t *Theme) Render(w io.Writer, name string, data any) error {
	b, err := t.RenderBytes(name, data)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// RenderBytes executes page name with data and returns the HTML.
func (t *Theme) RenderBytes(name string, data any) ([]byte, error) {
	set, ok := t.pages[name]
	if !ok {
		return nil, fmt.Errorf("theme: no page %q", name)
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("theme: page %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
