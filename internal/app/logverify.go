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
	"strings"

	"cchc/internal/config"
	"cchc/internal/publog"
)

const logUsage = `Cách dùng:
  cchc log verify [--data THƯ_MỤC] [--anchor TỆP_MỐC [--pubkey KHÓA_CÔNG_KHAI]]
  cchc log anchor --key TỆP_KHÓA [--data THƯ_MỤC] [-o TỆP_MỐC]
  cchc log keygen --key TỆP_KHÓA [--data THƯ_MỤC]`

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
			fmt.Fprintln(c.stdout, logUsage)
			return exitOK
		}
	}
	fmt.Fprintln(c.stderr, logUsage)
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
		fmt.Fprintf(fs.Output(), "Cách dùng: cchc log %s %s\n\n", name, synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc log %s: không nhận đối số %q\n", name, fs.Arg(0))
		return nil, exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(c.stderr, "cchc log %s: %v\n", name, err)
		return nil, exitUsage
	}
	return cfg, -1
}

// logVerify runs `cchc log verify`: it walks the publication log's hash
// chain (and checks it against the anchors recorded in the database) and
// exits 1 naming the first row that was changed, deleted or inserted. With
// --anchor it also checks the chain against a signed anchor file.
func (c *cli) logVerify(ctx context.Context, args []string) int {
	var anchorFile, pubFile string
	cfg, code := c.logFlags("verify", "[--data THƯ_MỤC] [--anchor TỆP_MỐC [--pubkey KHÓA_CÔNG_KHAI]]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&anchorFile, "anchor", "", "tệp mốc kiểm chứng do `cchc log anchor` lập, để kiểm chuỗi không bị cắt bớt hay viết lại")
		fs.StringVar(&pubFile, "pubkey", "", "khóa công khai của đơn vị (tệp .pub do `cchc log keygen` tạo, hoặc base64) mà mốc phải được ký bằng")
	})
	if code >= 0 {
		return code
	}
	if pubFile != "" && anchorFile == "" {
		fmt.Fprintln(c.stderr, "cchc log verify: --pubkey chỉ dùng cùng --anchor")
		return exitUsage
	}
	failed := false
	var anchor *publog.Anchor
	if anchorFile != "" {
		var trusted ed25519.PublicKey
		if pubFile != "" {
			var err error
			if trusted, err = readPublicKey(cfg.Data, pubFile); err != nil {
				fmt.Fprintf(c.stderr, "cchc log verify: --pubkey: %v\n", err)
				return exitFail
			}
		}
		a, err := readAnchor(anchorFile)
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc log verify: %s: %v\n", anchorFile, err)
			return exitFail
		}
		if err := a.VerifySignature(trusted); err != nil {
			// The chain is still walked below: its own problems are worth
			// knowing, but this anchor proves nothing.
			fmt.Fprintf(c.stderr, "%s: %v\n", anchorFile, err)
			failed = true
		} else {
			anchor = a
		}
	}
	env, err := OpenReadOnly(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %v\n", err)
		return exitFail
	}
	defer env.Close()
	log := publog.New(env.Store, env.Now)
	check, err := log.Verify(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log verify: %v\n", err)
		return exitFail
	}
	if !check.OK() {
		fmt.Fprintln(c.stderr, check.Problem.Error())
		failed = true
	}
	if anchor != nil {
		p, err := log.CheckAnchor(ctx, check, anchor)
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc log verify: %v\n", err)
			return exitFail
		}
		if p != nil {
			fmt.Fprintf(c.stderr, "%s: %s\n", anchorFile, p.Error())
			failed = true
		}
	}
	if failed {
		fmt.Fprintf(c.stderr, "cchc log verify: nhật ký xuất bản KHÔNG toàn vẹn (%d hàng, hàng cuối số %d)\n", check.Rows, check.LastSeq)
		return exitFail
	}
	fmt.Fprintf(c.stdout, "Nhật ký xuất bản toàn vẹn: %d hàng, mã băm cuối chuỗi %s\n", check.Rows, check.Head)
	if anchor != nil {
		fmt.Fprintf(c.stdout, "Mốc kiểm chứng lập lúc %s khớp: hàng số %d vẫn mang mã băm %s; chữ ký hợp lệ.\n", anchor.When(), anchor.Seq, anchor.Hash)
		if pubFile == "" {
			fmt.Fprintln(c.stdout, "Lưu ý: chữ ký chỉ được kiểm bằng khóa công khai ghi trong chính tệp mốc; thêm --pubkey TỆP.pub để chắc chắn mốc do đơn vị ký.")
		}
	}
	return exitOK
}

