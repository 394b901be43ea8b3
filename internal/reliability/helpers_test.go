package reliability_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cchc/internal/testsupport"

	_ "modernc.org/sqlite" // the "sqlite" driver, to read the database file directly
)

// The binary is built once per test run, shared by every test that runs it.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary builds cmd/cchc (once) and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "cchc-reliability-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "cchc")
		cmd := exec.Command("go", "build", "-o", binPath, "cchc/cmd/cchc")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// server is a running `cchc serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	data   string
	stderr *testsupport.SyncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // its exit error, once done
}

// startServer runs `cchc serve` on addr over the data folder data (the
// embedded demo content is imported on first start) and waits until it
// answers. The process is killed at the end of the test if still running.
func startServer(t *testing.T, data, addr string) *server {
	t.Helper()
	cmd := exec.Command(binary(t), "serve", "--addr", addr, "--data", data,
		"--content", filepath.Join(data, "no-content-folder"))
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(runtime.NumCPU()))
	s := &server{t: t, cmd: cmd, addr: addr, data: data, stderr: &testsupport.SyncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(60 * time.Second)
	c := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case <-s.done:
			t.Fatalf("cchc serve exited at start: %v\n%s", s.err, s.stderr.String())
		default:
		}
		res, err := c.Get(s.url("/robots.txt"))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cchc serve did not answer within 60 s\n%s", s.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// wait waits up to d for the process to exit and returns its exit code
// (-1 when it did not exit in time).
func (s *server) wait(d time.Duration) int {
	select {
	case <-s.done:
	case <-time.After(d):
		return -1
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	if s.err != nil {
		return -1
	}
	return 0
}

// adminPassword is a password of the test's own for the first admin, set
// with the binary's `cchc user passwd` once serve has created the account:
// the password serve prints opens only the page that asks for another
// (issue 17.13). The server may be running.
func adminPassword(t *testing.T, data string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(data, "initial-admin-password")); errors.Is(err, os.ErrNotExist) {
		return testsupport.AdminPassword // set already
	}
	cmd := exec.Command(binary(t), "user", "passwd", "admin", "--password-stdin", "--data", data)
	cmd.Stdin = strings.NewReader(testsupport.AdminPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cchc user passwd admin: %v\n%s", err, out)
	}
	return testsupport.AdminPassword
}

// editor is a logged-in admin session over HTTP, like a browser without
// script: cookies in a jar, the form token read from pages.
type editor struct {
	base string
	c    *http.Client
	csrf string
}

func newEditor(base string) *editor {
	jar, _ := cookiejar.New(nil)
	return &editor{base: base, c: &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// login signs in as name and reads the session's form token.
func (e *editor) login(name, password string) error {
	body, st, err := e.get("/quan-tri/dang-nhap")
	if err != nil {
		return err
	}
	m := testsupport.CSRFField.FindStringSubmatch(body)
	if st != http.StatusOK || m == nil {
		return fmt.Errorf("login page: %d", st)
	}
	res, err := e.c.PostForm(e.base+"/quan-tri/dang-nhap", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}})
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("login: %d", res.StatusCode)
	}
	return e.refreshToken()
}

// refreshToken reads the session's form token from the dashboard; it
// fails when the session is gone.
func (e *editor) refreshToken() error {
	body, st, err := e.get("/quan-tri/")
	if err != nil {
		return err
	}
	m := testsupport.CSRFField.FindStringSubmatch(body)
	if st != http.StatusOK || m == nil {
		return fmt.Errorf("dashboard: %d", st)
	}
	e.csrf = m[1]
	return nil
}

func (e *editor) get(path string) (string, int, error) {
	res, err := e.c.Get(e.base + path)
	if err != nil {
		return "", 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), res.StatusCode, err
}

// post sends a form with the session's token and returns the status and
// the Location header.
func (e *editor) post(path string, form url.Values) (int, string, error) {
	form.Set("csrf", e.csrf)
	res, err := e.c.PostForm(e.base+path, form)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location"), nil
}

// articleForm is the editor's form for an article.
func articleForm(title, body string, version int) url.Values {
	v := url.Values{"title": {title}, "body": {body}, "areas": {"II.1"}, "summary": {"Tin thử nghiệm độ bền."}}
	if version > 0 {
		v.Set("version", strconv.Itoa(version))
	}
	return v
}

