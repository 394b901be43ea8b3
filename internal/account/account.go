// Package account holds the rules of the workspace's accounts — adding
// one, setting its password, changing its role or display name, disabling
// it, and keeping at least one active admin — for the command line (cchc
// user) and the admin's Người dùng screens alike: both call this service,
// so the rules and their Vietnamese messages are the same wherever an
// account is changed. Every change is written with its audit row in one
// transaction.
//
// What an account may do once it exists (roles and permissions), and how
// passwords are hashed, is package auth's; the rows are the store's.
package account

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// MaxDisplayNameLen bounds a display name, in characters.
const MaxDisplayNameLen = 100

// Error is a problem with one field of an account change, in Vietnamese.
// Field is the form field it belongs to: name, display_name, role,
// password, password2 or disable.
type Error struct {
	Field string
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Errors are the problems of one change; nothing was written.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, " ")
}

// ByField is es by field, one message each (the first).
func (es Errors) ByField() map[string]string {
	m := map[string]string{}
	for _, e := range es {
		if _, ok := m[e.Field]; !ok {
			m[e.Field] = e.Msg
		}
	}
	return m
}

// orNil is es as an error, nil when empty.
func (es Errors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Name reads a typed account name: trimmed, lower case, checked
// (auth.CheckName).
func Name(s string) (string, error) {
	name := auth.NormalizeName(s)
	if err := auth.CheckName(name); err != nil {
		return "", &Error{Field: "name", Msg: locale.Text(err)}
	}
	return name, nil
}

// DisplayName reads a typed display name: single spaces, NFC, no invalid
// UTF-8, no control character (vntext.ControlAt, the rule of every
// input), at most MaxDisplayNameLen characters.
func DisplayName(s string) (string, error) {
	s = vntext.NFC(strings.Join(strings.Fields(s), " "))
	msg := ""
	switch {
	case !utf8.ValidString(s):
		msg = locale.T("account.display_name.invalid")
	case vntext.ControlAt(s) >= 0:
		msg = locale.T("account.display_name.control")
	case utf8.RuneCountInString(s) > MaxDisplayNameLen:
		msg = locale.T("account.display_name.long", MaxDisplayNameLen)
	}
	if msg != "" {
		return "", &Error{Field: "display_name", Msg: msg}
	}
	return s, nil
}

// Role reads a role name (auth.ParseRole).
func Role(s string) (auth.Role, error) {
	r, err := auth.ParseRole(s)
	if err != nil {
		return "", &Error{Field: "role", Msg: locale.T("role.bad")}
	}
	return r, nil
}

// Password checks a new password for the account called name
// (auth.CheckPassword).
func Password(name, pw string) error {
	if err := auth.CheckPassword(name, pw); err != nil {
		return &Error{Field: "password", Msg: locale.Text(err)}
	}
	return nil
}

// Confirm checks that a password typed twice was typed the same.
func Confirm(pw, again string) error {
	if pw != again {
		return &Error{Field: "password2", Msg: locale.T("account.password.differ")}
	}
	return nil
}

// Actor is who changes an account: an account name, or "cli" and "serve"
// for the command line and the first start.
type Actor struct {
	Name    string
	ID      int64  // the account's id; 0 when not an account
	Address string // the client's address; "" from the command line
	// AgencyID is the agency the acting account belongs to (issue 20):
	// an admin of the root agency, and the command line (0), manage the
	// accounts of every agency; an admin of another agency those of its
	// own only, and may not make anyone the province role.
	AgencyID int64
}

// ErrForbidden refuses a change the actor's agency does not allow: an
// account added in another agency, or given the province role, by an
// admin of an agency that is not the root. Nothing is written.
var ErrForbidden = errors.New("account: not the actor's agency to manage")

// everyAgency reports whether who manages the accounts of every agency.
func (who Actor) everyAgency() bool { return who.AgencyID == 0 || who.AgencyID == agency.Root }

// manages refuses, inside tx, a change by who to account u of another
// agency than who's own, as if u did not exist (store.ErrNotFound): an
// agency's admin learns nothing of another's accounts. The agency is read
// from the row, not from u, so a stale copy cannot slip past.
func (s *Service) manages(ctx context.Context, tx *sql.Tx, who Actor, u *store.User) error {
	if who.everyAgency() {
		return nil
	}
	owner, err := s.store.UserAgency(ctx, tx, u.ID)
	if err != nil {
		return err
	}
	if owner != who.AgencyID {
		return fmt.Errorf("account: user %d belongs to agency %d: %w", u.ID, owner, store.ErrNotFound)
	}
	return nil
}

// Manages reports whether who may see and change account u (nil), else
// store.ErrNotFound, as every change asks inside its transaction; the
// workspace asks it before it shows an account.
func (s *Service) Manages(ctx context.Context, who Actor, u *store.User) error {
	return s.manages(ctx, nil, who, u)
}

// mayGrant refuses who a role only the root agency's admins give
// (province), and the province role to an account outside the root
// agency (it reads every agency; it belongs to none of the others).
func mayGrant(who Actor, role auth.Role, agencyID int64) error {
	if role != auth.Province {
		return nil
	}
	if !who.everyAgency() {
		return ErrForbidden
	}
	if agencyID != agency.Root {
		return Errors{{Field: "role", Msg: locale.T("account.province.root_only")}}
	}
	return nil
}

// Service changes accounts.
type Service struct {
	store *store.Store
	now   func() time.Time
	// initialFile is the file holding the first admin's printed password
	// (DATA/initial-admin-password), deleted once that account has a
	// password of its own; "" when there is none to look after.
	initialFile string
}

// SetInitialPasswordFile names the file that holds the first admin's
// printed password: SetPassword deletes it when the account that must
// change its password gets a new one.
func (s *Service) SetInitialPasswordFile(path string) { s.initialFile = path }

// New returns the accounts of st. now is the clock (time.Now when nil).
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, now: now}
}

