-- The sending of a year's report (issue 14): once the report has gone to
-- the department, the dashboard says so — the date on the dispatch, its
-- number and sign (số/ký hiệu) and, optionally, the signed copy (a PDF in
-- the media library) — instead of counting days past the deadline.
-- Recorded on the dashboard by an approver or an admin, with an audit row
-- in the same transaction. A year may have several records (a corrected
-- report sent again); the newest is the one shown. Rows are never
-- changed: a mistaken record is followed by the right one.
CREATE TABLE report_sendings (
	id          INTEGER PRIMARY KEY,
	year        INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
	sent_on     TEXT NOT NULL CHECK (sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), -- the dispatch's date, yyyy-mm-dd
	number      TEXT NOT NULL CHECK (number <> ''),                -- số/ký hiệu, e.g. 45/BC-TTUD
	file        TEXT REFERENCES media (name),                      -- the signed copy; NULL when none
	note        TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL,
	recorded_at INTEGER NOT NULL                                   -- unix seconds (UTC)
) STRICT;

CREATE INDEX report_sendings_year ON report_sendings (year, id);

CREATE TRIGGER report_sendings_no_update BEFORE UPDATE ON report_sendings
BEGIN
	SELECT RAISE(ABORT, 'report_sendings: bản ghi gửi báo cáo chỉ được ghi thêm, không được sửa');
END;
