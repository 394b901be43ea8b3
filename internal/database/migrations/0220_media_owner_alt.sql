-- Issue 20's edges (h21): a file is one row for the instance (its name is
-- its bytes' hash), but its alt text is what each agency typed. The first
-- uploader's stays on media.alt; every other owner's is kept on its
-- ownership row (0151), so a second agency uploading the same image keeps
-- the words it chose instead of reading the first agency's. '' means the
-- owner typed none (a file that is not an image): the first's is shown.
ALTER TABLE media_owners ADD COLUMN alt TEXT NOT NULL DEFAULT '';
