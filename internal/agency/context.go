package agency

import "context"

// The agency a request or a command acts for travels in its context, set
// once where it is known and read where rows are chosen:
//
//   - the public site's resolver sets the agency whose column the request
//     addressed (its Host, else its path prefix, else the root column);
//   - the workspace sets the signed-in account's agency (users.agency_id);
//   - a command sets the agency its --agency flag names.
//
// The store reads it in every query over a table that owns rows
// (items, plans, units, media, publog, report_drafts, report_sendings,
// audit_log, users): `AND agency_id = ?` with IDFrom(ctx). What reads
// across agencies — the province's roll-up, search and feed — says so
// with an explicit list of agencies, never by leaving the context empty.

type ctxKey struct{}

// WithID returns a copy of ctx that acts for agency id.
func WithID(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// IDFrom returns the agency ctx acts for: Root when none was set, so
// every path that predates agencies keeps reading today's column.
func IDFrom(ctx context.Context) int64 {
	if id, ok := ctx.Value(ctxKey{}).(int64); ok && id > 0 {
		return id
	}
	return Root
}
