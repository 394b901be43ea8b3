package admin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/store"
)

// stepRoute is where the workspace takes each step: the segment posted
// to under the item's address ("" is the address itself, a save).
var stepRoute = map[auth.Action]string{
	auth.ActSave: "", auth.ActSubmit: "/gui-duyet", auth.ActReject: "/tra-lai", auth.ActPublish: "/xuat-ban",
	auth.ActSchedule: "/hen-gio", auth.ActWithdraw: "/go-bo", auth.ActRepublish: "/dang-lai",
	auth.ActUnpublish: "/thoi-xuat-ban", auth.ActDelete: "/xoa", auth.ActRestore: "/khoi-phuc",
}

// rowStep is how a list row (or the trash's) offers a step, when it does:
// a form posting to the step or a link to where it is done.
var rowStep = map[auth.Action]string{
	auth.ActSubmit: `action="%s/gui-duyet"`, auth.ActReject: `href="%s#tra-lai"`, auth.ActPublish: `href="%s#xuat-ban"`,
	auth.ActWithdraw: `href="%s#go-bo"`, auth.ActRepublish: `action="%s/dang-lai"`, auth.ActDelete: `href="%s/xoa"`,
	auth.ActRestore: `action="%s/khoi-phuc"`,
}

// permissionTable reads auth's testdata/permissions.txt (its format is
// described there): by review setting and step, one cell per state in
// auth.States order, one letter per role in auth.Roles order.
func permissionTable(t *testing.T) map[bool]map[auth.Action][]string {
	t.Helper()
	b, err := os.ReadFile("../auth/testdata/permissions.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[bool]map[auth.Action][]string{}
	var cur map[auth.Action][]string
	for _, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		switch f := strings.Fields(line); {
		case len(f) == 0:
		case f[0] == "[review]" || f[0] == "[no-review]":
			cur = map[auth.Action][]string{}
			out[f[0] == "[review]"] = cur
		case cur != nil && len(f) == 1+len(auth.States):
			cur[auth.Action(f[0])] = f[1:]
		default:
			t.Fatalf("permissions.txt: %q", line)
		}
	}
	return out
}

// tableStatus is the status the table promises for role r taking act on
// an item in state st: a redirect (Y), 403 (F) or 409 (S).
func tableStatus(t *testing.T, table map[bool]map[auth.Action][]string, review bool, act auth.Action, st auth.State, r auth.Role) int {
	t.Helper()
	cells := table[review][act]
	if len(cells) != len(auth.States) {
		t.Fatalf("permissions.txt has no row for %s", act)
	}
	switch cells[slices.Index(auth.States, st)][slices.Index(auth.Roles, r)] {
	case 'Y':
		return http.StatusSeeOther
	case 'F':
		return http.StatusForbidden
	case 'S':
		return http.StatusConflict
	}
	t.Fatalf("permissions.txt: bad cell for %s %s %s", act, st, r)
	return 0
}

// stepForm is what a step's form carries besides the token and version.
func stepForm(act auth.Action, it *store.Item) url.Values {
	v := url.Values{"version": {ver(it)}}
	switch act {
	case auth.ActSave:
		v.Set("title", it.Title)
		v.Set("body", "Nội dung đã sửa.\n")
	case auth.ActReject, auth.ActWithdraw:
		v.Set("note", "Lý do thử nghiệm")
	case auth.ActSchedule:
		v.Set("at", "2026-03-10T08:00") // the test clock is 02/03/2026
	}
	return v
}

// pageButtons are the steps an item's edit page offers.
func pageButtons(body, base string) map[auth.Action]bool {
	got := map[auth.Action]bool{}
	for act, seg := range stepRoute {
		switch act {
		case auth.ActSave:
			got[act] = strings.Contains(body, `action="`+base+`"`) && strings.Contains(body, ">Lưu thay đổi</button>")
		case auth.ActDelete:
			got[act] = strings.Contains(body, `href="`+base+seg+`"`)
		default:
			got[act] = strings.Contains(body, `action="`+base+seg+`"`)
		}
	}
	return got
}

// rowButtons are the steps the row of the item at base offers in a list.
func rowButtons(body, base string) (map[auth.Action]bool, bool) {
	row := regexp.MustCompile(`(?s)<tr>\s*<td[^>]*><a href="` + regexp.QuoteMeta(base) + `">.*?</tr>`).FindString(body)
	got := map[auth.Action]bool{}
	for act, pattern := range rowStep {
		got[act] = row != "" && strings.Contains(row, fmt.Sprintf(pattern, base))
	}
	return got, row != ""
}

