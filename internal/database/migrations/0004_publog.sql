-- The publication log: one row per publish, major update, withdrawal,
-- republish and unpublish, written in the transaction of the change it
-- records. Each row carries the SHA-256 of its own content and of the row
-- before it (see internal/publog for the encoding), so that `cchc log
-- verify` notices a row changed, deleted or slipped in afterwards. The
-- columns copy what the item was at that moment (title, URL, areas…):
-- later edits to the item never rewrite history.
CREATE TABLE publog (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: a number is never reused, and sqlite_sequence remembers the last one
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
	hash       TEXT NOT NULL
) STRICT;

CREATE INDEX publog_at ON publog (at);
CREATE INDEX publog_item ON publog (item_id, seq);

-- Append-only at the SQL level too: only someone who drops these triggers
-- (and then the hash chain gives them away) can change history.
CREATE TRIGGER publog_no_update BEFORE UPDATE ON publog
BEGIN
	SELECT RAISE(ABORT, 'publog: nhật ký xuất bản chỉ được ghi thêm, không được sửa');
END;

CREATE TRIGGER publog_no_delete BEFORE DELETE ON publog
BEGIN
	SELECT RAISE(ABORT, 'publog: nhật ký xuất bản chỉ được ghi thêm, không được xóa');
END;
