-- Stored files are public content too: a document's page shows its
-- attached file's type and size, and feeds carry them as enclosures. So a
-- change to the media library moves the site version like a change to
-- items or plans (0010), and the page cache — which now drops its pages
-- only when this counter moves, not after every commit — drops them.
CREATE TRIGGER media_version_insert AFTER INSERT ON media BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER media_version_update AFTER UPDATE ON media BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER media_version_delete AFTER DELETE ON media BEGIN
	UPDATE site_state SET version = version + 1 WHERE id = 1;
END;
