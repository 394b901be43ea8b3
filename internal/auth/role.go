package auth

import (
	"errors"
	"slices"

	"cchc/internal/locale"
)

// Role is what an account may do. Roles are ordered: each one may do what
// the roles before it may (viewer < editor < approver < admin).
type Role string

// The roles, from least to most.
const (
	Viewer   Role = "viewer"   // reports only
	Editor   Role = "editor"   // writes drafts, submits them for review, trashes drafts
	Approver Role = "approver" // reviews, publishes, schedules, withdraws, trashes
	Admin    Role = "admin"    // users, settings, the audit log, restores from the trash
)

// Province is the province-level role (tổng hợp, issue 20): it reads every
// agency's dashboard and report and the province's roll-up, and writes
// nothing in any column. It stands outside the order above — it reads
// more than an admin (every agency) and may change less than a viewer
// (nothing, not even a report's sending) — so it is not in Roles, holds
// SeeReports only, and a route admits it only where it says so.
const Province Role = "province"

// Roles lists the ordered roles from least to most.
var Roles = []Role{Viewer, Editor, Approver, Admin}

// AccountRoles lists every role an account may hold: the ordered ones,
// then Province (the account forms and cchc user offer these).
var AccountRoles = []Role{Viewer, Editor, Approver, Admin, Province}

// ErrBadRole is ParseRole's answer to a name that is not a role (the
// command line and the account forms say role.bad).
var ErrBadRole = errors.New("auth: not a role")

// ParseRole reads a role name as typed on the command line or in a form.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", ErrBadRole
	}
	return r, nil
}

// Valid reports whether r is one of AccountRoles.
func (r Role) Valid() bool { return slices.Contains(AccountRoles, r) }

// Label is the role's Vietnamese name.
func (r Role) Label() string {
	switch r {
	case Viewer:
		return locale.T("role.viewer")
	case Editor:
		return locale.T("role.editor")
	case Approver:
		return locale.T("role.approver")
	case Admin:
		return locale.T("role.admin")
	case Province:
		return locale.T("role.province")
	}
	return string(r)
}

// Hint says in a line, in Vietnamese, what the role may do (the account
// forms and cchc user's help). It must agree with the permission table.
func (r Role) Hint() string {
	switch r {
	case Viewer:
		return locale.T("role.viewer.hint")
	case Editor:
		return locale.T("role.editor.hint")
	case Approver:
		return locale.T("role.approver.hint")
	case Admin:
		return locale.T("role.admin.hint")
	case Province:
		return locale.T("role.province.hint")
	}
	return ""
}

// rank orders roles; an unknown role, and Province, rank below every
// ordered one.
func (r Role) rank() int { return slices.Index(Roles, r) }

// AtLeast lists r and every role above it, for RequireRole:
// RequireRole(auth.AtLeast(auth.Editor)...) admits editors, approvers
// and admins.
func AtLeast(r Role) []Role {
	i := r.rank()
	if i < 0 {
		return nil
	}
	return slices.Clone(Roles[i:])
}

// Permission is one thing a role may do.
type Permission string

// The permissions. The workflow asks Policy.Allowed, which looks up the
// permission each step needs (workflow.go), so a change of policy is one
// line in minRole or in the workflow's table.
const (
	SeeReports   Permission = "reports"      // the publication log and plan dashboard (/bao-cao/)
	UseWorkspace Permission = "workspace"    // the editors' dashboard (/quan-tri/)
	WriteDrafts  Permission = "write"        // create and edit drafts and items waiting for review
	Submit       Permission = "submit"       // send a draft for review
	Review       Permission = "review"       // send a submitted item back to its author
	Publish      Permission = "publish"      // publish now
	Schedule     Permission = "schedule"     // publish at a later time
	EditPublic   Permission = "edit-public"  // edit an item the public sees or will see
	Withdraw     Permission = "withdraw"     // withdraw, put back or take offline a public item
	DeleteDraft  Permission = "delete-draft" // move a draft to the trash
	Delete       Permission = "delete"       // move any item to the trash
	Restore      Permission = "restore"      // take an item out of the trash
	ManageUsers  Permission = "users"        // add, change and disable accounts
	Settings     Permission = "settings"     // site settings
	SeeAudit     Permission = "audit"        // the audit log
	SendReport   Permission = "send-report"  // record that a year's report was sent
)

// minRole is the least role that holds each permission while review is
// required (the default, Policy.RequireReview).
var minRole = map[Permission]Role{
	SeeReports:   Viewer,
	UseWorkspace: Editor,
	WriteDrafts:  Editor,
	Submit:       Editor,
	DeleteDraft:  Editor,
	Review:       Approver,
	Publish:      Approver,
	Schedule:     Approver,
	EditPublic:   Approver,
	Withdraw:     Approver,
	Delete:       Approver,
	SendReport:   Approver,
	Restore:      Admin,
	ManageUsers:  Admin,
	Settings:     Admin,
	SeeAudit:     Admin,
}

// minRoleWithoutReview is what changes when review is not required
// (--require-review=false): editors may then publish and change what the
// public sees, but still not withdraw it.
var minRoleWithoutReview = map[Permission]Role{
	Publish:    Editor,
	Schedule:   Editor,
	EditPublic: Editor,
}

// Can reports whether role r holds permission p under the default policy
// (review required). Unknown roles and permissions hold nothing. Menus
// ask it; the workflow's steps are asked of Policy.Allowed.
func (r Role) Can(p Permission) bool { return DefaultPolicy.Grants(r, p) }

// RolesWith lists the roles that hold p under the default policy, for
// RequireRole.
func RolesWith(p Permission) []Role {
	var out []Role
	for _, r := range Roles {
		if r.Can(p) {
			out = append(out, r)
		}
	}
	return out
}
