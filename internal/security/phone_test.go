//go:build browser

package security_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/browsertest"
	"cchc/internal/content"
)

// phoneTab is a tab at a phone's screen, 390×844 CSS pixels (issue 17.7).
func phoneTab(t *testing.T) (context.Context, string, *site) {
	t.Helper()
	s := newSite(t)
	base := browsertest.Server(t, s.h)
	tab := browsertest.Tab(t, browsertest.Browser(t))
	step, cancel := browsertest.Timeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	return tab, base, s
}

// phoneOpen opens path in tab and evaluates js there.
func phoneOpen[T any](t *testing.T, tab context.Context, url, js string) T {
	t.Helper()
	step, cancel := browsertest.Timeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	v, err := chromedp.Run(step, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("measure %s: %v", url, err)
	}
	return v
}

// TestPhoneFirstScreen: at 390×844 the page's title starts within the
// first 300 px — header, menu and breadcrumbs took ~370 px — and the
// breadcrumbs stay one line, not repeating a long title over three.
func TestPhoneFirstScreen(t *testing.T) {
	tab, base, _ := phoneTab(t)
	type geometry struct {
		H1Top, CrumbsHeight, HeaderHeight, Page, Viewport float64
		H1                                                string
	}
	const measure = `(() => {
		const h1 = document.querySelector('main h1'), nav = document.querySelector('.breadcrumbs');
		return {H1Top: h1.getBoundingClientRect().top, H1: h1.textContent,
			CrumbsHeight: nav ? nav.getBoundingClientRect().height : 0,
			HeaderHeight: document.querySelector('.site-header').getBoundingClientRect().height,
			Page: document.documentElement.scrollWidth, Viewport: document.documentElement.clientWidth};
	})()`
	for _, p := range []struct{ name, path string }{
		{"home", "/"},
		{"list", "/tin-tuc/"},
		{"article", "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022"},
		{"procedure", "/thu-tuc-hanh-chinh/dang-ky-hoat-dong-khcn"},
		{"document", "/van-ban/1256-qd-ubnd"},
		{"search", "/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch"},
	} {
		g := phoneOpen[geometry](t, tab, base+p.path, measure)
		t.Logf("%s at 390×844: header %.0f px, breadcrumbs %.0f px, h1 top %.0f px, page %.0f px wide", p.name, g.HeaderHeight, g.CrumbsHeight, g.H1Top, g.Page)
		if g.H1Top >= 300 {
			t.Errorf("%s: the title %q starts at %.0f px, past the first 300 px of the screen", p.name, g.H1, g.H1Top)
		}
		// One line of breadcrumbs is ~35 px at this size; two or more
		// lines repeat a long title the h1 shows just below.
		if g.CrumbsHeight > 45 {
			t.Errorf("%s: breadcrumbs %.0f px high, more than one line", p.name, g.CrumbsHeight)
		}
		if g.Page > g.Viewport+0.5 {
			t.Errorf("%s: page %.0f px wide in a %.0f px screen", p.name, g.Page, g.Viewport)
		}
	}
}

// TestPhoneFollowTable: on /theo-doi at 390 px every address in the feeds
// table carries its column's label (RSS, Atom, JSON Feed) where the cells
// stack, and lies inside the screen.
func TestPhoneFollowTable(t *testing.T) {
	tab, base, _ := phoneTab(t)
	type cells struct {
		Cells, Labelled, Outside int
		Missing                  []string
	}
	c := phoneOpen[cells](t, tab, base+"/theo-doi", `(() => {
		const heads = [...document.querySelectorAll('table.feeds thead th, table.facts thead th')].map(th => th.textContent.trim());
		const vw = document.documentElement.clientWidth;
		const r = {Cells: 0, Labelled: 0, Outside: 0, Missing: []};
		for (const tr of document.querySelectorAll('table.facts tbody tr')) {
			[...tr.children].forEach((cell, i) => {
				if (cell.tagName !== 'TD') return;
				r.Cells++;
				const box = cell.getBoundingClientRect();
				if (box.left < 0 || box.right > vw + 0.5) r.Outside++;
				// The label a reader sees beside the cell: its ::before
				// text, shown (not display:none) and equal to the column head.
				const before = getComputedStyle(cell, '::before');
				const text = before.content.replace(/^"|"$/g, '');
				if (before.display !== 'none' && text === heads[i]) r.Labelled++;
				else r.Missing.push(heads[i] + ' ≠ ' + before.content);
			});
		}
		return r;
	})()`)
	t.Logf("/theo-doi at 390 px: %d cells, %d labelled, %d outside the screen", c.Cells, c.Labelled, c.Outside)
	if c.Cells == 0 {
		t.Fatal("no cells in the feeds table")
	}
	if c.Labelled != c.Cells {
		t.Errorf("%d of %d cells without their column's label: %v", c.Cells-c.Labelled, c.Cells, c.Missing)
	}
	if c.Outside > 0 {
		t.Errorf("%d cells outside the screen", c.Outside)
	}
}

