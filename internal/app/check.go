package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"cchc/internal/agency"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/publog"
	"cchc/internal/store"
)

// checkAtStart runs PRAGMA quick_check (check; nil: the database's own)
// in the background and returns at once: serve answers the public while
// it runs. PRAGMA quick_check reads every page — about 2 s on the
// 10,000-item corpus (docs/RELIABILITY.md), more than 5 s at 100,000 —
// and reads cannot make damage worse (a damaged page read is a 503), so
// only writes wait for it (database.DB.HoldWrites): nothing is written
// into the file before it is known to be sound. Damage found marks the
// database damaged, which refuses every write, the held ones included,
// and is logged at error level (see newEnv).
func (e *Env) checkAtStart(ctx context.Context, bg *sync.WaitGroup, check func(context.Context) ([]string, error)) {
	if check == nil {
		check = e.DB.QuickCheck
	}
	release := e.DB.HoldWrites()
	bg.Go(func() {
		start := time.Now()
		problems, err := check(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
		case err != nil:
			e.Log.Error("integrity check at start could not run", slog.Any("err", err))
		case len(problems) > 0:
			e.DB.MarkDamaged(fmt.Sprintf("PRAGMA quick_check found %d problems: %s", len(problems), strings.Join(problems[:min(3, len(problems))], "; ")))
		default:
			e.Log.Info("integrity check at start: ok", slog.Duration("took", time.Since(start).Round(time.Millisecond)))
		}
		// Released only now, after MarkDamaged: a held write then finds
		// the damage and is refused.
		release()
	})
}

// check runs `cchc check`: the full integrity check of the database, its
// foreign keys, the publication log's chain and the media files its rows
// name. It opens the data folder read-only, so it also checks a copy made
// read-only, and may run beside the server. Exit 0 when all holds, 1 with
// what is wrong and how to restore from a backup.
func (c *cli) check(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("check", locale.T("cli.synopsis.data"), args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc check: %s\n", locale.T("cli.no_arguments", fs.Arg(0)))
		return exitUsage
	}
	data, err := filepath.Abs(cfg.Data)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc check: --data: %s\n", locale.Text(err))
		return exitUsage
	}
	start := time.Now()
	rep, err := Check(ctx, data)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc check: %s\n", locale.Text(err))
		return exitFail
	}
	rep.write(c.stdout)
	if rep.OK() {
		fmt.Fprintln(c.stdout, locale.T("cli.check.ok", time.Since(start).Round(time.Millisecond)))
		return exitOK
	}
	fmt.Fprintf(c.stderr, "cchc check: %s\n", locale.T("cli.check.problems", data, rep.Problems()))
	rep.writeRestore(c.stderr)
	return exitFail
}

// CheckReport is what `cchc check` found, step by step.
type CheckReport struct {
	Data string // the data folder
	// Open is why the database could not be opened for reading ("" when
	// it could); the other steps did not run then.
	Open string
	// Schema says the database lacks migrations ("" when current); the
	// log and media steps did not run then.
	Schema      string
	Integrity   []string // PRAGMA integrity_check, with the tree each line is about
	ForeignKeys []string
	Log         string // the chain's problem, "" when it holds
	LogRows     int
	LogHead     string
	Media       []string // missing or wrong media files
	MediaFiles  int
}

// Problems counts what is wrong.
func (r *CheckReport) Problems() int {
	n := len(r.Integrity) + len(r.ForeignKeys) + len(r.Media)
	for _, s := range []string{r.Open, r.Schema, r.Log} {
		if s != "" {
			n++
		}
	}
	return n
}

// OK reports whether nothing is wrong.
func (r *CheckReport) OK() bool { return r.Problems() == 0 }

// integrityLines bounds the lines of PRAGMA integrity_check read.
const integrityLines = 100

