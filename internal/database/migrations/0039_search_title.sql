-- A second full-text index over the titles alone (internal/search). A query
-- matching most of a large column (a common word in 100,000 items) is
-- ranked title matches first without computing bm25 over every hit; with
-- the titles in the main index, `{title} : (...)` still reads the whole
-- doclists of every column (the body's are most of them), which at 100,000
-- items cost as much again as the match itself. Here the doclists hold
-- titles only. Contentless: the titles are in `search` already; rows are
-- deleted by rowid (contentless_delete). Kept in step with `search` by the
-- statements that write it (store.IndexDoc, Unindex, ClearIndex).
CREATE VIRTUAL TABLE search_title USING fts5(
	title,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_title (rowid, title) SELECT rowid, title FROM search;
