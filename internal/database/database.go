// Package database opens the SQLite file the service keeps its state in and
// brings its schema up to date. It opens the file twice: a pool of readers
// and a single writer connection, so that writers queue in Go instead of
// fighting over SQLITE_BUSY.
//
// OpenReadOnly opens an existing file for the commands that only read (a
// copy of the data folder may be read-only); a database that fails its
// integrity check is marked damaged (MarkDamaged) and then refuses every
// write transaction, so the service keeps serving what it can read without
// making the damage worse.
package database

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the pair of pools over one SQLite file.
type DB struct {
	// Read is a pool of read-only connections.
	Read *sql.DB
	// Write is the one connection every change goes through.
	Write *sql.DB
	// Path is the database file.
	Path string

	readOnly    bool
	afterPublic []func()
	onDamage    []func(reason string)
	damage      atomic.Pointer[string]
	// open is the write transaction open now, nil when none: the writer
	// is one connection, so there is never more than one (see tx.go).
	open atomic.Pointer[txState]
	// held is closed when writes may go on (HoldWrites), nil when they may.
	held atomic.Pointer[chan struct{}]
	// installAt is where Install puts a file OpenAside built, "" for a
	// file opened in place.
	installAt string
}

// ErrReadOnly is returned by Tx on a database opened with OpenReadOnly.
var ErrReadOnly = errors.New("database: opened read-only")

// ErrDamaged is returned by Tx once the database was marked damaged.
var ErrDamaged = errors.New("database: damaged, writes refused")

// OnDamage adds fn to what runs, once, when the database is marked
// damaged (the service logs it). Call it before the database is shared.
func (db *DB) OnDamage(fn func(reason string)) { db.onDamage = append(db.onDamage, fn) }

// MarkDamaged records that the file is damaged: every later Tx fails with
// ErrDamaged, so nothing is written into a broken file. The first call
// runs the OnDamage functions; later ones change nothing.
func (db *DB) MarkDamaged(reason string) {
	if !db.damage.CompareAndSwap(nil, &reason) {
		return
	}
	for _, f := range db.onDamage {
		f(reason)
	}
}

// Damage is why the database was marked damaged, "" when it was not.
func (db *DB) Damage() string {
	if p := db.damage.Load(); p != nil {
		return *p
	}
	return ""
}

// ReadOnly reports whether the database was opened with OpenReadOnly.
func (db *DB) ReadOnly() bool { return db.readOnly }

// AfterPublicChange adds fn to what runs after every committed write
// transaction that changed what the public site shows, i.e. moved
// site_state.version (triggers move it on items, plans and media; see
// migrations 0010 and 0012). The page cache is dropped this way. A write
// the public never sees — an audit row, a session, a last-login time —
// runs nothing, so an anonymous request (a failed login) cannot empty the
// cache. Call it before the database is shared between goroutines.
func (db *DB) AfterPublicChange(fn func()) { db.afterPublic = append(db.afterPublic, fn) }

// FileName is the name of the database file inside the data folder.
const FileName = "cchc.db"

// use is what a connection to the file is for; dsn sets its pragmas.
type use int

const (
	useWriter      use = iota // Open's one writer
	useReader                 // Open's read pool
	useReadOnly               // OpenReadOnly: a file this process may not write
	useImmutable              // OpenReadOnly, a cleanly closed file nobody writes
	useCopy                   // VacuumInto's connection of its own
	useBuildWriter            // OpenAside's one writer
	useBuildReader            // OpenAside's read pool
)

// Page cache sizes in KiB: a reader's, the writer's, the writer's during
// an import (BulkWrites).
const (
	readerCacheKiB = 2 << 10
	writerCacheKiB = 8 << 10
	bulkCacheKiB   = 64 << 10
)

