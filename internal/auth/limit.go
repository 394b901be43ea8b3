package auth

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// LimitConfig sets the login rate limits. Each key (an account name, a
// client address) may fail Burst times in a row; after that it earns one
// more try every Every. The InFlight fields bound how many attempts have
// their password checked at once.
type LimitConfig struct {
	AccountBurst int
	AccountEvery time.Duration
	AddressBurst int
	AddressEvery time.Duration

	// AccountInFlight, AddressInFlight and InFlight bound the attempts
	// being checked at once (an argon2id hash each, 19 MiB of memory):
	// for one account name, from one client address, and in all — so
	// that a flood of distinct names from many addresses cannot queue an
	// unbounded number of hashes either.
	AccountInFlight int
	AddressInFlight int
	InFlight        int
	// SlotWait is how long an attempt that holds a token waits for a free
	// slot before it is refused as busy (its token is given back: its
	// password was never checked).
	SlotWait time.Duration
}

// DefaultLimits: five wrong passwords for one account, then one try every
// five minutes (12 guesses an hour); twenty failures from one address,
// whatever the accounts, then one a minute. At most two attempts for one
// name, four from one address and eight in all are checked at once; the
// others wait up to three seconds for a turn (a check takes well under a
// second), then are refused.
var DefaultLimits = LimitConfig{
	AccountBurst: 5, AccountEvery: 5 * time.Minute, AddressBurst: 20, AddressEvery: time.Minute,
	AccountInFlight: 2, AddressInFlight: 4, InFlight: 8, SlotWait: 3 * time.Second,
}

// BusyWait is the wait a busy refusal asks for: the login page counts in
// minutes.
const BusyWait = time.Minute

// Throttled is the refusal of a login attempt: the caller must wait Wait
// before trying again. Address says the client address had no try left
// (else the account name had none); Busy says the refusal came from too
// many attempts being checked at once rather than from failures.
type Throttled struct {
	Wait    time.Duration
	Address bool
	Busy    bool
}

func (t *Throttled) Error() string {
	if t.Busy {
		return fmt.Sprintf("auth: too many login attempts at once, wait %v", t.Wait)
	}
	return fmt.Sprintf("auth: too many failed logins, wait %v", t.Wait)
}

// Limiter counts login attempts per account name and per client address
// with token buckets held in memory, and bounds how many are checked at
// once.
//
// An attempt takes its tokens before the password is checked (Begin), not
// after a failure: otherwise requests that arrive together all pass the
// check before any failure is counted, and a burst of 100 guesses is 100
// guesses. A failure keeps its tokens taken; a success gives the address
// its token back and forgets the account's failures (Attempt.Succeed).
//
// Why in memory: no write per attempt, nothing to migrate, and the clock
// is passed in so tests need no sleeping. The price is that a restart
// forgives past failures, which an attacker cannot trigger. The account
// name is counted whether or not the account exists, so the limiter never
// tells which names are real.
type Limiter struct {
	cfg LimitConfig

	mu        sync.Mutex
	accounts  map[string]*bucket
	addresses map[string]*bucket
	swept     time.Time

	// Attempts being checked now, and a channel closed (and replaced)
	// whenever one ends, for the attempts waiting for a turn.
	flyingAccounts  map[string]int
	flyingAddresses map[string]int
	flying          int
	ended           chan struct{}
}

// NewLimiter returns a Limiter; zero fields of cfg take DefaultLimits.
func NewLimiter(cfg LimitConfig) *Limiter {
	d := DefaultLimits
	setInt := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	setInt(&cfg.AccountBurst, d.AccountBurst)
	setDur(&cfg.AccountEvery, d.AccountEvery)
	setInt(&cfg.AddressBurst, d.AddressBurst)
	setDur(&cfg.AddressEvery, d.AddressEvery)
	setInt(&cfg.AccountInFlight, d.AccountInFlight)
	setInt(&cfg.AddressInFlight, d.AddressInFlight)
	setInt(&cfg.InFlight, d.InFlight)
	setDur(&cfg.SlotWait, d.SlotWait)
	return &Limiter{
		cfg: cfg, accounts: map[string]*bucket{}, addresses: map[string]*bucket{},
		flyingAccounts: map[string]int{}, flyingAddresses: map[string]int{}, ended: make(chan struct{}),
	}
}

// bucket is a token bucket: tokens at time at, refilling one every Every
// up to Burst. A missing bucket is a full one.
type bucket struct {
	tokens float64
	at     time.Time
}

// level is the number of tokens at now. A now earlier than the last
// change (requests take their time before they take the lock) refills
// nothing.
func (b *bucket) level(now time.Time, every time.Duration, burst int) float64 {
	t := b.tokens
	if d := now.Sub(b.at); d > 0 {
		t += float64(d) / float64(every)
	}
	return min(t, float64(burst))
}

// add changes the tokens by n at now.
func (b *bucket) add(now time.Time, every time.Duration, burst int, n float64) {
	b.tokens = min(b.level(now, every, burst)+n, float64(burst))
	if now.After(b.at) {
		b.at = now
	}
}

// wait is how long bucket b needs before it holds one token.
func wait(b *bucket, now time.Time, every time.Duration, burst int) time.Duration {
	if b == nil {
		return 0
	}
	tokens := b.level(now, every, burst)
	if tokens >= 1 {
		return 0
	}
	return time.Duration(math.Ceil((1 - tokens) * float64(every)))
}

