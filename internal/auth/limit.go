package auth

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LimitConfig sets the login rate limits. Each key (an account name, a
// client address) may fail Burst times in a row; after that it earns one
// more try every Every.
type LimitConfig struct {
	AccountBurst int
	AccountEvery time.Duration
	AddressBurst int
	AddressEvery time.Duration
}

// DefaultLimits: five wrong passwords for one account, then one try every
// five minutes (12 guesses an hour); twenty failures from one address,
// whatever the accounts, then one a minute.
var DefaultLimits = LimitConfig{AccountBurst: 5, AccountEvery: 5 * time.Minute, AddressBurst: 20, AddressEvery: time.Minute}

// Limiter counts failed logins per account name and per client address
// with token buckets (golang.org/x/time/rate) held in memory.
//
// Why in memory: no write per attempt, nothing to migrate, and the clock
// is passed in so tests need no sleeping. The price is that a restart
// forgives past failures, which an attacker cannot trigger. Only failures
// take tokens; the account name is counted whether or not the account
// exists, so the limiter never tells which names are real.
type Limiter struct {
	cfg LimitConfig

	mu        sync.Mutex
	accounts  map[string]*rate.Limiter
	addresses map[string]*rate.Limiter
	swept     time.Time
}

// NewLimiter returns a Limiter; zero fields of cfg take DefaultLimits.
func NewLimiter(cfg LimitConfig) *Limiter {
	d := DefaultLimits
	if cfg.AccountBurst <= 0 {
		cfg.AccountBurst = d.AccountBurst
	}
	if cfg.AccountEvery <= 0 {
		cfg.AccountEvery = d.AccountEvery
	}
	if cfg.AddressBurst <= 0 {
		cfg.AddressBurst = d.AddressBurst
	}
	if cfg.AddressEvery <= 0 {
		cfg.AddressEvery = d.AddressEvery
	}
	return &Limiter{cfg: cfg, accounts: map[string]*rate.Limiter{}, addresses: map[string]*rate.Limiter{}}
}

// wait is how long bucket lim needs before it holds one token.
func wait(lim *rate.Limiter, now time.Time, every time.Duration) time.Duration {
	if lim == nil {
		return 0
	}
	tokens := lim.TokensAt(now)
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
	return max(wait(l.accounts[name], now, l.cfg.AccountEvery), wait(l.addresses[addr], now, l.cfg.AddressEvery))
}

// Fail records a failed login for account name from address addr.
func (l *Limiter) Fail(name, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	take(l.accounts, name, now, l.cfg.AccountEvery, l.cfg.AccountBurst)
	take(l.addresses, addr, now, l.cfg.AddressEvery, l.cfg.AddressBurst)
}

func take(m map[string]*rate.Limiter, key string, now time.Time, every time.Duration, burst int) {
	lim, ok := m[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(every), burst)
		m[key] = lim
	}
	lim.AllowN(now, 1)
}

// Succeed forgets the failures of account name after a good login. The
// address keeps its count: one valid account must not reset the limit
// for guessing the others.
func (l *Limiter) Succeed(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, name)
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
		m     map[string]*rate.Limiter
		burst int
	}{{l.accounts, l.cfg.AccountBurst}, {l.addresses, l.cfg.AddressBurst}} {
		for k, lim := range m.m {
			if lim.TokensAt(now) >= float64(m.burst) {
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
