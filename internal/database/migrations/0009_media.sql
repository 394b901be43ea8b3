-- The media library: one row per stored file under DATA/media/. The file's
-- name is the SHA-256 of its bytes with the extension of its sniffed type,
-- so the same file uploaded twice is one row and one file, and a name in a
-- Markdown body or a document's file field never goes stale.
CREATE TABLE media (
	name          TEXT PRIMARY KEY CHECK (length(name) BETWEEN 68 AND 69), -- sha256hex.ext
	content_type  TEXT NOT NULL,               -- from the bytes, not the client
	size          INTEGER NOT NULL CHECK (size >= 0),
	original_name TEXT NOT NULL DEFAULT '',    -- cleaned, NFC; for Content-Disposition only
	alt           TEXT NOT NULL DEFAULT '',    -- an image's text alternative
	source_path   TEXT NOT NULL DEFAULT '',    -- relative path in the content folder it was imported from, for export
	uploaded_by   TEXT NOT NULL DEFAULT '',    -- account name, or 'import'
	uploaded_at   INTEGER NOT NULL             -- unix seconds
) STRICT, WITHOUT ROWID;
CREATE INDEX media_uploaded ON media (uploaded_at DESC, name);
