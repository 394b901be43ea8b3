package testsupport

import (
	"context"
	"database/sql"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/publish"
	"cchc/internal/store"
)

// Open opens the whole service (app.Open) with cfg over a fresh migrated
// database in a temporary data folder (cfg.Data is replaced), with the
// clock now (nil: the real clock). It closes with the test.
func Open(t testing.TB, cfg config.Config, now func() time.Time) *app.Env {
	t.Helper()
	cfg.Data = t.TempDir()
	Migrated(t, filepath.Join(cfg.Data, database.FileName))
	env, err := app.Open(context.Background(), &cfg, nil, now)
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	// A test may close it first (to copy or damage the file); a second
	// Close only returns an error nobody needs.
	t.Cleanup(func() { env.Close() })
	return env
}

// Demo is Open with the embedded demo's root column imported (DemoRoot:
// without the demo's other agencies).
func Demo(t testing.TB, cfg config.Config, now func() time.Time) *app.Env {
	t.Helper()
	env := Open(t, cfg, now)
	Import(t, env, DemoRoot(t))
	return env
}

// Import imports the content tree fsys into env as `cchc import` does and
// fails the test when the import or any file of it fails.
func Import(t testing.TB, env *app.Env, fsys fs.FS) *publish.ImportResult {
	t.Helper()
	res, err := env.Publish.Import(context.Background(), fsys, "content")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if res.Failed > 0 {
		t.Fatalf("import: %d files failed: %v", res.Failed, res.Errors)
	}
	return res
}

// Handler is env's whole router: the public site, the workspace and the
// reports, behind the same front as `cchc serve`.
func Handler(t testing.TB, env *app.Env) http.Handler {
	t.Helper()
	h, err := env.Handler()
	if err != nil {
		t.Fatalf("Handler: %v", err)
	}
	return h
}

// DemoHandler is the handler of Demo.
func DemoHandler(t testing.TB, cfg config.Config, now func() time.Time) http.Handler {
	t.Helper()
	return Handler(t, Demo(t, cfg, now))
}

// Database is a migrated, empty database in a temporary folder, for tests
// that build their services by hand. It closes with the test.
func Database(t testing.TB) *database.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), database.FileName)
	Migrated(t, path)
	db, err := database.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("database.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// FileDB opens the database file file with a plain connection (the
// sqlite driver alone: no migrations, none of the service's pools or
// pragmas but a 10 s busy timeout), as someone holding the file would: to
// read it behind the service's back, change or damage it by hand. With
// readOnly it is opened with mode=ro. It has one connection and closes
// with the test, or before when the test closes it.
func FileDB(t testing.TB, file string, readOnly bool) *sql.DB {
	t.Helper()
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?_pragma=busy_timeout(10000)"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// Count runs query, which selects one integer, on db's read pool.
func Count(t testing.TB, db *database.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s %v: %v", query, args, err)
	}
	return n
}

// Password is the password of every account AddUser makes: Vietnamese
// with diacritics, as officials type them.
const Password = "mật khẩu thử nghiệm"

// passwordHash is Password's argon2id hash, computed once per test
// binary: each hash costs 19 MiB and tens of milliseconds.
var passwordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(Password)
	if err != nil {
		panic(err) // only when the system's random source fails
	}
	return h
})

// AddUser adds the account name with role and the password Password,
// created at now, straight into env's store.
func AddUser(t testing.TB, env *app.Env, name string, role auth.Role, now time.Time) *store.User {
	t.Helper()
	u := &store.User{Name: name, Role: role, PasswordHash: passwordHash(), Created: now, Modified: now, PasswordChanged: now}
	ctx := context.Background()
	if err := env.Store.Tx(ctx, func(tx *sql.Tx) error { return env.Store.InsertUser(ctx, tx, u) }); err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
	return u
}

// Clock is a clock a test sets and moves; it is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a Clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
