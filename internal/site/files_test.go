package site_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"cchc/internal/media"
	"cchc/internal/site"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestDocumentAttachment: the imported document's page links its file in
// the library, with the file's type and size.
func TestDocumentAttachment(t *testing.T) {
	f := newFixture(t)
	name := media.Name(attachment, media.PDF)
	w := f.get("/van-ban/999-qd-skhcn")
	if w.Code != http.StatusOK {
		t.Fatalf("document page: %d", w.Code)
	}
	want := `<a href="/tep/` + name + `" download>Tải văn bản <span class="meta">(PDF, 2 KB)</span></a>`
	if !strings.Contains(w.Body.String(), want) {
		t.Errorf("the page lacks %s", want)
	}
	// A document without a file has no download link.
	if w := f.get("/van-ban/1256-qd-ubnd"); strings.Contains(w.Body.String(), "Tải văn bản") {
		t.Error("a document without a file shows a download link")
	}
}

// TestFileServe serves stored files with their stored type and the
// headers that keep a browser from treating them as a page of ours.
func TestFileServe(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lib := media.New(f.env.Store, nil)
	png := testsupport.PNG(0)
	img, err := lib.Add(ctx, media.Upload{FileName: "ảnh.png", Data: png, Alt: "Ảnh", By: "lan"})
	if err != nil {
		t.Fatal(err)
	}
	docx := testsupport.DOCX()
	doc, err := lib.Add(ctx, media.Upload{FileName: `Kế hoạch "số 1".docx`, Data: docx, By: "lan"})
	if err != nil {
		t.Fatal(err)
	}
	pdf := media.Name(attachment, media.PDF)

	tests := []struct {
		name, path, contentType, disposition string
		body                                 []byte
	}{
		{"imported pdf", "/tep/" + pdf, "application/pdf", `attachment; filename="999-qd-skhcn.pdf"; filename*=UTF-8''999-qd-skhcn.pdf`, attachment},
		{"image", "/tep/" + img.Name, "image/png", "inline", png},
		{"docx", "/tep/" + doc.Name, media.DOCX.ContentType,
			`attachment; filename="Ke hoach _so 1_.docx"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%22s%E1%BB%91%201%22.docx`, docx},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(tt.path, "Accept-Encoding", "gzip")
			if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), tt.body) {
				t.Fatalf("status %d, %d bytes", w.Code, w.Body.Len())
			}
			h := w.Header()
			for k, v := range map[string]string{
				"Content-Type":            tt.contentType,
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": site.FileCSP,
				"Cache-Control":           "public, max-age=31536000, immutable",
				"Content-Disposition":     tt.disposition,
				"ETag":                    `"` + strings.TrimPrefix(tt.path, "/tep/")[:64] + `"`,
				"Content-Encoding":        "",
			} {
				if got := h.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if w := f.get(tt.path, "If-None-Match", h.Get("ETag")); w.Code != http.StatusNotModified {
				t.Errorf("If-None-Match: %d, want 304", w.Code)
			}
			if w := testsupport.Do(f.h, http.MethodHead, tt.path); w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Type") != tt.contentType {
				t.Errorf("HEAD: %d, %d bytes, %q", w.Code, w.Body.Len(), w.Header().Get("Content-Type"))
			}
		})
	}
}

// TestFileNotFound: only a stored name is ever served.
func TestFileNotFound(t *testing.T) {
	f := newFixture(t)
	pdf := media.Name(attachment, media.PDF)
	paths := []string{
		"/tep/" + media.Name([]byte("không có"), media.PDF), // well formed, not stored
		"/tep/" + strings.ToUpper(pdf[:64]) + ".pdf",
		"/tep/" + pdf[:64] + ".PDF",
		"/tep/" + pdf[:64] + ".svg",
		"/tep/" + pdf[:64] + ".html",
		"/tep/" + pdf[1:],
		"/tep/" + pdf + "x",
		"/tep/" + pdf + "%00",
		"/tep/" + pdf + "%0a",
		"/tep/" + pdf + "/..",
		"/tep/tep-dinh-kem/999-qd-skhcn.pdf",
		"/tep/999-qd-skhcn.pdf",
		"/tep/../../etc/passwd",
		"/tep/..%2F..%2Fetc%2Fpasswd",
		"/tep/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"/tep/%2e%2e",
		"/tep/..%5c..%5ccchc.db",
		"/tep/..%252f..%252fetc%252fpasswd",
		"/tep/cchc.db",
		"/tep/",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			w := f.get(p)
			if w.Code != http.StatusNotFound {
				t.Errorf("status %d, want 404", w.Code)
			}
			if b := w.Body.String(); strings.Contains(b, "root:") || strings.Contains(b, "SQLite format") || strings.HasPrefix(b, "%PDF") {
				t.Error("the answer carries a file")
			}
		})
	}
}

