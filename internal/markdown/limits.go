package markdown

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Limits bounds the work one body may cause and what it may produce. A body
// past a limit is refused with a *LimitError naming it; the column's real
// articles and procedures stay far below every one (the longest demo item
// has 14 headings, one table of 4 columns and lists 2 levels deep).
type Limits struct {
	// Nesting is how deep blocks and inlines may sit inside one another:
	// quotes, lists, footnotes, tables, emphasis, links and images each
	// count one level (a list item counts with its list).
	Nesting int
	// Headings is the number of headings of one body.
	Headings int
	// TableColumns is the number of columns of one table.
	TableColumns int
	// TableCells is the number of cells of all tables of one body: a row
	// gets every column of its table however little it holds, so a wide
	// header and many short rows would otherwise multiply.
	TableCells int
	// LinkDefinitions is the number of link reference definitions
	// ("[nhãn]: địa chỉ") of one body: goldmark removes each one found from
	// its paragraph by copying the lines after it.
	LinkDefinitions int
	// HTMLBytes is the size of the rendered HTML.
	HTMLBytes int
	// Time is how long one rendering may take, parsing included.
	Time time.Duration
}

// DefaultLimits are the limits of New. Time is generous: with the other
// limits a body of the largest size accepted (1 MiB) renders in well under
// a second even on two busy cores, so only a body the limits failed to
// foresee can reach it.
var DefaultLimits = Limits{
	Nesting:         32,
	Headings:        2000,
	TableColumns:    64,
	TableCells:      50000,
	LinkDefinitions: 1000,
	HTMLBytes:       4 << 20,
	Time:            5 * time.Second,
}

// LimitError is a body refused because it passed a limit. Msg is Vietnamese
// and names the limit, for the editor's form and the importer's
// path:line: message.
type LimitError struct {
	// Line is the 1-based line of the body where the limit was passed, 0
	// when it concerns the body as a whole (its size, its rendering time).
	Line int
	Msg  string
}

func (e *LimitError) Error() string { return e.Msg }

// errTimeLimit is the cause of a rendering's own deadline, told apart from
// a caller giving up.
var errTimeLimit = errors.New("markdown: time limit")

// budget is the state of one rendering: what it has used and whether it
// must stop. Parsing cannot be interrupted from outside, so every block
// and inline parser and every transformer asks stopped() first: once a
// limit is passed or the deadline comes, nothing more is opened (but
// paragraphs) or transformed and the rest of the source is read as plain
// text, which is linear.
type budget struct {
	limits      *Limits
	source      []byte
	late        atomic.Bool // set when the deadline passes
	err         *LimitError // the first limit passed; only the parsing goroutine sets it
	headings    int
	cells       int
	definitions int
}

var ctxBudget = parser.NewContextKey()

func budgetOf(pc parser.Context) *budget {
	b, _ := pc.Get(ctxBudget).(*budget)
	return b
}

func (b *budget) stopped() bool { return b == nil || b.err != nil || b.late.Load() }

// fail records the first limit passed, at byte offset pos of the source (-1
// for the whole body).
func (b *budget) fail(pos int, msg string) {
	if b.err != nil {
		return
	}
	e := &LimitError{Msg: msg}
	if pos >= 0 {
		e.Line = lineOf(b.source, pos)
	}
	b.err = e
}

// outcome is the error of a rendering that stopped: the limit passed, the
// time limit, or the caller's cancellation.
func (b *budget) outcome(ctx context.Context) error {
	if b.err != nil {
		return b.err
	}
	if ctx.Err() == nil {
		return nil
	}
	if context.Cause(ctx) == errTimeLimit {
		return &LimitError{Msg: locale.T("markdown.limit.time", seconds(b.limits.Time))}
	}
	return fmt.Errorf("markdown: render: %w", context.Cause(ctx))
}

// seconds writes d in Vietnamese: "5 giây", "0,5 giây".
func seconds(d time.Duration) string {
	return locale.T("markdown.seconds", vntext.Decimal(d.Seconds(), -1))
}

// bounded wraps the parser goldmark builds so that every block parser,
// inline parser and transformer added to it — goldmark's own and the
// extensions' alike — asks the document's budget first.
type bounded struct {
	parser.Parser
}

