-- Relations between documents (issue 15): replaces, amends, repeals (in
-- whole or in part), guides. Each row is one relation a document states,
-- kept from the acting side whichever side wrote it, so that the two
-- documents' pages read the same row and the registry stays symmetric.
-- item_id is the document stating it: a relation counts only while that
-- document is public. date is when it takes effect (yyyy-mm-dd), '' when
-- the entry gives none: it then takes effect with the acting document
-- (its effective date, else its issue date), resolved when read so that
-- re-importing that document moves it.
CREATE TABLE doc_relations (
	item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	verb        TEXT NOT NULL CHECK (verb IN ('replaces', 'amends', 'repeals', 'repeals_part', 'guides')),
	actor_key   TEXT NOT NULL,
	actor_text  TEXT NOT NULL,
	target_key  TEXT NOT NULL,
	target_text TEXT NOT NULL,
	date        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (item_id, verb, actor_key, target_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX doc_relations_target ON doc_relations (target_key, verb);
CREATE INDEX doc_relations_actor ON doc_relations (actor_key);
