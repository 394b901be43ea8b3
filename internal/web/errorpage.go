package web

import (
	"io"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/locale"
)

// Side is where an error page is shown: it decides the frame the page is
// drawn in and the titles it gives each status.
type Side int

const (
	// Public is the column: the public theme's frame.
	Public Side = iota
	// Workspace is /quan-tri/ and /bao-cao/: the admin theme's frame.
	Workspace
)

// ErrorPage is an error as people see it, on either side: the one type
// behind the public site's error pages, the workspace's, the plain text
// sent when a page cannot be drawn, and the 421 given before routing.
// Themes' error templates receive it beside their side's layout, so
// {{.Status}} and {{.Message}} are its fields and {{.Title}} its Heading.
type ErrorPage struct {
	Side    Side
	Status  int
	Message string // what happened, in Vietnamese, for people
}

// Heading is the page's title: what its side calls the status.
func (p ErrorPage) Heading() string {
	switch p.Status {
	case http.StatusForbidden:
		if p.Side == Workspace {
			return locale.T("error.heading.forbidden")
		}
	case http.StatusNotFound:
		if p.Side == Workspace {
			return locale.T("error.heading.not_found_workspace")
		}
		return locale.T("error.heading.not_found")
	case http.StatusInternalServerError:
		return locale.T("error.heading.internal")
	case http.StatusServiceUnavailable:
		if p.Side == Workspace {
			return locale.T("error.heading.unavailable")
		}
	}
	return locale.T("error.heading.other")
}

// ErrorFrame draws an error page in one side's frame: its theme's "error"
// template with that side's layout.
type ErrorFrame func(c *gin.Context, p ErrorPage) ([]byte, error)

// Send draws p with frame, writes it with p's status and stops the chain.
// When the page cannot be drawn it logs why and sends the message as
// plain text: an error page must never itself fail.
func (p ErrorPage) Send(c *gin.Context, log *slog.Logger, frame ErrorFrame) {
	body, err := frame(c, p)
	if err != nil {
		log.Error("error page", slog.String("path", c.Request.URL.Path), slog.Any("err", err))
		c.Data(p.Status, "text/plain; charset=utf-8", []byte(p.Message))
	} else {
		if col := ColumnFrom(c.Request.Context()); p.Side == Public && !col.Root() {
			// Inside CachePages the page is rewritten with the others;
			// an error page before any route (NoRoute) is rewritten here.
			if _, buffered := c.Writer.(*bufferedWriter); !buffered {
				body = col.Rewrite(body)
			}
		}
		HTML(c, p.Status, body)
	}
	c.Abort()
}

// SendPlain writes p as a line of plain text that no cache keeps and no
// browser runs, for answers given before routing (where no theme or
// middleware applies); a HEAD request gets the headers alone.
func (p ErrorPage) SendPlain(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, p.Message+"\n")
	}
}
