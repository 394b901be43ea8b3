package publog_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// v2Hash is format 2's hash written from the package comment: the v1
// fields, declared, then facts only when the row has them.
func v2Hash(e *publog.Entry) string {
	var b strings.Builder
	b.WriteString("cchc-publog-v2\n")
	flag := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	fields := []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.Unix(), 10), strconv.FormatInt(e.Recorded.Unix(), 10),
		string(e.Type), e.Actor, strconv.FormatInt(e.ItemID, 10), e.ItemUID, string(e.Kind), e.Ref, e.Title, e.URL, e.PlanItem,
		strings.Join(e.Areas, ","), e.Author, e.Issued, e.Note, flag(e.Imported), flag(e.Declared)}
	if e.FactsText != "" {
		fields = append(fields, e.FactsText)
	}
	for _, f := range append(fields, e.PrevHash) {
		b.WriteString(strconv.Itoa(len(f)) + ":" + f + "\n")
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// TestFactsInTheChain: a database written before migration 0100 (format 1
// and format 2 rows, no facts column) is migrated and still verifies;
// then an article serving III.1 and III.4 and an activity are logged:
// their rows carry every plan item, and the activity's channel, dates,
// unit, audience and evidence, hashed as the package comment says; a
// plain article's row has no facts and hashes as before. Changing,
// removing or adding facts on a row breaks the chain at that row.
func TestFactsInTheChain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDatabase(t, dir, 100)
	raw, err := sql.Open("sqlite", filepath.Join(dir, "cchc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// A format 2 row as the binary before 0100 wrote it.
	f2 := &publog.Entry{Seq: 4, At: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC), Recorded: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC),
		Type: publish.EventPublish, Actor: "duyet", ItemID: 4, ItemUID: "u4", Kind: content.Article, Title: "Tin định dạng 2",
		URL: "/tin-tuc/f2", PlanItem: "III.1", Format: 2, PrevHash: old[2].hash}
	f2.Hash = v2Hash(f2)
	if _, err := raw.Exec(`INSERT INTO publog (seq, at, recorded, type, actor, item_id, item_uid, kind, ref, title, url, plan_item, areas, author, issued, note, imported, prev_hash, hash, format, declared)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, '', '', '', '', 0, ?, ?, 2, 0)`,
		f2.Seq, f2.At.Unix(), f2.Recorded.Unix(), string(f2.Type), f2.Actor, f2.ItemID, f2.ItemUID, string(f2.Kind), f2.Title, f2.URL, f2.PlanItem,
		f2.PrevHash, f2.Hash); err != nil {
		t.Fatal(err)
	}

	now := time.Date(2026, 12, 7, 10, 0, 0, 0, vntext.Zone)
	cfg := config.Defaults
	cfg.Data = dir
	env, err := app.Open(ctx, &cfg, nil, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	log := publog.New(env.Store, env.Now)
	if check, err := log.Verify(ctx); err != nil || !check.OK() || check.Rows != 4 || check.Head != f2.Hash {
		t.Fatalf("rows written before 0100, after it: %v %v", check.Summary(), err)
	}

	plain := &store.Item{ID: 5, UID: "u5"}
	plain.Kind, plain.Title, plain.Slug = content.Article, "Tin thường", "thuong"
	two := &store.Item{ID: 6, UID: "u6"}
	two.Kind, two.Title, two.Slug, two.PlanItems = content.Article, "Hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5", "ngay-18-5", []string{"III.4", "III.1"}
	act := &store.Item{ID: 7, UID: "u7"}
	act.Kind, act.Title, act.Slug, act.PlanItem = content.Activity, "Chuyên mục phát thanh tháng 5", "phat-thanh-5", "III.3"
	act.Channel, act.Unit, act.Audience = "phat-thanh", "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", 0
	act.Date = time.Date(2022, 5, 20, 0, 0, 0, 0, vntext.Zone)
	act.DateEnd = time.Date(2022, 5, 21, 0, 0, 0, 0, vntext.Zone)
	act.Evidence = []string{"/media/2022/phat-thanh-5.mp3", "https://qnamtv.vn/chuyen-muc"}
	err = env.Store.Tx(ctx, func(tx *sql.Tx) error {
		for _, it := range []*store.Item{plain, two, act} {
			if err := log.Append(ctx, tx, publish.Event{Type: publish.EventPublish, At: now, Actor: "duyet", Item: it}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := log.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 {
		t.Fatalf("%d rows", len(all))
	}
	p, w, a := all[4], all[5], all[6]
	if p.FactsText != "" || p.Hash != v2Hash(p) {
		t.Errorf("plain article: facts %q, hash %s want %s", p.FactsText, p.Hash, v2Hash(p))
	}
	if !slices.Equal(w.PlanItems(), []string{"III.1", "III.4"}) || !w.Serves("III.4") || w.Hash != v2Hash(w) {
		t.Errorf("two-item article: %v %q", w.PlanItems(), w.FactsText)
	}
	wantFacts := publog.Facts{PlanItems: []string{"III.3"}, Channel: "phat-thanh", Date: "2022-05-20", DateEnd: "2022-05-21",
		Unit: "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", Evidence: act.Evidence}
	if a.Facts.Channel != wantFacts.Channel || a.Facts.Date != wantFacts.Date || a.Facts.DateEnd != wantFacts.DateEnd ||
		a.Facts.Unit != wantFacts.Unit || !slices.Equal(a.Facts.Evidence, wantFacts.Evidence) || !slices.Equal(a.PlanItems(), wantFacts.PlanItems) {
		t.Errorf("activity facts %+v, want %+v", a.Facts, wantFacts)
	}
	if a.Hash != v2Hash(a) {
		t.Errorf("activity row hash %s, want %s", a.Hash, v2Hash(a))
	}
	if check, err := log.Verify(ctx); err != nil || !check.OK() {
		t.Fatalf("after rows with facts: %v %v", check.Summary(), err)
	}
	// And as staff run it: `cchc log verify` on this data folder.
	var out, errOut bytes.Buffer
	if code := app.Run(ctx, []string{"log", "verify", "--data", dir}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "7 bản ghi") {
		t.Fatalf("cchc log verify: exit %d\n%s%s", code, out.String(), errOut.String())
	}

	if _, err := raw.Exec(`DROP TRIGGER publog_no_update`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, set string
		seq       int64
	}{
		{"a channel changed", `facts = replace(facts, 'phat-thanh', 'truyen-hinh')`, 7},
		{"facts removed", `facts = NULL`, 6},
		{"facts added", `facts = '{"plan_items":["III.1","III.3"]}'`, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			var before sql.NullString
			if err := raw.QueryRow(`SELECT facts FROM publog WHERE seq = ?`, c.seq).Scan(&before); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`UPDATE publog SET `+c.set+` WHERE seq = ?`, c.seq); err != nil {
				t.Fatal(err)
			}
			check, err := log.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if check.OK() || check.Problem.Seq != c.seq {
				t.Errorf("%s: %s", c.name, check.Summary())
			}
			if _, err := raw.Exec(`UPDATE publog SET facts = ? WHERE seq = ?`, before, c.seq); err != nil {
				t.Fatal(err)
			}
			if check, err := log.Verify(ctx); err != nil || !check.OK() {
				t.Fatalf("restored: %v %v", check.Summary(), err)
			}
		})
	}
}
