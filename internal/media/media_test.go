package media_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

func TestCheck(t *testing.T) {
	docx := testsupport.DOCX()
	xlsx := testsupport.XLSX()
	tests := []struct {
		name     string
		file     string
		data     []byte
		want     media.Type
		errMatch string // part of the Vietnamese refusal; "" when accepted
	}{
		{"jpeg", "ảnh.jpg", testsupport.JPEG(0), media.JPEG, ""},
		{"jpeg as .JPEG", "ANH.JPEG", testsupport.JPEG(0), media.JPEG, ""},
		{"png", "a.png", testsupport.PNG(0), media.PNG, ""},
		{"gif", "a.gif", testsupport.GIF(0), media.GIF, ""},
		{"webp", "a.webp", testsupport.WebP(), media.WebP, ""},
		{"pdf", "Quyết định 1256.pdf", testsupport.PDF(), media.PDF, ""},
		{"docx", "kế hoạch.docx", docx, media.DOCX, ""},
		{"xlsx", "số liệu.xlsx", xlsx, media.XLSX, ""},
		{"png named .pdf", "a.pdf", testsupport.PNG(0), media.Type{}, "Nội dung tệp là PNG nhưng tên tệp có đuôi .pdf"},
		{"pdf named .jpg", "a.jpg", testsupport.PDF(), media.Type{}, "Nội dung tệp là PDF nhưng tên tệp có đuôi .jpg"},
		{"html named .jpg", "a.jpg", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), media.Type{}, "Không nhận tệp HTML"},
		{"html", "a.html", []byte("<html></html>"), media.Type{}, "Không nhận tệp HTML"},
		{"zip named .docx", "a.docx", testsupport.Zip("a.txt", "b/c.txt"), media.Type{}, "không phải văn bản Word (DOCX)"},
		{"zip with word/ but no content types", "a.docx", testsupport.Zip("word/document.xml"), media.Type{}, "không phải văn bản Word"},
		{"xlsx named .docx", "a.docx", xlsx, media.Type{}, "Nội dung tệp là XLSX nhưng tên tệp có đuôi .docx"},
		{"broken zip", "a.xlsx", []byte("PK\x03\x04garbage"), media.Type{}, "Tệp nén bị hỏng"},
		{"svg with script", "a.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), media.Type{}, "Không nhận ảnh SVG"},
		{"svg named .png", "a.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), media.Type{}, "Không nhận ảnh SVG"},
		{"unknown extension", "a.exe", []byte("MZ\x90\x00"), media.Type{}, "Không nhận tệp có đuôi .exe"},
		{"no extension", "README", testsupport.PDF(), media.Type{}, "không có phần mở rộng"},
		{"text named .pdf", "a.pdf", []byte("just text"), media.Type{}, "Không nhận dạng được loại tệp"},
		{"empty", "a.pdf", nil, media.Type{}, "Tệp rỗng"},
		{"image too big", "big.png", append(testsupport.PNG(0), make([]byte, media.MaxImageBytes)...), media.Type{}, "Ảnh quá lớn"},
		{"document too big", "big.pdf", append(append([]byte{}, testsupport.PDF()...), make([]byte, media.MaxDocumentBytes)...), media.Type{}, "Tệp quá lớn"},
		{"path in the name", "../../etc/a.pdf", testsupport.PDF(), media.PDF, ""},
		{"backslash path in the name", `..\..\a.pdf`, testsupport.PDF(), media.PDF, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := media.Check(tt.file, tt.data)
			if tt.errMatch == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Check = %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			var me *media.Error
			if !errors.As(err, &me) || !strings.Contains(me.Msg, tt.errMatch) {
				t.Fatalf("Check error %v; want one containing %q", err, tt.errMatch)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Quyết định.pdf", "Quyết định.pdf"},
		{"nfd to nfc", "Quye\u0302\u0301t.pdf", "Quyết.pdf"},
		{"parent dirs", "../../etc/passwd.pdf", "passwd.pdf"},
		{"absolute", "/etc/shadow.pdf", "shadow.pdf"},
		{"windows path", `C:\Users\a\..\báo cáo.docx`, "báo cáo.docx"},
		{"nul and controls", "a\x00b\r\nc.pdf", "abc.pdf"},
		{"rtl override", "hoa\u202Efdp.exe", "hoafdp.exe"},
		{"dot file", ".htaccess", "htaccess"},
		{"only dots", "..", "tep.pdf"},
		{"empty", "", "tep.pdf"},
		{"spaces", "  a   b .pdf  ", "a b .pdf"},
		{"invalid utf-8", "a\xffb.pdf", "ab.pdf"},
		{"long", strings.Repeat("ả", 400) + ".pdf", strings.Repeat("ả", media.MaxOriginalNameLen-4) + ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := media.CleanName(tt.in, media.PDF); got != tt.want {
				t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0 byte"}, {812, "812 byte"}, {1024, "1 KB"}, {250_000, "245 KB"}, {1 << 20, "1 MB"}, {1_300_000, "1,3 MB"}, {20 << 20, "20 MB"}}
	for _, tt := range tests {
		if got := media.HumanSize(tt.n); got != tt.want {
			t.Errorf("HumanSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	name := strings.Repeat("a", 64) + ".png"
	if got, want := media.ImageMarkdown(name, "Ảnh [hội nghị] *đẹp*"), `![Ảnh \[hội nghị\] \*đẹp\*](/tep/`+name+`)`; got != want {
		t.Errorf("ImageMarkdown = %q, want %q", got, want)
	}
	if got, want := media.LinkMarkdown(name, "kế_hoạch.pdf"), `[Tải tệp: kế\_hoạch.pdf](/tep/`+name+`)`; got != want {
		t.Errorf("LinkMarkdown = %q, want %q", got, want)
	}
}

func TestValidName(t *testing.T) {
	sha := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		name string
		ok   bool
	}{
		{sha + ".pdf", true}, {sha + ".webp", true},
		{sha + ".svg", false}, {sha + ".PDF", false}, {strings.ToUpper(sha) + ".pdf", false},
		{sha[:63] + ".pdf", false}, {sha + "0.pdf", false}, {"../" + sha + ".pdf", false},
		{sha + ".pdf\n", false}, {sha + ".pdf/..", false}, {"", false},
	}
	for _, tt := range tests {
		if media.ValidName(tt.name) != tt.ok {
			t.Errorf("ValidName(%q) = %v", tt.name, !tt.ok)
		}
	}
}

// TestLibrary stores a file: content-addressed, atomic, idempotent, with
// its row; a refused file writes nothing.
func TestLibrary(t *testing.T) {
	ctx := context.Background()
	db := testsupport.Database(t)
	dir := filepath.Dir(db.Path)
	st := store.New(db)
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	lib := media.New(st, func() time.Time { return now })
	if lib.Dir() != filepath.Join(dir, "media") {
		t.Fatalf("Dir %s", lib.Dir())
	}

	m, err := lib.Add(ctx, media.Upload{FileName: "../../Báo cáo.pdf", Data: testsupport.PDF(), By: "lan"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != media.Name(testsupport.PDF(), media.PDF) || m.OriginalName != "Báo cáo.pdf" || m.ContentType != "application/pdf" || m.Size != int64(len(testsupport.PDF())) {
		t.Errorf("row %+v", m)
	}
	got, err := os.ReadFile(filepath.Join(dir, "media", m.Name))
	if err != nil || !bytes.Equal(got, testsupport.PDF()) {
		t.Fatalf("stored file: %v", err)
	}
	if _, err := lib.Add(ctx, media.Upload{FileName: "khác.pdf", Data: testsupport.PDF(), By: "an", Source: "tep/khac.pdf"}); err != nil {
		t.Fatal(err)
	}
	row, err := st.MediaFile(ctx, m.Name)
	if err != nil {
		t.Fatal(err)
	}
	if row.OriginalName != "Báo cáo.pdf" || row.UploadedBy != "lan" || row.SourcePath != "tep/khac.pdf" || !row.Uploaded.Equal(now) {
		t.Errorf("row after the same file again: %+v", row)
	}

	if _, err := lib.Add(ctx, media.Upload{FileName: "a.pdf", Data: testsupport.PNG(0)}); err == nil {
		t.Fatal("a PNG named .pdf was stored")
	}
	entries, err := os.ReadDir(lib.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("media folder holds %d entries, want 1 (no temp files, nothing refused)", len(entries))
	}
	list, total, err := st.MediaFiles(ctx, 10, 0)
	if err != nil || total != 1 || len(list) != 1 {
		t.Errorf("MediaFiles: %d %d %v", len(list), total, err)
	}
	if _, ok := lib.Path("../cchc.db"); ok {
		t.Error("Path accepted a name that is not a stored name")
	}
	if _, err := lib.Open("../cchc.db"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open of a bad name: %v", err)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("a.pdf", testsupport.PDF())
	f.Add("a.png", testsupport.PNG(0))
	f.Add("a.docx", testsupport.Zip("[Content_Types].xml", "word/document.xml"))
	f.Add("a.svg", []byte("<svg/>"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		typ, err := media.Check(name, data)
		if err == nil {
			if typ.Ext == "" || int64(len(data)) > typ.MaxBytes {
				t.Fatalf("accepted %q as %+v", name, typ)
			}
			if !media.ValidName(media.Name(data, typ)) {
				t.Fatalf("name %q is not valid", media.Name(data, typ))
			}
		}
		clean := media.CleanName(name, media.PDF)
		if clean == "" || strings.ContainsAny(clean, "/\\\x00") || strings.HasPrefix(clean, ".") {
			t.Fatalf("CleanName(%q) = %q", name, clean)
		}
	})
}
