-- log_chains is raised by the store with every row it appends
-- (store.InsertLogRow, an upsert in the row's transaction), no longer by
-- 0140's trigger on publog: a table with an AFTER INSERT trigger makes
-- every insert keep a statement journal of the pages it touches, which
-- doubled the cost of an append (docs/DECISIONS.md, "One log chain per
-- agency, as built"). The triggers that keep log_chains from going back
-- stay. 0140 is not edited: it was merged as it is, and a migration once
-- applied is never changed.
DROP TRIGGER publog_chain;
