package vntext

import (
	"strings"
	"testing"
	"time"

	"cchc/internal/locale"
)

func TestParseDate(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		name    string
		in      string
		want    time.Time // compared as an instant
		wantErr string    // key phrase of the error; empty for success
	}{
		{"dd/mm/yyyy", "15/03/2022", time.Date(2022, 3, 14, 17, 0, 0, 0, time.UTC), ""},
		{"d/m/yyyy", "5/3/2022", time.Date(2022, 3, 4, 17, 0, 0, 0, time.UTC), ""},
		{"spaces around", "  10/11/2022 ", time.Date(2022, 11, 9, 17, 0, 0, 0, time.UTC), ""},
		{"leap day", "29/02/2024", time.Date(2024, 2, 29, 0, 0, 0, 0, ict), ""},
		{"iso date", "2021-12-22", time.Date(2021, 12, 21, 17, 0, 0, 0, time.UTC), ""},
		{"rfc3339 +07:00", "2022-03-20T08:00:00+07:00", time.Date(2022, 3, 20, 1, 0, 0, 0, time.UTC), ""},
		{"rfc3339 utc", "2022-03-20T08:00:00Z", time.Date(2022, 3, 20, 8, 0, 0, 0, time.UTC), ""},
		{"local time without zone", "2022-03-20 08:30", time.Date(2022, 3, 20, 1, 30, 0, 0, time.UTC), ""},
		{"31 february", "31/02/2022", time.Time{}, "không có thật"},
		{"29 february in a common year", "29/02/2022", time.Time{}, "không có thật"},
		{"month 13 iso", "2022-13-01", time.Time{}, "không có thật"},
		{"two-digit year", "15/03/22", time.Time{}, "không có thật"},
		{"letters", "abc", time.Time{}, "không đúng dạng"},
		{"words", "ngày mai", time.Time{}, "không đúng dạng"},
		{"empty", "", time.Time{}, "ngày trống"},
		{"blank", "   ", time.Time{}, "ngày trống"},
		{"two parts", "1/2", time.Time{}, "dd/mm/yyyy"},
		{"letters in slash form", "a/b/2022", time.Time{}, "dd/mm/yyyy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want an error with %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(locale.Text(err), tt.wantErr) {
					t.Errorf("ParseDate(%q) error %q, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want.UTC())
			}
		})
	}
}

func TestDateFormats(t *testing.T) {
	tests := []struct {
		name                     string
		in                       time.Time
		date, dateTime, longDate string
		text                     string
	}{
		{
			"utc late evening is next day in Vietnam",
			time.Date(2022, 3, 14, 18, 30, 0, 0, time.UTC),
			"15/03/2022", "01:30 15/03/2022", "ngày 15 tháng 3 năm 2022", "15/3/2022",
		},
		{
			"utc morning is same day",
			time.Date(2022, 11, 10, 2, 0, 0, 0, time.UTC),
			"10/11/2022", "09:00 10/11/2022", "ngày 10 tháng 11 năm 2022", "10/11/2022",
		},
		{
			// Nghị định 30/2020: a day below 10 and the months 1 and 2
			// take a leading zero.
			"new year's eve utc is 1 January",
			time.Date(2021, 12, 31, 17, 0, 0, 0, time.UTC),
			"01/01/2022", "00:00 01/01/2022", "ngày 01 tháng 01 năm 2022", "1/1/2022",
		},
		{
			"february keeps its zero",
			time.Date(2022, 2, 5, 12, 0, 0, 0, time.UTC),
			"05/02/2022", "19:00 05/02/2022", "ngày 05 tháng 02 năm 2022", "5/2/2022",
		},
		{"zero time", time.Time{}, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Date(tt.in); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := DateTime(tt.in); got != tt.dateTime {
				t.Errorf("DateTime = %q, want %q", got, tt.dateTime)
			}
			if got := LongDate(tt.in); got != tt.longDate {
				t.Errorf("LongDate = %q, want %q", got, tt.longDate)
			}
			if got := TextDate(tt.in); got != tt.text {
				t.Errorf("TextDate = %q, want %q", got, tt.text)
			}
		})
	}
}

func TestParseDateRoundTrip(t *testing.T) {
	for _, s := range []string{"01/01/2022", "15/03/2022", "31/12/2025", "29/02/2024"} {
		t.Run(s, func(t *testing.T) {
			d, err := ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := Date(d); got != s {
				t.Errorf("Date(ParseDate(%q)) = %q", s, got)
			}
		})
	}
}
