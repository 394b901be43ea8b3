package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// fail runs one failed attempt: Begin, then Done without Succeed.
func fail(t *testing.T, l *Limiter, name, addr string, now time.Time) {
	t.Helper()
	a, err := l.Begin(context.Background(), name, addr, now)
	if err != nil {
		t.Fatalf("Begin(%s, %s): %v", name, addr, err)
	}
	a.Done()
}

// throttled reports whether err is a refusal, and whether a busy one.
func throttled(err error) (refused, busy bool) {
	var th *Throttled
	if errors.As(err, &th) {
		return true, th.Busy
	}
	return false, false
}

func TestLimiter(t *testing.T) {
	t.Run("per account", func(t *testing.T) {
		l := NewLimiter(LimitConfig{})
		for i := range 5 {
			if w := l.Wait("bientap", fmt.Sprintf("10.0.0.%d", i), t0); w != 0 {
				t.Fatalf("attempt %d must wait %v", i+1, w)
			}
			fail(t, l, "bientap", fmt.Sprintf("10.0.0.%d", i), t0)
		}
		// From a new address too: the account is what is limited.
		if w := l.Wait("bientap", "10.9.9.9", t0); w != 5*time.Minute {
			t.Fatalf("after 5 failures wait = %v, want 5m", w)
		}
		_, err := l.Begin(t.Context(), "bientap", "10.9.9.9", t0)
		var th *Throttled
		if !errors.As(err, &th) || th.Busy || th.Wait != 5*time.Minute {
			t.Fatalf("Begin after 5 failures: %v, want a 5m refusal", err)
		}
		if w := l.Wait("khac", "10.9.9.9", t0); w != 0 {
			t.Fatalf("another account must wait %v", w)
		}
		if w := l.Wait("bientap", "10.9.9.9", t0.Add(3*time.Minute)); w != 2*time.Minute {
			t.Fatalf("3 minutes later wait = %v, want 2m", w)
		}
		if w := l.Wait("bientap", "10.9.9.9", t0.Add(5*time.Minute)); w != 0 {
			t.Fatalf("5 minutes later wait = %v, want 0", w)
		}
	})
	t.Run("per address", func(t *testing.T) {
		l := NewLimiter(LimitConfig{})
		for i := range 20 {
			fail(t, l, fmt.Sprintf("user%d", i), "192.0.2.7", t0)
		}
		if w := l.Wait("user-new", "192.0.2.7", t0); w != time.Minute {
			t.Fatalf("after 20 failures from one address wait = %v, want 1m", w)
		}
		if w := l.Wait("user-new", "192.0.2.8", t0); w != 0 {
			t.Fatalf("another address must wait %v", w)
		}
	})
	t.Run("success forgets the account, not the address", func(t *testing.T) {
		l := NewLimiter(LimitConfig{AccountBurst: 2, AddressBurst: 2})
		fail(t, l, "a", "x", t0)
		a, err := l.Begin(t.Context(), "a", "x", t0)
		if err != nil {
			t.Fatal(err)
		}
		a.Succeed()
		a.Done()
		if w := l.Wait("a", "y", t0); w != 0 {
			t.Fatalf("account still limited after success: %v", w)
		}
		fail(t, l, "b", "x", t0)
		if w := l.Wait("c", "x", t0); w == 0 {
			t.Fatal("address forgotten after another account's success")
		}
	})
	t.Run("successes cost an address nothing", func(t *testing.T) {
		// An office behind one NAT address logs in every morning.
		l := NewLimiter(LimitConfig{})
		for i := range 50 {
			a, err := l.Begin(t.Context(), fmt.Sprintf("canbo%d", i), "203.0.113.1", t0)
			if err != nil {
				t.Fatalf("login %d: %v", i+1, err)
			}
			a.Succeed()
			a.Done()
		}
	})
	t.Run("sweep drops refilled buckets", func(t *testing.T) {
		l := NewLimiter(LimitConfig{})
		for i := range 100 {
			fail(t, l, fmt.Sprintf("guess%d", i), fmt.Sprintf("198.51.100.%d", i), t0)
		}
		if l.Len() != 200 {
			t.Fatalf("Len = %d, want 200", l.Len())
		}
		fail(t, l, "late", "203.0.113.1", t0.Add(time.Hour))
		if l.Len() != 2 {
			t.Fatalf("after an hour Len = %d, want 2", l.Len())
		}
	})
}