// AddOptions wraps what each option adds before passing it on.
func (p bounded) AddOptions(opts ...parser.Option) {
	for _, opt := range opts {
		cfg := parser.NewConfig()
		opt.SetParserOption(cfg)
		wrapped := false
		for _, v := range cfg.BlockParsers {
			p.Parser.AddOptions(parser.WithBlockParsers(util.Prioritized(&boundedBlock{v.Value.(parser.BlockParser)}, v.Priority)))
			wrapped = true
		}
		for _, v := range cfg.InlineParsers {
			p.Parser.AddOptions(parser.WithInlineParsers(util.Prioritized(&boundedInline{v.Value.(parser.InlineParser)}, v.Priority)))
			wrapped = true
		}
		for _, v := range cfg.ParagraphTransformers {
			p.Parser.AddOptions(parser.WithParagraphTransformers(util.Prioritized(&boundedParagraph{v.Value.(parser.ParagraphTransformer)}, v.Priority)))
			wrapped = true
		}
		for _, v := range cfg.ASTTransformers {
			p.Parser.AddOptions(parser.WithASTTransformers(util.Prioritized(&boundedAST{v.Value.(parser.ASTTransformer)}, v.Priority)))
			wrapped = true
		}
		if !wrapped {
			p.Parser.AddOptions(opt)
		}
	}
}

// setOption passes a parser option (auto heading IDs…) to v when it takes
// options.
func setOption(v any, name parser.OptionName, value any) {
	if so, ok := v.(parser.SetOptioner); ok {
		so.SetOption(name, value)
	}
}

// boundedBlock is a block parser that opens nothing once the budget is
// spent, and counts headings and nesting as it opens blocks.
type boundedBlock struct{ parser.BlockParser }

func (w *boundedBlock) SetOption(name parser.OptionName, value any) {
	setOption(w.BlockParser, name, value)
}

func (w *boundedBlock) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	b := budgetOf(pc)
	if b.stopped() && !w.essential(parent) {
		return nil, parser.NoChildren
	}
	_, seg := reader.PeekLine()
	node, state := w.BlockParser.Open(parent, reader, pc)
	if node == nil {
		return node, state
	}
	if node.Kind() == ast.KindHeading {
		if b.headings++; b.headings > b.limits.Headings {
			b.fail(seg.Start, locale.T("markdown.limit.headings", vntext.Int(b.limits.Headings)))
		}
	}
	if state&parser.HasChildren != 0 && counts(node) && levels(parent)+1 > b.limits.Nesting {
		b.fail(seg.Start, locale.T("markdown.limit.nesting_blocks", b.limits.Nesting))
	}
	return node, state
}

// essential reports whether this parser must still open blocks once the
// budget is spent, because goldmark relies on it: the paragraph parser
// takes any line no other parser took (a line nobody opens leaves the
// parser's list of open blocks inconsistent), and an open list gets every
// item it asks for: goldmark's list reads its last child as an item, so a
// paragraph opened in an item's place makes it panic on the next line.
// Both cost one step a line; no new list, and so no deeper nesting, is
// opened.
func (w *boundedBlock) essential(parent ast.Node) bool {
	return w.BlockParser == parser.NewParagraphParser() ||
		(w.BlockParser == parser.NewListItemParser() && parent.Kind() == ast.KindList)
}

// boundedInline is an inline parser that parses nothing once the budget is
// spent: the rest is text.
type boundedInline struct{ parser.InlineParser }

func (w *boundedInline) SetOption(name parser.OptionName, value any) {
	setOption(w.InlineParser, name, value)
}

func (w *boundedInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if budgetOf(pc).stopped() {
		return nil
	}
	if line, _ := block.PeekLine(); len(line) > 1 && line[0] == ']' && line[1] == '(' && !shortDestination(line[2:]) {
		// Not a link: see MaxLinkDestination.
		return nil
	}
	if lines := parent.Lines(); lines != nil && lines.Len() > 16 {
		block = &lineIndexed{Reader: block, lines: lines}
	}
	return w.InlineParser.Parse(parent, block, pc)
}

// lineIndexed is a block's reader whose Value finds the first line of the
// segment by binary search. goldmark's walks back from the block's last
// line, and the link parser asks for a value at every ']': a paragraph of
// many lines with a bracket on each cost lines × brackets (16,000 lines of
// "[a](b (": 0.9 s with the fuzzer's instrumentation).
type lineIndexed struct {
	text.Reader
	lines *text.Segments
}

