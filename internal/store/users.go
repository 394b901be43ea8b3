package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cchc/internal/agency"
	"cchc/internal/auth"
)

// ErrUserExists is returned when adding an account whose name is taken.
var ErrUserExists = errors.New("store: account name taken")

// User is an account of the editors' workspace.
type User struct {
	ID          int64
	Name        string // login name, lower case (auth.NormalizeName)
	DisplayName string // how the person is called on screens; may be empty
	Role        auth.Role
	// PasswordHash is the argon2id PHC string; never shown or logged.
	PasswordHash    string
	Created         time.Time
	Modified        time.Time
	PasswordChanged time.Time
	LastLogin       time.Time // zero when never
	Disabled        time.Time // zero while the account may log in
	// MustChangePassword is set on an account whose password someone else
	// chose and saw (the first admin's, printed at the first start): the
	// workspace asks for a new one before anything else. Setting a
	// password clears it.
	MustChangePassword bool
	// UnitID is the unit the account belongs to (0: none) and Unit its
	// full name: an editor records the activities of that unit only.
	UnitID int64
	Unit   string
	// AgencyID is the agency the account acts for (users.agency_id; issue
	// 20): the workspace runs every request of it with agency.WithID.
	AgencyID int64
}

// Active reports whether the account may log in.
func (u *User) Active() bool { return u.Disabled.IsZero() }

// Label is the name to show: the display name, else the login name.
func (u *User) Label() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

const userColumns = `id, name, display_name, role, password_hash, created_at, modified_at,
	password_changed_at, last_login_at, disabled_at, must_change_password,
	COALESCE(unit_id, 0), COALESCE((SELECT name FROM units WHERE units.id = users.unit_id), ''), agency_id`

func scanUser(row scanner) (*User, error) {
	var (
		u                          User
		role                       string
		created, modified, changed int64
		lastLogin, disabled        sql.NullInt64
	)
	if err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &role, &u.PasswordHash, &created, &modified,
		&changed, &lastLogin, &disabled, &u.MustChangePassword, &u.UnitID, &u.Unit, &u.AgencyID); err != nil {
		return nil, err
	}
	u.Role = auth.Role(role)
	u.Created, u.Modified, u.PasswordChanged = time.Unix(created, 0).UTC(), time.Unix(modified, 0).UTC(), time.Unix(changed, 0).UTC()
	u.LastLogin, u.Disabled = fromUnix(lastLogin), fromUnix(disabled)
	return &u, nil
}

func (s *Store) queryUser(ctx context.Context, q querier, where string, args ...any) (*User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return u, err
}

// UserByName returns the account called name (normalised by the caller).
func (s *Store) UserByName(ctx context.Context, name string) (*User, error) {
	u, err := s.queryUser(ctx, s.db.Read, `WHERE name = ?`, name)
	if err != nil {
		return nil, fmt.Errorf("store: user %q: %w", name, err)
	}
	return u, nil
}

// UserByID returns the account with id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u, err := s.queryUser(ctx, s.db.Read, `WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every account by name.
func (s *Store) Users(ctx context.Context) ([]*User, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

// CountUsers counts the accounts, disabled ones included.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// CountActiveAdmins counts the admins that may log in, inside tx, so that
// the last one is never disabled or demoted.
func (s *Store) CountActiveAdmins(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count admins: %w", err)
	}
	return n, nil
}

