package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// TokenBytes is the size of a session token: 256 random bits.
const TokenBytes = 32

// NewToken returns a fresh session token for the cookie and its hash for
// the database. Only the hash is stored, so a leaked database does not hand
// out live sessions.
func NewToken() (token, hash string, err error) {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a session token: hex SHA-256. A token
// is 256 random bits, so a fast hash is enough (nothing to brute-force).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ValidToken reports whether s has the shape of a token NewToken makes, so
// that junk cookies are dropped before any database lookup.
func ValidToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(TokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// NewCSRFToken returns a random token for forms (the hidden field csrf).
func NewCSRFToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: csrf token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// EqualTokens compares two tokens in constant time; empty never matches.
func EqualTokens(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// SessionPolicy is how long a session lives.
type SessionPolicy struct {
	// Idle ends a session nobody used for this long.
	Idle time.Duration
	// Absolute ends every session this long after login, used or not.
	Absolute time.Duration
}

// DefaultSessionPolicy: a working day idle, a week at most.
var DefaultSessionPolicy = SessionPolicy{Idle: 8 * time.Hour, Absolute: 7 * 24 * time.Hour}

// Expired reports whether a session created at created and last seen at
// seen has ended at now.
func (p SessionPolicy) Expired(created, seen, now time.Time) bool {
	return !now.Before(seen.Add(p.Idle)) || !now.Before(created.Add(p.Absolute))
}
