package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// backup runs `cchc backup FILE`: a consistent copy of the database, taken
// while the server keeps serving and writing, plus the media files it
// names in a media/ folder beside FILE.
func (c *cli) backup(ctx context.Context, args []string) int {
	synopsis := locale.T("cli.synopsis.backup")
	cfg, fs, code := c.flags("backup", synopsis, args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() == 0 || fs.Arg(0) == "" {
		fmt.Fprintf(c.stderr, "%s cchc backup %s\n", locale.T("cli.usage"), synopsis)
		return exitUsage
	}
	file := fs.Arg(0)
	// Flags may also follow the file name (cchc backup x.db --data d).
	if fs.NArg() > 1 {
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return exitUsage
		}
		if err := cfg.Validate(); err != nil {
			fmt.Fprintf(c.stderr, "cchc backup: %s\n", locale.Text(err))
			return exitUsage
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(c.stderr, "cchc backup: %s\n", locale.T("cli.backup.extra", fs.Arg(0)))
			return exitUsage
		}
	}
	res, err := Backup(ctx, cfg.Data, file)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc backup: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("cli.backup.done",
		vntext.Terminal(res.File), media.HumanSize(res.Bytes), res.Items, res.LogRows, res.LogHead, res.Took.Round(time.Millisecond)))
	// One line per other agency's chain: the line above is the root's.
	for _, h := range res.Chains {
		if h.AgencyID != agency.Root {
			fmt.Fprintln(c.stdout, locale.T("cli.backup.chain", vntext.Terminal(h.Slug), h.Rows, h.Hash))
		}
	}
	fmt.Fprintln(c.stdout, locale.T("cli.backup.media",
		res.MediaFiles, vntext.Terminal(res.MediaDir), res.MediaCopied, res.MediaFiles-res.MediaCopied))
	fmt.Fprintln(c.stdout, locale.T("cli.backup.restore",
		vntext.Terminal(filepath.Base(res.File)), database.FileName, store.MediaDirName+"/"))
	return exitOK
}

// BackupResult describes a finished backup.
type BackupResult struct {
	File    string // the database copy
	Bytes   int64  // its size
	Items   int    // items in the copy
	LogRows int    // publication log rows in the copy
	LogSeq  int64  // sequence number of its last row (0 when empty)
	LogHead string // hash of its last row (publog.Genesis when empty)
	// Chains are the heads of every agency's chain in the copy, by id
	// (LogRows, LogSeq and LogHead are the root agency's).
	Chains      []ChainHead
	MediaDir    string // media/ beside File
	MediaFiles  int    // media files the copy names, all present in MediaDir
	MediaCopied int    // of those, copied by this backup (the rest were there)
	Took        time.Duration
}

// Backup copies the data folder data into the database file dst and the
// folder media/ beside it. The database is copied with VACUUM INTO on a
// read-only connection: one read transaction, so the copy is the state
// after some commit, however busy the writer is, and the writer is never
// blocked. Media files are content-addressed (the name is the SHA-256 of
// the bytes), so only those the copy names and media/ lacks are copied,
// each checked against its name; several backups in one folder share
// them. A media file is written before its row commits, so every file the
// copy names exists in the source. dst must not exist (a backup never
// overwrites), and it only appears once the copy and its media are
// complete. The copy is written into a temporary file readable by its
// owner only from its first byte; leftovers of a killed backup in the
// folder are removed first (see lockBackupDir).
func Backup(ctx context.Context, data, dst string) (*BackupResult, error) {
	start := time.Now()
	srcDir, err := filepath.Abs(data)
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	src := filepath.Join(srcDir, database.FileName)
	if _, err := os.Stat(src); err != nil {
		return nil, fmt.Errorf("--data (CCHC_DATA): %w", locale.NewError("cli.no_database", src))
	}
	dst, err = filepath.Abs(dst)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dst, err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return nil, locale.NewError("cli.backup.exists", dst)
	}
	dir := filepath.Dir(dst)
	if dir == srcDir {
		return nil, locale.NewError("cli.backup.inside", dst, srcDir)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	res := &BackupResult{File: dst, MediaDir: filepath.Join(dir, store.MediaDirName)}
	// A backup killed earlier left its temporary files; they are removed
	// unless another backup into this folder is running now.
	unlock, err := lockBackupDir(dir, func(alone bool) {
		removeStaleTemps(dir, backupTempRe, alone)
		removeStaleTemps(res.MediaDir, mediaTempRe, alone)
	})
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer unlock()
	tmp := filepath.Join(dir, "."+filepath.Base(dst)+".tmp-"+rand.Text()[:8])
	// The copy holds password hashes and sessions: owner only, from its
	// first byte (VACUUM INTO writes into an existing empty file), so a
	// backup killed half-way leaves nothing others can read.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	f.Close()
	defer os.Remove(tmp)
	if err := database.VacuumInto(ctx, src, tmp); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	// media/ exists even when empty, so a restore is always the same two steps.
	if err := os.MkdirAll(res.MediaDir, 0o750); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	names, err := inspectCopy(ctx, tmp, res)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		copied, err := copyMedia(filepath.Join(srcDir, store.MediaDirName), res.MediaDir, name)
		if err != nil {
			return nil, err
		}
		res.MediaFiles++
		if copied {
			res.MediaCopied++
		}
	}
	if res.MediaCopied > 0 {
		if err := syncDir(res.MediaDir); err != nil {
			return nil, err
		}
	}
	// A hard link, not a rename: it fails when dst appeared meanwhile.
	if err := os.Link(tmp, dst); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, locale.NewError("cli.backup.exists", dst)
		}
		return nil, fmt.Errorf("%s: %w", dst, err)
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	info, err := os.Stat(dst)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dst, err)
	}
	res.Bytes = info.Size()
	res.Took = time.Since(start)
	return res, nil
}

