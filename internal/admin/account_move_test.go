package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"cchc/internal/admin"
	"cchc/internal/auth"
)

// TestAccountMove: a root agency's admin moves an account to another
// agency from the account's page: the account is the other agency's, out
// of its unit, every session it had ends, one audit row says from where
// to where, and the drafts it wrote stay with their agency (its new
// agency's editor does not reach them, the old agency's still does).
// An agency's own admin is refused (403), its screen has no such form,
// an approver is refused by the route, nobody moves their own account,
// an unknown agency is a 422 on the field, and a burst of 30 moves of
// one account leaves it in one agency with one audit row per move that
// happened.
func TestAccountMove(t *testing.T) {
	s := newAgencyServer(t)
	ed := s.users[auth.Editor]
	s.setUnit(ed.Name, s.unitName(t))
	draft := stateFixture(t, s.server, auth.StateDraft, "Bản nháp của Sở KH&CN")
	edSe := s.login(auth.Editor)
	if res := s.get(edSe, editPath(draft)); res.StatusCode != http.StatusOK {
		t.Fatalf("the editor opening its draft before the move: %d", res.StatusCode)
	}
	ad1 := s.login(auth.Admin)
	path := fmt.Sprintf("%s/%d", admin.UsersPath, ed.ID)
	if body := s.get(ad1, path).body; !strings.Contains(body, path+"/co-quan") || !strings.Contains(body, `value="so-tu-phap"`) {
		t.Error("the root agency's admin sees no form to move the account")
	}
	ad2 := s.loginStaff(auth.Admin)
	stpEd := fmt.Sprintf("%s/%d", admin.UsersPath, s.staff[auth.Editor].ID)
	if body := s.get(ad2, stpEd).body; strings.Contains(body, "/co-quan") {
		t.Error("an agency's own admin is offered the move")
	}
	ap2, ap1 := s.loginStaff(auth.Approver), s.login(auth.Approver)
	before := s.auditCount(t) // logins write audit rows too: counted after them
	for _, c := range []struct {
		name   string
		se     session
		path   string
		agency string
		want   int
	}{
		{"agency 2's admin, its own editor", ad2, stpEd, "so-khcn", http.StatusForbidden},
		{"agency 2's admin, agency 1's editor", ad2, path, "so-tu-phap", http.StatusNotFound},
		{"agency 2's approver", ap2, stpEd, "so-khcn", http.StatusForbidden},
		{"agency 1's approver", ap1, path, "so-tu-phap", http.StatusForbidden},
		{"the root's admin, itself", ad1, fmt.Sprintf("%s/%d", admin.UsersPath, s.users[auth.Admin].ID), "so-tu-phap", http.StatusUnprocessableEntity},
		{"an unknown agency", ad1, path, "so-khong-co", http.StatusUnprocessableEntity},
		{"no agency", ad1, path, "", http.StatusUnprocessableEntity},
	} {
		if res := s.post(c.se, c.path+"/co-quan", url.Values{"agency": {c.agency}}); res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, res.StatusCode, c.want)
		}
	}
	if n := s.auditCount(t); n != before || s.agencyOf(t, ed.ID) != 1 || s.agencyOf(t, s.staff[auth.Editor].ID) != s.other {
		t.Fatal("a refused move wrote something")
	}

	res := s.post(ad1, path+"/co-quan", url.Values{"agency": {"so-tu-phap"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the move: %d\n%.800s", res.StatusCode, res.body)
	}
	if s.agencyOf(t, ed.ID) != s.other {
		t.Error("the account is not agency 2's")
	}
	var unit any
	if err := s.env.DB.Read.QueryRow(`SELECT unit_id FROM users WHERE id = ?`, ed.ID).Scan(&unit); err != nil || unit != nil {
		t.Errorf("the account's unit after the move: %v %v, want none", unit, err)
	}
	var sessions int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM sessions WHERE user_id = ?`, ed.ID).Scan(&sessions); err != nil || sessions != 0 {
		t.Errorf("%d sessions left (%v)", sessions, err)
	}
	if res := s.get(edSe, editPath(draft)); res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), admin.LoginPath) {
		t.Errorf("the old session after the move: %d to %q, want the login page", res.StatusCode, res.Header.Get("Location"))
	}
	var detail string
	if err := s.env.DB.Read.QueryRow(`SELECT detail FROM audit_log WHERE action = 'user_change' AND target = ? ORDER BY id DESC LIMIT 1`,
		"user:"+ed.Name).Scan(&detail); err != nil || !strings.Contains(detail, "cơ quan: Sở Khoa học") || !strings.Contains(detail, "→ Sở Tư pháp tỉnh Quảng Ngãi") {
		t.Errorf("the audit row: %q %v", detail, err)
	}
	if n := s.auditCount(t); n != before+1 {
		t.Errorf("%d audit rows written, want 1", n-before)
	}
	// The draft stays agency 1's: its editor there still opens it, the
	// moved editor (logged in again, now agency 2's) does not.
	var draftAgency int64
	if err := s.env.DB.Read.QueryRow(`SELECT agency_id FROM items WHERE id = ?`, draft.ID).Scan(&draftAgency); err != nil || draftAgency != 1 {
		t.Errorf("the draft's agency after the move: %d %v", draftAgency, err)
	}
	moved := s.loginAs(ed.Name) // an audit row, after the count above
	if res := s.get(moved, editPath(draft)); res.StatusCode != http.StatusNotFound {
		t.Errorf("the moved editor opening the old agency's draft: %d, want 404", res.StatusCode)
	}
	if res := s.get(ad1, editPath(draft)); res.StatusCode != http.StatusOK {
		t.Errorf("agency 1's admin opening the draft: %d", res.StatusCode)
	}

	// A burst: 30 moves of the same account at once, alternating agencies.
	before = s.auditCount(t)
	var wg sync.WaitGroup
	codes := make([]int, 30)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			to := []string{"so-khcn", "so-tu-phap"}[i%2]
			codes[i] = s.post(ad1, path+"/co-quan", url.Values{"agency": {to}}).StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther && c != http.StatusUnprocessableEntity {
			t.Errorf("move %d of the burst: %d", i, c)
		}
	}
	moves := s.auditCount(t) - before
	var flips int
	last := s.other
	rows, err := s.env.DB.Read.Query(`SELECT detail FROM audit_log WHERE action = 'user_change' AND target = ? ORDER BY id DESC LIMIT ?`, "user:"+ed.Name, moves)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		flips++
	}
	rows.Close()
	if moves%2 == 1 {
		last = 1
	}
	if got := s.agencyOf(t, ed.ID); got != last || flips != moves {
		t.Errorf("after %d moves (audit rows) the account is agency %d's, want %d", moves, got, last)
	}
	t.Logf("burst of 30 moves: %d happened, each with its audit row", moves)
}

// auditCount is the number of audit rows.
func (s *agencyServer) auditCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := s.env.DB.Read.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// agencyOf is account id's agency.
func (s *agencyServer) agencyOf(t *testing.T, id int64) int64 {
	t.Helper()
	var a int64
	if err := s.env.DB.Read.QueryRow(`SELECT agency_id FROM users WHERE id = ?`, id).Scan(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

// unitName is the name of one of agency 1's units.
func (s *agencyServer) unitName(t *testing.T) string {
	t.Helper()
	var slug string
	if err := s.env.DB.Read.QueryRow(`SELECT name FROM units WHERE agency_id = 1 ORDER BY id LIMIT 1`).Scan(&slug); err != nil {
		t.Fatal(err)
	}
	return slug
}
