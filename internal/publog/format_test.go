package publog_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// v1Row is a log row as the binary before migration 0030 wrote it.
type v1Row struct {
	seq                   int64
	at, recorded          time.Time
	typ, actor            string
	itemID                int64
	uid, kind, ref, title string
	url, planItem, areas  string
	author, issued, note  string
	imported              bool
	prevHash, hash        string
}

// v1Hash is format 1's hash, written from the package comment rather than
// taken from the code, so that the test also holds the documentation to
// what the rows carry.
func v1Hash(r *v1Row) string {
	var b strings.Builder
	b.WriteString("cchc-publog-v1\n")
	imported := "0"
	if r.imported {
		imported = "1"
	}
	for _, f := range []string{strconv.FormatInt(r.seq, 10), strconv.FormatInt(r.at.Unix(), 10), strconv.FormatInt(r.recorded.Unix(), 10),
		r.typ, r.actor, strconv.FormatInt(r.itemID, 10), r.uid, r.kind, r.ref, r.title, r.url, r.planItem, r.areas,
		r.author, r.issued, r.note, imported, r.prevHash} {
		b.WriteString(strconv.Itoa(len(f)) + ":" + f + "\n")
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// oldDatabase builds, in dir, the database an older binary left: every
// migration before below (0030, 0100) applied (the runner's own bookkeeping table) and
// a log of format 1 rows — an import made on 06/12/2026 of items dated
// 25/03/2022 and 05/07/2022, then a publication made that day.
func oldDatabase(t *testing.T, dir string, below int) []*v1Row {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))) STRICT`)
	const migrations = "../database/migrations"
	files, err := os.ReadDir(migrations)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		v, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0])
		if err != nil || v >= below {
			continue
		}
		src, err := os.ReadFile(filepath.Join(migrations, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		exec(string(src))
		exec(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, v, f.Name())
	}
	imported := time.Date(2026, 12, 6, 9, 0, 0, 0, vntext.Zone)
	rows := []*v1Row{
		{at: time.Date(2022, 3, 25, 8, 0, 0, 0, vntext.Zone), recorded: imported, typ: "publish", actor: "import", itemID: 1,
			uid: "2022-03-25:article/a", kind: "article", title: "Tin nhập từ tệp", url: "/tin-tuc/a", planItem: "III.1", areas: "II.1", imported: true},
		{at: time.Date(2022, 7, 5, 8, 0, 0, 0, vntext.Zone), recorded: imported, typ: "update", actor: "import", itemID: 1,
			uid: "2022-03-25:article/a", kind: "article", title: "Tin nhập từ tệp", url: "/tin-tuc/a", planItem: "III.1", areas: "II.1",
			note: "Cập nhật nội dung", imported: true},
		{at: imported.Add(2 * time.Hour), recorded: imported.Add(2 * time.Hour), typ: "publish", actor: "duyet", itemID: 2,
			uid: "2026-12-06:procedure/p", kind: "procedure", ref: "1.000001", title: "Thủ tục", url: "/thu-tuc-hanh-chinh/p", planItem: "III.2"},
	}
	prev := publog.Genesis
	for i, r := range rows {
		r.seq, r.prevHash = int64(i+1), prev
		r.hash = v1Hash(r)
		prev = r.hash
		exec(`INSERT INTO publog (seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url, plan_item, areas, author, issued, note, imported, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.seq, r.at.Unix(), r.recorded.Unix(), r.typ, r.actor, r.itemID, r.uid, r.kind, r.ref, r.title, r.url, r.planItem, r.areas,
			r.author, r.issued, r.note, r.imported, r.prevHash, r.hash)
	}
	return rows
}

