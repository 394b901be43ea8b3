package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// tally counts what happened to the shared items, safely from many
// goroutines.
type tally struct {
	mu sync.Mutex
	// writes is the number of successful writes (saves, workflow steps,
	// scheduled publications) per item: each must be one version.
	writes map[int64]int
	// statuses counts every HTTP status seen.
	statuses map[int]int
	// conflicts, of which stale are deliberately stale versions.
	conflicts, stale int
	// problems are failures to report.
	problems []string
}

func (t *tally) wrote(id int64) {
	t.mu.Lock()
	t.writes[id]++
	t.mu.Unlock()
}

func (t *tally) status(code int, what string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.statuses[code]++
	if code >= 500 {
		t.problems = append(t.problems, fmt.Sprintf("%s: status %d", what, code))
	}
}

func (t *tally) conflict(stale bool) {
	t.mu.Lock()
	t.conflicts++
	if stale {
		t.stale++
	}
	t.mu.Unlock()
}

func (t *tally) problem(format string, args ...any) {
	t.mu.Lock()
	t.problems = append(t.problems, fmt.Sprintf(format, args...))
	t.mu.Unlock()
}

// unexpected reports an error no user may ever see: anything but a
// conflict or a step that no longer applies. SQLITE_BUSY would land here.
func (t *tally) unexpected(what string, err error) {
	t.problem("%s: %v", what, err)
}

