//go:build browser

package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
	"cchc/internal/testsupport"
)

// TestBrowserArticleToPublic is the editors' whole path in a real
// browser, without any script of ours: an editor writes an article with a
// table, previews it, saves and submits it; an approver opens it from the
// dashboard's waiting list and publishes it; the public list and page
// show it, table included.
func TestBrowserArticleToPublic(t *testing.T) {
	s := newServer(t)
	if _, err := s.env.Publish.Import(context.Background(), testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Server(t, s.h)
	ctx := browsertest.Browser(t)
	dialogs := browsertest.WatchDialogs(t, ctx)

	const title = "Thử nghiệm trình duyệt: bảng thành phần hồ sơ"
	const body = "Thành phần hồ sơ gồm:\n\n| Tên giấy tờ | Bản chính | Bản sao |\n|---|---|---|\n| Đơn đề nghị | 01 | 0 |\n| Giấy phép cũ | 0 | 01 |\n"

	// step runs actions with a bound, so a missing element fails the test
	// instead of hanging it.
	fail := func(name string, err error) {
		t.Helper()
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%s: %v\nat %s\n%s", name, err, loc, html)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := browsertest.Timeout(ctx, 15*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			fail(name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		sctx, cancel := browsertest.Timeout(ctx, 15*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			fail("read "+sel, err)
		}
		return strings.TrimSpace(v)
	}
	login := func(name string) {
		t.Helper()
		step("log in as "+name, logIn(base, name))
	}

	login("editor")
	step("open the new article form",
		chromedp.Navigate(base+"/quan-tri/tin-bai/moi"),
		chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SetValue(chromedp.ID("f-title"), title),
		chromedp.SetValue(chromedp.ID("f-summary"), "Bài thử nghiệm có bảng."),
		chromedp.Click(chromedp.ID("f-areas")),
		chromedp.SetValue(chromedp.ID("f-body"), body),
	)
	step("preview",
		chromedp.Click(chromedp.CSS(`button[formaction$="/xem-truoc"]`)),
		chromedp.WaitVisible(chromedp.CSS("#xem-truoc table")),
	)
	if got := text("#xem-truoc table tbody tr td"); got != "Đơn đề nghị" {
		t.Errorf("preview's first cell = %q", got)
	}
	typed, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("f-title")))
	if err != nil {
		fail("read the title", err)
	}
	if typed != title {
		t.Errorf("title after preview = %q", typed)
	}
	step("save",
		chromedp.Click(chromedp.CSS(`.form-buttons button:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/gui-duyet"] button`)),
	)
	if got := text(".flash"); !strings.Contains(got, "Đã lưu bản nháp") {
		t.Errorf("flash after save = %q", got)
	}
	step("submit for review",
		chromedp.Click(chromedp.CSS(`form[action$="/gui-duyet"] button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/gui-duyet"]`)),
	)
	if got := text(".badge"); got != "Chờ duyệt" {
		t.Errorf("status after submitting = %q", got)
	}
	step("log out",
		chromedp.Click(chromedp.CSS(`form[action="/quan-tri/dang-xuat"] button`)),
		chromedp.WaitVisible(chromedp.ID("name")),
	)

	login("approver")
	waiting := `section[aria-labelledby="cho-duyet"] td a`
	if got := text(waiting); got != title {
		t.Fatalf("first item waiting for review = %q", got)
	}
	step("open it from the dashboard and publish",
		chromedp.Click(chromedp.CSS(waiting)),
		chromedp.WaitVisible(chromedp.CSS("#xuat-ban button")),
		chromedp.Click(chromedp.CSS("#xuat-ban button")),
		chromedp.WaitNotPresent(chromedp.ID("xuat-ban")),
	)
	if got := text(".badge"); got != "Đã đăng tải" {
		t.Errorf("status after publishing = %q", got)
	}

	step("the public list", chromedp.Navigate(base+"/tin-tuc/"), chromedp.WaitVisible(chromedp.CSS("main")))
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main a")).map(a => a.textContent.trim())`))
	if err != nil {
		fail("read the list", err)
	}
	found := false
	for _, l := range links {
		found = found || l == title
	}
	if !found {
		t.Fatalf("the public list does not show the article: %q", links)
	}
	step("the public page",
		chromedp.Click(chromedp.Search(`//main//a[normalize-space(text())="`+title+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("article .prose table")),
	)
	if got := text("h1"); got != title {
		t.Errorf("public page title = %q", got)
	}
	if got := text("article .prose table tbody tr:last-child td"); got != "Giấy phép cũ" {
		t.Errorf("public table's last row starts with %q", got)
	}
	if d := dialogs.Seen(); len(d) > 0 {
		t.Errorf("pages opened dialogs: %v", d)
	}
}

// logIn signs the demo account name in at the server base.
func logIn(base, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/quan-tri/dang-nhap"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SetValue(chromedp.ID("name"), name),
		chromedp.SetValue(chromedp.ID("password"), testsupport.Password),
		chromedp.Click(chromedp.CSS(".login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".whoami")),
	)
}

// demoInBrowser serves the demo column on 127.0.0.1 and opens headless
// Chromium: the server's address and a browser context that ends after
// timeout (and with the test).
func demoInBrowser(t *testing.T, timeout time.Duration) (base string, ctx context.Context) {
	t.Helper()
	s := newServer(t)
	if _, err := s.env.Publish.Import(context.Background(), testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	base = browsertest.Server(t, s.h)
	ctx, cancel := browsertest.Timeout(browsertest.Browser(t), timeout)
	t.Cleanup(cancel)
	return base, ctx
}