// dsn builds the connection string for the file at path, the only place
// one is built. busy_timeout comes first so that it already applies while
// the other pragmas run.
func dsn(path string, u use) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	switch u {
	case useWriter, useReader:
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "foreign_keys(1)")
	case useBuildWriter:
		// A file nobody else knows of, built whole or thrown away
		// (aside.go): its page size set before the first write; a
		// rollback journal, which holds only the pages a transaction
		// changes that were in the file before it (not the new ones,
		// most of an import), kept between transactions (PERSIST: not
		// created and deleted each time); no fsync until Install's.
		q.Add("_pragma", fmt.Sprintf("page_size(%d)", newPageSize))
		q.Add("_pragma", "journal_mode(PERSIST)")
		q.Add("_pragma", "synchronous(OFF)")
		q.Add("_pragma", "foreign_keys(1)")
	case useBuildReader:
		q.Add("_pragma", "foreign_keys(1)")
	}
	// Page cache (negative: KiB) by role, since each connection keeps its
	// own for as long as it lives. Readers small: several live at once,
	// the kernel's file cache holds the file for all of them, and a
	// reader walking every page (the start check, a search for a common
	// word) would otherwise keep tens of MB each for the process's life.
	// The writer is one, and BulkWrites makes its cache large for an
	// import, whose transactions touch the same index pages again and
	// again (docs/PERFORMANCE.md).
	switch u {
	case useWriter, useBuildWriter:
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -writerCacheKiB))
		// The writer's temporary data in memory. An insert into items
		// runs triggers, so SQLite keeps the pages it changes as they
		// were until the statement ends (its statement journal, to undo
		// the statement alone); past 64 KiB, with temp_store at FILE,
		// that went to an unlinked file in /var/tmp, on disk: 1.8 GB
		// written through 190,000 calls for an import of 10,000 items,
		// whose database is 290 MB (docs/PERFORMANCE.md, h28). A
		// statement's pages are freed when it ends. The index builds at
		// the end of an import sort in memory too; the peak RSS of an
		// import of 100,000 items did not move (436–439 against 433–437
		// MiB). Readers keep files: a search's large sort spills to disk
		// past the reader's cache instead of growing a serving process.
		q.Add("_pragma", "temp_store(MEMORY)")
	case useReader, useReadOnly, useImmutable, useBuildReader:
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -readerCacheKiB))
	}
	switch u {
	case useWriter, useBuildWriter:
		q.Set("_txlock", "immediate")
	case useReader, useBuildReader:
		q.Add("_pragma", "query_only(1)")
	case useReadOnly, useImmutable:
		q.Add("_pragma", "query_only(1)")
		q.Set("mode", "ro")
	case useCopy:
		// Not query_only: VACUUM INTO writes the copy through it.
		q.Set("mode", "ro")
	}
	if u == useImmutable {
		q.Set("immutable", "1")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Option is an option of Open.
type Option func(*options)

type options struct {
	say []func(Upgrade)
}

// Upgrade is news of the upgrade of an existing database, which Open
// gives at each step (OnUpgrade): the first start of a new version over
// 100,000 items spends tens of seconds there before it answers
// (docs/DEPLOY.md). A new database, or one up to date, has none.
type Upgrade struct {
	Step UpgradeStep
	// Migrations is how many migrations the upgrade applies, First and
	// Last their first and last names (UpgradeStarted).
	Migrations  int
	First, Last string
	// Took is what the step took (Upgraded, Compacted).
	Took time.Duration
	// SizeMiB is the file's size before the compaction, AfterMiB after it
	// (Compacted), FreeMiB the free pages in it (NotCompacted).
	SizeMiB, AfterMiB, FreeMiB int64
	// Err is why the compaction failed (NotCompacted): the file works as
	// it is, larger than it needs.
	Err error
}

// UpgradeStep is a step of an upgrade.
type UpgradeStep int

// The steps of an upgrade, in their order. The compaction follows only
// the migrations that change most of the file.
const (
	UpgradeStarted UpgradeStep = iota
	Upgraded
	Compacted
	NotCompacted
)

// OnUpgrade makes Open call f at each step of an upgrade, on the
// goroutine that calls Open.
func OnUpgrade(f func(Upgrade)) Option { return func(o *options) { o.say = append(o.say, f) } }

// Logger makes Open say each step of an upgrade on l.
func Logger(l *slog.Logger) Option { return OnUpgrade(func(u Upgrade) { logUpgrade(l, u) }) }

func logUpgrade(l *slog.Logger, u Upgrade) {
	switch u.Step {
	case UpgradeStarted:
		l.Info("upgrading the database: a large one takes minutes; if stopped, the next start goes on from the last migration applied",
			"migrations", u.Migrations, "first", u.First, "last", u.Last)
	case Upgraded:
		l.Info("database upgraded", "took", u.Took.Round(time.Millisecond))
	case Compacted:
		l.Info("database compacted", "took", u.Took.Round(time.Millisecond), "from_mib", u.SizeMiB, "to_mib", u.AfterMiB)
	case NotCompacted:
		l.Warn("database not compacted: it works as it is, larger than it needs",
			"mib", u.SizeMiB, "free_mib", u.FreeMiB, "err", u.Err)
	}
}

// say calls each of fs with u.
func say(fs []func(Upgrade), u Upgrade) {
	for _, f := range fs {
		f(u)
	}
}

// Open opens (creating if needed) the database file at path and applies any
// pending migrations. A new file is created readable by its owner only: it
// holds password hashes and sessions (SQLite gives its -wal and -shm files
// the same mode).
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if err := createPrivate(abs); err != nil {
		return nil, fmt.Errorf("database: open %s: %w", abs, err)
	}
	if err := pageSize(ctx, abs); err != nil {
		return nil, fmt.Errorf("database: open %s: %w", abs, err)
	}
	return open(ctx, abs, useWriter, useReader, o.say)
}

