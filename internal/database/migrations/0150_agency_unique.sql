-- Issue 20: what was unique in the one column becomes unique per agency,
-- and the queries that now filter by agency_id get indexes that lead with
-- it. See docs/DECISIONS.md, "Issue 20: many agencies" (uniqueness).
--
-- Each table is changed the safest way its shape allows:
--
--   - items keeps every row in place: its uniqueness on (kind, slug) and
--     on code are indexes, dropped and created again with agency_id in
--     front. items is never rebuilt: with foreign keys on (the runner keeps
--     them on, a transaction cannot turn them off) dropping it would
--     cascade-delete its revisions, areas, references and search rows.
--   - plans, report_drafts and slug_history hold their key in the table
--     itself (plans' year is its rowid; the others' PRIMARY KEY is their
--     own b-tree), which no ALTER and no edit of the stored schema can
--     change: they are rebuilt, rows copied verbatim. No table refers to
--     any of them, so nothing cascades, and a DROP TABLE fires no trigger
--     (report_drafts' append-only triggers are recreated as they were).
--
-- Agency 1's rows keep their order: each new index has agency_id in front
-- of the old one's columns, so for one agency it walks the rows in the
-- order the old index did, and a query without ORDER BY answers as before.

-- items: (kind, slug) and the procedure code unique per agency, under the
-- indexes' old names (what `cchc check` names when one is damaged). uid
-- (the feeds' identity), number_key (the one registry of documents) and
-- source_path stay unique across the instance.
DROP INDEX items_kind_slug;
CREATE UNIQUE INDEX items_kind_slug ON items (agency_id, kind, slug);
DROP INDEX items_code;
CREATE UNIQUE INDEX items_code ON items (agency_id, code) WHERE code IS NOT NULL;

-- The public lists, directories, the sitemap and the workspace's lists
-- read through these alone (0011, 0043, 0044, 0091); each now starts with
-- the agency the query is for.
DROP INDEX items_public;
CREATE INDEX items_public ON items (agency_id, kind, status, published_at DESC);
DROP INDEX items_visible;
CREATE INDEX items_visible ON items (agency_id, kind, status, published_at, deleted_at, public);
DROP INDEX items_visible_id;
CREATE INDEX items_visible_id ON items (id, status, published_at, deleted_at, public, agency_id);
DROP INDEX items_sitemap;
CREATE INDEX items_sitemap ON items (agency_id, status, deleted_at, published_at, id, kind, slug, updated_at, modified_at, public);
DROP INDEX items_document_dir;
CREATE INDEX items_document_dir ON items (agency_id, kind, status, deleted_at, doc_type, issuer, issued, validity, effective, expires, published_at, number_key);
DROP INDEX items_procedure_dir;
CREATE INDEX items_procedure_dir ON items (agency_id, kind, status, deleted_at, field, level, online, published_at);
DROP INDEX items_title_key;
CREATE INDEX items_title_key ON items (agency_id, kind, title_key, status, deleted_at, published_at);
DROP INDEX items_kind_unit;
CREATE INDEX items_kind_unit ON items (agency_id, kind, unit);
-- The trash and the workspace's lists by date.
CREATE INDEX items_agency_deleted ON items (agency_id, deleted_at);

-- plans: one plan per agency and year. The rowid of each row stays its
-- year, so the rows keep their order on disk.
CREATE TABLE plans_new (
	agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id),
	year                  INTEGER NOT NULL,
	number                TEXT NOT NULL,
	title                 TEXT NOT NULL,
	data                  TEXT NOT NULL,
	source_path           TEXT NOT NULL DEFAULT '',
	content_hash          TEXT NOT NULL,
	source                TEXT NOT NULL DEFAULT '',
	procedure_list_path   TEXT NOT NULL DEFAULT '',
	procedure_list_source BLOB,
	procedure_list        TEXT NOT NULL DEFAULT 'null',
	PRIMARY KEY (agency_id, year)
) STRICT;
INSERT INTO plans_new (rowid, agency_id, year, number, title, data, source_path, content_hash, source,
		procedure_list_path, procedure_list_source, procedure_list)
	SELECT year, agency_id, year, number, title, data, source_path, content_hash, source,
		procedure_list_path, procedure_list_source, procedure_list FROM plans;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;
-- Recreated as 0010 wrote them (they went with the old table).
CREATE TRIGGER plans_version_insert AFTER INSERT ON plans BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER plans_version_update AFTER UPDATE ON plans BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;

-- report_drafts: the revisions of each agency's draft for a year.
CREATE TABLE report_drafts_new (
	agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id),
	year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
	revision     INTEGER NOT NULL CHECK (revision >= 1),
	shortcomings TEXT NOT NULL,    -- section II
	directions   TEXT NOT NULL,    -- section III
	author       TEXT NOT NULL,
	saved_at     INTEGER NOT NULL, -- unix seconds (UTC)
	PRIMARY KEY (agency_id, year, revision)
) STRICT;
INSERT INTO report_drafts_new (rowid, agency_id, year, revision, shortcomings, directions, author, saved_at)
	SELECT rowid, agency_id, year, revision, shortcomings, directions, author, saved_at FROM report_drafts;
DROP TABLE report_drafts;
ALTER TABLE report_drafts_new RENAME TO report_drafts;
CREATE TRIGGER report_drafts_no_update BEFORE UPDATE ON report_drafts
BEGIN
	SELECT RAISE(ABORT, 'report_drafts: bản ghi dự thảo chỉ được ghi thêm, không được sửa');
