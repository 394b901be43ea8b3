package admin_test

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/auth"
)

// fixtureDir holds the .docx files LibreOffice made from the sources
// beside them (internal/docx/testdata/fixtures/README.md), with the
// Markdown each must become.
const fixtureDir = "../docx/testdata/fixtures"

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wordPost is the item form posted with a .docx, as the browser sends it
// when Nhập từ Word is pressed.
func wordPost(form url.Values, filename string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="docx"; filename="`+filename+`"`)
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w, _ := mw.CreatePart(h)
	w.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func (s *server) word(se session, kindSeg string, form url.Values, filename string, data []byte) response {
	s.t.Helper()
	form = cloneValues(form)
	form.Set("csrf", se.csrf)
	body, ct := wordPost(form, filename, data)
	req := httptest.NewRequest("POST", admin.WordImportPath+"?loai="+kindSeg, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(se.cookie)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	return response{Response: w.Result(), body: w.Body.String()}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

var bodyArea = regexp.MustCompile(`(?s)<textarea id="f-body"[^>]*>\n(.*?)</textarea>`)

// formBody is the body textarea's value on a page.
func formBody(t *testing.T, page string) string {
	t.Helper()
	m := bodyArea.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no body field on the page:\n%s", page)
	}
	return html.UnescapeString(m[1])
}

// itemCount is the number of items of every kind.
func (s *server) itemCount() int {
	s.t.Helper()
	var n int
	if err := s.env.DB.Read.QueryRow(`SELECT count(*) FROM items`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// TestWordImportRoundTrip posts LibreOffice's .docx files (a report in
// Unicode NFD, a table with merged cells, images with and without alt
// text) to Nhập từ Word through the real router: the form comes back
// (200) with the document as its body — the Markdown of the golden
// files — and everything else typed kept; nothing is saved but the
// images, which are in the library. A body with an image lacking alt
// text is not saved until the editor writes it.
func TestWordImportRoundTrip(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	typed := url.Values{"title": {"Tiêu đề gõ tay"}, "tags": {"cải cách, Word"}, "areas": {"II.1"}, "date": {"20/03/2026"}}
	before := s.itemCount()
	for _, name := range []string{"report", "table"} {
		res := s.word(ed, "tin-bai", typed, name+".docx", readFixture(t, name+".docx"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", name, res.StatusCode, res.body)
		}
		want := string(readFixture(t, name+".md"))
		if got := formBody(t, res.body); got != strings.TrimSuffix(want, "\n") && got != want {
			t.Errorf("%s: body\n%s\nwant\n%s", name, got, want)
		}
		for _, kept := range []string{`value="Tiêu đề gõ tay"`, `value="cải cách, Word"`, `value="20/03/2026"`, "Đã chuyển tệp " + name + ".docx"} {
			if !strings.Contains(res.body, kept) {
				t.Errorf("%s: the page lacks %q", name, kept)
			}
		}
	}
	if n := s.itemCount(); n != before {
		t.Errorf("items: %d after the imports, %d before: an import saved something", n, before)
	}

	// Images: stored in the library, the body links them; the one without
	// alt text is named and blocks the save until described.
	res := s.word(ed, "tin-bai", typed, "image.docx", readFixture(t, "image.docx"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("image: %d\n%s", res.StatusCode, res.body)
	}
	files, total, err := s.env.Store.MediaFiles(context.Background(), 100, 0)
	if err != nil || total == 0 {
		t.Fatalf("library after the import: %d files, %v", total, err)
	}
	body := formBody(t, res.body)
	for _, m := range files {
		if m.SourcePath != "" {
			continue // the demo activities' evidence, from the import
		}
		if !strings.Contains(body, "/tep/"+m.Name) {
			t.Errorf("body does not link the stored %s:\n%s", m.Name, body)
		}
	}
	if !strings.Contains(body, "![](/tep/") || !strings.Contains(res.body, "chưa có mô tả") {
		t.Fatalf("no image without alt text shown:\n%s", body)
	}
	save := cloneValues(typed)
	save.Set("csrf", ed.csrf)
	save.Set("body", body)
	res = s.do(request{method: "POST", path: "/quan-tri/tin-bai/moi", form: save, cookies: []*http.Cookie{ed.cookie}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "ảnh chưa có mô tả") {
		t.Fatalf("save with an image without alt text: %d", res.StatusCode)
	}
	if got := formBody(t, res.body); got != body {
		t.Errorf("the refused save lost the body:\n%s", got)
	}
	save.Set("body", strings.ReplaceAll(body, "![](", "![Biểu đồ số thủ tục]("))
	res = s.do(request{method: "POST", path: "/quan-tri/tin-bai/moi", form: save, cookies: []*http.Cookie{ed.cookie}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with alt text: %d\n%s", res.StatusCode, res.body)
	}

	// An edit: the body already typed stays, the document goes after it;
	// the id and version posted come back in the form.
	form := url.Values{"id": {itoa(f.draft.ID)}, "version": {itoa(int64(f.draft.Version))}, "title": {"Bản nháp"}, "body": {"Đoạn đã gõ."}}
	res = s.word(ed, "tin-bai", form, "table.docx", readFixture(t, "table.docx"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("edit: %d\n%s", res.StatusCode, res.body)
	}
	if got := formBody(t, res.body); !strings.HasPrefix(got, "Đoạn đã gõ.\n\n# Bảng số liệu") {
		t.Errorf("edit: body\n%s", got)
	}
	if !strings.Contains(res.body, `action="`+admin.EditURL(f.draft)+`"`) || !strings.Contains(res.body, `name="version" value="`+itoa(int64(f.draft.Version))+`"`) {
		t.Errorf("edit: the form does not save to the item at its version")
	}
	if it := s.item(f.draft.ID); it.Version != f.draft.Version || it.Body != f.draft.Body {
		t.Errorf("edit: the import changed the stored item (v%d)", it.Version)
	}

	// Someone who may not save gets no import.
	v := s.login(auth.Viewer)
	if res := s.word(v, "tin-bai", typed, "table.docx", readFixture(t, "table.docx")); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer: %d", res.StatusCode)
	}
	if res := s.word(ed, "khong-co", typed, "table.docx", readFixture(t, "table.docx")); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown kind: %d", res.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// burstHeapBound is how large the heap may grow while 30 imports of a
// document of 15 MiB of text run at once. Each conversion holds its text
// several times over (XML, model, Markdown): some 100 MiB; two at a time
// stay well under the bound, thirty at once (no bound on conversions)
// reached 975 MiB (measured with wordConversions = 100).
const burstHeapBound = 600 << 20

// watchHeap samples the heap in use every 5 ms until stop is called,
// which returns the largest value seen.
func watchHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// textBomb is a .docx of one paragraph of n bytes of text, a few KiB
// deflated: within every limit of the reader, far past a body's.
func textBomb(t *testing.T, n int) []byte {
	doc := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
		strings.Repeat("chữ ", n/len("chữ ")) + `</w:t></w:r></w:p></w:body></w:document>`
	return zipOf(t, map[string][]byte{"[Content_Types].xml": []byte(ctTypes), "_rels/.rels": []byte(rootRels), "word/document.xml": []byte(doc)},
		"[Content_Types].xml", "_rels/.rels", "word/document.xml")
}

// zipOf is a zip of the named entries, deflated.
func zipOf(t *testing.T, entries map[string][]byte, order ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(entries[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	ctTypes  = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	rootRels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
)

// hostileDocs are files an attacker (or an unlucky editor) sends as a
// .docx, each with the words the form must say.
func hostileDocs(t *testing.T) []struct {
	name, file string
	data       []byte
	want       string
} {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	bomb := bytes.Repeat([]byte("<w:p/>"), 8<<20) // 48 MiB of XML, some 50 KiB deflated
	docm, err := os.ReadFile("testdata/word/table.docm")
	if err != nil {
		t.Fatal(err)
	}
	doc := func(body string) []byte {
		return []byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>` + body + `</w:body></w:document>`)
	}
	traversalRels := `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../../../../../etc/passwd"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../../media/../../x.png"/></Relationships>`
	pic := func(id string) string {
		return `<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="x"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="` + id + `"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`
	}
	return []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"not a zip", "anh.docx", png, "không phải tệp Word"},
		{"empty zip", "rong.docx", zipOf(t, nil), "không phải tệp Word"},
		{"old or encrypted", "cu.docx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...), "tệp Word cũ"},
		{"macro-enabled by LibreOffice", "bang.docx", docm, "có macro"},
		{"named .docm", "bang.docm", readFixture(t, "table.docx"), "có macro"},
		{"vbaProject inside", "vba.docx", zipOf(t, map[string][]byte{"[Content_Types].xml": []byte(ctTypes), "_rels/.rels": []byte(rootRels),
			"word/document.xml": doc(`<w:p><w:r><w:t>x</w:t></w:r></w:p>`), "word/vbaProject.bin": []byte("x")},
			"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/vbaProject.bin"), "có macro"},
		{"zip bomb", "bom.docx", zipOf(t, map[string][]byte{"[Content_Types].xml": []byte(ctTypes), "_rels/.rels": []byte(rootRels),
			"word/document.xml": append(append(doc("")[:len(doc(""))-len("</w:body></w:document>")], bomb...), "</w:body></w:document>"...)},
			"[Content_Types].xml", "_rels/.rels", "word/document.xml"), "quá nhiều nội dung"},
		{"too big", "lon.docx", append(readFixture(t, "table.docx"), make([]byte, admin.MaxWordBytes)...), "quá lớn"},
		{"damaged", "hong.docx", readFixture(t, "table.docx")[:3000], "không"},
		{"path traversal", "../../../etc/passwd.docx", zipOf(t, map[string][]byte{"[Content_Types].xml": []byte(ctTypes), "_rels/.rels": []byte(rootRels),
			"word/document.xml": doc(`<w:p><w:r><w:t>Chữ</w:t></w:r></w:p>` + pic("rId9") + pic("rId8")), "word/_rels/document.xml.rels": []byte(traversalRels),
			"../../x.png": png, "/etc/passwd": []byte("root:x:0:0")},
			"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "../../x.png", "/etc/passwd"), ""},
	}
}

// TestWordImportHostile sends hostile files through the real router: each
// comes back as the form (422) with a Vietnamese message on the file
// field and everything typed kept; nothing is stored, never a 500. The
// zip with path-traversal names is read as a document whose images point
// nowhere: its text comes in, nothing is written outside the library.
func TestWordImportHostile(t *testing.T) {
	s, _ := newItemServer(t)
	ed := s.login(auth.Editor)
	typed := url.Values{"title": {"Tiêu đề giữ lại"}, "body": {"Nội dung đã gõ, không được mất."}}
	for _, h := range hostileDocs(t) {
		t.Run(h.name, func(t *testing.T) {
			beforeMedia := s.mediaState()
			res := s.word(ed, "tin-bai", typed, h.file, h.data)
			if !strings.Contains(res.body, `value="Tiêu đề giữ lại"`) {
				t.Errorf("%d: the title typed is lost", res.StatusCode)
			}
			if h.want == "" {
				if res.StatusCode != http.StatusOK || !strings.Contains(formBody(t, res.body), "Nội dung đã gõ, không được mất.\n\nChữ") {
					t.Errorf("%d: body %q", res.StatusCode, formBody(t, res.body))
				}
				if after := s.mediaState(); after != beforeMedia {
					t.Errorf("library changed:\n%s", after)
				}
				return
			}
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, h.want) {
				t.Errorf("%d, want 422 with %q:\n%s", res.StatusCode, h.want, res.body)
			}
			if got := formBody(t, res.body); got != "Nội dung đã gõ, không được mất." {
				t.Errorf("body typed not kept: %q", got)
			}
			if after := s.mediaState(); after != beforeMedia {
				t.Errorf("library changed:\n%s", after)
			}
		})
	}
	// No file chosen.
	form := cloneValues(typed)
	form.Set("csrf", ed.csrf)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		mw.WriteField(k, vs[0])
	}
	mw.Close()
	req := httptest.NewRequest("POST", admin.WordImportPath+"?loai=tin-bai", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(ed.cookie)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "Hãy chọn tệp Word") {
		t.Errorf("no file: %d", w.Code)
	}
}

