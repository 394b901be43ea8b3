-- Issue 16: activities (hoạt động), the plan's work done off the column,
-- are a fourth kind of item, and accounts belong to a unit of the Sở.
--
-- items.kind has a CHECK listing the kinds. SQLite cannot alter a CHECK,
-- and rebuilding items would cascade-delete its revisions and areas (the
-- runner keeps foreign keys on, and a transaction cannot turn them off).
-- SQLite documents this edit of the stored schema as safe for a change
-- that leaves every existing row valid, as widening a CHECK does
-- (https://sqlite.org/lang_altertable.html, "making other kinds of table
-- schema changes"). The statements below that change the schema bump the
-- schema cookie, so every connection reloads it.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
	SET sql = replace(sql, 'CHECK (kind IN (''article'', ''procedure'', ''document''))',
		'CHECK (kind IN (''article'', ''procedure'', ''document'', ''activity''))')
	WHERE type = 'table' AND name = 'items';
PRAGMA writable_schema = RESET;

-- The units of the Sở that the plan puts in charge of its items. name is
-- the unit's full name as the plan writes it (an activity names its unit
-- so, in its file and its meta); slug is its short key.
CREATE TABLE units (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL UNIQUE,
	short_name TEXT NOT NULL DEFAULT ''
) STRICT;

INSERT INTO units (slug, name, short_name) VALUES
	('trung-tam-ung-dung', 'Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ', 'Trung tâm Ứng dụng và Dịch vụ KH&CN'),
	('phong-hanh-chinh-tong-hop', 'Phòng Hành chính – Tổng hợp', 'Phòng HC-TH'),
	('phong-tieu-chuan-do-luong-chat-luong', 'Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng', 'Phòng QL TĐC'),
	('chi-cuc-tieu-chuan-do-luong-chat-luong', 'Chi cục Tiêu chuẩn Đo lường Chất lượng', 'Chi cục TĐC');

-- The unit an account belongs to: an editor records the activities of
-- their own unit only. NULL: no unit (approvers and admins act on every
-- unit; an editor without one records none).
ALTER TABLE users ADD COLUMN unit_id INTEGER REFERENCES units (id);

-- An activity's unit, for the workspace's filter (the item's meta keeps it
-- by name; this column is written from it on every save).
ALTER TABLE items ADD COLUMN unit TEXT NOT NULL DEFAULT '';
CREATE INDEX items_kind_unit ON items (kind, unit);

-- Whether citizens may see the item when it is published: 1 for every
-- article, procedure and document; for an activity, only when an approver
-- chose to show it (its meta's "public"). The store writes it on every
-- save; every public query, count and index below reads it.
ALTER TABLE items ADD COLUMN public INTEGER NOT NULL DEFAULT 1;

-- The indexes public pages read through alone (0011, 0043) hold public
-- too, so that they still answer without reading a row.
DROP INDEX items_visible;
DROP INDEX items_visible_id;
DROP INDEX items_sitemap;
CREATE INDEX items_visible ON items (kind, status, published_at, deleted_at, public);
CREATE INDEX items_visible_id ON items (id, status, published_at, deleted_at, public);
CREATE INDEX items_sitemap ON items (status, deleted_at, published_at, id, kind, slug, updated_at, modified_at, public);

-- The counts of 0042, counting only what citizens may see: the same
-- triggers with public in each condition (and in the columns whose change
-- moves an item in or out). No activity exists yet, so the counts stand.
DROP TRIGGER public_counts_item_insert;
DROP TRIGGER public_counts_item_delete;
DROP TRIGGER public_counts_item_update;
DROP TRIGGER public_counts_area_insert;
DROP TRIGGER public_counts_area_delete;

CREATE TRIGGER public_counts_item_insert AFTER INSERT ON items
WHEN NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1 BEGIN
	INSERT INTO public_counts (key, n) VALUES ('kind:' || NEW.kind, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_item_delete BEFORE DELETE ON items
WHEN OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1 BEGIN
	UPDATE public_counts SET n = n - 1 WHERE key = 'kind:' || OLD.kind;
	UPDATE public_counts SET n = n - 1 WHERE key IN (SELECT 'area:' || area FROM item_areas WHERE item_id = OLD.id);
END;

CREATE TRIGGER public_counts_item_update AFTER UPDATE OF status, deleted_at, published_at, kind, public ON items
WHEN (OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1) IS NOT
	(NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1) OR OLD.kind != NEW.kind BEGIN
	UPDATE public_counts SET n = n - 1 WHERE key = 'kind:' || OLD.kind
		AND OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1;
	INSERT INTO public_counts (key, n) SELECT 'kind:' || NEW.kind, 1
		WHERE NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
	UPDATE public_counts SET n = n - 1 WHERE key IN (SELECT 'area:' || area FROM item_areas WHERE item_id = OLD.id)
		AND OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL AND OLD.public = 1;
	INSERT INTO public_counts (key, n) SELECT 'area:' || area, 1 FROM item_areas
		WHERE item_id = NEW.id AND NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.public = 1
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_area_insert AFTER INSERT ON item_areas
WHEN EXISTS (SELECT 1 FROM items WHERE id = NEW.item_id AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND public = 1) BEGIN
	INSERT INTO public_counts (key, n) VALUES ('area:' || NEW.area, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_area_delete AFTER DELETE ON item_areas
WHEN EXISTS (SELECT 1 FROM items WHERE id = OLD.item_id AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND public = 1) BEGIN
	UPDATE public_counts SET n = n - 1 WHERE key = 'area:' || OLD.area;
END;
