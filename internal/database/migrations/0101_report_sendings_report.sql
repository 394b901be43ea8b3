-- A plan has two reports with two deadlines (issue 16): the unit's report
-- to the Sở (the Trung tâm's, due 10/11) and the Sở's consolidated report
-- to the provincial People's Committee (due 15/11). A sending says which
-- one it was: '' the unit's (every row written before this migration, when
-- there was only that one), 'so' the Sở's. Adding a column fires no
-- trigger, so the append-only rule on report_sendings stands.
ALTER TABLE report_sendings ADD COLUMN report TEXT NOT NULL DEFAULT '' CHECK (report IN ('', 'so'));
