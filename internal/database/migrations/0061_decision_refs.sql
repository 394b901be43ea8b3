-- A procedure's announcing decision (quyết định công bố, issue 15 point 4)
-- is a document number linked like any citation: its reference is kept
-- with source 'decision', so the registry's changes re-render the
-- procedure and a number the registry lacks is a warning, as for the body
-- and the legal basis. SQLite cannot change a CHECK in place: the table
-- is rebuilt with the same rows (nothing references it).
CREATE TABLE item_refs_new (
	item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	key     TEXT NOT NULL,
	source  TEXT NOT NULL CHECK (source IN ('body', 'legal_basis', 'decision')),
	text    TEXT NOT NULL,
	state   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (item_id, source, key)
) STRICT, WITHOUT ROWID;
INSERT INTO item_refs_new (item_id, key, source, text, state) SELECT item_id, key, source, text, state FROM item_refs;
DROP TABLE item_refs;
ALTER TABLE item_refs_new RENAME TO item_refs;
CREATE INDEX item_refs_key ON item_refs (key, item_id);
