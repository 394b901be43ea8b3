package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// parts unzips a written document.
func parts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		if !f.Modified.IsZero() && f.Modified.Year() != 1980 {
			t.Errorf("%s: modified %v, want the fixed 1980-01-01", f.Name, f.Modified)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(b)
	}
	return out
}

func TestWriteIsDeterministic(t *testing.T) {
	a := writeBytes(t, reportDocument())
	b := writeBytes(t, reportDocument())
	if !bytes.Equal(a, b) {
		t.Fatal("the same document gave different bytes")
	}
	changed := reportDocument()
	changed.Props.Title = "Khác"
	if bytes.Equal(a, writeBytes(t, changed)) {
		t.Fatal("a changed title gave the same bytes")
	}
	t.Logf("report: %d bytes", len(a))
}

// TestWriteParts checks every part is well-formed XML and the layout the
// form of Nghị định 30 asks for is in the document.
func TestWriteParts(t *testing.T) {
	ps := parts(t, writeBytes(t, reportDocument()))
	for _, name := range []string{
		"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml",
		"word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
		"word/numbering.xml", "word/header1.xml", "word/header2.xml",
	} {
		s, ok := ps[name]
		if !ok {
			t.Errorf("part %s missing", name)
			continue
		}
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
		}
	}
	for _, name := range []string{"word/footer1.xml", "word/footer2.xml"} {
		if _, ok := ps[name]; ok {
			t.Errorf("%s written for a document without a footer", name)
		}
	}
	if order := zipOrder(t, writeBytes(t, reportDocument())); order[0] != "[Content_Types].xml" {
		t.Errorf("first entry %s, want [Content_Types].xml", order[0])
	}
	doc, styles, core := ps["word/document.xml"], ps["word/styles.xml"], ps["docProps/core.xml"]
	for _, c := range []struct{ where, part, want string }{
		{"A4 paper", doc, `<w:pgSz w:w="11906" w:h="16838"/>`},
		{"margins 20/15/20/30 mm", doc, `<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/>`},
		{"no page number on page 1", doc, `<w:titlePg/>`},
		{"default header", doc, `<w:headerReference w:type="default" r:id=`},
		{"empty first-page header", doc, `<w:headerReference w:type="first" r:id=`},
		{"header rows repeat", doc, `<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`},
		{"rows do not split", doc, `<w:trPr><w:cantSplit/></w:trPr>`},
		{"column span", doc, `<w:gridSpan w:val="2"/>`},
		{"vertical merge", doc, `<w:vMerge w:val="restart"/>`},
		{"vertical merge continues", doc, `<w:vMerge/>`},
		{"letterhead without borders", doc, `<w:top w:val="nil"/>`},
		{"data table with borders", doc, `<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>`},
		{"unit name bold underlined", doc, `<w:rPr><w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">SỞ KHOA HỌC VÀ CÔNG NGHỆ</w:t>`},
		{"national title bold 12 pt", doc, `<w:rPr><w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t xml:space="preserve">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t>`},
		{"motto bold underlined", doc, `<w:u w:val="single"/></w:rPr><w:t xml:space="preserve">Độc lập - Tự do - Hạnh phúc</w:t>`},
		{"place and date italic", doc, `<w:rPr><w:i/><w:iCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">Quảng Ngãi, ngày 15 tháng 12 năm 2026</w:t>`},
		{"recipients 11 pt", doc, `<w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr><w:t xml:space="preserve">- Lưu: VT, VP.</w:t>`},
		{"Nơi nhận bold italic 12 pt", doc, `<w:rPr><w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t xml:space="preserve">Nơi nhận:</w:t>`},
		{"centred", doc, `<w:jc w:val="center"/>`},
		{"right-aligned", doc, `<w:jc w:val="right"/>`},
		{"heading style", doc, `<w:pStyle w:val="Heading1"/>`},
		{"numbered section", doc, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`},
		{"page break", doc, `<w:br w:type="page"/>`},
		{"Times New Roman", styles, `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>`},
		{"14 pt", styles, `<w:sz w:val="28"/>`},
		{"6 pt before, single spacing", styles, `<w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/>`},
		{"first line 1 cm, justified", styles, `<w:ind w:firstLine="567"/><w:jc w:val="both"/>`},
		{"heading 1 outline level", styles, `<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>`},
		{"Vietnamese", styles, `<w:lang w:val="vi-VN"`},
		{"title", core, `<dc:title>Báo cáo kết quả thực hiện Kế hoạch 272/KH-SKHCN năm 2026</dc:title>`},
		{"creator", core, `<dc:creator>Sở Khoa học và Công nghệ tỉnh Quảng Ngãi</dc:creator>`},
		{"created", core, `<dcterms:created xsi:type="dcterms:W3CDTF">2026-12-15T08:00:00Z</dcterms:created>`},
		{"page field", ps["word/header1.xml"], `<w:instrText xml:space="preserve"> PAGE </w:instrText>`},
		{"outline numbering I.", ps["word/numbering.xml"], `<w:numFmt w:val="upperRoman"/><w:suff w:val="space"/><w:lvlText w:val="%1."/>`},
		{"dashes where a paragraph's first line starts", ps["word/numbering.xml"], `<w:suff w:val="space"/><w:lvlText w:val="–"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="567"/>`},
		{"space above the signature", doc, `<w:spacing w:before="240" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">KT. GIÁM ĐỐC</w:t>`},
	} {
		if !strings.Contains(c.part, c.want) {
			t.Errorf("%s: %s not found", c.where, c.want)
		}
	}
}