// Wait returns how long account name from address addr must wait before
// trying again; 0 means it may try now.
func (l *Limiter) Wait(name, addr string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wait(name, addr, now)
}

func (l *Limiter) wait(name, addr string, now time.Time) time.Duration {
	return max(wait(l.accounts[name], now, l.cfg.AccountEvery, l.cfg.AccountBurst),
		wait(l.addresses[addr], now, l.cfg.AddressEvery, l.cfg.AddressBurst))
}

// take changes the tokens of name and of addr by n (-1 takes, +1 gives
// back).
func (l *Limiter) take(name, addr string, now time.Time, n float64) {
	adjust(l.accounts, name, now, l.cfg.AccountEvery, l.cfg.AccountBurst, n)
	adjust(l.addresses, addr, now, l.cfg.AddressEvery, l.cfg.AddressBurst, n)
}

// adjust changes the tokens of bucket m[key] by n.
func adjust(m map[string]*bucket, key string, now time.Time, every time.Duration, burst int, n float64) {
	b, ok := m[key]
	if !ok {
		if n > 0 {
			return // forgotten (a success, a sweep): already full
		}
		b = &bucket{tokens: float64(burst), at: now}
		m[key] = b
	}
	b.add(now, every, burst, n)
}

// room reports whether one more attempt for name from addr may be checked.
func (l *Limiter) room(name, addr string) bool {
	return l.flyingAccounts[name] < l.cfg.AccountInFlight && l.flyingAddresses[addr] < l.cfg.AddressInFlight &&
		l.flying < l.cfg.InFlight
}

// Begin starts a login attempt for account name from address addr at now:
// it takes a token from both buckets, then waits (at most SlotWait, or
// until ctx ends) for a turn to be checked. It returns a *Throttled error
// when a bucket is empty (the attempt is a failure counted in advance by
// those before it) or when no turn came (Busy). The caller checks the
// password, calls Succeed if it was right, and Done in every case.
func (l *Limiter) Begin(ctx context.Context, name, addr string, now time.Time) (*Attempt, error) {
	l.mu.Lock()
	l.sweep(now)
	if w := l.wait(name, addr, now); w > 0 {
		byAddr := wait(l.addresses[addr], now, l.cfg.AddressEvery, l.cfg.AddressBurst) > 0
		l.mu.Unlock()
		return nil, &Throttled{Wait: w, Address: byAddr}
	}
	l.take(name, addr, now, -1)
	var timeout <-chan time.Time
	for !l.room(name, addr) {
		if timeout == nil {
			t := time.NewTimer(l.cfg.SlotWait)
			defer t.Stop()
			timeout = t.C
		}
		ended := l.ended
		l.mu.Unlock()
		gaveUp := false
		select {
		case <-ended:
		case <-timeout:
			gaveUp = true
		case <-ctx.Done():
			gaveUp = true
		}
		l.mu.Lock()
		if gaveUp && !l.room(name, addr) {
			// The password was never checked: not a failure.
			l.take(name, addr, now, 1)
			l.mu.Unlock()
			return nil, &Throttled{Wait: BusyWait, Busy: true}
		}
	}
	l.flyingAccounts[name]++
	l.flyingAddresses[addr]++
	l.flying++
	l.mu.Unlock()
	return &Attempt{l: l, name: name, addr: addr, now: now}, nil
}

// Attempt is a login attempt that holds its tokens and a turn.
type Attempt struct {
	l          *Limiter
	name, addr string
	now        time.Time
	done       bool
}

// Succeed settles a right password: the account's failures are forgotten
// and the address gets its token back — a valid login is not a failure,
// and it must not reset the limit for guessing the other accounts either.
func (a *Attempt) Succeed() {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, a.name)
	adjust(l.addresses, a.addr, a.now, l.cfg.AddressEvery, l.cfg.AddressBurst, 1)
}

// Done ends the attempt's turn; an attempt not settled with Succeed stays
// counted as a failure. Calling it again does nothing.
func (a *Attempt) Done() {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if a.done {
		return
	}
	a.done = true
	for _, k := range []struct {
		m   map[string]int
		key string
	}{{l.flyingAccounts, a.name}, {l.flyingAddresses, a.addr}} {
		if k.m[k.key]--; k.m[k.key] <= 0 {
			delete(k.m, k.key)
		}
	}
	l.flying--
	close(l.ended)
	l.ended = make(chan struct{})
}

// sweep drops buckets that have refilled (a full bucket is the same as no
// bucket), at most once a minute, so the maps do not grow with every name
// an attacker tries.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for _, m := range []struct {
		m     map[string]*bucket
		every time.Duration
		burst int
	}{{l.accounts, l.cfg.AccountEvery, l.cfg.AccountBurst}, {l.addresses, l.cfg.AddressEvery, l.cfg.AddressBurst}} {
		for k, b := range m.m {
			if b.level(now, m.every, m.burst) >= float64(m.burst) {
				delete(m.m, k)
			}
		}
	}
}

// Len is the number of buckets held (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.accounts) + len(l.addresses)
}

// InFlight is the number of attempts being checked now.
func (l *Limiter) InFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flying
}
