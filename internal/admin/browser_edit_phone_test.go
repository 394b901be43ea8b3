//go:build browser

package admin_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEditScreenOnPhone: at 390×844, on a procedure's long form,
// Lưu and the forward workflow steps are on screen when the page opens
// and halfway down the form, without scrolling past any other action
// (issue 17.3).
func TestBrowserEditScreenOnPhone(t *testing.T) {
	base, sctx := demoInBrowser(t, 60*time.Second)
	err := chromedp.Do(sctx,
		chromedp.EmulateViewport(390, 844),
		logIn(base, "approver"),
		chromedp.Navigate(base+"/quan-tri/thu-tuc/moi"),
		chromedp.WaitVisible(chromedp.ID("f-title")),
	)
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Save, FormTall bool
		Top, Height    float64
	}
	measure := func(scroll string) seen {
		t.Helper()
		v, err := chromedp.Run(sctx, chromedp.Evaluate[seen](`(() => {
			`+scroll+`
			const b = document.querySelector(".save-bar button[form]");
			const r = b.getBoundingClientRect();
			const vh = window.innerHeight;
			const form = document.getElementById("bieu-mau-muc").getBoundingClientRect();
			return {Save: r.top >= 0 && r.bottom <= vh, FormTall: form.height > 2 * vh, Top: r.top, Height: vh};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := measure("window.scrollTo(0, 0);")
	if !first.FormTall {
		t.Fatalf("the form is not longer than two screens: nothing to test")
	}
	if !first.Save {
		t.Errorf("Lưu is off screen when the page opens (top %v of %v)", first.Top, first.Height)
	}
	half := measure(`window.scrollTo(0, document.getElementById("bieu-mau-muc").offsetTop + 1200);`)
	t.Logf("at 390×844: Lưu's top at %v px when the page opens, %v px 1,200 px down the form", first.Top, half.Top)
	if !half.Save {
		t.Errorf("Lưu is off screen halfway down the form (top %v of %v)", half.Top, half.Height)
	}
	// The body comes right after the title, before the other fields.
	order, err := chromedp.Run(sctx, chromedp.Evaluate[bool](`(() => {
		const f = [...document.querySelectorAll("#bieu-mau-muc input, #bieu-mau-muc textarea, #bieu-mau-muc select")].filter(e => e.type !== "hidden");
		return f[0].id === "f-title" && f[1].id === "f-body";
	})()`))
	if err != nil || !order {
		t.Errorf("the form does not open with the title then the body (%v)", err)
	}
}