// InsertUser adds u in tx and sets its ID. A taken name gives
// ErrUserExists. Created, Modified and PasswordChanged must be set; an
// AgencyID of 0 is the root agency (agency.Root) and is set so on u.
func (s *Store) InsertUser(ctx context.Context, tx *sql.Tx, u *User) error {
	if u.AgencyID == 0 {
		u.AgencyID = agency.Root
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO users (name, display_name, role, password_hash, created_at, modified_at, password_changed_at, disabled_at, must_change_password, unit_id, agency_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Name, u.DisplayName, string(u.Role), u.PasswordHash, u.Created.Unix(), u.Modified.Unix(), u.PasswordChanged.Unix(), unix(u.Disabled), u.MustChangePassword,
		nullID(u.UnitID), u.AgencyID)
	if IsUniqueViolation(err) {
		return fmt.Errorf("store: add user %q: %w", u.Name, ErrUserExists)
	}
	if err != nil {
		return fmt.Errorf("store: add user %q: %w", u.Name, err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: add user %q: %w", u.Name, err)
	}
	return nil
}

// execUser runs an UPDATE of one user and reports ErrNotFound when no row
// matched.
func execUser(ctx context.Context, tx *sql.Tx, id int64, what, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: user %d %s: %w", id, what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: user %d %s: %w", id, what, err)
	}
	if n == 0 {
		return fmt.Errorf("store: user %d %s: %w", id, what, ErrNotFound)
	}
	return nil
}

// SetUserPassword stores a new password hash for account id; the account
// no longer must change its password.
func (s *Store) SetUserPassword(ctx context.Context, tx *sql.Tx, id int64, hash string, now time.Time) error {
	return execUser(ctx, tx, id, "password",
		`UPDATE users SET password_hash = ?, password_changed_at = ?, modified_at = ?, must_change_password = 0 WHERE id = ?`, hash, now.Unix(), now.Unix(), id)
}

// SetUserMustChangePassword marks account id as one that must choose a
// new password at its next login.
func (s *Store) SetUserMustChangePassword(ctx context.Context, tx *sql.Tx, id int64) error {
	return execUser(ctx, tx, id, "must change password", `UPDATE users SET must_change_password = 1 WHERE id = ?`, id)
}

// SetUserRole changes the role of account id.
func (s *Store) SetUserRole(ctx context.Context, tx *sql.Tx, id int64, role auth.Role, now time.Time) error {
	return execUser(ctx, tx, id, "role", `UPDATE users SET role = ?, modified_at = ? WHERE id = ?`, string(role), now.Unix(), id)
}

// SetUserUnit puts account id in unit unitID (0: no unit).
func (s *Store) SetUserUnit(ctx context.Context, tx *sql.Tx, id, unitID int64, now time.Time) error {
	return execUser(ctx, tx, id, "unit", `UPDATE users SET unit_id = ?, modified_at = ? WHERE id = ?`, nullID(unitID), now.Unix(), id)
}

// SetUserAgency moves account id to agency agencyID, out of its unit (the
// units are each agency's). The account's items stay their agency's.
func (s *Store) SetUserAgency(ctx context.Context, tx *sql.Tx, id, agencyID int64, now time.Time) error {
	return execUser(ctx, tx, id, "agency", `UPDATE users SET agency_id = ?, unit_id = NULL, modified_at = ? WHERE id = ?`, agencyID, now.Unix(), id)
}

// nullID is NULL for id 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SetUserDisplayName changes the display name of account id.
func (s *Store) SetUserDisplayName(ctx context.Context, tx *sql.Tx, id int64, name string, now time.Time) error {
	return execUser(ctx, tx, id, "display name", `UPDATE users SET display_name = ?, modified_at = ? WHERE id = ?`, name, now.Unix(), id)
}

// SetUserDisabled disables (disabled true) or re-enables account id.
func (s *Store) SetUserDisabled(ctx context.Context, tx *sql.Tx, id int64, disabled bool, now time.Time) error {
	var at any
	if disabled {
		at = now.Unix()
	}
	return execUser(ctx, tx, id, "disabled", `UPDATE users SET disabled_at = ?, modified_at = ? WHERE id = ?`, at, now.Unix(), id)
}

// SetUserLastLogin records a successful login of account id.
func (s *Store) SetUserLastLogin(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	return execUser(ctx, tx, id, "last login", `UPDATE users SET last_login_at = ? WHERE id = ?`, now.Unix(), id)
}
