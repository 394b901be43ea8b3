package auth

import (
	"fmt"
	"slices"
)

// Role is what an account may do. Roles are ordered: each one may do what
// the roles before it may (viewer < editor < approver < admin).
type Role string

// The roles, from least to most.
const (
	Viewer   Role = "viewer"   // reports only
	Editor   Role = "editor"   // writes drafts and submits them for review
	Approver Role = "approver" // reviews, publishes, schedules, withdraws
	Admin    Role = "admin"    // users, settings, everything
)

// Roles lists every role from least to most.
var Roles = []Role{Viewer, Editor, Approver, Admin}

// ParseRole reads a role name as typed on the command line or in a form.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", fmt.Errorf("vai trò %q không hợp lệ: chọn một trong viewer, editor, approver, admin", s)
	}
	return r, nil
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Label is the role's Vietnamese name.
func (r Role) Label() string {
	switch r {
	case Viewer:
		return "Người xem báo cáo"
	case Editor:
		return "Biên tập viên"
	case Approver:
		return "Người duyệt"
	case Admin:
		return "Quản trị viên"
	}
	return string(r)
}

// rank orders roles; an unknown role ranks below every real one.
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

// The permissions. The workflow checks these rather than role names, so a
// change of policy is one line in minRole.
const (
	SeeReports   Permission = "reports"   // the publication log and plan dashboard (/bao-cao/)
	UseWorkspace Permission = "workspace" // the editors' dashboard (/quan-tri/)
	WriteDrafts  Permission = "write"     // create and edit drafts
	Submit       Permission = "submit"    // send a draft for review
	Review       Permission = "review"    // approve or reject a submitted item
	Publish      Permission = "publish"   // publish now
	Schedule     Permission = "schedule"  // publish at a later time
	Withdraw     Permission = "withdraw"  // withdraw a published item
	Delete       Permission = "delete"    // move an item to the trash
	Restore      Permission = "restore"   // take an item out of the trash
	ManageUsers  Permission = "users"     // add, change and disable accounts
	Settings     Permission = "settings"  // site settings
	SeeAudit     Permission = "audit"     // the audit log
)

// minRole is the least role that holds each permission.
var minRole = map[Permission]Role{
	SeeReports:   Viewer,
	UseWorkspace: Editor,
	WriteDrafts:  Editor,
	Submit:       Editor,
	Review:       Approver,
	Publish:      Approver,
	Schedule:     Approver,
	Withdraw:     Approver,
	Delete:       Approver,
	Restore:      Admin,
	ManageUsers:  Admin,
	Settings:     Admin,
	SeeAudit:     Admin,
}

// Can reports whether role r holds permission p. Unknown roles and
// permissions hold nothing.
func (r Role) Can(p Permission) bool {
	min, ok := minRole[p]
	return ok && r.Valid() && r.rank() >= min.rank()
}
