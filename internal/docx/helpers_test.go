package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"cchc/internal/markdown"
	"cchc/internal/vntext"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or writes it with -update.
func golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// Namespaces the hand-built documents declare.
const testNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ` +
	`xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"`

// wordBody wraps body in a w:document.
func wordBody(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:document ` + testNS + `><w:body>` + body + `</w:body></w:document>`
}

// testPNG is a 1×1 PNG.
var testPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

// defaultParts are the parts of a hand-built document other than its
// body: relationships to styles, numbering, notes, two links, an image.
func defaultParts() map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
			`<Relationship Id="rNum" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>` +
			`<Relationship Id="rFoot" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>` +
			`<Relationship Id="rEnd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>` +
			`<Relationship Id="rLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://skhcn.quangngai.gov.vn/a b(c)" TargetMode="External"/>` +
			`<Relationship Id="rJS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="javascript:alert(1)" TargetMode="External"/>` +
			`<Relationship Id="rFile" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="file:///etc/passwd" TargetMode="External"/>` +
			`<Relationship Id="rImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>` +
			`<Relationship Id="rImgAbs" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="/word/media/image1.png"/>` +
			`<Relationship Id="rMissing" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/none.png"/>` +
			`<Relationship Id="rEscape" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../../../../etc/passwd"/>` +
			`</Relationships>`,
		"word/styles.xml":       `<?xml version="1.0"?><w:styles ` + testNS + `/>`,
		"word/media/image1.png": string(testPNG),
	}
}

// buildDocx zips parts (defaultParts overridden by parts; an empty value
// removes a part), in name order.
func buildDocx(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	all := defaultParts()
	for k, v := range parts {
		if v == "" {
			delete(all, k)
			continue
		}
		all[k] = v
	}
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		// Stored, not deflated: a flate writer costs more than reading
		// the document, and the fuzz targets build one a run.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(all[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readBytes(data []byte) (*Doc, error) {
	return Read(bytes.NewReader(data), int64(len(data)))
}

func writeBytes(t testing.TB, doc *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docText is every character a reader of the document sees, in order,
// without whitespace: what the column must show after the Markdown is
// rendered. It follows the rules of Markdown: labels of ordered items in
// the body are the list's numbers (not text), in headings, cells and notes
// they are text; notes come last, those without text left out.
func docText(d *Doc) string {
	var b strings.Builder
	var blocks func(bs []block, flat bool)
	inlines := func(ins []inline) {
		for _, in := range ins {
			switch in.kind {
			case inText:
				b.WriteString(in.text)
			case inImage:
				if alt := d.Images[in.ref].Alt; alt != "" {
					b.WriteString(alt)
				} else {
					b.WriteString("x") // as renderedText writes an image without alt text
				}
			}
		}
	}
	blocks = func(bs []block, flat bool) {
		for _, bl := range bs {
			switch x := bl.(type) {
			case *paragraph:
				var text strings.Builder
				for _, in := range x.inlines {
					if in.kind == inText {
						text.WriteString(in.text)
					}
					if in.kind == inImage {
						text.WriteString("x") // an image is something to show
					}
				}
				if strings.TrimSpace(text.String()) == "" {
					continue
				}
				switch {
				case x.list.kind == labelled:
					b.WriteString(x.list.label)
				case x.list.kind == orderedItem && (flat || x.heading > 0):
					b.WriteString(labelOf(x.list))
				}
				inlines(x.inlines)
			case *table:
				for _, row := range x.rows {
					for _, c := range row {
						blocks(c.blocks, true)
					}
				}
			}
		}
	}
	blocks(d.blocks, false)
	m := &mdWriter{doc: d}
	for i, n := range d.notes {
		if m.noteHasText(i + 1) {
			blocks(n.blocks, true)
		}
	}
	return squeeze(b.String())
}

// squeeze is s in NFC without whitespace or control characters.
func squeeze(s string) string {
	return vntext.NFC(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || vntext.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s))
}

