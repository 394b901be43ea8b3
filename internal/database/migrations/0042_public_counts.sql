-- Counts of the items lists show, kept up to date on write, so that no
-- page counts 100,000 rows (the first home page after a start counted
-- every item per content area: 0.2–0.5 s at 100,000 items, most of the
-- time to the first answer). Keys are 'kind:article' … and 'area:II.1' …;
-- n counts the items that are published, not in the trash and dated
-- (published_at set) — whatever the date: the store subtracts those dated
-- in the future (scheduled, few, found through items_public), since
-- time passing changes no row.
CREATE TABLE public_counts (
	key TEXT PRIMARY KEY,
	n   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO public_counts (key, n)
	SELECT 'kind:' || kind, COUNT(*) FROM items
	WHERE status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL GROUP BY kind;
INSERT INTO public_counts (key, n)
	SELECT 'area:' || a.area, COUNT(*) FROM item_areas a JOIN items i ON i.id = a.item_id
	WHERE i.status = 'published' AND i.deleted_at IS NULL AND i.published_at IS NOT NULL GROUP BY a.area;

-- An item counts when it is published, not in the trash and dated.
CREATE TRIGGER public_counts_item_insert AFTER INSERT ON items
WHEN NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL BEGIN
	INSERT INTO public_counts (key, n) VALUES ('kind:' || NEW.kind, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

-- Items are never deleted (the trash is deleted_at), but should one be,
-- its counts go with it while its areas are still there.
CREATE TRIGGER public_counts_item_delete BEFORE DELETE ON items
WHEN OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL BEGIN
	UPDATE public_counts SET n = n - 1 WHERE key = 'kind:' || OLD.kind;
	UPDATE public_counts SET n = n - 1 WHERE key IN (SELECT 'area:' || area FROM item_areas WHERE item_id = OLD.id);
END;

-- A change of state moves the item's kind and its areas (those stored
-- now: a save rewrites its areas after its row, through the triggers
-- below, which see the row's new state).
CREATE TRIGGER public_counts_item_update AFTER UPDATE OF status, deleted_at, published_at, kind ON items
WHEN (OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL) IS NOT
	(NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL) OR OLD.kind != NEW.kind BEGIN
	UPDATE public_counts SET n = n - 1 WHERE key = 'kind:' || OLD.kind
		AND OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL;
	INSERT INTO public_counts (key, n) SELECT 'kind:' || NEW.kind, 1
		WHERE NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
	UPDATE public_counts SET n = n - 1 WHERE key IN (SELECT 'area:' || area FROM item_areas WHERE item_id = OLD.id)
		AND OLD.status = 'published' AND OLD.deleted_at IS NULL AND OLD.published_at IS NOT NULL;
	INSERT INTO public_counts (key, n) SELECT 'area:' || area, 1 FROM item_areas
		WHERE item_id = NEW.id AND NEW.status = 'published' AND NEW.deleted_at IS NULL AND NEW.published_at IS NOT NULL
		ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_area_insert AFTER INSERT ON item_areas
WHEN EXISTS (SELECT 1 FROM items WHERE id = NEW.item_id AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL) BEGIN
	INSERT INTO public_counts (key, n) VALUES ('area:' || NEW.area, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER public_counts_area_delete AFTER DELETE ON item_areas
WHEN EXISTS (SELECT 1 FROM items WHERE id = OLD.item_id AND status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL) BEGIN
	UPDATE public_counts SET n = n - 1 WHERE key = 'area:' || OLD.area;
END;
