package store

import "context"

// OwnersQuery is the uniqueness query, for its plan.
const OwnersQuery = ownersQuery

// MediaPageQuery and MediaCountQuery read an agency's library, for their
// plans.
const (
	MediaPageQuery  = mediaPageQuery
	MediaCountQuery = mediaCountQuery
)

// DraftsByWhere selects a dashboard's drafts, for its plan.
const DraftsByWhere = draftsByWhere

// PublicWhere is q's condition for the agency ctx acts for, for its plan.
func PublicWhere(ctx context.Context, q PublicQuery) (string, []any) { return q.where(ctx) }

// DirectoryWhere is q's condition for the agency ctx acts for, for its plan.
func DirectoryWhere(ctx context.Context, q DirectoryQuery) (string, []any) { return q.where(ctx, "") }
