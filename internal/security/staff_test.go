package security_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/testsupport"
	"cchc/internal/web"
)

// reportRoutes are a request to every route under /bao-cao/ that measures
// a year: the dashboard, its exports, the print, the draft, the
// province's roll-up and its exports and print.
var reportRoutes = []string{
	"/bao-cao/?nam=2022", "/bao-cao/2022.csv", "/bao-cao/2022.xlsx", "/bao-cao/2022.docx", "/bao-cao/2022.docx?cap=so",
	"/bao-cao/in?nam=2022", "/bao-cao/du-thao?nam=2022",
	"/bao-cao/tinh?nam=2022", "/bao-cao/tinh/2022.csv", "/bao-cao/tinh/2022.xlsx", "/bao-cao/tinh/2022.docx", "/bao-cao/tinh/in?nam=2022",
}

// TestReportsTakeTurns: every report route is served in one of the
// service's report turns (app.Env.Reports). With all the turns held, a
// request to each of them, sent at once by a logged-in admin, waits: none
// is answered until the turns are given back, then each is a 200.
// Before, nothing bounded them: a burst of 8 dashboards of the
// 10,000-item benchmark took both cores at once, 2.5 s each (p50), the
// workspace's other pages 96 ms (p50, 397 ms at worst), RSS 90 → 185 MiB;
// in turns 1.1 s, 7 ms (37 ms), 93 → 122 MiB.
func TestReportsTakeTurns(t *testing.T) {
	s := newSite(t)
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	b := newClient(t, srv.URL)
	b.Login(adminName, testsupport.Password)
	turns := s.env.Reports
	giveBack := holdTurns(t, turns)
	type answer struct {
		path   string
		status int
	}
	answers := make(chan answer, len(reportRoutes))
	for _, p := range reportRoutes {
		go func() {
			st, _ := b.Get(p)
			answers <- answer{p, st}
		}()
	}
	for turns.Waiting() < len(reportRoutes) {
		select {
		case a := <-answers:
			t.Fatalf("%s answered %d while every report turn was held", a.path, a.status)
		case <-time.After(time.Millisecond):
		}
	}
	giveBack()
	for range reportRoutes {
		if a := <-answers; a.status != http.StatusOK {
			t.Errorf("%s: %d", a.path, a.status)
		}
	}
	// A client may have read its whole answer before the handler
	// returned and gave its turn back.
	for end := time.Now().Add(10 * time.Second); turns.Busy() != 0 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
	if turns.Busy() != 0 || turns.Waiting() != 0 {
		t.Errorf("%d turns taken, %d waiting after the burst", turns.Busy(), turns.Waiting())
	}
	// The workspace's other pages take no turn.
	for range turns.Size() {
		release, _ := turns.Take(nil)
		defer release()
	}
	if st, _ := b.Get("/quan-tri/"); st != http.StatusOK {
		t.Errorf("the workspace's home while the reports are busy: %d", st)
	}
}

// holdTurns takes every one of turns and returns the function giving them
// back (once; a failing test gives them back too, so that the requests
// waiting for them end).
func holdTurns(t *testing.T, turns *web.Turns) func() {
	t.Helper()
	var held []func()
	giveBack := func() {
		for _, release := range held {
			release()
		}
		held = nil
	}
	t.Cleanup(giveBack)
	for range turns.Size() {
		release, ok := turns.Take(nil)
		if !ok {
			t.Fatal("a free turn was not given")
		}
		held = append(held, release)
	}
	return giveBack
}

// TestItemRendersTakeTurns: creating, saving and previewing an item each
// render its body, and wait for one of the render turns (app.Env.Renders)
// to do so: with all of them held, none of the three is answered; given
// back, each is. Before, nothing bounded them: 8 previews at once of a
// body of 200,000 "[a](" (800 KB) took RSS from 113 to 790 MiB, and all
// 16 of the burst were refused past the renderer's 5 s deadline (one
// alone renders in 1.3 s); in turns RSS 67 → 272 MiB, all 16 rendered,
// the workspace's other pages 13 ms (p50) instead of 91 ms.
func TestItemRendersTakeTurns(t *testing.T) {
	s := newSite(t)
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	b := newClient(t, srv.URL)
	b.Login(adminName, testsupport.Password)
	it, _, err := s.env.Publish.Save(context.Background(), publish.Actor{Name: adminName, Role: auth.Admin},
		publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bài để lưu", Body: "Đoạn một.", Areas: []string{"II.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(it.ID, 10)
	form := func(path string) url.Values {
		return url.Values{"title": {"Bài đang gõ ở " + path}, "body": {"Đoạn **đậm**."}, "areas": {"II.1"}, "id": {id}, "version": {strconv.Itoa(it.Version)}}
	}
	routes := map[string]int{"/quan-tri/tin-bai/moi": http.StatusSeeOther, "/quan-tri/tin-bai/xem-truoc": http.StatusOK, "/quan-tri/tin-bai/" + id: http.StatusSeeOther}
	turns := s.env.Renders
	giveBack := holdTurns(t, turns)
	type answer struct {
		path   string
		status int
	}
	answers := make(chan answer, len(routes))
	for p := range routes {
		go func() {
			st, _, _ := b.Post(p, form(p))
			answers <- answer{p, st}
		}()
	}
	for turns.Waiting() < len(routes) {
		select {
		case a := <-answers:
			t.Fatalf("%s answered %d while every render turn was held", a.path, a.status)
		case <-time.After(time.Millisecond):
		}
	}
	giveBack()
	for range routes {
		if a := <-answers; a.status != routes[a.path] {
			t.Errorf("%s: %d, want %d", a.path, a.status, routes[a.path])
		}
	}
}
