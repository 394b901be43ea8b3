package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// holdImportLock takes data's import lock as a running `cchc import`
// holds it (an flock on the same file, from another open of it) and
// returns what drops it.
func holdImportLock(t *testing.T, data string) (drop func()) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(data, ".cchc-nhap.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return func() { f.Close() }
}

// TestServeWaitsForFirstImport: `cchc serve` started on a data folder
// where a first `cchc import` is building the database aside waits for
// it, and then serves the database it installed. Before, serve created
// an empty database in its place: the import's install found the name
// taken and threw its build away, and serve imported its own content
// folder (the embedded demo, when it had none) instead of the editor's.
func TestServeWaitsForFirstImport(t *testing.T) {
	ctx := t.Context()
	data := dataFolder(t, false)
	path := filepath.Join(data, database.FileName)
	drop := holdImportLock(t, data)
	built, err := database.OpenAside(ctx, path)
	if err != nil {
		t.Fatal(err)
	}

	srv := testsupport.Start(t, "--data", data, "--content", contentDir(t))
	// Until serve says it waits, and a moment after: a serve that did not
	// wait would have made the file by then.
	deadline := time.Now().Add(time.Minute)
	for waited := time.Duration(0); waited < 300*time.Millisecond; {
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("serve made %s while the import was building it (%v):\n%s", path, err, srv.Stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve neither waited nor made the file in a minute:\n%s", srv.Stderr.String())
		}
		if strings.Contains(srv.Stderr.String(), "waiting for it to finish") {
			waited += 20 * time.Millisecond
		}
		time.Sleep(20 * time.Millisecond)
	}

	if err := built.Install(ctx); err != nil {
		t.Fatalf("the import's install: %v", err)
	}
	drop()
	srv.WaitLog(t, "msg=serving")
	log := srv.Stderr.String()
	if !strings.Contains(log, "the data folder has its database: serving it") {
		t.Errorf("no word of the import's database:\n%s", log)
	}
	if code := srv.Stop(); code != 0 {
		t.Errorf("serve: exit %d:\n%s", code, srv.Stderr.String())
	}
}

// TestServeBesideImportInPlace: an import into a database that exists
// writes in place, beside serve, which does not wait for it.
func TestServeBesideImportInPlace(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, stderr := run(t, nil, "import", "--data", data, contentDir(t)); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	holdImportLock(t, data)
	srv := testsupport.Serve(t, "--data", data, "--content", contentDir(t))
	if strings.Contains(srv.Stderr.String(), "waiting") {
		t.Errorf("serve waited for an import into its database:\n%s", srv.Stderr.String())
	}
}

