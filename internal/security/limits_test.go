package security_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/testsupport"
)

// countingBody is a request body of size bytes that counts what the
// server read and fails past failAfter: a server that reads on past its
// limit gets an error instead of a 413.
type countingBody struct {
	prefix                string // what the body starts with
	size, failAfter, read int64
}

var errReadTooFar = errors.New("the server read past its limit")

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.size {
		return 0, io.EOF
	}
	if b.read >= b.failAfter {
		return 0, errReadTooFar
	}
	n := int64(len(p))
	n = min(n, b.size-b.read, b.failAfter-b.read)
	for i := range p[:n] {
		if j := b.read + int64(i); j < int64(len(b.prefix)) {
			p[i] = b.prefix[j]
		} else {
			p[i] = 'a'
		}
	}
	b.read += n
	return int(n), nil
}

// TestOversizedBodies checks that bodies over the limits are refused with
// 413 and that the server stops reading: an upload declared too big is
// refused before a byte is read; a form or an upload that does not say
// its size (chunked) is cut at the limit.
func TestOversizedBodies(t *testing.T) {
	s := newSite(t)
	base := serveSite(t, s)
	cl := newClient(t, base)
	cl.Login(adminName, testsupport.Password)
	sessionCookies := cl.Client.Jar.Cookies(mustURL(t, base))
	const formLimit = 2 << 20 // admin.Config's default MaxFormBytes
	tests := []struct {
		name        string
		path        string
		contentType string
		size        int64 // body size
		declared    bool  // Content-Length sent
		session     bool
		maxRead     int64
	}{
		{"upload declared too big", "/quan-tri/tep", "multipart/form-data; boundary=x", admin.MaxUploadBody + 1, true, true, 0},
		{"upload declared too big, no session", "/quan-tri/tep", "multipart/form-data; boundary=x", 1 << 30, true, false, 0},
		{"upload chunked too big", "/quan-tri/tep", "multipart/form-data; boundary=x", admin.MaxUploadBody * 2, false, true, admin.MaxUploadBody + 64<<10},
		{"list upload declared too big", "/quan-tri/nhap-tthc", "multipart/form-data; boundary=x", 1 << 30, true, true, 0},
		{"list upload chunked too big", "/quan-tri/nhap-tthc", "multipart/form-data; boundary=x", 64 << 20, false, true, 10<<20 + 2*64<<10},
		{"word import declared too big", "/quan-tri/nhap-word?loai=tin-bai", "multipart/form-data; boundary=x", 1 << 30, true, true, 0},
		{"word import chunked too big", "/quan-tri/nhap-word?loai=tin-bai", "multipart/form-data; boundary=x", 64 << 20, false, true, admin.MaxWordBytes + formLimit + 2*64<<10},
		{"login form too big", "/quan-tri/dang-nhap", "application/x-www-form-urlencoded", 64 << 20, true, false, formLimit + 64<<10},
		{"user form chunked too big", "/quan-tri/nguoi-dung", "application/x-www-form-urlencoded", 64 << 20, false, true, formLimit + 64<<10},
		{"editor form too big", "/quan-tri/tin-bai/moi", "application/x-www-form-urlencoded", 64 << 20, true, true, formLimit + 64<<10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingBody{size: tt.size, failAfter: max(tt.maxRead, 1) + 1}
			if strings.HasPrefix(tt.contentType, "multipart/") {
				body.prefix = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"anh.png\"\r\nContent-Type: image/png\r\n\r\n"
			}
			req := httptest.NewRequest("POST", tt.path, body)
			req.Header.Set("Content-Type", tt.contentType)
			req.Header.Set("Accept", "text/html")
			req.ContentLength = -1
			if tt.declared {
				req.ContentLength = tt.size
			}
			if tt.session {
				for _, c := range sessionCookies {
					req.AddCookie(c)
				}
			}
			w := httptest.NewRecorder()
			s.h.ServeHTTP(w, req)
			if w.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413 (read %d bytes)", w.Code, body.read)
			}
			if body.read > tt.maxRead {
				t.Errorf("server read %d bytes, limit %d", body.read, tt.maxRead)
			}
			if !strings.Contains(w.Body.String(), "quá lớn") {
				t.Errorf("413 without a Vietnamese message")
			}
		})
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// serveSite serves s on 127.0.0.1 for the test.
func serveSite(t *testing.T, s *site) string {
	srv := httptest.NewServer(s.h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// realServer runs `cchc serve` in the test, on a free port of 127.0.0.1,
// and returns its address; it stops with the test.
func realServer(t *testing.T) string {
	t.Helper()
	return testsupport.Serve(t, "--data", t.TempDir(), "--content", t.TempDir()+"/none").Addr
}

// TestHugeHeadersAndQueries sends, to the real server, headers and query
// strings past its 64 KiB header limit (431, nothing read on), and a
// large but allowed query (answered, never a 500).
func TestHugeHeadersAndQueries(t *testing.T) {
	addr := realServer(t)
	send := func(t *testing.T, request string) int {
		t.Helper()
		conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
		go func() { _, _ = io.WriteString(conn, request) }()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	big := strings.Repeat("a", 200<<10)
	tests := []struct {
		name    string
		request string
		ok      func(int) bool
	}{
		{"huge header", "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + big + "\r\n\r\n", func(c int) bool { return c == 431 }},
		{"many headers", "GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-A: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n", 4000) + "\r\n", func(c int) bool { return c == 431 }},
		{"huge cookie", "GET /quan-tri/ HTTP/1.1\r\nHost: x\r\nCookie: cchc_session=" + big + "\r\n\r\n", func(c int) bool { return c == 431 }},
		{"huge query", "GET /tim-kiem?q=" + big + " HTTP/1.1\r\nHost: x\r\n\r\n", func(c int) bool { return c == 431 }},
		{"large allowed query", "GET /tim-kiem?q=" + strings.Repeat("c%E1%BA%A3i+", 2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", func(c int) bool { return c == 200 || c == 400 }},
		{"large page number", "GET /tin-tuc/?trang=" + strings.Repeat("9", 30000) + " HTTP/1.1\r\nHost: x\r\n\r\n", func(c int) bool { return c == 400 || c == 404 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := send(t, tt.request); !tt.ok(code) {
				t.Errorf("status %d", code)
			}
		})
	}
}
