-- The document registry: what each item cites, and the columns the two
-- directories filter and sort on.

-- Legal-document numbers cited by each item, in its body or (procedures) in
-- its legal basis. key is legalref's canonical key. state is what the
-- stored HTML linked to when it was rendered: '' (not in the registry),
-- 'ok', or the document's validity when it is not in force; when the
-- registry changes, items whose state no longer matches are re-rendered.
CREATE TABLE item_refs (
	item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	key     TEXT NOT NULL,
	source  TEXT NOT NULL CHECK (source IN ('body', 'legal_basis')),
	text    TEXT NOT NULL,
	state   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (item_id, source, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX item_refs_key ON item_refs (key, item_id);

-- Dates and validity of documents (yyyy-mm-dd, '' when not given), so that
-- validity can be derived in SQL for the directory's filter.
ALTER TABLE items ADD COLUMN effective TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN expires TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN validity TEXT NOT NULL DEFAULT '';
-- Vietnamese collation key of the title (golang.org/x/text/collate), so
-- "sort by name" is an index-friendly ORDER BY.
ALTER TABLE items ADD COLUMN title_key BLOB NOT NULL DEFAULT x'';

CREATE INDEX items_procedure_dir ON items (kind, field, level, online);
CREATE INDEX items_document_dir ON items (kind, doc_type, issuer, issued);
CREATE INDEX items_title_key ON items (kind, title_key);