// open opens the writer (wu) and the read pool (ru) over the file at abs
// and applies any pending migrations, giving the news of an upgrade to
// each of tell.
func open(ctx context.Context, abs string, wu, ru use, tell []func(Upgrade)) (*DB, error) {
	w, err := sql.Open("sqlite", dsn(abs, wu))
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", abs, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("database: open %s: %w", abs, err)
	}
	if err := restoreDeferred(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	if err := resetBulkMerge(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	if err := migrate(ctx, w, tell); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(abs, ru))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("database: open %s: %w", abs, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	return &DB{Read: r, Write: w, Path: abs}, nil
}

// createPrivate creates the database file with mode 0600 when it does not
// exist yet, so SQLite never creates it (and its -wal and -shm files,
// which take the file's mode) readable by everyone. Files left readable by
// everyone by an older version lose those bits; the owner's and group's
// stay as they are.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm()&0o007 == 0 {
			continue
		}
		if err := os.Chmod(p, info.Mode().Perm()&^0o007); err != nil {
			return err
		}
	}
	return nil
}

// Close closes both pools. The writer goes last so that its close can
// checkpoint the WAL.
func (db *DB) Close() error {
	if db.readOnly {
		if err := db.Read.Close(); err != nil {
			return fmt.Errorf("database: close: %w", err)
		}
		return nil
	}
	rerr := db.Read.Close()
	if db.Damage() == "" { // PRAGMA optimize may write statistics
		if _, err := db.Write.Exec("PRAGMA optimize"); err != nil {
			rerr = err
		}
	}
	werr := db.Write.Close()
	if werr != nil {
		return fmt.Errorf("database: close: %w", werr)
	}
	if rerr != nil {
		return fmt.Errorf("database: close: %w", rerr)
	}
	return nil
}

// migration is one numbered .sql file.
type migration struct {
	version int
	name    string
	sql     string
	// vacuum: the file holds vacuumAfter, and the database is vacuumed
	// once the migrations are applied.
	vacuum bool
}

// vacuumAfter is the line of a migration that leaves the database's pages
// sparse (rows rewritten smaller in place, as ALTER TABLE DROP COLUMN
// does): the open that applies it rewrites the file compactly with VACUUM
// afterwards, outside any transaction, when the file is larger than
// vacuumPages (a new database is about 150 pages).
const vacuumAfter = "-- cchc: vacuum after"

