package admin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

const mediaPath = "/quan-tri/tep"

// upload is one multipart upload to send.
type upload struct {
	filename string // written raw into the part header
	data     []byte
	alt      *string
	csrf     string
	noFile   bool
}

func strp(s string) *string { return &s }

// body builds the multipart body of u and its Content-Type.
func (u upload) body() ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if u.csrf != "" {
		mw.WriteField("csrf", u.csrf)
	}
	if u.alt != nil {
		mw.WriteField("alt", *u.alt)
	}
	if !u.noFile {
		h := textproto.MIMEHeader{}
		// Raw, so that hostile names reach the server as a browser could send them.
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+u.filename+`"`)
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		w.Write(u.data)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// send posts u to the library as the session se (nil: no session).
func (s *server) send(u upload, se *session, header map[string]string) response {
	s.t.Helper()
	body, ct := u.body()
	req := httptest.NewRequest("POST", mediaPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", "text/html")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if se != nil {
		req.AddCookie(se.cookie)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	return response{Response: w.Result(), body: w.Body.String()}
}

// mediaState is what a refused upload must leave unchanged: the rows and
// the files.
func (s *server) mediaState() string {
	s.t.Helper()
	list, total, err := s.env.Store.MediaFiles(context.Background(), 1000, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rows=%d\n", total)
	for _, m := range list {
		fmt.Fprintf(&b, "%s %s\n", m.Name, m.Alt)
	}
	entries, err := os.ReadDir(filepath.Join(s.env.Config.Data, "media"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		s.t.Fatal(err)
	}
	for _, e := range entries {
		fmt.Fprintf(&b, "file %s\n", e.Name())
	}
	return b.String()
}

// TestMediaRoutes exercises the library's routes: no session, a role that
// may not use them, a missing or wrong form token, a cross-site post, and
// a valid request.
func TestMediaRoutes(t *testing.T) {
	s := newServer(t)
	stored, _, err := s.env.Store.MediaFiles(context.Background(), 1, 0)
	if err != nil || len(stored) != 0 {
		t.Fatalf("library not empty at start: %v", err)
	}
	ed := s.login(auth.Editor)
	res := s.send(upload{filename: "kế hoạch.pdf", data: testsupport.PDF(), csrf: ed.csrf}, &ed, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first upload: %d\n%s", res.StatusCode, res.body)
	}
	name := media.Name(testsupport.PDF(), media.PDF)
	gets := []string{mediaPath, mediaPath + "/" + name}

	for _, path := range gets {
		t.Run("GET "+path, func(t *testing.T) {
			res := s.do(request{method: "GET", path: path})
			if res.StatusCode != http.StatusFound || res.Header.Get("Location") != admin.LoginPath+"?next="+strings.ReplaceAll(path, "/", "%2F") {
				t.Errorf("no session: %d %q", res.StatusCode, res.Header.Get("Location"))
			}
			res = s.do(request{method: "GET", path: path, header: map[string]string{"Accept": "application/json"}})
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("no session, not HTML: %d", res.StatusCode)
			}
			v := s.login(auth.Viewer)
			res = s.do(request{method: "GET", path: path, cookies: []*http.Cookie{v.cookie}})
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "không có quyền") {
				t.Errorf("viewer: %d", res.StatusCode)
			}
			for _, role := range []auth.Role{auth.Editor, auth.Approver, auth.Admin} {
				se := s.login(role)
				res = s.do(request{method: "GET", path: path, cookies: []*http.Cookie{se.cookie}})
				if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("%s: %d, Cache-Control %q", role, res.StatusCode, res.Header.Get("Cache-Control"))
				}
				if !strings.Contains(res.body, "kế hoạch.pdf") {
					t.Errorf("%s: the page does not show the file", role)
				}
			}
		})
	}
	t.Run("GET a name not in the library", func(t *testing.T) {
		for _, p := range []string{mediaPath + "/" + media.Name([]byte("x"), media.PDF), mediaPath + "/khong-co.pdf"} {
			if res := s.do(request{method: "GET", path: p, cookies: []*http.Cookie{ed.cookie}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, res.StatusCode)
			}
		}
	})

	png := testsupport.PNG(0)
	valid := func(csrf string) upload {
		return upload{filename: "ảnh.png", data: png, alt: strp("Hội nghị cải cách hành chính"), csrf: csrf}
	}
	t.Run("POST no session", func(t *testing.T) {
		before := s.mediaState()
		res := s.send(valid(""), nil, nil)
		if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), admin.LoginPath) {
			t.Errorf("status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
		}
		res = s.send(valid(""), nil, map[string]string{"Accept": "application/json"})
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("not HTML: %d", res.StatusCode)
		}
		if s.mediaState() != before {
			t.Error("something was stored")
		}
	})
	t.Run("POST as viewer", func(t *testing.T) {
		v := s.login(auth.Viewer)
		before := s.mediaState()
		res := s.send(valid(v.csrf), &v, nil)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "không có quyền") {
			t.Errorf("status %d", res.StatusCode)
		}
		if s.mediaState() != before {
			t.Error("something was stored")
		}
	})
	refusals := []struct {
		name   string
		csrf   func(se session) string
		header map[string]string
	}{
		{"missing csrf", func(session) string { return "" }, nil},
		{"wrong csrf", func(session) string { tok, _, _ := auth.NewToken(); return tok }, nil},
		{"another session's csrf", func(session) string { return s.login(auth.Admin).csrf }, nil},
		{"cross-site Origin", func(se session) string { return se.csrf }, map[string]string{"Origin": "https://evil.example"}},
		{"cross-site Sec-Fetch-Site", func(se session) string { return se.csrf }, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	}
	for _, ref := range refusals {
		t.Run("POST "+ref.name, func(t *testing.T) {
			se := s.login(auth.Editor)
			before := s.mediaState()
			res := s.send(valid(ref.csrf(se)), &se, ref.header)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "<h1>Không được phép</h1>") {
				t.Errorf("status %d, want the Vietnamese 403 page", res.StatusCode)
			}
			if s.mediaState() != before {
				t.Error("something was stored")
			}
		})
	}
	t.Run("POST valid", func(t *testing.T) {
		se := s.login(auth.Editor)
		res := s.send(valid(se.csrf), &se, map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"})
		name := media.Name(png, media.PNG)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != mediaPath+"/"+name {
			t.Fatalf("status %d, Location %q\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
		}
		m, err := s.env.Store.MediaFile(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if m.Alt != "Hội nghị cải cách hành chính" || m.OriginalName != "ảnh.png" || m.UploadedBy != "editor" || m.ContentType != "image/png" {
			t.Errorf("row %+v", m)
		}
		page := s.do(request{method: "GET", path: res.Header.Get("Location"), cookies: []*http.Cookie{se.cookie}})
		want := html.EscapeString("![Hội nghị cải cách hành chính](/tep/" + name + ")")
		if !strings.Contains(page.body, want) || !strings.Contains(page.body, "Đã tải lên tệp ảnh.png.") {
			t.Errorf("the file's page lacks the snippet %s or the message:\n%s", want, page.body)
		}
		if got := s.auditActions(); len(got) == 0 || got[0] != string(store.AuditUpload) {
			t.Errorf("audit %v", got)
		}
	})
	t.Run("document page gives the file field", func(t *testing.T) {
		page := s.do(request{method: "GET", path: mediaPath + "/" + name, cookies: []*http.Cookie{ed.cookie}})
		if !strings.Contains(page.body, `value="`+name+`"`) || !strings.Contains(page.body, html.EscapeString("[Tải tệp: kế hoạch.pdf](/tep/"+name+")")) {
			t.Errorf("the document's page lacks the file value or the link snippet:\n%s", page.body)
		}
	})
}

// TestMediaUploadRefusals sends the attacks and mistakes an upload form
// meets: each is refused with the form shown again (422, Vietnamese
// reason, the alt text kept) and stores nothing.
func TestMediaUploadRefusals(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Editor)
	png := testsupport.PNG(0)
	tests := []struct {
		name  string
		up    upload
		field string // "file" or "alt": the field marked
		msg   string
	}{
		{"png named .pdf", upload{filename: "van-ban.pdf", data: png, alt: strp("Mô tả giữ lại")}, "file", "Nội dung tệp là PNG nhưng tên tệp có đuôi .pdf"},
		{"html named .jpg", upload{filename: "anh.jpg", data: []byte("<!DOCTYPE html><html><script>document.cookie</script></html>"), alt: strp("Mô tả giữ lại")}, "file", "Không nhận tệp HTML"},
		{"zip renamed .docx", upload{filename: "ke-hoach.docx", data: testsupport.Zip("a.txt"), alt: strp("Mô tả giữ lại")}, "file", "không phải văn bản Word (DOCX)"},
		{"svg with script", upload{filename: "logo.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>`), alt: strp("Mô tả giữ lại")}, "file", "Không nhận ảnh SVG"},
		{"svg renamed .png", upload{filename: "logo.png", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), alt: strp("Mô tả giữ lại")}, "file", "Không nhận ảnh SVG"},
		{"image without alt", upload{filename: "anh.png", data: png, alt: strp("   ")}, "alt", "Hãy nhập mô tả ảnh"},
		{"image with no alt field", upload{filename: "anh.png", data: png}, "alt", "Hãy nhập mô tả ảnh"},
		{"image over 5 MB", upload{filename: "lon.png", data: append(append([]byte{}, png...), make([]byte, media.MaxImageBytes)...), alt: strp("Mô tả giữ lại")}, "file", "Ảnh quá lớn"},
		{"no file", upload{noFile: true, alt: strp("Mô tả giữ lại")}, "file", "Hãy chọn một tệp"},
		{"alt too long", upload{filename: "anh.png", data: png, alt: strp(strings.Repeat("ả", media.MaxAltLen+1))}, "alt", "không được dài quá"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.mediaState()
			tt.up.csrf = se.csrf
			res := s.send(tt.up, &se, nil)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, res.body)
			}
			if !strings.Contains(res.body, html.EscapeString(tt.msg)) {
				t.Errorf("no message %q in:\n%s", tt.msg, res.body)
			}
			if !strings.Contains(res.body, `id="`+tt.field+`-error"`) {
				t.Errorf("field %s is not marked", tt.field)
			}
			if tt.up.alt != nil && strings.TrimSpace(*tt.up.alt) != "" && !strings.Contains(res.body, `value="`+html.EscapeString(*tt.up.alt)+`"`) {
				t.Errorf("the alt text typed is not kept")
			}
			if !tt.up.noFile && !strings.Contains(res.body, "Tệp đã chọn lần trước: <strong>"+html.EscapeString(tt.up.filename)+"</strong>") {
				t.Errorf("the chosen file's name is not shown")
			}
			if s.mediaState() != before {
				t.Error("something was stored")
			}
		})
	}
}

