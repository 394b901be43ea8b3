-- Full-text search over the items citizens may see (internal/search).
--
-- FTS5 with remove_diacritics 2: mode 1 (the default) does not fold letters
-- that carry two marks (ế, ệ, ộ, ờ…) and differs between NFC and NFD. No
-- mode folds đ, so the text stored here is already folded by our own code
-- (NFC, then every diacritic removed and đ→d); queries are folded the same
-- way. The rowid is items.id. Columns, in bm25 weight order:
--   title    the title (trích yếu for documents)
--   codes    document number or procedure code, as written and as its
--            canonical key, so 04-NQ/TU is found as "4 nq tu" too
--   summary  the summary
--   body     the plain text of the rendered body
-- Snippets are cut from the original text in Go: after NFC the fold maps one
-- rune to one rune, so positions carry over.
CREATE VIRTUAL TABLE search USING fts5(
	title, codes, summary, body,
	tokenize = 'unicode61 remove_diacritics 2'
);

-- Title and number above summary, summary above body: the default rank of
-- the table, so ORDER BY rank uses these weights.
INSERT INTO search (search, rank) VALUES ('rank', 'bm25(10.0, 8.0, 3.0, 1.0)');

-- What the results page filters and counts on, one small row per indexed
-- item, written together with its search row: kind, the year shown in the
-- year filter (a document's year of issue, otherwise the year it went
-- public, in Vietnam), when it goes public (a scheduled item is indexed but
-- only found from then on) and its content areas as ' II.1 II.2.a '.
CREATE TABLE search_meta (
	item_id      INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL,
	year         INTEGER NOT NULL,
	published_at INTEGER NOT NULL,
	areas        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX search_meta_published ON search_meta (published_at DESC, item_id DESC);
