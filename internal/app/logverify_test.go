package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/publog"
	"cchc/internal/testsupport"
)

// demoData imports the demo content into a fresh data folder, closes it,
// and returns the folder and the log rows in seq order.
func demoData(t *testing.T) (string, []*publog.Entry) {
	t.Helper()
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) })
	rows, err := publog.New(env.Store, env.Now).All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 30 {
		t.Fatalf("only %d log rows", len(rows))
	}
	return env.Config.Data, rows
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// attacker opens the database file the way someone with the file would:
// a plain connection, the append-only triggers dropped.
func attacker(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db := testsupport.FileDB(t, filepath.Join(dir, database.FileName), false)
	for _, q := range []string{`DROP TRIGGER publog_no_update`, `DROP TRIGGER publog_no_delete`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// insertRow writes f into the log as it stands, the way an attacker with
// the file would.
func insertRow(t *testing.T, db *sql.DB, f *publog.Entry) {
	t.Helper()
	var declared, facts any
	if f.Format != 1 {
		declared = f.Declared
	}
	if f.FactsText != "" {
		facts = f.FactsText
	}
	exec(t, db, `INSERT INTO publog (seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url,
		plan_item, areas, author, issued, note, imported, prev_hash, hash, format, declared, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.Seq, f.At.Unix(), f.Recorded.Unix(), string(f.Type), f.Actor, f.ItemID, f.ItemUID, string(f.Kind), f.Ref, f.Title, f.URL,
		f.PlanItem, strings.Join(f.Areas, ","), f.Author, f.Issued, f.Note, f.Imported, f.PrevHash, f.Hash, f.Format, declared, facts)
}

// lastSeqs fills {last}, {last+1} and {last-3} in want with the numbers of
// the last rows.
func lastSeqs(want string, rows []*publog.Entry) string {
	n := rows[len(rows)-1].Seq
	return strings.NewReplacer("{last+1}", strconv.FormatInt(n+1, 10), "{last-3}", strconv.FormatInt(n-3, 10), "{last}", strconv.FormatInt(n, 10)).Replace(want)
}

func TestLogVerify(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB, rows []*publog.Entry)
		want   string // "" when the chain must hold
	}{
		{"untouched", nil, ""},
		{"untouched, triggers dropped", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {}, ""},
		{"title changed", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `UPDATE publog SET title = 'Tiêu đề khác' WHERE seq = 10`)
		}, "bản ghi số 10: nội dung đã bị sửa"},
		{"date moved back", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `UPDATE publog SET at = at - 86400 * 30 WHERE seq = 7`)
		}, "bản ghi số 7: nội dung đã bị sửa"},
		{"changed and rehashed", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			e := *rows[11]
			e.Title = "Tiêu đề khác"
			exec(t, db, `UPDATE publog SET title = ?, hash = ? WHERE seq = ?`, e.Title, e.ComputeHash(), e.Seq)
		}, "bản ghi số 12: đã bị sửa rồi tính lại mã băm"},
		{"row deleted", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `DELETE FROM publog WHERE seq = 10`)
		}, "bản ghi số 10: đã bị xóa"},
		{"rows deleted", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `DELETE FROM publog WHERE seq IN (3, 4, 5)`)
		}, "bản ghi số 3: đã bị xóa (các bản ghi 3–5 không còn)"},
		{"first row deleted", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `DELETE FROM publog WHERE seq = 1`)
		}, "bản ghi số 1: đã bị xóa"},
		{"last row deleted", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `DELETE FROM publog WHERE seq = ?`, rows[len(rows)-1].Seq)
		}, "đã bị xóa (số thứ tự đã cấp tới"},
		{"row inserted in the middle", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			// Make room at 10, then slip in a row chained to row 9 with a
			// hash computed the way the service computes it.
			exec(t, db, `UPDATE publog SET seq = seq + 100000 WHERE seq >= 10`)
			exec(t, db, `UPDATE publog SET seq = seq - 99999 WHERE seq >= 100000`)
			f := *rows[9]
			f.Seq, f.Title, f.PrevHash = 10, "Bài chưa từng đăng", rows[8].Hash
			f.Hash = f.ComputeHash()
			insertRow(t, db, &f)
		}, "bản ghi số 10: bị chèn vào giữa chuỗi"},
		{"two rows inserted in the middle", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `UPDATE publog SET seq = seq + 100000 WHERE seq >= 10`)
			exec(t, db, `UPDATE publog SET seq = seq - 99998 WHERE seq >= 100000`)
			prev := rows[8]
			for _, seq := range []int64{10, 11} {
				f := *rows[9]
				f.Seq, f.Title, f.PrevHash = seq, "Bài chưa từng đăng", prev.Hash
				f.Hash = f.ComputeHash()
				insertRow(t, db, &f)
				prev = &f
			}
		}, "bản ghi số 10: bị chèn vào giữa chuỗi (các bản ghi 10–11; bản ghi sau chúng vẫn trỏ tới bản ghi số 9)"},
		{"fork: a row rewritten to point back", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			// Row 11 now follows row 9 as row 10 does: two rows share a
			// prev_hash. Row 11 is whole (its hash recomputed); it is the
			// first row that does not follow the row before it.
			e := *rows[10]
			e.Title, e.PrevHash = "Tiêu đề khác", rows[8].Hash
			exec(t, db, `UPDATE publog SET title = ?, prev_hash = ?, hash = ? WHERE seq = 11`, e.Title, e.PrevHash, e.ComputeHash())
		}, "bản ghi số 11: không nối tiếp bản ghi số 10 mà trỏ về bản ghi số 9"},
		{"fork: a row appended pointing back", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			last := rows[len(rows)-1]
			f := *last
			f.Seq, f.Title, f.PrevHash = last.Seq+1, "Nhánh rẽ", rows[len(rows)-4].Hash
			f.Hash = f.ComputeHash()
			insertRow(t, db, &f)
		}, "bản ghi số {last+1}: không nối tiếp bản ghi số {last} mà trỏ về bản ghi số {last-3}"},
		{"two rows swapped", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `UPDATE publog SET seq = -1 WHERE seq = 5`)
			exec(t, db, `UPDATE publog SET seq = 5 WHERE seq = 20`)
			exec(t, db, `UPDATE publog SET seq = 20 WHERE seq = -1`)
		}, "bản ghi số 5: nội dung hoặc số thứ tự đã bị sửa"},
		{"neighbours swapped", func(t *testing.T, db *sql.DB, rows []*publog.Entry) {
			exec(t, db, `UPDATE publog SET seq = -1 WHERE seq = 8`)
			exec(t, db, `UPDATE publog SET seq = 8 WHERE seq = 9`)
			exec(t, db, `UPDATE publog SET seq = 9 WHERE seq = -1`)
		}, "bản ghi số 8:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, rows := demoData(t)
			if c.tamper != nil {
				db := attacker(t, dir)
				c.tamper(t, db, rows)
				db.Close()
			}
			code, out, errs := runCLI(t, "log", "verify", "--data", dir)
			if c.want == "" {
				if code != 0 || !strings.Contains(out, "Nhật ký đăng tải toàn vẹn") || !strings.Contains(out, rows[len(rows)-1].Hash) {
					t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
				}
				return
			}
			if want := lastSeqs(c.want, rows); code != 1 || !strings.Contains(errs, want) {
				t.Errorf("exit %d, want 1 with %q\nstdout: %s\nstderr: %s", code, want, out, errs)
			}
		})
	}
}

func TestLogVerifyUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"no subcommand", []string{"log"}, 2},
		{"unknown subcommand", []string{"log", "sửa"}, 2},
		{"extra argument", []string{"log", "verify", "--data", t.TempDir(), "x"}, 2},
		{"help", []string{"log", "--help"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, out, errs := runCLI(t, c.args...); code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", code, c.code, out, errs)
			}
		})
	}
}
