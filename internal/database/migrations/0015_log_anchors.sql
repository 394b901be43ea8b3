-- Anchors of the publication log, written by `cchc log anchor`: the
-- chain's last row (number and hash) at a date, signed with an Ed25519 key
-- kept outside the data folder. The signed files, kept away from this
-- database, are what protect the chain; these copies let the dashboard
-- show when the last anchor was made, and let `cchc log verify` notice a
-- chain cut or rewritten below an anchor the attacker left here. (The
-- number 0015 leaves room for other branches' migrations.)
CREATE TABLE log_anchors (
	id         INTEGER PRIMARY KEY,
	created    INTEGER NOT NULL,               -- unix seconds (UTC), as signed
	seq        INTEGER NOT NULL CHECK (seq > 0), -- the anchored row
	hash       TEXT NOT NULL,                  -- its hash
	rows       INTEGER NOT NULL,               -- rows in the log then
	public_key TEXT NOT NULL,                  -- base64 of the Ed25519 public key
	signature  TEXT NOT NULL                   -- base64 of the signature (see internal/publog)
) STRICT;

-- Append-only, like the log itself.
CREATE TRIGGER log_anchors_no_update BEFORE UPDATE ON log_anchors
BEGIN
	SELECT RAISE(ABORT, 'publog: mốc kiểm chứng chỉ được ghi thêm, không được sửa');
END;

CREATE TRIGGER log_anchors_no_delete BEFORE DELETE ON log_anchors
BEGIN
	SELECT RAISE(ABORT, 'publog: mốc kiểm chứng chỉ được ghi thêm, không được xóa');
END;