// TestMediaUploadNames sends hostile file names: the stored name comes
// from the bytes only, the original name kept is cleaned.
func TestMediaUploadNames(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Editor)
	tests := []struct {
		name, filename, want string
	}{
		{"parent dirs", "../../../etc/cron.d/x.pdf", "x.pdf"},
		{"absolute", "/etc/passwd.pdf", "passwd.pdf"},
		{"windows", `..\..\Windows\báo cáo.pdf`, "báo cáo.pdf"},
		{"nul", "a\x00.pdf", ""},
		{"dot dot", "..", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := append(append([]byte{}, testsupport.PDF()...), byte('0'+i))
			before := s.mediaState()
			res := s.send(upload{filename: tt.filename, data: data, csrf: se.csrf}, &se, nil)
			name := media.Name(data, media.PDF)
			switch res.StatusCode {
			case http.StatusSeeOther:
				if res.Header.Get("Location") != mediaPath+"/"+name {
					t.Fatalf("Location %q", res.Header.Get("Location"))
				}
			case http.StatusUnprocessableEntity, http.StatusBadRequest:
				// A name with nothing usable left (no extension: 422) or one
				// the multipart parser refuses (a NUL: 400) stores nothing.
				if tt.want != "" {
					t.Fatalf("refused:\n%s", res.body)
				}
				if s.mediaState() != before {
					t.Error("something was stored")
				}
				return
			default:
				t.Fatalf("status %d\n%s", res.StatusCode, res.body)
			}
			m, err := s.env.Store.MediaFile(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && m.OriginalName != tt.want {
				t.Errorf("original name %q, want %q", m.OriginalName, tt.want)
			}
			if strings.ContainsAny(m.OriginalName, "/\\\x00") || strings.HasPrefix(m.OriginalName, ".") {
				t.Errorf("original name %q is not clean", m.OriginalName)
			}
			entries, _ := os.ReadDir(filepath.Join(s.env.Config.Data, "media"))
			for _, e := range entries {
				if !media.ValidName(e.Name()) {
					t.Errorf("media folder holds %q", e.Name())
				}
			}
			for _, p := range []string{"/etc/cron.d/x.pdf", filepath.Join(s.env.Config.Data, "x.pdf"), filepath.Join(s.env.Config.Data, "passwd.pdf")} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s was written", p)
				}
			}
		})
	}
}