// NewAccount is an account to add, as typed.
type NewAccount struct {
	Name, DisplayName, Role, Password string
	// Note replaces the audit row's detail ("vai trò: …").
	Note string
	// MustChangePassword makes the workspace ask the account for a
	// password of its own at its first login (the first admin's, printed).
	MustChangePassword bool
	// Unit is the unit the account belongs to, by its slug or full name
	// ("" for none).
	Unit string
	// Agency is the slug of the agency the account acts for: "" is the
	// actor's own (the root agency from the command line).
	Agency string
}

// parsed is n read and checked: the values to store, and every problem.
func (n NewAccount) parsed() (name, display string, role auth.Role, errs Errors) {
	add := func(err error) {
		var e *Error
		if errors.As(err, &e) {
			errs = append(errs, e)
		}
	}
	name, err := Name(n.Name)
	add(err)
	display, err = DisplayName(n.DisplayName)
	add(err)
	role, err = Role(n.Role)
	add(err)
	add(Password(auth.NormalizeName(n.Name), n.Password))
	return name, display, role, errs
}

// Check returns every problem Add would find in n before writing (nil
// when none), so that a form can show them all at once.
func (n NewAccount) Check() Errors {
	_, _, _, errs := n.parsed()
	return errs
}

// Add adds the account n, with its audit row. Problems come back as
// Errors and nothing is written; a taken name is one.
func (s *Service) Add(ctx context.Context, who Actor, n NewAccount) (*store.User, error) {
	name, display, role, errs := n.parsed()
	agencyID, err := s.agencyOf(ctx, who, n.Agency)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		errs = append(errs, e)
	}
	// The unit is one of the account's agency's (each agency has its own).
	unit, err := s.unit(unitsOf(ctx, agencyID), n.Unit)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if !who.everyAgency() && agencyID != who.AgencyID {
		return nil, ErrForbidden
	}
	if err := mayGrant(who, role, agencyID); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &store.User{Name: name, DisplayName: display, Role: role, PasswordHash: hash, Created: now, Modified: now, PasswordChanged: now,
		MustChangePassword: n.MustChangePassword, AgencyID: agencyID}
	detail := n.Note
	if detail == "" {
		detail = locale.T("account.audit.role", role.Label())
	}
	if unit != nil {
		u.UnitID, u.Unit = unit.ID, unit.Name
		detail += "; " + locale.T("account.audit.unit", unit.Name)
	}
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.InsertUser(ctx, tx, u); err != nil {
			return err
		}
		return s.record(ctx, tx, who, store.AuditUserAdd, u, detail, now)
	})
	if errors.Is(err, store.ErrUserExists) {
		return nil, Errors{{Field: "name", Msg: locale.T("account.name.taken")}}
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword sets a new password for u and ends every session of u but
// keep (the token hash of the session making the change, when it is
// u's own; "" ends them all), with its audit row.
func (s *Service) SetPassword(ctx context.Context, who Actor, u *store.User, pw, keep string) error {
	if err := Password(u.Name, pw); err != nil {
		return Errors{err.(*Error)}
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.manages(ctx, tx, who, u); err != nil {
			return err
		}
		if err := s.store.SetUserPassword(ctx, tx, u.ID, hash, now); err != nil {
			return err
		}
		// Whoever knew the old password is logged out everywhere.
		if err := s.store.DeleteUserSessions(ctx, tx, u.ID, keep); err != nil {
			return err
		}
		return s.record(ctx, tx, who, store.AuditUserPassword, u, locale.T("account.audit.password"), now)
	})
	if err != nil {
		return err
	}
	if u.MustChangePassword {
		u.MustChangePassword = false
		// The printed password opens nothing any more; its file goes.
		// Should this fail, serve removes it at its next start.
		s.RemoveInitialPasswordFile()
	}
	return nil
}

