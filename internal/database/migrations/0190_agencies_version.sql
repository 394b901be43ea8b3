-- Issue 20, point 1: each agency's column answers at its prefix or host,
-- and its pages carry its name. A change to an agency therefore changes
-- what the public site shows: it moves the site version (0010), so the
-- page cache drops its pages and the router's table of columns
-- (web.Columns) is read again, in this process and in a server running
-- beside a command that made the change.
CREATE TRIGGER agencies_version_insert AFTER INSERT ON agencies BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER agencies_version_update AFTER UPDATE ON agencies BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER agencies_version_delete AFTER DELETE ON agencies BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
