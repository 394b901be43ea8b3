package markdown

import (
	"bytes"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"cchc/internal/legalref"
)

// RefLink is a legal-document number linked to its page in the registry.
type RefLink struct {
	ast.BaseInline
	Target Target
	Label  []byte
}

var kindRefLink = ast.NewNodeKind("RefLink")

// Kind implements ast.Node.
func (n *RefLink) Kind() ast.NodeKind { return kindRefLink }

// Dump implements ast.Node.
func (n *RefLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"URL": n.Target.URL}, nil)
}

// legalLinks finds document numbers in text nodes, records them, and links
// those the registry holds. Text inside links, code spans and headings'
// auto-links is left alone. goldmark only calls inline parsers at
// punctuation and spaces, never at a digit, so this is a transformer over
// the finished tree rather than an inline parser.
type legalLinks struct{}

func (legalLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	res, _ := pc.Get(ctxResolver).(Resolver)
	refs, _ := pc.Get(ctxRefs).(*refList)
	var texts []*ast.Text
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.CodeSpan, *ast.Image, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if !v.IsRaw() {
				texts = append(texts, v)
			}
		}
		return ast.WalkContinue, nil
	})
	texts = mergeTexts(texts)
	for _, t := range texts {
		value := t.Segment.Value(source)
		if bytes.IndexByte(value, '/') < 0 {
			// Every number has one (legalref.Find's own first test):
			// most text is not turned into a string to be told so.
			continue
		}
		matches := legalref.Find(string(value))
		if len(matches) == 0 {
			continue
		}
		parent := t.Parent()
		start := t.Segment.Start
		pos := 0
		for _, m := range matches {
			target, ok := Target{}, false
			if res != nil {
				target, ok = res.Resolve(m.Key)
			}
			if refs != nil {
				refs.add(m.Key, m.Text, start+m.Start, ok)
			}
			if !ok {
				continue
			}
			if m.Start > pos {
				before := ast.NewTextSegment(text.NewSegment(start+pos, start+m.Start))
				parent.InsertBefore(parent, t, before)
			}
			link := &RefLink{Target: target, Label: value[m.Start:m.End]}
			parent.InsertBefore(parent, t, link)
			pos = m.End
		}
		if pos == 0 {
			continue
		}
		// What is left of the text node keeps its line-break flags.
		t.Segment = text.NewSegment(start+pos, t.Segment.Stop)
		if t.Segment.Len() == 0 && !t.SoftLineBreak() && !t.HardLineBreak() {
			parent.RemoveChild(parent, t)
		}
	}
}

// mergeTexts joins each text node with the text nodes that directly follow
// it in the source: goldmark splits a run of text wherever an inline parser
// was tried and declined (Linkify is tried at every space), which would cut
// numbers typed with stray spaces ("04 - NQ/TU") in two.
func mergeTexts(texts []*ast.Text) []*ast.Text {
	out := texts[:0]
	for i := 0; i < len(texts); i++ {
		t := texts[i]
		for i+1 < len(texts) {
			n := texts[i+1]
			if t.NextSibling() != n || t.SoftLineBreak() || t.HardLineBreak() || t.Segment.Stop != n.Segment.Start || t.Segment.Padding != 0 || n.Segment.Padding != 0 {
				break
			}
			t.Segment = t.Segment.WithStop(n.Segment.Stop)
			t.SetSoftLineBreak(n.SoftLineBreak())
			t.SetHardLineBreak(n.HardLineBreak())
			n.Parent().RemoveChild(n.Parent(), n)
			i++
		}
		out = append(out, t)
	}
	return out
}

func (r *nodeRenderer) refLink(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	l := n.(*RefLink)
	class := "vb-ref"
	title := l.Target.Title
	if l.Target.Validity != "" {
		class += " vb-ref-invalid"
		title = l.Target.Validity + ": " + title
	}
	w.WriteString(`<a class="` + class + `" href="`)
	w.Write(util.EscapeHTML(util.URLEscape([]byte(l.Target.URL), true)))
	w.WriteString(`" title="`)
	w.Write(util.EscapeHTML([]byte(title)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML(l.Label))
	w.WriteString(`</a>`)
	if l.Target.Validity != "" {
		w.WriteString(` <span class="vb-ref-status">(`)
		w.Write(util.EscapeHTML([]byte(l.Target.Validity)))
		w.WriteString(`)</span>`)
	}
	return ast.WalkSkipChildren, nil
}
