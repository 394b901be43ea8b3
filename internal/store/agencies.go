package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"cchc/internal/agency"
	"cchc/internal/locale"
)

// AuditAgency records a change to an agency's record (migration 0130).
const AuditAgency AuditAction = "agency"

const agencyColumns = `id, slug, name, short_name, COALESCE(parent_id, 0), address, phone, email, website, prefix, host`

// scanAgency reads one row of agencyColumns.
func scanAgency(row interface{ Scan(...any) error }) (agency.Agency, error) {
	var a agency.Agency
	err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.ShortName, &a.ParentID, &a.Address, &a.Phone, &a.Email, &a.Website, &a.Prefix, &a.Host)
	return a, err
}

// Agencies lists every agency by id: the first, today's column, first.
func (s *Store) Agencies(ctx context.Context) ([]agency.Agency, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+agencyColumns+` FROM agencies ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: agencies: %w", err)
	}
	defer rows.Close()
	var out []agency.Agency
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, fmt.Errorf("store: agencies: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: agencies: %w", err)
	}
	return out, nil
}

// Agency reads the agency id; ErrNotFound when there is none.
func (s *Store) Agency(ctx context.Context, id int64) (*agency.Agency, error) {
	return s.agencyWhere(ctx, `id = ?`, id)
}

// AgencyBySlug reads the agency whose slug is slug; ErrNotFound when
// there is none.
func (s *Store) AgencyBySlug(ctx context.Context, slug string) (*agency.Agency, error) {
	return s.agencyWhere(ctx, `slug = ?`, slug)
}

func (s *Store) agencyWhere(ctx context.Context, cond string, arg any) (*agency.Agency, error) {
	a, err := scanAgency(s.db.Read.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: agency %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: agency %v: %w", arg, err)
	}
	return &a, nil
}

// CreateAgency cleans and checks a (agency.Clean, agency.Check, then what
// needs the other agencies) and adds it with its audit entry in one
// transaction, returning its id. A record with problems is refused with
// an *agency.Invalid, nothing written.
func (s *Store) CreateAgency(ctx context.Context, a agency.Agency, audit AuditEntry) (int64, error) {
	a = agency.Clean(a)
	a.ID = 0
	var id int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkAgency(ctx, tx, a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO agencies (slug, name, short_name, parent_id, address, phone, email, website, prefix, host)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.Slug, a.Name, a.ShortName, parentArg(a.ParentID), a.Address, a.Phone, a.Email, a.Website, a.Prefix, a.Host)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		audit.Action = AuditAgency
		audit.Target = fmt.Sprintf("agency:%d", id)
		return s.Audit(ctx, tx, audit)
	})
	if err != nil {
		return 0, fmt.Errorf("store: create agency %q: %w", a.Slug, err)
	}
	return id, nil
}

// UpdateAgency cleans and checks a as CreateAgency does and writes it
// over the agency a.ID with its audit entry in one transaction;
// ErrNotFound when there is no such agency.
func (s *Store) UpdateAgency(ctx context.Context, a agency.Agency, audit AuditEntry) error {
	return s.updateAgency(ctx, a, "", audit)
}

// UpdateAgencySeen is UpdateAgency for a form opened on the record whose
// AgencyStamp is seen: when the stored record is no longer that one (an
// other admin saved it meanwhile), it writes nothing and returns
// ErrConflict, checked in the write's transaction.
func (s *Store) UpdateAgencySeen(ctx context.Context, a agency.Agency, seen string, audit AuditEntry) error {
	return s.updateAgency(ctx, a, seen, audit)
}

// AgencyStamp is a fingerprint of a's stored fields, which a form carries
// so that its save sees a change made since it was opened.
func AgencyStamp(a agency.Agency) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%q\x00%q\x00%q\x00%d\x00%q\x00%q\x00%q\x00%q\x00%q\x00%q",
		a.ID, a.Slug, a.Name, a.ShortName, a.ParentID, a.Address, a.Phone, a.Email, a.Website, a.Prefix, a.Host)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func (s *Store) updateAgency(ctx context.Context, a agency.Agency, seen string, audit AuditEntry) error {
	a = agency.Clean(a)
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if seen != "" {
			cur, err := scanAgency(tx.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE id = ?`, a.ID))
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			if AgencyStamp(cur) != seen {
				return ErrConflict
			}
		}
		if err := checkAgency(ctx, tx, a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE agencies SET slug = ?, name = ?, short_name = ?, parent_id = ?, address = ?, phone = ?,
			email = ?, website = ?, prefix = ?, host = ? WHERE id = ?`,
			a.Slug, a.Name, a.ShortName, parentArg(a.ParentID), a.Address, a.Phone, a.Email, a.Website, a.Prefix, a.Host, a.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		audit.Action = AuditAgency
		audit.Target = fmt.Sprintf("agency:%d", a.ID)
		return s.Audit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: update agency %d: %w", a.ID, err)
	}
	return nil
}

// parentArg is the parent_id column's value: NULL for none.
func parentArg(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// checkAgency returns an *agency.Invalid with a's problems, its own and
// those against the other agencies: a slug, name, prefix or host another
// agency has; a second root column; a parent that does not exist or that
// has a among its ancestors.
func checkAgency(ctx context.Context, tx *sql.Tx, a agency.Agency) error {
	errs := agency.Check(a)
	if errs == nil {
		errs = map[string]string{}
	}
	taken := func(field, cond string, arg any) error {
		if _, bad := errs[field]; bad {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id <> ? AND `+cond, a.ID, arg).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			errs[field] = locale.T("agency.taken")
		}
		return nil
	}
	for _, c := range []struct {
		field, cond string
		arg         any
		when        bool
	}{
		{agency.FieldSlug, `slug = ?`, a.Slug, true},
		{agency.FieldName, `name = ?`, a.Name, true},
		{agency.FieldPrefix, `prefix = ?`, a.Prefix, a.Prefix != ""},
		{agency.FieldHost, `host = ?`, a.Host, a.Host != ""},
	} {
		if !c.when {
			continue
		}
		if err := taken(c.field, c.cond, c.arg); err != nil {
			return err
		}
	}
	if a.IsRoot() {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id <> ? AND prefix = '' AND host = ''`, a.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			errs[agency.FieldPrefix] = locale.T("agency.root.taken")
		}
	}
	if _, bad := errs[agency.FieldParent]; !bad && a.ParentID != 0 {
		// Walk up from the parent in one query: a missing parent row is a
		// missing parent, a itself on the way is a loop. The depth bound
		// stops at a loop already stored, which checkAgency never lets in.
		// One query, not one per step: an import of a chain of 1,000
		// agencies asked half a million (h21-attack).
		var found, loop int
		err := tx.QueryRowContext(ctx, `WITH RECURSIVE up(id, depth) AS (
				SELECT id, 0 FROM agencies WHERE id = ?
				UNION ALL
				SELECT a.parent_id, up.depth + 1 FROM agencies a JOIN up ON a.id = up.id
				WHERE a.parent_id IS NOT NULL AND up.id <> ? AND up.depth < 1000)
			SELECT COUNT(*), COALESCE(SUM(id = ?), 0) FROM up`, a.ParentID, a.ID, a.ID).Scan(&found, &loop)
		switch {
		case err != nil:
			return err
		case found == 0:
			errs[agency.FieldParent] = locale.T("agency.parent.missing")
		case loop > 0:
			errs[agency.FieldParent] = locale.T("agency.parent.loop")
		}
	}
	if len(errs) > 0 {
		return &agency.Invalid{Problems: errs}
	}
	return nil
}
