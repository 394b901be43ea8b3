package publog_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/vntext"
)

// fixture is a small year of content (the plan report's fixture, see
// package progress's tests): 16 log rows once imported at 15/8/2022.
var fixture = fstest.MapFS{
	"plans/2022.yaml": {Data: []byte(`number: 272/KH-SKHCN
title: Kế hoạch tuyên truyền cải cách hành chính năm 2022
issued: 2022-03-15
year: 2022
report_due: 2022-11-10
areas:
  - {id: II.1, title: Văn bản chỉ đạo}
  - {id: II.2.a, title: "Công tác chỉ đạo, điều hành"}
  - {id: II.3, title: Chính quyền số}
documents: [1256/QĐ-UBND, 76/NQ-CP, 999/QĐ-UBND]
items:
  - {id: III.1, title: Mở mục tuyên truyền, tracked: true}
  - {id: III.2, title: Đăng tải công khai, tracked: true, targets: {all_procedures: true, all_plan_documents: true, each_area_per_quarter: 1}}
  - {id: III.3, title: Bản tin, tracked: false}
`)},
	"documents/1256-qd-ubnd.md": doc("1256/QĐ-UBND", "2021-12-22", "2022-01-10", "II.1"),
	"documents/76-nq-cp.md":     doc("76/NQ-CP", "2021-07-15", "2022-02-05", "II.1"),
	"procedures/p1.md":          {Data: []byte("---\ntitle: Thủ tục một\ncode: \"1.000001\"\ndate: 2022-03-01\nareas: [II.2.a]\n---\nNội dung.\n")},
	"procedures/p2.md":          {Data: []byte("---\ntitle: Thủ tục hai\ncode: \"1.000002\"\ndate: 2022-03-02\ndraft: true\n---\nNội dung.\n")},
	"articles/a01.md":           article("2022-01-12", "", "II.1", "Theo Quyết định số 1256/QĐ-UBND của UBND tỉnh."),
	"articles/a02.md":           article("2022-01-20", "", "II.3", ""),
	"articles/a03.md":           article("2022-02-14", "", "II.2.a", ""),
	"articles/a04.md":           article("2022-03-03", "updated: 2022-06-01\n", "II.1", ""),
	"articles/a05.md":           article("2022-03-20", "", "II.3", ""),
	"articles/a06.md":           article("2022-04-05", "", "II.2.a", ""),
	"articles/a07.md":           article("2022-05-10", "", "II.1, II.3", ""),
	"articles/a08.md":           article("2022-05-11", "", "II.2.a", ""),
	"articles/a09.md":           article("2022-07-01", "", "II.3", ""),
	"articles/a10.md":           article("2022-08-02", "", "II.1", ""),
	"articles/a11.md":           article("2022-09-10", "", "II.1", ""), // scheduled: not public yet
	"articles/a12.md":           article("2021-12-20", "", "II.1", ""), // last year
	"articles/a13.md":           article("2022-06-15", "plan_item: III.2\n", "II.1", ""),
}

func doc(number, issued, date, areas string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(fmt.Sprintf("---\nnumber: %s\ntype: Quyết định\nissuer: UBND tỉnh\nissued: %s\ntitle: Văn bản %s\ndate: %s\nareas: [%s]\n---\n", number, issued, number, date, areas))}
}

func article(date, extra, areas, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Tin bài ngày %s\ndate: %s\n%sareas: [%s]\nauthor: Trung tâm\n---\n%s\n", date, date, extra, areas, body))}
}

var clock = time.Date(2022, 8, 15, 10, 0, 0, 0, vntext.Zone)

