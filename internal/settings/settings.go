// Package settings is the site's one settings record: the department's
// one-stop desk (Bộ phận Một cửa) — address, phone, e-mail, hours —, the
// unit responsible for the column's content, the provincial public-service
// portal and the emblem. The rules for agencies' web portals ask for the
// contact and the responsible unit on every page; the public pages show
// them in the footer and on every procedure page, the header shows the
// emblem. Every field is empty by default, and an empty field is not
// shown.
//
// The admin edits the record on the workspace's Cài đặt screen; the store
// keeps it (table settings, migration 0060), and a change moves the site's
// version so the page cache drops every page. This package holds the
// record and its rules, so the form and any other writer check alike.
package settings

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Settings is the site's settings record. The zero value is the default:
// nothing set.
type Settings struct {
	DeskAddress string // địa chỉ Bộ phận Một cửa
	DeskPhone   string
	DeskEmail   string
	DeskHours   string // thời gian làm việc; may run over a few lines
	// ContentUnit is the unit responsible for the column's content.
	ContentUnit string
	// PortalURL is the provincial public-service portal (https only).
	PortalURL string
	// Logo is the emblem: the name of an image in the media library, ""
	// for the theme's neutral mark.
	Logo string
}

// Field names: the form's, the errors' keys and the audit detail's.
const (
	FieldDeskAddress = "desk_address"
	FieldDeskPhone   = "desk_phone"
	FieldDeskEmail   = "desk_email"
	FieldDeskHours   = "desk_hours"
	FieldContentUnit = "content_unit"
	FieldPortalURL   = "portal_url"
	FieldLogo        = "logo"
)

// Fields lists the field names in the form's order.
var Fields = []string{FieldDeskAddress, FieldDeskPhone, FieldDeskEmail, FieldDeskHours, FieldContentUnit, FieldPortalURL, FieldLogo}

// Limits of the fields, in characters: enough for any real value, small
// enough that the footer of every page stays cheap.
var limits = map[string]int{
	FieldDeskAddress: 300, FieldDeskPhone: 100, FieldDeskEmail: 254, FieldDeskHours: 500,
	FieldContentUnit: 300, FieldPortalURL: 2048, FieldLogo: 200,
}

// Limit is the longest value of field, in characters.
func Limit(field string) int { return limits[field] }

// Ptr is the address of field's member of s (nil for an unknown name).
func (s *Settings) Ptr(field string) *string {
	switch field {
	case FieldDeskAddress:
		return &s.DeskAddress
	case FieldDeskPhone:
		return &s.DeskPhone
	case FieldDeskEmail:
		return &s.DeskEmail
	case FieldDeskHours:
		return &s.DeskHours
	case FieldContentUnit:
		return &s.ContentUnit
	case FieldPortalURL:
		return &s.PortalURL
	case FieldLogo:
		return &s.Logo
	}
	return nil
}

// Get is field's value in s.
func (s Settings) Get(field string) string {
	if p := s.Ptr(field); p != nil {
		return *p
	}
	return ""
}

// HasContact reports whether any of the desk's particulars is set.
func (s Settings) HasContact() bool {
	return s.DeskAddress != "" || s.DeskPhone != "" || s.DeskEmail != "" || s.DeskHours != ""
}

// PhoneDial is the desk's phone as a tel: link dials it (digits and a
// leading +), "" when it has too few digits to dial.
func (s Settings) PhoneDial() string {
	var b strings.Builder
	for _, r := range s.DeskPhone {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r == ',' || r == ';' || r == '/':
			// A second number follows: dial the first.
			if b.Len() > 0 {
				return b.String()
			}
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return b.String()
}

// Clean is s as it would be stored: each value NFC, trimmed, line breaks
// of the one-line fields made spaces, the hours' CRLF made LF.
func Clean(s Settings) Settings {
	for _, f := range Fields {
		p := s.Ptr(f)
		v := strings.TrimSpace(vntext.NFC(*p))
		if f == FieldDeskHours {
			v = strings.ReplaceAll(v, "\r\n", "\n")
		} else {
			v = strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(v)), " ")
		}
		*p = v
	}
	return s
}

// Check returns the problems of s (cleaned by Clean) by field, in
// Vietnamese; nil when there are none. The logo is checked as a name
// here; whether the media library holds it as an image is the caller's
// (the store's) to say.
func Check(s Settings) map[string]string {
	errs := map[string]string{}
	for _, f := range Fields {
		v := s.Get(f)
		if v == "" {
			continue
		}
		if n := utf8.RuneCountInString(v); n > limits[f] {
			errs[f] = locale.T("settings.too_long", limits[f], n)
			continue
		}
		probe := v
		if f == FieldDeskHours {
			probe = strings.NewReplacer("\n", "", "\r", "", "\t", "").Replace(v)
		}
		if i := vntext.ControlAt(probe); i >= 0 {
			r, _ := utf8.DecodeRuneInString(probe[i:])
			errs[f] = locale.T("settings.control", vntext.ControlName(r))
			continue
		}
		switch f {
		case FieldDeskEmail:
			if !validEmail(v) {
				errs[f] = locale.T("settings.email.invalid")
			}
		case FieldPortalURL:
			if !validPortal(v) {
				errs[f] = locale.T("settings.portal_url.invalid")
			}
		case FieldLogo:
			if strings.ContainsAny(v, "/\\ ") || strings.HasPrefix(v, ".") {
				errs[f] = locale.T("settings.logo.missing")
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// validEmail accepts a bare address (no display name, no angle brackets).
func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	return err == nil && a.Name == "" && a.Address == v && strings.Contains(v[strings.LastIndexByte(v, '@'):], ".")
}

// validPortal accepts an https address of a named host, without user
// information: the link leaves the column from every procedure page.
func validPortal(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return false
	}
	return !strings.ContainsAny(v, " \"'<>\\`")
}

// MediaName accepts what is pasted for a media file: its name, or its
// address (/tep/NAME, or a full URL ending in /tep/NAME).
func MediaName(v string) string {
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		v = u.Path
	}
	if rest, ok := strings.CutPrefix(v, "/tep/"); ok {
		return rest
	}
	return v
}

// Changed lists the fields whose values differ between a and b.
func Changed(a, b Settings) []string {
	var out []string
	for _, f := range Fields {
		if a.Get(f) != b.Get(f) {
			out = append(out, f)
		}
	}
	return out
}