// TestWordImportBurst sends 30 imports at once — 15 real documents and
// 15 of 15 MiB of text — through the real router: every one is answered (200 or
// 422: too long for a body), and the heap stays bounded: at most wordConversions documents
// are read at a time.
func TestWordImportBurst(t *testing.T) {
	s, _ := newItemServer(t)
	ed := s.login(auth.Editor)
	bomb := textBomb(t, 15<<20)
	good := readFixture(t, "report.docx")
	typed := url.Values{"title": {"Đồng loạt"}}
	stop := watchHeap()
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 30 {
		wg.Go(func() {
			data, want := good, http.StatusOK
			if i%2 == 1 {
				data, want = bomb, http.StatusUnprocessableEntity
			}
			res := s.word(ed, "tin-bai", typed, "t.docx", data)
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			if res.StatusCode != want {
				t.Errorf("request %d: %d, want %d", i, res.StatusCode, want)
			}
		})
	}
	wg.Wait()
	peak := stop()
	t.Logf("30 imports at once (15 documents, 15 documents of %d KiB holding 15 MiB of text): statuses %v, peak heap %d MiB", len(bomb)>>10, statuses, peak>>20)
	if peak > burstHeapBound {
		t.Errorf("peak heap %d MiB, bound %d MiB", peak>>20, burstHeapBound>>20)
	}
}
