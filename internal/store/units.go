package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/vntext"
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

// Bounds on the units a plan brings: a plan names a handful; a hostile
// file naming thousands, or a lead of a page's length, adds none of them
// past these. maxAgencyUnits bounds an agency's list whatever its plans
// (one per year, any four-digit year) and their edits name: the list is
// the accounts' choice on the account page, and units are never removed
// (h21-attack: 40 plans of 50 leads made 2,000 units, each edit more).
const (
	maxPlanUnits    = 50
	maxUnitNameRune = 200
	maxAgencyUnits  = 100
)

// unitKey is what two unit names that read the same share: their case
// folded. Names are NFC and their runs of spaces (a no-break space
// among them) are one space already: PlanUnits made them so.
func unitKey(name string) string { return strings.ToLower(name) }

// PlanUnits are the units a plan's items put in charge (their lead:, one
// or several separated by "; " as plans write them — a ";" inside a name,
// as in "&amp;", does not split it), each once, in the plan's order, with
// runs of spaces made one; names differing only by case are one unit, as
// the first writes it.
func PlanUnits(p *content.Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range p.Items {
		for name := range strings.SplitSeq(it.Lead, "; ") {
			if len(out) == maxPlanUnits {
				return out
			}
			name = strings.Join(strings.Fields(vntext.NFC(name)), " ")
			if name == "" || seen[unitKey(name)] || utf8.RuneCountInString(name) > maxUnitNameRune {
				continue
			}
			seen[unitKey(name)] = true
			out = append(out, name)
		}
	}
	return out
}

// addPlanUnits adds to the agency ctx acts for, inside tx, each unit p
// puts in charge that the agency lacks (by its full name, spaces and case
// aside), while the agency has fewer than maxAgencyUnits, with a slug
// made from the name (and -2, -3… where another of the agency's units
// has it). Units are never removed here: accounts and activities name
// them.
func (s *Store) addPlanUnits(ctx context.Context, tx *sql.Tx, p *content.Plan) error {
	names := PlanUnits(p)
	if len(names) == 0 {
		return nil
	}
	own := agency.IDFrom(ctx)
	rows, err := tx.QueryContext(ctx, `SELECT slug, name FROM units WHERE agency_id = ?`, own)
	if err != nil {
		return fmt.Errorf("store: plan units: %w", err)
	}
	slugs, have := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var slug, name string
		if err := rows.Scan(&slug, &name); err != nil {
			rows.Close()
			return fmt.Errorf("store: plan units: %w", err)
		}
		slugs[slug], have[unitKey(name)] = true, true
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("store: plan units: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: plan units: %w", err)
	}
	for _, name := range names {
		if have[unitKey(name)] {
			continue
		}
		if len(have) >= maxAgencyUnits {
			break
		}
		base := vntext.Slug(name)
		if base == "" {
			base = "don-vi"
		}
		slug := base
		for n := 2; slugs[slug]; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (agency_id, slug, name) VALUES (?, ?, ?)`, own, slug, name); err != nil {
			return fmt.Errorf("store: plan unit %q: %w", slug, err)
		}
		slugs[slug], have[unitKey(name)] = true, true
	}
	return nil
}
