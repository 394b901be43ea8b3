package security_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/admin"
	"cchc/internal/testsupport"
)

// hostileSize is the size of every hostile multipart body: far past any
// limit of the service.
const hostileSize = 50 << 20

// uploadPath is the media library's upload, listPath the import of a
// procedure list (admin.TTHCImportPath, bounded by tthclist.MaxSize), and
// wordPath the editor's Nhập từ Word (admin.WordImportPath, bounded by
// admin.MaxWordBytes and the item form): the only routes that take
// multipart bodies.
const (
	uploadPath = "/quan-tri/tep"
	listPath   = "/quan-tri/nhap-tthc"
	wordPath   = "/quan-tri/nhap-word"
)

// postRoutes lists every POST route of the service but the uploads, with
// its parameters filled in (the body is refused before they matter).
func postRoutes(t testing.TB, s *site) []string {
	t.Helper()
	r, ok := s.h.(interface{ Routes() gin.RoutesInfo })
	if !ok {
		t.Fatalf("handler %T does not list its routes", s.h)
	}
	param := regexp.MustCompile(`:[a-z]+`)
	var out []string
	for _, ri := range r.Routes() {
		if ri.Method == http.MethodPost && ri.Path != uploadPath && ri.Path != listPath && ri.Path != wordPath {
			out = append(out, param.ReplaceAllString(ri.Path, "1"))
		}
	}
	slices.Sort(out)
	if len(out) < 20 || !slices.Contains(out, "/quan-tri/dang-nhap") {
		t.Fatalf("only %d POST routes found: %v", len(out), out)
	}
	return out
}

// hostileBody is a multipart body of size bytes generated as it is read
// (the client never holds it): one part, a file (spilled to disk by a
// parser past its memory) or a plain field (kept in memory), then filler.
type hostileBody struct {
	head       []byte
	size, read int64
}

const hostileBoundary = "xXxGioiHanxXx"

func newHostileBody(size int64, file bool) *hostileBody {
	head := "--" + hostileBoundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--" + hostileBoundary + "\r\n"
	if file {
		head += "Content-Disposition: form-data; name=\"file\"; filename=\"to.png\"\r\nContent-Type: image/png\r\n\r\n"
	} else {
		head += "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
	}
	return &hostileBody{head: []byte(head), size: size}
}

func (b *hostileBody) Read(p []byte) (int, error) {
	if b.read >= b.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), b.size-b.read)
	for i := range p[:n] {
		if j := b.read + int64(i); j < int64(len(b.head)) {
			p[i] = b.head[j]
		} else {
			p[i] = 'a'
		}
	}
	b.read += n
	return int(n), nil
}

const hostileType = "multipart/form-data; boundary=" + hostileBoundary

// TestMultipartRefusedOffUploadRoutes sends a 50 MB multipart body to the
// login form (no session) and to every other POST route but the upload
// (as an admin, so that the route's own checks would pass), declared and
// chunked: each is refused with 415 and a Vietnamese page before a byte
// of the body is read.
func TestMultipartRefusedOffUploadRoutes(t *testing.T) {
	s := newSite(t)
	cl := newClient(t, serveSite(t, s))
	cl.Login(adminName, testsupport.Password)
	cookies := cl.Client.Jar.Cookies(mustURL(t, cl.Base))
	routes := postRoutes(t, s)
	for _, path := range routes {
		for _, declared := range []bool{true, false} {
			for _, file := range []bool{true, false} {
				name := fmt.Sprintf("%s declared=%v file=%v", path, declared, file)
				body := newHostileBody(hostileSize, file)
				req := httptest.NewRequest("POST", path, body)
				req.Header.Set("Content-Type", hostileType)
				req.Header.Set("Accept", "text/html")
				req.ContentLength = -1
				if declared {
					req.ContentLength = hostileSize
				}
				if path != "/quan-tri/dang-nhap" {
					for _, c := range cookies {
						req.AddCookie(c)
					}
				}
				w := httptest.NewRecorder()
				s.h.ServeHTTP(w, req)
				if w.Code != http.StatusUnsupportedMediaType || body.read != 0 {
					t.Errorf("%s: %d after reading %d bytes, want 415 after none", name, w.Code, body.read)
					continue
				}
				if !strings.Contains(w.Body.String(), "không nhận tệp") {
					t.Errorf("%s: 415 without the Vietnamese message:\n%s", name, w.Body.String())
				}
			}
		}
	}
	// However the type is spelled.
	for _, ct := range []string{"MULTIPART/Form-Data; boundary=" + hostileBoundary, " multipart/form-data;boundary=" + hostileBoundary,
		"multipart/mixed; boundary=" + hostileBoundary, "multipart/form-data", "multipart/form-data; boundary=\"" + hostileBoundary} {
		body := newHostileBody(hostileSize, true)
		req := httptest.NewRequest("POST", "/quan-tri/dang-nhap", body)
		req.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if w.Code != http.StatusUnsupportedMediaType || body.read != 0 {
			t.Errorf("login, Content-Type %q: %d after reading %d bytes, want 415 after none", ct, w.Code, body.read)
		}
	}
	t.Logf("%d POST routes × declared/chunked × file/field, and 5 spellings of the type on the login form: 415, 0 bytes read", len(routes))
}

