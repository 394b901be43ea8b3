-- Issue 20, point 4: one publication-log chain per agency (see
-- docs/DECISIONS.md, "One log chain per agency"). Each agency's log is its
-- own hash chain numbered from 1, so the table's key becomes
-- (agency_id, seq), and each chain's highest number ever given — what
-- sqlite_sequence remembered for the one chain, so that rows cut off the
-- end stay visible — moves to a log_chains row per chain.
--
-- Agency 1's chain is today's chain, byte for byte: every row is copied
-- verbatim (number, times, fields, prev_hash, hash, format, declared,
-- facts), and its log_chains row takes the number sqlite_sequence held
-- (or the highest row's, if higher). Rows of other agencies are written
-- in format 3 (package publog), which hashes the agency too; the CHECK
-- keeps agency 1 in formats 1 and 2 and the others in 3.

-- log_chains: one row per chain, written by the trigger below on every
-- insert, as SQLite writes sqlite_sequence. slug is the agency's slug when
-- its chain began: format 3 rows hash it, and an agency may later change
-- its slug without breaking its chain.
CREATE TABLE log_chains (
	agency_id INTEGER PRIMARY KEY REFERENCES agencies (id),
	issued    INTEGER NOT NULL CHECK (issued > 0), -- the highest row number the chain ever gave
	slug      TEXT NOT NULL CHECK (slug <> '')     -- the agency's slug when the chain began
) STRICT;

INSERT INTO log_chains (agency_id, issued, slug)
SELECT 1, n, (SELECT slug FROM agencies WHERE id = 1)
FROM (SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'publog'), 0),
		COALESCE((SELECT max(seq) FROM publog WHERE agency_id = 1), 0)) AS n)
WHERE n > 0;

CREATE TABLE publog_chains (
	seq        INTEGER NOT NULL,                  -- the row's number in its agency's chain, from 1, without gaps
	at         INTEGER NOT NULL,                  -- unix seconds (UTC) when the change took effect
	recorded   INTEGER NOT NULL,                  -- unix seconds (UTC) when the row was written
	type       TEXT NOT NULL CHECK (type IN ('publish', 'update', 'withdraw', 'republish', 'unpublish')),
	actor      TEXT NOT NULL DEFAULT '',
	item_id    INTEGER NOT NULL,                  -- no foreign key: the log outlives a purged item
	item_uid   TEXT NOT NULL,
	kind       TEXT NOT NULL,
	ref        TEXT NOT NULL DEFAULT '',          -- document number or procedure code
	title      TEXT NOT NULL,
	url        TEXT NOT NULL,
	plan_item  TEXT NOT NULL DEFAULT '',
	areas      TEXT NOT NULL DEFAULT '',          -- area ids joined by ','
	author     TEXT NOT NULL DEFAULT '',
	issued     TEXT NOT NULL DEFAULT '',          -- yyyy-mm-dd, documents: for the issue-to-publication delay
	note       TEXT NOT NULL DEFAULT '',
	imported   INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL,
	format     INTEGER NOT NULL DEFAULT 1 CHECK (format IN (1, 2, 3)),
	declared   INTEGER CHECK ((format = 1 AND declared IS NULL) OR (format IN (2, 3) AND declared IN (0, 1))),
	facts      TEXT CHECK (facts IS NULL OR (format IN (2, 3) AND facts <> '')),
	agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id),
	PRIMARY KEY (agency_id, seq),
	CHECK ((agency_id = 1) = (format IN (1, 2)))
) STRICT, WITHOUT ROWID; -- stored in key order: walking one chain reads its rows in sequence

INSERT INTO publog_chains (seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url, plan_item, areas,
		author, issued, note, imported, prev_hash, hash, format, declared, facts, agency_id)
	SELECT seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url, plan_item, areas,
		author, issued, note, imported, prev_hash, hash, format, declared, facts, agency_id
	FROM publog ORDER BY seq;

-- Dropping the table drops its triggers and indexes, fires no trigger,
-- and removes its sqlite_sequence row (log_chains holds the number now).
DROP TABLE publog;
ALTER TABLE publog_chains RENAME TO publog;

CREATE INDEX publog_at ON publog (agency_id, at);
CREATE INDEX publog_item ON publog (item_id, seq);

-- Append-only at the SQL level too, as before: only someone who drops
-- these triggers (and then the hash chain gives them away) can change
-- history.
CREATE TRIGGER publog_no_update BEFORE UPDATE ON publog
BEGIN
	SELECT RAISE(ABORT, 'publog: nhật ký xuất bản chỉ được ghi thêm, không được sửa');
END;

CREATE TRIGGER publog_no_delete BEFORE DELETE ON publog
BEGIN
	SELECT RAISE(ABORT, 'publog: nhật ký xuất bản chỉ được ghi thêm, không được xóa');
END;

-- The chain's highest number, kept as SQLite keeps sqlite_sequence: by
-- the engine on every insert, whoever inserts. A chain's first row also
-- fixes the slug its format 3 rows hash.
CREATE TRIGGER publog_chain AFTER INSERT ON publog
BEGIN
	INSERT INTO log_chains (agency_id, issued, slug)
		SELECT NEW.agency_id, NEW.seq, slug FROM agencies WHERE id = NEW.agency_id
		ON CONFLICT (agency_id) DO UPDATE SET issued = max(issued, excluded.issued);
END;

-- A chain's row never goes back: its number only grows, its slug and
-- agency never change, and it is never deleted.
CREATE TRIGGER log_chains_no_update BEFORE UPDATE ON log_chains
	WHEN NEW.issued < OLD.issued OR NEW.slug IS NOT OLD.slug OR NEW.agency_id IS NOT OLD.agency_id
BEGIN
	SELECT RAISE(ABORT, 'publog: số thứ tự đã cấp của chuỗi nhật ký chỉ tăng, không được sửa');
END;

CREATE TRIGGER log_chains_no_delete BEFORE DELETE ON log_chains
BEGIN
	SELECT RAISE(ABORT, 'publog: chuỗi nhật ký không được xóa');
END;
