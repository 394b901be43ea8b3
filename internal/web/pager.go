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
}

// URL is the address of page n.
func (p Pager) URL(n int) string {
	if n <= 1 {
		return p.Base
	}
	sep := "?"
	if strings.Contains(p.Base, "?") {
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
