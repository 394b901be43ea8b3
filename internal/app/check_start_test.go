package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	demo "cchc/content"
	"cchc/internal/account"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
)

// TestCheckAtStartInBackground: serving starts at once and the check,
// finishing in the background, still marks a damaged database and logs it.
func TestCheckAtStartInBackground(t *testing.T) {
	var logBuf syncBuf
	env, _ := heldCheckEnv(t, true, slog.New(slog.NewTextHandler(&logBuf, nil)))
	var bg sync.WaitGroup
	env.checkAtStart(t.Context(), &bg, nil)
	bg.Wait()
	if env.DB.Damage() == "" {
		t.Error("the background check did not mark the damaged database")
	}
	out := logBuf.String()
	if !strings.Contains(out, `level=ERROR msg="database damaged`) {
		t.Errorf("log lacks the damage:\n%s", out)
	}
	if err := env.DB.Tx(t.Context(), func(*sql.Tx) error { return nil }); !database.IsCorrupt(err) {
		t.Errorf("Tx after the check: %v, want the damage refusal", err)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// heldCheckEnv is a data folder with the demo content and the account
// holdAdmin (password holdPassword), its file damaged at the root page of
// items_kind_slug when damage is set, opened again as serve opens it,
// logging to log (nil: nowhere). It returns the env and the database file.
func heldCheckEnv(t *testing.T, damage bool, log *slog.Logger) (*Env, string) {
	t.Helper()
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	env, err := Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Publish.Import(t.Context(), demo.FS, "content"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Accounts.Add(t.Context(), account.Actor{Name: "test"}, account.NewAccount{Name: holdAdmin, Role: string(auth.Admin), Password: holdPassword}); err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := env.DB.Read.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'items_kind_slug'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Read.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(cfg.Data, database.FileName)
	if damage {
		f, err := os.OpenFile(file, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef}, (root-1)*pageSize+8); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	env, err = Open(t.Context(), &cfg, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env, file
}

const (
	holdAdmin    = "quantri"
	holdPassword = "mật khẩu thử khi chờ kiểm tra"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// heldLogin starts serve's start check held at a gate, serves env's whole
// router on 127.0.0.1, checks that the public pages answer while the
// check is held, and begins a login (a write: the session's row) during
// it. It returns the gate to open and the login's answer to come.
func heldLogin(t *testing.T, env *Env) (gate chan struct{}, answer <-chan *http.Response, bg *sync.WaitGroup) {
	t.Helper()
	gate = make(chan struct{})
	check := func(ctx context.Context) ([]string, error) {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return env.DB.QuickCheck(ctx)
	}
	ctx, cancel := context.WithCancel(t.Context())
	bg = &sync.WaitGroup{}
	t.Cleanup(func() { cancel(); bg.Wait() })
	env.checkAtStart(ctx, bg, check)
	h, err := env.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// The public is answered while the check runs.
	for _, p := range []string{"/", "/tin-tuc/", "/van-ban/", "/thu-tuc-hanh-chinh/"} {
		res, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("</html>")) {
			t.Errorf("GET %s while the start check runs: %d\n%.300s", p, res.StatusCode, body)
		}
	}
	res, err := client.Get(srv.URL + "/quan-tri/dang-nhap")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("login page while the start check runs: %d\n%s", res.StatusCode, page)
	}
	out := make(chan *http.Response, 1)
	go func() {
		form := url.Values{"csrf": {string(m[1])}, "name": {holdAdmin}, "password": {holdPassword}}
		res, err := client.PostForm(srv.URL+"/quan-tri/dang-nhap", form)
		if err != nil {
			t.Error(err)
			out <- nil
			return
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		res.Body = io.NopCloser(bytes.NewReader(body))
		out <- res
	}()
	// The login waits as long as the check is held: half a second is
	// enough to see it waiting (a login without the hold takes a few ms
	// after its password hash), and no slower machine can turn a wait
	// that lasts until the gate opens into an answer.
	select {
	case res := <-out:
		t.Fatalf("the login was answered (%d) while the start check held writes", res.StatusCode)
	case <-time.After(500 * time.Millisecond):
	}
	if n := countSessions(t, env); n != 0 {
		t.Fatalf("%d sessions written while the start check held writes", n)
	}
	return gate, out, bg
}

func countSessions(t *testing.T, env *Env) int {
	t.Helper()
	var n int
	if err := env.DB.Read.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestServeWhileStartCheckHeld: serve answers the public while its start
// check runs (held here until the test opens it); a login begun then —
// a write — waits for the check and, the file being sound, goes through.
func TestServeWhileStartCheckHeld(t *testing.T) {
	env, _ := heldCheckEnv(t, false, nil)
	gate, answer, bg := heldLogin(t, env)
	close(gate)
	var res *http.Response
	select {
	case res = <-answer:
	case <-time.After(time.Minute): // generous: a loaded 2-core machine
		t.Fatal("the login did not go through within a minute of the check")
	}
	if res == nil {
		return
	}
	if res.StatusCode != http.StatusSeeOther {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("login after the check: %d\n%.400s", res.StatusCode, body)
	}
	if n := countSessions(t, env); n != 1 {
		t.Errorf("%d sessions after the login, want 1", n)
	}
	bg.Wait()
	if env.DB.Damage() != "" {
		t.Errorf("a sound file marked damaged: %s", env.DB.Damage())
	}
}

// TestHeldWriteRefusedWhenCheckFindsDamage: a login begun while the start
// check runs waits for it; the check finds the damaged index, and the
// login is refused with the workspace's damage page (503), writing
// nothing into the file.
func TestHeldWriteRefusedWhenCheckFindsDamage(t *testing.T) {
	env, file := heldCheckEnv(t, true, nil)
	before := fileSum(t, file)
	gate, answer, bg := heldLogin(t, env)
	close(gate)
	var res *http.Response
	select {
	case res = <-answer:
	case <-time.After(time.Minute):
		t.Fatal("the held login was not answered within a minute of the check")
	}
	if res == nil {
		return
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), locale.T("admin.refused.damaged")) {
		t.Errorf("held login over a damaged file: %d, want 503 with the damage message\n%.400s", res.StatusCode, body)
	}
	bg.Wait()
	if env.DB.Damage() == "" {
		t.Error("the check did not mark the damaged file")
	}
	if n := countSessions(t, env); n != 0 {
		t.Errorf("%d sessions written into the damaged file", n)
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	if fileSum(t, file) != before {
		t.Error("the held write reached the damaged database file")
	}
	if info, err := os.Stat(file + "-wal"); err == nil && info.Size() > 0 {
		t.Errorf("%s-wal holds %d bytes after the damaged file closed", file, info.Size())
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
