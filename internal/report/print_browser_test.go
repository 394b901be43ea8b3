//go:build browser

package report_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
)

// printed is a page printed to PDF by Chromium.
type printed struct {
	path  string        // the PDF file
	pages int           // its pages, as pdfinfo counts them
	size  int           // its bytes
	took  time.Duration // how long Chromium took to print it
}

var (
	pdfPages = regexp.MustCompile(`Pages:\s+(\d+)`)
	pdfA4    = regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)`)
)

// openPrint serves h, opens its print page path in Chromium and waits
// for the signature block, the end of the paper; the returned context
// gives the browser 60 s.
func openPrint(t *testing.T, h http.Handler, path string) context.Context {
	t.Helper()
	base := browsertest.Server(t, h)
	ctx, cancel := browsertest.Timeout(browsertest.Browser(t), 60*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(".doc-signature"))); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// printA4 prints the page open in ctx as a person does with Ctrl+P (the
// page's own @page rule decides the paper, margins and header), writes
// the PDF to name in a temporary folder and fails the test unless
// pdfinfo reads it as A4 pages.
func printA4(t *testing.T, ctx context.Context, name string) printed {
	t.Helper()
	start := time.Now()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
		yes := true
		p.PreferCSSPageSize = &yes
	}))
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pdfPages.FindSubmatch(info)
	if m == nil || !pdfA4.Match(info) {
		t.Fatalf("pdfinfo: not A4 pages\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	return printed{path: path, pages: pages, size: len(pdf), took: took}
}
