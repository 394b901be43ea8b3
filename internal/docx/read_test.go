package docx

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestFixtures reads the documents LibreOffice made from the .fodt
// sources in testdata/fixtures and compares their Markdown with the
// golden files beside them (-update rewrites those; the office-tagged
// TestFixturesLibreOffice checks LibreOffice still makes the same).
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/fixtures/*.docx")
	if err != nil || len(files) < 3 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".docx")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := readBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			md := d.Markdown()
			if !norm.NFC.IsNormalString(md) {
				t.Error("Markdown not NFC")
			}
			golden(t, "fixtures/"+name+".md", md)
			checkRendersAsRead(t, d)
		})
	}
}

// TestFixtureDetails checks what the golden files cannot show: the
// source really is NFD, the images' bytes, types and alt texts.
func TestFixtureDetails(t *testing.T) {
	src, err := os.ReadFile("testdata/fixtures/report.fodt")
	if err != nil {
		t.Fatal(err)
	}
	if norm.NFC.IsNormal(src) {
		t.Fatal("report.fodt is NFC; the fixture must hold NFD text")
	}
	data, err := os.ReadFile("testdata/fixtures/report.docx")
	if err != nil {
		t.Fatal(err)
	}
	if norm.NFC.IsNormal(data) {
		t.Log("report.docx holds no NFD text?") // it is compressed; checked below on the XML
	}
	d, err := readBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Báo cáo cải cách hành chính" {
		t.Errorf("title %q", d.Title)
	}

	data, err = os.ReadFile("testdata/fixtures/image.docx")
	if err != nil {
		t.Fatal(err)
	}
	d, err = readBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Images) != 2 {
		t.Fatalf("%d images, want 2 (the same picture twice is one)", len(d.Images))
	}
	want := []struct{ name, ct, alt string }{
		{"image1.png", "image/png", "Lễ ra quân cải cách hành chính năm 2026"},
		{"image2.png", "image/png", ""},
	}
	for i, w := range want {
		im := d.Images[i]
		if im.Name != w.name || im.ContentType != w.ct || im.Alt != w.alt || im.Placeholder != "docx-image-"+string(rune('1'+i)) {
			t.Errorf("image %d: %+v", i, Image{Placeholder: im.Placeholder, Name: im.Name, ContentType: im.ContentType, Alt: im.Alt})
		}
		if !bytes.HasPrefix(im.Data, []byte("\x89PNG")) {
			t.Errorf("image %d: not PNG bytes", i)
		}
	}
	md := d.MarkdownWith(func(im Image) (string, string) {
		alt := im.Alt
		if alt == "" {
			alt = "Ảnh [mô tả] do biên tập viên nhập"
		}
		return "/tep/" + im.Name + " x", alt
	})
	for _, s := range []string{
		"![Lễ ra quân cải cách hành chính năm 2026](/tep/image1.png%20x)",
		`![Ảnh \[mô tả\] do biên tập viên nhập](/tep/image2.png%20x)`,
	} {
		if !strings.Contains(md, s) {
			t.Errorf("MarkdownWith: %s not in\n%s", s, md)
		}
	}
}

// construct is one case of TestConstructs: a body (and other parts), the
// Markdown it must give.
type construct struct {
	name  string
	body  string
	parts map[string]string
	want  string
}

const (
	stylesWord = `<?xml version="1.0"?><w:styles ` + testNS + `>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="u1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TieuDe2"><w:name w:val="Tiêu đề 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="DauDe3Rieng"><w:name w:val="Đầu đề 3"/></w:style>
<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="Mục lớn"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Derived"><w:name w:val="Con của mục lớn"/><w:basedOn w:val="MyHeading"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading5"><w:name w:val="x"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="BodyOutline"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="Loop A"/><w:basedOn w:val="LoopB"/></w:style>
<w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="Loop B"/><w:basedOn w:val="LoopA"/></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="u1"><w:name w:val="not a heading"/></w:style>
</w:styles>`
	numberingWord = `<?xml version="1.0"?><w:numbering ` + testNS + `>
<w:abstractNum w:abstractNumId="10"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl><w:lvl w:ilvl="2"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="30"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="Điều %2."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="40"><w:lvl w:ilvl="0"><w:start w:val="999999999999"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="30"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="40"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="99"/></w:num>
</w:numbering>`
	footnotesWord = `<?xml version="1.0"?><w:footnotes ` + testNS + `>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Chú thích </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>một</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p><w:p><w:r><w:t>- đoạn hai</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>Chú thích hai, chỉ được chú thích một trích dẫn.</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="3"><w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p></w:footnote>
<w:footnote w:id="4"><w:p><w:r><w:t>Không ai trích dẫn.</w:t></w:r></w:p></w:footnote>
</w:footnotes>`
	endnotesWord = `<?xml version="1.0"?><w:endnotes ` + testNS + `>
<w:endnote w:id="1"><w:p><w:r><w:t>Chú thích cuối.</w:t></w:r></w:p></w:endnote>
</w:endnotes>`
)

func run(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

func runProp(props, text string) string {
	return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
}

func para(content string) string { return `<w:p>` + content + `</w:p>` }

func styled(style, content string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + content + `</w:p>`
}

func numbered(numID, ilvl, content string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr></w:pPr>` + content + `</w:p>`
}

func drawing(descr, title, embed string) string {
	return `<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Picture 1" descr="` + descr + `" title="` + title + `"/>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="x"/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + embed + `"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`
}

var constructs = []construct{
	{name: "Word's heading styles: names, ids, outline levels, localized names", body: styled("u1", run("Một")) +
		styled("TieuDe2", run("Hai")) + styled("DauDe3Rieng", run("Ba")) + styled("MyHeading", run("Bốn")) +
		styled("Derived", run("Bốn nữa")) + styled("Heading5", run("Năm")) + styled("Title", run("Tựa")) +
		styled("BodyOutline", run("Thân bài")) + styled("LoopA", run("Vòng")) + styled("Unknown", run("Lạ")) +
		`<w:p><w:pPr><w:outlineLvl w:val="7"/></w:pPr>` + run("Cấp tám") + `</w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="u1"/><w:outlineLvl w:val="9"/></w:pPr>` + run("Không phải tiêu đề") + `</w:p>` +
		styled("u1", runProp(`<w:i/>`, "Tiêu đề *nghiêng*")),
		want: "# Một\n\n## Hai\n\n### Ba\n\n#### Bốn\n\n#### Bốn nữa\n\n##### Năm\n\n# Tựa\n\nThân bài\n\nVòng\n\nLạ\n\n###### Cấp tám\n\n**Không phải tiêu đề**\n\n# Tiêu đề \\*nghiêng\\*\n"},
	{name: "emphasis: direct, styles, toggles, spaces outside markers", body: para(runProp(`<w:b/>`, "Điều 1. ")+run("Phạm vi")) +
		para(run("Chữ ")+runProp(`<w:rStyle w:val="Strong"/>`, "mạnh")+run(" và ")+runProp(`<w:rStyle w:val="Strong"/><w:b w:val="0"/>`, "thường")+run(".")) +
		styled("Quote", run("Trích ")+runProp(`<w:i w:val="false"/>`, "đứng")) +
		para(runProp(`<w:strike/>`, "bỏ")+run(" ")+runProp(`<w:b/><w:i/>`, "cả hai")) +
		para(runProp(`<w:b/>`, "đậm")+runProp(`<w:b/><w:i/>`, "liền")+run(" kề")),
		want: "**Điều 1.** Phạm vi\n\nChữ **mạnh** và thường.\n\n*Trích* đứng\n\n~~bỏ~~ ***cả hai***\n\n**đậmliền** kề\n"},
	{name: "emphasis that Markdown would not read is dropped, text kept", body: para(run("chữ")+runProp(`<w:b/>`, "(a)")+run("chữ")) +
		para(run("a")+runProp(`<w:i/>`, "*")+run("b")),
		want: "chữ(a)chữ\n\na\\*b\n"},
	{name: "what TestEmphasisRendersAsRead found", body: para(runProp(`<w:strike/>`, "~")+run("*")) +
		para(run(`a\`)+`<w:r><w:br/></w:r>`+run("b")) +
		para(run("Xem!")+`<w:hyperlink r:id="rLink">`+run("đây")+`</w:hyperlink>`) +
		para(runProp(`<w:b/>`, "a")+`<w:hyperlink r:id="rLink">`+run(" ")+`</w:hyperlink>`+runProp(`<w:b/>`, "b")),
		want: "\\~\\*\n\na\\\\  \nb\n\nXem\\![đây](https://skhcn.quangngai.gov.vn/a%20b%28c%29)\n\n**a** **b**\n"},
	{name: "escaping", body: para(run(`* - + # > | [x](y) &lt;b&gt; &amp;copy; \ _a_ ~~s~~ `+"`c`")) +
		para(run("- không phải danh sách")) + para(run("1. không phải")) + para(run("2) cũng không")) +
		para(run("=====")) + para(run("    thụt lề")) + para(run("a")+`<w:r><w:br/></w:r>`+run("- b")+`<w:r><w:br/><w:br/></w:r>`+run("3. c")+`<w:r><w:br/></w:r>`),
		want: "\\* - + \\# \\> \\| \\[x\\](y) \\<b\\> \\&copy; \\\\ \\_a\\_ \\~\\~s\\~\\~ \\`c\\`\n\n\\- không phải danh sách\n\n1\\. không phải\n\n2\\) cũng không\n\n\\=====\n\nthụt lề\n\na\\\n\\- b\\\n3\\. c\n"},
	{name: "lists: nested, kinds, labels kept as text, start override, style numbering", body: numbered("1", "0", run("Một")) +
		numbered("1", "1", run("điểm a")) + numbered("1", "2", run("sâu")) + numbered("1", "0", run("Hai")) +
		numbered("2", "0", run("Chấm")) + numbered("2", "1", run("chấm con")) + styled("ListBullet", run("Chấm theo kiểu")) +
		para(run("Xen giữa")) +
		numbered("4", "0", run("Bảy")) + numbered("4", "0", run("Tám")) +
		numbered("3", "0", run("Mục")) + numbered("3", "1", run("nội dung")) +
		numbered("5", "0", run("Lớn")) + numbered("6", "0", run("Không định nghĩa")) + numbered("0", "0", run("Bỏ số")) +
		numbered("1", "0", ""),
		want: "1. Một\n\na) điểm a\n\n1\\.a.1. sâu\n\n2. Hai\n\n- Chấm\n  - chấm con\n- Chấm theo kiểu\n\nXen giữa\n\n7. Bảy\n8. Tám\n\nI. Mục\n\nĐiều 1. nội dung\n\n1000000. Lớn\n\n- Không định nghĩa\n\nBỏ số\n"},
	{name: "two lists in a row stay two lists", body: numbered("2", "0", run("a")) + numbered("6", "0", run("b")) + numbered("2", "0", run("c")) +
		numbered("1", "0", run("d")) + numbered("4", "0", run("e")),
		want: "- a\n\n* b\n\n- c\n\n1. d\n\n7) e\n"},
	{name: "numbered headings keep their numbers", body: `<w:p><w:pPr><w:pStyle w:val="u1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>` + run("KẾT QUẢ") + `</w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="TieuDe2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + run("Chi tiết") + `</w:p>`,
		want: "# I. KẾT QUẢ\n\n## 1. Chi tiết\n"},
	{name: "hyperlinks: relationships and fields, only safe schemes", body: para(run("Xem ")+`<w:hyperlink r:id="rLink">`+runProp(`<w:b/>`, "trang")+run(" này")+`</w:hyperlink>`+run(".")) +
		para(`<w:hyperlink r:id="rJS">`+run("độc")+`</w:hyperlink>`+` <w:hyperlink r:id="rFile">`+run("tệp")+`</w:hyperlink>`+`<w:hyperlink w:anchor="_Toc1">`+run("mục lục")+`</w:hyperlink>`+`<w:hyperlink r:id="nope">`+run("mất")+`</w:hyperlink>`) +
		para(`<w:fldSimple w:instr=" HYPERLINK &quot;mailto:cchc@quangngai.gov.vn&quot; \o &quot;thư&quot; ">`+run("thư")+`</w:fldSimple>`) +
		para(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://a.vn/x" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+run("trường")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`+run(" sau")) +
		para(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+run("3")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`) +
		para(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK \l "x"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+run("trong")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`) +
		para(`<w:hyperlink r:id="rLink"></w:hyperlink>`+run("rỗng")) +
		para(run("dấu")+`<w:hyperlink r:id="rLink">`+run(" cách ")+`</w:hyperlink>`+run("ngoài")),
		want: "Xem [**trang** này](https://skhcn.quangngai.gov.vn/a%20b%28c%29).\n\nđộctệpmục lụcmất\n\n[thư](mailto:cchc@quangngai.gov.vn)\n\n[trường](https://a.vn/x) sau\n\n3\n\ntrong\n\nrỗng\n\ndấu [cách](https://skhcn.quangngai.gov.vn/a%20b%28c%29) ngoài\n"},
	{name: "footnotes and endnotes", body: para(run("Câu một") + `<w:r><w:footnoteReference w:id="1"/></w:r>` + run(", câu hai") + `<w:r><w:endnoteReference w:id="1"/></w:r>` +
		`<w:r><w:footnoteReference w:id="3"/></w:r>` + `<w:r><w:footnoteReference w:id="9"/></w:r>` + run(" và lại") + `<w:r><w:footnoteReference w:id="1"/></w:r>`),
		want: "Câu một[^1], câu hai[^2] và lại[^1]\n\n[^1]: Chú thích **một**\n\n    \\- đoạn hai\n\n[^2]: Chú thích cuối.\n"},
	{name: "images: DrawingML, VML, alt text, the same image once, missing and escaping targets", body: para(run("Ảnh ")+drawing("Lễ ra quân", "Tựa ảnh", "rImg")) +
		para(drawing("", "Chỉ có tựa", "rImgAbs")+drawing("x", "", "rMissing")+drawing("y", "", "rEscape")+drawing("z", "", "rLink")) +
		para(`<w:r><w:pict><v:shape alt="Ảnh VML"><v:imagedata r:id="rImg" o:title="t"/></v:shape></w:pict></w:r>`),
		want: "Ảnh ![Lễ ra quân](docx-image-1)\n\n![Lễ ra quân](docx-image-1)\n\n![Lễ ra quân](docx-image-1)\n"},
	{name: "tables: spans, merges, grid before and after, nested, lists in cells", body: `<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
		`<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>` + para(run("A")) + `</w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>` + para(run("B | C")) + `</w:tc></w:tr>` +
		`<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>` + para(run("ẩn")) + `</w:tc><w:tc>` + para(runProp(`<w:b/>`, "b")) + `</w:tc><w:tc>` + numbered("1", "0", run("x")) + numbered("2", "0", run("y")) + `</w:tc></w:tr>` +
		`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tbl><w:tr><w:tc>` + para(run("lồng")) + `</w:tc><w:tc>` + para(run("nhau")) + `</w:tc></w:tr></w:tbl>` + para("") + `</w:tc></w:tr>` +
		`<w:sdt><w:sdtContent><w:tr><w:tc>` + para(run("trong")) + `</w:tc><w:tc>` + para(run("dòng")+`<w:r><w:br/></w:r>`+run("ngắt")) + `</w:tc></w:tr></w:sdtContent></w:sdt>` +
		`</w:tbl>` + `<w:tbl></w:tbl>`,
		want: "| A | B \\| C |  |\n| --- | --- | --- |\n|  | **b** | 1. x y |\n|  | lồng nhau |  |\n| trong | dòng ngắt |  |\n"},
	{name: "Word's other markup: tracked changes, hidden text, content controls, alternate content, text boxes, symbols", body: para(run("giữ ")+`<w:ins w:id="1">`+run("thêm")+`</w:ins>`+`<w:del w:id="2"><w:r><w:delText>xoá</w:delText></w:r></w:del>`+`<w:moveFrom>`+run("cũ")+`</w:moveFrom>`+runProp(`<w:vanish/>`, "ẩn")) +
		`<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>` + para(run("trong điều khiển")) + `</w:sdtContent></w:sdt>` +
		para(`<mc:AlternateContent><mc:Choice Requires="wps">`+run("lựa chọn")+`</mc:Choice><mc:Fallback>`+run("dự phòng")+`</mc:Fallback></mc:AlternateContent>`) +
		para(run("có hộp")+`<w:r><w:drawing><wp:anchor><wp:docPr id="3" name="Text Box 1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>`+para(run("chữ trong hộp"))+`</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>`) +
		para(run("a\tb")+`<w:r><w:tab/><w:noBreakHyphen/><w:softHyphen/><w:sym w:font="Wingdings" w:char="F0FC"/><w:t>c</w:t></w:r>`+"<w:bookmarkStart w:id=\"0\" w:name=\"x\"/><w:proofErr w:type=\"spellStart\"/>"+run("\u00a0d")) +
		para(`<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>`) +
		`<w:sectPr><w:pgSz w:w="11906"/></w:sectPr>`,
		want: "giữ thêm\n\ntrong điều khiển\n\nlựa chọn\n\ncó hộp\n\nchữ trong hộp\n\na b -c\u00a0d\n\nx=1\n"},
	{name: "NFD text becomes NFC", body: para(run("Nghi\u0323 \u0111i\u0323nh so\u0302\u0301 30")),
		want: "Nghị định số 30\n"},
	{name: "an empty document", body: para("") + `<w:sectPr/>`, want: ""},
}

func TestConstructs(t *testing.T) {
	for _, c := range constructs {
		t.Run(c.name, func(t *testing.T) {
			ps := map[string]string{
				"word/document.xml":  wordBody(c.body),
				"word/styles.xml":    stylesWord,
				"word/numbering.xml": numberingWord,
				"word/footnotes.xml": footnotesWord,
				"word/endnotes.xml":  endnotesWord,
			}
			for k, v := range c.parts {
				ps[k] = v
			}
			d, err := readBytes(buildDocx(t, ps))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Markdown(); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
			checkRendersAsRead(t, d)
		})
	}
}

// TestStrictOOXML reads a document in the strict namespaces, with its
// parts elsewhere than word/.
func TestStrictOOXML(t *testing.T) {
	const w = `xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"`
	data := buildDocx(t, map[string]string{
		"word/document.xml": "",
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="a" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/doc/main.xml"/></Relationships>`,
		"doc/_rels/main.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="l" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink" Target="https://a.vn/" TargetMode="External"/></Relationships>`,
		"doc/main.xml": `<w:document ` + w + `><w:body><w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Tiêu đề</w:t></w:r></w:p>` +
			`<w:p><w:hyperlink r:id="l"><w:r><w:rPr><w:b/></w:rPr><w:t>liên kết</w:t></w:r></w:hyperlink></w:p></w:body></w:document>`,
	})
	d, err := readBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Markdown(), "## Tiêu đề\n\n[**liên kết**](https://a.vn/)\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
