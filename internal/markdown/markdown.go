// Package markdown is the one way the service turns Markdown into HTML: a
// goldmark converter built once with GitHub-flavoured Markdown, footnotes,
// readable ASCII heading IDs for Vietnamese headings, raw HTML escaped (never
// passed through), only safe link schemes, and legal-document numbers linked
// to the registry.
package markdown

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Target is a document a legal reference resolves to.
type Target struct {
	URL   string
	Title string
	// Validity is the document's validity when it is not in force
	// ("Hết hiệu lực toàn bộ", "Chưa có hiệu lực"); empty otherwise.
	Validity string
}

// Resolver looks up a canonical document key (legalref.Key) in the registry.
type Resolver interface {
	Resolve(key string) (Target, bool)
}

// Ref is one legal-document number found in a body.
type Ref struct {
	Key      string // canonical key
	Text     string // as written
	Line     int    // 1-based line within the Markdown source
	Resolved bool
}

// Result is a rendered body.
type Result struct {
	HTML string
	// Text is the body as plain text (for search and summaries).
	Text string
	// Refs lists every document number cited, in order of first appearance,
	// one entry per key.
	Refs []Ref
}

// Renderer converts Markdown. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	limits Limits
}

// New builds the converter once, with DefaultLimits.
func New() *Renderer { return NewWithLimits(DefaultLimits) }

// NewWithLimits builds the converter with other limits (tests use small
// ones to reach them cheaply).
func NewWithLimits(l Limits) *Renderer {
	// Every parser and transformer, goldmark's and the extensions', is
	// added through bounded, which makes them stop with the budget.
	p := bounded{parser.NewParser()}
	p.AddOptions(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
	md := goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
			extension.Footnote,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithParagraphTransformers(
				util.Prioritized(definitionLimits{}, 50), // before link reference definitions (100)
				util.Prioritized(tableLimits{}, 150),     // before tables (200)
			),
			parser.WithASTTransformers(
				util.Prioritized(nestingCheck{}, -1000),
				util.Prioritized(safeLinks{}, 100),
				util.Prioritized(legalLinks{}, 200),
			),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{}, 100)),
		),
	)
	return &Renderer{md: md, limits: l}
}

var (
	ctxResolver = parser.NewContextKey()
	ctxRefs     = parser.NewContextKey()
)

// Render converts src. res may be nil, in which case numbers are recorded
// but not linked. A body past one of the renderer's limits, or whose
// rendering outlasts Limits.Time, gives a *LimitError; when ctx ends first
// the error wraps its cause.
func (r *Renderer) Render(ctx context.Context, src string, res Resolver) (result Result, err error) {
	defer func() {
		// goldmark should not panic, but a converter bug must become an
		// error for one item, never a crashed import or server.
		if p := recover(); p != nil {
			err = fmt.Errorf("markdown: render: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeoutCause(ctx, r.limits.Time, errTimeLimit)
	defer cancel()
	source := []byte(src)
	b := &budget{limits: &r.limits, source: source}
	defer context.AfterFunc(ctx, func() { b.late.Store(true) })()
	if ctx.Err() != nil {
		b.late.Store(true)
	}
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	refs := &refList{seen: map[string]int{}, lines: lineCounter{source: source}}
	pc.Set(ctxBudget, b)
	pc.Set(ctxResolver, res)
	pc.Set(ctxRefs, refs)
	doc := r.md.Parser().Parse(text.NewReader(source), parser.WithContext(pc))
	if err := b.outcome(ctx); err != nil {
		return Result{}, err
	}
	out := &limitWriter{b: b, buf: make([]byte, 0, min(len(source)*3/2, r.limits.HTMLBytes))}
	rerr := r.md.Renderer().Render(out, source, doc)
	if err := b.outcome(ctx); err != nil {
		return Result{}, err
	}
	if rerr != nil {
		return Result{}, fmt.Errorf("markdown: render: %w", rerr)
	}
	plain := plainText(doc, source)
	if err := b.outcome(ctx); err != nil {
		return Result{}, err
	}
	return Result{HTML: string(out.buf), Text: plain, Refs: refs.list}, nil
}

// refList collects the references of one document.
type refList struct {
	list []Ref
	seen map[string]int
	// lines counts the lines up to the last reference's offset, so that
	// numbers met in source order cost one pass over the source in all,
	// not one each (80,000 numbers in 1 MiB would be 40 GB of counting).
	lines lineCounter
}

func (l *refList) add(key, text string, pos int, resolved bool) {
	if _, ok := l.seen[key]; ok {
		return
	}
	l.seen[key] = len(l.list)
	l.list = append(l.list, Ref{Key: key, Text: text, Line: l.lines.at(pos), Resolved: resolved})
}

// lineCounter gives the lines of offsets of one source, counting on from
// the previous offset when the next is not before it.
type lineCounter struct {
	source    []byte
	pos, line int
}

func (c *lineCounter) at(pos int) int {
	pos = min(pos, len(c.source))
	if pos < c.pos || c.line == 0 {
		c.pos, c.line = 0, 1
	}
	c.line += bytes.Count(c.source[c.pos:pos], []byte{'\n'})
	c.pos = pos
	return c.line
}

// lineOf is the 1-based line of byte offset pos in source.
func lineOf(source []byte, pos int) int {
	if pos > len(source) {
		pos = len(source)
	}
	return 1 + bytes.Count(source[:pos], []byte{'\n'})
}

// plainText extracts the readable text of a document: words of text nodes,
// code, and a line break after each block. The text is about the source's
// size (the markup goes, the words stay): the builder starts there rather
// than doubling up to it, which allocated 3 × every body an import
// rendered (h26-parse).
func plainText(doc ast.Node, source []byte) string {
	var b strings.Builder
	b.Grow(len(source))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Kind() == east.KindTableCell {
				// Cells are blocks, but a row reads as one line.
				if n.NextSibling() != nil {
					b.WriteByte(' ')
				}
				return ast.WalkContinue, nil
			}
			if n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Text:
			b.Write(v.Value(source))
			if v.SoftLineBreak() || v.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(v.Value)
		case *ast.AutoLink:
			b.Write(v.Label(source))
		case *RefLink:
			b.Write(v.Label)
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			lines := v.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			for i := 0; i < v.Segments.Len(); i++ {
				seg := v.Segments.At(i)
				b.Write(seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
