package vntext

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"cchc/internal/locale"
)

// Zone is the time zone in which dates are shown and in which a date without
// a time is read: Asia/Ho_Chi_Minh (UTC+7, no daylight saving). A fixed zone
// is used so that the binary needs no tzdata.
var Zone = time.FixedZone("ICT", 7*60*60)

// Date formats t as dd/mm/yyyy in Vietnam's time zone, the way Vietnamese
// administrative texts write dates. The zero time gives "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("02/01/2006")
}

// TextDate formats t as d/m/yyyy in Vietnam's time zone, without leading
// zeros ("15/3/2022", "5/11/2022"): the way dates are written in the
// sentences of an administrative report ("Kế hoạch số 272/KH-SKHCN ngày
// 15/3/2022"). Tables and screens use Date. The zero time gives "".
func TextDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Zone)
	return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year())
}

// DateTime formats t as "15:04 dd/mm/yyyy" in Vietnam's time zone.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("15:04 02/01/2006")
}

// LongDate formats t as "ngày 15 tháng 3 năm 2022", the form used in the
// header of an administrative document.
func LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Zone)
	// Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take
	// a leading zero; other months do not.
	month := fmt.Sprint(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return locale.T("date.long", t.Day(), month, t.Year())
}

// ParseDate reads a date as people write it: dd/mm/yyyy (d/m/yyyy allowed),
// or ISO yyyy-mm-dd, or RFC 3339 with a time. Dates without a time are taken
// at midnight in Vietnam's time zone. Its errors are *locale.Error (their
// Text says what is wrong with the date).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(NFC(s))
	if s == "" {
		return time.Time{}, locale.NewError("date.empty")
	}
	if strings.Contains(s, "/") {
		parts := strings.Split(s, "/")
		if len(parts) != 3 {
			return time.Time{}, locale.NewError("date.not_dmy", s)
		}
		var n [3]int
		for i, p := range parts {
			v, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return time.Time{}, locale.NewError("date.not_dmy", s)
			}
			n[i] = v
		}
		return civil(n[2], n[1], n[0], s)
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, Zone); err == nil {
			return t, nil
		}
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, e1 := strconv.Atoi(s[:4])
		m, e2 := strconv.Atoi(s[5:7])
		d, e3 := strconv.Atoi(s[8:])
		if e1 == nil && e2 == nil && e3 == nil {
			return civil(y, m, d, s)
		}
	}
	return time.Time{}, locale.NewError("date.bad_shape", s)
}

// civil builds a date and refuses impossible ones (31/02) rather than letting
// time.Date roll them over.
func civil(y, m, d int, src string) (time.Time, error) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, locale.NewError("date.not_real", src)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Zone)
	if t.Day() != d || int(t.Month()) != m {
		return time.Time{}, locale.NewError("date.not_real", src)
	}
	return t, nil
}
