//go:build unix

package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/database"
	"cchc/internal/testsupport"
)

const (
	// secretArticle and secretPDF live beside the content folder, not in
	// it: nothing of them may be published.
	secretArticle = "---\ntitle: Bí mật ngoài thư mục\n---\nNội dung bí mật.\n"
	secretPDF     = "%PDF-1.4\n% bí mật ngoài thư mục\n%%EOF\n"
	documentFile  = "---\nnumber: 1256/QĐ-UBND\ntype: Quyết định\nissuer: UBND tỉnh Quảng Ngãi\nissued: 2022-01-20\ntitle: Văn bản có tệp đính kèm\nfile: FILE\n---\nNội dung.\n"
)

// hostileImport runs `cchc import` in its own goroutine and fails the test
// when it has not finished in 60 s: the old import hung on a FIFO for
// ever (and read /dev/zero until memory ran out, which crashes the test).
// The bound is generous so a slow machine never trips it; these imports
// take about 0.1 s.
func hostileImport(t *testing.T, data, dir string) (int, string, string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		var stdout, stderr bytes.Buffer
		code := app.Run(context.Background(), []string{"import", "--data", data, dir}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	select {
	case r := <-done:
		t.Logf("import finished in %v", time.Since(start).Round(time.Millisecond))
		return r.code, r.stdout, r.stderr
	case <-time.After(60 * time.Second):
		t.Fatal("cchc import did not finish in 60 s")
	}
	return 0, "", ""
}

// TestImportHostileFolder: a content folder written by someone else holds
// links to /dev/zero and to files outside it, FIFOs and link loops. Each
// is refused as path: message in Vietnamese, the import finishes promptly,
// the rest of the folder goes in, and nothing of the refused files is
// stored or copied into the media library. A link that stays inside the
// folder is followed.
func TestImportHostileFolder(t *testing.T) {
	tests := []struct {
		name    string
		plant   func(t *testing.T, content, outside string)
		want    string // on stderr: path: message, path relative to the content folder
		added   int    // items added besides the good article
		refused int
	}{
		{"link to /dev/zero", func(t *testing.T, c, o string) {
			symlink(t, "/dev/zero", filepath.Join(c, "articles", "zero.md"))
		}, `articles/zero.md: tệp là liên kết trỏ ra ngoài thư mục nội dung (tới "/dev/zero")`, 0, 1},
		{"link to a file outside", func(t *testing.T, c, o string) {
			symlink(t, filepath.Join(o, "secret.md"), filepath.Join(c, "articles", "leak.md"))
		}, "articles/leak.md: tệp là liên kết trỏ ra ngoài thư mục nội dung", 0, 1},
		{"relative link climbing out", func(t *testing.T, c, o string) {
			symlink(t, "../../outside/secret.md", filepath.Join(c, "articles", "rel.md"))
		}, `articles/rel.md: tệp là liên kết trỏ ra ngoài thư mục nội dung (tới "../../outside/secret.md")`, 0, 1},
		{"attachment linked outside", func(t *testing.T, c, o string) {
			writeFile(t, filepath.Join(c, "documents", "1256.md"), strings.Replace(documentFile, "FILE", "tep/secret.pdf", 1))
			symlink(t, filepath.Join(o, "secret.pdf"), filepath.Join(c, "tep", "secret.pdf"))
		}, `documents/1256.md:7: tệp đính kèm "tep/secret.pdf" là liên kết trỏ ra ngoài thư mục nội dung`, 0, 1},
		{"attachment in a folder linked outside", func(t *testing.T, c, o string) {
			writeFile(t, filepath.Join(c, "documents", "1256.md"), strings.Replace(documentFile, "FILE", "ngoai/secret.pdf", 1))
			symlink(t, o, filepath.Join(c, "ngoai"))
		}, `documents/1256.md:7: tệp đính kèm "ngoai/secret.pdf" là liên kết trỏ ra ngoài thư mục nội dung`, 0, 1},
		{"kind folder linked outside", func(t *testing.T, c, o string) {
			symlink(t, o, filepath.Join(c, "procedures"))
		}, "procedures: thư mục là liên kết trỏ ra ngoài thư mục nội dung", 0, 1},
		{"FIFO as a content file", func(t *testing.T, c, o string) {
			mkfifo(t, filepath.Join(c, "articles", "ong.md"))
		}, "articles/ong.md: tệp là ống dẫn (FIFO), không phải tệp thường", 0, 1},
		{"FIFO as a plan", func(t *testing.T, c, o string) {
			mkfifo(t, filepath.Join(c, "plans", "2022.yaml"))
		}, "plans/2022.yaml: tệp là ống dẫn (FIFO)", 0, 1},
		{"FIFO as an attachment", func(t *testing.T, c, o string) {
			writeFile(t, filepath.Join(c, "documents", "1256.md"), strings.Replace(documentFile, "FILE", "tep/ong.pdf", 1))
			mkfifo(t, filepath.Join(c, "tep", "ong.pdf"))
		}, `documents/1256.md:7: tệp đính kèm "tep/ong.pdf" là ống dẫn (FIFO)`, 0, 1},
		{"link loop", func(t *testing.T, c, o string) {
			symlink(t, "b.md", filepath.Join(c, "articles", "a.md"))
			symlink(t, "a.md", filepath.Join(c, "articles", "b.md"))
		}, "articles/a.md: tệp là liên kết vòng", 0, 2},
		{"link inside the folder is followed", func(t *testing.T, c, o string) {
			writeFile(t, filepath.Join(c, "chung", "bai.md"), "---\ntitle: Bài dùng chung\n---\nNội dung.\n")
			symlink(t, "../chung/bai.md", filepath.Join(c, "articles", "dung-chung.md"))
		}, "", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			content, outside, data := filepath.Join(base, "content"), filepath.Join(base, "outside"), filepath.Join(base, "data")
			writeFile(t, filepath.Join(outside, "secret.md"), secretArticle)
			writeFile(t, filepath.Join(outside, "secret.pdf"), secretPDF)
			writeFile(t, filepath.Join(content, "articles", "trien-khai-ke-hoach.md"), article)
			for _, d := range []string{"plans", "tep"} {
				if err := os.MkdirAll(filepath.Join(content, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			tt.plant(t, content, outside)

			code, stdout, stderr := hostileImport(t, data, content)
			wantCode := 0
			if tt.refused > 0 {
				wantCode = 1
			}
			if code != wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, wantCode, stderr)
			}
			if tt.want != "" && !strings.Contains(stderr, filepath.ToSlash(content)+"/"+tt.want) {
				t.Errorf("stderr:\n%s\nwant a line starting %q", stderr, filepath.ToSlash(content)+"/"+tt.want)
			}
			if want := "thêm mới: " + string(rune('1'+tt.added)); !strings.Contains(stdout, want) {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
			if want := "lỗi: " + string(rune('0'+tt.refused)); !strings.Contains(stdout, want) {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
			db := testsupport.FileDB(t, filepath.Join(data, database.FileName), true)
			var secrets int
			if err := db.QueryRow(`SELECT count(*) FROM items JOIN item_bodies ON item_id = id WHERE title LIKE '%Bí mật%' OR body_md LIKE '%bí mật%' OR kind = 'document'`).Scan(&secrets); err != nil {
				t.Fatal(err)
			}
			if secrets != 0 {
				t.Errorf("%d items hold what lies outside the content folder", secrets)
			}
			var media int
			if err := db.QueryRow(`SELECT count(*) FROM media`).Scan(&media); err != nil {
				t.Fatal(err)
			}
			files, _ := os.ReadDir(filepath.Join(data, "media"))
			if media != 0 || len(files) != 0 {
				t.Errorf("media library holds %d rows and %d files; want none", media, len(files))
			}
		})
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
}

// openDB opens the data folder's database read-only, as a reader would.

// TestImportEscapesNames: a file name carrying a terminal escape sequence
// is printed escaped in path:line messages, and a title carrying one is
// refused at its line; no control character reaches the terminal.
func TestImportEscapesNames(t *testing.T) {
	content, data := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(content, "articles", "x\x1b[2J\x1b]0;pwned\x07.md"), "---\ntitle: Tin\nsai: 1\n---\nX\n")
	writeFile(t, filepath.Join(content, "articles", "tieu-de.md"), "---\ntitle: \"Tin \\e[31mđỏ\"\n---\nX\n")
	writeFile(t, filepath.Join(content, "articles", "c1.md"), "---\ntitle: Tin\nsummary: \"CSI \u009b2J\"\n---\nX\n")
	code, stdout, stderr := hostileImport(t, data, content)
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		filepath.ToSlash(content) + `/articles/x\x1b[2J\x1b]0;pwned\x07.md:3: trường "sai" không dùng cho tin, bài`,
		filepath.ToSlash(content) + `/articles/tieu-de.md:2: trường "title" chứa ký tự điều khiển U+001B (ESC)`,
		filepath.ToSlash(content) + `/articles/c1.md:3: tệp chứa ký tự điều khiển U+009B (CSI)`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr:\n%s\nwant %q", stderr, want)
		}
	}
	if strings.ContainsAny(stdout+stderr, "\x1b\x07\u009b") {
		t.Errorf("a control character reached the terminal: %q", stderr)
	}
}

// TestCommandLineControlCharacters: what is typed on the command line
// follows the same rule — a display name with a control character is
// refused like the workspace's form refuses it — and nothing echoed back
// (an unknown flag, a folder name) carries one to the terminal.
func TestCommandLineControlCharacters(t *testing.T) {
	data := t.TempDir()
	// A migrated database, so that user list (read-only) has one to read.
	testsupport.Migrated(t, filepath.Join(data, database.FileName))
	for _, name := range []string{"Nguyễn\x1b[2J Văn An", "Nguyễn Văn An\x07", "Trần\u009bB"} {
		code, stdout, stderr := runIn(t, "một mật khẩu đủ dài\n", "user", "add", "bientap", "--role", "editor", "--password-stdin", "--data", data, "--display-name", name)
		if code != 2 || !strings.Contains(stderr, "--display-name: Tên hiển thị có ký tự điều khiển không hợp lệ.") {
			t.Errorf("display name %q: exit %d, stdout %q, stderr %q; want 2 and a refusal", name, code, stdout, stderr)
		}
	}
	if code, stdout, _ := runIn(t, "", "user", "list", "--data", data); code != 0 || strings.Contains(stdout, "bientap") {
		t.Errorf("an account was created: %q", stdout)
	}

	// A name stored before the rule (or by hand) is listed escaped.
	if code, _, stderr := runIn(t, "một mật khẩu đủ dài\n", "user", "add", "bientap", "--role", "editor", "--password-stdin", "--data", data); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	db := testsupport.FileDB(t, filepath.Join(data, database.FileName), false)
	if _, err := db.Exec(`UPDATE users SET display_name = ? WHERE name = 'bientap'`, "An\x1b]0;pwned\x07\tB"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, stdout, _ := runIn(t, "", "user", "list", "--data", data)
	if code != 0 || !strings.Contains(stdout, `An\x1b]0;pwned\x07\x09B`) || strings.ContainsAny(stdout, "\x1b\x07") {
		t.Errorf("user list: exit %d, %q", code, stdout)
	}

	for _, args := range [][]string{
		{"import", "--data", data, "--x\x1b[2J"},
		{"import", "--data", data, filepath.Join(t.TempDir(), "khong-co\x1b[2J")},
		{"report", "--data", data, "--format", "x\x1b[2J"},
	} {
		code, stdout, stderr := runIn(t, "", args...)
		if code != 2 || !strings.Contains(stderr, `\x1b[2J`) || strings.ContainsAny(stdout+stderr, "\x1b") {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, _, stderr := runIn(t, "", "import", "--data", data+"\x1b[2J", t.TempDir()); code != 2 || !strings.Contains(stderr, "--data (CCHC_DATA)") || !strings.Contains(stderr, "ký tự điều khiển") {
		t.Errorf("--data with ESC: exit %d, stderr %q", code, stderr)
	}
}
