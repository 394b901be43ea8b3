package markdown

import (
	"runtime"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// TestPlainTextAllocatesOnce: the plain text of a body is built in one
// buffer of about the body's size, not one doubled up to it (which
// allocated about three times the text, for every body an import
// renders).
func TestPlainTextAllocatesOnce(t *testing.T) {
	para := "Sở Khoa học và Công nghệ **đẩy mạnh** cải cách hành chính theo [kế hoạch](https://example.vn/ke-hoach).\n\n"
	source := []byte("# Tiêu đề\n\n" + strings.Repeat(para, 600))
	md := New()
	// The context Render parses with: its limits, its references.
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	pc.Set(ctxBudget, &budget{limits: &md.limits, source: source})
	pc.Set(ctxRefs, &refList{seen: map[string]int{}, lines: lineCounter{source: source}})
	doc := md.md.Parser().Parse(text.NewReader(source), parser.WithContext(pc))
	got := plainText(doc, source)
	if !strings.Contains(got, "Sở Khoa học và Công nghệ đẩy mạnh cải cách hành chính theo kế hoạch.") {
		t.Fatalf("plain text %.120q…", got)
	}
	const runs = 10
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		plainText(doc, source)
	}
	runtime.ReadMemStats(&after)
	perRun := (after.TotalAlloc - before.TotalAlloc) / runs
	if limit := uint64(len(source)) * 5 / 4; perRun > limit {
		t.Errorf("the plain text of %d bytes of Markdown (%d bytes of text) allocated %d bytes, want at most %d", len(source), len(got), perRun, limit)
	}
}

// TestLegalLinksSkipTextWithoutNumbers: text without a '/' holds no
// document number, and the pass that links numbers does not copy it into
// a string to look (one allocation per text node of every body before).
func TestLegalLinksSkipTextWithoutNumbers(t *testing.T) {
	para := "Sở Khoa học và Công nghệ **đẩy mạnh** cải cách hành chính, *công khai* thủ tục.\n\n"
	source := []byte(strings.Repeat(para, 300) + "Theo Quyết định số 1256/QĐ-UBND.\n")
	md := New()
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	pc.Set(ctxBudget, &budget{limits: &md.limits, source: source})
	refs := &refList{seen: map[string]int{}, lines: lineCounter{source: source}}
	pc.Set(ctxRefs, refs)
	reader := text.NewReader(source)
	doc := md.md.Parser().Parse(reader, parser.WithContext(pc))
	if len(refs.list) != 1 || refs.list[0].Key == "" {
		t.Fatalf("references %+v; want the one number", refs.list)
	}
	// Again over the linked document: the same walk, nothing left to
	// link, one slice of the text nodes to gather them.
	pc.Set(ctxRefs, (*refList)(nil))
	n := testing.AllocsPerRun(10, func() { legalLinks{}.Transform(doc.(*ast.Document), reader, pc) })
	if n > 30 {
		t.Errorf("linking numbers in 300 paragraphs without one allocated %v times, want at most 30", n)
	}
}
