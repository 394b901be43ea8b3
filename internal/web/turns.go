package web

import (
	"runtime"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// Turns bounds how many requests of a costly kind are served at once: the
// public pages the page cache must make (PageCache.turn), the staff's
// reports (each measures a whole year of the publication log and draws
// it, a few hundred milliseconds of one core and 10–15 MiB at 10,000
// items), the workspace's renders of a body. A request past the bound
// waits for a turn as long as its client waits, holding only its
// goroutine; the requests that take no turn keep the cores they need.
type Turns struct {
	slots   chan struct{}
	waiting atomic.Int32
}

// CostlyAtOnce is how many turns NewTurns gives by default: one per core
// (at least 2), which keeps the cores busy with no more work in memory
// than they can do.
func CostlyAtOnce() int { return max(2, runtime.GOMAXPROCS(0)) }

// NewTurns returns n turns (CostlyAtOnce when n < 1).
func NewTurns(n int) *Turns {
	if n < 1 {
		n = CostlyAtOnce()
	}
	return &Turns{slots: make(chan struct{}, n)}
}

// Size is how many requests may be served at once.
func (t *Turns) Size() int { return cap(t.slots) }

// Busy is how many turns are taken now.
func (t *Turns) Busy() int { return len(t.slots) }

// Waiting is how many requests wait for a turn now.
func (t *Turns) Waiting() int { return int(t.waiting.Load()) }

// Take waits for a turn or for done to close (false). The turn is given
// back by calling the returned function once.
func (t *Turns) Take(done <-chan struct{}) (release func(), ok bool) {
	select {
	case t.slots <- struct{}{}:
		return t.release, true
	default:
	}
	t.waiting.Add(1)
	defer t.waiting.Add(-1)
	select {
	case t.slots <- struct{}{}:
		return t.release, true
	case <-done:
		return nil, false
	}
}

func (t *Turns) release() { <-t.slots }

// Guard is the middleware that serves each request in a turn. A request
// whose client leaves while it waits is dropped: nothing is made and
// nothing written.
func (t *Turns) Guard() gin.HandlerFunc {
	return func(c *gin.Context) {
		release, ok := t.Take(c.Request.Context().Done())
		if !ok {
			c.Abort()
			return
		}
		defer release()
		c.Next()
	}
}
