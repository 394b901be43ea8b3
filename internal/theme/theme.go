// Package theme loads the site's templates and assets from a layered file
// system (a theme folder on disk over the embedded default), checks every
// page's template set at start, builds a page's set when it is first
// rendered, and renders pages into a buffer so that a template error never
// sends half a page.
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
	"sync"

	"cchc/internal/locale"
)

// Theme is a parsed theme.
type Theme struct {
	// shared holds the layouts and partials; each page's set is a clone
	// of it with the page's own file parsed in.
	shared *template.Template
	pages  map[string]*page
	assets map[string]Asset // by fingerprinted name
	byName map[string]string
}

// page is one page of the theme: its file, checked at Load, and its
// template set, built when the page is first rendered. html/template's
// Clone copies every parse tree of the layouts and partials into each
// page's set (escaping rewrites them), and a copy is pointer-dense: the
// public theme's and the workspace's sets took 14 MB of a serving
// process's 17 MB live heap, which every collection marks again. A
// server answering the public marks only the pages it renders
// (docs/PERFORMANCE.md, h27).
type page struct {
	file, text string
	once       sync.Once
	set        *template.Template
	err        error
}

// build clones the shared set and parses the page's file into it.
func (p *page) build(shared *template.Template) (*template.Template, error) {
	p.once.Do(func() { p.set, p.err = pageSet(shared, p.file, p.text) })
	return p.set, p.err
}

// pageSet is the template set of the page file named file with contents
// text: shared with the file parsed in, which must define the page.
func pageSet(shared *template.Template, file, text string) (*template.Template, error) {
	set, err := shared.Clone()
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	if _, err := set.New(file).Parse(text); err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	name := strings.TrimSuffix(path.Base(file), ".html")
	if set.Lookup(name) == nil {
		return nil, fmt.Errorf("theme: %s must define {{define %q}}", file, name)
	}
	return set, nil
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
	t := &Theme{pages: map[string]*page{}, assets: map[string]Asset{}, byName: map[string]string{}}
	if err := t.loadAssets(fsys); err != nil {
		return nil, err
	}
	all := template.FuncMap{"asset": t.AssetURL, "t": locale.T}
	for k, v := range funcs {
		all[k] = v
	}
	t.shared = template.New("").Funcs(all)
	for _, dir := range []string{"layouts", "partials"} {
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		for _, f := range files {
			if err := parseFile(t.shared, fsys, f); err != nil {
				return nil, err
			}
		}
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("theme: no pages/*.html")
	}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		// Checked now, so that a broken theme stops the start; the set
		// is let go and built again from the same bytes when needed.
		if _, err := pageSet(t.shared, f, string(b)); err != nil {
			return nil, err
		}
		t.pages[strings.TrimSuffix(path.Base(f), ".html")] = &page{file: f, text: string(b)}
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
	p, ok := t.pages[name]
	if !ok {
		return nil, fmt.Errorf("theme: no page %q", name)
	}
	set, err := p.build(t.shared)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("theme: page %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
