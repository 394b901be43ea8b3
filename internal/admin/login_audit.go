package admin

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// LoginAuditWindow is the window failed and refused logins are summed
// over: at most one summary row per key (below) per window.
const LoginAuditWindow = 10 * time.Minute

// LoginAuditKeys bounds the keys counted in one window; attempts beyond it
// are summed together in one row per action, so a flood of made-up names
// or addresses cannot write a row each.
const LoginAuditKeys = 256

// loginAuditSpread bounds the distinct names (or addresses) a summary
// counts behind one key.
const loginAuditSpread = 100

// LoginAudit records failed and refused logins in the audit log without a
// write per attempt. Every failed login used to be an audit row, and every
// refusal by the rate limit too, each a commit: an anonymous client could
// append rows as fast as it could send requests (4 clients for 10 s wrote
// 4,461 rows).
//
// Attempts are counted in memory over fixed windows of LoginAuditWindow,
// per key:
//   - a failure (its password was checked) per account name, address and
//     reason. The first of a window is written at once, so a mistyped
//     password shows on the audit page as it happens; the others of the
//     window make one summary row. Failures are few anyway: the rate limit
//     allows five per name and twenty per address before refusing.
//   - a refusal (nothing was checked) per address when the address had no
//     try left or too many attempts were being checked at once, per
//     account name when the name had none. Nothing is written at once (the
//     failures that led to it are there already); one summary row per key
//     per window says how many, from when to when, and for how many names
//     (or from how many addresses) — rotating names or addresses does not
//     multiply rows.
//
// Summaries are written by Run when their window has closed (serve checks
// every minute) and at shutdown. Past LoginAuditKeys keys in a window the
// rest is summed into one key per action. Counts held in memory are lost if
// the process is killed before its window is written (at most ten
// minutes' worth).
type LoginAudit struct {
	store  *store.Store
	now    func() time.Time
	log    *slog.Logger
	window time.Duration

	mu      sync.Mutex
	start   time.Time // of the current window
	tallies map[tallyKey]*tally
	pending []store.AuditEntry // summaries of closed windows, to write
}

// tallyKey is what one summary row is about. An empty name or address
// stands for any (the spread counts them); both empty is the overflow key.
type tallyKey struct {
	action     store.AuditAction
	name, addr string
	why        string
}

// tally is the count of a key in the current window.
type tally struct {
	written     bool // the first attempt has its own row
	n           int  // attempts not written yet
	first, last time.Time
	spread      map[string]struct{} // the names or addresses a key stands for, up to loginAuditSpread
}

// NewLoginAudit returns a LoginAudit writing to st with the clock now
// (nil: time.Now).
func NewLoginAudit(st *store.Store, now func() time.Time, log *slog.Logger) *LoginAudit {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &LoginAudit{store: st, now: now, log: log, window: LoginAuditWindow, tallies: map[tallyKey]*tally{}}
}

// Failed counts a failed login (unknown name, wrong password, disabled
// account) for name from addr at time at, for reason why; the first of its
// key in a window is written at once in ctx.
func (la *LoginAudit) Failed(ctx context.Context, name, addr, why string, at time.Time) {
	k, first := la.count(tallyKey{action: store.AuditLoginFailed, name: name, addr: addr, why: why}, "", at, true)
	if !first {
		return
	}
	e := store.AuditEntry{At: at, Actor: name, Action: store.AuditLoginFailed, Target: "user:" + name, Detail: why, Address: addr}
	if k.name == "" {
		e = store.AuditEntry{At: at, Action: store.AuditLoginFailed, Detail: locale.T(
			"admin.login_audit.first_of_many", why, name, int(la.window/time.Minute))}
	}
	if err := la.store.Audit(ctx, nil, e); err != nil {
		la.log.Error("audit", slog.String("action", string(e.Action)), slog.Any("err", err))
	}
}

// Refused counts a login for name from addr that the rate limit refused
// (th) at time at, to be written with the others of its key when the
// window closes.
func (la *LoginAudit) Refused(name, addr string, th *auth.Throttled, at time.Time) {
	k := tallyKey{action: store.AuditLoginThrottled, addr: addr, why: locale.T("admin.login_audit.address_spent")}
	spread := name
	switch {
	case th.Busy:
		k.why = locale.T("admin.login_audit.busy")
	case !th.Address:
		k = tallyKey{action: store.AuditLoginThrottled, name: name, why: locale.T("admin.login_audit.name_spent")}
		spread = addr
	}
	la.count(k, spread, at, false)
}

