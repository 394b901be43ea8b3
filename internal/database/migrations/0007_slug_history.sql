-- Old slugs, so that a page whose slug changed (renamed in the admin, or
-- re-imported with a new slug: field) answers its old address with a 301 to
-- the new one instead of a 404 that breaks links, bookmarks and search
-- results. A trigger fills it, so every write path (import, admin, any
-- future one) records the change without code of its own.
CREATE TABLE slug_history (
	kind       TEXT NOT NULL,
	slug       TEXT NOT NULL,     -- the old slug
	item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	changed_at INTEGER NOT NULL,  -- unix seconds, the item's modified_at when it moved
	PRIMARY KEY (kind, slug)
) STRICT, WITHOUT ROWID;
CREATE INDEX slug_history_item ON slug_history (item_id);

-- UPDATE items SET slug = ? fires this even when the slug stays the same:
-- the WHEN clause keeps those out. An old slug taken by another item later
-- is simply shadowed (the live item wins); an item that gets an old slug
-- of its own back no longer redirects from it.
CREATE TRIGGER items_slug_history AFTER UPDATE OF slug ON items
WHEN OLD.slug <> NEW.slug
BEGIN
	INSERT INTO slug_history (kind, slug, item_id, changed_at)
	VALUES (OLD.kind, OLD.slug, OLD.id, NEW.modified_at)
	ON CONFLICT (kind, slug) DO UPDATE SET item_id = excluded.item_id, changed_at = excluded.changed_at;
	DELETE FROM slug_history WHERE kind = NEW.kind AND slug = NEW.slug;
END;