var (
	reNoteRef  = regexp.MustCompile(`<sup id="fnref[^"]*"><a [^>]*>[^<]*</a></sup>`)
	reBackRef  = regexp.MustCompile(`<a href="#fnref[^"]*" class="footnote-backref"[^>]*>[^<]*</a>`)
	reImg      = regexp.MustCompile(`<img [^>]*alt="([^"]*)"[^>]*>`)
	reTag      = regexp.MustCompile(`<[^>]*>`)
	renderOnce = markdown.New()
)

// renderedText renders md with the column's renderer and returns the text
// a reader sees (image alt texts included, note numbers and back links
// left out), squeezed. ok is false when the renderer refused md for its
// own limits.
func renderedText(t testing.TB, md string) (string, bool) {
	t.Helper()
	res, err := renderOnce.Render(context.Background(), md, nil)
	if err != nil {
		var le *markdown.LimitError
		if errors.As(err, &le) {
			return "", false
		}
		t.Fatalf("render: %v\n%s", err, md)
	}
	h := reNoteRef.ReplaceAllString(res.HTML, "")
	h = reBackRef.ReplaceAllString(h, "")
	h = reImg.ReplaceAllStringFunc(h, func(img string) string {
		alt := reImg.FindStringSubmatch(img)[1]
		if alt == "" {
			return "x"
		}
		return alt
	})
	h = reTag.ReplaceAllString(h, "")
	return squeeze(html.UnescapeString(h)), true
}

// checkRendersAsRead fails when the column would show other characters
// than the document holds: a stray asterisk or backslash, a lost word.
func checkRendersAsRead(t testing.TB, d *Doc) {
	t.Helper()
	md := d.Markdown()
	got, ok := renderedText(t, md)
	if !ok {
		return
	}
	want := docText(d)
	if got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("rendered text differs from the document at byte %d:\n rendered %q\n document %q\nMarkdown:\n%s",
			i, clipAt(got, i), clipAt(want, i), md)
	}
}

func clipAt(s string, i int) string {
	lo := max(i-30, 0)
	hi := min(i+30, len(s))
	return strings.ToValidUTF8(s[lo:hi], "?")
}

