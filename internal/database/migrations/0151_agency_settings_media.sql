-- Issue 20: settings per agency, files shared by their bytes, and the
-- indexes of the queries that now read one agency's units, files, audit
-- rows and report sendings. See docs/DECISIONS.md, "Issue 20: many
-- agencies".

-- settings: the row's id is its agency's (0130's design). The table is
-- rebuilt, its one row copied as it is, because its key held CHECK (id = 1)
-- and a key's constraint cannot be edited in place; nothing refers to it.
-- An agency without a row reads the defaults, as agency 1 did before its
-- first save. The columns keep their order: what reads them all (a static
-- mirror's fingerprint) reads the same row as before.
CREATE TABLE settings_new (
	id           INTEGER PRIMARY KEY REFERENCES agencies (id),
	desk_address TEXT NOT NULL DEFAULT '',
	desk_phone   TEXT NOT NULL DEFAULT '',
	desk_email   TEXT NOT NULL DEFAULT '',
	desk_hours   TEXT NOT NULL DEFAULT '',
	content_unit TEXT NOT NULL DEFAULT '',
	portal_url   TEXT NOT NULL DEFAULT '',
	logo         TEXT REFERENCES media (name),  -- NULL: the theme's neutral mark
	updated_by   TEXT NOT NULL DEFAULT '',
	updated_at   INTEGER NOT NULL DEFAULT 0     -- unix seconds (UTC); 0: never
) STRICT;
INSERT INTO settings_new (id, desk_address, desk_phone, desk_email, desk_hours, content_unit, portal_url, logo, updated_by, updated_at)
	SELECT id, desk_address, desk_phone, desk_email, desk_hours, content_unit, portal_url, logo, updated_by, updated_at FROM settings;
DROP TABLE settings;
ALTER TABLE settings_new RENAME TO settings;
-- As 0060's; an agency's first save inserts its row, which moves the
-- version too.
CREATE TRIGGER settings_version_update AFTER UPDATE ON settings BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER settings_version_insert AFTER INSERT ON settings BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;

-- media: a file is its bytes (its name is their hash), one row for the
-- instance; media.agency_id is its first uploader. Another agency that
-- uploads the same bytes owns it too, by a row here: each agency's library
-- lists the files it owns either way, and nobody's upload changes another
-- agency's alt text.
CREATE TABLE media_owners (
	name      TEXT NOT NULL REFERENCES media (name),
	agency_id INTEGER NOT NULL REFERENCES agencies (id),
	PRIMARY KEY (agency_id, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX media_agency ON media (agency_id, uploaded_at DESC, name);

-- The other tables an agency reads its own rows of.
CREATE INDEX units_agency ON units (agency_id, id);
CREATE INDEX audit_log_agency ON audit_log (agency_id, at DESC, id DESC);
DROP INDEX report_sendings_year;
CREATE INDEX report_sendings_year ON report_sendings (agency_id, year, id);
