//go:build browser

package security_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"cchc/internal/browsertest"
	"cchc/internal/testsupport"
)

// focused describes the element that has the focus.
type focused struct {
	Tag     string `json:"tag"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Href    string `json:"href"`
	Text    string `json:"text"`
	Visible bool   `json:"visible"` // an outline or a box shadow shows it
}

func (f focused) String() string {
	return f.Tag + "#" + f.ID + "[name=" + f.Name + "][href=" + f.Href + "] " + f.Text
}

const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: 'body', visible: true};
  const cs = getComputedStyle(e);
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
  const shadow = !!cs.boxShadow && cs.boxShadow !== 'none';
  return {tag: e.tagName.toLowerCase(), id: e.id || '', name: e.getAttribute('name') || '', type: e.getAttribute('type') || '',
    href: e.getAttribute('href') || '', text: (e.textContent || e.value || '').trim().slice(0, 40), visible: outline || shadow};
})()`

// keyboard drives a tab with key events only and checks, after every
// key, that the focused element shows its focus.
type keyboard struct {
	t     *testing.T
	tab   context.Context
	steps int
}

func (k *keyboard) press(keys string, opts ...chromedp.KeyOption) focused {
	k.t.Helper()
	step, cancel := browsertest.Timeout(k.tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.KeyEvent(keys, opts...)); err != nil {
		k.t.Fatalf("key %q: %v", keys, err)
	}
	f, err := chromedp.Run(step, chromedp.Evaluate[focused](focusedJS))
	if err != nil {
		k.t.Fatalf("focused element: %v", err)
	}
	k.steps++
	if !f.Visible {
		k.t.Errorf("focus not visible on %s", f)
	}
	return f
}

// tabTo presses Tab until want holds for the focused element.
func (k *keyboard) tabTo(what string, want func(focused) bool) focused {
	k.t.Helper()
	var seen []string
	for range 80 {
		f := k.press(kb.Tab)
		if want(f) {
			return f
		}
		seen = append(seen, f.String())
	}
	k.t.Fatalf("Tab never reached %s; focus went through:\n%s", what, strings.Join(seen, "\n"))
	return focused{}
}

// waitPath waits until the tab's address matches re (after Enter submitted
// a form or followed a link).
func (k *keyboard) waitPath(re string) string {
	k.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		loc, err := chromedp.Run(k.tab, chromedp.Location())
		if err == nil && regexp.MustCompile(re).MatchString(loc) {
			ready, _ := chromedp.Run(k.tab, chromedp.Evaluate[string](`document.readyState`))
			if ready == "complete" {
				return loc
			}
		}
		if time.Now().After(deadline) {
			k.t.Fatalf("address %q never matched %s", loc, re)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestKeyboardEditor uses the workspace with the keyboard only: log in,
// reach the editor form, fill the title and body, go back with Shift+Tab,
// and save; at each step the focused element shows its focus.
func TestKeyboardEditor(t *testing.T) {
	s := newSite(t)
	base := browsertest.Server(t, s.h)
	browser := browsertest.Browser(t)
	tab := browsertest.Tab(t, browser)
	k := &keyboard{t: t, tab: tab}
	step, cancel := browsertest.Timeout(tab, 30*time.Second)
	if err := chromedp.Do(step, chromedp.Navigate(base+"/quan-tri/dang-nhap")); err != nil {
		t.Fatal(err)
	}
	cancel()
	// Start from the top of the page, as a keyboard user arriving does.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`)); err != nil {
		t.Fatal(err)
	}
	k.tabTo("the name field", func(f focused) bool { return f.ID == "name" })
	k.press(adminName)
	k.tabTo("the password field", func(f focused) bool { return f.ID == "password" })
	k.press(testsupport.Password)
	k.press(kb.Enter)
	k.waitPath(`/quan-tri/$`)

	// From the dashboard to the article list, then to its "new" button.
	f := k.tabTo("the articles menu entry or the new-article link", func(f focused) bool {
		return strings.HasSuffix(f.Href, "/quan-tri/tin-bai/moi") || strings.HasSuffix(f.Href, "/quan-tri/tin-bai/")
	})
	if strings.HasSuffix(f.Href, "/quan-tri/tin-bai/") {
		k.press(kb.Enter)
		k.waitPath(`/quan-tri/tin-bai/$`)
		k.tabTo("the new-article link", func(f focused) bool { return strings.HasSuffix(f.Href, "/quan-tri/tin-bai/moi") })
	}
	k.press(kb.Enter)
	k.waitPath(`/quan-tri/tin-bai/moi$`)

	k.tabTo("the title field", func(f focused) bool { return f.Name == "title" })
	k.press("Bài viết nhập bằng bàn phím")
	next := k.press(kb.Tab)
	back := k.press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	if back.Name != "title" {
		t.Errorf("Shift+Tab from %s went to %s, not back to the title", next, back)
	}
	k.tabTo("the body field", func(f focused) bool { return f.Name == "body" })
	k.press("Nội dung viết hoàn toàn bằng bàn phím, không dùng chuột.")
	k.tabTo("the save button", func(f focused) bool {
		return (f.Tag == "button" || f.Type == "submit") && strings.Contains(strings.ToLower(f.Text), "lưu")
	})
	k.press(kb.Enter)
	loc := k.waitPath(`/quan-tri/tin-bai/\d+$`)

	var n int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM items WHERE title = ?`, "Bài viết nhập bằng bàn phím").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the article typed at %s was saved %d times", loc, n)
	}
	t.Logf("keyboard only: %d key steps, focus visible at each", k.steps)
}
