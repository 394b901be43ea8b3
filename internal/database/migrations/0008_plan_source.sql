-- The plan file as written, so that cchc export gives it back unchanged.
ALTER TABLE plans ADD COLUMN source TEXT NOT NULL DEFAULT '';