END;
CREATE TRIGGER report_drafts_no_delete BEFORE DELETE ON report_drafts
BEGIN
	SELECT RAISE(ABORT, 'report_drafts: bản ghi dự thảo chỉ được ghi thêm, không được xóa');
END;

-- slug_history: an old address is an agency's (its column answers it),
-- so the key gains the agency, copied from the item each row moved from.
-- It comes last in the key: a lookup by kind and slug still walks the
-- key's prefix, then keeps the row of the item of the agency asked for.
DROP TRIGGER items_slug_history;
CREATE TABLE slug_history_new (
	agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id),
	kind       TEXT NOT NULL,
	slug       TEXT NOT NULL,     -- the old slug
	item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	changed_at INTEGER NOT NULL,  -- unix seconds, the item's modified_at when it moved
	PRIMARY KEY (kind, slug, agency_id)
) STRICT, WITHOUT ROWID;
INSERT INTO slug_history_new (agency_id, kind, slug, item_id, changed_at)
	SELECT i.agency_id, h.kind, h.slug, h.item_id, h.changed_at FROM slug_history h JOIN items i ON i.id = h.item_id;
DROP TABLE slug_history;
ALTER TABLE slug_history_new RENAME TO slug_history;
CREATE INDEX slug_history_item ON slug_history (item_id);
CREATE TRIGGER items_slug_history AFTER UPDATE OF slug ON items
WHEN OLD.slug <> NEW.slug
BEGIN
	INSERT INTO slug_history (agency_id, kind, slug, item_id, changed_at)
	VALUES (OLD.agency_id, OLD.kind, OLD.slug, OLD.id, NEW.modified_at)
	ON CONFLICT (kind, slug, agency_id) DO UPDATE SET item_id = excluded.item_id, changed_at = excluded.changed_at;
	DELETE FROM slug_history WHERE kind = NEW.kind AND slug = NEW.slug AND agency_id = NEW.agency_id;
END;

-- public_counts: an agency's counts are its own. Agency 1's keys stay as
-- they are ('kind:article', 'area:II.1'); another agency's carry its id in
-- front ('a2:kind:article'). The triggers of 0091, with that prefix; an
-- item that changes agency (none does today) moves its counts with it.
DROP TRIGGER public_counts_item_insert;
DROP TRIGGER public_counts_item_delete;
DROP TRIGGER public_counts_item_update;
DROP TRIGGER public_counts_area_insert;
DROP TRIGGER public_counts_area_delete;

CREATE TRIGGER public_counts_item_insert AFTER INSERT ON items
WHEN NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1 BEGIN
	INSERT INTO public_counts (key, n)
	VALUES (CASE NEW.agency_id WHEN 1 THEN '' ELSE 'a' || NEW.agency_id || ':' END || 'kind:' || NEW.kind, 1)
	ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_item_delete BEFORE DELETE ON items
WHEN OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1 BEGIN
	UPDATE public_counts SET n = n - 1
		WHERE key = CASE OLD.agency_id WHEN 1 THEN '' ELSE 'a' || OLD.agency_id || ':' END || 'kind:' || OLD.kind;
	UPDATE public_counts SET n = n - 1 WHERE key IN (SELECT CASE OLD.agency_id WHEN 1 THEN '' ELSE 'a' || OLD.agency_id || ':' END
		|| 'area:' || area FROM item_areas WHERE item_id = OLD.id);
END;

CREATE TRIGGER public_counts_item_update AFTER UPDATE OF status, deleted_at, published_at, kind, public, agency_id ON items
WHEN (OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1) IS NOT
	(NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1)
	OR OLD.kind != NEW.kind OR OLD.agency_id != NEW.agency_id BEGIN
	UPDATE public_counts SET n = n - 1
		WHERE key = CASE OLD.agency_id WHEN 1 THEN '' ELSE 'a' || OLD.agency_id || ':' END || 'kind:' || OLD.kind
		AND OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1;
	INSERT INTO public_counts (key, n)
		SELECT CASE NEW.agency_id WHEN 1 THEN '' ELSE 'a' || NEW.agency_id || ':' END || 'kind:' || NEW.kind, 1
		WHERE NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
	UPDATE public_counts SET n = n - 1 WHERE key IN (SELECT CASE OLD.agency_id WHEN 1 THEN '' ELSE 'a' || OLD.agency_id || ':' END
			|| 'area:' || area FROM item_areas WHERE item_id = OLD.id)
		AND OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1;
	INSERT INTO public_counts (key, n)
		SELECT CASE NEW.agency_id WHEN 1 THEN '' ELSE 'a' || NEW.agency_id || ':' END || 'area:' || area, 1 FROM item_areas
		WHERE item_id = NEW.id AND NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_area_insert AFTER INSERT ON item_areas
WHEN EXISTS (SELECT 1 FROM items WHERE id = NEW.item_id AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND public = 1) BEGIN
	INSERT INTO public_counts (key, n)
		SELECT CASE agency_id WHEN 1 THEN '' ELSE 'a' || agency_id || ':' END || 'area:' || NEW.area, 1 FROM items WHERE id = NEW.item_id
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_area_delete AFTER DELETE ON item_areas
WHEN EXISTS (SELECT 1 FROM items WHERE id = OLD.item_id AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND public = 1) BEGIN
	UPDATE public_counts SET n = n - 1
		WHERE key = (SELECT CASE agency_id WHEN 1 THEN '' ELSE 'a' || agency_id || ':' END FROM items WHERE id = OLD.item_id) || 'area:' || OLD.area;
END;
