-- The editors' workflow.
-- live: the item's publication has been recorded in the publication log.
-- A scheduled item (status published, published_at in the future) becomes
-- visible at its time by the clock alone; the scheduler then records it and
-- sets live, exactly once, catching up after a restart.
ALTER TABLE items ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
-- The approver's comment when sending an item back to draft.
ALTER TABLE items ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
-- Who created the item (a user name, or "import").
ALTER TABLE items ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
-- A revision that is a major update carries a public change note.
ALTER TABLE revisions ADD COLUMN major INTEGER NOT NULL DEFAULT 0;

UPDATE items SET live = 1 WHERE status IN ('published', 'withdrawn') AND published_at <= CAST(strftime('%s', 'now') AS INTEGER);
UPDATE items SET created_by = 'import' WHERE source_path IS NOT NULL;

CREATE INDEX items_due ON items (live, status, published_at);