// Check checks the data folder data (see cchc check). An error means the
// check could not run (no database there, or the context ended); damage
// is in the report.
func Check(ctx context.Context, data string) (*CheckReport, error) {
	r := &CheckReport{Data: data}
	path := filepath.Join(data, database.FileName)
	db, err := database.OpenReadOnly(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, readOnlyError(path, err) // nothing to check: a wrong --data
		}
		r.Open = locale.Text(readOnlyError(path, err))
		return r, nil
	}
	defer db.Close()
	lines, err := db.IntegrityCheck(ctx, integrityLines)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		lines = []string{err.Error()}
	}
	names := treeNames(ctx, db)
	for _, l := range lines {
		if strings.HasPrefix(l, "*** in database ") {
			continue // a heading, not a problem
		}
		r.Integrity = append(r.Integrity, l+names.about(l))
	}
	fks, err := db.ForeignKeyCheck(ctx)
	if err != nil {
		r.ForeignKeys = append(r.ForeignKeys, locale.T("cli.check.failed_to_run", err.Error()))
	}
	for _, p := range fks {
		row := locale.T("cli.check.a_row") // a WITHOUT ROWID table has no row number
		if p.RowID != 0 {
			row = locale.T("cli.check.row", p.RowID)
		}
		r.ForeignKeys = append(r.ForeignKeys, locale.T("cli.check.foreign_key", p.Table, row, p.Parent))
	}
	if err := db.CheckSchema(ctx); err != nil {
		r.Schema = locale.Text(readOnlyError(path, err))
		return r, nil
	}
	st := store.New(db)
	// Every agency's chain is walked; the root's figures are the line's,
	// as before agencies, and the first chain that does not hold is named.
	chains, err := publog.New(st, nil).VerifyAll(ctx)
	if err != nil {
		r.Log = locale.T("cli.check.unreadable", err.Error())
	}
	for _, chain := range chains {
		if chain.AgencyID == agency.Root {
			r.LogRows, r.LogHead = chain.Rows, chain.Head
		}
		if chain.OK() || r.Log != "" {
			continue
		}
		r.Log = chain.Problem.Error()
		if chain.AgencyID != agency.Root {
			r.Log = chain.Chain + ": " + r.Log
		}
	}
	if r.Log != "" {
		r.LogHead = ""
	}
	r.checkMedia(ctx, st)
	return r, ctx.Err()
}

