// Package web builds the gin engine: middleware (recovery, logging, security
// headers) and the adapter that lets handlers return an error, which one
// place turns into the right status and page.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/store"
)

// HandlerFunc is a handler that returns an error instead of writing one.
type HandlerFunc func(c *gin.Context) error

// ErrorRenderer writes an error page with status and a message for people.
type ErrorRenderer func(c *gin.Context, status int, message string)

// Error is an error with the status and Vietnamese message to show.
type Error struct {
	Status  int
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// NotFound is the error for a page that does not exist.
func NotFound() error {
	return &Error{Status: http.StatusNotFound, Message: locale.T("error.not_found")}
}

// BadRequest is the error for a request that cannot be understood.
func BadRequest(msg string) error {
	return &Error{Status: http.StatusBadRequest, Message: msg}
}

// Engine returns a gin engine with the service's middleware. Nothing of gin's
// own debug output or default 404 text reaches a user. X-Forwarded-For and
// X-Real-IP are believed only from a peer inside trusted (--trusted-proxies);
// from anyone else they are ignored, so a client cannot pick the address
// the login rate limit counts and the audit log records.
func Engine(log *slog.Logger, render ErrorRenderer, trusted ...netip.Prefix) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	var proxies []string // nil: trust no proxy
	for _, p := range trusted {
		proxies = append(proxies, p.String())
	}
	if err := r.SetTrustedProxies(proxies); err != nil {
		// Prefixes printed by netip always parse; trust nobody if not.
		log.Error("trusted proxies", slog.Any("err", err))
		_ = r.SetTrustedProxies(nil)
	}
	r.RedirectTrailingSlash = true
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	// gin's own form parsing (c.PostForm, c.FormFile before admin.ParseForm
	// ran) keeps this much of a multipart body's files in memory, not 32 MiB.
	r.MaxMultipartMemory = 1 << 20
	r.Use(recovery(log, render), requestLog(log), securityHeaders)
	r.NoRoute(func(c *gin.Context) { render(c, http.StatusNotFound, locale.T("error.not_found")) })
	r.NoMethod(func(c *gin.Context) {
		render(c, http.StatusMethodNotAllowed, locale.T("error.method_not_allowed", c.Request.Method))
	})
	return r
}

// Wrap adapts h to gin: store.ErrNotFound becomes 404, *Error its own
// status, a full disk or a damaged database a logged 503 saying so (the
// request may succeed once an operator acted), anything else a logged 500
// that shows no internals.
func Wrap(log *slog.Logger, render ErrorRenderer, h HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := h(c)
		if err == nil {
			return
		}
		var we *Error
		switch {
		case errors.As(err, &we):
			if we.Status >= 500 {
				log.Error("request failed", slog.String("path", SentPath(c.Request)), slog.Any("err", err))
			}
			render(c, we.Status, we.Message)
		case errors.Is(err, store.ErrNotFound):
			render(c, http.StatusNotFound, locale.T("error.not_found"))
		case errors.Is(err, c.Request.Context().Err()) && c.Request.Context().Err() != nil:
			// The client went away; nobody is left to answer.
			c.Abort()
		case database.IsFull(err):
			log.Error("request failed: disk full", slog.String("path", SentPath(c.Request)), slog.Any("err", err))
			render(c, http.StatusServiceUnavailable, locale.T("error.disk_full"))
		case database.IsCorrupt(err):
			log.Error("request failed: database damaged", slog.String("path", SentPath(c.Request)), slog.Any("err", err))
			render(c, http.StatusServiceUnavailable, locale.T("error.damaged"))
		default:
			log.Error("request failed", slog.String("path", SentPath(c.Request)), slog.Any("err", err))
			render(c, http.StatusInternalServerError, locale.T("error.internal"))
		}
	}
}

func recovery(log *slog.Logger, render ErrorRenderer) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", slog.String("path", SentPath(c.Request)), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
				if !c.Writer.Written() {
					render(c, http.StatusInternalServerError, locale.T("error.internal"))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

func requestLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		ctx := c.Request.Context()
		if !log.Enabled(ctx, slog.LevelDebug) {
			// The attributes below cost a path, a duration and their
			// boxing on every answer, for a line that is not written.
			return
		}
		log.LogAttrs(ctx, slog.LevelDebug, "request",
			slog.String("method", c.Request.Method),
			slog.String("path", SentPath(c.Request)),
			slog.Int64("agency", agency.IDFrom(ctx)),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("took", time.Since(start)))
	}
}

// cspBase is the policy every page shares: nothing from elsewhere, no
// inline script or style.
const cspBase = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "

// ContentSecurityPolicy allows nothing from elsewhere and no inline script
// or style; public pages may be framed by the department's own site.
const ContentSecurityPolicy = cspBase + "frame-ancestors 'self'"

// PrivateContentSecurityPolicy is the policy of the workspace and the
// reports: the same, and never framed by anyone (clickjacking).
const PrivateContentSecurityPolicy = cspBase + "frame-ancestors 'none'"

// DenyFraming marks the response as never to be framed, not even by the
// column's own pages. The workspace's middleware calls it.
func DenyFraming(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", PrivateContentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
}

// securityHeaders sets the headers every answer carries. Public pages
// send no X-Frame-Options: their CSP's frame-ancestors 'self' says the
// same, and browsers that read frame-ancestors ignore X-Frame-Options;
// the 29 bytes pushed a typical page's answer past net/http's 4 KiB
// buffer, into two writes to the socket. The workspace keeps
// X-Frame-Options: DENY (DenyFraming).
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Next()
}

// HTML writes an HTML page body with status.
func HTML(c *gin.Context, status int, body []byte) {
	c.Data(status, "text/html; charset=utf-8", body)
}
