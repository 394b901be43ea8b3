-- Issue 20, point 2: the province role (tổng hợp), which reads every
-- agency's dashboard and report and writes nothing. users.role has a
-- CHECK listing the roles (0005); it is widened in place as 0091 widened
-- items.kind's: SQLite cannot alter a CHECK, and rebuilding users would
-- cascade-delete its sessions (the runner keeps foreign keys on, and a
-- transaction cannot turn them off). Editing the stored schema is the
-- change SQLite documents as safe when every existing row stays valid
-- (https://sqlite.org/lang_altertable.html, "making other kinds of table
-- schema changes"), as a wider CHECK leaves them; the statements below
-- bump the schema cookie, so every connection reloads it.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
	SET sql = replace(sql, 'CHECK (role IN (''viewer'', ''editor'', ''approver'', ''admin''))',
		'CHECK (role IN (''viewer'', ''editor'', ''approver'', ''admin'', ''province''))')
	WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
