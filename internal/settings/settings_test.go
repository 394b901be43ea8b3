package settings

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		s     Settings
		field string // "" when the record is good
	}{
		{"empty is good", Settings{}, ""},
		{"all set", Settings{DeskAddress: "Số 1", DeskPhone: "0255 3 822 xxx", DeskEmail: "motcua@skhcn.quangngai.gov.vn",
			DeskHours: "Sáng\nChiều", ContentUnit: "Trung tâm", PortalURL: "https://dichvucong.quangngai.gov.vn/", Logo: "abc.png"}, ""},
		{"javascript portal", Settings{PortalURL: "javascript:alert(1)"}, FieldPortalURL},
		{"JavaScript portal, upper case", Settings{PortalURL: "JAVASCRIPT://x.vn/%0aalert(1)"}, FieldPortalURL},
		{"http portal", Settings{PortalURL: "http://x.vn"}, FieldPortalURL},
		{"portal with a quote", Settings{PortalURL: `https://x.vn/"onmouseover="x`}, FieldPortalURL},
		{"e-mail without domain dot", Settings{DeskEmail: "a@b"}, FieldDeskEmail},
		{"two e-mails", Settings{DeskEmail: "a@b.vn, c@d.vn"}, FieldDeskEmail},
		{"C1 in the unit", Settings{ContentUnit: "Trung\u009btâm"}, FieldContentUnit},
		{"tab in the phone", Settings{DeskPhone: "0255\t1"}, ""}, // Clean makes it a space
		{"too long address", Settings{DeskAddress: strings.Repeat("ạ", 301)}, FieldDeskAddress},
		{"logo path", Settings{Logo: "../x.png"}, FieldLogo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := Check(Clean(tt.s))
			if tt.field == "" && errs != nil {
				t.Fatalf("errors %v, want none", errs)
			}
			if tt.field != "" && (len(errs) != 1 || errs[tt.field] == "") {
				t.Fatalf("errors %v, want one for %s", errs, tt.field)
			}
		})
	}
}

func TestCleanAndDial(t *testing.T) {
	s := Clean(Settings{DeskAddress: "  Số 1\r\n đường  A ", DeskHours: "Sáng\r\nChiều  ", DeskPhone: "(0255) 3.822.123 / 0905 000 000"})
	if s.DeskAddress != "Số 1 đường A" || s.DeskHours != "Sáng\nChiều" {
		t.Errorf("Clean = %+v", s)
	}
	if got := s.PhoneDial(); got != "02553822123" {
		t.Errorf("PhoneDial = %q", got)
	}
	if got := (Settings{DeskPhone: "+84 255 3822 123"}).PhoneDial(); got != "+842553822123" {
		t.Errorf("PhoneDial = %q", got)
	}
	if got := (Settings{DeskPhone: "gọi Sở"}).PhoneDial(); got != "" {
		t.Errorf("PhoneDial = %q, want none", got)
	}
}
