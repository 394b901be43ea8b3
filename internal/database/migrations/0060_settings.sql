-- The site's settings (issue 15, point 7; issue 17, point 9): the one-stop
-- desk's address, phone, e-mail and hours, the unit responsible for the
-- column's content, the provincial public-service portal and the emblem,
-- which every public page shows. One row, edited by the admin on the
-- workspace's Cài đặt screen with an audit row in the same transaction.
-- Every value is empty by default: nothing is claimed until the
-- department says it. The logo is a file of the media library.
CREATE TABLE settings (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
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
INSERT INTO settings (id) VALUES (1);

-- The settings are on every public page: a change moves the site version
-- (0010) so the page cache drops its pages, as a change to items does.
CREATE TRIGGER settings_version_update AFTER UPDATE ON settings BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