// reportDocument is an annual report as feature (a) will write it.
func reportDocument() *Document {
	para := func(runs ...Run) *Paragraph { return &Paragraph{Runs: runs} }
	text := func(s string) Run { return Run{Text: s} }
	section := func(level int, s string) *Paragraph {
		return &Paragraph{Heading: level + 1, List: &ListItem{Kind: ListOutline, Level: level}, Runs: []Run{text(s)}}
	}
	cell := func(s string, bold bool, align Align) Cell {
		return Cell{Blocks: []Block{&Paragraph{Align: align, Runs: []Run{{Text: s, Bold: bold}}}}}
	}
	doc := &Document{
		Props: Props{
			Title:    "Báo cáo kết quả thực hiện Kế hoạch 272/KH-SKHCN năm 2026",
			Subject:  "Cải cách hành chính",
			Creator:  "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
			Created:  time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC),
			Modified: time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC),
		},
		Page:   Decree30Page(),
		Text:   Decree30Text(),
		Header: Decree30PageNumber(),
	}
	doc.Blocks = append(doc.Blocks, Letterhead{
		Parent:  "UBND TỈNH QUẢNG NGÃI",
		Unit:    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
		Number:  "215/BC-SKHCN",
		Place:   "Quảng Ngãi",
		Date:    time.Date(2026, 12, 15, 0, 0, 0, 0, vntext.Zone),
		Kind:    "BÁO CÁO",
		Summary: "Kết quả thực hiện nhiệm vụ cải cách hành chính năm 2026",
	}.Blocks()...)
	doc.Blocks = append(doc.Blocks,
		para(text("Thực hiện "), Run{Text: "Kế hoạch số 272/KH-SKHCN", Italic: true}, text(" ngày 15/01/2026 của Sở Khoa học và Công nghệ, Sở báo cáo kết quả như sau:")),
		section(0, "KẾT QUẢ ĐẠT ĐƯỢC"),
		section(1, "Chuyên mục cải cách hành chính"),
		para(text("Trong năm, chuyên mục đăng tải "), Run{Text: "48 tin bài", Bold: true}, text(", đạt 100% chỉ tiêu.")),
		&Paragraph{List: &ListItem{Kind: ListBullet, List: 1}, Runs: []Run{text("Tin hoạt động: 30 tin;")}},
		&Paragraph{List: &ListItem{Kind: ListBullet, List: 1}, Runs: []Run{text("Văn bản mới: 18 văn bản.")}},
		section(1, "Thủ tục hành chính"),
		para(text("Số liệu theo lĩnh vực (bảng dưới; dòng tiêu đề lặp lại ở mỗi trang):")),
	)
	t := &Table{Borders: true, Columns: []Length{MM(15), MM(70), MM(25), MM(25), MM(30)}}
	t.Rows = append(t.Rows,
		Row{Header: true, CantSplit: true, Cells: []Cell{
			{Blocks: []Block{&Paragraph{Align: AlignCenter, Runs: []Run{{Text: "STT", Bold: true}}}}, VMerge: VMergeRestart, VAlign: AlignCenter},
			{Blocks: []Block{&Paragraph{Align: AlignCenter, Runs: []Run{{Text: "Lĩnh vực", Bold: true}}}}, VMerge: VMergeRestart, VAlign: AlignCenter},
			{Blocks: []Block{&Paragraph{Align: AlignCenter, Runs: []Run{{Text: "Số thủ tục", Bold: true}}}}, GridSpan: 2},
			{Blocks: []Block{&Paragraph{Align: AlignCenter, Runs: []Run{{Text: "Ghi chú", Bold: true}}}}, VMerge: VMergeRestart, VAlign: AlignCenter},
		}},
		Row{Header: true, CantSplit: true, Cells: []Cell{
			{VMerge: VMergeContinue}, {VMerge: VMergeContinue},
			cell("Cấp tỉnh", true, AlignCenter), cell("Cấp xã", true, AlignCenter),
			{VMerge: VMergeContinue},
		}},
	)
	fields := []string{"Khoa học", "Công nghệ", "Sở hữu trí tuệ", "Tiêu chuẩn đo lường chất lượng", "Năng lượng nguyên tử", "An toàn bức xạ và hạt nhân"}
	for i := range 30 {
		t.Rows = append(t.Rows, Row{CantSplit: true, Cells: []Cell{
			cell(fmt.Sprint(i+1), false, AlignCenter),
			cell(fields[i%len(fields)]+" — nhóm "+fmt.Sprint(i/len(fields)+1), false, AlignLeft),
			cell(fmt.Sprint(10+i), false, AlignRight),
			cell(fmt.Sprint(i%4), false, AlignRight),
			cell("", false, AlignLeft),
		}})
	}
	t.Rows = append(t.Rows, Row{CantSplit: true, Cells: []Cell{
		{Blocks: []Block{&Paragraph{Align: AlignCenter, Runs: []Run{{Text: "Tổng cộng", Bold: true}}}}, GridSpan: 2},
		cell("735", true, AlignRight), cell("45", true, AlignRight), cell("", false, AlignLeft),
	}})
	doc.Blocks = append(doc.Blocks, t,
		section(0, "NHIỆM VỤ NĂM 2027"),
		para(text("Tiếp tục duy trì chuyên mục; "), Run{Text: "đăng tải đầy đủ", Bold: true, Italic: true}, text(" thủ tục và văn bản.")),
		section(2, "Về nhân lực"),
		para(text("Phân công công chức theo dõi.")),
		PageBreak{},
		para(Run{Text: "Trên đây là báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính năm 2026 của Sở Khoa học và Công nghệ./."}),
		Signature{
			Recipients: []string{"Sở Nội vụ (b/c);", "Giám đốc, các PGĐ Sở;", "Lưu: VT, VP."},
			Authority:  "KT. GIÁM ĐỐC",
			Position:   "PHÓ GIÁM ĐỐC",
			Name:       "Nguyễn Văn An",
		}.Block(),
	)
	return doc
}
