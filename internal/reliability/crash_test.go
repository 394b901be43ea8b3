package reliability_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"cchc/internal/database"
	"cchc/internal/testsupport"
)

// crashTrials is how many times the server is killed.
const crashTrials = 20

// crashItem is what the test knows of one article it writes: the state
// the server acknowledged, and the state of a request that got no answer
// (the server died under it), which may or may not have committed.
type crashItem struct {
	id      int64
	acked   itemState
	pending *itemState
}

// itemState is the part of an item the test changes and checks.
type itemState struct {
	version int
	title   string
	status  string
	live    bool
}

// crashWorker writes articles over HTTP until the server dies.
type crashWorker struct {
	n       int
	rng     *rand.Rand
	items   []*crashItem
	created []string // titles of creations that got no answer
	acked   int      // changes acknowledged (303) since the start
	// inDoubt counts requests cut off by a kill; landed, those of them
	// found committed after the restart (both outcomes are correct).
	inDoubt, landed int
	seq             int
}

// TestCrash kills the real server with SIGKILL at random moments while
// two editors create, edit and publish articles over HTTP, restarts it,
// and after each restart checks that the database is intact, the
// publication log verifies, every acknowledged change is there and no
// change is half made. The seed is logged; CCHC_CRASH_SEED replays it.
func TestCrash(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CCHC_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("CCHC_CRASH_SEED: %v", err)
		}
	}
	t.Logf("seed %d (replay with CCHC_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	data := filepath.Join(t.TempDir(), "data")
	addr := testsupport.FreeAddr(t)
	srv := startServer(t, data, addr)
	password := adminPassword(t, data)
	workers := []*crashWorker{
		{n: 1, rng: rand.New(rand.NewPCG(seed, 2))},
		{n: 2, rng: rand.New(rand.NewPCG(seed, 3))},
	}
	ed := make([]*editor, len(workers))
	for i := range ed {
		ed[i] = newEditor("http://" + addr)
		if err := ed[i].login("admin", password); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	verified := 0
	for trial := 1; trial <= crashTrials; trial++ {
		// Kill at a random moment while both editors write.
		delay := time.Duration(150+rng.IntN(1200)) * time.Millisecond
		var wg sync.WaitGroup
		errs := make([]error, len(workers))
		for i, w := range workers {
			wg.Go(func() { errs[i] = w.run(ed[i]) })
		}
		time.Sleep(delay)
		srv.kill()
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
		}
		// The database as the crash left it, before any restart.
		ctx := context.Background()
		db := testsupport.FileDB(t, filepath.Join(data, database.FileName), true)
		if err := integrity(ctx, db); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		n := 0
		for _, w := range workers {
			k, err := w.reconcile(ctx, db)
			if err != nil {
				t.Fatalf("trial %d (killed after %v): %v", trial, delay, err)
			}
			n += k
		}
		verified += n
		if bad := checkHalfDone(ctx, db); len(bad) > 0 {
			t.Fatalf("trial %d: half-done changes:\n%v", trial, bad)
		}
		db.Close()
		if code, out := logVerify(t, data); code != 0 {
			t.Fatalf("trial %d: cchc log verify: exit %d\n%s", trial, code, out)
		}
		srv = startServer(t, data, addr)
		for i := range ed {
			// Sessions live in the database: they survive the crash.
			if err := ed[i].refreshToken(); err != nil {
				t.Fatalf("trial %d: session after restart: %v", trial, err)
			}
		}
		acked := 0
		for _, w := range workers {
			acked += w.acked
		}
		t.Logf("trial %d: killed after %v; %d changes acknowledged so far, %d items checked", trial, delay, acked, n)
	}
	srv.kill()
	acked, inDoubt, landed := 0, 0, 0
	for _, w := range workers {
		acked += w.acked
		inDoubt += w.inDoubt
		landed += w.landed
	}
	t.Logf("%d requests were cut off by a kill: %d had committed, %d had not", inDoubt, landed, inDoubt-landed)
	t.Logf("%d kills in %v: %d changes acknowledged (creations, edits, publications), item states checked %d times after restarts; integrity_check ok, log verify ok, no half-done change",
		crashTrials, time.Since(start).Round(time.Millisecond), acked, verified)
}

