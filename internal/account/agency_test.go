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

// TestAgencyUnits: an account chooses among its own agency's units. The
// command line adding an account of the Sở Tư pháp with that agency's
// "van-phong-so" resolved the unit among the root's units (and refused
// it); a root unit is not one of the Sở Tư pháp's; a unit set later is
// resolved in the account's agency too.
func TestAgencyUnits(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	other, err := e.st.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp", ShortName: "STP", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: e.now, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Write.ExecContext(ctx, `INSERT INTO units (slug, name, agency_id) VALUES ('van-phong-so', 'Văn phòng Sở', ?), ('phong-hanh-chinh-tu-phap', 'Phòng Hành chính tư pháp', ?)`, other, other); err != nil {
		t.Fatal(err)
	}
	cli := account.Actor{Name: "cli"}
	u, err := e.acc.Add(ctx, cli, account.NewAccount{Name: "stp.bientap", Role: "editor", Password: "mật khẩu đủ dài", Agency: "so-tu-phap", Unit: "van-phong-so"})
	if err != nil {
		t.Fatalf("adding the Sở Tư pháp's editor in its Văn phòng Sở: %v", err)
	}
	if u.Unit != "Văn phòng Sở" || testsupport.Count(t, e.db, `SELECT COUNT(*) FROM users u JOIN units n ON n.id = u.unit_id WHERE u.name = 'stp.bientap' AND n.agency_id = ?`, other) != 1 {
		t.Errorf("the account's unit: %q", u.Unit)
	}
	if _, err := e.acc.Add(ctx, cli, account.NewAccount{Name: "stp.khac", Role: "editor", Password: "mật khẩu đủ dài", Agency: "so-tu-phap", Unit: "trung-tam-ung-dung"}); err == nil {
		t.Error("an account of the Sở Tư pháp took a unit of the root")
	} else if errs := (account.Errors{}); !errors.As(err, &errs) || errs[0].Field != "unit" {
		t.Errorf("a root unit for the Sở Tư pháp: %v, want a problem on the field unit", err)
	}
	got, changed, err := e.acc.SetUnit(ctx, account.Actor{Name: "quantri", ID: 2, AgencyID: agency.Root}, u, "phong-hanh-chinh-tu-phap")
	if err != nil || !changed || got.Unit != "Phòng Hành chính tư pháp" {
		t.Errorf("the root admin moving it to another unit of its agency: %+v, %v, %v", got, changed, err)
	}
}