// vmRSS is the resident memory of this process, in bytes.
func vmRSS(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// tempUse counts the entries of dir and their bytes.
func tempUse(dir string) (int, int64) {
	var n int
	var size int64
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		n++
		if info, err := d.Info(); err == nil {
			size += info.Size()
		}
		return nil
	})
	return n, size
}

// watch samples the process's resident memory and the temporary folder
// every 5 ms until stop is called, which returns the largest values seen.
func watch(t testing.TB, tmp string) (stop func() (rss int64, files int, tmpBytes int64)) {
	var peakRSS, peakTmp atomic.Int64
	var peakFiles atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if r := vmRSS(t); r > peakRSS.Load() {
				peakRSS.Store(r)
			}
			n, size := tempUse(tmp)
			if int64(n) > peakFiles.Load() {
				peakFiles.Store(int64(n))
			}
			if size > peakTmp.Load() {
				peakTmp.Store(size)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	return func() (int64, int, int64) {
		close(done)
		wg.Wait()
		return peakRSS.Load(), int(peakFiles.Load()), peakTmp.Load()
	}
}

// floodRSSBound is how far this process's resident memory may grow while
// the flood below is refused: the server holds no body, so what grows is
// connections, goroutines and pages of refusal — a few MiB. Before bodies
// were limited per route, each request could hold 18 MiB of a field in
// memory (the parser's 8 MiB plus Go's fixed 10 MiB for fields).
const floodRSSBound = 64 << 20

// TestMultipartFloodBounded sends 50 MB multipart bodies, 16 at a time
// over real connections, to the login form ten times and to every other
// non-upload POST route with an admin's session: every answer is 415, no
// temporary file is ever created in os.TempDir (TMPDIR points at a folder
// of the test) and the process's resident memory grows by less than
// floodRSSBound.
func TestMultipartFloodBounded(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Fatalf("os.TempDir() = %s, want %s", os.TempDir(), tmp)
	}
	s := newSite(t)
	base := serveSite(t, s)
	cl := newClient(t, base)
	cl.Login(adminName, testsupport.Password)
	cookies := cl.Client.Jar.Cookies(mustURL(t, base))
	var jobs []string
	for range 10 {
		jobs = append(jobs, "/quan-tri/dang-nhap")
	}
	jobs = append(jobs, postRoutes(t, s)...)

	// Keep-alive as browsers do: with "Connection: close" on the request,
	// net/http's server resets the connection at once when it leaves a
	// body unread, and the client sees the reset instead of the answer.
	hc := &http.Client{Timeout: 120 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	runtime.GC()
	debug.FreeOSMemory()
	baseRSS := vmRSS(t)
	stop := watch(t, tmp)
	start := time.Now()
	var mu sync.Mutex
	statuses := map[int]int{}
	var errs []string
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, path := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			req, _ := http.NewRequest("POST", base+path, newHostileBody(hostileSize, i%2 == 0))
			req.ContentLength = hostileSize
			req.Header.Set("Content-Type", hostileType)
			req.Header.Set("Accept", "text/html")
			for _, c := range cookies {
				req.AddCookie(c)
			}
			res, err := hc.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, path+": "+err.Error())
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[res.StatusCode]++
		})
	}
	wg.Wait()
	took := time.Since(start)
	peakRSS, peakFiles, peakTmp := stop()
	files, _ := tempUse(tmp)
	t.Logf("%d requests of 50 MB in %v: statuses %v, transport errors %d; RSS %d MiB before, peak %d MiB (+%d MiB); temporary files: at most %d (%d bytes) during, %d after",
		len(jobs), took.Round(time.Millisecond), statuses, len(errs), baseRSS>>20, peakRSS>>20, (peakRSS-baseRSS)>>20, peakFiles, peakTmp, files)
	for _, e := range errs {
		t.Errorf("no answer: %s", e)
	}
	if statuses[http.StatusUnsupportedMediaType] != len(jobs) {
		t.Errorf("statuses %v, want %d × 415", statuses, len(jobs))
	}
	if peakRSS-baseRSS > floodRSSBound {
		t.Errorf("resident memory grew by %d MiB, bound %d MiB", (peakRSS-baseRSS)>>20, floodRSSBound>>20)
	}
	if peakFiles > 0 || files > 0 {
		t.Errorf("temporary files: %d during the flood (%d bytes), %d left after", peakFiles, peakTmp, files)
	}
}

