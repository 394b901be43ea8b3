// Package agency is the record of an agency (cơ quan) and its rules
// (issue 20). One instance serves many agencies: each owns its content,
// plans, accounts, media, units, log and reports, and its column answers
// under its own path prefix (/so-tu-phap/…) or host name. Today's column
// is agency 1, the root column: no prefix, no host, today's addresses.
//
// This package holds the record and its checks, so every writer checks
// alike; the store keeps the rows (table agencies, migration 0130;
// store/agencies.go) and runs Clean and Check before every write. It also
// holds the rule of who reads the province's roll-up across agencies
// (SeesRollup), which the routes and the workspace's menu share. See
// docs/DECISIONS.md, "Issue 20: many agencies", for the design and what
// is left to build.
package agency

import (
	"errors"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Root is the id of the first agency, the one today's data belongs to
// (migration 0130 creates it and gives it every existing row).
const Root int64 = 1

// Agency is one agency's record.
type Agency struct {
	ID int64
	// Slug is the agency's key on the command line and in files
	// (cchc log verify --agency so-khcn): lower-case ASCII letters, digits
	// and single hyphens.
	Slug string
	// Name is the full name (Sở Khoa học và Công nghệ tỉnh Quảng Ngãi).
	Name string
	// ShortName is the name as lists and labels abbreviate it (Sở KH&CN).
	ShortName string
	// ParentID is the agency it answers to, 0 for none in this instance.
	ParentID int64
	// Address, Phone, Email and Website are the agency's own office's;
	// the one-stop desk's contacts and the emblem are its settings'.
	Address string
	Phone   string
	Email   string
	Website string
	// Prefix is the column's first path segment ("/so-tu-phap"), "" for
	// none.
	Prefix string
	// Host is the column's own host name ("stp.quangngai.gov.vn"), "" for
	// none. An agency with neither prefix nor host is the root column;
	// there is at most one.
	Host string
}

// Field names: the form's, the errors' keys and the audit detail's.
const (
	FieldSlug      = "slug"
	FieldName      = "name"
	FieldShortName = "short_name"
	FieldParent    = "parent_id"
	FieldAddress   = "address"
	FieldPhone     = "phone"
	FieldEmail     = "email"
	FieldWebsite   = "website"
	FieldPrefix    = "prefix"
	FieldHost      = "host"
)

// textFields are the fields that hold text, in the form's order.
var textFields = []string{FieldSlug, FieldName, FieldShortName, FieldAddress, FieldPhone, FieldEmail, FieldWebsite, FieldPrefix, FieldHost}

// limits of the text fields, in characters.
var limits = map[string]int{
	FieldSlug: 40, FieldName: 300, FieldShortName: 60, FieldAddress: 300, FieldPhone: 100,
	FieldEmail: 254, FieldWebsite: 2048, FieldPrefix: 41, FieldHost: 253,
}

// Limit is the longest value of field, in characters (0: not a text field).
func Limit(field string) int { return limits[field] }

// ptr is the address of field's member of a (nil for an unknown name).
func (a *Agency) ptr(field string) *string {
	switch field {
	case FieldSlug:
		return &a.Slug
	case FieldName:
		return &a.Name
	case FieldShortName:
		return &a.ShortName
	case FieldAddress:
		return &a.Address
	case FieldPhone:
		return &a.Phone
	case FieldEmail:
		return &a.Email
	case FieldWebsite:
		return &a.Website
	case FieldPrefix:
		return &a.Prefix
	case FieldHost:
		return &a.Host
	}
	return nil
}

// Get is field's value in a ("" for a field that is not text).
func (a Agency) Get(field string) string {
	if p := a.ptr(field); p != nil {
		return *p
	}
	return ""
}

// Set sets the text field named field (one of the Field constants) to s;
// an unknown name changes nothing.
func (a *Agency) Set(field, s string) {
	if p := a.ptr(field); p != nil {
		*p = s
	}
}

// IsRoot reports whether a's column is served at the root addresses:
// neither a prefix nor a host.
func (a Agency) IsRoot() bool { return a.Prefix == "" && a.Host == "" }

// Reserved lists the first path segments the router answers for every
// column (the public pages, the feeds, the workspace, the reports, the
// assets): a prefix equal to one would hide them. TestReservedCoversRouter
// checks it against the real router's routes, both ways.
var Reserved = []string{
	"assets", "atom.xml", "bao-cao", "chu-de", "favicon.svg", "feed.json", "hoat-dong", "quan-tri",
	"robots.txt", "rss.xml", "sitemap.xml", "tep", "theo-doi", "thu-tuc-hanh-chinh", "tim-kiem",
	"tin-tuc", "toan-tinh", "van-ban",
}

// IsReserved reports whether prefix ("/tin-tuc") names a segment the
// router keeps, or one that starts with "sitemap" (the sitemap's pages).
func IsReserved(prefix string) bool {
	seg := strings.TrimPrefix(prefix, "/")
	return slices.Contains(Reserved, seg) || strings.HasPrefix(seg, "sitemap")
}

// Clean is a as it would be stored: each value NFC, trimmed, runs of
// white space made one space; the slug, prefix, host and e-mail
// lower-cased; a trailing slash of the prefix and a trailing dot of the
// host dropped.
func Clean(a Agency) Agency {
	for _, f := range textFields {
		p := a.ptr(f)
		*p = strings.Join(strings.Fields(vntext.NFC(*p)), " ")
	}
	a.Slug = strings.ToLower(a.Slug)
	a.Prefix = strings.TrimRight(strings.ToLower(a.Prefix), "/")
	if a.Prefix != "" && !strings.HasPrefix(a.Prefix, "/") {
		a.Prefix = "/" + a.Prefix
	}
	a.Host = strings.TrimSuffix(strings.ToLower(a.Host), ".")
	a.Email = strings.ToLower(a.Email)
	return a
}

// Check returns the problems of a (cleaned by Clean) by field, in
// Vietnamese; nil when there are none. What needs the other agencies
// (a slug, name, prefix or host already taken, a parent that does not
// exist or would make a loop, a second root column) is the store's to
// say.
func Check(a Agency) map[string]string {
	errs := map[string]string{}
	for _, f := range textFields {
		v := a.Get(f)
		if v == "" {
			continue
		}
		if !utf8.ValidString(v) {
			errs[f] = locale.T("agency.encoding")
			continue
		}
		if n := utf8.RuneCountInString(v); n > limits[f] {
			errs[f] = locale.T("agency.too_long", limits[f], n)
			continue
		}
		if i := strings.IndexFunc(v, refused); i >= 0 {
			r, _ := utf8.DecodeRuneInString(v[i:])
			errs[f] = locale.T("agency.control", vntext.ControlName(r))
			continue
		}
		switch f {
		case FieldSlug:
			if !validSlug(v) {
				errs[f] = locale.T("agency.slug.invalid")
			}
		case FieldEmail:
			if !validEmail(v) {
				errs[f] = locale.T("agency.email.invalid")
			}
		case FieldWebsite:
			if !validWebsite(v) {
				errs[f] = locale.T("agency.website.invalid")
			}
		case FieldPrefix:
			if !strings.HasPrefix(v, "/") || !validSlug(v[1:]) {
				errs[f] = locale.T("agency.prefix.invalid")
			} else if IsReserved(v) {
				errs[f] = locale.T("agency.prefix.reserved", v)
			}
		case FieldHost:
			if !validHost(v) {
				errs[f] = locale.T("agency.host.invalid")
			}
		}
	}
	for _, f := range []string{FieldSlug, FieldName, FieldShortName} {
		if a.Get(f) == "" {
			errs[f] = locale.T("agency.required")
		}
	}
	switch {
	case a.ParentID < 0:
		errs[FieldParent] = locale.T("agency.parent.missing")
	case a.ParentID != 0 && a.ParentID == a.ID:
		errs[FieldParent] = locale.T("agency.parent.self")
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Invalid is the error a write of an agency with problems returns: the
// problems by field, in Vietnamese.
type Invalid struct {
	Problems map[string]string
}

// Error lists the fields with problems, for logs.
func (e *Invalid) Error() string {
	fields := make([]string, 0, len(e.Problems))
	for f := range e.Problems {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	return "agency: invalid " + strings.Join(fields, ", ")
}

// Problems is err's problems by field when it is (or wraps) an *Invalid,
// nil otherwise.
func Problems(err error) map[string]string {
	var inv *Invalid
	if errors.As(err, &inv) {
		return inv.Problems
	}
	return nil
}

// validSlug accepts lower-case ASCII letters and digits in runs joined by
// single hyphens: what a URL segment and a command-line flag take as is.
func validSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validHost accepts a lower-case DNS name of two labels or more, without
// a port: what a Host header names once its port is dropped.
func validHost(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) > 63 || !validSlug(strings.ReplaceAll(l, "--", "-x-")) {
			return false
		}
	}
	return true
}

// validEmail accepts a bare address (no display name, no angle brackets).
func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	return err == nil && a.Name == "" && a.Address == v && strings.Contains(v[strings.LastIndexByte(v, '@'):], ".")
}

// validWebsite accepts an https address of a named host, without user
// information.
func validWebsite(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return false
	}
	return !strings.ContainsAny(v, " \"'<>\\`")
}

// refused is a character no field of the record may hold: a control
// character (vntext.IsControl), or a bidirectional embedding, override or
// isolate (U+202A–U+202E, U+2066–U+2069). An agency's name labels its
// items in every other agency's province-wide results and in the
// roll-up; an override there would make the text after it read backwards
// ("Sở Tư pháp" shown where another name is stored). Invisible
// characters too — zero-width space, joiners, word joiner, byte order
// mark, soft hyphen, left-to-right and right-to-left marks — which
// Vietnamese never needs: one inside a name made a second agency that
// reads exactly as another's, which the store's check of taken names,
// comparing bytes, let in (h21-attack).
func refused(r rune) bool {
	return vntext.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 ||
		r >= 0x200B && r <= 0x200F || r == 0x2060 || r == 0xFEFF || r == 0x00AD
}
