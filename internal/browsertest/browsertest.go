// Package browsertest runs tests in a real headless Chromium (Debian's
// chromium package) driven by chromedp, against servers on 127.0.0.1. A
// machine without Chromium fails the test with a message saying how to
// install it: a skipped browser test would be a test that never runs.
package browsertest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ExecPath finds Chromium: $CCHC_CHROMIUM, then chromium on the PATH, then
// /usr/bin/chromium.
func ExecPath() (string, bool) {
	if p := os.Getenv("CCHC_CHROMIUM"); p != "" {
		return p, true
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, true
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", true
	}
	return "", false
}

// Browser starts a headless Chromium for the test and returns the context
// of its first tab. Everything stops when the test ends. The flags keep
// Chromium off the network (this machine has none but loopback).
func Browser(t testing.TB) context.Context {
	t.Helper()
	path, ok := ExecPath()
	if !ok {
		t.Fatal("browsertest: Chromium not found; install Debian's chromium (apt-get install chromium) or set CCHC_CHROMIUM — .ci/run does this")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("window-size", "1280,900"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, with no deadline on this first run: a
	// deadline here would stop the whole browser when it passes.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start Chromium (%s): %v", path, err)
	}
	return ctx
}

// Tab opens a new tab in the browser of ctx.
func Tab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: new tab: %v", err)
	}
	return tab
}

// Server serves h on 127.0.0.1 for the test and returns its base URL.
func Server(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// Dialogs records every JavaScript dialog (alert, confirm, prompt) a page
// opens, and dismisses it so the page goes on. A page that runs injected
// script shows up here.
type Dialogs struct {
	mu   sync.Mutex
	msgs []string
}

// WatchDialogs starts recording the dialogs of the tab ctx.
func WatchDialogs(t testing.TB, ctx context.Context) *Dialogs {
	t.Helper()
	d := &Dialogs{}
	err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*page.EventJavascriptDialogOpening)
		if !ok {
			return
		}
		d.mu.Lock()
		d.msgs = append(d.msgs, string(e.Type)+": "+e.Message)
		d.mu.Unlock()
		go chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			return err
		}))
	})
	if err != nil {
		t.Fatalf("browsertest: watch dialogs: %v", err)
	}
	return d
}

// Seen returns the dialogs recorded so far.
func (d *Dialogs) Seen() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.msgs...)
}

// Timeout bounds one step of a browser test.
func Timeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}