// TestServeStoppedWhileWaiting: stopped while it waits for an import,
// serve returns at once, exit 0, having made nothing.
func TestServeStoppedWhileWaiting(t *testing.T) {
	data := dataFolder(t, false)
	holdImportLock(t, data)
	srv := testsupport.Start(t, "--data", data)
	srv.WaitLog(t, "waiting for it to finish")
	if code := srv.Stop(); code != 0 {
		t.Errorf("serve: exit %d:\n%s", code, srv.Stderr.String())
	}
	if _, err := os.Stat(filepath.Join(data, database.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve made the database: %v", err)
	}
}

// waitFor waits until log holds s.
func waitFor(t *testing.T, log *testsupport.SyncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(log.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in a minute:\n%s", s, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeFirstImportAfterAnother: serve finding its database empty
// imports its own content only if it is still empty once it holds the
// import lock. A `cchc import` into that database may hold the lock and
// fill it in between: serve then waits for it and imports nothing, where
// before it went on with the count it made first and put its content (the
// embedded demo, here) on top of the editor's.
func TestServeFirstImportAfterAnother(t *testing.T) {
	ctx := t.Context()
	data := dataFolder(t, true)
	drop := holdImportLock(t, data)

	srv := testsupport.Start(t, "--data", data, "--content", filepath.Join(data, "khong-co"))
	srv.WaitLog(t, "waiting for it before importing")

	// The editor's import, under the lock the test holds.
	cfg := config.Config{Data: data}
	env, err := app.Open(ctx, &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := app.OpenContent(contentDir(t))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	res, err := env.Publish.Import(ctx, src.FS, src.Name)
	if err != nil || res.Added == 0 {
		t.Fatalf("the editor's import: %+v %v", res, err)
	}
	env.Close()
	drop()

	srv.WaitLog(t, "msg=serving")
	if log := srv.Stderr.String(); strings.Contains(log, "importing the embedded demo content") || strings.Contains(log, "msg=imported") {
		t.Errorf("serve imported into a database the editor had filled:\n%s", log)
	}
	if code := srv.Stop(); code != 0 {
		t.Errorf("serve: exit %d:\n%s", code, srv.Stderr.String())
	}
	env, err = app.Open(ctx, &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if n, err := env.Store.CountItems(ctx); err != nil || n != res.Added {
		t.Errorf("%d items (%v), want the editor's %d", n, err, res.Added)
	}
}

// TestImportSaysItWaits: `cchc import` into a folder whose import lock
// another process holds says so, in Vietnamese, waits, and imports once
// the lock is free.
func TestImportSaysItWaits(t *testing.T) {
	data := dataFolder(t, false)
	drop := holdImportLock(t, data)
	var stdout, stderr testsupport.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- app.Run(t.Context(), []string{"import", "--data", data, contentDir(t)},
			func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	waitFor(t, &stderr, "cchc import: một tiến trình khác đang nhập nội dung vào thư mục dữ liệu "+data)
	select {
	case code := <-done:
		t.Fatalf("the import did not wait: exit %d\n%s", code, stderr.String())
	case <-time.After(200 * time.Millisecond):
	}
	drop()
	if code := <-done; code != 0 || !strings.Contains(stdout.String(), "thêm mới: 3,") {
		t.Errorf("exit %d: %s\n%s", code, stdout.String(), stderr.String())
	}
}

// TestServeAfterFailedFirstImport: when the first import serve waited for
// stops without installing its database, serve says so (not that it
// serves the import's database), and starts on a new one as on any empty
// folder.
func TestServeAfterFailedFirstImport(t *testing.T) {
	ctx := t.Context()
	data := dataFolder(t, false)
	drop := holdImportLock(t, data)
	built, err := database.OpenAside(ctx, filepath.Join(data, database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	srv := testsupport.Start(t, "--data", data, "--content", contentDir(t))
	srv.WaitLog(t, "waiting for it to finish")
	built.Discard() // the import failed
	drop()
	srv.WaitLog(t, "msg=serving")
	log := srv.Stderr.String()
	if !strings.Contains(log, "still has no database (the import stopped without one)") || strings.Contains(log, "the data folder has its database: serving it") {
		t.Errorf("what serve said of the import:\n%s", log)
	}
	if code := srv.Stop(); code != 0 {
		t.Errorf("serve: exit %d:\n%s", code, srv.Stderr.String())
	}
}

// TestServeStoppedWhileItsImportWaits: stopped while its own first import
// waits for another import's lock, serve exits 0, as at any shutdown.
func TestServeStoppedWhileItsImportWaits(t *testing.T) {
	data := dataFolder(t, true)
	holdImportLock(t, data)
	srv := testsupport.Start(t, "--data", data, "--content", contentDir(t))
	srv.WaitLog(t, "waiting for it before importing")
	if code := srv.Stop(); code != 0 {
		t.Errorf("serve: exit %d:\n%s", code, srv.Stderr.String())
	}
}

// TestImportLockError: a lock that cannot be tried stops `cchc import`
// with the reason, without saying it waits for another process.
func TestImportLockError(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(data, ".cchc-nhap.lock"), 0o750); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, nil, "import", "--data", data, contentDir(t))
	if code != 1 || strings.Contains(stderr, "một tiến trình khác") || !strings.Contains(stderr, ".cchc-nhap.lock") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// dataFolder is a new data folder, with an empty database in it when
// withDB.
func dataFolder(t *testing.T, withDB bool) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	if withDB {
		testsupport.Migrated(t, filepath.Join(data, database.FileName))
	}
	return data
}

// TestServeDataIsAFile: --data naming a file stops serve at once (exit 1,
// the flag named, the file untouched), before anything waits for a lock.
func TestServeDataIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(file, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, nil, "serve", "--addr", "127.0.0.1:0", "--data", file)
	if code != 1 || !strings.Contains(stderr, "cchc serve: --data") || strings.Contains(stderr, "panic") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "not a folder" {
		t.Errorf("the file after: %q %v", b, err)
	}
}
