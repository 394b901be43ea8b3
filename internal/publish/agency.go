package publish

import (
	"context"
	"database/sql"
	"fmt"

	"cchc/internal/agency"
	"cchc/internal/store"
)

// agencyOf is the agency who acts for: the account's (Actor.AgencyID),
// else the one ctx acts for (a command's --agency, or the root).
func agencyOf(ctx context.Context, who Actor) int64 {
	if who.AgencyID > 0 {
		return who.AgencyID
	}
	return agency.IDFrom(ctx)
}

// AgencyAllowed refuses who an item owned by another agency than the one
// they act for, as if it did not exist: the error wraps store.ErrNotFound
// (the workspace's 404), so an account learns nothing of another agency's
// items, not even that an id is taken. Every change to an existing item
// asks it inside its write transaction (tx), on the row as stored, so no
// handler can forget it and no concurrent change can slip past it; the
// workspace asks it too (tx nil) before it shows an item's pages.
func (s *Service) AgencyAllowed(ctx context.Context, tx *sql.Tx, who Actor, id int64) error {
	owner, err := s.store.ItemAgency(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("publish: item %d: %w", id, err)
	}
	if owner != agencyOf(ctx, who) {
		return fmt.Errorf("publish: item %d belongs to agency %d: %w", id, owner, store.ErrNotFound)
	}
	return nil
}