// uploadBody is a multipart upload of a file of size bytes starting with
// head, with the session's form token and an alt text.
func uploadBody(csrf, filename string, head []byte, size int) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", csrf)
	mw.WriteField("alt", "Ảnh kiểm thử dung lượng lớn")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", "application/octet-stream")
	w, _ := mw.CreatePart(h)
	data := make([]byte, size)
	copy(data, head)
	for i := len(head); i < size; i++ {
		data[i] = byte(i * 7)
	}
	w.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

var pngHead = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// TestUploadsWorkAndCleanUp checks the upload route under its own limits:
// a 3 MB image and a 15 MB PDF are stored (four PDFs at once too), a
// 6 MB image is refused (422), a body declared past the limit is refused
// before it is read (413), and a connection cut in the middle of a 15 MB
// upload stores nothing. After each, os.TempDir (a folder of the test)
// is empty and the media folder holds only stored files — also when the
// handler is called without net/http's server.
func TestUploadsWorkAndCleanUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := newSite(t)
	base := serveSite(t, s)
	cl := newClient(t, base)
	cl.Login(adminName, testsupport.Password)
	cookies := cl.Client.Jar.Cookies(mustURL(t, base))
	mediaDir := s.env.Store.MediaDir()
	stop := watch(t, tmp)
	send := func(filename string, head []byte, size int) int {
		t.Helper()
		body, ct := uploadBody(cl.CSRF, filename, head, size)
		req, _ := http.NewRequest("POST", base+uploadPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Accept", "text/html")
		res, err := cl.Client.Do(req) // its jar sends the session cookie
		if err != nil {
			t.Fatalf("upload %s: %v", filename, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	clean := func(step string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			n, _ := tempUse(tmp)
			if n == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d temporary files left in os.TempDir", step, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		entries, _ := os.ReadDir(mediaDir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("%s: %s left in the media folder", step, e.Name())
			}
		}
	}
	stored := func() int {
		n, _, err := s.env.Store.MediaFiles(context.Background(), 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(n)
	}

	if st := send("anh.png", pngHead, 3<<20); st != http.StatusSeeOther {
		t.Errorf("3 MB image: %d, want 303", st)
	}
	clean("3 MB image")
	if st := send("van-ban.pdf", []byte("%PDF-1.4\n"), 15<<20); st != http.StatusSeeOther {
		t.Errorf("15 MB PDF: %d, want 303", st)
	}
	clean("15 MB PDF")
	if st := send("anh-lon.png", pngHead, 6<<20); st != http.StatusUnprocessableEntity {
		t.Errorf("6 MB image: %d, want 422", st)
	}
	clean("6 MB image")
	if st := send("qua-lon.pdf", []byte("%PDF-1.4\n"), admin.MaxUploadBody); st != http.StatusRequestEntityTooLarge {
		t.Errorf("upload past the limit: %d, want 413", st)
	}
	clean("upload past the limit")

	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Go(func() {
			codes[i] = send(fmt.Sprintf("song-song-%d.pdf", i), []byte(fmt.Sprintf("%%PDF-1.%d\n", i)), 15<<20)
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("concurrent upload %d: %d, want 303", i, c)
		}
	}
	clean("four uploads at once")

	// Served without net/http's server, which removes a parsed form's
	// temporary files after the handler but not when the handler panics:
	// the route removes them itself.
	body, ct := uploadBody(cl.CSRF, "khong-qua-may-chu.pdf", []byte("%PDF-1.3\n"), 15<<20)
	req := httptest.NewRequest("POST", uploadPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	if n, _ := tempUse(tmp); w.Code != http.StatusSeeOther || n != 0 {
		t.Errorf("upload through the handler alone: %d, %d temporary files left", w.Code, n)
	}

	// A connection cut after 10 MB of a 15 MB upload.
	before := stored()
	body, ct = uploadBody(cl.CSRF, "bi-cat.pdf", []byte("%PDF-1.7\n"), 15<<20)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	var cookie []string
	for _, c := range cookies {
		cookie = append(cookie, c.Name+"="+c.Value)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n",
		uploadPath, strings.TrimPrefix(base, "http://"), ct, len(body), strings.Join(cookie, "; "))
	if _, err := conn.Write(body[:10<<20]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the server spill what it has read
	conn.Close()
	clean("connection cut")
	if n := stored(); n != before {
		t.Errorf("cut upload stored: %d files, was %d", n, before)
	}
	_, peakFiles, peakTmp := stop()
	t.Logf("uploads: 3 MB image, 15 MB PDF, 4 × 15 MB PDF at once stored; 6 MB image 422; %d bytes 413; cut at 10 MB of 15 MB: nothing stored; temporary files during: at most %d (%d MiB), after each step: 0",
		admin.MaxUploadBody, peakFiles, peakTmp>>20)
}
