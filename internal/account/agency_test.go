package account_test

import (
	"errors"
	"fmt"
	"testing"

	"cchc/internal/account"
	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestOtherAgencyAccounts: the service itself, asked directly, refuses an
// agency's admin every change to another agency's account as not found,
// an account added in another agency or with the province role as
// forbidden, and writes nothing (no account, no audit row); the command
// line (no agency) and the root agency's admin may do both.
func TestOtherAgencyAccounts(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	other, err := e.st.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp", ShortName: "STP", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: e.now, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	victim := e.add(t, "bientap", auth.Editor)
	e.add(t, "quantri", auth.Admin)
	stp := account.Actor{Name: "stp.quantri", ID: 99, AgencyID: other}
	state := func() string {
		return fmt.Sprint(testsupport.Count(t, e.db, `SELECT COUNT(*) FROM users`), testsupport.Count(t, e.db, `SELECT COUNT(*) FROM audit_log`),
			testsupport.Count(t, e.db, `SELECT COUNT(*) FROM users WHERE role = 'editor' AND disabled_at IS NULL AND display_name = ''`))
	}
	before := state()
	if _, _, err := e.acc.Change(ctx, stp, victim, "Bị sửa", "admin"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("change: %v", err)
	}
	if err := e.acc.SetPassword(ctx, stp, victim, "mật khẩu chiếm quyền", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("password: %v", err)
	}
	if _, err := e.acc.SetDisabled(ctx, stp, victim, true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("disable: %v", err)
	}
	if _, _, err := e.acc.SetUnit(ctx, stp, victim, "phong-hanh-chinh-tong-hop"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unit: %v", err)
	}
	for _, n := range []account.NewAccount{
		{Name: "leo", Role: "admin", Password: "mật khẩu đủ dài", Agency: "so-khcn"},
		{Name: "tinh", Role: "province", Password: "mật khẩu đủ dài"},
	} {
		if _, err := e.acc.Add(ctx, stp, n); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("add %s: %v", n.Name, err)
		}
	}
	if got := state(); got != before {
		t.Errorf("written: %s → %s", before, got)
	}
	// The command line, and the root agency's admin, may.
	u, err := e.acc.Add(ctx, account.Actor{Name: "cli"}, account.NewAccount{Name: "stp.quantri", Role: "admin", Password: "mật khẩu đủ dài", Agency: "so-tu-phap"})
	if err != nil || u.AgencyID != other {
		t.Fatalf("the command line adding agency 2's admin: %+v, %v", u, err)
	}
	if _, err := e.acc.Add(ctx, account.Actor{Name: "quantri", ID: 2, AgencyID: agency.Root}, account.NewAccount{Name: "tonghop", Role: "province", Password: "mật khẩu đủ dài"}); err != nil {
		t.Errorf("the root admin adding a province account: %v", err)
	}
	if _, _, err := e.acc.Change(ctx, account.Actor{Name: "quantri", ID: 2, AgencyID: agency.Root}, u, "Quản trị Tư pháp", "approver"); err != nil {
		t.Errorf("the root admin changing agency 2's account: %v", err)
	}
}
