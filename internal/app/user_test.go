package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/testsupport"
)

// runIn calls app.Run with stdin as standard input.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := app.Run(t.Context(), args, func(string) string { return "" }, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestUserCommands(t *testing.T) {
	data := t.TempDir()
	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // substring expected on stdout
		stderr string // substring expected on stderr
	}{
		{"add editor", "một mật khẩu đủ dài\n", []string{"user", "add", "BienTap", "--role", "editor", "--password-stdin", "--data", data, "--display-name", "Nguyễn Văn An"}, 0, "Đã tạo tài khoản bientap (Biên tập viên).", ""},
		{"flags before the name", "mật khẩu người duyệt\r\n", []string{"user", "add", "--data", data, "--role=approver", "--password-stdin", "duyet"}, 0, "Đã tạo tài khoản duyet", ""},
		{"taken", "một mật khẩu đủ dài\n", []string{"user", "add", "bientap", "--role", "editor", "--password-stdin", "--data", data}, 1, "", "đã có"},
		{"no role", "một mật khẩu đủ dài\n", []string{"user", "add", "moi", "--password-stdin", "--data", data}, 2, "", "--role"},
		{"bad role", "một mật khẩu đủ dài\n", []string{"user", "add", "moi", "--role", "root", "--password-stdin", "--data", data}, 2, "", "--role"},
		{"bad name", "một mật khẩu đủ dài\n", []string{"user", "add", "Nguyễn", "--role", "editor", "--password-stdin", "--data", data}, 2, "", "Tên đăng nhập"},
		{"no name", "", []string{"user", "add", "--role", "editor", "--data", data}, 2, "", "cần đúng một tên tài khoản"},
		{"short password", "ngắn\n", []string{"user", "add", "moi", "--role", "editor", "--password-stdin", "--data", data}, 1, "", "ít nhất 10 ký tự"},
		{"empty stdin", "", []string{"user", "add", "moi", "--role", "editor", "--password-stdin", "--data", data}, 2, "", "--password-stdin"},
		{"no terminal", "một mật khẩu đủ dài\n", []string{"user", "add", "moi", "--role", "editor", "--data", data}, 2, "", "không có terminal"},
		{"unit", "mật khẩu của trung tâm\n", []string{"user", "add", "trungtam", "--role", "editor", "--unit", "trung-tam-ung-dung", "--password-stdin", "--data", data}, 0, "Đã tạo tài khoản trungtam", ""},
		{"passwd", "mật khẩu mới tinh\n", []string{"user", "passwd", "bientap", "--password-stdin", "--data", data}, 0, "Đã đặt mật khẩu mới cho tài khoản bientap", ""},
		{"passwd unknown", "mật khẩu mới tinh\n", []string{"user", "passwd", "khongco", "--password-stdin", "--data", data}, 1, "", "không có tài khoản"},
		{"passwd no terminal", "", []string{"user", "passwd", "bientap", "--data", data}, 2, "", "--password-stdin"},
		{"list", "", []string{"user", "list", "--data", data}, 0, "bientap", ""},
		{"unknown subcommand", "", []string{"user", "xoa", "bientap"}, 2, "", "không có lệnh"},
		{"no subcommand", "", []string{"user"}, 2, "", "cchc user add"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, st.stdin, st.args...)
			if code != st.code || !strings.Contains(stdout, st.stdout) || !strings.Contains(stderr, st.stderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, stdout, stderr, st.code, st.stdout, st.stderr)
			}
			for _, secret := range []string{"một mật khẩu đủ dài", "mật khẩu mới tinh", "mật khẩu của trung tâm"} {
				if strings.Contains(stdout+stderr, secret) {
					t.Fatal("a password was printed")
				}
			}
		})
	}

	_, out, _ := runIn(t, "", "user", "list", "--data", data)
	for _, want := range []string{"TÊN", "bientap", "editor", "duyet", "approver", "hoạt động", "Nguyễn Văn An", "ĐƠN VỊ"} {
		if !strings.Contains(out, want) {
			t.Errorf("user list lacks %q:\n%s", want, out)
		}
	}
	// Each account's unit, on its own line: the Trung tâm's editor names
	// it, an account of no unit says so.
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "trungtam ") && !strings.Contains(line, "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ"):
			t.Errorf("trungtam's line lacks its unit: %q", line)
		case strings.HasPrefix(line, "bientap ") && !strings.Contains(line, "không thuộc đơn vị nào"):
			t.Errorf("bientap's line does not say it has no unit: %q", line)
		}
	}
	// The passwords work: check them against the stored hashes.
	cfg := config.Defaults
	cfg.Data = data
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	for name, pw := range map[string]string{"bientap": "mật khẩu mới tinh", "duyet": "mật khẩu người duyệt"} {
		u, err := env.Store.UserByName(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := auth.VerifyPassword(u.PasswordHash, pw); !ok {
			t.Errorf("%s: the password given on stdin does not verify", name)
		}
	}
	entries, _, err := env.Store.AuditEntries(t.Context(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 || entries[0].Action != "user_password" || entries[0].Actor != "cli" {
		t.Errorf("audit log: %+v", entries)
	}
}

func TestUserListEmpty(t *testing.T) {
	code, out, _ := runIn(t, "", "user", "list", "--data", migratedData(t))
	if code != 0 || !strings.Contains(out, "Chưa có tài khoản nào") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

// serveOnce runs serve until it listens, then stops it, and returns its
// stderr.
func serveOnce(t *testing.T, data, content string) string {
	t.Helper()
	srv := testsupport.Serve(t, "--data", data, "--content", content)
	srv.Stop()
	return srv.Stderr.String()
}

func TestServeInitialAdmin(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	log := serveOnce(t, data, filepath.Join(dir, "khong-co"))

	m := regexp.MustCompile(`đã tạo tài khoản quản trị "admin" với mật khẩu: (\S+)`).FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("no initial password line in:\n%s", log)
	}
	pw := m[1]
	if len(pw) < 20 {
		t.Errorf("password %q is shorter than 20 characters", pw)
	}
	path := filepath.Join(data, app.InitialPasswordFile)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, info.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.TrimSpace(string(b)) != pw {
		t.Errorf("file holds %q, printed %q", b, pw)
	}
	if strings.Count(log, pw) != 1 {
		t.Errorf("the password is printed %d times", strings.Count(log, pw))
	}

	// The account works with that password and is an admin.
	cfg := config.Defaults
	cfg.Data = data
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := env.Store.UserByName(t.Context(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.VerifyPassword(u.PasswordHash, pw); !ok || u.Role != auth.Admin {
		t.Errorf("admin account: role %s, password ok %v", u.Role, ok)
	}
	env.Close()

	// The next start creates nothing and prints nothing.
	again := serveOnce(t, data, filepath.Join(dir, "khong-co"))
	if strings.Contains(again, "mật khẩu") {
		t.Errorf("second start printed a password line:\n%s", again)
	}
	if b2, _ := os.ReadFile(path); string(b2) != string(b) {
		t.Error("the password file changed on the second start")
	}
}
