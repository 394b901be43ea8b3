package auth

import "errors"

// Action is a step of the editorial workflow on one item. The workflow
// (package publish) takes these steps; the workspace offers a button for
// each step Policy.Allowed allows, so the two cannot disagree.
type Action string

// The steps of the workflow (GOV.UK publisher's, simplified): draft →
// submitted (chờ duyệt) → published, with rejection back to draft,
// scheduling, withdrawal, and a trash.
const (
	ActSave      Action = "save"      // create or edit
	ActSubmit    Action = "submit"    // draft → submitted
	ActReject    Action = "reject"    // submitted → draft, with a comment
	ActPublish   Action = "publish"   // draft/submitted/scheduled → published now
	ActSchedule  Action = "schedule"  // draft/submitted/scheduled → published at a later time
	ActWithdraw  Action = "withdraw"  // published → withdrawn, with a public reason
	ActRepublish Action = "republish" // withdrawn → published
	ActUnpublish Action = "unpublish" // published/scheduled/withdrawn → draft
	ActDelete    Action = "delete"    // any → trash
	ActRestore   Action = "restore"   // trash → draft
)

// Actions lists every step, in the order the workspace shows them.
var Actions = []Action{ActSave, ActSubmit, ActReject, ActPublish, ActSchedule, ActWithdraw, ActRepublish, ActUnpublish, ActDelete, ActRestore}

// State is where an item is in the workflow, as far as permissions go.
// publish.StateOf reads it off a stored item.
type State string

// The states of an item.
const (
	StateDraft     State = "draft"     // being written, or sent back
	StateSubmitted State = "submitted" // waiting for review (chờ duyệt)
	StatePublished State = "published" // public (its publication is in the log)
	StateScheduled State = "scheduled" // to be published at a set time, not yet public
	StateWithdrawn State = "withdrawn" // taken down, its page kept with the reason
	StateTrashed   State = "trashed"   // in the trash, whatever it was before
)

// States lists every state.
var States = []State{StateDraft, StateSubmitted, StatePublished, StateScheduled, StateWithdrawn, StateTrashed}

// ErrForbidden is returned when the role may not take the step: it lacks
// the permission the step needs in this state, or every permission the
// step ever needs. The workspace answers it with 403.
var ErrForbidden = errors.New("auth: the role may not take this step")

// ErrState is returned when the step does not apply to the item's state,
// though the role may take it elsewhere (an approver rejecting a draft, a
// second publication of a public item). The workspace answers it with
// 409.
var ErrState = errors.New("auth: the step does not apply to the item's state")

// steps is the workflow's permission table: for each step, the states it
// applies to and the permission it needs in each. A state missing from a
// step's row is one the step does not apply to.
//
// Editors share drafts: any editor may edit, submit or trash any draft
// (DeleteDraft), while trashing anything else is Delete, an approver's.
// Editing what the public sees or will see (published, scheduled,
// withdrawn) is EditPublic, an approver's unless review is off.
var steps = map[Action]map[State]Permission{
	ActSave: {StateDraft: WriteDrafts, StateSubmitted: WriteDrafts,
		StatePublished: EditPublic, StateScheduled: EditPublic, StateWithdrawn: EditPublic},
	ActSubmit:    {StateDraft: Submit},
	ActReject:    {StateSubmitted: Review},
	ActPublish:   {StateDraft: Publish, StateSubmitted: Publish, StateScheduled: Publish},
	ActSchedule:  {StateDraft: Schedule, StateSubmitted: Schedule, StateScheduled: Schedule},
	ActWithdraw:  {StatePublished: Withdraw},
	ActRepublish: {StateWithdrawn: Withdraw},
	ActUnpublish: {StatePublished: Withdraw, StateScheduled: Withdraw, StateWithdrawn: Withdraw},
	ActDelete: {StateDraft: DeleteDraft, StateSubmitted: Delete,
		StatePublished: Delete, StateScheduled: Delete, StateWithdrawn: Delete},
	ActRestore: {StateTrashed: Restore},
}

// Policy holds the settings the permissions depend on.
type Policy struct {
	// RequireReview (--require-review, the default) keeps editors from
	// publishing and from changing what the public sees: an approver
	// must.
	RequireReview bool
}

// DefaultPolicy is the policy of a service started without settings.
var DefaultPolicy = Policy{RequireReview: true}

// Grants reports whether role r holds permission perm under p. Unknown
// roles and permissions hold nothing.
func (p Policy) Grants(r Role, perm Permission) bool {
	min, ok := minRole[perm]
	if !ok || !r.Valid() {
		return false
	}
	if r == Province {
		return perm == SeeReports
	}
	if m, ok := minRoleWithoutReview[perm]; ok && !p.RequireReview {
		min = m
	}
	return r.rank() >= min.rank()
}

// Allowed is the one answer to "may role r take step act on an item in
// state s": nil, ErrForbidden or ErrState. The workflow asks it before
// every change and the workspace asks it for every button it shows.
//
// When the step applies to s, the role needs the permission the table
// names there, else ErrForbidden. When it does not apply, the answer is
// ErrState if the role holds a permission the step needs in some other
// state (only the item's state stands in the way), else ErrForbidden (the
// role may never take that step): the role is judged before the state.
func (p Policy) Allowed(r Role, act Action, s State) error {
	row, ok := steps[act]
	if !ok || !r.Valid() {
		return ErrForbidden
	}
	if perm, ok := row[s]; ok {
		if p.Grants(r, perm) {
			return nil
		}
		return ErrForbidden
	}
	for _, perm := range row {
		if p.Grants(r, perm) {
			return ErrState
		}
	}
	return ErrForbidden
}
