package testsupport

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/app"
)

// Serving is `cchc serve` running in the test's process (app.Run).
type Serving struct {
	// Addr is the address it listens on, 127.0.0.1:PORT.
	Addr string
	// Stdout and Stderr are what it wrote so far; its log is on Stderr.
	Stdout, Stderr *SyncBuffer
	cancel         context.CancelFunc
	done           chan int
	stopped        bool
	code           int
}

// servingLine is the log line serve writes once it listens.
var servingLine = regexp.MustCompile(`msg=serving addr=http://(127\.0\.0\.1:\d+)`)

// Serve runs `cchc serve --addr 127.0.0.1:0` followed by args (name at
// least --data and --content: a later --addr wins) and returns once it
// listens, having read the port it was given from its log. It fails the
// test when serve exits first or does not listen within two minutes (it
// imports the demo content and runs the database check first: seconds on
// a loaded machine). It is stopped at the end of the test.
func Serve(t testing.TB, args ...string) *Serving {
	t.Helper()
	s := Start(t, args...)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m := servingLine.FindStringSubmatch(s.Stderr.String()); m != nil {
			s.Addr = m[1]
			return s
		}
		select {
		case code := <-s.done:
			s.stopped, s.code = true, code
			t.Fatalf("serve exited with %d at start:\n%s", code, s.Stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not listen within 2 minutes:\n%s", s.Stderr.String())
		}
	}
}

// Start runs `cchc serve --addr 127.0.0.1:0` followed by args, as Serve
// does, and returns at once, for a test of what serve does before it
// listens (Addr is empty). It is stopped at the end of the test.
func Start(t testing.TB, args ...string) *Serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Serving{Stdout: &SyncBuffer{}, Stderr: &SyncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	argv := append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
	go func() {
		s.done <- app.Run(ctx, argv, func(string) string { return "" }, strings.NewReader(""), s.Stdout, s.Stderr)
	}()
	t.Cleanup(func() {
		if code := s.Stop(); code < 0 {
			t.Error("serve did not return within 30 s of being stopped")
		}
	})
	return s
}

// WaitLog waits until serve's log holds text, and fails the test when it
// does not within a minute or serve exits first.
func (s *Serving) WaitLog(t testing.TB, text string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(s.Stderr.String(), text) {
		select {
		case code := <-s.done:
			s.stopped, s.code = true, code
			t.Fatalf("serve exited with %d before its log said %q:\n%s", code, text, s.Stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in serve's log within a minute:\n%s", text, s.Stderr.String())
		}
	}
}

// URL is the address of path on the server.
func (s *Serving) URL(path string) string { return "http://" + s.Addr + path }

// Stop cancels serve's context, as SIGTERM does, and returns its exit
// status once it has returned; -1 when it did not within 30 s. Stopping
// again returns the same status.
func (s *Serving) Stop() int {
	if s.stopped {
		return s.code
	}
	s.cancel()
	select {
	case s.code = <-s.done:
	case <-time.After(30 * time.Second):
		s.code = -1
	}
	s.stopped = true
	return s.code
}

// FreeAddr is a loopback address whose port was free a moment ago, for a
// server that must be started on a known address (or again on the same).
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// SyncBuffer is a bytes.Buffer a server writes to while the test reads it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// AdminPassword is the first admin's password once OwnAdminPassword has
// set it.
const AdminPassword = "mật khẩu quản trị thử nghiệm"

// OwnAdminPassword gives the first admin of the data folder serve set up
// a password of the test's own (AdminPassword), with `cchc user passwd`,
// and returns it: the printed password opens only the page that asks for
// another one (issue 17.13). Run it before logging in.
func OwnAdminPassword(t testing.TB, data string) string {
	t.Helper()
	var out SyncBuffer
	argv := []string{"user", "passwd", app.InitialAdmin, "--password-stdin", "--data", data}
	if code := app.Run(context.Background(), argv, func(string) string { return "" }, strings.NewReader(AdminPassword+"\n"), &out, &out); code != 0 {
		t.Fatalf("cchc user passwd: exit %d\n%s", code, out.String())
	}
	return AdminPassword
}
