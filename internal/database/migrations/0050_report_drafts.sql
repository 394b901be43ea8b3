-- Sections II and III of the year's report (issue 14.6): "Tồn tại, hạn
-- chế và nguyên nhân" and "Phương hướng, nhiệm vụ và kiến nghị" are prose
-- the staff write, not figures. Each save is a new revision of the year's
-- draft; nothing is overwritten, so the history stays and two people
-- saving over the same revision meet the primary key (the second is told
-- of the conflict and shown both versions). The print uses the newest.
CREATE TABLE report_drafts (
	year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
	revision     INTEGER NOT NULL CHECK (revision >= 1),
	shortcomings TEXT NOT NULL,  -- section II
	directions   TEXT NOT NULL,  -- section III
	author       TEXT NOT NULL,
	saved_at     INTEGER NOT NULL, -- unix seconds (UTC)
	PRIMARY KEY (year, revision)
) STRICT;

CREATE TRIGGER report_drafts_no_update BEFORE UPDATE ON report_drafts
BEGIN
	SELECT RAISE(ABORT, 'report_drafts: bản ghi dự thảo chỉ được ghi thêm, không được sửa');
END;

CREATE TRIGGER report_drafts_no_delete BEFORE DELETE ON report_drafts
BEGIN
	SELECT RAISE(ABORT, 'report_drafts: bản ghi dự thảo chỉ được ghi thêm, không được xóa');
END;
