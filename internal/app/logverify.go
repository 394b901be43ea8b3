package app

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"cchc/internal/agency"
	"cchc/internal/config"
	"cchc/internal/locale"
	"cchc/internal/publog"
	"cchc/internal/store"
)

// logUsage is the synopsis of cchc log's subcommands.
func logUsage() string {
	return locale.T("cli.usage") + "\n" +
		"  cchc log verify " + locale.T("cli.synopsis.log_verify") + "\n" +
		"  cchc log anchor " + locale.T("cli.synopsis.log_anchor") + "\n" +
		"  cchc log keygen " + locale.T("cli.synopsis.log_keygen")
}

// logCmd runs `cchc log verify|anchor|keygen`.
func (c *cli) logCmd(ctx context.Context, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return c.logVerify(ctx, args[1:])
		case "anchor":
			return c.logAnchor(ctx, args[1:])
		case "keygen":
			return c.logKeygen(args[1:])
		case "-h", "--help", "help":
			fmt.Fprintln(c.stdout, logUsage())
			return exitOK
		}
	}
	fmt.Fprintln(c.stderr, logUsage())
	return exitUsage
}

// logFlags parses the flags of `cchc log NAME`: --data, and those extra
// registers. It returns the exit status to use when parsing ended the
// command, or -1 to go on.
func (c *cli) logFlags(name, synopsis string, args []string, extra func(fs *flag.FlagSet)) (*config.Config, int) {
	fs := flag.NewFlagSet("cchc log "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfg := config.Register(fs, c.getenv, "data")
	extra(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s cchc log %s %s\n\n", locale.T("cli.usage"), name, synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc log %s: %s\n", name, locale.T("cli.no_arguments", fs.Arg(0)))
		return nil, exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(c.stderr, "cchc log %s: %s\n", name, locale.Text(err))
		return nil, exitUsage
	}
	return cfg, -1
}

// logVerify runs `cchc log verify`: it walks every agency's publication
// log chain (and checks each against its anchors recorded in the
// database), one line per agency, and exits 1 naming the first row of each
// chain that was changed, deleted or inserted. --agency SLUG walks that
// agency's chain only. With --anchor it also checks the chain the anchor
// names against that signed anchor file.
func (c *cli) logVerify(ctx context.Context, args []string) int {
	var anchorFile, pubFile, slug string
	cfg, code := c.logFlags("verify", locale.T("cli.synopsis.log_verify"), args, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "agency", "", locale.T("cli.flag.log_agency"))
		fs.StringVar(&anchorFile, "anchor", "", locale.T("cli.flag.anchor"))
		fs.StringVar(&pubFile, "pubkey", "", locale.T("cli.flag.pubkey"))
	})
	if code >= 0 {
		return code
	}
	if pubFile != "" && anchorFile == "" {
		fmt.Fprintf(c.stderr, "cchc log verify: %s\n", locale.T("cli.log.pubkey_needs_anchor"))
		return exitUsage
	}
	failed := false
	var anchor *publog.Anchor
	if anchorFile != "" {
		var trusted ed25519.PublicKey
		if pubFile != "" {
			var err error
			if trusted, err = readPublicKey(cfg.Data, pubFile); err != nil {
				fmt.Fprintf(c.stderr, "cchc log verify: --pubkey: %s\n", locale.Text(err))
				return exitFail
			}
		}
		a, err := readAnchor(anchorFile)
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc log verify: %s: %s\n", anchorFile, locale.Text(err))
			return exitFail
		}
		if err := a.VerifySignature(trusted); err != nil {
			// The chain is still walked below: its own problems are worth
			// knowing, but this anchor proves nothing.
			fmt.Fprintf(c.stderr, "%s: %s\n", anchorFile, locale.Text(err))
			failed = true
		} else {
			anchor = a
		}
	}
	env, err := OpenReadOnly(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	names, err := chainNames(ctx, env)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %s\n", locale.Text(err))
		return exitFail
	}
	log := publog.New(env.Store, env.Now)
	var checks []*publog.Check
	if slug != "" {
		id, code := c.agencyFlag(ctx, env, "verify", slug)
		if code >= 0 {
			return code
		}
		check, err := log.Verify(agency.WithID(ctx, id))
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc log verify: %s\n", locale.Text(err))
			return exitFail
		}
		checks = []*publog.Check{check}
	} else if checks, err = log.VerifyAll(ctx); err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %s\n", locale.Text(err))
		return exitFail
	}
	anchorOK := false
	var anchorBroke *publog.Check // the chain an anchor shows cut or rewritten
	if anchor != nil {
		// The anchor names its chain; checked against another (--agency
		// names another agency), CheckAnchor says so.
		check := checks[0]
		for _, ch := range checks {
			if ch.AgencyID == anchor.ChainID() {
				check = ch
			}
		}
		p, err := log.CheckAnchor(ctx, check, anchor)
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc log verify: %s\n", locale.Text(err))
			return exitFail
		}
		if p != nil {
			fmt.Fprintf(c.stderr, "%s: %s\n", anchorFile, p.Error())
			failed, anchorBroke = true, check
		} else {
			anchorOK = true
		}
	}
	for _, check := range checks {
		name := names.of(check)
		if !check.OK() || check == anchorBroke {
			if !check.OK() {
				fmt.Fprintf(c.stderr, "%s: %s\n", name, check.Problem.Error())
			}
			fmt.Fprintf(c.stderr, "cchc log verify: %s: %s\n", name, locale.T("cli.log.broken", check.Rows, check.LastSeq))
			failed = true
			continue
		}
		fmt.Fprintf(c.stdout, "%s: %s\n", name, locale.T("cli.log.ok", check.Rows, check.Head))
	}
	if failed {
		return exitFail
	}
	if anchorOK {
		fmt.Fprintln(c.stdout, locale.T("cli.log.anchor_ok", anchor.When(), anchor.Seq, anchor.Hash))
		if pubFile == "" {
			fmt.Fprintln(c.stdout, locale.T("cli.log.no_pubkey"))
		}
	}
	return exitOK
}