// stateFixture makes an article in state st, through the workflow.
func stateFixture(t *testing.T, s *server, st auth.State, title string) *store.Item {
	t.Helper()
	ctx := context.Background()
	ed := publish.Actor{Name: "editor", Role: auth.Editor}
	ap := publish.Actor{Name: "approver", Role: auth.Approver}
	it, _, err := s.env.Publish.Save(ctx, ed, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: title, Body: "Đoạn một.\n"}})
	if err != nil {
		t.Fatalf("save %s: %v", title, err)
	}
	var steps []publish.TransitionRequest
	switch st {
	case auth.StateSubmitted:
		steps = append(steps, publish.TransitionRequest{Action: auth.ActSubmit})
	case auth.StatePublished:
		steps = append(steps, publish.TransitionRequest{Action: auth.ActPublish})
	case auth.StateScheduled:
		steps = append(steps, publish.TransitionRequest{Action: auth.ActSchedule, At: s.clock.Now().Add(72 * time.Hour)})
	case auth.StateWithdrawn:
		steps = append(steps, publish.TransitionRequest{Action: auth.ActPublish}, publish.TransitionRequest{Action: auth.ActWithdraw, Note: "Đã cũ"})
	case auth.StateTrashed:
		steps = append(steps, publish.TransitionRequest{Action: auth.ActDelete})
	}
	for _, rq := range steps {
		rq.ID = it.ID
		who := ap
		if rq.Action == auth.ActSubmit {
			who = ed
		}
		if it, err = s.env.Publish.Transition(ctx, who, rq); err != nil {
			t.Fatalf("%s %s: %v", rq.Action, title, err)
		}
	}
	if got := publish.StateOf(it); got != st {
		t.Fatalf("%s is %s, want %s", title, got, st)
	}
	return it
}

// serviceStep takes act on it through the service, as the workspace would.
func serviceStep(s *server, role auth.Role, act auth.Action, it *store.Item) error {
	ctx := context.Background()
	who := publish.Actor{Name: string(role), Role: role}
	if act == auth.ActSave {
		edit := it.Item
		edit.Body = "Nội dung đã sửa.\n"
		_, _, err := s.env.Publish.Save(ctx, who, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: edit})
		return err
	}
	rq := publish.TransitionRequest{ID: it.ID, Version: it.Version, Action: act, Note: "Lý do thử nghiệm"}
	if act == auth.ActSchedule {
		rq.At = s.clock.Now().Add(8 * 24 * time.Hour)
	}
	_, err := s.env.Publish.Transition(ctx, who, rq)
	return err
}

// wantStatus is the workspace's answer to a step the service answered
// with err: a redirect when it was taken, 403 when the role may never
// take it, 409 when only the item's state stands in the way.
func wantStatus(t *testing.T, err error) int {
	t.Helper()
	switch {
	case err == nil:
		return http.StatusSeeOther
	case errors.Is(err, auth.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, auth.ErrState):
		return http.StatusConflict
	}
	t.Fatalf("the service failed: %v", err)
	return 0
}

