package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"cchc/internal/locale"
)

// Params are the argon2id cost parameters. They are written into every
// encoded hash, so raising them later keeps old hashes verifiable (and
// NeedsRehash tells when to re-hash at the next login).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams follow OWASP's first argon2id recommendation (19 MiB, two
// passes, one lane): strong enough with the login rate limit, and cheap
// enough that a small server can verify a few logins at once.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Password length limits, in characters. The upper bound keeps a request
// from making the server hash megabytes.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// ErrBadHash is returned for a stored hash that is not a PHC argon2id string.
var ErrBadHash = errors.New("auth: not an argon2id hash")

// hashSlots bounds how many hashes run at once: each one holds Params.Memory
// of RAM, and a burst of logins must not exhaust the machine.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func derive(password string, salt []byte, p Params) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(norm.NFC.String(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// HashPassword hashes password with DefaultParams.
func HashPassword(password string) (string, error) { return DefaultParams.Hash(password) }

// Hash hashes password with a fresh random salt and returns the PHC string
// form: $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH (unpadded base64). The
// password is NFC-normalised first so that the same typed password matches
// from any keyboard.
func (p Params) Hash(password string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := derive(password, salt, p)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// decode parses a PHC argon2id string.
func decode(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, ErrBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, ErrBadHash
	}
	// Refuse parameters no hash of ours would carry, so a tampered row
	// cannot make a login burn gigabytes or spin for minutes.
	if p.Memory < 8 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 16 || p.Threads < 1 {
		return Params{}, nil, nil, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Params{}, nil, nil, ErrBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return Params{}, nil, nil, ErrBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// VerifyPassword reports whether password matches the encoded hash. The
// comparison is constant-time. A malformed hash is an error, never a match.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := derive(password, salt, p)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than
// p, so that a successful login can store a fresh hash.
func NeedsRehash(encoded string, p Params) bool {
	q, _, _, err := decode(encoded)
	if err != nil {
		return true
	}
	return q != p
}

var dummy struct {
	once sync.Once
	hash string
}

// VerifyDummy spends the same work as VerifyPassword against a hash that
// matches nothing. Login calls it for an unknown user so that the answer
// takes as long as for a known user with a wrong password.
func VerifyDummy(password string) {
	dummy.once.Do(func() {
		h, err := HashPassword("no such account")
		if err != nil {
			// Without randomness nothing works; keep a fixed valid hash so
			// the timing still holds.
			h = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		}
		dummy.hash = h
	})
	_, _ = VerifyPassword(dummy.hash, password)
}

// CheckPassword tells why password cannot be used for the account name (a
// *locale.Error), or returns nil.
func CheckPassword(name, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return locale.NewError("account.password.invalid")
	case n < MinPasswordLen:
		return locale.NewError("account.password.short", MinPasswordLen)
	case n > MaxPasswordLen:
		return locale.NewError("account.password.long", MaxPasswordLen)
	case strings.TrimSpace(password) == "":
		return locale.NewError("account.password.blank")
	case strings.EqualFold(strings.TrimSpace(password), name):
		return locale.NewError("account.password.is_name")
	}
	return nil
}

// RandomPassword returns a password of n characters drawn uniformly from
// letters and digits that are hard to confuse (no 0/O, 1/l/I), for the
// first admin account.
func RandomPassword(n int) (string, error) {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	// 256 is not a multiple of the alphabet's size: bytes past the last
	// whole multiple are dropped so every character is equally likely.
	limit := byte(256 - 256%len(alphabet))
	out := make([]byte, 0, n)
	buf := make([]byte, 64)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("auth: random password: %w", err)
		}
		for _, b := range buf {
			if b < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
