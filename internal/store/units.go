package store

import (
	"context"
	"fmt"

	"cchc/internal/agency"
)

// Unit is one unit of the Sở that the plan puts in charge of its items
// (migration 0091). Activities name their unit by Name, as the plan
// writes it; accounts belong to one by ID.
type Unit struct {
	ID        int64
	Slug      string
	Name      string
	ShortName string
}

// Units lists the units of the agency ctx acts for, in the order they
// were added.
func (s *Store) Units(ctx context.Context) ([]*Unit, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, slug, name, short_name FROM units WHERE agency_id = ? ORDER BY id`, agency.IDFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	defer rows.Close()
	var out []*Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.ID, &u.Slug, &u.Name, &u.ShortName); err != nil {
			return nil, fmt.Errorf("store: units: %w", err)
		}
		out = append(out, &u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	return out, nil
}

// UnitNamed finds the unit whose full name is name, exactly as the plan
// writes it (files and forms are in NFC already): the name is what items
// keep and what permissions compare.
func UnitNamed(units []*Unit, name string) (*Unit, bool) {
	for _, u := range units {
		if u.Name == name {
			return u, true
		}
	}
	return nil, false
}