// failingBody is a request body that fails after n bytes and counts what
// was read from it.
type failingBody struct {
	n, read int
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, errors.New("the test body ends here: the server read too far")
	}
	k := min(len(p), b.n-b.read)
	for i := range k {
		p[i] = 'A'
	}
	b.read += k
	return k, nil
}

// streamBody is a multipart upload with a file part of size bytes, made as
// it is read, counting what was read.
type streamBody struct {
	head, tail []byte
	size, pos  int
	read       int
}

func (b *streamBody) Read(p []byte) (int, error) {
	total := len(b.head) + b.size + len(b.tail)
	if b.pos >= total {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && b.pos < total {
		switch {
		case b.pos < len(b.head):
			p[n] = b.head[b.pos]
		case b.pos < len(b.head)+b.size:
			p[n] = '%'
		default:
			p[n] = b.tail[b.pos-len(b.head)-b.size]
		}
		n++
		b.pos++
	}
	b.read += n
	return n, nil
}

// TestMediaUploadTooBig: a body declared too big is refused before any of
// it is read; one that does not declare its size is cut off at the limit.
func TestMediaUploadTooBig(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Editor)
	before := s.mediaState()

	t.Run("huge Content-Length", func(t *testing.T) {
		body := &failingBody{n: 1 << 20}
		req := httptest.NewRequest("POST", mediaPath, body)
		req.ContentLength = 10 << 30
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Accept", "text/html")
		req.AddCookie(se.cookie)
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "Tệp quá lớn") {
			t.Errorf("status %d, want 413 with a Vietnamese message\n%s", w.Code, w.Body.String())
		}
		if body.read != 0 {
			t.Errorf("%d bytes of the body were read before refusing", body.read)
		}
	})
	t.Run("chunked, past the limit", func(t *testing.T) {
		var head bytes.Buffer
		mw := multipart.NewWriter(&head)
		mw.WriteField("csrf", se.csrf)
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="lon.pdf"`)
		mw.CreatePart(h)
		tail := []byte("\r\n--" + mw.Boundary() + "--\r\n")
		body := &streamBody{head: head.Bytes(), tail: tail, size: admin.MaxUploadBody + (4 << 20)}
		req := httptest.NewRequest("POST", mediaPath, body)
		req.ContentLength = -1
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "text/html")
		req.AddCookie(se.cookie)
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413\n%s", w.Code, w.Body.String())
		}
		if body.read > admin.MaxUploadBody+(64<<10) {
			t.Errorf("read %d bytes, limit %d", body.read, admin.MaxUploadBody)
		}
	})
	if s.mediaState() != before {
		t.Error("something was stored")
	}
}

// TestMediaPagePastTheEnd: a page of the library past its last is not
// found (as in the workspace's lists and the trash), rather than an empty
// list under a pager that says otherwise; the last page is there.
func TestMediaPagePastTheEnd(t *testing.T) {
	s := newServer(t)
	ed := s.login(auth.Editor)
	if res := s.send(upload{filename: "kế hoạch.pdf", data: testsupport.PDF(), csrf: ed.csrf}, &ed, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, res.body)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{{"", http.StatusOK}, {"?trang=1", http.StatusOK}, {"?trang=2", http.StatusNotFound}, {"?trang=999999", http.StatusNotFound}, {"?trang=0", http.StatusBadRequest}} {
		res := s.do(request{method: "GET", path: mediaPath + tt.query, cookies: []*http.Cookie{ed.cookie}})
		if res.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.query, res.StatusCode, tt.want)
		}
		if tt.want == http.StatusOK && !strings.Contains(res.body, "kế hoạch.pdf") {
			t.Errorf("%s: the file is not listed", tt.query)
		}
	}
}