func zipOrder(t *testing.T, data []byte) []string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

// TestWriteReadBack reads the written report with the reader: what the
// writer says, the reader understands (headings, numbered sections,
// lists, merged cells, the letterhead and signature tables).
func TestWriteReadBack(t *testing.T) {
	data := writeBytes(t, reportDocument())
	d, err := readBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Báo cáo kết quả thực hiện Kế hoạch 272/KH-SKHCN năm 2026" {
		t.Errorf("title %q", d.Title)
	}
	golden(t, "written/report.md", d.Markdown())
	checkRendersAsRead(t, d)
}

func TestWriteRefuses(t *testing.T) {
	p := func(s string) *Paragraph { return &Paragraph{Runs: []Run{{Text: s}}} }
	for _, c := range []struct {
		name string
		doc  *Document
		want string
	}{
		{"heading 7", &Document{Blocks: []Block{&Paragraph{Heading: 7}}}, "heading level 7"},
		{"control character", &Document{Blocks: []Block{p("a\x1bb")}}, "U+001B"},
		{"not UTF-8", &Document{Blocks: []Block{p("a\xffb")}}, "not UTF-8"},
		{"list level 9", &Document{Blocks: []Block{&Paragraph{List: &ListItem{Level: 9}}}}, "list level 9"},
		{"cells short of the grid", &Document{Blocks: []Block{&Table{Columns: []Length{100, 100}, Rows: []Row{{Cells: []Cell{{}}}}}}}, "span 1 of the table's 2 columns"},
		{"span past the grid", &Document{Blocks: []Block{&Table{Columns: []Length{100}, Rows: []Row{{Cells: []Cell{{GridSpan: 2}}}}}}}, "spans past"},
		{"merge continued from nothing", &Document{Blocks: []Block{&Table{Columns: []Length{100}, Rows: []Row{{Cells: []Cell{{VMerge: VMergeContinue}}}}}}}, "no cell above starts"},
		{"header row after a body row", &Document{Blocks: []Block{&Table{Columns: []Length{100}, Rows: []Row{{Cells: []Cell{{}}}, {Header: true, Cells: []Cell{{}}}}}}}, "header row after a body row"},
		{"table without rows", &Document{Blocks: []Block{&Table{Columns: []Length{100}}}}, "without rows"},
		{"nil block", &Document{Blocks: []Block{nil}}, "nil block"},
		{"bad header", &Document{Header: []Block{p("\x00")}}, "header"},
		{"bad title", &Document{Props: Props{Title: "\x07"}}, "properties"},
		{"no document", nil, "no document"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, c.doc)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written before the error", buf.Len())
			}
		})
	}
}

// TestWriteText checks runs: line breaks, tabs, NFC, escaping.
func TestWriteText(t *testing.T) {
	nfd := "Nghi\u0323 \u0111i\u0323nh" // NFD "Nghị định"
	ps := parts(t, writeBytes(t, &Document{Blocks: []Block{&Paragraph{Runs: []Run{
		{Text: "a\nb\tc & <d> \"e\""}, {Text: nfd}, {Field: FieldNumPages, Bold: true},
	}}}}))
	doc := ps["word/document.xml"]
	for _, want := range []string{
		`<w:t xml:space="preserve">a</w:t><w:br/><w:t xml:space="preserve">b</w:t><w:tab/><w:t xml:space="preserve">c &amp; &lt;d&gt; &quot;e&quot;</w:t>`,
		`Nghị định`,
		`<w:instrText xml:space="preserve"> NUMPAGES </w:instrText>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("%s not in document.xml", want)
		}
	}
	if _, ok := ps["word/numbering.xml"]; ok {
		t.Error("numbering.xml written without lists")
	}
	if _, ok := ps["word/header1.xml"]; ok {
		t.Error("header written without one")
	}
}
