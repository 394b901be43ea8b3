-- The publication log, format 2 (issue 14): a row now says whether the
-- date it claims is declared — given by an imported file or a backdated
-- form — rather than the clock's. Every row already carries both times:
-- at (the date the content claims) and recorded (the system's clock when
-- the row was written, which is what the chain vouches for). A row whose
-- two times differ by more than a day is marked declared, so that reports
-- can say how many figures rest on declared dates.
--
-- Nothing already logged is rewritten: rows written before this migration
-- keep format 1 (their hash covers the fields it covered) and no stored
-- mark (NULL: package publog derives it from at and recorded, by the same
-- rule); rows written after it are format 2, whose hash also covers the
-- mark. Adding columns fires no trigger and changes no hashed field, so
-- every existing row, hash and anchor still verifies.
ALTER TABLE publog ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format IN (1, 2));
ALTER TABLE publog ADD COLUMN declared INTEGER CHECK ((format = 1 AND declared IS NULL) OR (format = 2 AND declared IN (0, 1)));
