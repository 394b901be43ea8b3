package store_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestUserAgencyAndProvinceRole: an account keeps the agency it is added
// in (the root when none is said) and reads it back by name, id and
// session; the users table takes the province role (migration 0160
// widened its CHECK in place) and still refuses a role that is none, and
// the migrated database's foreign keys and integrity stand.
func TestUserAgencyAndProvinceRole(t *testing.T) {
	db := testsupport.Database(t)
	st := store.New(db)
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	other, err := st.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp", ShortName: "STP", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: now, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string, role auth.Role, ag int64) (*store.User, error) {
		u := &store.User{Name: name, Role: role, PasswordHash: "x", Created: now, Modified: now, PasswordChanged: now, AgencyID: ag}
		return u, st.Tx(ctx, func(tx *sql.Tx) error { return st.InsertUser(ctx, tx, u) })
	}
	if _, err := add("tonghop", auth.Province, 0); err != nil {
		t.Fatalf("a province account: %v", err)
	}
	if _, err := add("stp.bientap", auth.Editor, other); err != nil {
		t.Fatal(err)
	}
	if _, err := add("sep", auth.Role("boss"), 0); err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Errorf("a role that is none was stored: %v", err)
	}
	if _, err := add("ma", auth.Editor, 99); err == nil {
		t.Error("an account of an agency that does not exist was stored")
	}
	for name, want := range map[string]int64{"tonghop": agency.Root, "stp.bientap": other} {
		u, err := st.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if u.AgencyID != want {
			t.Errorf("%s: agency %d, want %d", name, u.AgencyID, want)
		}
		if got, err := st.UserAgency(ctx, nil, u.ID); err != nil || got != want {
			t.Errorf("%s: UserAgency %d, %v", name, got, err)
		}
		hash := strings.Repeat("a", 63) + string(rune('0'+want))
		if err := st.Tx(ctx, func(tx *sql.Tx) error {
			return st.InsertSession(ctx, tx, &store.Session{TokenHash: hash, UserID: u.ID, CSRF: "c", Created: now, Seen: now})
		}); err != nil {
			t.Fatal(err)
		}
		se, err := st.SessionByHash(ctx, hash)
		if err != nil || se.User.AgencyID != want {
			t.Errorf("%s: the session's account acts for %v (%v), want %d", name, se, err, want)
		}
	}
	if _, err := st.UserAgency(ctx, nil, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no account: %v", err)
	}
	if n := testsupport.Count(t, db, `SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("%d foreign key problems", n)
	}
	var ok string
	if err := db.Read.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity: %q %v", ok, err)
	}
}
