-- An item's newest revision no longer keeps a copy of the body: the body
-- it saved is the item's own body_md, until the item is saved again.
-- body_in_item = 1 marks such a revision, whose body_md is then empty; the
-- store copies the item's body into it before writing a new one over the
-- item (store.UpdateItem), so only the newest revision of an item is ever
-- marked. An import of 10,000 files wrote every body a fourth time here
-- (72 MiB of a 374 MiB database). Revisions stored before keep their
-- copies and are read as before.
ALTER TABLE revisions ADD COLUMN body_in_item INTEGER NOT NULL DEFAULT 0;