// TestConcurrency has goroutines save the same and different articles
// (in-process and over HTTP, some with deliberately stale versions),
// publish and unpublish them, schedule them while the scheduler runs, and
// read the public pages through the real handler, all at once. No update
// may be lost (each item's version is one plus its successful writes, and
// it has one revision per version), every stale save is a conflict (409
// over HTTP), and no SQLITE_BUSY or 5xx ever comes out. .ci/run also runs
// it under the race detector.
func TestConcurrency(t *testing.T) {
	ctx := context.Background()
	env := testsupport.Demo(t, config.Defaults, nil)
	ts := httptest.NewServer(testsupport.Handler(t, env))
	defer ts.Close()
	for _, name := range []string{"duyet1", "duyet2"} {
		testsupport.AddUser(t, env, name, auth.Approver, time.Now())
	}
	who := publish.Actor{Name: "duyet0", Role: auth.Approver}

	// The shared articles: hot ones everybody writes, and one per
	// in-process saver that only it writes.
	mk := func(title string) int64 {
		it, _, err := env.Publish.Save(ctx, who, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: title,
			Body: "Nội dung ban đầu.\n", Areas: []string{"II.1"}}})
		if err != nil {
			t.Fatal(err)
		}
		return it.ID
	}
	var hot, all []int64
	for i := range 4 {
		hot = append(hot, mk(fmt.Sprintf("Bài dùng chung %d", i)))
	}
	all = append(all, hot...)
	const savers = 4
	own := make([]int64, savers)
	for i := range own {
		own[i] = mk(fmt.Sprintf("Bài riêng của người sửa %d", i))
		all = append(all, own[i])
	}
	before := map[int64]int{}
	for _, id := range all {
		it, err := env.Store.ItemByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = it.Version
	}

	ops := 80
	if raceEnabled {
		ops = 12
	}
	tl := &tally{writes: map[int64]int{}, statuses: map[int]int{}}
	current := func(id int64) *store.Item {
		it, err := env.Store.ItemByID(ctx, id)
		if err != nil {
			tl.unexpected("read item", err)
			return nil
		}
		return it
	}
	var seq atomic.Int64
	title := func(prefix string) string { return fmt.Sprintf("%s %d", prefix, seq.Add(1)) }

	var wg sync.WaitGroup
	stopReaders := make(chan struct{})
	start := time.Now()

	// In-process savers: the shared items and their own, one in four
	// with a version that is already stale.
	for g := range savers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 10))
			for i := range ops {
				id := hot[rng.IntN(len(hot))]
				if i%3 == 2 {
					id = own[g]
				}
				cur := current(id)
				if cur == nil {
					return
				}
				stale := rng.IntN(4) == 0
				version := cur.Version
				if stale {
					version--
				}
				it := cur.Item
				it.Title = title("Bài sửa đồng thời")
				it.Body = fmt.Sprintf("Lần sửa %d của người sửa %d.\n", i, g)
				_, _, err := env.Publish.Save(ctx, who, publish.SaveRequest{ID: id, Version: version, Item: it})
				var ce *publish.ConflictError
				switch {
				case err == nil && stale:
					tl.problem("stale save of item %d (version %d, stored %d) was accepted", id, version, cur.Version)
				case err == nil:
					tl.wrote(id)
				case errors.As(err, &ce):
					tl.conflict(stale)
				default:
					tl.unexpected("save", err)
				}
			}
		})
	}

	// HTTP savers: two approvers on the shared items through the admin.
	for g, name := range []string{"duyet1", "duyet2"} {
		ed := newEditor(ts.URL)
		if err := ed.login(name, testsupport.Password); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 20))
			for i := range ops {
				id := hot[rng.IntN(len(hot))]
				cur := current(id)
				if cur == nil {
					return
				}
				stale := rng.IntN(4) == 0
				version := cur.Version
				if stale {
					version--
				}
				form := articleForm(title("Bài sửa qua trang quản trị"), fmt.Sprintf("Lần sửa %d qua HTTP.\n", i), version)
				form.Set("slug", cur.Slug)
				st, _, err := ed.post("/quan-tri/tin-bai/"+strconv.FormatInt(id, 10), form)
				if err != nil {
					tl.unexpected("HTTP save", err)
					return
				}
				tl.status(st, "HTTP save")
				switch {
				case st == http.StatusSeeOther && stale:
					tl.problem("stale HTTP save of item %d was accepted", id)
				case st == http.StatusSeeOther:
					tl.wrote(id)
				case st == http.StatusConflict:
					tl.conflict(stale)
				default:
					tl.problem("HTTP save of item %d: status %d", id, st)
				}
			}
		})
	}

	// A publisher: publish drafts, unpublish published items.
	wg.Go(func() {
		rng := rand.New(rand.NewPCG(1, 30))
		for range ops {
			id := hot[rng.IntN(len(hot))]
			cur := current(id)
			if cur == nil {
				return
			}
			act := auth.ActPublish
			if cur.Status == store.Published {
				act = auth.ActUnpublish
			}
			_, err := env.Publish.Transition(ctx, who, publish.TransitionRequest{ID: id, Version: cur.Version, Action: act})
			var ce *publish.ConflictError
			switch {
			case err == nil:
				tl.wrote(id)
			case errors.As(err, &ce):
				tl.conflict(false)
			case errors.Is(err, auth.ErrState):
			default:
				tl.unexpected(string(act), err)
			}
		}
	})

	// Scheduling: publications a few milliseconds ahead, and the
	// scheduler (PublishDue) running all the time, as serve runs it.
	wg.Go(func() {
		rng := rand.New(rand.NewPCG(1, 40))
		for range ops {
			id := hot[rng.IntN(len(hot))]
			cur := current(id)
			if cur == nil {
				return
			}
			if cur.Status == store.Published && cur.Live {
				continue
			}
			at := time.Now().Add(time.Duration(5+rng.IntN(40)) * time.Millisecond)
			_, err := env.Publish.Transition(ctx, who, publish.TransitionRequest{ID: id, Version: cur.Version, Action: auth.ActPublish, At: at})
			var ce *publish.ConflictError
			switch {
			case err == nil:
				tl.wrote(id)
			case errors.As(err, &ce):
				tl.conflict(false)
			case errors.Is(err, auth.ErrState):
			default:
				tl.unexpected("schedule", err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	schedulerDone := make(chan struct{})
	go func() {
		defer close(schedulerDone)
		for {
			done, err := env.Publish.PublishDue(ctx)
			for _, it := range done {
				tl.wrote(it.ID)
			}
			if err != nil {
				tl.unexpected("PublishDue", err)
			}
			select {
			case <-stopReaders:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	// Readers of the public pages, through the real handler.
	paths := []string{"/", "/tin-tuc/", "/thu-tuc-hanh-chinh/", "/van-ban/", "/chu-de/", "/rss.xml", "/feed.json",
		"/sitemap.xml", "/tim-kiem?q=" + url.QueryEscape("bài sửa"), "/tim-kiem?q=" + url.QueryEscape("thủ tục")}
	var reads atomic.Int64
	var readers sync.WaitGroup
	for g := range 4 {
		readers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 50))
			c := &http.Client{Timeout: 30 * time.Second}
			for {
				select {
				case <-stopReaders:
					return
				default:
				}
				p := paths[rng.IntN(len(paths))]
				if rng.IntN(3) == 0 {
					if it := current(hot[rng.IntN(len(hot))]); it != nil {
						p = it.URL()
					}
				}
				res, err := c.Get(ts.URL + p)
				if err != nil {
					tl.unexpected("GET "+p, err)
					return
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				tl.status(res.StatusCode, "GET "+p)
				if strings.Contains(string(b), "SQLITE_BUSY") || strings.Contains(string(b), "database is locked") {
					tl.problem("GET %s: a busy database showed through", p)
				}
				reads.Add(1)
			}
		})
	}

	wg.Wait()
	// Let the last scheduled publications fall due.
	time.Sleep(60 * time.Millisecond)
	close(stopReaders)
	readers.Wait()
	<-schedulerDone
	done, err := env.Publish.PublishDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range done {
		tl.wrote(it.ID)
	}
	took := time.Since(start)

	for _, p := range tl.problems {
		t.Error(p)
	}
	// No lost update: every successful write is exactly one version.
	writes := 0
	for _, id := range all {
		it, err := env.Store.ItemByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := it.Version, before[id]+tl.writes[id]; got != want {
			t.Errorf("item %d: version %d after %d successful writes from version %d: lost or phantom update", id, got, tl.writes[id], before[id])
		}
		writes += it.Version - before[id]
	}
	if bad := checkHalfDone(ctx, env.DB.Read); len(bad) > 0 {
		t.Errorf("half-done changes: %v", bad)
	}
	check, err := publog.New(env.Store, nil).Verify(ctx)
	if err != nil || !check.OK() {
		t.Errorf("log verify: %v %v", err, check)
	}
	if tl.stale == 0 {
		t.Error("no stale save was tried")
	}
	t.Logf("%v: %d writes committed, %d conflicts (%d deliberately stale, all refused), %d page reads; HTTP statuses %v",
		took.Round(time.Millisecond), writes, tl.conflicts, tl.stale, reads.Load(), tl.statuses)
}