// TestLimiterBurst: attempts that arrive together are counted before any
// of them is checked, so a burst for one name gets the account's five
// tries and no more, and a burst of names from one address gets the
// address's twenty.
func TestLimiterBurst(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		nameOf    func(i int) string
		addrOf    func(i int) string
		allowance int
	}{
		{"30 for one name", 30, func(int) string { return "bientap" }, func(i int) string { return fmt.Sprintf("10.0.%d.1", i) }, 5},
		{"100 for one name", 100, func(int) string { return "bientap" }, func(i int) string { return fmt.Sprintf("10.0.%d.1", i) }, 5},
		{"300 for one name", 300, func(int) string { return "bientap" }, func(i int) string { return fmt.Sprintf("10.%d.%d.1", i/200, i%200) }, 5},
		{"300 names from one address", 300, func(i int) string { return fmt.Sprintf("doan%d", i) }, func(int) string { return "192.0.2.9" }, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Turns are plentiful here: only the buckets are under test.
			l := NewLimiter(LimitConfig{AccountInFlight: 1000, AddressInFlight: 1000, InFlight: 1000})
			var mu sync.Mutex
			var held []*Attempt
			refused := 0
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range tt.n {
				wg.Go(func() {
					<-start
					a, err := l.Begin(context.Background(), tt.nameOf(i), tt.addrOf(i), t0)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						if r, busy := throttled(err); !r || busy {
							t.Errorf("attempt %d: %v, want a refusal for failures", i, err)
						}
						refused++
						return
					}
					held = append(held, a) // still being checked while the others arrive
				})
			}
			close(start)
			wg.Wait()
			for _, a := range held {
				a.Done()
			}
			if len(held) != tt.allowance || refused != tt.n-tt.allowance {
				t.Fatalf("%d attempts went ahead and %d were refused, want %d and %d", len(held), refused, tt.allowance, tt.n-tt.allowance)
			}
		})
	}
}

// TestLimiterTurns: at most AccountInFlight attempts for one name,
// AddressInFlight from one address and InFlight in all are checked at
// once; the next waits for a turn, and one that gets none in SlotWait is
// refused as busy and its token given back.
func TestLimiterTurns(t *testing.T) {
	t.Run("per account", func(t *testing.T) {
		l := NewLimiter(LimitConfig{AccountInFlight: 2, SlotWait: 50 * time.Millisecond})
		a1, err1 := l.Begin(t.Context(), "bientap", "10.0.0.1", t0)
		a2, err2 := l.Begin(t.Context(), "bientap", "10.0.0.2", t0)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		_, err := l.Begin(t.Context(), "bientap", "10.0.0.3", t0)
		if r, busy := throttled(err); !r || !busy {
			t.Fatalf("third attempt at once: %v, want busy", err)
		}
		// Two tokens taken, the busy one given back: three tries left.
		for i := range 3 {
			if w := l.Wait("bientap", "10.0.0.9", t0); w != 0 {
				t.Fatalf("try %d: wait %v", i, w)
			}
			a1.Done()
			a1, err = l.Begin(t.Context(), "bientap", "10.0.0.9", t0)
			if err != nil {
				t.Fatalf("try %d after a turn ended: %v", i, err)
			}
		}
		a1.Done()
		a2.Done()
		if w := l.Wait("bientap", "10.0.0.9", t0); w == 0 {
			t.Fatal("five failures and no wait")
		}
	})
	t.Run("a waiting attempt gets the next turn", func(t *testing.T) {
		l := NewLimiter(LimitConfig{AddressInFlight: 1, SlotWait: time.Minute})
		first, err := l.Begin(t.Context(), "a", "10.0.0.1", t0)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 1)
		go func() {
			a, err := l.Begin(context.Background(), "b", "10.0.0.1", t0)
			if err == nil {
				a.Done()
			}
			got <- err
		}()
		select {
		case err := <-got:
			t.Fatalf("second attempt did not wait: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		first.Done()
		if err := <-got; err != nil {
			t.Fatalf("second attempt after the turn ended: %v", err)
		}
	})
	t.Run("a gone client stops waiting", func(t *testing.T) {
		l := NewLimiter(LimitConfig{AccountInFlight: 1, SlotWait: time.Hour})
		held, err := l.Begin(t.Context(), "a", "10.0.0.1", t0)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Done()
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		if _, err := l.Begin(ctx, "a", "10.0.0.2", t0); err == nil {
			t.Fatal("Begin returned a turn while the only one is held")
		}
	})
	t.Run("in all, whatever the names and addresses", func(t *testing.T) {
		// A flood of distinct names from distinct addresses: every bucket
		// is full, only the global bound holds.
		l := NewLimiter(LimitConfig{InFlight: 3, SlotWait: 100 * time.Millisecond})
		var mu sync.Mutex
		var held []*Attempt
		busy, peak := 0, 0
		var wg sync.WaitGroup
		for i := range 300 {
			wg.Go(func() {
				a, err := l.Begin(context.Background(), fmt.Sprintf("ten%d", i), fmt.Sprintf("10.%d.%d.1", i/200, i%200), t0)
				mu.Lock()
				defer mu.Unlock()
				peak = max(peak, l.InFlight())
				if err != nil {
					if _, b := throttled(err); !b {
						t.Errorf("attempt %d: %v, want busy", i, err)
					}
					busy++
					return
				}
				held = append(held, a)
			})
		}
		wg.Wait()
		if len(held) != 3 || busy != 297 || peak > 3 {
			t.Fatalf("%d checked at once, %d busy, peak %d; want 3, 297, ≤ 3", len(held), busy, peak)
		}
		for _, a := range held {
			a.Done()
			a.Done() // twice is harmless
		}
		if n := l.InFlight(); n != 0 {
			t.Fatalf("InFlight = %d after every attempt ended", n)
		}
	})
}