// vacuumPages is the size below which a database is not worth vacuuming.
const vacuumPages = 256

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("database: migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("database: migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("database: migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b),
			vacuum: slices.Contains(strings.Split(string(b), "\n"), vacuumAfter)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("database: migrations %s and %s share a number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrate applies every migration newer than the database's version, each in
// one transaction together with its row in schema_migrations, so a crash
// leaves either the whole migration or none of it. The steps of an
// upgrade (a database that had migrations already) go to each of tell.
func migrate(ctx context.Context, db *sql.DB, tell []func(Upgrade)) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
	) STRICT`); err != nil {
		return fmt.Errorf("database: schema_migrations: %w", err)
	}
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	applied, err := appliedVersions(ctx, db)
	if err != nil {
		return err
	}
	// Every migration not yet applied is applied, in order; a number that
	// landed after a higher one (parallel work) is not skipped.
	var pending []migration
	for _, m := range ms {
		if !applied[m.version] {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	// Their temporary data goes to files, not to the writer's memory (dsn):
	// a migration that changes every row of a large table makes SQLite keep
	// each page it changes as it was until the statement ends, and 0240
	// took the process to 3.9 GB upgrading a 2.9 GB database in memory
	// (docs/PERFORMANCE.md, h31). The writer is one connection (open), so
	// the pragma holds for every statement below.
	if _, err := db.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
		return fmt.Errorf("database: temp_store: %w", err)
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = MEMORY")
	if len(applied) == 0 {
		tell = nil // a new database: nothing to say
	}
	start := time.Now()
	say(tell, Upgrade{Step: UpgradeStarted, Migrations: len(pending), First: pending[0].name, Last: pending[len(pending)-1].name})
	vacuum := false
	for _, m := range pending {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
		vacuum = vacuum || m.vacuum
	}
	say(tell, Upgrade{Step: Upgraded, Took: time.Since(start)})
	if vacuum {
		compact(ctx, db, tell)
	}
	return nil
}

// compact rewrites the database with VACUUM when it is larger than
// vacuumPages. It only saves space and reads: the migrations are
// committed, and a failure (another process in a transaction, a disk
// without room for the copy VACUUM writes) leaves the file as it was,
// usable, so it is not an error; it is told as NotCompacted.
func compact(ctx context.Context, db *sql.DB, tell []func(Upgrade)) {
	size := func() (pages, free, pageSize int64, err error) {
		err = db.QueryRowContext(ctx, `SELECT p.page_count, f.freelist_count, s.page_size
			FROM pragma_page_count p, pragma_freelist_count f, pragma_page_size s`).Scan(&pages, &free, &pageSize)
		return pages, free, pageSize, err
	}
	pages, free, pageSize, err := size()
	if err != nil || pages <= vacuumPages {
		return
	}
	start := time.Now()
	if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
		say(tell, Upgrade{Step: NotCompacted, SizeMiB: pages * pageSize >> 20, FreeMiB: free * pageSize >> 20, Err: err})
		return
	}
	after, _, _, _ := size()
	say(tell, Upgrade{Step: Compacted, Took: time.Since(start), SizeMiB: pages * pageSize >> 20, AfterMiB: after * pageSize >> 20})
}

// appliedVersions reads the versions schema_migrations records.
func appliedVersions(ctx context.Context, db *sql.DB) (map[int]bool, error) {
	applied := map[int]bool{}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("database: schema version: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("database: schema version: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("database: schema version: %w", err)
	}
	return applied, nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	// The writer's transactions begin IMMEDIATE: holding the write lock,
	// ask again whether the migration is still to apply — another
	// process opening the same new file may have applied it since
	// appliedVersions read the table.
	// Applied under another name, it is two migrations with one number:
	// the INSERT below refuses it.
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ? AND name = ?`, m.version, m.name).Scan(&done); err != nil {
		return fmt.Errorf("database: migration %s: %w", m.name, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("database: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return fmt.Errorf("database: migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: migration %s: %w", m.name, err)
	}
	return nil
}

// Version is the newest migration applied to the database.
func (db *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := db.Read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("database: version: %w", err)
	}
	return v, nil
}
