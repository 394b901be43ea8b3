package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"cchc/internal/fuzztime"
	"golang.org/x/text/unicode/norm"
)

// checkRead holds what every read must: one of the documented errors, or
// a document whose Markdown is UTF-8, NFC, and shows on the column
// exactly the text the document holds.
func checkRead(t *testing.T, data []byte, lim Limits) {
	d, err := ReadLimits(bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		if errors.Is(err, errInternal) {
			t.Fatalf("panic: %v", err)
		}
		if !errors.Is(err, ErrNotDocx) && !errors.Is(err, ErrOldOrEncrypted) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("undocumented error: %v", err)
		}
		return
	}
	md := d.Markdown()
	if !utf8.ValidString(md) || !norm.NFC.IsNormalString(md) {
		t.Fatalf("Markdown not UTF-8 NFC: %q", md)
	}
	for _, im := range d.Images {
		if int64(len(im.Data)) > lim.ImageBytes || !utf8.ValidString(im.Alt) || strings.ContainsAny(im.Alt, "\n\r\t") {
			t.Fatalf("image %s: %d bytes, alt %q", im.Name, len(im.Data), im.Alt)
		}
	}
	checkRendersAsRead(t, d)
}

// FuzzRead feeds whole files, mutated byte by byte: mostly the zip's
// records and, in stored (uncompressed) entries, the XML. Seeds are small
// (Go minimizes every input that finds new code, for up to a minute, and
// that is quick only for small ones; a LibreOffice fixture, deflated,
// kept it minimizing for the whole of .ci/fuzz's 15 s): stored packages of
// a paragraph each and one small deflated one. FuzzReadXML covers what
// the XML means; TestFixtures reads the fixtures.
func FuzzRead(f *testing.F) {
	for _, c := range constructs[:6] {
		f.Add(storedZip(f, map[string]string{
			"_rels/.rels":       defaultParts()["_rels/.rels"],
			"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + splitTop(c.body)[0] + `</w:body></w:document>`,
		}))
	}
	// One deflated, for the inflater's side.
	f.Add(zipRaw(f, minimal(wordBody(para(runProp("<w:b/>", "đậm")+run(" thường"))))))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data, DefaultLimits)
	})
}

// storedZip zips parts as they are, in name order.
func storedZip(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzReadXML feeds the main part's XML in a well-formed package (the
// styles, numbering, notes and relationships of TestConstructs, an
// image), where mutations reach the reader's understanding of
// WordprocessingML rather than the zip's.
func FuzzReadXML(f *testing.F) {
	// Small seeds, one construct each: Go minimizes every input that finds
	// new code for up to a minute, and that is quick only for short ones.
	for _, c := range constructs {
		for _, piece := range splitTop(c.body) {
			f.Add(wordBody(piece))
		}
	}
	lim := DefaultLimits
	lim.Paragraphs, lim.Cells, lim.Images = 2000, 2000, 10
	f.Fuzz(func(t *testing.T, doc string) {
		data := buildDocx(t, map[string]string{
			"word/document.xml":  doc,
			"word/styles.xml":    stylesWord,
			"word/numbering.xml": numberingWord,
			"word/footnotes.xml": footnotesWord,
			"word/endnotes.xml":  endnotesWord,
		})
		checkRead(t, data, lim)
	})
}

// FuzzReadTime fails when a document.xml of fuztime.Size bytes — the
// fuzzed middle repeated between the fuzzed prefix and suffix, beside the
// styles, numbering and notes of TestConstructs — takes longer than
// fuzztime.Bound to read and write as Markdown.
func FuzzReadTime(f *testing.F) {
	open := `<w:document ` + testNS + `><w:body>`
	for _, s := range [][3]string{
		{open + "<w:p>", run("a"), "</w:p></w:body></w:document>"},
		{open + "<w:p>", runProp("<w:b/>", "a") + runProp("<w:i/>", "(") + run("b"), "</w:p></w:body></w:document>"},
		{open + "<w:p>", `<w:r><w:br/></w:r>` + run("- "), "</w:p></w:body></w:document>"},
		{open + "<w:p>", `<w:hyperlink r:id="rLink">` + run("x") + `</w:hyperlink>`, "</w:p></w:body></w:document>"},
		{open + "<w:p>", `<w:r><w:footnoteReference w:id="1"/></w:r>`, "</w:p></w:body></w:document>"},
		{open + "<w:p>", `<w:r><w:fldChar w:fldCharType="begin"/></w:r>`, "</w:p></w:body></w:document>"},
		{open + "<w:p>", drawing("a", "b", "rImg"), "</w:p></w:body></w:document>"},
		{open, numbered("1", "0", run("a")) + numbered("1", "2", run("b")), "</w:body></w:document>"},
		{open, numbered("2", "0", run("a")) + numbered("6", "0", run("b")), "</w:body></w:document>"},
		{open, styled("LoopA", run("a")), "</w:body></w:document>"},
		{open + "<w:tbl>", "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"64\"/></w:tcPr><w:p/></w:tc></w:tr>", "</w:tbl></w:body></w:document>"},
		{open + "<w:tbl>", "<w:tr><w:tc><w:tbl>", ""},
		{open, "<w:sdt><w:sdtContent>", ""},
		{open, "<mc:AlternateContent><mc:Choice>", ""},
		{open + "<w:p>", "<w:r><w:t>" + strings.Repeat("*", 10) + "</w:t></w:r>", "</w:p></w:body></w:document>"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	lim := DefaultLimits
	f.Fuzz(func(t *testing.T, prefix, middle, suffix string) {
		doc := fuzztime.Input(prefix, middle, suffix)
		data := buildDocx(t, map[string]string{
			"word/document.xml":  doc,
			"word/styles.xml":    stylesWord,
			"word/numbering.xml": numberingWord,
			"word/footnotes.xml": footnotesWord,
			"word/endnotes.xml":  endnotesWord,
		})
		fuzztime.Check(t, fmt.Sprintf("Read(%q + %q… + %q)", clip(prefix), clip(middle), clip(suffix)), func() {
			d, err := ReadLimits(bytes.NewReader(data), int64(len(data)), lim)
			if errors.Is(err, errInternal) {
				t.Fatalf("panic: %v", err)
			}
			if err == nil {
				d.Markdown()
			}
		})
	})
}

// splitTop splits a body into its top-level elements (paragraphs, tables,
// content controls), closed ones only.
func splitTop(body string) []string {
	var out []string
	for len(body) > 0 {
		end := -1
		for _, tag := range []string{"w:p", "w:tbl", "w:sdt"} {
			if strings.HasPrefix(body, "<"+tag+">") || strings.HasPrefix(body, "<"+tag+" ") {
				// The element ends at the first closing tag whose count
				// of openings before it balances.
				depth := 0
				for i := 0; i < len(body); i++ {
					switch {
					case strings.HasPrefix(body[i:], "<"+tag+">") || strings.HasPrefix(body[i:], "<"+tag+" "):
						depth++
					case strings.HasPrefix(body[i:], "</"+tag+">"):
						depth--
						if depth == 0 {
							end = i + len("</"+tag+">")
						}
					}
					if end >= 0 {
						break
					}
				}
			}
		}
		if end < 0 {
			out = append(out, body)
			break
		}
		out = append(out, body[:end])
		body = body[end:]
	}
	return out
}
