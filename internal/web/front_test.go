package web_test

import (
	"testing"

	"cchc/internal/web"
)

func TestHostAllowed(t *testing.T) {
	hosts := []string{"cchc.example.vn", "noi-bo.example.vn:8443", "127.0.0.1", "[::1]"}
	tests := []struct {
		host string
		want bool
	}{
		{"cchc.example.vn", true},
		{"cchc.example.vn:8080", true},
		{"noi-bo.example.vn:8443", true},
		{"noi-bo.example.vn", false},
		{"noi-bo.example.vn:443", false},
		{"127.0.0.1:34567", true},
		{"[::1]:8080", true},
		{"[::1]", true},
		{"example.vn", false},
		{"xcchc.example.vn", false},
		{"cchc.example.vn.attacker.invalid", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := web.HostAllowed(tt.host, hosts); got != tt.want {
			t.Errorf("HostAllowed(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}
