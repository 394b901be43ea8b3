package docx

import (
	"strings"
	"time"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// The form of an administrative document (Nghị định 30/2020/NĐ-CP,
// Phụ lục I): A4, Times New Roman, the letterhead's two columns, the
// signature block. The figures chosen inside the decree's ranges are
// named here once.

// Decree30Page is A4 with the decree's margins: top and bottom 20 mm
// (20–25), left 30 mm (30–35), right 15 mm (15–20); the page number sits
// in the top margin, 10 mm from the edge, and not on the first page.
func Decree30Page() Page {
	return Page{
		Width: MM(210), Height: MM(297),
		Top: MM(20), Bottom: MM(20), Left: MM(30), Right: MM(15),
		Header: MM(10), Footer: MM(10),
		TitlePage: true,
	}
}

// Decree30Text is the body text the decree asks for: Times New Roman 14 pt
// (13–14), justified, the first line indented 1 cm (1–1.27 cm), 6 pt
// between paragraphs (at least 6), single line spacing (single to 1.5).
func Decree30Text() TextStyle {
	return TextStyle{
		Font: "Times New Roman", Size: 14,
		Spacing:   Spacing{Before: Pt(6), Line: 1},
		FirstLine: MM(10),
		Align:     AlignJustify,
	}
}

// Decree30PageNumber is the header of pages 2 onwards: the page number,
// centred, 13 pt.
func Decree30PageNumber() []Block {
	return []Block{&Paragraph{Align: AlignCenter, Runs: []Run{{Field: FieldPage, Size: 13}}}}
}

// textWidth is the width between the margins of Decree30Page: 165 mm.
var textWidth = MM(210 - 30 - 15)

// Letterhead is the top of an administrative document: the issuing
// agency and the national title in two columns, the number and the place
// and date under them, then the kind of document and its summary.
type Letterhead struct {
	Parent string    // cơ quan chủ quản, "UBND TỈNH QUẢNG NGÃI"
	Unit   string    // the issuing unit, "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
	Number string    // "15/BC-SKHCN" (written after "Số: ")
	Place  string    // "Quảng Ngãi"
	Date   time.Time // in Vietnam's time zone; zero leaves "ngày … tháng … năm …" to fill
	Kind   string    // "BÁO CÁO"
	// Summary is the trích yếu, "Kết quả thực hiện … năm 2026".
	Summary string
}

// Blocks returns the letterhead: a borderless two-column table (agency
// left, 75 mm: "SỞ KHOA HỌC VÀ CÔNG NGHỆ" takes 73 mm at 13 pt bold;
// national title right, 90 mm: it takes 88 mm on one line at 12 pt bold),
// then the kind and summary centred and bold.
func (l Letterhead) Blocks() []Block {
	center := func(size float64, runs ...Run) *Paragraph {
		for i := range runs {
			runs[i].Size = size
		}
		return &Paragraph{Align: AlignCenter, Spacing: &Spacing{Line: 1}, Runs: runs}
	}
	date := vntext.LongDate(l.Date)
	if date == "" {
		date = strings.Join([]string{locale.T("docx.date.day"), locale.T("docx.date.month"), locale.T("docx.date.year")}, "      ")
	}
	placeDate := l.Place + ", " + date
	if l.Place == "" {
		placeDate = date
	}
	cell := func(ps ...*Paragraph) Cell {
		bs := make([]Block, len(ps))
		for i, p := range ps {
			bs[i] = p
		}
		return Cell{Blocks: bs}
	}
	table := &Table{
		Columns: []Length{MM(75), textWidth - MM(75)},
		Rows: []Row{
			{CantSplit: true, Cells: []Cell{
				cell(
					center(13, Run{Text: l.Parent}),
					center(13, Run{Text: l.Unit, Bold: true, Underline: true}),
				),
				cell(
					center(12, Run{Text: locale.T("docx.nation"), Bold: true}),
					center(13, Run{Text: locale.T("docx.motto"), Bold: true, Underline: true}),
				),
			}},
			{CantSplit: true, Cells: []Cell{
				cell(center(13, Run{Text: locale.T("docx.number") + " " + l.Number})),
				cell(center(14, Run{Text: placeDate, Italic: true})),
			}},
		},
	}
	title := &Paragraph{Align: AlignCenter, KeepNext: true, Spacing: &Spacing{Before: Pt(18), Line: 1},
		Indent: Indent{NoFirstLine: true}, Runs: []Run{{Text: l.Kind, Bold: true}}}
	summary := &Paragraph{Align: AlignCenter, KeepNext: true, Spacing: &Spacing{Line: 1, After: Pt(12)},
		Indent: Indent{NoFirstLine: true}, Runs: []Run{{Text: l.Summary, Bold: true}}}
	return []Block{table, title, summary}
}

// Signature is the end of an administrative document: where it is sent
// (Nơi nhận) on the left, who signs on the right.
type Signature struct {
	// Recipients are the lines under "Nơi nhận:", each written after
	// "- ": "Như trên;", "Lưu: VT, VP.".
	Recipients []string
	Authority  string // quyền hạn, "KT. GIÁM ĐỐC"; "" when the head signs
	Position   string // chức vụ, "PHÓ GIÁM ĐỐC"
	Name       string // "Nguyễn Văn A"
}

// Block returns the signature block: a borderless two-column table kept
// on one page, "Nơi nhận:" bold italic 12 pt and its lines 11 pt on the
// left; authority and position bold, four empty lines for the signature
// and the seal, then the name bold, centred on the right.
func (s Signature) Block() *Table {
	para := func(align Align, runs ...Run) *Paragraph {
		return &Paragraph{Align: align, KeepNext: true, Spacing: &Spacing{Line: 1}, Runs: runs}
	}
	left := []Block{para(AlignLeft, Run{Text: locale.T("docx.recipients"), Bold: true, Italic: true, Size: 12})}
	left[0].(*Paragraph).Spacing.Before = Pt(12)
	for _, r := range s.Recipients {
		left = append(left, para(AlignLeft, Run{Text: "- " + r, Size: 11}))
	}
	var right []Block
	if s.Authority != "" {
		right = append(right, para(AlignCenter, Run{Text: s.Authority, Bold: true}))
	}
	right = append(right, para(AlignCenter, Run{Text: s.Position, Bold: true}))
	right[0].(*Paragraph).Spacing.Before = Pt(12) // apart from the last paragraph
	for range 4 {
		right = append(right, para(AlignCenter))
	}
	right = append(right, para(AlignCenter, Run{Text: s.Name, Bold: true}))
	return &Table{
		Columns: []Length{MM(80), textWidth - MM(80)},
		Rows: []Row{{CantSplit: true, Cells: []Cell{
			{Blocks: left},
			{Blocks: right},
		}}},
	}
}
