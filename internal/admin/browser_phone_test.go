//go:build browser

package admin_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserListOnPhone: at 390×844 an editors' list is one card a row,
// and every row's actions lie inside the screen: reached without
// scrolling sideways (issue 17.4).
func TestBrowserListOnPhone(t *testing.T) {
	base, sctx := demoInBrowser(t, 30*time.Second)
	err := chromedp.Do(sctx,
		chromedp.EmulateViewport(390, 844),
		logIn(base, "approver"),
		chromedp.Navigate(base+"/quan-tri/tin-bai/"),
		chromedp.WaitVisible(chromedp.CSS("table.items")),
	)
	if err != nil {
		t.Fatal(err)
	}
	type geometry struct {
		Viewport, Page float64
		Rows, Outside  int
		Actions        int
	}
	g, err := chromedp.Run(sctx, chromedp.Evaluate[geometry](`(() => {
		const vw = document.documentElement.clientWidth;
		let outside = 0, actions = 0;
		const rows = document.querySelectorAll("table.items tbody tr");
		for (const a of document.querySelectorAll("table.items .row-actions a, table.items .row-actions button")) {
			actions++;
			const r = a.getBoundingClientRect();
			if (r.left < 0 || r.right > vw + 0.5) outside++;
		}
		return {Viewport: vw, Page: document.documentElement.scrollWidth, Rows: rows.length, Outside: outside, Actions: actions};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("at 390 px: %d rows, %d actions, page %v px wide in a %v px viewport", g.Rows, g.Actions, g.Page, g.Viewport)
	if g.Rows == 0 || g.Actions == 0 {
		t.Fatalf("no rows or no actions: %+v", g)
	}
	if g.Outside > 0 || g.Page > g.Viewport+0.5 {
		t.Errorf("%d of %d actions outside the screen, page %v px wide in %v px", g.Outside, g.Actions, g.Page, g.Viewport)
	}
}
