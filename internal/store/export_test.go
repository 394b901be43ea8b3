package store

// OwnersQuery is the uniqueness query, for its plan.
const OwnersQuery = ownersQuery
