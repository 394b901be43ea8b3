-- A counter that moves whenever anything the public site shows changes,
-- bumped by triggers so that every writer (the server, or a cchc import
-- run beside it) moves it in the same transaction. The page cache drops
-- everything it holds when the counter moves.
CREATE TABLE site_state (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
) STRICT;
INSERT INTO site_state (id, version) VALUES (1, 0);

CREATE TRIGGER items_version_insert AFTER INSERT ON items BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER items_version_update AFTER UPDATE ON items BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER items_version_delete AFTER DELETE ON items BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER plans_version_insert AFTER INSERT ON plans BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER plans_version_update AFTER UPDATE ON plans BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
