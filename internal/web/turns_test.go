package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestTurnsGuard: 32 requests at once on a guarded route are served at
// most Size at a time, all of them; a request whose client leaves while
// it waits is dropped unserved, and its turn was never taken.
func TestTurnsGuard(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	turns := NewTurns(3)
	var running, peak, runs atomic.Int32
	e := gin.New()
	e.GET("/bao-cao", turns.Guard(), func(c *gin.Context) {
		runs.Add(1)
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		running.Add(-1)
		c.String(http.StatusOK, "báo cáo")
	})
	const n = 32
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bao-cao", nil))
			codes[i] = rec.Code
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d: %d", i, c)
		}
	}
	if p := int(peak.Load()); p > turns.Size() || p < 1 {
		t.Errorf("%d served at once, want 1 to %d", p, turns.Size())
	}
	if runs.Load() != n || turns.Busy() != 0 || turns.Waiting() != 0 {
		t.Errorf("%d served, %d turns still taken, %d waiting", runs.Load(), turns.Busy(), turns.Waiting())
	}

	// Every turn taken: a request waits, its client leaves, it is dropped.
	var held []func()
	for range turns.Size() {
		release, ok := turns.Take(nil)
		if !ok {
			t.Fatal("a free turn was not given")
		}
		held = append(held, release)
	}
	runs.Store(0)
	ctx, cancel := context.WithCancel(context.Background())
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bao-cao", nil).WithContext(ctx))
	}()
	for turns.Waiting() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if runs.Load() != 0 || rec.Body.Len() != 0 {
		t.Errorf("a request whose client had gone was served (%d runs, %d bytes)", runs.Load(), rec.Body.Len())
	}
	for _, release := range held {
		release()
	}
	if turns.Busy() != 0 || turns.Waiting() != 0 {
		t.Errorf("%d turns taken, %d waiting after all left", turns.Busy(), turns.Waiting())
	}
}
