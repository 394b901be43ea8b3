package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"cchc/internal/content"
)

// StoredPlan is a plan with the hash of the file it came from.
type StoredPlan struct {
	content.Plan
	SourcePath  string
	ContentHash string
	// SourceYAML is the plan file as written.
	SourceYAML string
}

// PutPlan stores (or replaces) the plan for its year.
func (s *Store) PutPlan(ctx context.Context, tx *sql.Tx, p *StoredPlan) error {
	data, err := json.Marshal(&p.Plan)
	if err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plans (year, number, title, data, source_path, content_hash, source) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (year) DO UPDATE SET number = excluded.number, title = excluded.title, data = excluded.data,
		source_path = excluded.source_path, content_hash = excluded.content_hash, source = excluded.source`,
		p.Year, p.Number, p.Title, string(data), p.SourcePath, p.ContentHash, p.SourceYAML)
	if err != nil {
		return fmt.Errorf("store: plan %d: %w", p.Year, err)
	}
	return nil
}

// Plans returns every stored plan, newest year first.
func (s *Store) Plans(ctx context.Context) ([]*StoredPlan, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT data, source_path, content_hash, source FROM plans ORDER BY year DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	defer rows.Close()
	var out []*StoredPlan
	for rows.Next() {
		var data string
		p := &StoredPlan{}
		if err := rows.Scan(&data, &p.SourcePath, &p.ContentHash, &p.SourceYAML); err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &p.Plan); err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Plan returns the plan for year.
func (s *Store) Plan(ctx context.Context, year int) (*StoredPlan, error) {
	var data string
	p := &StoredPlan{}
	err := s.db.Read.QueryRowContext(ctx, `SELECT data, source_path, content_hash, source FROM plans WHERE year = ?`, year).Scan(&data, &p.SourcePath, &p.ContentHash, &p.SourceYAML)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: plan %d: %w", year, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: plan %d: %w", year, err)
	}
	if err := json.Unmarshal([]byte(data), &p.Plan); err != nil {
		return nil, fmt.Errorf("store: plan %d: %w", year, err)
	}
	return p, nil
}
