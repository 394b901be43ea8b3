package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// permissionTable is the whole policy, written out: for each step, one
// cell per state (in States order: draft, submitted, published,
// scheduled, withdrawn, trashed), each four letters for viewer, editor,
// approver and admin: Y allowed, F ErrForbidden (403), S ErrState (409).
var permissionTable = map[bool]map[Action]string{
	true: { // --require-review (the default)
		ActSave:      "FYYY FYYY FFYY FFYY FFYY FSSS",
		ActSubmit:    "FYYY FSSS FSSS FSSS FSSS FSSS",
		ActReject:    "FFSS FFYY FFSS FFSS FFSS FFSS",
		ActPublish:   "FFYY FFYY FFSS FFYY FFSS FFSS",
		ActSchedule:  "FFYY FFYY FFSS FFYY FFSS FFSS",
		ActWithdraw:  "FFSS FFSS FFYY FFSS FFSS FFSS",
		ActRepublish: "FFSS FFSS FFSS FFSS FFYY FFSS",
		ActUnpublish: "FFSS FFSS FFYY FFYY FFYY FFSS",
		ActDelete:    "FYYY FFYY FFYY FFYY FFYY FSSS",
		ActRestore:   "FFFS FFFS FFFS FFFS FFFS FFFY",
	},
	false: { // --require-review=false: editors publish and edit what is public
		ActSave:      "FYYY FYYY FYYY FYYY FYYY FSSS",
		ActSubmit:    "FYYY FSSS FSSS FSSS FSSS FSSS",
		ActReject:    "FFSS FFYY FFSS FFSS FFSS FFSS",
		ActPublish:   "FYYY FYYY FSSS FYYY FSSS FSSS",
		ActSchedule:  "FYYY FYYY FSSS FYYY FSSS FSSS",
		ActWithdraw:  "FFSS FFSS FFYY FFSS FFSS FFSS",
		ActRepublish: "FFSS FFSS FFSS FFSS FFYY FFSS",
		ActUnpublish: "FFSS FFSS FFYY FFYY FFYY FFSS",
		ActDelete:    "FYYY FFYY FFYY FFYY FFYY FSSS",
		ActRestore:   "FFFS FFFS FFFS FFFS FFFS FFFY",
	},
}

// Expected is what permissionTable says role r gets for act in state s.
func expected(review bool, act Action, s State, r Role) error {
	cells := strings.Fields(permissionTable[review][act])
	si, ri := -1, r.rank()
	for i, st := range States {
		if st == s {
			si = i
		}
	}
	switch cells[si][ri] {
	case 'Y':
		return nil
	case 'S':
		return ErrState
	}
	return ErrForbidden
}

// TestPermissionTable checks Allowed against the table above for every
// role, step, state and setting, and that unknown roles and steps hold
// nothing.
func TestPermissionTable(t *testing.T) {
	for _, review := range []bool{true, false} {
		p := Policy{RequireReview: review}
		if len(permissionTable[review]) != len(Actions) {
			t.Fatalf("the table has %d steps, Actions %d", len(permissionTable[review]), len(Actions))
		}
		for _, act := range Actions {
			for _, s := range States {
				for _, r := range Roles {
					want := expected(review, act, s, r)
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
