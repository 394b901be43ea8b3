package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/web"
)

// countingListener counts the writes made to the connections it accepts.
type countingListener struct {
	net.Listener
	writes atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, l: l}, nil
}

type countingConn struct {
	net.Conn
	l *countingListener
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.l.writes.Add(1)
	return c.Conn.Write(b)
}

// gzipSizedBody returns an HTML body whose best gzip is size bytes, give
// or take a few: random letters compress little and evenly.
func gzipSizedBody(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	body := []byte("<!doctype html><title>x</title><p>")
	gz := func() int {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		return b.Len()
	}
	for gz() < size {
		for range 16 {
			body = append(body, byte('a'+r.IntN(26)))
		}
	}
	return body
}

// TestPageAnswerInOneWrite: a kept public page whose headers and gzipped
// body fit net/http's 4 KiB connection buffer leaves in one write to the
// socket, not two. The headers an article carries (security headers,
// validators, caching) are at most 610 bytes, so a body of 3,470 gzipped
// bytes fits; with the 128-bit hex ETag and X-Frame-Options they were 648
// bytes and it took two writes, as the harness's article did.
// A header added to every public page fails this test: it costs a write
// on every such answer.
func TestPageAnswerInOneWrite(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	e := web.Engine(slog.New(slog.DiscardHandler), func(c *gin.Context, status int, msg string) { c.String(status, msg) })
	pc := web.NewPageCache(1<<20, nil)
	body := gzipSizedBody(3470)
	e.Group("", web.CachePages(web.DefaultCachePolicy, pc)).GET("/tin-tuc/bai", func(c *gin.Context) {
		web.SetLastModified(c, time.Date(2025, 3, 18, 8, 0, 0, 0, time.UTC))
		web.HTML(c, http.StatusOK, body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(cl)
	defer srv.Close()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	get := func() (headerBytes, bodyBytes int) {
		t.Helper()
		fmt.Fprintf(conn, "GET /tin-tuc/bai HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n")
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, length := 0, 0
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			n += len(line)
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				fmt.Sscan(v, &length)
			}
			if line == "\r\n" {
				break
			}
		}
		if _, err := io.CopyN(io.Discard, rd, int64(length)); err != nil {
			t.Fatal(err)
		}
		return n, length
	}
	get() // the miss, which renders and keeps the page
	before := cl.writes.Load()
	h, b := get()
	writes := cl.writes.Load() - before
	t.Logf("answer: %d bytes of headers, %d of gzipped body, %d write(s)", h, b, writes)
	if h > 610 {
		t.Errorf("a public page's headers take %d bytes, more than 610", h)
	}
	if writes != 1 {
		t.Errorf("an answer of %d bytes (%d of headers) took %d writes to the socket", h+b, h, writes)
	}
}
