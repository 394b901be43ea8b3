package testsupport

import (
	"context"
	"testing"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/store"
)

// AddAgency adds the agency a through the store's checks (an audit row
// with actor "test") and returns its id.
func AddAgency(t testing.TB, env *app.Env, a agency.Agency) int64 {
	t.Helper()
	id, err := env.Store.CreateAgency(context.Background(), a, store.AuditEntry{Actor: "test"})
	if err != nil {
		t.Fatalf("CreateAgency %s: %v", a.Slug, err)
	}
	return id
}

// MoveToAgency gives agency id the items imported from the content files
// sources (their source paths), then rebuilds the search index so it
// holds their owner: what an import into that agency writes once the
// store writes items.agency_id (issue 20's store slice). It writes the
// database directly, as only a test may.
func MoveToAgency(t testing.TB, env *app.Env, id int64, sources ...string) {
	t.Helper()
	ctx := context.Background()
	for _, src := range sources {
		res, err := env.DB.Write.ExecContext(ctx, `UPDATE items SET agency_id = ? WHERE source_path = ?`, id, src)
		if err != nil {
			t.Fatalf("move %s to agency %d: %v", src, id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("move %s to agency %d: %d items", src, id, n)
		}
	}
	if _, err := env.Search.Rebuild(ctx); err != nil {
		t.Fatalf("reindex: %v", err)
	}
}
