package reliability_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// TestShutdown sends SIGTERM to the real server while requests are in
// flight — an editor's save and an upload whose bodies are still arriving
// — and while a steady stream of page requests comes in.
// New connections must be refused soon after the signal while the
// in-flight requests are still open; those then complete with success
// (the save is stored), the process exits with status 0, and the database
// is closed cleanly: no WAL left with frames in it, integrity_check ok,
// the publication log verifies.
func TestShutdown(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, data, testsupport.FreeAddr(t))
	base := "http://" + srv.addr
	ed := newEditor(base)
	if err := ed.login("admin", adminPassword(t, data)); err != nil {
		t.Fatal(err)
	}
	id, st, err := ed.createArticle("Bài sửa trong lúc tắt máy chủ", "Bản đầu.\n")
	if err != nil || st != http.StatusSeeOther {
		t.Fatalf("create: %d %v", st, err)
	}

	// The stream: one page request every 25 ms, each on a new connection.
	type result struct {
		at     time.Time
		status int
		err    error
	}
	var (
		mu      sync.Mutex
		results []result
		sigAt   time.Time
	)
	stopStream := make(chan struct{})
	var stream sync.WaitGroup
	stream.Go(func() {
		c := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		for {
			select {
			case <-stopStream:
				return
			case <-time.After(25 * time.Millisecond):
			}
			at := time.Now()
			res, err := c.Get(base + "/tin-tuc/")
			r := result{at: at, err: err}
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				r.status = res.StatusCode
			}
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		}
	})

	// The in-flight requests, headers and half their body now, the rest
	// after the signal: an editor's save, and an upload.
	newTitle := "Bài đã sửa trong lúc tắt máy chủ"
	form := articleForm(newTitle, "Bản sửa gửi chậm.\n", 1)
	form.Set("csrf", ed.csrf)
	saveBody := []byte(form.Encode())
	image := testsupport.PNG(4242)
	upBody, upType := testsupport.UploadBody(ed.csrf, "Ảnh thử nghiệm anh-gui-cham.png", "anh-gui-cham.png", image)
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range ed.c.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	slowPost := func(path, contentType string, body []byte) net.Conn {
		c := dial(t, srv.addr)
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\nAccept: text/html\r\n\r\n",
			path, srv.addr, contentType, len(body), strings.Join(cookies, "; "))
		c.Write(body[:len(body)/2])
		return c
	}
	save := slowPost(fmt.Sprintf("/quan-tri/tin-bai/%d", id), "application/x-www-form-urlencoded", saveBody)
	up := slowPost("/quan-tri/tep", upType, upBody)

	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	sigAt = time.Now()
	mu.Unlock()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused while the two requests are still open.
	refused := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", srv.addr, time.Second)
		if err != nil {
			// A connection that reached the backlog as the listener
			// closed is reset rather than refused: not accepted either way.
			if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("dial after SIGTERM: %v (want connection refused)", err)
			}
			refused = true
			break
		}
		c.Close()
	}
	if !refused {
		t.Fatal("new connections still accepted 10 s after SIGTERM")
	}
	refusedAfter := time.Since(sigAt)
	close(stopStream)
	stream.Wait()

	// Now the in-flight requests finish.
	save.Write(saveBody[len(saveBody)/2:])
	up.Write(upBody[len(upBody)/2:])
	if res := readResponse(t, srv, save); res.StatusCode != http.StatusSeeOther {
		t.Errorf("in-flight save: status %d, want 303", res.StatusCode)
	}
	if res := readResponse(t, srv, up); res.StatusCode != http.StatusSeeOther {
		t.Errorf("in-flight upload: status %d, want 303", res.StatusCode)
	}
	code := srv.wait(30 * time.Second)
	if code != 0 {
		t.Fatalf("exit status %d after SIGTERM, want 0\n%s", code, srv.stderr.String())
	}

	// The stream: everything sent before the signal succeeded; after it,
	// requests were answered or refused, never cut off with a bad status.
	before, after, refusedN := 0, 0, 0
	for _, r := range results {
		switch {
		case r.err == nil && r.status != http.StatusOK:
			t.Errorf("stream request at %v: status %d", r.at.Sub(sigAt), r.status)
		case r.err != nil && r.at.Before(sigAt.Add(-50*time.Millisecond)):
			t.Errorf("stream request sent %v before SIGTERM failed: %v", sigAt.Sub(r.at), r.err)
		case r.err != nil:
			refusedN++
		case r.at.Before(sigAt):
			before++
		default:
			after++
		}
	}

	// Closed cleanly: the WAL was checkpointed into the database.
	wal := filepath.Join(data, "cchc.db-wal")
	if info, err := os.Stat(wal); err == nil && info.Size() > 0 {
		t.Errorf("%s left with %d bytes after a clean shutdown", wal, info.Size())
	}
	db := testsupport.FileDB(t, filepath.Join(data, database.FileName), true)
	defer db.Close()
	if err := integrity(t.Context(), db); err != nil {
		t.Error(err)
	}
	var title string
	var version int
	if err := db.QueryRow(`SELECT title, version FROM items WHERE id = ?`, id).Scan(&title, &version); err != nil {
		t.Fatal(err)
	}
	if title != newTitle || version != 2 {
		t.Errorf("the save in flight at SIGTERM: item is %q version %d, want %q version 2", title, version, newTitle)
	}
	sum := sha256.Sum256(image)
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM media WHERE name = ?`, hex.EncodeToString(sum[:])+".png").Scan(&n); err != nil || n != 1 {
		t.Errorf("the upload in flight at SIGTERM is not in the library: %d rows, %v", n, err)
	}
	if bad := checkHalfDone(t.Context(), db); len(bad) > 0 {
		t.Errorf("half-done changes: %v", bad)
	}
	if code, out := logVerify(t, data); code != 0 {
		t.Errorf("cchc log verify: exit %d\n%s", code, out)
	}
	t.Logf("new connections refused %v after SIGTERM; in-flight save and upload (303) completed after that; exit 0; stream: %d ok before the signal, %d ok after, %d refused; WAL empty, integrity ok",
		refusedAfter.Round(time.Millisecond), before, after, refusedN)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readResponse(t *testing.T, srv *server, c net.Conn) *http.Response {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("in-flight request: %v\n%s", err, srv.stderr.String())
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}
