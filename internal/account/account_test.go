package account_test

import (
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"cchc/internal/account"
	"cchc/internal/auth"
	"cchc/internal/database"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

type env struct {
	db  *database.DB
	st  *store.Store
	acc *account.Service
	now time.Time
}

// newEnv is the account service over a migrated database in a temp dir.
func newEnv(t *testing.T) *env {
	t.Helper()
	db := testsupport.Database(t)
	e := &env{db: db, st: store.New(db), now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	e.acc = account.New(e.st, func() time.Time { return e.now })
	return e
}

var admin1 = account.Actor{Name: "quantri", ID: 1, Address: "192.0.2.9"}

func (e *env) add(t *testing.T, name string, role auth.Role) *store.User {
	t.Helper()
	u, err := e.acc.Add(t.Context(), account.Actor{Name: "cli"}, account.NewAccount{Name: name, Role: string(role), Password: "mật khẩu đủ dài"})
	if err != nil {
		t.Fatalf("add %s: %v", name, err)
	}
	return u
}

func (e *env) user(t *testing.T, name string) *store.User {
	t.Helper()
	u, err := e.st.UserByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// audit lists the audit log's rows, newest first.
func (e *env) audit(t *testing.T) []store.AuditEntry {
	t.Helper()
	rows, _, err := e.st.AuditEntries(t.Context(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// fields are the fields err's problems are on.
func fields(err error) []string {
	var es account.Errors
	if !errors.As(err, &es) {
		return nil
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Field)
	}
	return out
}

func TestAdd(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	// Every problem at once, nothing written.
	_, err := e.acc.Add(ctx, admin1, account.NewAccount{Name: "Nguyễn", DisplayName: "A\x07", Role: "root", Password: "ngắn"})
	if got := fields(err); !slices.Equal(got, []string{"name", "display_name", "role", "password"}) {
		t.Fatalf("problems on %v (%v)", got, err)
	}
	if len(e.audit(t)) != 0 {
		t.Fatal("a refused account was audited")
	}
	u, err := e.acc.Add(ctx, admin1, account.NewAccount{Name: " BienTap ", DisplayName: "  Nguye\u0302\u0303n   Văn An ", Role: "editor", Password: "mật khẩu đủ dài"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "bientap" || u.DisplayName != "Nguyễn Văn An" || u.Role != auth.Editor {
		t.Errorf("stored %+v", u)
	}
	if ok, _ := auth.VerifyPassword(e.user(t, "bientap").PasswordHash, "mật khẩu đủ dài"); !ok {
		t.Error("the password does not verify")
	}
	if a := e.audit(t); len(a) != 1 || a[0].Action != store.AuditUserAdd || a[0].Actor != "quantri" || a[0].Address != "192.0.2.9" ||
		a[0].Target != "user:bientap" || a[0].Detail != "vai trò: Biên tập viên" {
		t.Errorf("audit %+v", a)
	}
	_, err = e.acc.Add(ctx, admin1, account.NewAccount{Name: "bientap", Role: "viewer", Password: "mật khẩu khác hẳn"})
	var es account.Errors
	if !errors.As(err, &es) || es.ByField()["name"] != "Tên đăng nhập này đã có người dùng." {
		t.Errorf("taken name: %v", err)
	}
}

// TestLastAdmin: there is always an active admin — nobody demotes or
// disables the last one — and nobody disables their own account.
func TestLastAdmin(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	one, two := e.add(t, "quantri", auth.Admin), e.add(t, "quantri2", auth.Admin)
	me := account.Actor{Name: one.Name, ID: one.ID}
	if _, err := e.acc.SetDisabled(ctx, me, one, true); !slices.Equal(fields(err), []string{"disable"}) {
		t.Fatalf("self-disable: %v", err)
	}
	if changed, err := e.acc.SetDisabled(ctx, me, two, true); err != nil || !changed {
		t.Fatalf("disable the second admin: %v %v", changed, err)
	}
	if changed, err := e.acc.SetDisabled(ctx, me, e.user(t, "quantri2"), true); err != nil || changed {
		t.Fatalf("disable again: %v %v", changed, err)
	}
	// The disabled admin does not count: quantri is the last one.
	_, _, err := e.acc.Change(ctx, account.Actor{Name: "cli"}, one, "", "editor")
	var es account.Errors
	if !errors.As(err, &es) || es.ByField()["role"] != "Đây là quản trị viên cuối cùng đang hoạt động; hãy cấp quyền quản trị cho người khác trước." {
		t.Fatalf("demote the last admin: %v", err)
	}
	_, err = e.acc.SetDisabled(ctx, account.Actor{Name: "cli"}, one, true)
	if !errors.As(err, &es) || es.ByField()["disable"] != "Không thể khóa quản trị viên cuối cùng đang hoạt động." {
		t.Fatalf("disable the last admin: %v", err)
	}
	if u := e.user(t, "quantri"); u.Role != auth.Admin || !u.Active() {
		t.Fatalf("the last admin changed: %+v", u)
	}
	// With a second active admin, the first may become an editor.
	if _, err := e.acc.SetDisabled(ctx, me, e.user(t, "quantri2"), false); err != nil {
		t.Fatal(err)
	}
	now, changed, err := e.acc.Change(ctx, me, one, "Trần Thị Bình", "editor")
	if err != nil || !changed || now.Role != auth.Editor || now.DisplayName != "Trần Thị Bình" {
		t.Fatalf("change: %+v %v %v", now, changed, err)
	}
	if a := e.audit(t); a[0].Action != store.AuditUserChange || a[0].Detail != `vai trò: Quản trị viên → Biên tập viên; tên hiển thị: "" → "Trần Thị Bình"` {
		t.Errorf("audit %+v", a[0])
	}
	if _, changed, err := e.acc.Change(ctx, me, e.user(t, "quantri"), "Trần Thị Bình", "editor"); err != nil || changed {
		t.Errorf("a change of nothing: %v %v", changed, err)
	}
}

// TestSetPassword ends every session of the account but the one kept.
func TestSetPassword(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	u := e.add(t, "bientap", auth.Editor)
	for _, h := range []string{"a", "b", "c"} {
		err := e.st.Tx(ctx, func(tx *sql.Tx) error {
			return e.st.InsertSession(ctx, tx, &store.Session{TokenHash: h, UserID: u.ID, CSRF: h, Created: e.now, Seen: e.now})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := e.acc.SetPassword(ctx, admin1, u, "bientap", "b"); !slices.Equal(fields(err), []string{"password"}) {
		t.Fatalf("the name as password: %v", err)
	}
	if err := e.acc.SetPassword(ctx, admin1, u, "mật khẩu mới tinh", "b"); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.st.CountSessions(ctx, u.ID); n != 1 {
		t.Errorf("%d sessions left, want the kept one", n)
	}
	if ok, _ := auth.VerifyPassword(e.user(t, "bientap").PasswordHash, "mật khẩu mới tinh"); !ok {
		t.Error("the new password does not verify")
	}
}

// TestNoChangeWithoutAudit: each change commits with its audit row or not
// at all.
func TestNoChangeWithoutAudit(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	u := e.add(t, "bientap", auth.Editor)
	e.add(t, "quantri", auth.Admin)
	if _, err := e.db.Write.Exec(`CREATE TRIGGER test_audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`); err != nil {
		t.Fatal(err)
	}
	before := *e.user(t, "bientap")
	steps := map[string]func() error{
		"add": func() error {
			_, err := e.acc.Add(ctx, admin1, account.NewAccount{Name: "moi", Role: "viewer", Password: "mật khẩu đủ dài"})
			return err
		},
		"password": func() error { return e.acc.SetPassword(ctx, admin1, u, "mật khẩu mới tinh", "") },
		"change":   func() error { _, _, err := e.acc.Change(ctx, admin1, u, "Tên mới", "approver"); return err },
		"disable":  func() error { _, err := e.acc.SetDisabled(ctx, admin1, u, true); return err },
	}
	for name, step := range steps {
		if err := step(); err == nil {
			t.Errorf("%s without its audit row succeeded", name)
		}
	}
	if after := *e.user(t, "bientap"); after != before {
		t.Errorf("account changed without audit:\n%+v\n%+v", after, before)
	}
	if _, err := e.st.UserByName(ctx, "moi"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("account added without audit: %v", err)
	}
}
