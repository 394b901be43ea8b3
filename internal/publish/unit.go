package publish

import (
	"errors"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/store"
)

// Refusals of the activities' rules (issue 16): each is also
// auth.ErrForbidden, so a caller that knows only that one still refuses.
var (
	// ErrOtherUnit refuses an editor an activity of another unit than
	// their own (or any activity, to an editor of no unit).
	ErrOtherUnit = &unitError{"publish: the activity belongs to another unit"}
	// ErrPublicNotAllowed refuses an editor the choice of showing an
	// activity to the public: that is an approver's.
	ErrPublicNotAllowed = &unitError{"publish: only an approver may make an activity public"}
)

type unitError struct{ msg string }

func (e *unitError) Error() string { return e.msg }

// Is makes the refusal an auth.ErrForbidden too.
func (e *unitError) Is(target error) bool { return target == auth.ErrForbidden }

// ActsOnEveryUnit reports whether role acts on the activities of every
// unit and may show one to the public: whoever reviews (approvers and
// admins, whatever --require-review says).
func (s *Service) ActsOnEveryUnit(role auth.Role) bool { return s.policy.Grants(role, auth.Review) }

// UnitAllowed reports whether who may change the activity cur (nil when
// creating) into it (nil for a workflow step, which changes no field):
// nil, ErrOtherUnit or ErrPublicNotAllowed. Other kinds are not bound to
// units. An editor records the activities of their own unit only, and
// leaves Public as an approver set it.
func (s *Service) UnitAllowed(who Actor, cur *store.Item, it *content.Item) error {
	isActivity := (cur != nil && cur.Kind == content.Activity) || (it != nil && it.Kind == content.Activity)
	if !isActivity || s.ActsOnEveryUnit(who.Role) {
		return nil
	}
	if who.Unit == "" || (cur != nil && cur.Unit != who.Unit) || (it != nil && it.Unit != who.Unit) {
		return ErrOtherUnit
	}
	if it != nil {
		was := cur != nil && cur.Item.Public
		if it.Public != was {
			return ErrPublicNotAllowed
		}
	}
	return nil
}

// IsUnitRefusal reports whether err is one of UnitAllowed's refusals.
func IsUnitRefusal(err error) bool {
	var ue *unitError
	return errors.As(err, &ue)
}
