package publog_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/progress"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// chainsMigration is the migration that gives each agency its own chain.
const chainsMigration = 140

// tableRows is every row of table, each column quoted by SQLite itself,
// in order, naming only the columns cols.
func tableRows(t *testing.T, db *sql.DB, cols []string, table, order string) []string {
	t.Helper()
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = "quote(" + c + ")"
	}
	rows, err := db.Query(`SELECT ` + strings.Join(quoted, ` || '|' || `) + ` FROM ` + table + ` ORDER BY ` + order)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// columns lists table's columns in db.
func columns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// runCLI runs the cchc command line as staff do.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestMigrationKeepsFirstChain is point 1's before/after check: a log
// written at the schema before one chain per agency — format 1 rows an
// older binary left, format 2 rows with facts and declared marks after
// them, an anchor recorded over them — is migrated by the service's own
// open; every row keeps every column byte for byte, the recorded anchor
// and `cchc log verify` still hold, log_chains takes the number
// sqlite_sequence held, and the next row follows it. A database whose
// last rows were cut off before the upgrade still shows the gap.
func TestMigrationKeepsFirstChain(t *testing.T) {
	for _, cut := range []int64{0, 2} {
		t.Run(fmt.Sprintf("cut %d", cut), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			old := oldDatabase(t, dir, chainsMigration)
			raw, err := sql.Open("sqlite", filepath.Join(dir, "cchc.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			written := time.Date(2026, 12, 6, 14, 0, 0, 0, vntext.Zone)
			prev, seq := old[len(old)-1].hash, int64(len(old))
			for i := range 40 {
				seq++
				e := &publog.Entry{Seq: seq, At: written.Add(time.Duration(i) * time.Minute), Recorded: written.Add(time.Duration(i) * time.Minute),
					Type: publish.EventPublish, Actor: "duyet", ItemID: seq, ItemUID: "2026-12-06:article/m" + strconv.FormatInt(seq, 10),
					Kind: content.Article, Title: "Tin số " + strconv.FormatInt(seq, 10), URL: "/tin-tuc/m" + strconv.FormatInt(seq, 10),
					PlanItem: "III.1", Areas: []string{"II.1"}, Format: 2, PrevHash: prev}
				if i%3 == 0 {
					e.FactsText = `{"plan_items":["III.1","III.4"]}`
				}
				if i%4 == 0 {
					e.At = e.At.AddDate(0, -2, 0)
					e.Declared = true
				}
				e.Hash = e.ComputeHash()
				var facts any
				if e.FactsText != "" {
					facts = e.FactsText
				}
				if _, err := raw.Exec(`INSERT INTO publog (seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url, plan_item, areas,
					author, issued, note, imported, prev_hash, hash, format, declared, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, '', '', '', 0, ?, ?, 2, ?, ?)`,
					e.Seq, e.At.Unix(), e.Recorded.Unix(), string(e.Type), e.Actor, e.ItemID, e.ItemUID, string(e.Kind), e.Title, e.URL,
					e.PlanItem, strings.Join(e.Areas, ","), e.PrevHash, e.Hash, e.Declared, facts); err != nil {
					t.Fatal(err)
				}
				prev = e.Hash
			}
			// An anchor over the whole chain, recorded as `cchc log anchor`
			// recorded it before.
			key, err := publog.NewKey()
			if err != nil {
				t.Fatal(err)
			}
			a, err := publog.NewAnchor(&publog.Check{Rows: int(seq), LastSeq: seq, Head: prev}, written.Add(time.Hour), key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`INSERT INTO log_anchors (created, seq, hash, rows, public_key, signature) VALUES (?, ?, ?, ?, ?, ?)`,
				a.Created.Unix(), a.Seq, a.Hash, a.Rows, a.PublicKey, a.Signature); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'publog'`, cut); err != nil {
				t.Fatal(err)
			}
			cols := columns(t, raw, "publog")
			before := tableRows(t, raw, cols, "publog", "seq")
			anchorsBefore := tableRows(t, raw, columns(t, raw, "log_anchors"), "log_anchors", "id")
			raw.Close()

			cfg := config.Defaults
			cfg.Data = dir
			env, err := app.Open(ctx, &cfg, nil, func() time.Time { return written.Add(2 * time.Hour) })
			if err != nil {
				t.Fatal(err)
			}
			defer env.Close()
			db := env.DB.Read
			if n := count(t, db, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, chainsMigration); n != 1 {
				t.Fatalf("migration %d not applied", chainsMigration)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'publog'`); n != 0 {
				t.Errorf("sqlite_sequence still numbers publog after the upgrade")
			}
			if after := tableRows(t, db, cols, "publog", "seq"); !slices.Equal(after, before) {
				t.Errorf("the rows changed in the upgrade: %d before, %d after\nfirst before %s\nfirst after  %s", len(before), len(after), before[0], after[0])
			}
			if got := tableRows(t, db, columns(t, db, "log_anchors"), "log_anchors", "id"); !slices.Equal(got, anchorsBefore) {
				t.Errorf("the anchors changed: %v, want %v", got, anchorsBefore)
			}
			if got := tableRows(t, db, []string{"agency_id", "issued", "slug"}, "log_chains", "agency_id"); !slices.Equal(got, []string{fmt.Sprintf("1|%d|'so-khcn'", seq+cut)}) {
				t.Errorf("log_chains after the upgrade: %v, want agency 1 at %d", got, seq+cut)
			}
			log := publog.New(env.Store, env.Now)
			check, err := log.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if cut > 0 {
				if check.OK() || !strings.Contains(check.Problem.Error(), fmt.Sprintf("số thứ tự đã cấp tới %d nhưng chuỗi dừng ở %d", seq+cut, seq)) {
					t.Errorf("a tail cut before the upgrade: %s", check.Summary())
				}
				return
			}
			if !check.OK() || check.Rows != int(seq) || check.Head != prev || check.Anchor == nil {
				t.Fatalf("after the upgrade: %s (head %s, want %s; anchor %v)", check.Summary(), check.Head, prev, check.Anchor)
			}
			env.Close()
			code, out, errs := runCLI(t, "log", "verify", "--data", dir)
			if code != 0 || !strings.Contains(out, "so-khcn: Nhật ký đăng tải toàn vẹn: 43 bản ghi, mã băm cuối chuỗi "+prev) {
				t.Errorf("cchc log verify after the upgrade: exit %d\n%s%s", code, out, errs)
			}

			// The next row follows the old chain, in format 2.
			env, err = app.Open(ctx, &cfg, nil, func() time.Time { return written.Add(3 * time.Hour) })
			if err != nil {
				t.Fatal(err)
			}
			defer env.Close()
			log = publog.New(env.Store, env.Now)
			appendRows(t, env, log, 0, 1)
			all, err := log.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			last := all[len(all)-1]
			if last.Seq != seq+1 || last.PrevHash != prev || last.Format != publog.Format || last.AgencyID != agency.Root {
				t.Errorf("the first row after the upgrade: seq %d prev %s format %d agency %d", last.Seq, last.PrevHash, last.Format, last.AgencyID)
			}
		})
	}
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

var rowCounter struct {
	sync.Mutex
	n int64
}

// appendRows appends n publications of new items in agency id's chain,
// each in its own transaction: the item names its agency (its row's
// agency_id) when id is positive; when id is negative only the context
// does (agency.WithID(-id)); 0 is the root, said by neither.
func appendRows(t *testing.T, env *app.Env, log *publog.Log, id int64, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		rowCounter.Lock()
		rowCounter.n++
		k := rowCounter.n
		rowCounter.Unlock()
		if err := appendRow(ctx, env, log, id, k); err != nil {
			t.Fatal(err)
		}
	}
}

