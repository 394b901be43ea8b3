package vntext

import (
	"math"
	"testing"
)

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{Int(0), "0"},
		{Int(999), "999"},
		{Int(1000), "1.000"},
		{Int(10007), "10.007"},
		{Int(-1234567), "-1.234.567"},
		{Int(math.MinInt64), "-9.223.372.036.854.775.808"},
		{Decimal(0.5, -1), "0,5"},
		{Decimal(5, -1), "5"},
		{Decimal(1234.5, 1), "1.234,5"},
		{Decimal(2.25, 1), "2,2"}, // round half to even, as strconv does
		{Decimal(-1000.06, 1), "-1.000,1"},
		{Decimal(12, 1), "12,0"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