// TestFileRowWithoutFile: a library row whose file is gone is a 404, not a 500.
func TestFileRowWithoutFile(t *testing.T) {
	f := newFixture(t)
	name := media.Name([]byte("%PDF-1.4 mất"), media.PDF)
	err := f.env.Store.Tx(context.Background(), func(tx *sql.Tx) error {
		return f.env.Store.PutMedia(context.Background(), tx, &store.Media{Name: name, ContentType: "application/pdf", Size: 12, Uploaded: clock})
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := f.get("/tep/" + name); w.Code != http.StatusNotFound {
		t.Errorf("status %d, want 404", w.Code)
	}
}

// TestFileRanges: ranges of a stored file are served as asked, within
// bounds: a range of no bytes is unsatisfiable, and a request for more
// ranges than any reader needs gets the whole file, not a multipart
// answer many times the file's size.
func TestFileRanges(t *testing.T) {
	f := newFixture(t)
	path := "/tep/" + media.Name(attachment, media.PDF)
	size := len(attachment)
	oneByte := func(n int) string { // n one-byte ranges, each its own part
		specs := make([]string, n)
		for i := range specs {
			specs[i] = strconv.Itoa(i%size) + "-" + strconv.Itoa(i%size)
		}
		return "bytes=" + strings.Join(specs, ",")
	}
	tests := []struct {
		name, rng string
		status    int
		body      []byte // nil: a multipart answer, checked by its size
	}{
		{"one range", "bytes=0-9", http.StatusPartialContent, attachment[:10]},
		{"the last bytes", "bytes=-4", http.StatusPartialContent, attachment[size-4:]},
		{"the last 0 bytes", "bytes=-0", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"the last 0 bytes among others", "bytes=-000, 2-3", http.StatusPartialContent, attachment[2:4]},
		{"the last 0 bytes, spaced", "bytes=- 0", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"the last +0 bytes", "bytes=-+0", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"the last +0 bytes among others", "bytes=2-3, -\t+00", http.StatusPartialContent, attachment[2:4]},
		{"past the end", "bytes=" + strconv.Itoa(size) + "-", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"reversed", "bytes=5-2", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"refused unit", "bytes = 0-1", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"refused unit, the last 0 bytes among others", "bytes = 0-1,-0", http.StatusRequestedRangeNotSatisfiable, []byte{}},
		{"as many ranges as allowed", oneByte(32), http.StatusPartialContent, nil},
		{"more ranges than allowed", oneByte(33), http.StatusOK, attachment},
		{"one range a byte", oneByte(size), http.StatusOK, attachment},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(path, "Range", tt.rng)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d (%d bytes)", w.Code, tt.status, w.Body.Len())
			}
			if tt.status == http.StatusRequestedRangeNotSatisfiable && tt.name != "reversed" && !strings.HasPrefix(tt.name, "refused") { // Go's 416 for a malformed range has no Content-Range
				if got, want := w.Header().Get("Content-Range"), "bytes */"+strconv.Itoa(size); got != want {
					t.Errorf("Content-Range %q, want %q", got, want)
				}
			}
			if tt.body == nil {
				if !strings.HasPrefix(w.Header().Get("Content-Type"), "multipart/byteranges") || w.Body.Len() > size+32*200 {
					t.Errorf("%q, %d bytes for a file of %d", w.Header().Get("Content-Type"), w.Body.Len(), size)
				}
				return
			}
			if tt.status != http.StatusRequestedRangeNotSatisfiable && !bytes.Equal(w.Body.Bytes(), tt.body) {
				t.Errorf("%d bytes, want %d", w.Body.Len(), len(tt.body))
			}
		})
	}
	// A client whose copy is current gets 304 whatever range it asks.
	etag := f.get(path).Header().Get("ETag")
	if w := f.get(path, "Range", "bytes=-0", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("a current copy with a range of no bytes: %d, want 304", w.Code)
	}
}