// Value returns the bytes of seg as goldmark's block reader does: the
// parts of the block's lines it covers, with their padding.
func (r *lineIndexed) Value(seg text.Segment) []byte {
	n := r.lines.Len()
	line := max(sort.Search(n, func(i int) bool { return r.lines.At(i).Start > seg.Start })-1, 0)
	source := r.Source()
	ret := make([]byte, 0, seg.Stop-seg.Start+1)
	i := seg.Start
	for ; line < n; line++ {
		s := r.lines.At(line)
		if i < 0 {
			i = s.Start
		}
		ret = s.ConcatPadding(ret)
		for ; i < seg.Stop && i < s.Stop; i++ {
			ret = append(ret, source[i])
		}
		i = -1
		if s.Stop > seg.Stop {
			break
		}
	}
	return ret
}

// MaxLinkDestination is the longest link address, in bytes, that makes a
// link: "[chữ](địa chỉ)" with a longer address stays text. goldmark reads
// the address of every "](" to the end of its line when nothing closes it,
// so a line of "[a](" repeated cost its length squared (64 KiB: 2.9 s);
// with this bound each "](" costs at most this much. Real addresses are a
// few hundred bytes; browsers and servers commonly stop near 2,000.
const MaxLinkDestination = 2048

// shortDestination reports whether the link address at the start of rest
// (what follows "](") ends within MaxLinkDestination bytes, by goldmark's
// rules: "<…>" ends at '>', a bare address at a space or at a ')' that
// closes no '('. Within the bound goldmark may read it; beyond, it is not
// a link.
func shortDestination(rest []byte) bool {
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	rest = rest[i:]
	limit := min(len(rest), MaxLinkDestination)
	if len(rest) > 0 && rest[0] == '<' {
		for j := 1; j < limit; j++ {
			switch rest[j] {
			case '\\':
				j++
			case '>', '\n':
				return true
			}
		}
		return len(rest) <= MaxLinkDestination
	}
	opened := 0
	for j := 0; j < limit; j++ {
		switch c := rest[j]; {
		case c == '\\':
			j++
		case c == '(':
			opened++
		case c == ')':
			if opened--; opened < 0 {
				return true
			}
		case util.IsSpace(c):
			return true
		}
	}
	return len(rest) <= MaxLinkDestination
}

// CloseBlock always runs: it finishes what the parser started (delimiters,
// link labels) and costs what was parsed.
func (w *boundedInline) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := w.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

type boundedParagraph struct{ parser.ParagraphTransformer }

func (w *boundedParagraph) SetOption(name parser.OptionName, value any) {
	setOption(w.ParagraphTransformer, name, value)
}

func (w *boundedParagraph) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if !budgetOf(pc).stopped() {
		w.ParagraphTransformer.Transform(node, reader, pc)
	}
}

type boundedAST struct{ parser.ASTTransformer }

func (w *boundedAST) SetOption(name parser.OptionName, value any) {
	setOption(w.ASTTransformer, name, value)
}

func (w *boundedAST) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if !budgetOf(pc).stopped() {
		w.ASTTransformer.Transform(doc, reader, pc)
	}
}

// counts reports whether n, when it holds anything, is a level of
// nesting: anything that can hold other blocks or inlines, except the parts that always come with their
// container (a list's items, a table's rows and cells) and the blocks
// that only hold a line of inlines.
func counts(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindDocument, ast.KindListItem, ast.KindParagraph, ast.KindTextBlock, ast.KindHeading,
		east.KindTableHeader, east.KindTableRow, east.KindTableCell:
		return false
	}
	return true
}

// levels is the nesting level of n: how many of n and its ancestors count.
func levels(n ast.Node) int {
	l := 0
	for ; n != nil; n = n.Parent() {
		if counts(n) {
			l++
		}
	}
	return l
}

// nestingCheck is the first AST transformer: it measures the finished
// tree's nesting without recursion (emphasis and images can nest as deep
// as the source is long) and, past the limit, empties the document so that
// no later transformer or the renderer walks a deep tree recursively.
type nestingCheck struct{}

func (nestingCheck) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	b := budgetOf(pc)
	if b == nil {
		return
	}
	// depth is the number of n's ancestors that count.
	depth := 0
	for n := ast.Node(doc); ; {
		if c := n.FirstChild(); c != nil {
			if counts(n) {
				if depth++; depth > b.limits.Nesting {
					b.fail(nodePos(c), locale.T("markdown.limit.nesting_inline", b.limits.Nesting))
					break
				}
			}
			n = c
			continue
		}
		for n != doc && n.NextSibling() == nil {
			if n = n.Parent(); counts(n) {
				depth--
			}
		}
		if n == doc {
			break
		}
		n = n.NextSibling()
	}
	if b.err != nil {
		doc.RemoveChildren(doc)
	}
}

