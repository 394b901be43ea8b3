package reliability_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// TestBackup takes `cchc backup` copies while the real server serves
// pages and an editor creates, edits, publishes and uploads without
// pause, then restores the first copy as a data folder and checks that it
// is exactly the source as it was at one instant: every append-only table
// (publication log, revisions, audit log) is a prefix of the source's,
// every item is the source's revision it claims to be, the log chain
// verifies to the head the backup printed, every media file is there with
// the bytes its name promises, and a server started on the restored
// folder serves the items and files. A second backup into the same folder
// copies only the media files the first did not have.
func TestBackup(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	srv := startServer(t, data, testsupport.FreeAddr(t))
	ed := newEditor("http://" + srv.addr)
	if err := ed.login("admin", adminPassword(t, data)); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if st, err := ed.upload(fmt.Sprintf("anh-%d.png", i), testsupport.PNG(i)); err != nil || st != http.StatusSeeOther {
			t.Fatalf("upload: %d %v", st, err)
		}
	}

	// The editor and a reader, busy until the backups are done.
	stop := make(chan struct{})
	var (
		bg       sync.WaitGroup
		writes   atomic.Int64
		reads    atomic.Int64
		problems = make(chan string, 100)
	)
	bg.Go(func() {
		for i := 10; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id, st, err := ed.createArticle(fmt.Sprintf("Tin viết trong lúc sao lưu %d", i), "Nội dung.\n")
			if err != nil || st != http.StatusSeeOther {
				problems <- fmt.Sprintf("create: %d %v", st, err)
				return
			}
			path := "/quan-tri/tin-bai/" + strconv.FormatInt(id, 10)
			steps := []func() (int, error){
				func() (int, error) {
					st, _, err := ed.post(path, articleForm(fmt.Sprintf("Tin đã sửa trong lúc sao lưu %d", i), "Nội dung đã sửa.\n", 1))
					return st, err
				},
				func() (int, error) {
					st, _, err := ed.post(path+"/xuat-ban", urlValues("version", "2"))
					return st, err
				},
			}
			if i%3 == 0 {
				steps = append(steps, func() (int, error) { return ed.upload(fmt.Sprintf("anh-%d.png", i), testsupport.PNG(i)) })
			}
			for _, step := range steps {
				if st, err := step(); err != nil || st != http.StatusSeeOther {
					problems <- fmt.Sprintf("item %d: %d %v", id, st, err)
					return
				}
			}
			writes.Add(int64(len(steps) + 1))
		}
	})
	bg.Go(func() {
		c := &http.Client{Timeout: 10 * time.Second}
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, p := range []string{"/", "/tin-tuc/", "/rss.xml"} {
				res, err := c.Get(srv.url(p))
				if err != nil {
					problems <- fmt.Sprintf("GET %s: %v", p, err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					problems <- fmt.Sprintf("GET %s: %d", p, res.StatusCode)
				}
				reads.Add(1)
			}
		}
	})

	backups := filepath.Join(dir, "sao-luu")
	first := filepath.Join(backups, "cchc-1.db")
	time.Sleep(500 * time.Millisecond)
	w0 := writes.Load()
	t0 := time.Now()
	out1 := runBackup(t, first, data)
	took := time.Since(t0)
	time.Sleep(300 * time.Millisecond)
	out2 := runBackup(t, filepath.Join(backups, "cchc-2.db"), data)
	close(stop)
	bg.Wait()
	close(problems)
	for p := range problems {
		t.Error(p)
	}
	if w := writes.Load(); w-w0 < 2 {
		t.Errorf("only %d writes while the backups ran: the test did not write during the copy", w-w0)
	}
	// A backup never overwrites.
	if code, out := runCmd(t, "backup", first, "--data", data); code != 1 || !strings.Contains(out, "không ghi đè") {
		t.Errorf("backup over an existing file: exit %d\n%s", code, out)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.wait(30 * time.Second); code != 0 {
		t.Fatalf("server exit %d", code)
	}

	head := regexp.MustCompile(`mã băm cuối chuỗi ([0-9a-f]{64})`).FindStringSubmatch(out1)
	if head == nil {
		t.Fatalf("backup output names no log head:\n%s", out1)
	}
	if !strings.Contains(out2, "chép mới") {
		t.Errorf("second backup output:\n%s", out2)
	}
	copied := regexp.MustCompile(`\((\d+) tệp chép mới, (\d+) tệp đã có\)`).FindStringSubmatch(out2)
	if copied == nil || copied[2] == "0" {
		t.Errorf("the second backup into the same folder should find the first one's media files:\n%s", out2)
	}

	// The copy against the source.
	ctx := context.Background()
	src := testsupport.FileDB(t, filepath.Join(data, database.FileName), true)
	defer src.Close()
	cp := testsupport.FileDB(t, first, true)
	defer cp.Close()
	if err := integrity(ctx, cp); err != nil {
		t.Fatal(err)
	}
	if bad := checkHalfDone(ctx, cp); len(bad) > 0 {
		t.Errorf("the copy has half-done changes: %v", bad)
	}
	for _, tb := range []struct{ table, key, cols string }{
		{"publog", "seq", "seq, at, type, item_id, title, url, prev_hash, hash"},
		{"revisions", "id", "id, item_id, n, title, content_hash, note"},
		{"audit_log", "id", "id, at, actor, action, target, detail"},
	} {
		var last int64
		if err := cp.QueryRow(`SELECT COALESCE(MAX(` + tb.key + `), 0) FROM ` + tb.table).Scan(&last); err != nil {
			t.Fatal(err)
		}
		q := `SELECT ` + tb.cols + ` FROM ` + tb.table + ` WHERE ` + tb.key + ` <= ? ORDER BY ` + tb.key
		a, b := dump(t, cp, q, last), dump(t, src, q, last)
		if a != b {
			t.Errorf("%s: the copy is not the source's rows up to %s %d", tb.table, tb.key, last)
		}
		if last == 0 {
			t.Errorf("%s: empty in the copy", tb.table)
		}
	}
	// Each item in the copy is the source's revision of the same number.
	rows, err := cp.Query(`SELECT id, version, title, content_hash FROM items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	items := 0
	for rows.Next() {
		var id int64
		var version int
		var title, hash string
		if err := rows.Scan(&id, &version, &title, &hash); err != nil {
			t.Fatal(err)
		}
		var sTitle, sHash string
		if err := src.QueryRow(`SELECT title, content_hash FROM revisions WHERE item_id = ? AND n = ?`, id, version).Scan(&sTitle, &sHash); err != nil {
			t.Errorf("item %d version %d of the copy: not in the source: %v", id, version, err)
			continue
		}
		if sTitle != title || sHash != hash {
			t.Errorf("item %d version %d: copy %q %s, source %q %s", id, version, title, hash, sTitle, sHash)
		}
		items++
	}
	rows.Close()
	var srcItems int
	if err := src.QueryRow(`SELECT COUNT(*) FROM items`).Scan(&srcItems); err != nil || srcItems <= items {
		t.Errorf("source has %d items, the copy %d: the writes after the copy are missing from the test", srcItems, items)
	}
	// Media: every row of the copy is the source's, with its file beside
	// the copy, bytes matching the name.
	mediaDir := filepath.Join(backups, "media")
	var names []string
	mrows, err := cp.Query(`SELECT name, size FROM media ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for mrows.Next() {
		var name string
		var size int64
		mrows.Scan(&name, &size)
		var sSize int64
		if err := src.QueryRow(`SELECT size FROM media WHERE name = ?`, name).Scan(&sSize); err != nil || sSize != size {
			t.Errorf("media %s: copy size %d, source %d %v", name, size, sSize, err)
		}
		b, err := os.ReadFile(filepath.Join(mediaDir, name))
		sum := sha256.Sum256(b)
		if err != nil || int64(len(b)) != size || !strings.HasPrefix(name, hex.EncodeToString(sum[:])) {
			t.Errorf("media %s beside the copy: %d bytes, %v", name, len(b), err)
		}
		names = append(names, name)
	}
	mrows.Close()
	if len(names) < 3 {
		t.Errorf("the copy names %d media files, want at least the 3 uploaded first", len(names))
	}
	info, _ := os.Stat(first)

	// Restore: the copy as cchc.db of a new data folder, media/ beside it.
	restored := filepath.Join(dir, "khoi-phuc")
	if err := os.MkdirAll(filepath.Join(restored, "media"), 0o750); err != nil {
		t.Fatal(err)
	}
	copyFile(t, first, filepath.Join(restored, "cchc.db"))
	for _, n := range names {
		copyFile(t, filepath.Join(mediaDir, n), filepath.Join(restored, "media", n))
	}
	code, out := logVerify(t, restored)
	if code != 0 || !strings.Contains(out, head[1]) {
		t.Errorf("cchc log verify on the restored folder: exit %d, want head %s\n%s", code, head[1], out)
	}
	rs := startServer(t, restored, testsupport.FreeAddr(t))
	var pub string
	if err := cp.QueryRow(`SELECT url FROM publog ORDER BY seq DESC LIMIT 1`).Scan(&pub); err != nil {
		t.Fatal(err)
	}
	for _, p := range append([]string{"/", pub}, "/tep/"+names[len(names)-1]) {
		res, err := http.Get(rs.url(p))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("restored server: GET %s: %d", p, res.StatusCode)
		}
		if strings.HasPrefix(p, "/tep/") {
			want, _ := os.ReadFile(filepath.Join(mediaDir, names[len(names)-1]))
			if !bytes.Equal(b, want) {
				t.Errorf("restored server: %s serves other bytes", p)
			}
		}
	}
	t.Logf("backup of a %d-item database (%d KiB, %d media files) in %v while writing (%d writes, %d page reads during the run); copy has %d items, log head %s…; second backup: %s",
		items, info.Size()>>10, len(names), took.Round(time.Millisecond), writes.Load(), reads.Load(), items, head[1][:12], strings.TrimSpace(strings.Split(out2, "\n")[1]))
}

