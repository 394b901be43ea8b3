package markdown

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// SafeURL reports whether dest may be the target of a link or image: a
// relative reference, a fragment, or http, https, mailto or tel. Everything
// else (javascript:, vbscript:, data:, file:, …) is dropped. Browsers ignore
// tabs, newlines and leading control characters in schemes, so those are
// removed before the check.
func SafeURL(dest string) bool {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, dest)
	clean = strings.ToLower(clean)
	colon := strings.IndexByte(clean, ':')
	if colon < 0 {
		return true
	}
	// A colon after the first /, ? or # is part of a path or query, not a
	// scheme.
	if i := strings.IndexAny(clean, "/?#"); i >= 0 && i < colon {
		return true
	}
	u, err := url.Parse(clean)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}

// safeLinks removes links and images whose destination is not SafeURL,
// keeping their text.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var drop []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link:
			if !SafeURL(resolved(v.Destination)) {
				drop = append(drop, v)
			}
		case *ast.Image:
			if !SafeURL(resolved(v.Destination)) {
				drop = append(drop, v)
			}
		case *ast.AutoLink:
			if !SafeURL(string(v.URL(source))) {
				drop = append(drop, v)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range drop {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(source)))
			continue
		}
		// Keep the link's (or the image's alt) text in its place.
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// resolved is a link destination as the renderer will write it: goldmark
// keeps backslash escapes and character references in the tree and resolves
// them only when rendering, so "&#106;avascript:" must be judged as
// "javascript:".
func resolved(dest []byte) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest))))
}

// nodeRenderer escapes raw HTML instead of passing it through (goldmark's
// safe mode would drop it silently, losing what the editor typed), and
// renders linked legal references.
type nodeRenderer struct{}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(kindRefLink, r.refLink)
}

func (r *nodeRenderer) rawHTML(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		w.Write(util.EscapeHTML(seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) htmlBlock(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.HTMLBlock)
	w.WriteString("<p>")
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		v := seg.Value(source)
		if i == lines.Len()-1 && !b.HasClosure() {
			v = []byte(strings.TrimRight(string(v), "\n"))
		}
		w.Write(util.EscapeHTML(v))
	}
	if b.HasClosure() {
		w.Write(util.EscapeHTML(b.ClosureLine.Value(source)))
	}
	w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}
