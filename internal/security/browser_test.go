//go:build browser

package security_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
	"cchc/internal/testsupport"
)

// cspWatch is run in every document before its own scripts: it records
// each Content-Security-Policy violation the page reports.
const cspWatch = `window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`

// domReport is what a page's DOM holds that it must not.
type domReport struct {
	URL      string   `json:"url"`
	Scripts  int      `json:"scripts"`  // inline script elements (JSON-LD excluded)
	Handlers []string `json:"handlers"` // elements with on* attributes
	JSURLs   []string `json:"jsurls"`   // javascript: or vbscript: in href, src, action, formaction, xlink:href
	Embeds   int      `json:"embeds"`   // iframe, object, embed, base, meta refresh
	CSP      []string `json:"csp"`      // violations reported
}

const domCheck = `(() => {
  const r = {url: location.href, scripts: 0, handlers: [], jsurls: [], embeds: 0, csp: window.__csp || []};
  r.scripts = document.querySelectorAll('script:not([type="application/ld+json"]):not([src])').length
    + document.querySelectorAll('script[src]').length - document.querySelectorAll('script[src^="/"]').length;
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) r.handlers.push(el.outerHTML.slice(0, 160));
      if (/^(href|src|action|formaction|xlink:href|data)$/i.test(a.name) && /^\s*(javascript|vbscript):/i.test(a.value)) r.jsurls.push(el.outerHTML.slice(0, 160));
    }
  }
  r.embeds = document.querySelectorAll('iframe, object, embed, base, meta[http-equiv="refresh" i], frame, frameset').length;
  return r;
})()`

// newTab opens a tab that records dialogs and CSP violations.
func newTab(t *testing.T, browser context.Context) (context.Context, *browsertest.Dialogs) {
	t.Helper()
	tab := browsertest.Tab(t, browser)
	dialogs := browsertest.WatchDialogs(t, tab)
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch})
		return err
	}))
	if err != nil {
		t.Fatalf("install CSP watch: %v", err)
	}
	return tab, dialogs
}

// visit opens url in tab and returns the DOM report once it has loaded.
func visit(t *testing.T, tab context.Context, url string) domReport {
	t.Helper()
	step, cancel := browsertest.Timeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	r, err := chromedp.Run(step, chromedp.Evaluate[domReport](domCheck))
	if err != nil {
		t.Fatalf("inspect %s: %v", url, err)
	}
	return r
}

// browserLogin logs the admin in through the login form of tab.
func browserLogin(t *testing.T, tab context.Context, base string) {
	t.Helper()
	step, cancel := browsertest.Timeout(tab, 60*time.Second)
	defer cancel()
	err := chromedp.Do(step,
		chromedp.Navigate(base+"/quan-tri/dang-nhap"),
		chromedp.SetValue(chromedp.CSS("#name"), adminName),
		chromedp.SetValue(chromedp.CSS("#password"), testsupport.Password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitReady(chromedp.CSS(`form[action="/quan-tri/dang-xuat"]`)),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	loc, err := chromedp.Run(step, chromedp.Location())
	if err != nil || strings.Contains(loc, "dang-nhap") {
		t.Fatalf("still on the login page (%s): %v", loc, err)
	}
}
