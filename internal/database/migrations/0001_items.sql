-- The content model: one row per item (article, procedure or document) with
-- the fields the public pages and directories query promoted to columns, the
-- whole front matter as JSON in meta, and the Markdown and its rendered HTML
-- (rendered on write, so reads never run the Markdown pipeline).
CREATE TABLE items (
	id            INTEGER PRIMARY KEY,
	uid           TEXT NOT NULL UNIQUE,      -- permanent identity for feeds; never changes
	kind          TEXT NOT NULL CHECK (kind IN ('article', 'procedure', 'document')),
	slug          TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'draft'
	              CHECK (status IN ('draft', 'submitted', 'published', 'withdrawn')),
	title         TEXT NOT NULL,
	summary       TEXT NOT NULL DEFAULT '',
	number        TEXT,                      -- document number as written
	number_key    TEXT,                      -- its canonical key (legalref.Key)
	code          TEXT,                      -- procedure code
	doc_type      TEXT NOT NULL DEFAULT '',
	issuer        TEXT NOT NULL DEFAULT '',
	field         TEXT NOT NULL DEFAULT '',
	level         TEXT NOT NULL DEFAULT '',
	online        TEXT NOT NULL DEFAULT '',
	author        TEXT NOT NULL DEFAULT '',
	plan_item     TEXT NOT NULL DEFAULT '',
	issued        TEXT NOT NULL DEFAULT '',  -- yyyy-mm-dd, documents
	published_at  INTEGER,                   -- unix seconds; when it goes (or went) public
	updated_at    INTEGER,                   -- unix seconds of the last major update
	meta          TEXT NOT NULL DEFAULT '{}',
	body_md       TEXT NOT NULL DEFAULT '',
	body_html     TEXT NOT NULL DEFAULT '',
	body_text     TEXT NOT NULL DEFAULT '',
	source_path   TEXT UNIQUE,               -- content file it was imported from, if any
	content_hash  TEXT NOT NULL DEFAULT '',
	version       INTEGER NOT NULL DEFAULT 1, -- bumped on every save; guards against lost updates
	created_at    INTEGER NOT NULL,
	modified_at   INTEGER NOT NULL,
	deleted_at    INTEGER,                   -- in the trash when set
	withdrawn_reason TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE UNIQUE INDEX items_kind_slug ON items (kind, slug);
CREATE UNIQUE INDEX items_number_key ON items (number_key) WHERE number_key IS NOT NULL;
CREATE UNIQUE INDEX items_code ON items (code) WHERE code IS NOT NULL;
CREATE INDEX items_public ON items (kind, status, published_at DESC);

-- Content areas (II.x) an item belongs to, for the area pages and reports.
CREATE TABLE item_areas (
	item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	area    TEXT NOT NULL,
	PRIMARY KEY (item_id, area)
) STRICT, WITHOUT ROWID;
CREATE INDEX item_areas_area ON item_areas (area, item_id);

-- Every saved version of every item, the current one included.
CREATE TABLE revisions (
	id           INTEGER PRIMARY KEY,
	item_id      INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	n            INTEGER NOT NULL,           -- 1, 2, … per item
	created_at   INTEGER NOT NULL,
	actor        TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL,
	meta         TEXT NOT NULL,
	body_md      TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	UNIQUE (item_id, n)
) STRICT;

-- Annual plans (content/plans/YEAR.yaml), parsed, as JSON.
CREATE TABLE plans (
	year         INTEGER PRIMARY KEY,
	number       TEXT NOT NULL,
	title        TEXT NOT NULL,
	data         TEXT NOT NULL,
	source_path  TEXT NOT NULL DEFAULT '',
	content_hash TEXT NOT NULL
) STRICT;
