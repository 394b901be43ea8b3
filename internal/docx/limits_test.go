package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"cchc/internal/markdown"
	"cchc/internal/media"
)

// zipRaw writes entries whose declared uncompressed size may lie.
type rawEntry struct {
	name     string
	data     []byte // the real content, deflated
	declared int64  // -1: the real size
}

func zipRaw(t testing.TB, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var comp bytes.Buffer
		fw, err := flate.NewWriter(&comp, flate.BestSpeed)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(e.data)
		fw.Close()
		size := uint64(len(e.data))
		if e.declared >= 0 {
			size = uint64(e.declared)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: size,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// minimal is the smallest document: the parts a reader needs.
func minimal(doc string) []rawEntry {
	return []rawEntry{
		{"_rels/.rels", []byte(defaultParts()["_rels/.rels"]), -1},
		{"word/document.xml", []byte(doc), -1},
	}
}

func TestReadRefuses(t *testing.T) {
	good := buildDocx(t, map[string]string{"word/document.xml": wordBody(para(run("a")))})
	paras := func(n int) string { return wordBody(strings.Repeat(para(run("a")), n)) }
	nested := func(n int) string {
		return wordBody(strings.Repeat("<w:sdt><w:sdtContent>", n) + strings.Repeat("</w:sdtContent></w:sdt>", n))
	}
	table := func(rows, cols int) string {
		row := "<w:tr>" + strings.Repeat("<w:tc>"+para(run("x"))+"</w:tc>", cols) + "</w:tr>"
		return wordBody("<w:tbl>" + strings.Repeat(row, rows) + "</w:tbl>")
	}
	many := func(n int) []byte {
		parts := map[string]string{"word/document.xml": wordBody(para(run("a")))}
		for i := range n {
			parts[fmt.Sprintf("word/media/x%d.bin", i)] = "x"
		}
		return buildDocx(t, parts)
	}
	small := func(f func(*Limits)) Limits {
		l := DefaultLimits
		f(&l)
		return l
	}
	// 40 MiB of paragraphs, deflated to some 100 KB: past PartBytes
	// (32 MiB), refused on its declared size before a byte is inflated.
	bomb := zipRaw(t, minimal(wordBody(strings.Repeat("<w:p/>", 40<<20/6))))
	// The same, declaring 1 KB: the inflater stops at the declared size.
	liar := zipRaw(t, []rawEntry{
		{"_rels/.rels", []byte(defaultParts()["_rels/.rels"]), -1},
		{"word/document.xml", []byte(wordBody(strings.Repeat("<w:p/>", 40<<20/6))), 1000},
	})
	// An OLE compound file: an old .doc, or a .docx with a password.
	ole := append(append([]byte{}, oleMagic...), make([]byte, 600)...)
	dup := zipRaw(t, append(minimal(wordBody(para(run("a")))), rawEntry{"WORD/document.xml", []byte(wordBody(para(run("b")))), -1}))
	hidden := hideEntries(t, many(20), 5)
	prepended := append([]byte("PK junk before the zip"), good...)
	for _, c := range []struct {
		name   string
		data   []byte
		lim    Limits
		is     error
		saying string
	}{
		{"empty", nil, DefaultLimits, ErrNotDocx, ""},
		{"text", []byte("Xin chào, đây không phải tệp Word."), DefaultLimits, ErrNotDocx, ""},
		{"old .doc or password", ole, DefaultLimits, ErrOldOrEncrypted, ""},
		{"zip without a document", buildDocx(t, map[string]string{"word/document.xml": ""}), DefaultLimits, ErrNotDocx, ""},
		{"cut in half", good[:len(good)/2], DefaultLimits, ErrDamaged, "end of directory"},
		{"data before the zip", prepended, DefaultLimits, ErrDamaged, "directory does not end"},
		{"broken XML", buildDocx(t, map[string]string{"word/document.xml": wordBody("<w:p><w:r>")}), DefaultLimits, ErrDamaged, "word/document.xml"},
		{"broken styles", buildDocx(t, map[string]string{"word/document.xml": wordBody(""), "word/styles.xml": "<w:styles"}), DefaultLimits, ErrDamaged, "word/styles.xml"},
		{"entity declared", buildDocx(t, map[string]string{"word/document.xml": `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document ` + testNS + `><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`}), DefaultLimits, ErrDamaged, "entity"},
		{"UTF-16 declared", buildDocx(t, map[string]string{"word/document.xml": `<?xml version="1.0" encoding="UTF-16"?><w:document/>`}), DefaultLimits, ErrDamaged, "UTF-16"},
		{"two entries of one name", dup, DefaultLimits, ErrDamaged, "two zip entries"},
		{"entries hidden after the directory", hidden, DefaultLimits, ErrDamaged, "directory does not end"},
		{"zip bomb", bomb, DefaultLimits, ErrTooLarge, "uncompressed size of word/document.xml"},
		{"zip bomb lying about its size", liar, DefaultLimits, ErrDamaged, "word/document.xml"},
		{"too many entries", many(DefaultLimits.Entries), DefaultLimits, ErrTooLarge, "zip entries past the limit of 1000"},
		{"large directory", many(100), small(func(l *Limits) { l.DirectoryBytes = 1000 }), ErrTooLarge, "zip directory size"},
		{"all parts together", good, small(func(l *Limits) { l.TotalBytes = 500 }), ErrTooLarge, "uncompressed size of all parts"},
		{"deep XML", buildDocx(t, map[string]string{"word/document.xml": nested(300)}), DefaultLimits, ErrTooLarge, "XML nesting depth"},
		{"XML tokens", buildDocx(t, map[string]string{"word/document.xml": paras(1000)}), small(func(l *Limits) { l.Tokens = 5000 }), ErrTooLarge, "XML tokens"},
		{"paragraphs", buildDocx(t, map[string]string{"word/document.xml": paras(101)}), small(func(l *Limits) { l.Paragraphs = 100 }), ErrTooLarge, "paragraphs past the limit of 100"},
		{"cells", buildDocx(t, map[string]string{"word/document.xml": table(30, 4)}), small(func(l *Limits) { l.Cells = 100 }), ErrTooLarge, "table cells"},
		{"columns", buildDocx(t, map[string]string{"word/document.xml": table(1, 65)}), DefaultLimits, ErrTooLarge, "table columns past the limit of 64"},
		{"a span of a trillion columns", buildDocx(t, map[string]string{"word/document.xml": wordBody(`<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000000"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>`)}), DefaultLimits, ErrTooLarge, "table columns"},
		{"grid before", buildDocx(t, map[string]string{"word/document.xml": wordBody(`<w:tbl><w:tr><w:trPr><w:gridBefore w:val="99999"/></w:trPr><w:tc><w:p/></w:tc></w:tr></w:tbl>`)}), DefaultLimits, ErrTooLarge, "table columns"},
		{"image size", buildDocx(t, map[string]string{"word/document.xml": wordBody(para(drawing("a", "", "rImg")))}), small(func(l *Limits) { l.ImageBytes = 10 }), ErrTooLarge, "uncompressed size of word/media/image1.png past the limit of 10"},
		{"images", buildDocx(t, map[string]string{
			"word/document.xml":     wordBody(para(drawing("a", "", "rImg") + drawing("b", "", "rImg2"))),
			"word/media/image2.png": string(testPNG) + "x",
			"word/_rels/document.xml.rels": strings.Replace(defaultParts()["word/_rels/document.xml.rels"], "</Relationships>",
				`<Relationship Id="rImg2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.png"/></Relationships>`, 1),
		}), small(func(l *Limits) { l.Images = 1 }), ErrTooLarge, "images past the limit of 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			d, err := ReadLimits(bytes.NewReader(c.data), int64(len(c.data)), c.lim)
			took := time.Since(start)
			if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.saying) || d != nil {
				t.Fatalf("err = %v, want %v saying %q", err, c.is, c.saying)
			}
			if errors.Is(err, errInternal) {
				t.Fatalf("internal error: %v", err)
			}
			// A refusal is quick: nothing past a limit is read. The
			// bound is generous for a loaded CI machine; the work
			// takes milliseconds.
			if took > 30*time.Second {
				t.Errorf("took %v", took)
			}
			t.Logf("%d bytes refused in %v: %v", len(c.data), took.Round(time.Microsecond), err)
		})
	}
	var le *LimitError
	_, err := ReadLimits(bytes.NewReader(bomb), int64(len(bomb)), DefaultLimits)
	if !errors.As(err, &le) || le.Limit != DefaultLimits.PartBytes {
		t.Errorf("zip bomb: %v, want a *LimitError of PartBytes", err)
	}
}

