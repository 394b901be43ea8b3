package testsupport

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	demo "cchc/content"
	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/publish"
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

// DemoRoot is the demo content without its other agencies (agencies/):
// the root column's tree alone, as the demo was before issue 20. It is
// the demo tests import by default (Demo imports it): many tests add
// agencies of their own (a so-tu-phap among them), which the demo's would
// take the slugs and prefixes of, and a database below migration 0150
// cannot hold a second agency's plan of a year. The tests about the
// three-agency demo import demo.FS whole.
func DemoRoot(t testing.TB) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(demo.FS, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == publish.AgenciesDir:
			return fs.SkipDir
		case d.IsDir():
			return nil
		}
		data, err := fs.ReadFile(demo.FS, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
