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
