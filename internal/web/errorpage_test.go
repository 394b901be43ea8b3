package web_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"cchc/internal/locale"
	"cchc/internal/web"
)

// TestErrorPageHeading: each side keeps the titles its pages always had.
func TestErrorPageHeading(t *testing.T) {
	tests := []struct {
		status            int
		public, workspace string
	}{
		{http.StatusBadRequest, "Lỗi", "Lỗi"},
		{http.StatusForbidden, "Lỗi", "Không được phép"},
		{http.StatusNotFound, "Không tìm thấy trang", "Không tìm thấy"},
		{http.StatusMethodNotAllowed, "Lỗi", "Lỗi"},
		{http.StatusRequestEntityTooLarge, "Lỗi", "Lỗi"},
		{http.StatusUnsupportedMediaType, "Lỗi", "Lỗi"},
		{http.StatusInternalServerError, "Hệ thống gặp sự cố", "Hệ thống gặp sự cố"},
		{http.StatusServiceUnavailable, "Lỗi", "Tạm thời không thực hiện được"},
	}
	for _, tt := range tests {
		if got := (web.ErrorPage{Side: web.Public, Status: tt.status}).Heading(); got != tt.public {
			t.Errorf("public %d: %q, want %q", tt.status, got, tt.public)
		}
		if got := (web.ErrorPage{Side: web.Workspace, Status: tt.status}).Heading(); got != tt.workspace {
			t.Errorf("workspace %d: %q, want %q", tt.status, got, tt.workspace)
		}
	}
}

// TestErrorPageSend: the page drawn by its frame goes out with its status;
// a frame that fails gives the message as plain text and a logged error,
// never a 500 of its own; either way the chain stops.
func TestErrorPageSend(t *testing.T) {
	p := web.ErrorPage{Side: web.Workspace, Status: http.StatusForbidden, Message: "Bạn không có quyền."}
	tests := []struct {
		name     string
		frame    web.ErrorFrame
		ctype    string
		body     string
		logsFail bool
	}{
		{"drawn", func(c *gin.Context, p web.ErrorPage) ([]byte, error) {
			return []byte("<h1>" + p.Heading() + "</h1>"), nil
		}, "text/html; charset=utf-8", "<h1>Không được phép</h1>", false},
		{"frame fails", func(*gin.Context, web.ErrorPage) ([]byte, error) {
			return nil, errors.New("template broke")
		}, "text/plain; charset=utf-8", "Bạn không có quyền.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, "/quan-tri/x", nil)
			p.Send(c, log, tt.frame)
			if w.Code != http.StatusForbidden || w.Header().Get("Content-Type") != tt.ctype || w.Body.String() != tt.body {
				t.Errorf("got %d %q %q, want 403 %q %q", w.Code, w.Header().Get("Content-Type"), w.Body.String(), tt.ctype, tt.body)
			}
			if !c.IsAborted() {
				t.Error("the chain goes on after the error page")
			}
			if got := strings.Contains(logs.String(), "template broke"); got != tt.logsFail {
				t.Errorf("logged the failure: %v, want %v (%s)", got, tt.logsFail, logs.String())
			}
		})
	}
}

// TestErrorPageSendPlain: the answer given before routing is one line of
// text no cache keeps and no browser runs; HEAD gets the headers alone.
func TestErrorPageSendPlain(t *testing.T) {
	p := web.ErrorPage{Status: http.StatusMisdirectedRequest, Message: locale.T("error.misdirected")}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		w := httptest.NewRecorder()
		p.SendPlain(w, httptest.NewRequest(method, "/", nil))
		want := locale.T("error.misdirected") + "\n"
		if method == http.MethodHead {
			want = ""
		}
		h := w.Header()
		if w.Code != http.StatusMisdirectedRequest || w.Body.String() != want {
			t.Errorf("%s: %d %q, want 421 %q", method, w.Code, w.Body.String(), want)
		}
		if h.Get("Content-Type") != "text/plain; charset=utf-8" || h.Get("Cache-Control") != "no-store" ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "default-src 'none'" {
			t.Errorf("%s: headers %v", method, h)
		}
	}
}
