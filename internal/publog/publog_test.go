package publog_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/testsupport"
)

// clock is the time of the plan year's tests (testsupport.PlanYear):
// 15/8/2022.
var clock = testsupport.PlanClock()

// open is the service over an empty database at clock.
func open(t *testing.T) *app.Env { return testsupport.Open(t, config.Defaults, testsupport.PlanClock) }

// TestImportLogsOnce: each public item imported is logged once, as
// published at its own date and marked imported; importing the same
// files again logs nothing.
func TestImportLogsOnce(t *testing.T) {
	env := open(t)
	testsupport.Import(t, env, testsupport.PlanYear())
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
	testsupport.Import(t, env, testsupport.PlanYear())
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM publog`); n != 16 {
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
	if _, err := failing.Import(context.Background(), testsupport.PlanYear(), "content"); err == nil {
		t.Fatal("import with a failing log succeeded")
	}
	for _, table := range []string{"items", "publog", "revisions"} {
		if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM `+table); n != 0 {
			t.Errorf("%s has %d rows after the failed transaction", table, n)
		}
	}
	// A rolled-back row does not use up its number either.
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM log_chains`); n != 0 {
		t.Errorf("log_chains moved")
	}
	testsupport.Import(t, env, testsupport.PlanYear())
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM publog`); n != 16 {
		t.Errorf("rows after a good import: %d, want 16", n)
	}
}

func TestAppendOnly(t *testing.T) {
	env := open(t)
	testsupport.Import(t, env, testsupport.PlanYear())
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
