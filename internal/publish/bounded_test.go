package publish_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/markdown"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// pathological bodies: 10,000 headings took 6.7 s to render before the
// renderer's limits; a 100,000-column table gave 2 MB of HTML for its
// header alone, and as much again for each row.
var pathological = map[string]struct {
	body, msg string
}{
	"10k headings":      {strings.Repeat("# a\n", 10000), "dòng 2001: nội dung có quá 2.000 tiêu đề (giới hạn 2.000 tiêu đề)"},
	"100k-column table": {"|" + strings.Repeat("a|", 100000) + "\n|" + strings.Repeat("-|", 100000) + "\n", "dòng 2: bảng có 100.000 cột (giới hạn 64 cột)"},
}

// TestPathologicalSaveRefused: a body past the renderer's limits is a
// problem with the body field, nothing is written, and a normal save made
// at the same moment by another editor completes at once.
func TestPathologicalSaveRefused(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	editor := publish.Actor{Name: "lan", Role: auth.Editor}
	for name, p := range pathological {
		t.Run(name, func(t *testing.T) {
			refused := make(chan error, 1)
			go func() {
				_, _, err := e.pub.Save(ctx, editor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bài " + name, Body: p.body}})
				refused <- err
			}()
			start := time.Now()
			if _, _, err := e.pub.Save(ctx, editor, publish.SaveRequest{Item: draftArticle("Tin bình thường " + name)}); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			err := <-refused
			var errs content.Errors
			if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Field != "body" || errs[0].Msg != p.msg {
				t.Fatalf("pathological save: %v, want the body field's %q", err, p.msg)
			}
			if n := count(t, e.st, `SELECT COUNT(*) FROM items WHERE title = ?`, "Bài "+name); n != 0 {
				t.Errorf("the refused body was stored (%d rows)", n)
			}
			// Generous: a normal save takes milliseconds; behind the
			// pathological one it waited for its whole rendering.
			if took > 2*time.Second {
				t.Errorf("the normal save took %v", took)
			}
			t.Logf("normal save beside %s: %v", name, took.Round(time.Millisecond))
		})
	}
}

// TestSlowRenderDoesNotHoldTheWriter: a body that takes long to render
// (here 8 MB under a renderer with raised limits: over a second) is
// rendered before its transaction begins, so another editor's save made
// meanwhile is written first instead of waiting behind it.
func TestSlowRenderDoesNotHoldTheWriter(t *testing.T) {
	ctx := context.Background()
	st := store.New(testsupport.Database(t))
	lenient := markdown.DefaultLimits
	lenient.Headings, lenient.HTMLBytes, lenient.Time = 1<<30, 1<<30, time.Minute
	slow := publish.New(st, markdown.NewWithLimits(lenient), publog.New(st, nil), st, nil, nil)
	normal := publish.New(st, markdown.New(), publog.New(st, nil), st, nil, nil)
	editor := publish.Actor{Name: "lan", Role: auth.Editor}

	body := strings.Repeat("## Mục\n\nĐoạn văn với **chữ đậm**, [liên kết](https://a.vn) và Quyết định 1256/QĐ-UBND ngày 22/12/2021.\n\n", 64000)
	type done struct {
		at  time.Time
		err error
	}
	slowDone := make(chan done, 1)
	start := time.Now()
	go func() {
		_, _, err := slow.Save(ctx, editor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bài rất dài", Body: body}})
		slowDone <- done{time.Now(), err}
	}()
	// Let the slow save get going: before the change it was inside its
	// transaction by now, rendering (8 MB take over 250 ms even on a fast
	// machine).
	time.Sleep(50 * time.Millisecond)
	if _, _, err := normal.Save(ctx, editor, publish.SaveRequest{Item: draftArticle("Tin ngắn")}); err != nil {
		t.Fatal(err)
	}
	normalAt := time.Now()
	// Had the normal save waited for the writer, the long article would
	// be stored by now.
	if n := count(t, st, `SELECT COUNT(*) FROM items WHERE title = 'Bài rất dài'`); n != 0 {
		t.Errorf("the long article was stored before the normal save returned: it waited for the rendering")
	}
	s := <-slowDone
	if s.err != nil {
		t.Fatalf("slow save: %v", s.err)
	}
	t.Logf("normal save done after %v, the %d-byte body saved after %v",
		normalAt.Sub(start).Round(time.Millisecond), len(body), s.at.Sub(start).Round(time.Millisecond))
	if n := count(t, st, `SELECT COUNT(*) FROM items`); n != 2 {
		t.Errorf("%d items, want 2", n)
	}
}

func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := st.Tx(t.Context(), func(tx *sql.Tx) error { return tx.QueryRow(query, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRefreshSkipsItemsPastLimits: when a document arrives, the items
// citing it are re-rendered outside the write transaction; one stored
// under raised limits that the renderer now refuses keeps its page as it
// was, and does not stop the others from being linked.
func TestRefreshSkipsItemsPastLimits(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	lenient := markdown.DefaultLimits
	lenient.Headings = 1 << 20
	old := publish.New(e.st, markdown.NewWithLimits(lenient), publog.New(e.st, e.clock), e.st, e.clock, nil)
	editor := publish.Actor{Name: "lan", Role: auth.Editor}
	big, _, err := old.Save(ctx, editor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bài cũ rất dài",
		Body: "Theo Quyết định 9/QĐ-UBND.\n\n" + strings.Repeat("# a\n", 3000)}})
	if err != nil {
		t.Fatal(err)
	}
	small, _, err := e.pub.Save(ctx, editor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bài ngắn",
		Body: "Theo Quyết định 9/QĐ-UBND."}})
	if err != nil {
		t.Fatal(err)
	}
	res := e.importFS(t, fstest.MapFS{"documents/9-qd-ubnd.md": file(decision9)})
	if res.Rerendered != 1 {
		t.Errorf("re-rendered %d items, want 1", res.Rerendered)
	}
	got, err := e.st.ItemByID(ctx, small.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.HTML, `href="/van-ban/9-qd-ubnd"`) {
		t.Errorf("the short article does not link the document: %s", got.HTML)
	}
	got, err = e.st.ItemByID(ctx, big.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.HTML != big.HTML {
		t.Error("the item past the limits was changed")
	}
	if n, err := e.pub.RefreshRefs(ctx); err != nil || n != 0 {
		t.Errorf("RefreshRefs = %d, %v; want 0, nil", n, err)
	}
}

// TestImportDoesNotHoldTheWriter: an import renders its files outside any
// write transaction and writes them chunk by chunk, so an editor's save
// made while a large import renders is written at once, not after it.
func TestImportDoesNotHoldTheWriter(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	fsys := fstest.MapFS{}
	// 300 files of 60 KB: two chunks, the first some 15 MB to render.
	// The save comes once the files are parsed (before the change, the
	// import's transaction had begun by then); the whole import takes
	// far longer than that, even on a fast machine.
	body := strings.Repeat("## Mục\n\nĐoạn văn với **chữ đậm**, [liên kết](https://a.vn) và Quyết định 1256/QĐ-UBND ngày 22/12/2021.\n\n", 480)
	const files = 300
	for i := range files {
		fsys["articles/bai-"+strconv.Itoa(i)+".md"] = file("---\ntitle: Bài " + strconv.Itoa(i) + "\ndate: 2022-05-02\n---\n" + body)
	}
	type done struct {
		res *publish.ImportResult
		err error
	}
	imported := make(chan done, 1)
	start := time.Now()
	go func() {
		res, err := e.pub.Import(ctx, fsys, "content")
		imported <- done{res, err}
	}()
	time.Sleep(300 * time.Millisecond)
	editor := publish.Actor{Name: "lan", Role: auth.Editor}
	if _, _, err := e.pub.Save(ctx, editor, publish.SaveRequest{Item: draftArticle("Tin trong lúc nhập")}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	// Had the save waited for the writer, the whole import would be
	// stored by now.
	seen := count(t, e.st, `SELECT COUNT(*) FROM items WHERE source_path <> ''`)
	if seen == files {
		t.Errorf("the whole import was stored before the save returned: the save waited for it")
	}
	d := <-imported
	if d.err != nil || d.res.Added != files || d.res.Failed != 0 {
		t.Fatalf("import: %+v, %v", d.res, d.err)
	}
	t.Logf("save done after %v with %d of %d imported files stored; import done after %v",
		took.Round(time.Millisecond), seen, files, time.Since(start).Round(time.Millisecond))
}