// RemoveInitialPasswordFile deletes the file of the first admin's printed
// password, if there is one. It reports whether it removed a file.
func (s *Service) RemoveInitialPasswordFile() bool {
	return s.initialFile != "" && os.Remove(s.initialFile) == nil
}

// RequirePasswordChange makes u choose a new password at its next login:
// for the first admin's printed password found still in use (serve).
// Nothing about the account changes, so no audit row.
func (s *Service) RequirePasswordChange(ctx context.Context, u *store.User) error {
	if err := s.store.Tx(ctx, func(tx *sql.Tx) error { return s.store.SetUserMustChangePassword(ctx, tx, u.ID) }); err != nil {
		return err
	}
	u.MustChangePassword = true
	return nil
}

// ChangeOwnPassword sets u's password when u changes it themself: the
// current password must be given and right, and the new one must differ
// from it and be typed twice the same. keep is the token hash of the
// session making the change, which stays open; u's others end.
func (s *Service) ChangeOwnPassword(ctx context.Context, who Actor, u *store.User, current, pw, again, keep string) error {
	var errs Errors
	if current == "" {
		errs = append(errs, &Error{Field: "current_password", Msg: locale.T("account.password.current_missing")})
	} else if ok, err := auth.VerifyPassword(u.PasswordHash, current); err != nil {
		return err
	} else if !ok {
		errs = append(errs, &Error{Field: "current_password", Msg: locale.T("account.password.current_wrong")})
	}
	if err := Password(u.Name, pw); err != nil {
		errs = append(errs, err.(*Error))
	} else if pw == current {
		errs = append(errs, &Error{Field: "password", Msg: locale.T("account.password.same")})
	} else if err := Confirm(pw, again); err != nil {
		errs = append(errs, err.(*Error))
	}
	if len(errs) > 0 {
		return errs
	}
	return s.SetPassword(ctx, who, u, pw, keep)
}

// Change sets u's display name and role as typed, with one audit row
// naming what changed. It returns the account as it is now, and whether
// anything changed. An admin who is the last active one keeps the role.
func (s *Service) Change(ctx context.Context, who Actor, u *store.User, displayName, roleName string) (*store.User, bool, error) {
	var errs Errors
	display, err := DisplayName(displayName)
	if err != nil {
		errs = append(errs, err.(*Error))
	}
	role, err := Role(roleName)
	if err != nil {
		errs = append(errs, err.(*Error))
	}
	if len(errs) > 0 {
		return nil, false, errs
	}
	if err := s.Manages(ctx, who, u); err != nil {
		return nil, false, err
	}
	if role != u.Role {
		if err := mayGrant(who, role, u.AgencyID); err != nil {
			return nil, false, err
		}
	}
	var changes []string
	if role != u.Role {
		changes = append(changes, locale.T("account.audit.role_change", u.Role.Label(), role.Label()))
	}
	if display != u.DisplayName {
		changes = append(changes, locale.T("account.audit.display_name_change", u.DisplayName, display))
	}
	if len(changes) == 0 {
		return u, false, nil
	}
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.manages(ctx, tx, who, u); err != nil {
			return err
		}
		if role != u.Role {
			if role != auth.Admin {
				if err := s.keepAnAdmin(ctx, tx, u, locale.T("account.last_admin.role"), "role"); err != nil {
					return err
				}
			}
			if err := s.store.SetUserRole(ctx, tx, u.ID, role, now); err != nil {
				return err
			}
		}
		if display != u.DisplayName {
			if err := s.store.SetUserDisplayName(ctx, tx, u.ID, display, now); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, who, store.AuditUserChange, u, strings.Join(changes, "; "), now)
	})
	if err != nil {
		return nil, false, err
	}
	out := *u
	out.DisplayName, out.Role, out.Modified = display, role, now
	return &out, true, nil
}