// TestPhoneSearchFilters: on a results page at 390 px the filters are
// reached before the results — a "Lọc kết quả" disclosure above the first
// result — and open to the same links the wide page's side column has.
func TestPhoneSearchFilters(t *testing.T) {
	tab, base, _ := phoneTab(t)
	type order struct {
		Summary             string
		SummaryTop, HitTop  float64
		Links, OpenLinks    int
		SummaryVisible, Has bool
	}
	o := phoneOpen[order](t, tab, base+"/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch", `(() => {
		const hit = document.querySelector('.search-results .entry');
		const d = [...document.querySelectorAll('details')].find(d => d.getBoundingClientRect().height > 0);
		if (!d || !hit) return {Has: false, HitTop: hit ? hit.getBoundingClientRect().top : 0};
		const s = d.querySelector('summary');
		d.open = true;
		const links = [...d.querySelectorAll('a')].filter(a => a.getBoundingClientRect().height > 0).length;
		d.open = false;
		return {Has: true, Summary: s.textContent.trim(), SummaryTop: s.getBoundingClientRect().top,
			HitTop: hit.getBoundingClientRect().top, SummaryVisible: s.getBoundingClientRect().height > 0,
			OpenLinks: links, Links: document.querySelectorAll('.facets .facet a').length};
	})()`)
	t.Logf("search at 390 px: %q at %.0f px, first result at %.0f px, %d filter links", o.Summary, o.SummaryTop, o.HitTop, o.OpenLinks)
	if !o.Has || !o.SummaryVisible {
		t.Fatalf("no visible disclosure of filters on the results page: %+v", o)
	}
	if o.Summary != "Lọc kết quả" || o.SummaryTop >= o.HitTop {
		t.Errorf("filters %q at %.0f px, not above the first result at %.0f px", o.Summary, o.SummaryTop, o.HitTop)
	}
	if o.OpenLinks == 0 || o.OpenLinks != o.Links {
		t.Errorf("the open disclosure shows %d filter links, the page has %d", o.OpenLinks, o.Links)
	}
}

// TestPhoneReportChart: at 390 px no text of the dashboard's chart lies
// over a bar (bounding boxes compared), and its labels stay readable
// (at least 9 px once the chart is scaled to the screen).
func TestPhoneReportChart(t *testing.T) {
	tab, base, _ := phoneTab(t)
	browserLogin(t, tab, base)
	type chart struct {
		Texts, Bars, Overlaps int
		Smallest, Width       float64
		Over                  []string
	}
	c := phoneOpen[chart](t, tab, base+"/bao-cao/?nam=2022", `(() => {
		const svg = document.querySelector('svg.bar-chart');
		const bars = [...svg.querySelectorAll('rect')].map(r => r.getBoundingClientRect()).filter(b => b.height > 0 && b.width > 0);
		const r = {Texts: 0, Bars: bars.length, Overlaps: 0, Smallest: 1e9, Width: svg.getBoundingClientRect().width, Over: []};
		for (const t of svg.querySelectorAll('text')) {
			const b = t.getBoundingClientRect();
			if (b.width === 0) continue;
			r.Texts++;
			r.Smallest = Math.min(r.Smallest, b.height);
			if (bars.some(x => b.left < x.right && x.left < b.right && b.top < x.bottom && x.top < b.bottom)) {
				r.Overlaps++;
				r.Over.push(t.textContent);
			}
		}
		return r;
	})()`)
	t.Logf("chart at 390 px: %.0f px wide, %d texts, %d bars, %d texts over bars, smallest text %.1f px high", c.Width, c.Texts, c.Bars, c.Overlaps, c.Smallest)
	if c.Texts == 0 || c.Bars == 0 {
		t.Fatalf("no texts or bars in the chart: %+v", c)
	}
	if c.Overlaps > 0 {
		t.Errorf("%d texts over bars: %q", c.Overlaps, c.Over)
	}
	if c.Smallest < 9 {
		t.Errorf("the smallest text is %.1f px high: unreadable on a phone", c.Smallest)
	}
}

// TestPreviewPhoneFrame: the workspace's phone view of a preview holds
// the public page in a 390 px frame that the browser does load (the frame
// may be framed by the column's own pages; the workspace stays unframed),
// and the page inside lays out at a phone's width: its compact header
// puts the title within the first 300 px (issue 17.5).
func TestPreviewPhoneFrame(t *testing.T) {
	s := newSite(t)
	base := browsertest.Server(t, s.h)
	tab := browsertest.Tab(t, browsertest.Browser(t))
	browserLogin(t, tab, base)
	it, err := s.env.Store.ItemBySlug(context.Background(), content.Article, "so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022")
	if err != nil {
		t.Fatal(err)
	}
	type frame struct {
		Width, H1Top float64
		H1, Viewport string
	}
	step, cancel := browsertest.Timeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Navigate(fmt.Sprintf("%s/quan-tri/tin-bai/%d/xem-truoc?kho=dien-thoai", base, it.ID))); err != nil {
		t.Fatal(err)
	}
	f, err := chromedp.Run(step, chromedp.Evaluate[frame](`new Promise(resolve => {
		const f = document.querySelector('iframe');
		const read = () => {
			const d = f.contentDocument, h1 = d && d.querySelector('main h1');
			if (!h1) { setTimeout(read, 50); return; }
			resolve({Width: f.getBoundingClientRect().width, H1: h1.textContent, H1Top: h1.getBoundingClientRect().top,
				Viewport: String(d.documentElement.clientWidth)});
		};
		read();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("the frame never showed the page: %v", err)
	}
	t.Logf("phone view: frame %.0f px wide, page %s px wide inside, h1 %q at %.0f px", f.Width, f.Viewport, f.H1, f.H1Top)
	if f.Width != 390 || f.H1 != it.Title || f.H1Top >= 300 {
		t.Errorf("phone view: %+v", f)
	}
}
