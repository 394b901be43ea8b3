package vntext

import (
	"strconv"
	"strings"
)

// Int writes n the Vietnamese way, with dots between thousands: 2.000,
// -12.345.
func Int(n int) string { return group(strconv.Itoa(n)) }

// Decimal writes f with prec digits after a decimal comma and dots between
// thousands: 1.234,5. A prec of -1 writes the fewest digits that give f
// back (0,5; 12); a whole number then has no comma.
func Decimal(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	whole, frac, ok := strings.Cut(s, ".")
	if !ok {
		return group(whole)
	}
	return group(whole) + "," + frac
}

// group puts a dot between each three digits of s, a run of digits after
// an optional minus sign.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