// SetAgency moves u to the agency whose slug is v, with its audit row,
// ending every session of u (what it may see and change is another
// agency's now: a page open in another tab must not keep acting for the
// old one). The account leaves its unit (units are each agency's); the
// items it wrote, drafts included, stay their agency's. Only who manages
// every agency moves an account (an agency's admin gets ErrForbidden);
// nobody moves their own account, and the province role stays in the
// root agency. It returns the account as it is now, and whether
// anything changed.
func (s *Service) SetAgency(ctx context.Context, who Actor, u *store.User, v string) (*store.User, bool, error) {
	if !who.everyAgency() {
		return nil, false, ErrForbidden
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, false, Errors{{Field: "agency", Msg: locale.T("account.agency.unknown", v)}}
	}
	to, err := s.store.AgencyBySlug(ctx, v)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, Errors{{Field: "agency", Msg: locale.T("account.agency.unknown", v)}}
	}
	if err != nil {
		return nil, false, err
	}
	from := cmp.Or(u.AgencyID, agency.Root)
	if to.ID == from {
		return u, false, nil
	}
	if who.ID != 0 && u.ID == who.ID {
		return nil, false, Errors{{Field: "agency", Msg: locale.T("account.agency.self")}}
	}
	if u.Role == auth.Province {
		return nil, false, Errors{{Field: "agency", Msg: locale.T("account.province.root_only")}}
	}
	fromName := strconv.FormatInt(from, 10)
	if a, err := s.store.Agency(ctx, from); err == nil {
		fromName = a.Name
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	detail := locale.T("account.audit.agency_change", fromName, to.Name)
	if u.UnitID != 0 {
		detail += "; " + locale.T("account.audit.unit_change", u.Unit, locale.T("account.unit.none"))
	}
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		// The agency is read again from the row: a second admin's move
		// in the meantime is not undone unseen.
		owner, err := s.store.UserAgency(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if owner != from {
			return Errors{{Field: "agency", Msg: locale.T("account.agency.moved")}}
		}
		if err := s.store.SetUserAgency(ctx, tx, u.ID, to.ID, now); err != nil {
			return err
		}
		if err := s.store.DeleteUserSessions(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		return s.record(ctx, tx, who, store.AuditUserChange, u, detail, now)
	})
	if err != nil {
		return nil, false, err
	}
	out := *u
	out.AgencyID, out.UnitID, out.Unit, out.Modified = to.ID, 0, "", now
	return &out, true, nil
}

// agencyOf resolves the agency slug v of a new account: "" is who's own
// agency (the root for the command line). An unknown slug is an *Error
// on the field "agency".
func (s *Service) agencyOf(ctx context.Context, who Actor, v string) (int64, error) {
	if v = strings.TrimSpace(v); v == "" {
		if who.AgencyID > 0 {
			return who.AgencyID, nil
		}
		return agency.Root, nil
	}
	a, err := s.store.AgencyBySlug(ctx, v)
	if errors.Is(err, store.ErrNotFound) {
		return 0, &Error{Field: "agency", Msg: locale.T("account.agency.unknown", v)}
	}
	if err != nil {
		return 0, err
	}
	return a.ID, nil
}

// unitsOf is ctx acting for the agency whose units an account of agency
// id chooses among (ctx's own when id is 0: not known).
func unitsOf(ctx context.Context, id int64) context.Context {
	if id == 0 {
		return ctx
	}
	return agency.WithID(ctx, id)
}

