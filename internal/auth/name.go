package auth

import (
	"strings"

	"cchc/internal/locale"
)

// Account name limits.
const (
	MinNameLen = 2
	MaxNameLen = 32
)

// NormalizeName is the canonical form of a typed account name: trimmed and
// lower case, so that "Admin" and "admin " are the same account.
func NormalizeName(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// CheckName tells why name (already normalised) cannot be an account
// name (a *locale.Error), or returns nil. Names are ASCII letters, digits and
// . _ - so that they type the same on every keyboard and never need
// escaping in a URL or a log.
func CheckName(name string) error {
	if len(name) < MinNameLen || len(name) > MaxNameLen {
		return locale.NewError("account.name.length")
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		switch {
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
		case b == '.' || b == '_' || b == '-':
			if i == 0 {
				return locale.NewError("account.name.start")
			}
		default:
			return locale.NewError("account.name.letters")
		}
	}
	return nil
}
