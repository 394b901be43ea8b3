package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cchc/internal/content"
	"cchc/internal/media"
)

const pdfAttachment = "%PDF-1.4\n% kế hoạch\n%%EOF\n"

func documentWithFile(file string) string {
	return strings.Replace(goodDocument, "date: 2022-01-24\n", "date: 2022-01-24\nfile: "+file+"\n", 1)
}

// TestImportAttachment: a document's file: is copied into the media
// library (checked like an upload) and the item names the stored file.
func TestImportAttachment(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	fsys := tree(map[string]string{
		"documents/1256.md":        documentWithFile("tep-dinh-kem/1256 QĐ.pdf"),
		"tep-dinh-kem/1256 QĐ.pdf": pdfAttachment,
	})
	res := e.importFS(t, fsys)
	if res.Failed != 0 {
		t.Fatalf("import: %v", res.Errors)
	}
	name := media.Name([]byte(pdfAttachment), media.PDF)
	it, err := e.st.ItemBySlug(ctx, content.Document, "1256")
	if err != nil {
		t.Fatal(err)
	}
	if it.File != name {
		t.Errorf("File %q, want the stored name %q", it.File, name)
	}
	m, err := e.st.MediaFile(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if m.SourcePath != "tep-dinh-kem/1256 QĐ.pdf" || m.OriginalName != "1256 QĐ.pdf" || m.ContentType != "application/pdf" || m.Size != int64(len(pdfAttachment)) || m.UploadedBy != "import" {
		t.Errorf("row %+v", m)
	}
	if b, err := os.ReadFile(filepath.Join(e.st.MediaDir(), name)); err != nil || string(b) != pdfAttachment {
		t.Errorf("stored file: %q %v", b, err)
	}

	// Importing again changes nothing; a new version of the attachment,
	// with the content file untouched, is brought in.
	if res := e.importFS(t, fsys); res.Unchanged != 2 || res.Updated != 0 {
		t.Errorf("second import: %+v", res)
	}
	v2 := pdfAttachment + "% bản sửa\n"
	fsys["tep-dinh-kem/1256 QĐ.pdf"].Data = []byte(v2)
	if res := e.importFS(t, fsys); res.Updated != 1 || res.Failed != 0 {
		t.Errorf("import after the attachment changed: %+v %v", res, res.Errors)
	}
	if it, _ := e.st.ItemBySlug(ctx, content.Document, "1256"); it.File != media.Name([]byte(v2), media.PDF) {
		t.Errorf("File %q after the attachment changed", it.File)
	}
}

// TestImportAttachmentRefused: a file that is not what it claims fails its
// content file at the line of file:, and nothing of it is stored.
func TestImportAttachmentRefused(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
	tests := []struct {
		name, file, data, want string
	}{
		{"png named .pdf", "f/a.pdf", png, `content/documents/1256.md:8: tệp đính kèm "f/a.pdf": Nội dung tệp là PNG nhưng tên tệp có đuôi .pdf`},
		{"html named .pdf", "f/a.pdf", "<html><script>alert(1)</script></html>", `content/documents/1256.md:8: tệp đính kèm "f/a.pdf": Không nhận tệp HTML`},
		{"zip named .docx", "f/a.docx", "PK\x03\x04broken", `content/documents/1256.md:8: tệp đính kèm "f/a.docx": Tệp nén bị hỏng`},
		{"svg", "f/a.svg", "<svg onload=alert(1)/>", `content/documents/1256.md:8: tệp đính kèm "f/a.svg": Không nhận ảnh SVG`},
		{"an image is no attachment", "f/a.png", png, `content/documents/1256.md:8: tệp đính kèm "f/a.png" là ảnh`},
		{"missing", "f/b.pdf", pdfAttachment, `content/documents/1256.md:8: không tìm thấy tệp đính kèm "f/b.pdf"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.importFS(t, tree(map[string]string{
				"documents/1256.md": documentWithFile(tt.file),
				"f/a" + tt.file[len(tt.file)-len(filepathExt(tt.file)):]: tt.data,
			}))
			if res.Failed != 1 || len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), tt.want) {
				t.Fatalf("import: %+v %v; want %q", res, res.Errors, tt.want)
			}
			if n := e.count(t, `SELECT count(*) FROM items`); n != 0 {
				t.Errorf("%d items stored", n)
			}
			if n := e.count(t, `SELECT count(*) FROM media`); n != 0 {
				t.Errorf("%d media rows stored", n)
			}
			if entries, _ := os.ReadDir(e.st.MediaDir()); len(entries) != 0 {
				t.Errorf("media folder holds %d files", len(entries))
			}
		})
	}
}

func filepathExt(p string) string { return filepath.Ext(p) }
