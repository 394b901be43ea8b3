package app_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cchc/internal/database"
	"cchc/internal/publog"
	"cchc/internal/testsupport"
)

// lastRe finds {last}, {last+N} and {last-N} in an expected message.
var lastRe = regexp.MustCompile(`\{last([+-]\d+)?\}`)

// withLast fills {last±N} in want with the number of the last row ± N.
func withLast(want string, rows []*publog.Entry) string {
	n := rows[len(rows)-1].Seq
	return lastRe.ReplaceAllStringFunc(want, func(m string) string {
		d, _ := strconv.ParseInt(strings.Trim(m[len("{last"):], "}"), 10, 64)
		return strconv.FormatInt(n+d, 10)
	})
}

// keygen makes a signing key outside the data folder and returns its path.
func keygen(t *testing.T, data string) string {
	t.Helper()
	key := filepath.Join(t.TempDir(), "khoa-moc.pem")
	if code, out, errs := runCLI(t, "log", "keygen", "--key", key, "--data", data); code != 0 {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errs)
	}
	return key
}

// anchorFile anchors the chain of data with key into a new file.
func anchorFile(t *testing.T, data, key string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "moc.json")
	if code, out, errs := runCLI(t, "log", "anchor", "--key", key, "--data", data, "-o", file); code != 0 {
		t.Fatalf("anchor: exit %d\n%s%s", code, out, errs)
	}
	return file
}

// dropAnchors deletes the copies of the anchors kept in the database, as
// an attacker who knows about them would.
func dropAnchors(t *testing.T, db *sql.DB) {
	t.Helper()
	exec(t, db, `DROP TRIGGER log_anchors_no_delete`)
	exec(t, db, `DELETE FROM log_anchors`)
}

// cutOff deletes the last n rows and resets the chain's number
// (log_chains, after dropping the trigger that keeps it from going back),
// so the rest is a valid chain that ends earlier.
func cutOff(t *testing.T, db *sql.DB, rows []*publog.Entry, n int) {
	t.Helper()
	keep := rows[len(rows)-1-n].Seq
	exec(t, db, `DELETE FROM publog WHERE seq > ?`, keep)
	exec(t, db, `DROP TRIGGER log_chains_no_update`)
	exec(t, db, `UPDATE log_chains SET issued = ? WHERE agency_id = 1`, keep)
}

// rewriteFrom changes row seq and recomputes every hash from there on, so
// the chain is valid again.
func rewriteFrom(t *testing.T, db *sql.DB, rows []*publog.Entry, seq int64) {
	t.Helper()
	prev := rows[seq-2].Hash
	for _, r := range rows[seq-1:] {
		e := *r
		if e.Seq == seq {
			e.Title = "Tiêu đề đã bị viết lại"
		}
		e.PrevHash = prev
		e.Hash = e.ComputeHash()
		exec(t, db, `UPDATE publog SET title = ?, prev_hash = ?, hash = ? WHERE seq = ?`, e.Title, e.PrevHash, e.Hash, e.Seq)
		prev = e.Hash
	}
}

