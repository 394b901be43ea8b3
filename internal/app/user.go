package app

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"cchc/internal/account"
	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// InitialPasswordFile is the file in the data folder that holds the first
// admin's random password (mode 0600).
const InitialPasswordFile = "initial-admin-password"

// InitialAdmin is the name of the account serve creates when there is none.
const InitialAdmin = "admin"

// cliActor is the audit actor of changes made from the command line.
const cliActor = "cli"

// Admin builds the editors' workspace over the theme tfs (its admin/
// folder holds the admin theme).
func (e *Env) Admin(tfs fs.FS) (*admin.Admin, error) {
	sub, err := fs.Sub(tfs, "admin")
	if err != nil {
		return nil, fmt.Errorf("admin theme: %w", err)
	}
	th, err := admin.LoadTheme(sub)
	if err != nil {
		return nil, fmt.Errorf("admin theme: %w", err)
	}
	proxies, err := config.ParseProxies(e.Config.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxies (CCHC_TRUSTED_PROXIES): %w", err)
	}
	return admin.New(admin.Config{Store: e.Store, Theme: th, Now: e.Now, Log: e.Log, BaseURL: e.Config.BaseURL, Publish: e.Publish,
		Accounts: e.Accounts, TrustedProxies: proxies, LoginAudit: e.LoginAudit, Renders: e.Renders}), nil
}

// ensureAdmin creates the account "admin" with a random password when no
// account exists, writes the password to DATA/initial-admin-password (mode
// 0600) and prints it once to w. There is never a default password.
func (e *Env) ensureAdmin(ctx context.Context, w io.Writer) error {
	n, err := e.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw, err := auth.RandomPassword(24)
	if err != nil {
		return err
	}
	path := filepath.Join(e.Config.Data, InitialPasswordFile)
	if err := writeSecret(path, pw+"\n"); err != nil {
		return fmt.Errorf("--data (CCHC_DATA): %w", err)
	}
	_, err = e.Accounts.Add(ctx, account.Actor{Name: "serve"}, account.NewAccount{Name: InitialAdmin, Role: string(auth.Admin), Password: pw,
		Note: locale.T("cli.user.first_admin_note"), MustChangePassword: true})
	if err != nil {
		os.Remove(path)
		return err
	}
	fmt.Fprintf(w, "cchc serve: %s\ncchc serve: %s\n", locale.T("cli.user.first_admin", InitialAdmin, pw),
		locale.T("cli.user.first_admin_file", path, admin.LoginPath))
	return nil
}

