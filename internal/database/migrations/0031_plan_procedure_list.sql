-- A plan's official list of procedures (issue 14): the file its
-- procedure_list names (CSV or XLSX as exported from the national
-- procedure database), kept as given so that `cchc export` writes it back,
-- and as read (package tthclist, JSON) for the reports. A plan without a
-- list keeps ''/NULL/'null'.
ALTER TABLE plans ADD COLUMN procedure_list_path TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN procedure_list_source BLOB;
ALTER TABLE plans ADD COLUMN procedure_list TEXT NOT NULL DEFAULT 'null';