// run creates, edits and publishes articles until a request fails (the
// server was killed). A request answered with anything but the redirect
// of a success is an error.
func (w *crashWorker) run(e *editor) error {
	for {
		w.seq++
		title := fmt.Sprintf("Tin thử độ bền %d-%d-%d", w.n, w.seq, w.rng.IntN(1_000_000))
		body := fmt.Sprintf("Đoạn một của bài %s.\n\nĐoạn hai, lần sửa %d.\n", title, w.seq)
		var it *crashItem
		if len(w.items) > 0 && w.rng.IntN(4) > 0 {
			it = w.items[w.rng.IntN(len(w.items))]
		}
		switch {
		case it == nil:
			w.created = append(w.created, title)
			id, st, err := e.createArticle(title, body)
			if err != nil {
				return nil
			}
			if st != http.StatusSeeOther {
				return fmt.Errorf("create %q: status %d", title, st)
			}
			w.created = w.created[:len(w.created)-1]
			w.items = append(w.items, &crashItem{id: id, acked: itemState{version: 1, title: title, status: "draft"}})
		case it.acked.status == "draft" && w.rng.IntN(2) == 0:
			next := it.acked
			next.version++
			next.status, next.live = "published", true
			it.pending = &next
			st, _, err := e.post(fmt.Sprintf("/quan-tri/tin-bai/%d/xuat-ban", it.id), urlValues("version", strconv.Itoa(it.acked.version)))
			if err != nil {
				return nil
			}
			if st != http.StatusSeeOther {
				return fmt.Errorf("publish %d: status %d", it.id, st)
			}
			it.acked, it.pending = next, nil
		default:
			next := it.acked
			next.version++
			next.title = title
			it.pending = &next
			st, _, err := e.post(fmt.Sprintf("/quan-tri/tin-bai/%d", it.id), articleForm(title, body, it.acked.version))
			if err != nil {
				return nil
			}
			if st != http.StatusSeeOther {
				return fmt.Errorf("edit %d: status %d", it.id, st)
			}
			it.acked, it.pending = next, nil
		}
		w.acked++
	}
}

// reconcile checks the worker's items against the database after a crash:
// each is as acknowledged, or as its unanswered request would have made
// it; an unanswered creation may exist or not. The test's view then
// follows the database. It returns the number of items checked.
func (w *crashWorker) reconcile(ctx context.Context, db *sql.DB) (int, error) {
	read := func(q string, arg any) (int64, itemState, error) {
		var (
			id int64
			s  itemState
		)
		err := db.QueryRowContext(ctx, `SELECT id, version, title, status, live FROM items WHERE `+q, arg).
			Scan(&id, &s.version, &s.title, &s.status, &s.live)
		return id, s, err
	}
	for _, it := range w.items {
		_, got, err := read(`id = ?`, it.id)
		if err != nil {
			return 0, fmt.Errorf("item %d (acknowledged as %+v): %w", it.id, it.acked, err)
		}
		if it.pending != nil {
			w.inDoubt++
		}
		switch {
		case got == it.acked:
		case it.pending != nil && got == *it.pending:
			it.acked = got
			w.landed++
		default:
			return 0, fmt.Errorf("item %d is %+v; acknowledged %+v, unanswered request %+v", it.id, got, it.acked, it.pending)
		}
		it.pending = nil
	}
	for _, title := range w.created {
		w.inDoubt++
		id, got, err := read(`title = ?`, title)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return 0, err
		case got != itemState{version: 1, title: title, status: "draft"}:
			return 0, fmt.Errorf("unanswered creation %q is %+v", title, got)
		default:
			w.landed++
			w.items = append(w.items, &crashItem{id: id, acked: got})
		}
	}
	w.created = nil
	return len(w.items), nil
}

// urlValues is a form of key, value pairs.
func urlValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
