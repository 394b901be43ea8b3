package auth

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestHashRoundTrip(t *testing.T) {
	tests := []struct {
		name, password, try string
		want                bool
	}{
		{"same password", "mật khẩu rất dài 2026", "mật khẩu rất dài 2026", true},
		{"wrong password", "mật khẩu rất dài 2026", "mật khẩu rất dài 2027", false},
		{"empty try", "mật khẩu rất dài 2026", "", false},
		{"case matters", "CorrectHorseBattery", "correcthorsebattery", false},
		{"NFD typed, NFC stored", "Quảng Ngãi 2026!", norm.NFD.String("Quảng Ngãi 2026!"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HashPassword(tt.password)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
				t.Fatalf("hash %q lacks the PHC prefix with parameters", h)
			}
			if strings.Contains(h, tt.password) {
				t.Fatal("hash contains the password")
			}
			got, err := VerifyPassword(h, tt.try)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("VerifyPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHashesDiffer(t *testing.T) {
	a, _ := HashPassword("cùng một mật khẩu")
	b, _ := HashPassword("cùng một mật khẩu")
	if a == b {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyBadHash(t *testing.T) {
	good, err := (Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}).Hash("abc")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	tests := []struct{ name, hash string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"old version", strings.Replace(good, "v=19", "v=16", 1)},
		{"no params", strings.Join([]string{"", "argon2id", "v=19", "", parts[4], parts[5]}, "$")},
		{"huge memory", strings.Replace(good, "m=64,", "m=99999999,", 1)},
		{"zero time", strings.Replace(good, "t=1,", "t=0,", 1)},
		{"bad salt", strings.Join([]string{"", "argon2id", "v=19", parts[3], "!!!", parts[5]}, "$")},
		{"short key", strings.Join([]string{"", "argon2id", "v=19", parts[3], parts[4], "AAAA"}, "$")},
		{"extra part", good + "$x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.hash, "abc")
			if ok || err == nil {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want false and an error", tt.hash, ok, err)
			}
		})
	}
	if ok, err := VerifyPassword(good, "abc"); !ok || err != nil {
		t.Fatalf("the unmodified hash does not verify: %v %v", ok, err)
	}
}

func TestNeedsRehash(t *testing.T) {
	cheap := Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, _ := cheap.Hash("abc")
	if !NeedsRehash(h, DefaultParams) {
		t.Error("a hash with other parameters does not need a rehash")
	}
	if NeedsRehash(h, cheap) {
		t.Error("a hash with the current parameters needs a rehash")
	}
	if !NeedsRehash("garbage", DefaultParams) {
		t.Error("a malformed hash does not need a rehash")
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"long enough", "bientap", "một câu dễ nhớ", true},
		{"ten ASCII", "bientap", "abcdefghij", true},
		{"too short", "bientap", "ngắn", false},
		{"nine", "bientap", "abcdefghi", false},
		{"too long", "bientap", strings.Repeat("a", MaxPasswordLen+1), false},
		{"spaces", "bientap", strings.Repeat(" ", 12), false},
		{"equals name", "bientapvien", "BienTapVien", false},
		{"invalid utf8", "bientap", "abcdefghij\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.user, tt.password)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckPassword = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"admin", true},
		{"nguyen.van-an_2", true},
		{"a", false},
		{strings.Repeat("a", 33), false},
		{"nguyễn", false},
		{"ten dang nhap", false},
		{".admin", false},
		{"-admin", false},
		{"Admin", false}, // callers normalise first
		{"a/b", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if err := CheckName(tt.in); (err == nil) != tt.ok {
				t.Fatalf("CheckName(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
	if got := NormalizeName("  Admin "); got != "admin" {
		t.Errorf("NormalizeName = %q", got)
	}
}

func TestRandomPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 20 {
		p, err := RandomPassword(24)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 24 || strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("RandomPassword = %q", p)
		}
		if seen[p] {
			t.Fatalf("RandomPassword repeated %q", p)
		}
		seen[p] = true
		if err := CheckPassword("admin", p); err != nil {
			t.Fatalf("random password refused by CheckPassword: %v", err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := decode(s)
		if err != nil {
			return
		}
		// Whatever decodes must stay within the bounds that keep a login
		// cheap.
		if p.Memory > 1<<20 || p.Time > 16 || p.Threads < 1 || len(salt) < 8 || len(key) < 16 {
			t.Fatalf("decode(%q) accepted %+v", s, p)
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("một câu dễ nhớ"); err != nil {
			b.Fatal(err)
		}
	}
}
