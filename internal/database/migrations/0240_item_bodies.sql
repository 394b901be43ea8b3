-- Issue 18: an item's three texts (its Markdown, the HTML rendered from it
-- and its plain text) move out of items into a table of their own, one
-- row per item under the same id.
--
-- Together they are most of a row (22 KB an item in the 10,000 corpus,
-- past a 16 KiB page): every read of items that does not need them --
-- building an index, a list page, the registry, the check of links --
-- walked their pages to reach the columns after them (items' later
-- columns come after the texts). Without them items is about a twelfth
-- of its size: an import's eleven deferred index builds each scan it
-- once, and took 4.5 times as long over the texts.
--
-- DROP COLUMN rewrites each row smaller where it was: items would keep
-- its pages, nine tenths empty (144 MiB for 10,000 items, against 18 MiB
-- built afresh), and the texts' old pages would stay free in the file.
-- The open that applies this rewrites the database compactly:
-- cchc: vacuum after
CREATE TABLE item_bodies (
	item_id   INTEGER PRIMARY KEY REFERENCES items (id),
	body_md   TEXT NOT NULL DEFAULT '',
	body_html TEXT NOT NULL DEFAULT '',
	body_text TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO item_bodies (item_id, body_md, body_html, body_text)
	SELECT id, body_md, body_html, body_text FROM items;
-- Each DROP COLUMN rewrites every row of items: emptied first, the texts
-- are rewritten once, not three times (100,000 items: 37 s to the first
-- answer against 44 s).
UPDATE items SET body_md = '', body_html = '', body_text = '';
ALTER TABLE items DROP COLUMN body_md;
ALTER TABLE items DROP COLUMN body_html;
ALTER TABLE items DROP COLUMN body_text;
