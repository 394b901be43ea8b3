-- The workspace's lists (store.AdminItems) in their two orders: newest
-- publication first (an item never published counts its last edit) and
-- last edit first. Without them every list page read each of the kind's
-- rows and sorted them all, whatever the page: 0.4-0.8 s a page for the
-- 70,000 articles of a 100,000-item column. With them a page walks the
-- index to its offset and reads its own 30 rows; the list's filters by
-- status, date and author, its count, and the authors of the author
-- filter are answered from the index alone.
CREATE INDEX items_admin_published ON items (agency_id, kind, deleted_at, COALESCE(published_at, modified_at) DESC, id DESC,
	status, published_at, created_by);
CREATE INDEX items_admin_edited ON items (agency_id, kind, deleted_at, modified_at DESC, id DESC,
	status, published_at, created_by);