// TestFormat1RowsVerifyAfterMigration: a database an older binary wrote
// is migrated (0030); every old row, its hash and an anchor made before
// still verify; old rows read as format 1 with the declared mark derived
// from their two times; new rows are format 2, chain onto the old ones
// and hash their mark, so flipping it is caught.
func TestFormat1RowsVerifyAfterMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDatabase(t, dir, 30)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, vntext.Zone)
	cfg := config.Defaults
	cfg.Data = dir
	env, err := app.Open(ctx, &cfg, nil, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	log := publog.New(env.Store, env.Now)

	check, err := log.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !check.OK() || check.Rows != 3 || check.Head != old[2].hash {
		t.Fatalf("after migration: %s (head %s, want %s)", check.Summary(), check.Head, old[2].hash)
	}
	key, err := publog.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	anchor, err := publog.NewAnchor(check, now, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.RecordAnchor(ctx, anchor); err != nil {
		t.Fatal(err)
	}

	// A new row, backdated by a form: chained after the old ones.
	item := &store.Item{}
	item.ID, item.UID, item.Kind, item.Title, item.Slug, item.PlanItem = 3, "2026-12-07:article/b", "article", "Tin đăng lùi ngày", "b", "III.1"
	backdated := time.Date(2026, 11, 20, 8, 0, 0, 0, vntext.Zone)
	err = env.Store.Tx(ctx, func(tx *sql.Tx) error {
		if err := log.Append(ctx, tx, publish.Event{Type: publish.EventPublish, At: backdated, Actor: "duyet", Item: item}); err != nil {
			return err
		}
		return log.Append(ctx, tx, publish.Event{Type: publish.EventUpdate, At: now.Add(-time.Hour), Actor: "duyet", Item: item, Note: "Sửa số liệu"})
	})
	if err != nil {
		t.Fatal(err)
	}
	check, err = log.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !check.OK() || check.Rows != 5 {
		t.Fatalf("after new rows: %s", check.Summary())
	}
	if p, err := log.CheckAnchor(ctx, check, anchor); err != nil || p != nil {
		t.Fatalf("anchor over format 1 rows: %v, %v", p, err)
	}
	all, err := log.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range all {
		got = append(got, strconv.Itoa(e.Format)+":"+strconv.FormatBool(e.Declared))
	}
	if want := []string{"1:true", "1:true", "1:false", "2:true", "2:false"}; !slices.Equal(got, want) {
		t.Errorf("format:declared = %v, want %v", got, want)
	}
	if all[3].PrevHash != old[2].hash {
		t.Error("the first format 2 row does not chain onto the last format 1 row")
	}

	// The stored mark is what format 2 hashes: flipping it (with the
	// append-only triggers dropped, as an attacker with the file would)
	// breaks the chain at that row; and a format 1 row made to claim
	// format 2 no longer matches its hash either.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER publog_no_update`, `UPDATE publog SET declared = 0 WHERE seq = 4`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	check, err = log.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if check.OK() || check.Problem.Seq != 4 {
		t.Errorf("flipped declared mark: %s", check.Summary())
	}
	for _, q := range []string{`UPDATE publog SET declared = 1 WHERE seq = 4`, `UPDATE publog SET format = 2, declared = 1 WHERE seq = 1`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	check, err = log.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if check.OK() || check.Problem.Seq != 1 {
		t.Errorf("format 1 row relabelled format 2: %s", check.Summary())
	}
}

// TestDeclaredMark: the mark follows the one-day rule on the times as
// stored, both ways.
func TestDeclaredMark(t *testing.T) {
	ctx := context.Background()
	env := open(t)
	log := publog.New(env.Store, env.Now)
	item := &store.Item{}
	item.ID, item.UID, item.Kind, item.Title, item.Slug = 1, "u", "article", "Tin", "t"
	cases := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"the clock's own time", clock, false},
		{"earlier the same day", clock.Add(-9 * time.Hour), false},
		{"exactly a day before", clock.Add(-publog.DeclaredGap), false},
		{"a day and a second before", clock.Add(-publog.DeclaredGap - time.Second), true},
		{"an imported file's date years before", time.Date(2019, 1, 2, 0, 0, 0, 0, vntext.Zone), true},
		{"dated ahead of the clock", clock.Add(49 * time.Hour), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := env.Store.Tx(ctx, func(tx *sql.Tx) error {
				return log.Append(ctx, tx, publish.Event{Type: publish.EventUpdate, At: c.at, Item: item, Note: c.name})
			})
			if err != nil {
				t.Fatal(err)
			}
			all, err := log.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if e := all[len(all)-1]; e.Declared != c.want || e.Format != publog.Format {
				t.Errorf("declared %v format %d, want %v %d", e.Declared, e.Format, c.want, publog.Format)
			}
		})
	}
	if check, err := log.Verify(ctx); err != nil || !check.OK() {
		t.Fatalf("verify: %v %v", check.Summary(), err)
	}
}

// TestBackdatedImportDeclared: a file imported with an older date is
// logged at that date and marked declared; one dated the same morning is
// live. Both are format 2 and the chain holds.
func TestBackdatedImportDeclared(t *testing.T) {
	ctx := context.Background()
	env := open(t)
	res, err := env.Publish.Import(ctx, fstest.MapFS{
		"articles/cu.md":  {Data: []byte("---\ntitle: Tin cũ nhập lại\ndate: 2022-03-25\n---\nNội dung.\n")},
		"articles/moi.md": {Data: []byte("---\ntitle: Tin sáng nay\ndate: 2022-08-15T08:00:00+07:00\n---\nNội dung.\n")},
	}, "content")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import: %v %v", err, res.Errors)
	}
	all, err := publog.New(env.Store, env.Now).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range all {
		got[e.Title] = fmt.Sprintf("%s declared=%v format=%d recorded=%s", vntext.Date(e.At), e.Declared, e.Format, vntext.Date(e.Recorded))
	}
	want := map[string]string{
		"Tin cũ nhập lại": "25/03/2022 declared=true format=2 recorded=15/08/2022",
		"Tin sáng nay":    "15/08/2022 declared=false format=2 recorded=15/08/2022",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	if c, err := publog.New(env.Store, env.Now).Verify(ctx); err != nil || !c.OK() {
		t.Fatalf("verify: %v %v", c, err)
	}
}
