package app_test

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// migratedData is a data folder holding a migrated, empty database.
func migratedData(t *testing.T) string {
	t.Helper()
	env := testsupport.Open(t, config.Defaults, nil)
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	return env.Config.Data
}

// demoWithMedia is demoData with two uploaded images, so every step of
// cchc check has something to check.
func demoWithMedia(t *testing.T) (data string, names []string) {
	t.Helper()
	data, _ = demoData(t)
	cfg := config.Defaults
	cfg.Data = data
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	lib := media.New(env.Store, nil)
	for i := range 2 {
		m, err := lib.Add(t.Context(), media.Upload{FileName: "anh.png", Data: testsupport.PNG(i), Alt: "Ảnh thử", By: "test"})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m.Name)
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	return data, names
}

// corruptIndex overwrites 8 bytes of the root page of the index called
// name in the (cleanly closed) database of data, off bytes into the page
// (a negative off counts from the page's end), and returns the page
// number. Bytes 3–10 of a leaf page hold its cell count and first cell
// pointers (a structural fault PRAGMA quick_check finds); bytes 1,000
// before the end of a full page are key bytes (only PRAGMA
// integrity_check compares an index with its table). Both hold for 4 KiB
// and 16 KiB pages.
func corruptIndex(t *testing.T, data, name string, off int64) int64 {
	t.Helper()
	path := filepath.Join(data, database.FileName)
	if info, err := os.Stat(path + "-wal"); err == nil && info.Size() > 0 {
		t.Fatalf("%s-wal is not empty: close the database first", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND name = ?`, name).Scan(&root); err != nil {
		t.Fatalf("index %s: %v", name, err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if off < 0 { // from the page's end, where a leaf's cells (the keys) are
		off += pageSize
	}
	if _, err := f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef}, (root-1)*pageSize+off); err != nil {
		t.Fatal(err)
	}
	return root
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestCheck runs `cchc check` on a sound data folder (exit 0, every step
// named) and on folders damaged in each way it looks for: exit 1, the
// problem named, and what to do about it.
func TestCheck(t *testing.T) {
	clean, names := demoWithMedia(t)
	code, out, errs := runCLI(t, "check", "--data", clean)
	if code != 0 {
		t.Fatalf("clean folder: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"Cấu trúc cơ sở dữ liệu (PRAGMA integrity_check; thông báo của SQLite): tốt",
		"Liên kết giữa các bảng (PRAGMA foreign_key_check): tốt", "Nhật ký đăng tải: toàn vẹn,",
		fmt.Sprintf("Tệp đính kèm (%d tệp trong bảng media): đủ và đúng nội dung", 2+demoEvidence(t)), "Dữ liệu toàn vẹn"} {
		if !strings.Contains(out, want) {
			t.Errorf("clean folder: output lacks %q\n%s", want, out)
		}
	}

	restore := "Cách khôi phục từ bản sao lưu"
	cases := []struct {
		name   string
		damage func(t *testing.T, data string)
		want   []string
	}{
		{"index page structure", func(t *testing.T, data string) { corruptIndex(t, data, "items_kind_slug", 3) },
			[]string{"Cấu trúc cơ sở dữ liệu", "HỎNG", "chỉ mục items_kind_slug của bảng items", restore}},
		{"index key bytes", func(t *testing.T, data string) { corruptIndex(t, data, "items_kind_slug", -1000) },
			[]string{"missing from index items_kind_slug", "chỉ mục items_kind_slug của bảng items", restore}},
		{"file header", func(t *testing.T, data string) {
			f, err := os.OpenFile(filepath.Join(data, database.FileName), os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteAt([]byte("not a database!!"), 0); err != nil {
				t.Fatal(err)
			}
		}, []string{"Không mở được cơ sở dữ liệu", "bị hỏng", restore}},
		{"dangling reference", func(t *testing.T, data string) {
			db := testsupport.FileDB(t, filepath.Join(data, database.FileName), false)
			mustExec(t, db, `PRAGMA foreign_keys = OFF`)
			mustExec(t, db, `INSERT INTO item_areas (item_id, area) VALUES (999999, 'II.1')`)
		}, []string{"Liên kết giữa các bảng", "bảng item_areas", "bảng items", restore}},
		{"publication log row changed", func(t *testing.T, data string) {
			db := testsupport.FileDB(t, filepath.Join(data, database.FileName), false)
			mustExec(t, db, `DROP TRIGGER publog_no_update`)
			mustExec(t, db, `UPDATE publog SET title = 'Tiêu đề bị sửa' WHERE seq = 3`)
		}, []string{"Nhật ký đăng tải: KHÔNG toàn vẹn: bản ghi số 3", restore}},
		{"media file missing", func(t *testing.T, data string) {
			if err := os.Remove(filepath.Join(data, store.MediaDirName, names[0])); err != nil {
				t.Fatal(err)
			}
		}, []string{names[0] + ": không có trong", "Chỉ tệp đính kèm có vấn đề", "media/ cạnh bản sao lưu"}},
		{"media file changed", func(t *testing.T, data string) {
			// The same size, one byte changed: only its hash tells.
			p := filepath.Join(data, store.MediaDirName, names[1])
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0xff
			if err := os.WriteFile(p, b, 0o640); err != nil {
				t.Fatal(err)
			}
		}, []string{names[1] + ": nội dung không khớp với tên", "Chỉ tệp đính kèm có vấn đề"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			copyTree(t, clean, data)
			tc.damage(t, data)
			code, out, errs := runCLI(t, "check", "--data", data)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s%s", code, out, errs)
			}
			for _, want := range tc.want {
				if !strings.Contains(out+errs, want) {
					t.Errorf("output lacks %q\n%s%s", want, out, errs)
				}
			}
			if strings.Contains(out, "Dữ liệu toàn vẹn") {
				t.Errorf("a damaged folder was called sound\n%s", out)
			}
		})
	}
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// copyTree copies the files of the folder from (and its subfolders) to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o750)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestServeDamagedDatabase: an editor logs in; the server stops; a few
// bytes of an index page go bad. The next serve starts, logs the damage at
// error level, serves the public pages it can read (never a 500), refuses
// every workspace request — signing in included — with a 503 page that
// says what happened and names cchc check, and writes nothing into the
// file; cchc check then names the damaged index and the restore steps.
func TestServeDamagedDatabase(t *testing.T) {
	data, _ := demoData(t)
	serve := func() *testsupport.Serving {
		return testsupport.Serve(t, "--data", data, "--content", filepath.Join(data, "khong-co"))
	}
	srv := serve()
	ed := testsupport.NewBrowser(t, srv.URL(""))
	ed.Login("admin", testsupport.OwnAdminPassword(t, data))
	token := ed.CSRF
	_, sitemap := testsupport.NewBrowser(t, srv.URL("")).Get("/sitemap.xml")
	var paths []string
	for _, m := range regexp.MustCompile(`<loc>http://[^/]+(/[^<]*)</loc>`).FindAllStringSubmatch(sitemap, -1) {
		paths = append(paths, m[1])
	}
	if len(paths) < 50 {
		t.Fatalf("only %d public pages in the sitemap", len(paths))
	}
	if code := srv.Stop(); code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, srv.Stderr.String())
	}

	page6 := corruptIndex(t, data, "items_kind_slug", 3)
	dbFile := filepath.Join(data, database.FileName)
	before := fileHash(t, dbFile)

	srv = serve()
	ed.Base = srv.URL("") // the session cookie goes with it: cookies are kept per host, not port
	anon := testsupport.NewBrowser(t, srv.URL(""))
	// The start check runs beside the serving (writes wait for it): its
	// verdict is in the log within a minute on any machine.
	damaged := regexp.MustCompile(`level=ERROR msg="database damaged: .*cchc check".*quick_check`)
	for deadline := time.Now().Add(time.Minute); !damaged.MatchString(srv.Stderr.String()) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if logText := srv.Stderr.String(); !damaged.MatchString(logText) {
		t.Errorf("the log does not say the database is damaged:\n%s", logText)
	}

	// Public pages: what can be read is served; nothing is a 500.
	statuses := map[int]int{}
	for _, p := range paths {
		st, _ := anon.Get(p)
		statuses[st]++
		if st != http.StatusOK && st != http.StatusServiceUnavailable && st != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, st)
		}
	}
	if statuses[http.StatusOK] == 0 {
		t.Errorf("no public page served: %v", statuses)
	}
	for _, p := range []string{"/", "/tin-tuc/", "/van-ban/", "/rss.xml"} {
		if st, _ := anon.Get(p); st != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, st)
		}
	}
	t.Logf("public pages over a damaged index (root page %d of items_kind_slug): %d pages, statuses %v", page6, len(paths), statuses)

	// The workspace: every request is the damage page, not a 500, not a change.
	for _, rq := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/quan-tri/dang-nhap", nil},
		{"POST", "/quan-tri/dang-nhap", url.Values{"name": {"admin"}, "password": {testsupport.AdminPassword}}},
		{"GET", "/quan-tri/", nil},
		{"POST", "/quan-tri/tin-bai/moi", url.Values{"csrf": {token}, "title": {"Tin viết lúc hỏng"}, "body": {"Nội dung."}}},
		{"POST", "/quan-tri/dang-xuat", url.Values{"csrf": {token}}},
		{"GET", "/bao-cao/", nil},
	} {
		st, _, body := ed.Do(rq.method, rq.path, rq.form)
		if st != http.StatusServiceUnavailable || !strings.Contains(body, "Cơ sở dữ liệu của hệ thống bị hỏng") || !strings.Contains(body, "cchc check") {
			t.Errorf("%s %s: %d, want 503 with the damage message\n%.400s", rq.method, rq.path, st, body)
		}
	}
	if code := srv.Stop(); code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, srv.Stderr.String())
	}
	if fileHash(t, dbFile) != before {
		t.Error("serve wrote into the damaged database file")
	}

	code, out, errs := runCLI(t, "check", "--data", data)
	if code != 1 || !strings.Contains(out, "chỉ mục items_kind_slug của bảng items") || !strings.Contains(errs, "Cách khôi phục") ||
		!strings.Contains(errs, "cchc backup") {
		t.Errorf("cchc check: exit %d\n%s%s", code, out, errs)
	}
}