var idRe = regexp.MustCompile(`/quan-tri/tin-bai/(\d+)$`)

// createArticle creates a draft article; it returns its id.
func (e *editor) createArticle(title, body string) (int64, int, error) {
	st, loc, err := e.post("/quan-tri/tin-bai/moi", articleForm(title, body, 0))
	if err != nil || st != http.StatusSeeOther {
		return 0, st, err
	}
	m := idRe.FindStringSubmatch(loc)
	if m == nil {
		return 0, st, fmt.Errorf("create: redirected to %q", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, st, nil
}

// integrity runs PRAGMA integrity_check.
func integrity(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("integrity_check: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// halfDone lists changes found half made: the checks that every change's
// rows (item, revision, publication log row, search entry) were written
// together or not at all.
var halfDone = []struct{ name, query string }{
	{"public item without its publication log row", `SELECT i.id FROM items i
		WHERE i.deleted_at IS NULL AND i.live = 1 AND i.status IN ('published', 'withdrawn')
		AND NOT EXISTS (SELECT 1 FROM publog p WHERE p.item_id = i.id)`},
	{"public item whose last log row is an unpublish", `SELECT i.id FROM items i
		WHERE i.deleted_at IS NULL AND i.live = 1 AND i.status IN ('published', 'withdrawn')
		AND (SELECT p.type FROM publog p WHERE p.item_id = i.id ORDER BY p.seq DESC LIMIT 1) = 'unpublish'`},
	{"draft whose last log row says it is public", `SELECT i.id FROM items i
		WHERE (i.status IN ('draft', 'submitted') OR i.deleted_at IS NOT NULL)
		AND (SELECT p.type FROM publog p WHERE p.item_id = i.id ORDER BY p.seq DESC LIMIT 1) IN ('publish', 'republish', 'update')`},
	{"publication log row without its item", `SELECT p.seq FROM publog p
		WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = p.item_id)`},
	{"item whose current content has no revision", `SELECT i.id FROM items i
		WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.item_id = i.id AND r.n = i.version AND r.content_hash = i.content_hash)`},
	{"item whose version is not its number of revisions", `SELECT i.id FROM items i
		WHERE i.version <> (SELECT COUNT(*) FROM revisions r WHERE r.item_id = i.id)`},
	{"revision without its item", `SELECT r.id FROM revisions r
		WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = r.item_id)`},
	// The index holds what citizens may find: an activity an approver has
	// not chosen to show (items.public = 0) is published but never indexed.
	{"published item missing from the search index", `SELECT i.id FROM items i
		WHERE i.status = 'published' AND i.deleted_at IS NULL AND i.published_at IS NOT NULL AND i.public = 1
		AND NOT EXISTS (SELECT 1 FROM search_meta s WHERE s.item_id = i.id)`},
	{"search entry of an item not published", `SELECT s.item_id FROM search_meta s
		WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = s.item_id AND i.status = 'published' AND i.deleted_at IS NULL AND i.public = 1)`},
}

// checkHalfDone returns the half-made changes found in db.
func checkHalfDone(ctx context.Context, db *sql.DB) []string {
	var out []string
	for _, q := range halfDone {
		rows, err := db.QueryContext(ctx, q.query)
		if err != nil {
			out = append(out, q.name+": "+err.Error())
			continue
		}
		var ids []string
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		rows.Close()
		if len(ids) > 0 {
			out = append(out, fmt.Sprintf("%s: %s", q.name, strings.Join(ids, ", ")))
		}
	}
	return out
}

// logVerify runs `cchc log verify` on data and returns its exit code and
// output.
func logVerify(t *testing.T, data string) (int, string) {
	t.Helper()
	out, err := exec.Command(binary(t), "log", "verify", "--data", data).CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// percentile is the p-th percentile (0–100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// vmRSS is the resident memory of process pid, in bytes.
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb << 10, err
			}
		}
	}
	return 0, errors.New("no VmRSS")
}

// upload sends a file to the media library; it returns the status.
func (e *editor) upload(fileName string, data []byte) (int, error) {
	body, ct := testsupport.UploadBody(e.csrf, "Ảnh thử nghiệm "+fileName, fileName, data)
	res, err := e.c.Post(e.base+"/quan-tri/tep", ct, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}