// TestPermissionsAgree is issue 13's table: for every role, item state
// and step, under both review settings, the button the workspace shows
// (edit page, list row, trash), the service's answer and the route's
// status agree with each other and with auth's testdata/permissions.txt —
// shown ⇔ allowed ⇔ 2xx/3xx, else 403 when the role may not take the step
// and 409 when only the state forbids it; a step a role is refused in
// every state is a 403 in every state; a refused request changes nothing.
func TestPermissionsAgree(t *testing.T) {
	table := permissionTable(t)
	for _, review := range []bool{true, false} {
		t.Run(fmt.Sprintf("review=%v", review), func(t *testing.T) {
			s := newServerWith(t, func(c *serverConfig) { c.noReview = !review })
			sessions := map[auth.Role]session{}
			for _, r := range auth.Roles {
				sessions[r] = s.login(r)
			}
			allowed, refused := map[auth.Action]int{}, map[auth.Action]int{}
			// answers[role][step] are the route's answers in every state.
			answers := map[auth.Role]map[auth.Action][]int{}
			for _, r := range auth.Roles {
				answers[r] = map[auth.Action][]int{}
			}
			for _, st := range auth.States {
				type pair struct{ svc, web, rev *store.Item }
				items := map[auth.Role]map[auth.Action]pair{}
				for _, r := range auth.Roles {
					items[r] = map[auth.Action]pair{}
					for _, act := range auth.Actions {
						name := fmt.Sprintf("%s %s %s", st, r, act)
						p := pair{svc: stateFixture(t, s, st, "Dịch vụ "+name), web: stateFixture(t, s, st, "Đường dẫn "+name)}
						if act == auth.ActSave {
							p.rev = stateFixture(t, s, st, "Phiên bản "+name)
						}
						items[r][act] = p
					}
				}
				// Made last, so that it heads the trash (newest first).
				view := stateFixture(t, s, st, "Xem trạng thái "+string(st))
				for _, r := range auth.Roles {
					se := sessions[r]
					base := editPath(view)
					page := s.get(se, base)
					var shown map[auth.Action]bool
					switch {
					case page.StatusCode == http.StatusOK:
						shown = pageButtons(page.body, base)
					case page.StatusCode == http.StatusForbidden && r == auth.Viewer:
						shown = map[auth.Action]bool{}
					default:
						t.Fatalf("%s opening a %s item: %d", r, st, page.StatusCode)
					}
					var rows map[auth.Action]bool
					if r != auth.Viewer {
						list := "/quan-tri/tin-bai/?q=" + url.QueryEscape(view.Title)
						if st == auth.StateTrashed {
							list = "/quan-tri/thung-rac"
						}
						var found bool
						rows, found = rowButtons(s.get(se, list).body, base)
						if !found {
							t.Fatalf("%s: no row for the %s item in %s", r, st, list)
						}
					}
					for _, act := range auth.Actions {
						name := fmt.Sprintf("%s/%s/%s", st, r, act)
						p := items[r][act]
						svcErr := serviceStep(s, r, act, p.svc)
						ok := svcErr == nil
						if ok {
							allowed[act]++
						} else {
							refused[act]++
						}
						if shown[act] != ok {
							t.Errorf("%s: edit page shows the step: %v, service allows it: %v (%v)", name, shown[act], ok, svcErr)
						}
						if _, listed := rowStep[act]; listed && rows != nil && rows[act] != ok {
							t.Errorf("%s: list row offers the step: %v, service allows it: %v", name, rows[act], ok)
						}
						want := wantStatus(t, svcErr)
						if promised := tableStatus(t, table, review, act, st, r); want != promised {
							t.Errorf("%s: the service answered %v (%d); permissions.txt says %d", name, svcErr, want, promised)
						}
						before := s.itemsState()
						res := s.post(se, editPath(p.web)+stepRoute[act], stepForm(act, p.web))
						if res.StatusCode != want {
							t.Errorf("%s: route answered %d, want %d (service: %v)", name, res.StatusCode, want, svcErr)
						}
						answers[r][act] = append(answers[r][act], res.StatusCode)
						if want != http.StatusSeeOther && s.itemsState() != before {
							t.Errorf("%s: a refused step changed something", name)
						}
						switch act {
						case auth.ActSave:
							// Every other way of changing the text asks the same.
							res := s.post(se, editPath(p.rev)+"/lich-su/1/khoi-phuc", url.Values{"version": {ver(p.rev)}})
							if res.StatusCode != want {
								t.Errorf("%s: restoring a revision answered %d, want %d", name, res.StatusCode, want)
							}
							prev := s.post(se, "/quan-tri/tin-bai/xem-truoc", url.Values{"id": {fmt.Sprint(view.ID)}, "version": {ver(view)},
								"title": {view.Title}, "body": {"Xem thử."}})
							if prev.StatusCode != pageStatus(want) {
								t.Errorf("%s: preview answered %d (service: %v)", name, prev.StatusCode, svcErr)
							}
						case auth.ActDelete:
							if res := s.get(se, base+"/xoa"); res.StatusCode != pageStatus(want) {
								t.Errorf("%s: the confirmation page answered %d (service: %v)", name, res.StatusCode, svcErr)
							}
						}
					}
				}
			}
			// A step a role may take in no state is one it may never take:
			// refused as forbidden, never as a matter of state.
			for r, steps := range answers {
				for act, codes := range steps {
					if !slices.Contains(codes, http.StatusSeeOther) && slices.ContainsFunc(codes, func(c int) bool { return c != http.StatusForbidden }) {
						t.Errorf("%s may never %s, yet the route answered %v across the states", r, act, codes)
					}
				}
			}
			// Not vacuous: every step is allowed somewhere and refused somewhere.
			for _, act := range auth.Actions {
				if allowed[act] == 0 || refused[act] == 0 {
					t.Errorf("%s: allowed %d times, refused %d times", act, allowed[act], refused[act])
				}
			}
			t.Logf("%d cases: %d allowed, %d refused", len(auth.Roles)*len(auth.States)*len(auth.Actions), sum(allowed), sum(refused))
		})
	}
}

func sum(m map[auth.Action]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// pageStatus is the status of a page (not a POST) asking what a step
// answered with want: 200 where the step redirects.
func pageStatus(want int) int {
	if want == http.StatusSeeOther {
		return http.StatusOK
	}
	return want
}
