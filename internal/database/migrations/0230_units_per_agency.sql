-- Issue 20: each agency has its own units. 0091 made a unit's slug and
-- name unique across the instance (column constraints), so two agencies
-- could not both have a "Văn phòng Sở". They become unique per agency.
--
-- A column constraint is part of the table: only a rebuild changes it.
-- users.unit_id refers to units, and the runner keeps foreign keys on
-- (a transaction cannot turn them off), so DROP TABLE's implicit delete
-- would leave every account with a unit pointing at nothing. The
-- accounts' units are set aside, cleared, and set again once the new
-- table (same ids) is in place: every step keeps the references whole.
CREATE TEMP TABLE unit_accounts AS SELECT id, unit_id FROM users WHERE unit_id IS NOT NULL;
UPDATE users SET unit_id = NULL WHERE unit_id IS NOT NULL;

CREATE TABLE units_new (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL,
	name       TEXT NOT NULL,
	short_name TEXT NOT NULL DEFAULT '',
	agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id),
	UNIQUE (agency_id, slug),
	UNIQUE (agency_id, name)
) STRICT;
INSERT INTO units_new (id, slug, name, short_name, agency_id)
	SELECT id, slug, name, short_name, agency_id FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;
-- 0151's index, with the table (its rows in id order per agency).
CREATE INDEX units_agency ON units (agency_id, id);

UPDATE users SET unit_id = (SELECT unit_id FROM unit_accounts WHERE unit_accounts.id = users.id)
	WHERE id IN (SELECT id FROM unit_accounts);
DROP TABLE unit_accounts;