func open(t *testing.T) *app.Env {
	t.Helper()
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	env, err := app.Open(context.Background(), &cfg, nil, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

func importFixture(t *testing.T, env *app.Env) {
	t.Helper()
	res, err := env.Publish.Import(context.Background(), fixture, "content")
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed > 0 {
		t.Fatalf("import failed: %v", res.Errors)
	}
}

func count(t *testing.T, env *app.Env, query string) int {
	t.Helper()
	var n int
	if err := env.DB.Read.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestImportLogsOnce: each public item imported is logged once, as
// published at its own date and marked imported; importing the same
// files again logs nothing.
func TestImportLogsOnce(t *testing.T) {
	env := open(t)
	importFixture(t, env)
	ctx := context.Background()
	all, err := publog.New(env.Store, env.Now).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 2 documents, 1 procedure, 12 articles public by 15/8 (a11 is
	// scheduled, p2 a draft), and a04's update.
	if len(all) != 16 {
		t.Fatalf("rows after import: %d, want 16", len(all))
	}
	publishes := map[int64]int{}
	for _, e := range all {
		if !e.Imported || e.Actor != "import" {
			t.Errorf("row %d: imported=%v actor=%q", e.Seq, e.Imported, e.Actor)
		}
		if e.Type != publish.EventPublish {
			continue
		}
		publishes[e.ItemID]++
		it, err := env.Store.ItemByID(ctx, e.ItemID)
		if err != nil {
			t.Fatal(err)
		}
		if !e.At.Equal(it.Date) {
			t.Errorf("%s logged at %v, its date is %v", it.Slug, e.At, it.Date)
		}
	}
	for id, n := range publishes {
		if n != 1 {
			t.Errorf("item %d published %d times", id, n)
		}
	}
	importFixture(t, env)
	if n := count(t, env, `SELECT COUNT(*) FROM publog`); n != 16 {
		t.Errorf("rows after importing again: %d, want 16", n)
	}
	if c, err := publog.New(env.Store, env.Now).Verify(ctx); err != nil || !c.OK() || c.Rows != 16 {
		t.Errorf("verify: %+v, %v", c, err)
	}
}

// failingLog writes the row and then fails, as a disk-full or constraint
// error after the insert would: the whole change must roll back.
type failingLog struct{ inner *publog.Log }

func (f failingLog) Append(ctx context.Context, tx *sql.Tx, ev publish.Event) error {
	if err := f.inner.Append(ctx, tx, ev); err != nil {
		return err
	}
	return errors.New("append failed")
}

func TestFailedChangeLeavesNothing(t *testing.T) {
	env := open(t)
	failing := publish.New(env.Store, env.Markdown, failingLog{publog.New(env.Store, env.Now)}, env.Store, env.Now, nil)
	failing.AddHook(env.Search)
	if _, err := failing.Import(context.Background(), fixture, "content"); err == nil {
		t.Fatal("import with a failing log succeeded")
	}
	for _, table := range []string{"items", "publog", "revisions"} {
		if n := count(t, env, `SELECT COUNT(*) FROM `+table); n != 0 {
			t.Errorf("%s has %d rows after the failed transaction", table, n)
		}
	}
	// A rolled-back row does not use up its number either.
	if n := count(t, env, `SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'publog' AND seq > 0`); n != 0 {
		t.Errorf("sqlite_sequence moved")
	}
	importFixture(t, env)
	if n := count(t, env, `SELECT COUNT(*) FROM publog`); n != 16 {
		t.Errorf("rows after a good import: %d, want 16", n)
	}
}

func TestAppendOnly(t *testing.T) {
	env := open(t)
	importFixture(t, env)
	for _, q := range []string{`UPDATE publog SET title = 'x' WHERE seq = 1`, `DELETE FROM publog WHERE seq = 1`} {
		_, err := env.DB.Write.Exec(q)
		if err == nil || !strings.Contains(err.Error(), "chỉ được ghi thêm") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestAppendNeedsItem(t *testing.T) {
	env := open(t)
	err := env.Store.Tx(context.Background(), func(tx *sql.Tx) error {
		return publog.New(env.Store, env.Now).Append(context.Background(), tx, publish.Event{Type: publish.EventPublish})
	})
	if !errors.Is(err, publog.ErrNoItem) {
		t.Errorf("got %v", err)
	}
}