// settleInitialPassword looks after DATA/initial-admin-password at start:
// when the password it holds no longer opens the first admin's account
// (changed before the file could be deleted, or before versions that
// delete it), the file goes; when it still does, the account is asked for
// a password of its own at its next login, as a new one is.
func (e *Env) settleInitialPassword(ctx context.Context) error {
	path := filepath.Join(e.Config.Data, InitialPasswordFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	u, err := e.Store.UserByName(ctx, InitialAdmin)
	if errors.Is(err, store.ErrNotFound) {
		return nil // not ours to judge: keep it
	}
	if err != nil {
		return err
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	switch {
	case !ok:
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		e.Log.Info("removed the first admin's printed password: it no longer opens the account", slog.String("file", path))
	case !u.MustChangePassword:
		return e.Accounts.RequirePasswordChange(ctx, u)
	}
	return nil
}

// writeSecret writes s to path readable by the owner only, even when the
// file already existed with looser permissions.
func writeSecret(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func userUsage(w io.Writer) {
	fmt.Fprintf(w, "%s\n  %s\n  %s\n  cchc user list [--data ./data]\n\n%s\n%s\n  %s\n\n%s\n",
		locale.T("cli.usage"), locale.T("cli.user.usage.add"), locale.T("cli.usage.user_passwd"),
		locale.T("cli.user.usage.terminal"), locale.T("cli.user.usage.stdin"),
		`printf '%s\n' "$MAT_KHAU" | cchc user add bientap --role editor --password-stdin`, locale.T("cli.user.usage.roles"))
	for _, r := range auth.AccountRoles {
		fmt.Fprintf(w, "  %-9s %s\n", r, r.Hint())
	}
}

func (c *cli) user(ctx context.Context, args []string) int {
	if len(args) == 0 {
		userUsage(c.stderr)
		return exitUsage
	}
	switch args[0] {
	case "add":
		return c.userAdd(ctx, args[1:])
	case "passwd":
		return c.userPasswd(ctx, args[1:])
	case "list":
		return c.userList(ctx, args[1:])
	case "help", "-h", "--help", "-help":
		userUsage(c.stdout)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "cchc user: %s\n\n", locale.T("cli.no_command", args[0]))
	userUsage(c.stderr)
	return exitUsage
}

// accountName reads the one positional argument, the account name.
func (c *cli) accountName(cmd string, pos []string) (string, int) {
	if len(pos) != 1 {
		fmt.Fprintf(c.stderr, "cchc user %s: %s\n", cmd, locale.T("cli.user.one_name"))
		return "", exitUsage
	}
	name, err := account.Name(pos[0])
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user %s: %q: %s\n", cmd, pos[0], locale.Text(err))
		return "", exitUsage
	}
	return name, -1
}

// password reads a new password: the first line of stdin with
// --password-stdin, else twice from the terminal without echo. Without
// either it refuses rather than read a password from a pipe by surprise.
func (c *cli) password(cmd, name string, fromStdin bool) (string, int) {
	var pw string
	if fromStdin {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintf(c.stderr, "cchc user %s: --password-stdin: %s\n", cmd, locale.Text(err))
			return "", exitFail
		}
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" {
			fmt.Fprintf(c.stderr, "cchc user %s: --password-stdin: %s\n", cmd, locale.T("cli.user.stdin_empty"))
			return "", exitUsage
		}
	} else {
		f, ok := c.stdin.(*os.File)
		if !ok || !isTerminal(f) {
			fmt.Fprintf(c.stderr, "cchc user %s: %s\n", cmd, locale.T("cli.user.no_terminal"))
			return "", exitUsage
		}
		r := bufio.NewReader(f)
		first, err := readHidden(f, r, c.stderr, locale.T("admin.user.password")+": ")
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc user %s: %s\n", cmd, locale.Text(err))
			return "", exitFail
		}
		again, err := readHidden(f, r, c.stderr, locale.T("admin.user.password2")+": ")
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc user %s: %s\n", cmd, locale.Text(err))
			return "", exitFail
		}
		if err := account.Confirm(first, again); err != nil {
			fmt.Fprintf(c.stderr, "cchc user %s: %s\n", cmd, locale.Text(err))
			return "", exitFail
		}
		pw = first
	}
	if err := account.Password(name, pw); err != nil {
		fmt.Fprintf(c.stderr, "cchc user %s: %s\n", cmd, locale.Text(err))
		return "", exitFail
	}
	return pw, -1
}

