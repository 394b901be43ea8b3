package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a logged-in browser. The cookie holds a token; the row holds
// only its hash (auth.HashToken).
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string // the token forms of this session carry
	Created   time.Time
	Seen      time.Time
	Address   string
	UserAgent string
	Flash     string // one-time message for the next page, "" when none

	// User is the account, filled by SessionByHash.
	User *User
}

// InsertSession stores a new session in tx.
func (s *Store) InsertSession(ctx context.Context, tx *sql.Tx, se *Session) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at, address, user_agent, flash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		se.TokenHash, se.UserID, se.CSRF, se.Created.Unix(), se.Seen.Unix(), se.Address, se.UserAgent, se.Flash)
	if err != nil {
		return fmt.Errorf("store: add session of user %d: %w", se.UserID, err)
	}
	return nil
}

// SessionByHash returns the session whose token hashes to hash, with its
// account. Expiry is the caller's business (auth.SessionPolicy).
func (s *Store) SessionByHash(ctx context.Context, hash string) (*Session, error) {
	row := s.db.Read.QueryRowContext(ctx, `SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.seen_at, s.address, s.user_agent, s.flash,
		`+sessionUserColumns+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash)
	var se Session
	var created, seen int64
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return row.Scan(append([]any{&se.TokenHash, &se.UserID, &se.CSRF, &created, &seen, &se.Address, &se.UserAgent, &se.Flash}, dest...)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	se.Created, se.Seen = time.Unix(created, 0).UTC(), time.Unix(seen, 0).UTC()
	se.User = u
	return &se, nil
}

// sessionUserColumns is userColumns read through the join of SessionByHash.
const sessionUserColumns = `u.id, u.name, u.display_name, u.role, u.password_hash, u.created_at, u.modified_at,
	u.password_changed_at, u.last_login_at, u.disabled_at, u.must_change_password,
	COALESCE(u.unit_id, 0), COALESCE((SELECT name FROM units WHERE units.id = u.unit_id), ''), u.agency_id`

// scanFunc lets a function stand where a row is scanned.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// TouchSession records that the session was used at now (its idle clock
// restarts).
func (s *Store) TouchSession(ctx context.Context, tx *sql.Tx, hash string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, now.Unix(), hash); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// SetSessionFlash leaves a one-time message for the session's next page.
func (s *Store) SetSessionFlash(ctx context.Context, tx *sql.Tx, hash, msg string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET flash = ? WHERE token_hash = ?`, msg, hash); err != nil {
		return fmt.Errorf("store: session flash: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, tx *sql.Tx, hash string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of account id but the one whose
// hash is keep ("" keeps none): after a password change (keeping the
// session of the person who changed it) or when the account is disabled.
func (s *Store) DeleteUserSessions(ctx context.Context, tx *sql.Tx, userID int64, keep string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep); err != nil {
		return fmt.Errorf("store: delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions last seen before idleBefore or
// created before createdBefore, and returns how many went.
func (s *Store) DeleteExpiredSessions(ctx context.Context, tx *sql.Tx, idleBefore, createdBefore time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE seen_at <= ? OR created_at <= ?`, idleBefore.Unix(), createdBefore.Unix())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return n, nil
}

// CountSessions counts the stored sessions of account id (0 for all).
func (s *Store) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE ? = 0 OR user_id = ?`, userID, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count sessions: %w", err)
	}
	return n, nil
}
