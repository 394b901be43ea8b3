-- The first admin's password is random and was printed to the terminal and
-- written to DATA/initial-admin-password (issue 17.13): it is known to
-- whoever saw either, so after the first login the account is asked to set
-- its own before anything else, and the file is then deleted. 1 while the
-- account must still choose its password; setting a password clears it.
-- Accounts that exist already were not made with a printed password.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