// Names of the temporary files of a backup: the database copy
// (".FILE.tmp-XXXXXXXX", beside FILE, with the rollback journal SQLite
// keeps while VACUUM INTO writes it) and each media file being copied
// (".chep-N", in media/).
var (
	backupTempRe = regexp.MustCompile(`^\..+\.tmp-[A-Z2-7]{8}(-journal)?$`)
	mediaTempRe  = regexp.MustCompile(`^\.chep-[0-9]+$`)
)

// staleAge is how old a temporary file must be to be removed where the
// folder cannot be locked (see lockBackupDir).
const staleAge = 24 * time.Hour

// removeStaleTemps removes the files in dir whose names match re: all of
// them when alone (no other backup is writing into the folder), else those
// older than staleAge. A file that cannot be removed stays; the backup
// does not depend on it.
func removeStaleTemps(dir string, re *regexp.Regexp, alone bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !re.MatchString(e.Name()) {
			continue
		}
		if !alone {
			info, err := e.Info()
			if err != nil || time.Since(info.ModTime()) < staleAge {
				continue
			}
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// ChainHead is the head of one agency's log chain in a backup's copy.
type ChainHead struct {
	AgencyID int64
	Slug     string // "#ID" for an id no agency has (a damaged file)
	store.LogHead
}

// inspectCopy checks the copy at path (quick_check), fills in its counts
// and log head, and returns the media names its rows hold.
func inspectCopy(ctx context.Context, path string, res *BackupResult) ([]string, error) {
	db, err := database.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("backup: check copy: %w", err)
	}
	defer db.Close()
	problems, err := db.QuickCheck(ctx)
	if err != nil {
		return nil, fmt.Errorf("backup: check copy: %w", err)
	}
	if len(problems) > 0 {
		return nil, locale.NewError("cli.backup.copy_damaged", problems[0])
	}
	st := store.New(db)
	if res.Items, err = st.CountItems(ctx); err != nil {
		return nil, fmt.Errorf("backup: check copy: %w", err)
	}
	head, err := st.LogHead(ctx)
	if err != nil {
		return nil, fmt.Errorf("backup: check copy: %w", err)
	}
	res.LogRows, res.LogSeq, res.LogHead = head.Rows, head.Seq, head.Hash
	if res.LogRows == 0 {
		res.LogHead = publog.Genesis
	}
	if res.Chains, err = chainHeads(ctx, st); err != nil {
		return nil, fmt.Errorf("backup: check copy: %w", err)
	}
	files, err := st.AllMedia(ctx)
	if err != nil {
		return nil, fmt.Errorf("backup: check copy: %w", err)
	}
	names := make([]string, 0, len(files))
	for _, m := range files {
		// Only a stored name ever becomes a path.
		if !media.ValidName(m.Name) {
			return nil, locale.NewError("cli.backup.bad_media_name", m.Name)
		}
		names = append(names, m.Name)
	}
	return names, nil
}

// copyMedia copies the media file name from srcDir to dstDir unless dstDir
// already holds it whole; it reports whether it copied. The bytes are
// checked against the name (their SHA-256) on the way.
func copyMedia(srcDir, dstDir, name string) (bool, error) {
	dst := filepath.Join(dstDir, name)
	in, err := os.Open(filepath.Join(srcDir, name))
	if err != nil {
		return false, locale.NewError("cli.backup.media_file", name, err)
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return false, locale.NewError("cli.backup.media_file", name, err)
	}
	if have, err := os.Stat(dst); err == nil && have.Size() == info.Size() {
		return false, nil
	}
	if err := os.MkdirAll(dstDir, 0o750); err != nil {
		return false, fmt.Errorf("backup: %w", err)
	}
	f, err := os.CreateTemp(dstDir, ".chep-*")
	if err != nil {
		return false, fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), in)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, locale.NewError("cli.backup.media_file", name, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); !strings.HasPrefix(name, sum+".") {
		return false, locale.NewError("cli.backup.media_mismatch", name, sum)
	}
	if err := os.Chmod(tmp, 0o640); err != nil {
		return false, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return false, fmt.Errorf("backup: %w", err)
	}
	return true, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// chainHeads reads the head of every agency's chain in st (an empty
// chain's hash is publog.Genesis).
func chainHeads(ctx context.Context, st *store.Store) ([]ChainHead, error) {
	ids, err := st.LogAgencies(ctx)
	if err != nil {
		return nil, err
	}
	list, err := st.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	slugs := make(map[int64]string, len(list))
	for _, a := range list {
		slugs[a.ID] = a.Slug
	}
	out := make([]ChainHead, 0, len(ids))
	for _, id := range ids {
		h, err := st.LogHead(agency.WithID(ctx, id))
		if err != nil {
			return nil, err
		}
		if h.Rows == 0 {
			h.Hash = publog.Genesis
		}
		slug, ok := slugs[id]
		if !ok {
			slug = fmt.Sprintf("#%d", id)
		}
		out = append(out, ChainHead{AgencyID: id, Slug: slug, LogHead: h})
	}
	return out, nil
}
