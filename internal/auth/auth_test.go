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
	perms := []Permission{SeeReports, UseWorkspace, WriteDrafts, Submit, DeleteDraft, Review, Publish, Schedule, EditPublic, Withdraw, Delete, Restore, ManageUsers, Settings, SeeAudit, SendReport}
	want := map[Role][]Permission{
		Viewer:   {SeeReports},
		Editor:   {SeeReports, UseWorkspace, WriteDrafts, Submit, DeleteDraft},
		Approver: {SeeReports, UseWorkspace, WriteDrafts, Submit, DeleteDraft, Review, Publish, Schedule, EditPublic, Withdraw, Delete, SendReport},
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
