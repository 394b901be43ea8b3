-- Issue 20, points 6 and 7: search per agency and province-wide. Each
-- indexed item's row of search_meta carries the agency that owns the item,
-- copied from items.agency_id, so that the in-memory table search filters
-- with (package search, metaTable) and the SQL that ranks hits can keep to
-- one agency's column without looking each hit up in items. It is a copy,
-- not a reference: an item's owner never changes, and the row goes with its
-- item (ON DELETE CASCADE on item_id).
--
-- The trigger copies it when the row is written, so the statement that
-- writes the row (store.IndexDoc) stays the one every schema since 0003
-- takes. Existing rows take their item's agency: every item is agency 1's
-- before issue 20's slices, so on an upgraded database the UPDATE finds
-- nothing to change.
ALTER TABLE search_meta ADD COLUMN agency_id INTEGER NOT NULL DEFAULT 1;
UPDATE search_meta SET agency_id = (SELECT i.agency_id FROM items i WHERE i.id = search_meta.item_id)
	WHERE agency_id <> (SELECT i.agency_id FROM items i WHERE i.id = search_meta.item_id);
CREATE TRIGGER search_meta_agency AFTER INSERT ON search_meta
	WHEN NEW.agency_id <> (SELECT i.agency_id FROM items i WHERE i.id = NEW.item_id)
BEGIN
	UPDATE search_meta SET agency_id = (SELECT i.agency_id FROM items i WHERE i.id = NEW.item_id)
		WHERE item_id = NEW.item_id;
END;
