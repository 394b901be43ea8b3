package docx

import "time"

// Document is a Word document to write: one section of pages, its header
// and footer, and its blocks.
type Document struct {
	Props Props
	Page  Page
	// Text is the default look of every paragraph: font, size, spacing,
	// first-line indent, alignment. Headings, header and footer build on it.
	Text TextStyle
	// Header and Footer are repeated on every page (a Run with Field
	// FieldPage prints the page number). With Page.TitlePage they are left
	// off the first page, as Nghị định 30 wants the page number from page 2.
	Header, Footer []Block
	Blocks         []Block
}

// Props are the document's core properties (docProps/core.xml), what
// Word shows under File › Info. Zero times are left out; nothing reads the
// clock, so the same Document gives the same bytes.
type Props struct {
	Title, Subject, Creator, Description string
	Created, Modified                    time.Time
	// Language is the document's language tag; "" is "vi-VN".
	Language string
}

// Page is the paper and its margins. Header and Footer are the distances
// from the paper's edge to the header's top and the footer's bottom.
type Page struct {
	Width, Height            Length
	Top, Bottom, Left, Right Length
	Header, Footer           Length
	// TitlePage leaves the header and footer off the first page.
	TitlePage bool
}

// TextStyle is the default look of paragraphs.
type TextStyle struct {
	Font string  // "" is "Times New Roman"
	Size float64 // points; 0 is 14
	Spacing
	// FirstLine indents the first line of body paragraphs (not of headings,
	// table cells, header or footer).
	FirstLine Length
	// Align of body paragraphs; AlignDefault is AlignLeft.
	Align Align
}

// Spacing is the space around and between a paragraph's lines. Line is a
// multiple of single line spacing (1, 1.15, 1.5); 0 inherits.
type Spacing struct {
	Before, After Length
	Line          float64
}

// Block is a part of the body: *Paragraph, *Table or PageBreak.
type Block interface{ block() }

// Align is a paragraph's alignment.
type Align int

// Alignments. AlignDefault inherits the style's.
const (
	AlignDefault Align = iota
	AlignLeft
	AlignCenter
	AlignRight
	AlignJustify
)

// Paragraph is one paragraph of runs.
type Paragraph struct {
	Runs []Run
	// Heading is 1–6 for a heading ("Heading 1"…, outline level 0–5); 0 is
	// body text.
	Heading int
	Align   Align
	Indent  Indent
	// Spacing, when not nil, replaces the document's.
	Spacing *Spacing
	// KeepNext keeps the paragraph on the page of the next one (headings
	// always do); KeepLines keeps its lines together.
	KeepNext, KeepLines bool
	// List makes the paragraph an item of a numbered or bulleted list.
	List *ListItem
}

// Indent is a paragraph's indentation. FirstLine < 0 is a hanging indent.
// NoFirstLine clears the document's first-line indent (Text.FirstLine) for
// this paragraph.
type Indent struct {
	Left, Right, FirstLine Length
	NoFirstLine            bool
}

// Run is text of one look. Size is in points (0 inherits). In Text, "\n"
// is a line break and "\t" a tab. A Run with a Field prints the field's
// value instead of Text.
type Run struct {
	Text                            string
	Bold, Italic, Underline, Strike bool
	Size                            float64
	Field                           Field
}

// Field is a value Word computes when it lays out the page.
type Field int

// Fields.
const (
	FieldNone     Field = iota
	FieldPage           // the page number
	FieldNumPages       // the number of pages
)

// ListKind is the numbering of a list.
type ListKind int

// List kinds. ListOutline numbers the sections of a report as Nghị định 30
// documents do: I., 1., a), then dashes.
const (
	ListDecimal ListKind = iota // 1., 1.1., 1.1.1.
	ListBullet                  // •, –, ◦
	ListOutline                 // I., 1., a), –
)

// ListItem places a paragraph in a list. Items with the same List number
// and Kind continue one numbering; another List number starts again at 1.
// Level is 0–8.
type ListItem struct {
	Kind  ListKind
	List  int
	Level int
}

// Table is a grid of cells. Columns gives each grid column's width; a row's
// cells cover the grid exactly (the sum of their spans is len(Columns)).
type Table struct {
	Columns []Length
	Rows    []Row
	// Borders draws single lines around and between the cells, with 1.5
	// mm of padding; false draws none and pads nothing, for layout tables
	// (a letterhead, a signature block) whose text lines up with the
	// margins.
	Borders bool
	// Align places the table between the margins; AlignDefault is left.
	Align Align
}

// Row is one row. Header rows (at the top of the table) are repeated on
// every page the table runs onto; CantSplit keeps the row on one page.
type Row struct {
	Cells     []Cell
	Header    bool
	CantSplit bool
}

// Cell is one cell: its blocks (an empty cell gets an empty paragraph),
// how many grid columns it spans (0 is 1), and its part in a vertical
// merge.
type Cell struct {
	Blocks   []Block
	GridSpan int
	VMerge   VMerge
	// VAlign is the vertical alignment: AlignDefault (top), AlignCenter,
	// or AlignRight meaning bottom.
	VAlign Align
}

// VMerge is a cell's part in a vertical merge.
type VMerge int

// Vertical merges: a VMergeRestart cell is merged with the VMergeContinue
// cells below it in the same grid column; their contents are not shown.
const (
	VMergeNone VMerge = iota
	VMergeRestart
	VMergeContinue
)

// PageBreak starts a new page.
type PageBreak struct{}

func (*Paragraph) block() {}
func (*Table) block()     {}
func (PageBreak) block()  {}
