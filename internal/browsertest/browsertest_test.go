//go:build browser

package browsertest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
)

func TestBrowserSeesPageAndDialogs(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="vi"><title>Thử nghiệm</title><h1>Xin chào</h1><script>alert("bị chèn mã")</script>`)
	})
	base := browsertest.Server(t, mux)
	ctx := browsertest.Browser(t)
	dialogs := browsertest.WatchDialogs(t, ctx)
	step, cancel := browsertest.Timeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if h1 != "Xin chào" {
		t.Errorf("h1 = %q", h1)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(dialogs.Seen()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := dialogs.Seen(); len(got) != 1 || got[0] != "alert: bị chèn mã" {
		t.Errorf("dialogs = %v, want the alert recorded", got)
	}
}