// runBackup runs `cchc backup FILE --data DATA` and returns its output.
func runBackup(t *testing.T, file, data string) string {
	t.Helper()
	code, out := runCmd(t, "backup", file, "--data", data)
	if code != 0 {
		t.Fatalf("cchc backup: exit %d\n%s", code, out)
	}
	return out
}

// runCmd runs the binary and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(binary(t), args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// dump is the rows of q as text.
func dump(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var b strings.Builder
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestBackupRefuses checks what `cchc backup` refuses, each with its exit
// status and a message saying why; nothing is written.
func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o750); err != nil {
		t.Fatal(err)
	}
	// A data folder with a database (a new one, migrated).
	testsupport.Migrated(t, filepath.Join(data, database.FileName))
	existing := filepath.Join(dir, "da-co.db")
	if err := os.WriteFile(existing, []byte("không được ghi đè"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", []string{"backup", "--data", data}, 2, "Cách dùng"},
		{"two files", []string{"backup", filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), "--data", data}, 2, "chỉ nhận một tệp"},
		{"flags first, then two files", []string{"backup", "--data", data, filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")}, 2, "chỉ nhận một tệp"},
		{"no database", []string{"backup", filepath.Join(dir, "c.db"), "--data", filepath.Join(dir, "trong")}, 1, "không có cơ sở dữ liệu"},
		{"existing file", []string{"backup", existing, "--data", data}, 1, "không ghi đè"},
		{"inside the data folder", []string{"backup", filepath.Join(data, "sao-luu.db"), "--data", data}, 1, "ngoài thư mục dữ liệu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.msg) {
				t.Errorf("exit %d, want %d with %q\n%s", code, tc.code, tc.msg, out)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "không được ghi đè" {
		t.Error("the existing file was changed")
	}
	for _, name := range []string{"a.db", "c.db", "data/sao-luu.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was written", name)
		}
	}
}