func (c *cli) userAdd(ctx context.Context, args []string) int {
	var roleName, display, unit, agencySlug string
	var fromStdin bool
	cfg, pos, code := c.subcommandFlags("cchc user", "add", userUsage, args, func(fs *flag.FlagSet) {
		fs.StringVar(&roleName, "role", "", locale.T("cli.flag.role"))
		fs.StringVar(&display, "display-name", "", locale.T("cli.flag.display_name"))
		fs.StringVar(&unit, "unit", "", locale.T("cli.flag.unit"))
		fs.StringVar(&agencySlug, "agency", "", locale.T("cli.flag.agency"))
		fs.BoolVar(&fromStdin, "password-stdin", false, locale.T("cli.flag.password_stdin"))
	})
	if code >= 0 {
		return code
	}
	name, code := c.accountName("add", pos)
	if code >= 0 {
		return code
	}
	// The account service's rules, checked before a password is asked
	// for: the messages are the workspace's.
	role, err := account.Role(roleName)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user add: --role: %s\n", locale.Text(err))
		return exitUsage
	}
	if _, err := account.DisplayName(display); err != nil {
		fmt.Fprintf(c.stderr, "cchc user add: --display-name: %s\n", locale.Text(err))
		return exitUsage
	}
	pw, code := c.password("add", name, fromStdin)
	if code >= 0 {
		return code
	}
	env, err := c.open(ctx, cfg, "cchc user add")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user add: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	_, err = env.Accounts.Add(ctx, account.Actor{Name: cliActor}, account.NewAccount{Name: name, DisplayName: display, Role: string(role), Password: pw, Unit: unit, Agency: agencySlug})
	var es account.Errors
	if errors.As(err, &es) {
		fmt.Fprintf(c.stderr, "cchc user add: %s: %s", name, locale.Text(err))
		if es.ByField()["name"] != "" {
			fmt.Fprintf(c.stderr, " %s", locale.T("cli.user.change_password", name))
		}
		fmt.Fprintln(c.stderr)
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user add: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("account.done.add", name, role.Label()))
	return exitOK
}

func (c *cli) userPasswd(ctx context.Context, args []string) int {
	var fromStdin bool
	cfg, pos, code := c.subcommandFlags("cchc user", "passwd", userUsage, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&fromStdin, "password-stdin", false, locale.T("cli.flag.password_stdin"))
	})
	if code >= 0 {
		return code
	}
	name, code := c.accountName("passwd", pos)
	if code >= 0 {
		return code
	}
	env, err := c.openExisting(ctx, cfg, "cchc user passwd")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user passwd: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	u, err := env.Store.UserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(c.stderr, "cchc user passwd: %s\n", locale.T("cli.user.no_account", name))
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user passwd: %s\n", locale.Text(err))
		return exitFail
	}
	pw, code := c.password("passwd", name, fromStdin)
	if code >= 0 {
		return code
	}
	if err := env.Accounts.SetPassword(ctx, account.Actor{Name: cliActor}, u, pw, ""); err != nil {
		fmt.Fprintf(c.stderr, "cchc user passwd: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("cli.user.password_done", name))
	return exitOK
}

func (c *cli) userList(ctx context.Context, args []string) int {
	cfg, pos, code := c.subcommandFlags("cchc user", "list", userUsage, args, nil)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(c.stderr, "cchc user list: %s\n", locale.T("cli.no_arguments", pos[0]))
		return exitUsage
	}
	env, err := OpenReadOnly(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user list: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	users, err := env.Store.Users(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc user list: %s\n", locale.Text(err))
		return exitFail
	}
	if len(users) == 0 {
		fmt.Fprintln(c.stdout, locale.T("cli.user.none"))
		return exitOK
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join([]string{locale.T("cli.user.col.name"), locale.T("cli.user.col.role"), locale.T("cli.user.col.status"), locale.T("cli.user.col.last_login"), locale.T("cli.user.col.display_name"), locale.T("cli.user.col.unit")}, "\t"))
	for _, u := range users {
		status := locale.T("cli.user.active")
		if !u.Active() {
			status = locale.T("cli.user.disabled")
		}
		last := locale.T("cli.user.never")
		if !u.LastLogin.IsZero() {
			last = vntext.DateTime(u.LastLogin)
		}
		// Stored names passed the rules of their time; print them escaped
		// all the same (a tab would also break the columns).
		unit := cmp.Or(u.Unit, locale.T("account.unit.none"))
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", vntext.Terminal(u.Name), u.Role, status, last, vntext.Terminal(u.DisplayName), vntext.Terminal(unit))
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(c.stderr, "cchc user list: %s\n", locale.Text(err))
		return exitFail
	}
	return exitOK
}