// hideEntries makes the end record of a zip declare its first keep
// entries only, the directory ending early: the headers after them stay
// in the file where a reader walking the directory would still find them.
func hideEntries(t *testing.T, data []byte, keep int) []byte {
	t.Helper()
	data = append([]byte{}, data...)
	end := bytes.LastIndex(data, []byte{0x50, 0x4b, 0x05, 0x06})
	dirOffset := binary.LittleEndian.Uint32(data[end+16:])
	off := int(dirOffset)
	for range keep {
		nameLen := int(binary.LittleEndian.Uint16(data[off+28:]))
		extraLen := int(binary.LittleEndian.Uint16(data[off+30:]))
		commentLen := int(binary.LittleEndian.Uint16(data[off+32:]))
		off += 46 + nameLen + extraLen + commentLen
	}
	binary.LittleEndian.PutUint16(data[end+8:], uint16(keep))
	binary.LittleEndian.PutUint16(data[end+10:], uint16(keep))
	binary.LittleEndian.PutUint32(data[end+12:], uint32(off-int(dirOffset)))
	return data
}

// TestLyingEntryStopsEarly checks the inflater of an entry that declares
// 1,000 bytes and holds 40 MiB stops near its declared size.
func TestLyingEntryStopsEarly(t *testing.T) {
	data := zipRaw(t, []rawEntry{{"word/document.xml", bytes.Repeat([]byte("<w:p/>"), 40<<20/6), 1000}})
	p, err := openPackage(bytes.NewReader(data), int64(len(data)), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	rc, _, err := p.open("word/document.xml", DefaultLimits.PartBytes)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(io.Discard, rc)
	if err == nil {
		t.Fatal("read 40 MiB declared as 1,000 bytes without an error")
	}
	if p.spent > 1000+64<<10 {
		t.Errorf("inflated %d bytes of an entry declared as 1,000", p.spent)
	}
	t.Logf("stopped after %d bytes: %v", p.spent, err)
}

// TestReadLinear reads large documents built to be slow — one paragraph
// of 100,000 runs switching emphasis, 20,000 links, a long note cited
// 20,000 times, tables of 2,000 rows — and fails past 30 s each. They
// take tens of milliseconds alone and over 2 s on this 2-core machine
// under a load average of 15; quadratic work at these sizes takes many
// minutes, so the bound tells the two apart without failing on a busy
// machine.
func TestReadLinear(t *testing.T) {
	bigNote := `<?xml version="1.0"?><w:footnotes ` + testNS + `><w:footnote w:id="1">` + strings.Repeat(para(run("chú thích dài")), 2000) + `</w:footnote></w:footnotes>`
	for _, c := range []struct {
		name  string
		parts map[string]string
	}{
		{"runs switching emphasis", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(runProp("<w:b/>", "a")+runProp("<w:i/>", "b")+run("c"), 33_000)))}},
		{"runs of one look", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(run("a"), 100_000)))}},
		{"empty links between emphasis", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(runProp("<w:b/>", "a")+`<w:hyperlink r:id="rLink">`+run(" ")+`</w:hyperlink>`+runProp("<w:i/>", "b")+`<w:hyperlink r:id="rLink"></w:hyperlink>`, 25_000)))}},
		{"links", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(`<w:hyperlink r:id="rLink">`+run("x")+`</w:hyperlink>`, 20_000)))}},
		{"a note cited often", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(`<w:r><w:footnoteReference w:id="1"/></w:r>`, 20_000))), "word/footnotes.xml": bigNote}},
		{"breaks", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(`<w:r><w:br/></w:r>`+run("- x"), 50_000)))}},
		{"nested lists", map[string]string{"word/document.xml": wordBody(strings.Repeat(numbered("1", "0", run("a"))+numbered("1", "1", run("b"))+numbered("1", "2", run("c")), 10_000)), "word/numbering.xml": numberingWord}},
		{"table rows", map[string]string{"word/document.xml": wordBody("<w:tbl>" + strings.Repeat("<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>"+para(run("x"))+"</w:tc></w:tr>", 2_000) + "</w:tbl>")}},
		{"fields", map[string]string{"word/document.xml": wordBody(para(strings.Repeat(`<w:r><w:fldChar w:fldCharType="begin"/></w:r>`, 30_000) + run("x") + strings.Repeat(`<w:r><w:fldChar w:fldCharType="end"/></w:r>`, 30_000)))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := buildDocx(t, c.parts)
			start := time.Now()
			d, err := readBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			md := d.Markdown()
			took := time.Since(start)
			if took > 30*time.Second {
				t.Errorf("took %v", took)
			}
			t.Logf("%d bytes of package, %d of Markdown, in %v", len(data), len(md), took.Round(time.Millisecond))
		})
	}
}

