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

// AdminListQueries are the count and the page's ids of an editors' list,
// as AdminItems runs them, for their plans.
func AdminListQueries(ctx context.Context, q AdminQuery) (count, page string, args []any) {
	return q.listQueries(ctx)
}

// ItemAuthorsQuery lists a list's authors, for its plan.
const ItemAuthorsQuery = itemAuthorsQuery

// TrashPageQuery finds a page of the trash, for its plan.
const TrashPageQuery = trashPageQuery

// PublicWhere is q's condition for the agency ctx acts for, for its plan.
func PublicWhere(ctx context.Context, q PublicQuery) (string, []any) { return q.where(ctx) }

// DirectoryWhere is q's condition for the agency ctx acts for, for its plan.
func DirectoryWhere(ctx context.Context, q DirectoryQuery) (string, []any) { return q.where(ctx, "") }
