package docx

import (
	"bytes"
	"testing"
	"time"
)

// TestReadProps reads back the title and creation time a document's
// properties hold (what `cchc import` takes for a Word file without a
// sidecar); a document without them reads as zero.
func TestReadProps(t *testing.T) {
	created := time.Date(2026, 3, 20, 1, 30, 0, 0, time.UTC)
	var b bytes.Buffer
	err := Write(&b, &Document{Props: Props{Title: "Kế hoạch năm 2026", Created: created},
		Blocks: []Block{&Paragraph{Runs: []Run{{Text: "Nội dung."}}}}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Kế hoạch năm 2026" || !doc.Created.Equal(created) {
		t.Errorf("title %q, created %v", doc.Title, doc.Created)
	}
	b.Reset()
	if err := Write(&b, &Document{Blocks: []Block{&Paragraph{Runs: []Run{{Text: "x"}}}}}); err != nil {
		t.Fatal(err)
	}
	if doc, err = Read(bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil || doc.Title != "" || !doc.Created.IsZero() {
		t.Errorf("no properties: %q %v %v", doc.Title, doc.Created, err)
	}
}
