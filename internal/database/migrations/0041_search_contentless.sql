-- The search index keeps no copy of the text (FTS5 content=''): nothing
-- reads the folded text back — results are found by MATCH and ranked by
-- bm25, which need only the index and the column sizes, and snippets are
-- cut from the item's own text (package search). The copy was the fourth
-- one of every body (50 MiB of a 374 MiB database at 10,000 items).
-- contentless_delete=1 keeps DELETE by rowid working (SQLite 3.43+), as
-- the index's writers need. Same columns, tokenizer and ranking as
-- migration 0003; the index is rebuilt from the old table's text.
CREATE VIRTUAL TABLE search_contentless USING fts5(
	title, codes, summary, body,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_contentless (search_contentless, rank) VALUES ('rank', 'bm25(10.0, 8.0, 3.0, 1.0)');
INSERT INTO search_contentless (rowid, title, codes, summary, body)
	SELECT rowid, title, codes, summary, body FROM search;
DROP TABLE search;
ALTER TABLE search_contentless RENAME TO search;
