package security_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"cchc/internal/testsupport"
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
	var held []func()
	giveBack := func() {
		for _, release := range held {
			release()
		}
		held = nil
	}
	defer giveBack() // a failure lets the waiting requests end
	for range turns.Size() {
		release, ok := turns.Take(nil)
		if !ok {
			t.Fatal("a free turn was not given")
		}
		held = append(held, release)
	}
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
