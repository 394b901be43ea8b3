package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/tthclist"
)

// StoredPlan is a plan with the hash of the file it came from.
type StoredPlan struct {
	content.Plan
	SourcePath  string
	ContentHash string
	// SourceYAML is the plan file as written.
	SourceYAML string
	// ListPath and ListSource are the official list of procedures the plan
	// names (procedure_list), its path in the content folder and its bytes
	// as given; Procedures is the list as read. Empty and nil when the
	// plan names none.
	ListPath   string
	ListSource []byte
	Procedures *tthclist.List
}

const planColumns = `data, source_path, content_hash, source, procedure_list_path, procedure_list_source, procedure_list`

func scanPlan(row scanner) (*StoredPlan, error) {
	var data, list string
	p := &StoredPlan{}
	if err := row.Scan(&data, &p.SourcePath, &p.ContentHash, &p.SourceYAML, &p.ListPath, &p.ListSource, &list); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &p.Plan); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(list), &p.Procedures); err != nil {
		return nil, err
	}
	return p, nil
}

// PutPlan stores (or replaces) the agency's plan for its year, and adds
// the units its items put in charge that the agency lacks (addPlanUnits). It
// updates, then inserts when there was nothing to update, rather than
// naming the key in an upsert: the key was the year alone before
// migration 0150, and a binary must write the schema it opens.
func (s *Store) PutPlan(ctx context.Context, tx *sql.Tx, p *StoredPlan) error {
	data, err := json.Marshal(&p.Plan)
	if err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	}
	list, err := json.Marshal(p.Procedures)
	if err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	}
	own := agency.IDFrom(ctx)
	res, err := tx.ExecContext(ctx, `UPDATE plans SET number = ?, title = ?, data = ?, source_path = ?, content_hash = ?, source = ?,
		procedure_list_path = ?, procedure_list_source = ?, procedure_list = ? WHERE agency_id = ? AND year = ?`,
		p.Number, p.Title, string(data), p.SourcePath, p.ContentHash, p.SourceYAML, p.ListPath, p.ListSource, string(list), own, p.Year)
	if err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	} else if n > 0 {
		return s.addPlanUnits(ctx, tx, &p.Plan)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plans (agency_id, year, number, title, data, source_path, content_hash, source,
			procedure_list_path, procedure_list_source, procedure_list) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		own, p.Year, p.Number, p.Title, string(data), p.SourcePath, p.ContentHash, p.SourceYAML, p.ListPath, p.ListSource, string(list))
	if err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	}
	return s.addPlanUnits(ctx, tx, &p.Plan)
}

// Plans returns every stored plan of the agency, newest year first.
func (s *Store) Plans(ctx context.Context) ([]*StoredPlan, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+planColumns+` FROM plans WHERE agency_id = ? ORDER BY year DESC`, agency.IDFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	defer rows.Close()
	var out []*StoredPlan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Plan returns the agency's plan for year.
func (s *Store) Plan(ctx context.Context, year int) (*StoredPlan, error) {
	p, err := scanPlan(s.db.Read.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans WHERE agency_id = ? AND year = ?`, agency.IDFrom(ctx), year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: plan %d: %w", year, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: plan %d: %w", year, err)
	}
	return p, nil
}
