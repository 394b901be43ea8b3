package security_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"cchc/internal/auth"
	"cchc/internal/config"
)

// lastAuditAddress is the client address of the newest audit entry: the
// address the login rate limit counted.
func lastAuditAddress(t *testing.T, s *site) string {
	t.Helper()
	entries, _, err := s.env.Store.AuditEntries(context.Background(), 1, 0)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v", err)
	}
	return entries[0].Address
}

// TestForwardedHeaders checks --trusted-proxies: X-Forwarded-For and
// X-Real-IP are believed only from a configured proxy, so a client cannot
// choose the address the login rate limit and the audit log see.
func TestForwardedHeaders(t *testing.T) {
	s := newSite(t, func(c *config.Config) { c.TrustedProxies = "10.0.0.0/8, 127.0.0.1" })
	tests := []struct {
		name   string
		peer   string
		header map[string]string
		want   string
	}{
		{"no header", "192.0.2.7:4000", nil, "192.0.2.7"},
		{"xff from untrusted peer", "192.0.2.7:4000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, "192.0.2.7"},
		{"x-real-ip from untrusted peer", "192.0.2.7:4000", map[string]string{"X-Real-IP": "203.0.113.9"}, "192.0.2.7"},
		{"xff from trusted proxy", "10.9.8.7:4000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, "203.0.113.9"},
		{"xff chain from trusted proxy", "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"x-real-ip from trusted proxy", "10.9.8.7:4000", map[string]string{"X-Real-IP": "203.0.113.9"}, "203.0.113.9"},
		{"garbage from trusted proxy", "10.9.8.7:4000", map[string]string{"X-Forwarded-For": "<script>"}, "10.9.8.7"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := loginRequest(t, s.h, fmt.Sprintf("khongco%d", i), "sai mật khẩu", tt.peer, false, tt.header)
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("failed login: %d", w.Code)
			}
			if got := lastAuditAddress(t, s); got != tt.want {
				t.Errorf("address counted %q, want %q", got, tt.want)
			}
		})
	}
}

// TestForwardedHeadersRateLimit shows the effect on the limit itself:
// twenty failures from one address, then 429, however the untrusted
// client varies X-Forwarded-For; behind a trusted proxy each forwarded
// address has its own count.
func TestForwardedHeadersRateLimit(t *testing.T) {
	perAddress := auth.DefaultLimits.AddressBurst // failures from one address before the wait
	s := newSite(t, func(c *config.Config) { c.TrustedProxies = "10.0.0.0/8" })
	for i := 0; i <= perAddress; i++ {
		// A new name each time, so only the address limit can apply.
		w := loginRequest(t, s.h, fmt.Sprintf("ten%d", i), "sai mật khẩu", "192.0.2.50:4000", false,
			map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i)})
		if i < perAddress && w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: %d", i+1, w.Code)
		}
		if i == perAddress && w.Code != http.StatusTooManyRequests {
			t.Fatalf("untrusted client escaped the limit by forging X-Forwarded-For: %d", w.Code)
		}
	}
	for i := 0; i <= perAddress; i++ {
		w := loginRequest(t, s.h, fmt.Sprintf("khac%d", i), "sai mật khẩu", "10.0.0.2:4000", false,
			map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i)})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("client %d behind the trusted proxy: %d (limited by the proxy's address)", i, w.Code)
		}
	}
}

// TestTrustedProxiesConfig checks the flag's values: CIDRs and addresses,
// comma-separated; anything else is refused at start, naming the flag.
func TestTrustedProxiesConfig(t *testing.T) {
	tests := []struct {
		name, value string
		want        []string // prefixes, nil when refused
	}{
		{"empty", "", []string{}},
		{"one cidr", "10.0.0.0/8", []string{"10.0.0.0/8"}},
		{"addresses and cidrs", " 127.0.0.1 , 192.168.1.7/24,::1", []string{"127.0.0.1/32", "192.168.1.0/24", "::1/128"}},
		{"mapped address", "::ffff:10.0.0.1", []string{"10.0.0.1/32"}},
		{"host name", "proxy.local", nil},
		{"bad cidr", "10.0.0.0/33", nil},
		{"markup", "<script>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.ParseProxies(tt.value)
			cfg := config.Defaults
			cfg.TrustedProxies = tt.value
			verr := cfg.Validate()
			if tt.want == nil {
				if err == nil || verr == nil || !strings.Contains(verr.Error(), "--trusted-proxies (CCHC_TRUSTED_PROXIES)") {
					t.Fatalf("%q accepted: %v, %v", tt.value, got, verr)
				}
				return
			}
			if err != nil || verr != nil {
				t.Fatalf("%q refused: %v, %v", tt.value, err, verr)
			}
			var s []string
			for _, p := range got {
				s = append(s, p.String())
			}
			if strings.Join(s, ",") != strings.Join(tt.want, ",") {
				t.Errorf("%q = %v, want %v", tt.value, s, tt.want)
			}
		})
	}
}
