package agency

import (
	"testing"

	"cchc/internal/auth"
)

// TestSeesRollup: the province role in any agency and the root agency's
// admins (an agency not filled yet, 0, is the root's) read the roll-up;
// another agency's admin and every lesser role do not.
func TestSeesRollup(t *testing.T) {
	for _, tc := range []struct {
		r      auth.Role
		agency int64
		want   bool
	}{
		{auth.Province, 0, true}, {auth.Province, 1, true}, {auth.Province, 2, true},
		{auth.Admin, 0, true}, {auth.Admin, 1, true}, {auth.Admin, 2, false},
		{auth.Approver, 1, false}, {auth.Editor, 0, false}, {auth.Viewer, 1, false}, {"", 1, false},
	} {
		if got := SeesRollup(tc.r, tc.agency); got != tc.want {
			t.Errorf("SeesRollup(%q, %d) = %v, want %v", tc.r, tc.agency, got, tc.want)
		}
	}
}
