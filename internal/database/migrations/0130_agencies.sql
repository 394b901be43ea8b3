-- Issue 20, point 1: many agencies in one instance. An agency (cơ quan)
-- owns its content, plans, accounts, media, units, log and reports;
-- today's column becomes agency 1 with no visible change. See
-- docs/DECISIONS.md, "Issue 20: many agencies", for the design.
--
-- slug is the agency's key on the command line (cchc log verify
-- --agency so-khcn); prefix is its column's first path segment
-- ('/so-tu-phap'), host its own host name; an agency with neither is the
-- root column, served at today's addresses: there is at most one
-- (agencies_root). The one-stop desk's contacts and the emblem stay in
-- settings, whose id is the agency's id (today's row 1 is agency 1's);
-- address, phone, email and website here are the agency's own office.
CREATE TABLE agencies (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
	name       TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
	short_name TEXT NOT NULL CHECK (trim(short_name) <> ''),
	parent_id  INTEGER REFERENCES agencies (id),  -- NULL: answers to no agency of this instance
	address    TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	website    TEXT NOT NULL DEFAULT '',
	prefix     TEXT NOT NULL DEFAULT '' CHECK (prefix = '' OR (prefix GLOB '/?*' AND substr(prefix, 2) NOT GLOB '*[^a-z0-9-]*')),
	host       TEXT NOT NULL DEFAULT '' CHECK (host NOT GLOB '*[^a-z0-9.-]*'),
	CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;
CREATE UNIQUE INDEX agencies_prefix ON agencies (prefix) WHERE prefix <> '';
CREATE UNIQUE INDEX agencies_host ON agencies (host) WHERE host <> '';
CREATE UNIQUE INDEX agencies_root ON agencies (prefix, host) WHERE prefix = '' AND host = '';

-- The first agency, from today's data: its name as the newest plan that
-- names its issuer writes it, else the department's; its short name as
-- officials abbreviate it. Its office's particulars are left empty, as the
-- settings were: nothing is claimed until the department says it.
INSERT INTO agencies (id, slug, name, short_name)
VALUES (1, 'so-khcn',
	COALESCE((SELECT trim(json_extract(data, '$.issuer')) FROM plans
		WHERE json_valid(data) AND json_type(data, '$.issuer') = 'text' AND trim(json_extract(data, '$.issuer')) <> ''
		ORDER BY year DESC LIMIT 1),
		'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi'),
	'Sở KH&CN');

-- The tables that own data gain their agency; every existing row is
-- agency 1's, in place (ADD COLUMN rewrites no row: a row without the
-- column reads its default).
--
-- SQLite refuses ADD COLUMN with both REFERENCES and a non-NULL default
-- while foreign keys are on (the runner keeps them on, and a transaction
-- cannot turn them off), because it cannot check the rows already there.
-- Here every row reads 1 and agency 1 exists, so the constraint holds for
-- every row: each column is added plain, then its REFERENCES clause is
-- written into the stored schema as 0091 widened a CHECK, the edit SQLite
-- documents as safe when it leaves every existing row valid
-- (https://sqlite.org/lang_altertable.html, "making other kinds of table
-- schema changes"). The on-disk rows are untouched; the constraint then
-- applies to every insert and update, and `PRAGMA foreign_key_check`
-- finds nothing (the migration's test checks both).
--
-- No index yet: the queries that filter by agency come with the next
-- slice and bring theirs; an index now could change the plans, and so
-- the order, of queries without ORDER BY.
ALTER TABLE items ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plans ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE media ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE publog ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE log_anchors ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_sendings ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_drafts ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
	SET sql = replace(sql, 'agency_id INTEGER NOT NULL DEFAULT 1', 'agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id)')
	WHERE type = 'table' AND name IN ('items', 'plans', 'users', 'units', 'media', 'publog', 'log_anchors',
		'report_sendings', 'report_drafts', 'audit_log');
PRAGMA writable_schema = RESET;

-- The parent's children, for the province's tree; also what SQLite reads
-- to refuse deleting an agency that has some. Creating it after the edit
-- above moves the schema cookie, so every connection reloads the schema.
CREATE INDEX agencies_parent ON agencies (parent_id);
