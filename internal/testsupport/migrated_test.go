package testsupport_test

import (
	"path/filepath"
	"testing"

	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// TestMigratedIsANewDatabase: the copied file opens as the database
// database.Open creates: every migration recorded as applied (Open has
// nothing to upgrade), the same schema; and each copy is a database of
// its own.
func TestMigratedIsANewDatabase(t *testing.T) {
	ctx := t.Context()
	schema := func(db *database.DB) (migrations int, objects string) {
		t.Helper()
		if err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migrations); err != nil {
			t.Fatal(err)
		}
		if err := db.Read.QueryRowContext(ctx, `SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_schema ORDER BY name)`).Scan(&objects); err != nil {
			t.Fatal(err)
		}
		return migrations, objects
	}
	fresh, err := database.Open(ctx, filepath.Join(t.TempDir(), database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	wantN, wantSchema := schema(fresh)

	var paths []string
	for range 2 {
		path := filepath.Join(t.TempDir(), database.FileName)
		testsupport.Migrated(t, path)
		paths = append(paths, path)
	}
	var dbs []*database.DB
	for _, path := range paths {
		var news []database.Upgrade
		db, err := database.Open(ctx, path, database.OnUpgrade(func(u database.Upgrade) { news = append(news, u) }))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
		if len(news) > 0 {
			t.Errorf("the copy was upgraded: %+v", news)
		}
		if n, s := schema(db); n != wantN || n == 0 || s != wantSchema {
			t.Errorf("the copy: %d migrations (want %d); schema:\n%s\nwant:\n%s", n, wantN, s, wantSchema)
		}
	}
	if _, err := dbs[0].Write.ExecContext(ctx, `INSERT INTO units (slug, name) VALUES ('x', 'X')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := dbs[1].Read.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE slug = 'x'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a write to one copy is in the other: %d %v", n, err)
	}
}