// TestFileModes: the database file, its WAL and shared-memory files are
// the owner's alone (they hold password hashes and sessions); uploaded
// files are 0640, like the 0750 data folder; an older database file left
// readable by everyone loses that at the next open.
func TestFileModes(t *testing.T) {
	cfg := config.Defaults
	cfg.Data = filepath.Join(t.TempDir(), "data")
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := media.New(env.Store, nil).Add(t.Context(), media.Upload{FileName: "anh.png", Data: testsupport.PNG(1), Alt: "Ảnh", By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	dbFile := filepath.Join(cfg.Data, database.FileName)
	for _, tc := range []struct {
		path string
		want os.FileMode
	}{
		{cfg.Data, 0o750 | os.ModeDir},
		{dbFile, 0o600},
		{dbFile + "-wal", 0o600},
		{dbFile + "-shm", 0o600},
		{filepath.Join(cfg.Data, store.MediaDirName, m.Name), 0o640},
	} {
		info, err := os.Stat(tc.path)
		if err != nil {
			t.Errorf("%s: %v", tc.path, err)
			continue
		}
		if got := info.Mode() & (os.ModePerm | os.ModeDir); got != tc.want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(tc.path), got, tc.want)
		}
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dbFile, 0o644); err != nil {
		t.Fatal(err)
	}
	env, err = app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if info, _ := os.Stat(dbFile); info.Mode().Perm() != 0o640 {
		t.Errorf("a 0644 database file is %v after open, want 0640", info.Mode().Perm())
	}
}
