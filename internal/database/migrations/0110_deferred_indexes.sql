-- Indexes a fresh import dropped to build once at its end
-- (database.DB.DeferIndexes): each row is the CREATE INDEX statement of an
-- index that is missing now. The rows are written in the transaction that
-- drops the indexes and deleted in the one that builds them again, so a
-- crash in between leaves the rows, and the next open builds the indexes
-- before anything else (database.Open).
CREATE TABLE deferred_indexes (
	name TEXT PRIMARY KEY,
	sql  TEXT NOT NULL
) STRICT;