// agencyFlag is the id of the agency --agency names (slug), or the exit
// status when there is none: a clear message, not a walk of nothing.
func (c *cli) agencyFlag(ctx context.Context, env *Env, name, slug string) (int64, int) {
	a, err := env.Store.AgencyBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		all, err := env.Store.Agencies(ctx)
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc log %s: %s\n", name, locale.Text(err))
			return 0, exitFail
		}
		slugs := make([]string, len(all))
		for i, a := range all {
			slugs[i] = a.Slug
		}
		fmt.Fprintf(c.stderr, "cchc log %s: --agency: %s\n", name, locale.T("cli.log.unknown_agency", slug, strings.Join(slugs, ", ")))
		return 0, exitUsage
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log %s: %s\n", name, locale.Text(err))
		return 0, exitFail
	}
	return a.ID, -1
}

// slugsByID names each chain on the command line by its agency's slug.
type slugsByID map[int64]string

// of is the name of check's chain: its agency's slug now, else the slug
// the chain began under, else its agency's id.
func (n slugsByID) of(check *publog.Check) string {
	if s := n[check.AgencyID]; s != "" {
		return s
	}
	if check.Chain != "" {
		return check.Chain
	}
	return "#" + strconv.FormatInt(check.AgencyID, 10)
}

// chainNames reads every agency's slug.
func chainNames(ctx context.Context, env *Env) (slugsByID, error) {
	all, err := env.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	n := slugsByID{}
	for _, a := range all {
		n[a.ID] = a.Slug
	}
	return n, nil
}

// logAnchor runs `cchc log anchor`: it signs the head of a chain that
// holds, writes the anchor file and records a copy in the database.
func (c *cli) logAnchor(ctx context.Context, args []string) int {
	var keyFile, out, slug string
	cfg, code := c.logFlags("anchor", locale.T("cli.synopsis.log_anchor"), args, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "agency", "", locale.T("cli.flag.anchor_agency"))
		fs.StringVar(&keyFile, "key", "", locale.T("cli.flag.key"))
		fs.StringVar(&out, "o", "", locale.T("cli.flag.anchor_out"))
	})
	if code >= 0 {
		return code
	}
	if keyFile == "" {
		fmt.Fprintf(c.stderr, "cchc log anchor: %s\n", locale.T("cli.log.anchor_needs_key"))
		return exitUsage
	}
	key, err := readKey(cfg.Data, keyFile)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: --key: %s\n", locale.Text(err))
		return exitFail
	}
	env, err := c.openExisting(ctx, cfg, "cchc log anchor")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	if slug != "" {
		id, code := c.agencyFlag(ctx, env, "anchor", slug)
		if code >= 0 {
			return code
		}
		ctx = agency.WithID(ctx, id)
	}
	log := publog.New(env.Store, env.Now)
	check, err := log.Verify(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %s\n", locale.Text(err))
		return exitFail
	}
	a, err := publog.NewAnchor(check, env.Now(), key)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %s\n", locale.Text(err))
		return exitFail
	}
	// The file first: a copy in the database without the file would show
	// an anchor nobody holds.
	if out == "" {
		if _, err := c.stdout.Write(a.Marshal()); err != nil {
			fmt.Fprintf(c.stderr, "cchc log anchor: %s\n", locale.Text(err))
			return exitFail
		}
	} else if err := createFile(out, a.Marshal(), 0o644); err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: -o: %s\n", locale.Text(err))
		return exitFail
	}
	if err := log.RecordAnchor(ctx, a); err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %s\n", locale.T("cli.log.anchor_not_recorded", locale.Text(err)))
		return exitFail
	}
	where := locale.T("cli.stdout")
	if out != "" {
		where = out
	}
	fmt.Fprintln(c.stderr, locale.T("cli.log.anchor_done", a.When(), a.Seq, a.Hash, where))
	return exitOK
}

