package web

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/locale"
)

// Pager is the state of a paginated list (?trang=N), public or admin.
type Pager struct {
	Page, Pages, Total int
	Base               string // URL without the page parameter
	// PathForm links page n of a Base without a query as Base/trang/N/,
	// the form a static mirror can hold (the public lists); otherwise,
	// and for a Base with a query, page n is ?trang=N.
	PathForm bool
	// Anchor, when set, is the fragment every page's URL ends with: the
	// list's heading, on a page where the list is not at the top.
	Anchor string
}

// URL is the address of page n.
func (p Pager) URL(n int) string {
	u := p.pageURL(n)
	if p.Anchor != "" {
		u += "#" + p.Anchor
	}
	return u
}

func (p Pager) pageURL(n int) string {
	if n <= 1 {
		return p.Base
	}
	if p.PathForm && !strings.Contains(p.Base, "?") {
		return PagePath(p.Base, n)
	}
	sep := "?"
	switch {
	case strings.HasSuffix(p.Base, "?"):
		sep = ""
	case strings.Contains(p.Base, "?"):
		sep = "&"
	}
	return p.Base + sep + "trang=" + strconv.Itoa(n)
}

// Prev is the previous page, 0 when none.
func (p Pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

// Next is the following page, 0 when none.
func (p Pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}

// windowRadius is how many pages either side of the current one the
// pager links to.
const windowRadius = 3

// Window lists the page numbers the pager links to, in order: the first,
// the last, and the current page ± 3, with 0 where pages are left out (a
// gap shown as "…"). A gap that would hide a single page shows that page
// instead. However many pages a list or a search has, the pager has at
// most 11 entries: a search matching most of a 100,000-item column once
// rendered one link per page, thousands of them, for every answer.
func (p Pager) Window() []int {
	if p.Pages <= 1 {
		return nil
	}
	cur := min(max(p.Page, 1), p.Pages)
	lo, hi := max(1, cur-windowRadius), min(p.Pages, cur+windowRadius)
	out := make([]int, 0, 2*windowRadius+5)
	switch {
	case lo == 2:
		out = append(out, 1)
	case lo == 3:
		out = append(out, 1, 2)
	case lo > 3:
		out = append(out, 1, 0)
	}
	for n := lo; n <= hi; n++ {
		out = append(out, n)
	}
	switch {
	case hi == p.Pages-1:
		out = append(out, p.Pages)
	case hi == p.Pages-2:
		out = append(out, p.Pages-1, p.Pages)
	case hi < p.Pages-2:
		out = append(out, 0, p.Pages)
	}
	return out
}

// PagePath is the path form of page n of the list at base:
// /tin-tuc/ → /tin-tuc/trang/2/, /chu-de/A → /chu-de/A/trang/2/.
func PagePath(base string, n int) string {
	return strings.TrimSuffix(base, "/") + "/trang/" + strconv.Itoa(n) + "/"
}

// NewPager builds the Pager of page out of total items, size a page.
func NewPager(page, total, size int, base string) Pager {
	return Pager{Page: page, Pages: max(1, (total+size-1)/size), Total: total, Base: base}
}

// PageNumber reads ?trang=N; a value that is not a positive number is a
// 400 with a Vietnamese message.
func PageNumber(c *gin.Context) (int, error) {
	v := c.Query("trang")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, BadRequest(locale.T("error.bad_page"))
	}
	return n, nil
}
