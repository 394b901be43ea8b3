package web_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"cchc/internal/web"
)

// TestRequestLogOnlyAtDebug: every answer is logged, with its path and
// status, when the log is at debug level, and nothing is written (nor
// built) at the usual info level.
func TestRequestLogOnlyAtDebug(t *testing.T) {
	for _, tt := range []struct {
		level slog.Level
		want  bool
	}{{slog.LevelDebug, true}, {slog.LevelInfo, false}} {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tt.level}))
		e := web.Engine(log, func(c *gin.Context, status int, msg string) { c.String(status, msg) })
		e.GET("/tin-tuc/bai", func(c *gin.Context) { c.String(http.StatusTeapot, "x") })
		w := httptest.NewRecorder()
		e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/tin-tuc/bai", nil))
		line := buf.String()
		if got := strings.Contains(line, "msg=request"); got != tt.want {
			t.Errorf("level %v: logged %q, want a request line %v", tt.level, line, tt.want)
		}
		if tt.want && (!strings.Contains(line, "path=/tin-tuc/bai") || !strings.Contains(line, "status=418")) {
			t.Errorf("request line %q lacks the path or the status", line)
		}
	}
}
