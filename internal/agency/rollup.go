package agency

import "cchc/internal/auth"

// SeesRollup reports whether an account of role r in the agency agencyID
// may read the province's roll-up (/bao-cao/tinh): the province role
// (tổng hợp), whatever its agency, or an admin of the root agency. An
// agency of 0 (not filled yet) is the root's: every account was, before
// issue 20. The roll-up's routes (report.CanSeeProvince) and the
// workspace's menu (admin.Layout.SeesRollup) both ask this one rule.
func SeesRollup(r auth.Role, agencyID int64) bool {
	return r == auth.Province || r == auth.Admin && (agencyID == 0 || agencyID == Root)
}