// checkMedia checks that every file the media table names is in media/
// with the size of its row and the SHA-256 its name promises.
func (r *CheckReport) checkMedia(ctx context.Context, st *store.Store) {
	rows, err := st.AllMedia(ctx)
	if err != nil {
		r.Media = append(r.Media, locale.T("cli.check.media_unreadable", err.Error()))
		return
	}
	dir := st.MediaDir()
	for _, m := range rows {
		if ctx.Err() != nil {
			return
		}
		r.MediaFiles++
		if !media.ValidName(m.Name) {
			r.Media = append(r.Media, locale.T("cli.check.bad_media_name", m.Name))
			continue
		}
		f, err := os.Open(filepath.Join(dir, m.Name))
		if errors.Is(err, os.ErrNotExist) {
			r.Media = append(r.Media, locale.T("cli.check.media_missing", m.Name, dir))
			continue
		}
		if err != nil {
			r.Media = append(r.Media, fmt.Sprintf("%s: %s", m.Name, locale.Text(err)))
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		sum := hex.EncodeToString(h.Sum(nil))
		switch {
		case err != nil:
			r.Media = append(r.Media, fmt.Sprintf("%s: %s", m.Name, locale.Text(err)))
		case n != m.Size:
			r.Media = append(r.Media, locale.T("cli.check.media_size", m.Name, n, m.Size))
		case !strings.HasPrefix(m.Name, sum+"."):
			r.Media = append(r.Media, locale.T("cli.check.media_mismatch", m.Name, sum))
		}
	}
}

func (r *CheckReport) write(w io.Writer) {
	fmt.Fprintln(w, locale.T("cli.check.heading", r.Data))
	if r.Open != "" {
		fmt.Fprintf(w, "  %s\n", locale.T("cli.check.cannot_open", r.Open))
		return
	}
	list := func(title string, lines []string, good string) {
		if len(lines) == 0 {
			fmt.Fprintf(w, "  %s: %s\n", title, good)
			return
		}
		fmt.Fprintf(w, "  %s\n", locale.T("cli.check.broken", title, len(lines)))
		for _, l := range lines {
			fmt.Fprintf(w, "    - %s\n", l)
		}
	}
	list(locale.T("cli.check.integrity"), r.Integrity, locale.T("cli.check.good"))
	list(locale.T("cli.check.foreign_keys"), r.ForeignKeys, locale.T("cli.check.good"))
	if r.Schema != "" {
		fmt.Fprintf(w, "  %s\n", locale.T("cli.check.not_checked", r.Schema))
		return
	}
	if r.Log != "" {
		fmt.Fprintf(w, "  %s\n", locale.T("cli.check.log_broken", r.Log))
	} else {
		fmt.Fprintf(w, "  %s\n", locale.T("cli.check.log_ok", r.LogRows, r.LogHead))
	}
	list(locale.T("cli.check.media", r.MediaFiles), r.Media, locale.T("cli.check.media_good"))
}

// writeRestore says how to restore from a backup.
func (r *CheckReport) writeRestore(w io.Writer) {
	d := r.Data
	if r.Open == "" && r.Schema != "" && len(r.Integrity) == 0 && len(r.ForeignKeys) == 0 {
		fmt.Fprintln(w, locale.T("cli.check.upgrade", d))
		return
	}
	if r.Open == "" && r.Schema == "" && len(r.Integrity) == 0 && len(r.ForeignKeys) == 0 && r.Log == "" {
		fmt.Fprintln(w, locale.T("cli.check.media_only", filepath.Join(d, store.MediaDirName), d))
		return
	}
	db, mediaDir := filepath.Join(d, database.FileName), filepath.Join(d, store.MediaDirName)
	fmt.Fprintln(w, locale.T("cli.restore.heading"))
	fmt.Fprintf(w, "  1. %s\n", locale.T("cli.restore.stop"))
	fmt.Fprintf(w, "  2. %s\n", locale.T("cli.restore.rename", d))
	fmt.Fprintf(w, "  3. %s\n", locale.T("cli.restore.copy", d, db, mediaDir))
	fmt.Fprintf(w, "  4. %s\n", locale.T("cli.restore.check", d))
	fmt.Fprintln(w, locale.T("cli.restore.redo"))
}

// trees names the b-trees of the schema by their root page, and indexes by
// name, so that SQLite's lines say which table or index they are about.
type trees struct {
	byRoot  map[int]string
	byIndex map[string]string
}

func treeNames(ctx context.Context, db *database.DB) trees {
	t := trees{byRoot: map[int]string{}, byIndex: map[string]string{}}
	all, _ := db.Trees(ctx) // on a damaged file, what could be read names what it can
	for _, tr := range all {
		if tr.Type == "index" {
			t.byRoot[tr.Root] = locale.T("cli.check.index", tr.Name, tr.Table)
			t.byIndex[tr.Name] = t.byRoot[tr.Root]
		} else {
			t.byRoot[tr.Root] = locale.T("cli.check.table", tr.Name)
		}
	}
	return t
}

var (
	treePageRe = regexp.MustCompile(`^(?:On tree page|Tree) (\d+)`)
	indexRe    = regexp.MustCompile(`index (\S+)$`)
)

// about says which table or index an integrity_check line is about, "" when
// it cannot tell (the line names a page below the tree's root).
func (t trees) about(line string) string {
	if m := treePageRe.FindStringSubmatch(line); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && t.byRoot[n] != "" {
			return " (" + t.byRoot[n] + ")"
		}
	}
	if m := indexRe.FindStringSubmatch(line); m != nil && t.byIndex[m[1]] != "" {
		return " (" + t.byIndex[m[1]] + ")"
	}
	return ""
}