// nodePos is a byte offset of the source inside n or, for inlines without
// one, inside its nearest block; -1 when none is known.
func nodePos(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if t, ok := n.(*ast.Text); ok {
			return t.Segment.Start
		}
		if n.Type() == ast.TypeBlock {
			if n.Pos() >= 0 {
				return n.Pos()
			}
			if l := n.Lines(); l != nil && l.Len() > 0 {
				return l.At(0).Start
			}
		}
	}
	return -1
}

// tableLimits is a paragraph transformer that runs before the table
// extension's: it finds the delimiter row the table extension would take
// (a line of '|', ':', '-' and spaces after the first) and refuses a table
// with too many columns, or tables with too many cells in all, before a
// single cell is made.
type tableLimits struct{}

func (tableLimits) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	b := budgetOf(pc)
	if b.stopped() {
		return
	}
	lines := node.Lines()
	source := reader.Source()
	// The table extension makes a table at the first delimiter row it
	// accepts, with every later line a row; counting every line that may be
	// one and keeping the largest table is an upper bound.
	worst, worstPos := 0, 0
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		cols := delimiterColumns(seg.Value(source))
		if cols == 0 {
			continue
		}
		if cols > b.limits.TableColumns {
			b.fail(seg.Start, locale.T("markdown.limit.columns", vntext.Int(cols), vntext.Int(b.limits.TableColumns)))
			break
		}
		if cells := cols * (lines.Len() - i); cells > worst {
			worst, worstPos = cells, seg.Start
		}
	}
	if b.err == nil && worst > 0 {
		if b.cells += worst; b.cells > b.limits.TableCells {
			b.fail(worstPos, locale.T("markdown.limit.cells", vntext.Int(b.limits.TableCells)))
		}
	}
	if b.err != nil {
		// The body is refused: leave the table unmade.
		node.Parent().RemoveChild(node.Parent(), node)
	}
}

// definitionLimits is a paragraph transformer that runs before goldmark's
// link reference definitions: goldmark removes each definition it finds
// from its paragraph by copying the lines after it, at a cost of the
// square of their number (1 MiB of definitions: 27 s). Definitions only
// come first in a paragraph and each has a line holding "]:", so in a
// paragraph that starts with '[' those lines bound their number.
type definitionLimits struct{}

func (definitionLimits) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	b := budgetOf(pc)
	lines := node.Lines()
	if b.stopped() || lines.Len() == 0 {
		return
	}
	source := reader.Source()
	if first := lines.At(0); !startsDefinition(first.Value(source)) {
		return
	}
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if !bytes.Contains(seg.Value(source), []byte("]:")) {
			continue
		}
		if b.definitions++; b.definitions > b.limits.LinkDefinitions {
			b.fail(seg.Start, locale.T("markdown.limit.link_definitions", vntext.Int(b.limits.LinkDefinitions)))
			node.Parent().RemoveChild(node.Parent(), node)
			return
		}
	}
}

// startsDefinition reports whether line may start a link reference
// definition: '[' after at most three spaces.
func startsDefinition(line []byte) bool {
	for i := 0; i < len(line) && i < 4; i++ {
		switch line[i] {
		case '[':
			return true
		case ' ':
		default:
			return false
		}
	}
	return false
}

// delimiterColumns is the number of columns of line when it is a table's
// delimiter row (|:--|--:|), else 0. It accepts at least what the table
// extension accepts, so it never lets a table through uncounted.
func delimiterColumns(line []byte) int {
	dash, cols, inCol := false, 0, false
	for _, c := range line {
		switch c {
		case '-':
			dash = true
			if !inCol {
				cols, inCol = cols+1, true
			}
		case ':':
			if !inCol {
				cols, inCol = cols+1, true
			}
		case '|':
			inCol = false
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			return 0
		}
	}
	if !dash {
		return 0
	}
	return cols
}

// limitWriter receives the rendered HTML and fails past the size limit or
// once the rendering is stopped; goldmark's buffered writer then drops the
// rest of the output, so the renderer's walk no longer builds anything.
type limitWriter struct {
	b   *budget
	buf []byte
}

var errStopped = errors.New("markdown: rendering stopped")

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.b.stopped() {
		return 0, errStopped
	}
	if len(w.buf)+len(p) > w.b.limits.HTMLBytes {
		w.b.fail(-1, locale.T("markdown.limit.html", size(w.b.limits.HTMLBytes)))
		return 0, errStopped
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// size writes n bytes the way the rest of the service does: "4 MB", "512 KB".
func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return vntext.Int(n>>20) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return vntext.Int(n>>10) + " KB"
	}
	return vntext.Int(n) + " byte"
}