func appendRow(ctx context.Context, env *app.Env, log *publog.Log, id, k int64) error {
	it := &store.Item{}
	it.ID, it.UID, it.Kind, it.Slug, it.PlanItem = 10000+k, fmt.Sprintf("2026-12-06:article/c%d", k), content.Article, fmt.Sprintf("c%d", k), "III.1"
	it.Title = fmt.Sprintf("Tin của cơ quan %d, số %d", id, k)
	switch {
	case id > 0:
		it.AgencyID = id
	case id < 0:
		ctx = agency.WithID(ctx, -id)
	}
	return env.Store.Tx(ctx, func(tx *sql.Tx) error {
		return log.Append(ctx, tx, publish.Event{Type: publish.EventPublish, Actor: "duyet", Item: it})
	})
}

// agencies adds two agencies to env: 2 (so-tu-phap) and 3 (so-noi-vu).
func agencies(t *testing.T, env *app.Env) {
	t.Helper()
	for _, a := range []agency.Agency{
		{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"},
		{Slug: "so-noi-vu", Name: "Sở Nội vụ tỉnh Quảng Ngãi", ShortName: "Sở Nội vụ", Prefix: "/so-noi-vu"},
	} {
		if _, err := env.Store.CreateAgency(context.Background(), a, store.AuditEntry{At: clock, Actor: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
}

// chainRows is agency id's chain as "seq:prev:hash:format", in order.
func chainRows(t *testing.T, env *app.Env, id int64) []string {
	t.Helper()
	return tableRows(t, env.DB.Read, []string{"seq", "prev_hash", "hash", "format"}, "publog WHERE agency_id = "+strconv.FormatInt(id, 10), "seq")
}

// TestChainsBurst: 60 publications at once, in two agencies other than
// the first (half naming their agency on the item's row, half only in the
// context), while the first agency's chain stands: each chain is
// numbered 1, 2, 3… without a gap, starts at Genesis, is written in its
// format, and verifies; the first agency's rows are untouched.
func TestChainsBurst(t *testing.T) {
	env := open(t)
	agencies(t, env)
	log := publog.New(env.Store, env.Now)
	appendRows(t, env, log, 0, 5)
	first := chainRows(t, env, 1)

	const burst = 60
	var wg sync.WaitGroup
	errs := make(chan error, burst)
	start := make(chan struct{})
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			id := int64(2 + i%2)
			if i%4 >= 2 {
				id = -id
			}
			errs <- appendRow(context.Background(), env, log, id, int64(1000+i))
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := chainRows(t, env, 1); !slices.Equal(got, first) {
		t.Errorf("the first agency's chain changed: %v, want %v", got, first)
	}
	ctx := context.Background()
	for _, id := range []int64{2, 3} {
		rows := chainRows(t, env, id)
		if len(rows) != burst/2 {
			t.Fatalf("agency %d: %d rows, want %d", id, len(rows), burst/2)
		}
		for i, r := range rows {
			f := strings.Split(r, "|")
			if f[0] != strconv.Itoa(i+1) || f[3] != "3" {
				t.Errorf("agency %d row %d: %s (want number %d, format 3)", id, i, r, i+1)
			}
			if i == 0 && f[1] != "'"+publog.Genesis+"'" {
				t.Errorf("agency %d's chain starts at %s, not Genesis", id, f[1])
			}
		}
		check, err := log.Verify(agency.WithID(ctx, id))
		if err != nil || !check.OK() || check.Rows != burst/2 || check.AgencyID != id {
			t.Errorf("agency %d: %v, %v", id, check.Summary(), err)
		}
	}
	checks, err := log.VerifyAll(ctx)
	if err != nil || len(checks) != 3 {
		t.Fatalf("verify all: %d chains, %v", len(checks), err)
	}
	for _, c := range checks {
		if !c.OK() {
			t.Errorf("chain of agency %d: %s", c.AgencyID, c.Summary())
		}
	}
	if got := tableRows(t, env.DB.Read, []string{"agency_id", "issued", "slug"}, "log_chains", "agency_id"); !slices.Equal(got,
		[]string{"1|5|'so-khcn'", "2|30|'so-tu-phap'", "3|30|'so-noi-vu'"}) {
		t.Errorf("log_chains: %v", got)
	}
	t.Logf("%d publications in 2 agencies at once: %v; chains 1, 2, 3 hold 5, 30, 30 rows, each gapless and valid", burst, took.Round(time.Millisecond))
}

// TestRowHashesItsAgency: a row of an agency other than the first hashes
// the agency's id and its chain's slug (format 3, as the package comment
// writes it), so the same row in another chain no longer matches; and
// the chain keeps the slug it began under when the agency changes its
// slug, so renaming breaks nothing.
func TestRowHashesItsAgency(t *testing.T) {
	env := open(t)
	agencies(t, env)
	log := publog.New(env.Store, env.Now)
	appendRows(t, env, log, 2, 2)
	ctx := agency.WithID(context.Background(), 2)
	all, err := log.All(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("rows: %d, %v", len(all), err)
	}
	e := all[1]
	if e.Format != 3 || e.AgencyID != 2 || e.Chain != "so-tu-phap" || e.Hash != v3Hash(e, 2, "so-tu-phap") {
		t.Errorf("row: format %d agency %d chain %q; hash %s, want %s", e.Format, e.AgencyID, e.Chain, e.Hash, v3Hash(e, 2, "so-tu-phap"))
	}
	if v3Hash(e, 3, "so-tu-phap") == e.Hash || v3Hash(e, 2, "so-noi-vu") == e.Hash {
		t.Error("the hash does not cover the agency")
	}

	a, err := env.Store.AgencyBySlug(ctx, "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	a.Slug = "stp"
	if err := env.Store.UpdateAgency(ctx, *a, store.AuditEntry{At: clock, Actor: "admin"}); err != nil {
		t.Fatal(err)
	}
	appendRows(t, env, log, 2, 1)
	if c, err := log.Verify(ctx); err != nil || !c.OK() || c.Rows != 3 || c.Chain != "so-tu-phap" {
		t.Errorf("after the agency changed its slug: %s (chain %q), %v", c.Summary(), c.Chain, err)
	}
}

// v3Hash is format 3's hash written from the package comment: the line
// "cchc-publog-v3", the agency's id and the chain's slug, format 2's
// fields with the facts always present, prev_hash.
func v3Hash(e *publog.Entry, id int64, slug string) string {
	flag := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	var b strings.Builder
	b.WriteString("cchc-publog-v3\n")
	for _, f := range []string{strconv.FormatInt(id, 10), slug, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.Unix(), 10),
		strconv.FormatInt(e.Recorded.Unix(), 10), string(e.Type), e.Actor, strconv.FormatInt(e.ItemID, 10), e.ItemUID, string(e.Kind),
		e.Ref, e.Title, e.URL, e.PlanItem, strings.Join(e.Areas, ","), e.Author, e.Issued, e.Note, flag(e.Imported), flag(e.Declared),
		e.FactsText, e.PrevHash} {
		b.WriteString(strconv.Itoa(len(f)) + ":" + f + "\n")
	}
	return sha256Hex(b.String())
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// chainsData is a data folder whose three agencies have chains of 5, 8
// and 6 rows, closed so the command line and an attacker can open it.
func chainsData(t *testing.T) string {
	t.Helper()
	env := open(t)
	agencies(t, env)
	log := publog.New(env.Store, env.Now)
	for i := range 8 {
		if i < 5 {
			appendRows(t, env, log, 0, 1)
		}
		appendRows(t, env, log, 2, 1)
		if i < 6 {
			appendRows(t, env, log, 3, 1)
		}
	}
	dir := env.Config.Data
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tamper opens data's database as an attacker with the file would, with
// the append-only triggers dropped.
func tamper(t *testing.T, data string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(data, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{`DROP TRIGGER publog_no_update`, `DROP TRIGGER publog_no_delete`, `DROP TRIGGER log_chains_no_update`}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestVerifyAgency is point 5's set of attacks on one chain among three,
// checked as staff run it: `cchc log verify --agency SLUG` walks that
// chain only, and the default walks every chain, one line each.
func TestVerifyAgency(t *testing.T) {
	cases := []struct {
		name   string
		stmts  []string
		broken map[string]string // slug: what its verify says, on stderr
		rows   map[string]string // slug: rows of a chain that holds, when not its first count
	}{
		{"untouched", nil, nil, nil},
		{"a row of agency 2 changed", []string{`UPDATE publog SET title = 'Tiêu đề bị sửa' WHERE agency_id = 2 AND seq = 4`},
			map[string]string{"so-tu-phap": "so-tu-phap: bản ghi số 4: nội dung đã bị sửa"}, nil},
		{"the last row of agency 2 moved to the end of agency 3's chain", []string{
			`UPDATE publog SET agency_id = 3, seq = 7 WHERE agency_id = 2 AND seq = 8`},
			map[string]string{
				"so-tu-phap": "so-tu-phap: bản ghi số 8: đã bị xóa (số thứ tự đã cấp tới 8 nhưng chuỗi dừng ở 7)",
				"so-noi-vu":  "so-noi-vu: bản ghi số 7: nội dung hoặc số thứ tự đã bị sửa",
			}, nil},
		{"a row of agency 2 moved to agency 3 with agency 3's last row's hash as prev", []string{
			`UPDATE publog SET agency_id = 3, seq = 7, prev_hash = (SELECT hash FROM publog WHERE agency_id = 3 AND seq = 6) WHERE agency_id = 2 AND seq = 8`,
			`UPDATE log_chains SET issued = 7 WHERE agency_id = 2`},
			map[string]string{"so-noi-vu": "so-noi-vu: bản ghi số 7: nội dung đã bị sửa"},
			map[string]string{"so-tu-phap": "7 bản ghi"}},
		{"agency 2's and agency 3's chains swapped whole, each with the other's number", []string{
			`UPDATE publog SET agency_id = 99 WHERE agency_id = 2`, `UPDATE publog SET agency_id = 2 WHERE agency_id = 3`,
			`UPDATE publog SET agency_id = 3 WHERE agency_id = 99`,
			`UPDATE log_chains SET issued = CASE agency_id WHEN 2 THEN 6 ELSE 8 END WHERE agency_id IN (2, 3)`},
			map[string]string{"so-tu-phap": "so-tu-phap: bản ghi số 1: nội dung đã bị sửa", "so-noi-vu": "so-noi-vu: bản ghi số 1: nội dung đã bị sửa"}, nil},
		{"the first agency's chain given to agency 3, its CHECK edited out of the schema", []string{
			`PRAGMA writable_schema = ON`,
			`UPDATE sqlite_schema SET sql = replace(sql, 'CHECK ((agency_id = 1) = (format IN (1, 2)))', 'CHECK (1)') WHERE name = 'publog'`,
			`PRAGMA writable_schema = RESET`,
			`DELETE FROM publog WHERE agency_id = 3`, `UPDATE publog SET agency_id = 3 WHERE agency_id = 1`,
			`UPDATE log_chains SET issued = 5 WHERE agency_id = 3`},
			map[string]string{
				"so-khcn":   "so-khcn: bản ghi số 1: đã bị xóa (số thứ tự đã cấp tới 5 nhưng chuỗi dừng ở 0)",
				"so-noi-vu": "so-noi-vu: bản ghi số 1: ghi theo định dạng 2, không phải định dạng của chuỗi nhật ký này",
			}, nil},
		{"agency 2's chain given to an agency id no agency has", []string{`UPDATE publog SET agency_id = 7 WHERE agency_id = 2`},
			map[string]string{
				"so-tu-phap": "so-tu-phap: bản ghi số 1: đã bị xóa (số thứ tự đã cấp tới 8 nhưng chuỗi dừng ở 0)",
				"#7":         "#7: bản ghi số 1: nội dung đã bị sửa",
			}, nil},
		{"the last two rows of agency 2 cut off", []string{`DELETE FROM publog WHERE agency_id = 2 AND seq > 6`},
			map[string]string{"so-tu-phap": "so-tu-phap: bản ghi số 7: đã bị xóa (số thứ tự đã cấp tới 8 nhưng chuỗi dừng ở 6)"}, nil},
		{"agency 3's first row deleted", []string{`DELETE FROM publog WHERE agency_id = 3 AND seq = 1`},
			map[string]string{"so-noi-vu": "so-noi-vu: bản ghi số 1: đã bị xóa"}, nil},
	}
	heads := map[string]string{"so-khcn": "5 bản ghi", "so-tu-phap": "8 bản ghi", "so-noi-vu": "6 bản ghi"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := chainsData(t)
			if c.stmts != nil {
				tamper(t, data, c.stmts...)
			}
			code, out, errs := runCLI(t, "log", "verify", "--data", data)
			if (code == 0) != (len(c.broken) == 0) {
				t.Errorf("verify: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
			for slug, want := range c.broken {
				if heads[slug] == "" && !strings.Contains(errs, want) {
					t.Errorf("verify: no %q\nstdout: %s\nstderr: %s", want, out, errs)
				}
			}
			for slug, rows := range heads {
				if r := c.rows[slug]; r != "" {
					rows = r
				}
				want, where := c.broken[slug], errs
				if want == "" {
					want, where = slug+": Nhật ký đăng tải toàn vẹn: "+rows, out
				}
				if !strings.Contains(where, want) {
					t.Errorf("verify: no %q\nstdout: %s\nstderr: %s", want, out, errs)
				}
				code, out, errs := runCLI(t, "log", "verify", "--data", data, "--agency", slug)
				if c.broken[slug] != "" {
					if code != 1 || !strings.Contains(errs, c.broken[slug]) || out != "" {
						t.Errorf("verify --agency %s: exit %d, want 1 with %q\nstdout: %s\nstderr: %s", slug, code, c.broken[slug], out, errs)
					}
					continue
				}
				if code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, slug+": Nhật ký đăng tải toàn vẹn: "+rows) {
					t.Errorf("verify --agency %s: exit %d, want 0 with one line for it\nstdout: %s\nstderr: %s", slug, code, out, errs)
				}
			}
		})
	}
}

// TestVerifyUnknownAgency: a slug no agency has is a clear message naming
// those there are, and a usage exit, not the walk of an empty chain.
func TestVerifyUnknownAgency(t *testing.T) {
	data := chainsData(t)
	key := filepath.Join(t.TempDir(), "khoa.pem")
	if code, out, errs := runCLI(t, "log", "keygen", "--key", key, "--data", data); code != 0 {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errs)
	}
	for _, cmd := range [][]string{{"log", "verify"}, {"log", "anchor", "--key", key}} {
		code, out, errs := runCLI(t, append(cmd, "--data", data, "--agency", "so-khong-co")...)
		want := "--agency: không có cơ quan nào mang mã \"so-khong-co\"; các mã hiện có: so-khcn, so-tu-phap, so-noi-vu"
		if code != 2 || !strings.Contains(errs, want) || out != "" {
			t.Errorf("%v: exit %d, want 2 with %q\nstdout: %s\nstderr: %s", cmd, code, want, out, errs)
		}
	}
}

// TestAnchorPerAgency: `cchc log anchor --agency` signs that agency's
// head, naming its chain in the file and the signature; the copy kept in
// the database is that agency's; the anchor holds against its chain, is
// refused against another's, and shows its chain cut below it.
func TestAnchorPerAgency(t *testing.T) {
	data := chainsData(t)
	keys := t.TempDir()
	key := filepath.Join(keys, "khoa.pem")
	if code, out, errs := runCLI(t, "log", "keygen", "--key", key, "--data", data); code != 0 {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errs)
	}
	file := filepath.Join(keys, "moc-stp.json")
	if code, out, errs := runCLI(t, "log", "anchor", "--key", key, "--agency", "so-tu-phap", "--data", data, "-o", file); code != 0 {
		t.Fatalf("anchor: exit %d\n%s%s", code, out, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var a publog.Anchor
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Format != publog.AnchorFormatAgency || a.AgencyID != 2 || a.Agency != "so-tu-phap" || a.Seq != 8 || a.Rows != 8 {
		t.Errorf("anchor of agency 2: %+v", a)
	}
	db, err := sql.Open("sqlite", filepath.Join(data, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	if got := tableRows(t, db, []string{"agency_id", "seq"}, "log_anchors", "id"); !slices.Equal(got, []string{"2|8"}) {
		t.Errorf("recorded anchors: %v, want agency 2's at row 8", got)
	}
	db.Close()

	pub := key + ".pub"
	if code, out, errs := runCLI(t, "log", "verify", "--data", data, "--anchor", file, "--pubkey", pub); code != 0 ||
		!strings.Contains(out, "Mốc kiểm chứng lập lúc") {
		t.Errorf("verify with agency 2's anchor: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runCLI(t, "log", "verify", "--data", data, "--agency", "so-khcn", "--anchor", file, "--pubkey", pub)
	if want := "thuộc chuỗi nhật ký của so-tu-phap, không phải chuỗi của so-khcn"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("agency 2's anchor against agency 1's chain: exit %d, want 1 with %q\n%s%s", code, want, out, errs)
	}

	// The anchor file, edited to claim agency 3's chain, no longer
	// matches its signature.
	forged := strings.Replace(string(b), `"so-tu-phap"`, `"so-noi-vu"`, 1)
	forged = strings.Replace(forged, `"agency_id": 2`, `"agency_id": 3`, 1)
	forgedFile := filepath.Join(keys, "moc-gia.json")
	if err := os.WriteFile(forgedFile, []byte(forged), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "log", "verify", "--data", data, "--anchor", forgedFile); code != 1 || !strings.Contains(errs, "chữ ký của mốc kiểm chứng không hợp lệ") {
		t.Errorf("anchor edited to another agency: exit %d\n%s%s", code, out, errs)
	}

	// Agency 2's chain cut below its anchor, the chain's number reset and
	// the recorded copy deleted: only the anchor file sees it.
	tamper(t, data, `DELETE FROM publog WHERE agency_id = 2 AND seq > 6`, `UPDATE log_chains SET issued = 6 WHERE agency_id = 2`,
		`DROP TRIGGER log_anchors_no_delete`, `DELETE FROM log_anchors`)
	if code, out, errs := runCLI(t, "log", "verify", "--data", data); code != 0 {
		t.Errorf("the cut chain alone: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "log", "verify", "--data", data, "--anchor", file, "--pubkey", pub)
	if want := "chuỗi đã bị cắt bớt ở cuối"; code != 1 || !strings.Contains(errs, want) || !strings.Contains(errs, "so-tu-phap: nhật ký đăng tải KHÔNG toàn vẹn") {
		t.Errorf("cut below agency 2's anchor: exit %d, want 1 with %q\n%s%s", code, want, out, errs)
	}
}

// TestReadsPerAgency: every read of the log — rows by time, every row,
// the states the plan's figures come from, the years, the head — sees
// the chain of the agency the context acts for, and the first agency's
// (the context saying none) none of the others' rows.
func TestReadsPerAgency(t *testing.T) {
	env := open(t)
	agencies(t, env)
	log := publog.New(env.Store, env.Now)
	appendRows(t, env, log, 0, 3)
	appendRows(t, env, log, 2, 4)
	appendRows(t, env, log, -3, 2)
	bg := context.Background()
	from, to := clock.AddDate(0, 0, -1), clock.AddDate(0, 0, 1)
	for _, c := range []struct {
		ctx  context.Context
		id   int64
		rows int
	}{{bg, 1, 3}, {agency.WithID(bg, 1), 1, 3}, {agency.WithID(bg, 2), 2, 4}, {agency.WithID(bg, 3), 3, 2}, {agency.WithID(bg, 4), 4, 0}} {
		all, err := log.All(c.ctx)
		if err != nil || len(all) != c.rows {
			t.Errorf("agency %d: All %d rows, %v; want %d", c.id, len(all), err, c.rows)
		}
		for _, e := range all {
			if e.AgencyID != c.id {
				t.Errorf("agency %d: All gives a row of agency %d", c.id, e.AgencyID)
			}
		}
		if es, err := log.Entries(c.ctx, from, to); err != nil || len(es) != c.rows {
			t.Errorf("agency %d: Entries %d rows, %v; want %d", c.id, len(es), err, c.rows)
		}
		if rd, err := log.Read(c.ctx, from, to); err != nil || len(rd.States) != c.rows || len(rd.Entries) != c.rows || rd.Check.Rows != c.rows || rd.Check.AgencyID != c.id {
			t.Errorf("agency %d: Read %+v, %v; want %d items and rows", c.id, rd, err, c.rows)
		}
		years, err := log.Years(c.ctx)
		if want := c.rows > 0; err != nil || slices.Contains(years, clock.Year()) != want {
			t.Errorf("agency %d: years %v, %v", c.id, years, err)
		}
		if h, err := env.Store.LogHead(c.ctx); err != nil || h.Rows != c.rows || int(h.Seq) != c.rows {
			t.Errorf("agency %d: head %+v, %v", c.id, h, err)
		}
	}
}

// TestFiguresPerAgency: the plan's figures of the first agency — the
// year's summary tables, its rows, its chain — are the same after another
// agency logged publications of its own in that year, serving the same
// plan items; that agency's figures count its rows only.
func TestFiguresPerAgency(t *testing.T) {
	env := open(t)
	testsupport.Import(t, env, testsupport.PlanYear())
	agencies(t, env)
	log := publog.New(env.Store, env.Now)
	ctx := context.Background()
	measure := func(ctx context.Context) (string, *progress.Report) {
		t.Helper()
		r, err := progress.Measure(ctx, env.Store, log, clock.Year(), clock)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%v\n%d rows, chain %s", r.Summary(), len(r.Entries), r.Chain.Summary()), r
	}
	before, r := measure(ctx)
	if len(r.Entries) < 10 || r.Chain.Rows != 16 {
		t.Fatalf("the first agency's year: %d rows, chain %s", len(r.Entries), r.Chain.Summary())
	}
	appendRows(t, env, log, 2, 7)
	after, _ := measure(ctx)
	if after != before {
		t.Errorf("the first agency's figures moved with another agency's rows:\nbefore %s\nafter  %s", before, after)
	}
	_, r2 := measure(agency.WithID(ctx, 2))
	if len(r2.Entries) != 7 || r2.Chain.Rows != 7 || !r2.Chain.OK() {
		t.Errorf("agency 2's year: %d rows, chain %s", len(r2.Entries), r2.Chain.Summary())
	}
}

// TestImportPerAgency: content imported for agency 2 (the store files the
// import's items under the agency its context acts for) is logged in
// agency 2's own chain, each row in its item's agency's chain: 16 rows in
// format 3, from Genesis, verifying; the first agency's chain is as it
// was.
func TestImportPerAgency(t *testing.T) {
	env := open(t)
	agencies(t, env)
	appendRows(t, env, publog.New(env.Store, env.Now), 0, 5)
	first := chainRows(t, env, 1)
	ctx := agency.WithID(context.Background(), 2)
	res, err := env.Publish.Import(ctx, testsupport.PlanYear(), "content")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import for agency 2: %v, %+v", err, res)
	}
	if got := chainRows(t, env, 1); !slices.Equal(got, first) || len(first) != 5 {
		t.Errorf("the first agency's chain: %d rows, %d before agency 2's import", len(got), len(first))
	}
	rows := chainRows(t, env, 2)
	if len(rows) != 16 || !strings.HasSuffix(rows[0], "|3") {
		t.Errorf("agency 2's chain: %v", rows)
	}
	n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM publog p JOIN items i ON i.id = p.item_id WHERE p.agency_id <> i.agency_id`)
	if n != 0 {
		t.Errorf("%d rows are in another chain than their item's agency", n)
	}
	checks, err := publog.New(env.Store, env.Now).VerifyAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		if !c.OK() {
			t.Errorf("agency %d: %s", c.AgencyID, c.Summary())
		}
	}
}

// TestImportAgencyTree: a content folder with another agency's tree
// (agencies/SLUG/, h20-citizens' import) logs that agency's publications
// in its own chain and the root's in the root's; `cchc log verify` then
// prints one line per agency, and each verifies alone.
func TestImportAgencyTree(t *testing.T) {
	env := open(t)
	fsys := testsupport.With(testsupport.PlanYear(), fstest.MapFS{
		"agencies/so-tu-phap/agency.yaml": {Data: []byte("name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: Sở Tư pháp\nprefix: /so-tu-phap\n")},
		"agencies/so-tu-phap/articles/stp-1.md": {Data: []byte("---\ntitle: Sở Tư pháp triển khai kế hoạch cải cách hành chính\n" +
			"slug: stp-trien-khai-ke-hoach\ndate: 2022-03-21T08:00:00+07:00\n---\nNội dung.\n")},
		"agencies/so-tu-phap/articles/stp-2.md": {Data: []byte("---\ntitle: Sở Tư pháp rà soát thủ tục hành chính\n" +
			"slug: stp-ra-soat-thu-tuc\ndate: 2022-05-12T08:00:00+07:00\n---\nNội dung.\n")},
	})
	testsupport.Import(t, env, fsys)
	stp, err := env.Store.AgencyBySlug(context.Background(), "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	if rows := chainRows(t, env, stp.ID); len(rows) != 2 || !strings.HasSuffix(rows[0], "|3") || !strings.HasSuffix(rows[1], "|3") {
		t.Errorf("so-tu-phap's chain: %v", rows)
	}
	if rows := chainRows(t, env, 1); len(rows) != 16 {
		t.Errorf("the root's chain: %d rows, want 16", len(rows))
	}
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM publog p JOIN items i ON i.id = p.item_id WHERE p.agency_id <> i.agency_id`); n != 0 {
		t.Errorf("%d rows are in another chain than their item's agency", n)
	}
	data := env.Config.Data
	env.Close()
	code, out, errs := runCLI(t, "log", "verify", "--data", data)
	if code != 0 || !strings.Contains(out, "so-khcn: Nhật ký đăng tải toàn vẹn: 16 bản ghi") ||
		!strings.Contains(out, "so-tu-phap: Nhật ký đăng tải toàn vẹn: 2 bản ghi") || strings.Count(out, "\n") != 2 {
		t.Errorf("cchc log verify: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}