// unit resolves v, a unit's slug or full name, among the units; "" is no
// unit (nil). An unknown unit is an *Error on the field "unit".
func (s *Service) unit(ctx context.Context, v string) (*store.Unit, error) {
	if v = strings.TrimSpace(v); v == "" {
		return nil, nil
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	if u, ok := store.UnitNamed(units, v); ok {
		return u, nil
	}
	// The command line names a unit by its slug (cchc user add --unit).
	for _, u := range units {
		if u.Slug == v {
			return u, nil
		}
	}
	var names []string
	for _, u := range units {
		names = append(names, u.Slug)
	}
	return nil, &Error{Field: "unit", Msg: locale.T("account.unit.unknown", v, strings.Join(names, ", "))}
}

// CheckUnit tells, writing nothing, whether v names one of u's agency's
// units ("" for none) as SetUnit would take it: a form saving other
// fields with the unit checks it first, so that a refused unit leaves
// the account as it was.
func (s *Service) CheckUnit(ctx context.Context, u *store.User, v string) error {
	_, err := s.unit(unitsOf(ctx, u.AgencyID), v)
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}
	}
	return err
}

// SetUnit puts u in the unit named v (its slug or full name; "" for no
// unit), with its audit row. It returns the account as it is now, and
// whether anything changed.
func (s *Service) SetUnit(ctx context.Context, who Actor, u *store.User, v string) (*store.User, bool, error) {
	unit, err := s.unit(unitsOf(ctx, u.AgencyID), v)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, false, Errors{e}
		}
		return nil, false, err
	}
	out := *u
	out.UnitID, out.Unit = 0, ""
	if unit != nil {
		out.UnitID, out.Unit = unit.ID, unit.Name
	}
	if out.UnitID == u.UnitID {
		return u, false, nil
	}
	now := s.now()
	detail := locale.T("account.audit.unit_change", cmp.Or(u.Unit, locale.T("account.unit.none")), cmp.Or(out.Unit, locale.T("account.unit.none")))
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.manages(ctx, tx, who, u); err != nil {
			return err
		}
		if err := s.store.SetUserUnit(ctx, tx, u.ID, out.UnitID, now); err != nil {
			return err
		}
		return s.record(ctx, tx, who, store.AuditUserChange, u, detail, now)
	})
	if err != nil {
		return nil, false, err
	}
	out.Modified = now
	return &out, true, nil
}

// SetDisabled disables u (ending its sessions) or enables it again, with
// its audit row; it reports whether anything changed (a repeated click
// changes nothing). Nobody disables their own account, nor the last
// active admin.
func (s *Service) SetDisabled(ctx context.Context, who Actor, u *store.User, disable bool) (bool, error) {
	if disable && who.ID != 0 && u.ID == who.ID {
		return false, Errors{{Field: "disable", Msg: locale.T("account.self_lock")}}
	}
	if disable != u.Active() {
		return false, nil
	}
	action := store.AuditUserEnable
	if disable {
		action = store.AuditUserDisable
	}
	now := s.now()
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.manages(ctx, tx, who, u); err != nil {
			return err
		}
		if disable {
			if err := s.keepAnAdmin(ctx, tx, u, locale.T("account.last_admin.lock"), "disable"); err != nil {
				return err
			}
			if err := s.store.DeleteUserSessions(ctx, tx, u.ID, ""); err != nil {
				return err
			}
		}
		if err := s.store.SetUserDisabled(ctx, tx, u.ID, disable, now); err != nil {
			return err
		}
		return s.record(ctx, tx, who, action, u, "", now)
	})
	return err == nil, err
}

// keepAnAdmin refuses, inside tx, a change that takes u out of the active
// admins when it is the last one, with msg on field.
func (s *Service) keepAnAdmin(ctx context.Context, tx *sql.Tx, u *store.User, msg, field string) error {
	if u.Role != auth.Admin || !u.Active() {
		return nil
	}
	n, err := s.store.CountActiveAdmins(ctx, tx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return Errors{{Field: field, Msg: msg}}
	}
	return nil
}

// record writes the audit row of who's change to u, in tx.
func (s *Service) record(ctx context.Context, tx *sql.Tx, who Actor, action store.AuditAction, u *store.User, detail string, at time.Time) error {
	return s.store.Audit(ctx, tx, store.AuditEntry{At: at, Actor: who.Name, Action: action, Target: "user:" + u.Name,
		Detail: detail, Address: who.Address})
}
