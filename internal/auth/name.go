package auth

import (
	"errors"
	"strings"
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
// name, in Vietnamese, or returns nil. Names are ASCII letters, digits and
// . _ - so that they type the same on every keyboard and never need
// escaping in a URL or a log.
func CheckName(name string) error {
	if len(name) < MinNameLen || len(name) > MaxNameLen {
		return errors.New("Tên đăng nhập phải dài từ 2 đến 32 ký tự.")
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		switch {
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
		case b == '.' || b == '_' || b == '-':
			if i == 0 {
				return errors.New("Tên đăng nhập phải bắt đầu bằng chữ cái hoặc chữ số.")
			}
		default:
			return errors.New("Tên đăng nhập chỉ gồm chữ cái không dấu (a–z), chữ số và các dấu . _ -")
		}
	}
	return nil
}