// count adds one attempt of key k at time at; spread is the name or
// address k stands for when it has none. It returns the key it was
// counted under (k, or the overflow key past LoginAuditKeys) and whether
// this is that key's first attempt in its window, to be written at once
// (only when immediate).
func (la *LoginAudit) count(k tallyKey, spread string, at time.Time, immediate bool) (tallyKey, bool) {
	la.mu.Lock()
	defer la.mu.Unlock()
	la.roll(at)
	t, ok := la.tallies[k]
	if !ok && len(la.tallies) >= LoginAuditKeys {
		k = tallyKey{action: k.action}
		t, ok = la.tallies[k]
	}
	if !ok {
		t = &tally{first: at, last: at, spread: map[string]struct{}{}}
		la.tallies[k] = t
		if immediate {
			t.written = true
			return k, true
		}
	}
	if t.n == 0 {
		t.first = at
	}
	t.n++
	if at.After(t.last) {
		t.last = at
	}
	if spread != "" && len(t.spread) < loginAuditSpread {
		t.spread[spread] = struct{}{}
	}
	return k, false
}

// roll closes the current window when at is past it, turning its tallies
// into pending summaries.
func (la *LoginAudit) roll(at time.Time) {
	start := at.Truncate(la.window)
	if la.start.IsZero() {
		la.start = start
	}
	if !start.After(la.start) {
		return // the current window (or, for a late request, an earlier one)
	}
	la.closeWindow()
	la.start = start
}

// closeWindow moves every tally into pending.
func (la *LoginAudit) closeWindow() {
	for k, t := range la.tallies {
		if t.n > 0 {
			la.pending = append(la.pending, la.summary(k, t))
		}
	}
	clear(la.tallies)
}

// summary is the audit row of the attempts of k not written yet.
func (la *LoginAudit) summary(k tallyKey, t *tally) store.AuditEntry {
	e := store.AuditEntry{At: t.last, Actor: k.name, Action: k.action, Address: k.addr}
	if k.name != "" {
		e.Target = "user:" + k.name
	}
	span := locale.T("admin.login_audit.span", clock(t.first), clock(t.last))
	if t.n == 1 {
		span = locale.T("admin.login_audit.at", clock(t.first))
	}
	more := ""
	if len(t.spread) >= loginAuditSpread {
		more = locale.T("admin.login_audit.more") + " "
	}
	spread := len(t.spread)
	switch {
	case k.name == "" && k.addr == "":
		e.Detail = locale.T("admin.login_audit.overflow", t.n, span, LoginAuditKeys, int(la.window/time.Minute))
	case k.action == store.AuditLoginFailed && t.written:
		e.Detail = locale.T("admin.login_audit.more_failures", k.why, t.n, span)
	case k.action == store.AuditLoginFailed:
		e.Detail = locale.T("admin.login_audit.failures", k.why, t.n, span)
	case k.name == "":
		e.Detail = locale.T("admin.login_audit.refused_names", k.why, t.n, span, more, spread)
		if spread == 1 {
			for name := range t.spread {
				e.Actor, e.Target = name, "user:"+name
			}
		}
	default:
		e.Detail = locale.T("admin.login_audit.refused_addresses", k.why, t.n, span, more, spread)
		if spread == 1 {
			for addr := range t.spread {
				e.Address = addr
			}
		}
	}
	return e
}

// clock formats t with seconds in Vietnam's time zone.
func clock(t time.Time) string { return t.In(vntext.Zone).Format("15:04:05 02/01/2006") }

// Flush writes the summaries of closed windows in one transaction; with
// all, the current window is closed first (at shutdown, and in tests).
// Summaries that could not be written are kept for the next Flush.
func (la *LoginAudit) Flush(ctx context.Context, all bool) error {
	la.mu.Lock()
	la.roll(la.now())
	if all {
		la.closeWindow()
	}
	rows := la.pending
	la.pending = nil
	la.mu.Unlock()
	if len(rows) == 0 {
		return nil
	}
	err := la.store.Tx(ctx, func(tx *sql.Tx) error {
		for _, e := range rows {
			if err := la.store.Audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		la.mu.Lock()
		la.pending = append(rows, la.pending...)
		la.mu.Unlock()
		return fmt.Errorf("login audit: %w", err)
	}
	return nil
}

// Run writes the summaries of closed windows every period until ctx ends,
// then everything still counted.
func (la *LoginAudit) Run(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// The database is still open: serve waits for Run before it
			// closes it.
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := la.Flush(fctx, true); err != nil {
				la.log.Error("login audit at shutdown", slog.Any("err", err))
			}
			return
		case <-t.C:
			if err := la.Flush(ctx, false); err != nil && ctx.Err() == nil {
				la.log.Error("login audit", slog.Any("err", err))
			}
		}
	}
}