// logKeygen runs `cchc log keygen`: it makes the Ed25519 key anchors are
// signed with, KEYFILE (0600) and KEYFILE.pub.
func (c *cli) logKeygen(args []string) int {
	var keyFile string
	cfg, code := c.logFlags("keygen", locale.T("cli.synopsis.log_keygen"), args, func(fs *flag.FlagSet) {
		fs.StringVar(&keyFile, "key", "", locale.T("cli.flag.keygen_key"))
	})
	if code >= 0 {
		return code
	}
	if keyFile == "" {
		fmt.Fprintf(c.stderr, "cchc log keygen: %s\n", locale.T("cli.log.keygen_needs_key"))
		return exitUsage
	}
	if err := outsideData(cfg.Data, keyFile); err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: --key: %s\n", locale.Text(err))
		return exitFail
	}
	pubFile := keyFile + ".pub"
	for _, f := range []string{keyFile, pubFile} {
		if _, err := os.Lstat(f); err == nil {
			fmt.Fprintf(c.stderr, "cchc log keygen: %s\n", locale.T("cli.log.key_exists", f))
			return exitFail
		}
	}
	key, err := publog.NewKey()
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: %s\n", locale.Text(err))
		return exitFail
	}
	priv, err := publog.MarshalKey(key)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: %s\n", locale.Text(err))
		return exitFail
	}
	pub, err := publog.MarshalPublicKey(key.Public().(ed25519.PublicKey))
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: %s\n", locale.Text(err))
		return exitFail
	}
	if err := createFile(keyFile, priv, 0o600); err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: --key: %s\n", locale.Text(err))
		return exitFail
	}
	if err := createFile(pubFile, pub, 0o644); err != nil {
		os.Remove(keyFile)
		fmt.Fprintf(c.stderr, "cchc log keygen: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("cli.log.keygen_done", keyFile, pubFile))
	return exitOK
}

// outsideData refuses a key file inside the data folder: whoever can
// change the database there could also sign anchors with it. Paths are
// compared after resolving symbolic links.
func outsideData(data, file string) error {
	d, err := realPath(data)
	if err != nil {
		return err
	}
	f, err := realPath(file)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(d, f); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return locale.NewError("cli.log.key_inside_data", file, data)
	}
	return nil
}

// realPath is path made absolute with symbolic links resolved as far as it
// exists (a file to be created need not exist yet).
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(dir) == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// readKey reads the signing key: outside the data folder, and (where file
// modes mean something) readable by its owner only.
func readKey(data, file string) (ed25519.PrivateKey, error) {
	if err := outsideData(data, file); err != nil {
		return nil, err
	}
	info, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, locale.NewError("cli.log.key_mode", file, uint32(info.Mode().Perm()))
	}
	b, err := readLimited(file, 64<<10)
	if err != nil {
		return nil, err
	}
	key, err := publog.ParseKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return key, nil
}

// readPublicKey reads --pubkey: a file (outside the data folder, where
// whoever changed the database could have swapped it), or the base64 key
// itself.
func readPublicKey(data, value string) (ed25519.PublicKey, error) {
	if _, err := os.Stat(value); err != nil {
		if pub, perr := publog.ParsePublicKey([]byte(value)); perr == nil {
			return pub, nil
		}
		return nil, err
	}
	if err := outsideData(data, value); err != nil {
		return nil, err
	}
	b, err := readLimited(value, 64<<10)
	if err != nil {
		return nil, err
	}
	pub, err := publog.ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", value, err)
	}
	return pub, nil
}

func readAnchor(file string) (*publog.Anchor, error) {
	b, err := readLimited(file, publog.MaxAnchorFile+1)
	if err != nil {
		return nil, err
	}
	return publog.ParseAnchor(b)
}

// readLimited reads at most n bytes of file.
func readLimited(file string, n int64) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// createFile writes a file that must not exist yet, whole or not at all,
// with mode perm.
func createFile(name string, b []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return locale.NewError("cli.file_exists", name)
		}
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