// editAnchor rewrites a field of an anchor file, leaving its signature.
func editAnchor(t *testing.T, file string, edit func(a *publog.Anchor)) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var a publog.Anchor
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	edit(&a)
	if err := os.WriteFile(file, a.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLogAnchor: what the chain alone cannot see (rows cut off the end with
// the sequence reset, the chain rewritten from a row with its hashes
// recomputed), an anchor kept outside the data folder shows.
func TestLogAnchor(t *testing.T) {
	type result struct {
		code int
		want string // in stdout on success, stderr on failure
	}
	cases := []struct {
		name string
		// tamper changes the data folder and may change the anchor file.
		tamper          func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string)
		alone, anchored result  // `log verify` and `log verify --anchor --pubkey`
		unpinned        *result // `log verify --anchor` without --pubkey, when it differs
	}{
		{"untouched", nil,
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{0, "Mốc kiểm chứng lập lúc"}, nil},
		{"last rows cut off, sequence reset, anchor copies deleted", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			cutOff(t, db, rows, 3)
			dropAnchors(t, db)
		},
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{1, "bản ghi số {last-2}: chuỗi đã bị cắt bớt ở cuối: mốc kiểm chứng lập lúc"}, nil},
		{"last rows cut off, naming them", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			cutOff(t, db, rows, 3)
			dropAnchors(t, db)
		},
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{1, "ghi chuỗi tới bản ghi số {last}, nay chuỗi chỉ còn tới bản ghi số {last-3} (các bản ghi {last-2}–{last} không còn)"}, nil},
		{"last row cut off, anchor copies left in the database", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			cutOff(t, db, rows, 1)
		},
			result{1, "bản ghi số {last}: chuỗi đã bị cắt bớt ở cuối"},
			result{1, "(bản ghi số {last} không còn)"}, nil},
		{"rewritten from a row, hashes recomputed, anchor copies deleted", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			rewriteFrom(t, db, rows, 20)
			dropAnchors(t, db)
		},
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{1, "bản ghi số {last}: mang mã băm khác với mốc kiểm chứng"}, nil},
		{"rewritten from a row, anchor copies left in the database", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			rewriteFrom(t, db, rows, 20)
		},
			result{1, "bản ghi số {last}: mang mã băm khác với mốc kiểm chứng lập lúc"},
			result{1, "viết lại từ bản ghi này hoặc một bản ghi trước nó"}, nil},
		{"anchor file moved down to a rewritten chain's row", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			cutOff(t, db, rows, 2)
			dropAnchors(t, db)
			editAnchor(t, anchor, func(a *publog.Anchor) {
				a.Seq, a.Rows, a.Hash = rows[len(rows)-3].Seq, a.Rows-2, rows[len(rows)-3].Hash
			})
		},
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{1, "chữ ký của mốc kiểm chứng không hợp lệ"}, nil},
		{"anchor file's date changed", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			editAnchor(t, anchor, func(a *publog.Anchor) { a.Created = a.Created.AddDate(0, 0, -1) })
		},
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{1, "chữ ký của mốc kiểm chứng không hợp lệ"}, nil},
		{"anchor re-signed with the attacker's key", func(t *testing.T, db *sql.DB, rows []*publog.Entry, data, anchor string) {
			rewriteFrom(t, db, rows, 20)
			dropAnchors(t, db)
			db.Close()
			forged := anchorFile(t, data, keygen(t, data))
			b, err := os.ReadFile(forged)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(anchor, b, 0o644); err != nil {
				t.Fatal(err)
			}
		},
			result{0, "Nhật ký đăng tải toàn vẹn"},
			result{1, "được ký bằng một khóa khác với khóa công khai đã cho (--pubkey)"},
			// Without --pubkey the forged file verifies: the warning says so.
			&result{0, "Lưu ý: chữ ký chỉ được kiểm bằng khóa công khai ghi trong chính tệp mốc"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, rows := demoData(t)
			key := keygen(t, data)
			anchor := anchorFile(t, data, key)
			if c.tamper != nil {
				db := attacker(t, data)
				c.tamper(t, db, rows, data, anchor)
				db.Close()
			}
			check := func(what string, r result, args ...string) {
				t.Helper()
				code, out, errs := runCLI(t, append([]string{"log", "verify", "--data", data}, args...)...)
				where := out
				if r.code != 0 {
					where = errs
				}
				if want := withLast(r.want, rows); code != r.code || !strings.Contains(where, want) {
					t.Errorf("%s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", what, code, r.code, want, out, errs)
				}
			}
			check("verify", c.alone)
			check("verify --anchor --pubkey", c.anchored, "--anchor", anchor, "--pubkey", key+".pub")
			unpinned := c.anchored
			if c.unpinned != nil {
				unpinned = *c.unpinned
			}
			check("verify --anchor", unpinned, "--anchor", anchor)
		})
	}
}