// logAnchor runs `cchc log anchor`: it signs the head of a chain that
// holds, writes the anchor file and records a copy in the database.
func (c *cli) logAnchor(ctx context.Context, args []string) int {
	var keyFile, out string
	cfg, code := c.logFlags("anchor", "--key TỆP_KHÓA [--data THƯ_MỤC] [-o TỆP_MỐC]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&keyFile, "key", "", "tệp khóa bí mật Ed25519 do `cchc log keygen` tạo (để ngoài thư mục dữ liệu)")
		fs.StringVar(&out, "o", "", "ghi mốc vào tệp này (không ghi đè) thay vì đầu ra chuẩn")
	})
	if code >= 0 {
		return code
	}
	if keyFile == "" {
		fmt.Fprintln(c.stderr, "cchc log anchor: cần --key TỆP_KHÓA (tạo bằng cchc log keygen --key TỆP_KHÓA)")
		return exitUsage
	}
	key, err := readKey(cfg.Data, keyFile)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: --key: %v\n", err)
		return exitFail
	}
	env, err := Open(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %v\n", err)
		return exitFail
	}
	defer env.Close()
	log := publog.New(env.Store, env.Now)
	check, err := log.Verify(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %v\n", err)
		return exitFail
	}
	a, err := publog.NewAnchor(check, env.Now(), key)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: %v\n", err)
		return exitFail
	}
	// The file first: a copy in the database without the file would show
	// an anchor nobody holds.
	if out == "" {
		if _, err := c.stdout.Write(a.Marshal()); err != nil {
			fmt.Fprintf(c.stderr, "cchc log anchor: %v\n", err)
			return exitFail
		}
	} else if err := createFile(out, a.Marshal(), 0o644); err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: -o: %v\n", err)
		return exitFail
	}
	if err := log.RecordAnchor(ctx, a); err != nil {
		fmt.Fprintf(c.stderr, "cchc log anchor: đã ghi tệp mốc nhưng không lưu được bản sao vào cơ sở dữ liệu: %v\n", err)
		return exitFail
	}
	where := "đầu ra chuẩn"
	if out != "" {
		where = out
	}
	fmt.Fprintf(c.stderr, "đã lập mốc kiểm chứng lúc %s: hàng số %d, mã băm %s, ghi vào %s. Hãy cất tệp mốc ở nơi khác thư mục dữ liệu (máy khác, thư điện tử, bản in).\n",
		a.When(), a.Seq, a.Hash, where)
	return exitOK
}

// logKeygen runs `cchc log keygen`: it makes the Ed25519 key anchors are
// signed with, KEYFILE (0600) and KEYFILE.pub.
func (c *cli) logKeygen(args []string) int {
	var keyFile string
	cfg, code := c.logFlags("keygen", "--key TỆP_KHÓA [--data THƯ_MỤC]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&keyFile, "key", "", "tệp khóa bí mật sẽ tạo (để ngoài thư mục dữ liệu); khóa công khai ghi vào TỆP_KHÓA.pub")
	})
	if code >= 0 {
		return code
	}
	if keyFile == "" {
		fmt.Fprintln(c.stderr, "cchc log keygen: cần --key TỆP_KHÓA")
		return exitUsage
	}
	if err := outsideData(cfg.Data, keyFile); err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: --key: %v\n", err)
		return exitFail
	}
	pubFile := keyFile + ".pub"
	for _, f := range []string{keyFile, pubFile} {
		if _, err := os.Lstat(f); err == nil {
			fmt.Fprintf(c.stderr, "cchc log keygen: %s đã có; khóa cũ không bị ghi đè\n", f)
			return exitFail
		}
	}
	key, err := publog.NewKey()
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: %v\n", err)
		return exitFail
	}
	priv, err := publog.MarshalKey(key)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: %v\n", err)
		return exitFail
	}
	pub, err := publog.MarshalPublicKey(key.Public().(ed25519.PublicKey))
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: %v\n", err)
		return exitFail
	}
	if err := createFile(keyFile, priv, 0o600); err != nil {
		fmt.Fprintf(c.stderr, "cchc log keygen: --key: %v\n", err)
		return exitFail
	}
	if err := createFile(pubFile, pub, 0o644); err != nil {
		os.Remove(keyFile)
		fmt.Fprintf(c.stderr, "cchc log keygen: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(c.stdout, "Đã tạo khóa ký mốc kiểm chứng: khóa bí mật %s (chỉ chủ sở hữu đọc được), khóa công khai %s.\n", keyFile, pubFile)
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
		return fmt.Errorf("%s nằm trong thư mục dữ liệu %s: khóa phải để ở nơi khác, vì ai sửa được cơ sở dữ liệu cũng đọc được nó", file, data)
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
		return nil, fmt.Errorf("%s có quyền %04o: khóa bí mật chỉ được để chủ sở hữu đọc (chmod 600 %s)", file, info.Mode().Perm(), file)
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
			return fmt.Errorf("%s đã có; tệp cũ không bị ghi đè", name)
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
