-- The directories (procedures, documents) count, facet and page through
-- the public items of a kind by every filter they offer. Each of those
-- queries read every item of the kind from the table, and the columns
-- after the bodies (deleted_at; a document's effective, expires and
-- validity, added later) only by walking each row's overflow pages:
-- 0.5 s for /thu-tuc-hanh-chinh/ and 1.1 s for /van-ban/ cold at 100,000
-- items. These indexes hold every column those queries read, so they
-- never touch a row but the page's own twenty. They replace the indexes
-- of migration 0002 on the same filters.
DROP INDEX IF EXISTS items_procedure_dir;
DROP INDEX IF EXISTS items_document_dir;
CREATE INDEX items_procedure_dir ON items (kind, status, deleted_at, field, level, online, published_at);
CREATE INDEX items_document_dir ON items (kind, status, deleted_at, doc_type, issuer, issued, validity, effective, expires, published_at, number_key);
-- Sorted by name, the same: the name's collation key with what the
-- filters read.
DROP INDEX IF EXISTS items_title_key;
CREATE INDEX items_title_key ON items (kind, title_key, status, deleted_at, published_at);