func TestLogAnchorFile(t *testing.T) {
	data, rows := demoData(t)
	key := keygen(t, data)
	for f, mode := range map[string]os.FileMode{key: 0o600, key + ".pub": 0o644} {
		info, err := os.Stat(f)
		if err != nil || info.Mode().Perm() != mode {
			t.Errorf("%s: %v, mode %v, want %v", f, err, info.Mode().Perm(), mode)
		}
	}
	code, out, errs := runCLI(t, "log", "anchor", "--key", key, "--data", data)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	a, err := publog.ParseAnchor([]byte(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	last := rows[len(rows)-1]
	if a.Seq != last.Seq || a.Hash != last.Hash || a.Rows != len(rows) || a.Created.Location().String() != "UTC" {
		t.Errorf("anchor %+v, last row %d %s", a, last.Seq, last.Hash)
	}
	if err := a.VerifySignature(nil); err != nil {
		t.Error(err)
	}
	if !strings.Contains(out, `"created": "`+a.Created.Format("2006-01-02T15:04:05Z")+`"`) {
		t.Errorf("created not in RFC 3339 UTC:\n%s", out)
	}
	if !strings.Contains(errs, "bản ghi số "+strconv.FormatInt(last.Seq, 10)) {
		t.Errorf("stderr: %s", errs)
	}
}

func TestLogAnchorRefusals(t *testing.T) {
	data, _ := demoData(t)
	key := keygen(t, data)
	outside := t.TempDir()
	inData := filepath.Join(data, "khoa.pem")
	link := filepath.Join(outside, "lien-ket")
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	exists := filepath.Join(outside, "moc-cu.json")
	if err := os.WriteFile(exists, []byte("mốc cũ"), 0o644); err != nil {
		t.Fatal(err)
	}
	copyFile := func(from, to string, mode os.FileMode) string {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(to, mode); err != nil {
			t.Fatal(err)
		}
		return to
	}
	copyKey := func(to string, mode os.FileMode) string { return copyFile(key, to, mode) }
	readable := copyKey(filepath.Join(outside, "khoa-ai-cung-doc.pem"), 0o644)
	public := copyFile(key+".pub", filepath.Join(outside, "khoa-cong-khai.pem"), 0o600)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"keygen inside the data folder", []string{"log", "keygen", "--key", inData, "--data", data}, 1, "nằm trong thư mục dữ liệu"},
		{"keygen through a link into the data folder", []string{"log", "keygen", "--key", filepath.Join(link, "khoa.pem"), "--data", data}, 1, "nằm trong thư mục dữ liệu"},
		{"keygen over an existing key", []string{"log", "keygen", "--key", key, "--data", data}, 1, "đã có; khóa cũ không bị ghi đè"},
		{"keygen without --key", []string{"log", "keygen", "--data", data}, 2, "cần --key"},
		{"anchor with a key inside the data folder", []string{"log", "anchor", "--key", copyKey(filepath.Join(data, "khoa-chep.pem"), 0o600), "--data", data}, 1, "nằm trong thư mục dữ liệu"},
		{"anchor with a key others can read", []string{"log", "anchor", "--key", readable, "--data", data}, 1, "chỉ được để chủ sở hữu đọc"},
		{"anchor without --key", []string{"log", "anchor", "--data", data}, 2, "cần --key"},
		{"anchor over an existing file", []string{"log", "anchor", "--key", key, "--data", data, "-o", exists}, 1, "đã có; tệp cũ không bị ghi đè"},
		{"anchor with a public key", []string{"log", "anchor", "--key", public, "--data", data}, 1, "không phải tệp khóa bí mật"},
		{"verify --pubkey without --anchor", []string{"log", "verify", "--data", data, "--pubkey", key + ".pub"}, 2, "chỉ dùng cùng --anchor"},
		{"verify with a missing anchor file", []string{"log", "verify", "--data", data, "--anchor", filepath.Join(outside, "khong-co.json")}, 1, "khong-co.json"},
		{"verify with a file that is no anchor", []string{"log", "verify", "--data", data, "--anchor", exists}, 1, "không đọc được tệp mốc kiểm chứng"},
		{"verify with a public key inside the data folder", []string{"log", "verify", "--data", data, "--anchor", exists, "--pubkey", copyKey(filepath.Join(data, "khoa.pub"), 0o644)}, 1, "nằm trong thư mục dữ liệu"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, c.args...)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, c.code, c.want, out, errs)
			}
		})
	}
	for _, f := range []string{inData, filepath.Join(data, "khoa.pem.pub")} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was written", f)
		}
	}
	if b, _ := os.ReadFile(exists); string(b) != "mốc cũ" {
		t.Error("an existing anchor file was overwritten")
	}

	// A broken chain is not anchored, and nothing is recorded.
	db := attacker(t, data)
	exec(t, db, `UPDATE publog SET title = 'Tiêu đề khác' WHERE seq = 5`)
	db.Close()
	code, out, errs := runCLI(t, "log", "anchor", "--key", key, "--data", data)
	if code != 1 || !strings.Contains(errs, "không lập mốc cho chuỗi đã bị phá vỡ — bản ghi số 5") || out != "" {
		t.Errorf("broken chain: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	db = testsupport.FileDB(t, filepath.Join(data, database.FileName), true)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM log_anchors`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d anchors recorded, %v", n, err)
	}
}
