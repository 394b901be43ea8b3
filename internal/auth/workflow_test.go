package auth

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// readPermissionTable reads testdata/permissions.txt: by review setting
// and step, one four-letter cell per state (in States order) for Roles.
func readPermissionTable(t *testing.T) map[bool]map[Action][]string {
	t.Helper()
	b, err := os.ReadFile("testdata/permissions.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[bool]map[Action][]string{}
	var cur map[Action][]string
	for i, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "[review]" || f[0] == "[no-review]":
			cur = map[Action][]string{}
			out[f[0] == "[review]"] = cur
		case cur != nil && len(f) == 1+len(States):
			cur[Action(f[0])] = f[1:]
		default:
			t.Fatalf("permissions.txt:%d: %q", i+1, line)
		}
	}
	return out
}

// expected is what the table says role r gets for act in state s.
func expected(table map[bool]map[Action][]string, review bool, act Action, s State, r Role) error {
	cells := table[review][act]
	if cells == nil || len(cells[slices.Index(States, s)]) != len(Roles) {
		return errors.New("not in the table")
	}
	switch cells[slices.Index(States, s)][r.rank()] {
	case 'Y':
		return nil
	case 'S':
		return ErrState
	case 'F':
		return ErrForbidden
	}
	return errors.New("bad cell")
}

// TestPermissionTable checks Allowed against testdata/permissions.txt for
// every role, step, state and setting, and that unknown roles and steps
// hold nothing.
func TestPermissionTable(t *testing.T) {
	table := readPermissionTable(t)
	for _, review := range []bool{true, false} {
		p := Policy{RequireReview: review}
		if len(table[review]) != len(Actions) {
			t.Fatalf("review=%v: the table has %d steps, Actions %d", review, len(table[review]), len(Actions))
		}
		for _, act := range Actions {
			for _, s := range States {
				for _, r := range Roles {
					want := expected(table, review, act, s, r)
					if got := p.Allowed(r, act, s); got != want {
						t.Errorf("review=%v %s %s %s: %v, want %v", review, r, act, s, got, want)
					}
				}
			}
		}
		for _, s := range States {
			if err := p.Allowed("root", ActSave, s); !errors.Is(err, ErrForbidden) {
				t.Errorf("an unknown role saves a %s item: %v", s, err)
			}
			if err := p.Allowed(Admin, "approve", s); !errors.Is(err, ErrForbidden) {
				t.Errorf("an unknown step on a %s item: %v", s, err)
			}
		}
	}
}

// TestPolicyTable keeps the rows the workflow's policy was first tested
// with (when it lived in publish), in the new table's terms.
func TestPolicyTable(t *testing.T) {
	type row struct {
		role   Role
		act    Action
		st     State
		review bool
		want   error
	}
	E, A, D, V := Editor, Approver, Admin, Viewer
	rows := []row{
		{E, ActSave, StateDraft, true, nil},
		{E, ActSubmit, StateDraft, true, nil},
		{E, ActSubmit, StateSubmitted, true, ErrState},
		{E, ActPublish, StateSubmitted, true, ErrForbidden},
		{E, ActPublish, StateDraft, false, nil}, // --require-review off
		{E, ActReject, StateSubmitted, true, ErrForbidden},
		{E, ActWithdraw, StatePublished, true, ErrForbidden},
		{E, ActSave, StatePublished, true, ErrForbidden},
		{E, ActSave, StatePublished, false, nil},
		{E, ActDelete, StateDraft, true, nil},
		{E, ActDelete, StatePublished, true, ErrForbidden},
		{E, ActRestore, StateTrashed, true, ErrForbidden},
		{A, ActReject, StateSubmitted, true, nil},
		{A, ActReject, StateDraft, true, ErrState},
		{A, ActPublish, StateSubmitted, true, nil},
		{A, ActPublish, StateWithdrawn, true, ErrState},
		{A, ActWithdraw, StatePublished, true, nil},
		{A, ActWithdraw, StateDraft, true, ErrState},
		{A, ActRepublish, StateWithdrawn, true, nil},
		{A, ActUnpublish, StateWithdrawn, true, nil},
		{A, ActSave, StatePublished, true, nil},
		{A, ActDelete, StatePublished, true, nil},
		{A, ActRestore, StateTrashed, true, ErrForbidden},
		{A, ActSave, StateTrashed, true, ErrState},
		{D, ActRestore, StateTrashed, true, nil},
		{D, ActPublish, StateDraft, true, nil},
		{V, ActSave, StateDraft, true, ErrForbidden},
		{V, ActSubmit, StateDraft, true, ErrForbidden},
		// The role is judged before the state (issue 13): an editor
		// rejecting a draft may never reject at all.
		{E, ActReject, StateDraft, true, ErrForbidden},
		{E, ActWithdraw, StateDraft, true, ErrForbidden},
		// A scheduled item was never public: there is nothing to withdraw.
		{A, ActWithdraw, StateScheduled, true, ErrState},
	}
	for _, r := range rows {
		t.Run(fmt.Sprintf("%s %s %s review=%v", r.role, r.act, r.st, r.review), func(t *testing.T) {
			if got := (Policy{RequireReview: r.review}).Allowed(r.role, r.act, r.st); got != r.want {
				t.Errorf("Allowed = %v, want %v", got, r.want)
			}
		})
	}
}

// TestRoleHints: each role's hint says what it may do with the trash, as
// the table has it.
func TestRoleHints(t *testing.T) {
	for _, r := range Roles {
		h := r.Hint()
		if h == "" || strings.Contains(h, "thùng rác") != r.Can(DeleteDraft) || strings.Contains(h, "khôi phục") != r.Can(Restore) {
			t.Errorf("%s: hint %q", r, h)
		}
	}
}
