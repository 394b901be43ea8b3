-- Accounts of the editors' workspace, their sessions, and the audit log of
-- who did what. The login rate limiter keeps its counts in memory
-- (internal/auth.Limiter), so it needs no table.

-- One row per person. name is the login name, lower case ASCII; the
-- password is an argon2id PHC string, never the password.
CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	name                TEXT NOT NULL UNIQUE,
	display_name        TEXT NOT NULL DEFAULT '',
	role                TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
	password_hash       TEXT NOT NULL,
	created_at          INTEGER NOT NULL,
	modified_at         INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL,
	last_login_at       INTEGER,
	disabled_at         INTEGER            -- cannot log in while set
) STRICT;

-- Server-side sessions. The cookie carries a random 256-bit token; only its
-- SHA-256 is kept here, so a copy of the database opens no session.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,          -- hex SHA-256 of the cookie's token
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,             -- the form token of this session
	created_at INTEGER NOT NULL,          -- for the absolute lifetime
	seen_at    INTEGER NOT NULL,          -- for the idle lifetime
	address    TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	flash      TEXT NOT NULL DEFAULT ''   -- a one-time message for the next page
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_seen ON sessions (seen_at);

-- Every admin action: logins (good and bad), logouts, account changes and,
-- from the workflow, save/submit/publish/reject/withdraw/delete/restore.
-- actor is the account name as it was, so the row stays meaningful.
CREATE TABLE audit_log (
	id      INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL,             -- unix seconds
	actor   TEXT NOT NULL DEFAULT '',
	action  TEXT NOT NULL,
	target  TEXT NOT NULL DEFAULT '',     -- e.g. user:bientap, item:42
	detail  TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT ''      -- client address, '' from the command line
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

-- The audit log is append-only: a row once written is evidence.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