// TestLimitsFollowTheColumn keeps the reader's limits where the column's
// are: an image the media library would refuse, or a table the renderer
// would refuse, is refused when read, naming the limit.
func TestLimitsFollowTheColumn(t *testing.T) {
	if DefaultLimits.ImageBytes != media.MaxImageBytes {
		t.Errorf("ImageBytes %d, media.MaxImageBytes %d", DefaultLimits.ImageBytes, media.MaxImageBytes)
	}
	if DefaultLimits.Columns != markdown.DefaultLimits.TableColumns || DefaultLimits.Cells != markdown.DefaultLimits.TableCells {
		t.Errorf("Columns %d, Cells %d; markdown's %d, %d", DefaultLimits.Columns, DefaultLimits.Cells,
			markdown.DefaultLimits.TableColumns, markdown.DefaultLimits.TableCells)
	}
}

// TestReadAtTheLimits reads documents as large as DefaultLimits let
// through, or built to hit a limit as late as possible, and reports the
// time and memory each takes (docs/RELIABILITY.md). It fails past 20 s
// each — they take 0.3–1.6 s on the shared machine under load; the bound
// only tells "bounded" from "runaway" on a slow CI machine.
func TestReadAtTheLimits(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		err       error
	}{
		{"runs up to the token limit", wordBody(para(strings.Repeat(runProp("<w:b/>", "a")+runProp("<w:i/>", "b"), 120_000))), ErrTooLarge},
		{"one text of 15 MiB", wordBody(para(run(strings.Repeat("ă*", 5<<20)))), nil},
		{"99,000 paragraphs", wordBody(strings.Repeat(para(run("Nội dung đoạn văn bản dài dài dài dài dài dài dài dài.")), 99_000)), nil},
		{"49,950 cells", wordBody("<w:tbl>" + strings.Repeat("<w:tr>"+strings.Repeat("<w:tc>"+para(run("x"))+"</w:tc>", 50)+"</w:tr>", 999) + "</w:tbl>"), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := buildDocx(t, map[string]string{"word/document.xml": c.doc})
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			d, err := readBytes(data)
			md := ""
			if err == nil {
				md = d.Markdown()
			}
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, c.err) && err != c.err {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if took > 20*time.Second {
				t.Errorf("took %v", took)
			}
			t.Logf("%.1f MiB of XML, %.1f MiB of Markdown in %v, %d MiB allocated, err %v",
				float64(len(c.doc))/(1<<20), float64(len(md))/(1<<20), took.Round(time.Millisecond), (after.TotalAlloc-before.TotalAlloc)>>20, err)
		})
	}
}
