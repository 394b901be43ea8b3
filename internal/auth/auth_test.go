package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestToken(t *testing.T) {
	tok, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if !ValidToken(tok) {
		t.Fatalf("ValidToken(%q) = false", tok)
	}
	if hash != HashToken(tok) || len(hash) != 64 || hash == tok {
		t.Fatalf("hash %q of token %q", hash, tok)
	}
	tok2, _, _ := NewToken()
	if tok == tok2 {
		t.Fatal("two tokens are equal")
	}
	for _, bad := range []string{"", "abc", tok + "A", tok[:len(tok)-1] + "*"} {
		if ValidToken(bad) {
			t.Errorf("ValidToken(%q) = true", bad)
		}
	}
	if EqualTokens("", "") || EqualTokens(tok, tok2) || !EqualTokens(tok, tok) {
		t.Error("EqualTokens is wrong")
	}
}

func TestSessionExpired(t *testing.T) {
	p := DefaultSessionPolicy
	login := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		seen, now time.Time
		want      bool
	}{
		{"fresh", login, login.Add(time.Minute), false},
		{"idle just under 8 h", login, login.Add(8*time.Hour - time.Second), false},
		{"idle 8 h", login, login.Add(8 * time.Hour), true},
		{"used yesterday evening", login.Add(30 * time.Hour), login.Add(37 * time.Hour), false},
		{"kept alive but older than 7 days", login.Add(7*24*time.Hour - time.Hour), login.Add(7 * 24 * time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Expired(login, tt.seen, tt.now); got != tt.want {
				t.Fatalf("Expired = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	perms := []Permission{SeeReports, UseWorkspace, WriteDrafts, Submit, Review, Publish, Schedule, Withdraw, Delete, Restore, ManageUsers, Settings, SeeAudit}
	want := map[Role][]Permission{
		Viewer:   {SeeReports},
		Editor:   {SeeReports, UseWorkspace, WriteDrafts, Submit},
		Approver: {SeeReports, UseWorkspace, WriteDrafts, Submit, Review, Publish, Schedule, Withdraw, Delete},
		Admin:    perms,
		"root":   nil,
		"":       nil,
	}
	for role, allowed := range want {
		for _, p := range perms {
			t.Run(fmt.Sprintf("%s/%s", role, p), func(t *testing.T) {
				exp := false
				for _, a := range allowed {
					exp = exp || a == p
				}
				if got := role.Can(p); got != exp {
					t.Fatalf("%q.Can(%q) = %v, want %v", role, p, got, exp)
				}
			})
		}
	}
	if Admin.Can("no-such-permission") {
		t.Error("admin holds an unknown permission")
	}
	if got := AtLeast(Approver); len(got) != 2 || got[0] != Approver || got[1] != Admin {
		t.Errorf("AtLeast(approver) = %v", got)
	}
	if AtLeast("root") != nil {
		t.Error("AtLeast of an unknown role is not empty")
	}
	for _, s := range []string{"viewer", "editor", "approver", "admin"} {
		if r, err := ParseRole(s); err != nil || string(r) != s || r.Label() == s {
			t.Errorf("ParseRole(%q) = %q, %v (label %q)", s, r, err, r.Label())
		}
	}
	for _, s := range []string{"", "Admin", "root", "editor "} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	t.Run("per account", func(t *testing.T) {
		l := NewLimiter(LimitConfig{})
		for i := range 5 {
			if w := l.Wait("bientap", fmt.Sprintf("10.0.0.%d", i), t0); w != 0 {
				t.Fatalf("attempt %d must wait %v", i+1, w)
			}
			l.Fail("bientap", fmt.Sprintf("10.0.0.%d", i), t0)
		}
		// From a new address too: the account is what is limited.
		if w := l.Wait("bientap", "10.9.9.9", t0); w != 5*time.Minute {
			t.Fatalf("after 5 failures wait = %v, want 5m", w)
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
			l.Fail(fmt.Sprintf("user%d", i), "192.0.2.7", t0)
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
		l.Fail("a", "x", t0)
		l.Fail("a", "x", t0)
		l.Succeed("a")
		if w := l.Wait("a", "y", t0); w != 0 {
			t.Fatalf("account still limited after success: %v", w)
		}
		if w := l.Wait("b", "x", t0); w == 0 {
			t.Fatal("address forgotten after another account's success")
		}
	})
	t.Run("sweep drops refilled buckets", func(t *testing.T) {
		l := NewLimiter(LimitConfig{})
		for i := range 100 {
			l.Fail(fmt.Sprintf("guess%d", i), fmt.Sprintf("198.51.100.%d", i), t0)
		}
		if l.Len() != 200 {
			t.Fatalf("Len = %d, want 200", l.Len())
		}
		l.Fail("late", "203.0.113.1", t0.Add(time.Hour))
		if l.Len() != 2 {
			t.Fatalf("after an hour Len = %d, want 2", l.Len())
		}
	})
}
