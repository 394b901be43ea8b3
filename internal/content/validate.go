package content

import (
	"net/url"
	"strings"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Validate checks an item built outside a file (an editor's form) with the
// default schema; see Schema.Validate.
func Validate(it *Item) error { return DefaultSchema().Validate(it) }

// Validate checks an item built outside a file (an editor's form) as Parse
// checks a file's, fills the same defaults (plan item, slug), and returns
// the problems as Errors whose Field names the form field at fault.
func (s *Schema) Validate(it *Item) error {
	p := &itemParser{schema: s, kind: it.Kind}
	if it.Lines == nil {
		it.Lines = map[string]int{}
	}
	s.normalize(it)
	for _, f := range s.fields[it.Kind] {
		if f.Required != "" && f.Empty(it) {
			p.atField(it, f.Name, locale.T("content.field.empty", f.Name))
		}
	}
	p.validate(it)
	if len(p.errs) > 0 {
		return p.errs
	}
	return nil
}

// normalize puts every text field of it in NFC without surrounding space,
// and drops empty values from lists, as Parse does for files (NFC before
// parsing).
func (s *Schema) normalize(it *Item) {
	for _, f := range s.fields[it.Kind] {
		switch p := f.Ptr(it).(type) {
		case *string:
			*p = strings.TrimSpace(vntext.NFC(*p))
		case *[]string:
			var out []string
			for _, v := range *p {
				if v = strings.TrimSpace(vntext.NFC(v)); v != "" {
					out = append(out, v)
				}
			}
			*p = out
		}
	}
	it.Body = strings.ReplaceAll(vntext.NFC(it.Body), "\r\n", "\n")
}

// validate checks it field by field from the table, then the rules across
// fields, and fills the defaults (plan item, slug).
func (p *itemParser) validate(it *Item) {
	for _, f := range p.schema.fields[it.Kind] {
		if !p.reported[f.Name] {
			p.checkField(it, f)
		}
	}
	for _, rule := range rules[it.Kind] {
		if name, msg := rule(it); msg != "" {
			p.atField(it, name, msg)
		}
	}
	if it.Slug == "" {
		if f, ok := p.schema.Field(it.Kind, it.Kind.Info().SlugFrom); ok {
			it.Slug = vntext.Slug(f.Str(it))
		}
		if it.Slug == "" {
			p.atField(it, "title", locale.T("content.slug.from_title"))
		}
	}
}

// checkField checks the value of f in it: present when required, of its
// type, passing its Check, one of its Values (kept as they write it).
func (p *itemParser) checkField(it *Item, f Field) {
	empty := func() {
		if f.Check != nil {
			// A file's empty code or number: the message says what the
			// value should look like.
			if msg := f.Check(""); msg != "" {
				p.atField(it, f.Name, msg)
				return
			}
		}
		p.atField(it, f.Name, locale.T("content.field.empty", f.Name))
	}
	switch f.Type {
	case TypeString, TypeText, TypeURL:
		v := f.Str(it)
		switch {
		case v == "" && f.Required != "":
			empty()
		case v == "":
			if f.Default != "" {
				f.Set(it, f.Default)
			}
		case f.Type == TypeString && strings.ContainsAny(v, "\n\r"):
			p.atField(it, f.Name, locale.T("content.field.one_line", f.Name))
		case f.Type == TypeURL && !WebAddress(v):
			p.atField(it, f.Name, locale.T("content.field.not_url", f.Name))
		case f.Check != nil && f.Check(v) != "":
			p.atField(it, f.Name, f.Check(v))
		default:
			f.Set(it, f.canonical(v))
		}
	case TypeList:
		vs := f.List(it)
		if len(vs) == 0 && f.Required != "" {
			empty()
		}
		for i, v := range vs {
			if f.Check != nil {
				if msg := f.Check(v); msg != "" {
					p.atField(it, f.Name, msg)
					continue
				}
			}
			vs[i] = f.canonical(v)
		}
	case TypeDate:
		if f.Required != "" && f.Empty(it) {
			empty()
		}
	}
}

// rules are the checks across the fields of each kind: each returns the
// field at fault and the problem, or "" when there is none.
var rules = map[Kind][]func(it *Item) (string, string){
	Article:   {updatedAfterDate},
	Procedure: {updatedAfterDate},
	Document:  {updatedAfterDate, effectiveAfterIssued, expiresAfterStart, relationsBounded, relationNotSelf},
	Activity:  {endAfterStart},
}

// endAfterStart refuses an activity whose last day comes before its first.
func endAfterStart(it *Item) (string, string) {
	if !it.DateEnd.IsZero() && !it.Date.IsZero() && it.DateEnd.Before(it.Date) {
		return "date_end", locale.T("content.date_end_before_date", vntext.Date(it.DateEnd), vntext.Date(it.Date))
	}
	return "", ""
}

func updatedAfterDate(it *Item) (string, string) {
	if !it.Updated.IsZero() && !it.Date.IsZero() && it.Updated.Before(it.Date) {
		return "updated", locale.T("content.updated_before_date", vntext.Date(it.Updated), vntext.Date(it.Date))
	}
	return "", ""
}

func effectiveAfterIssued(it *Item) (string, string) {
	if !it.Effective.IsZero() && !it.Issued.IsZero() && it.Effective.Before(it.Issued) {
		return "effective", locale.T("content.effective_before_issued", vntext.Date(it.Effective), vntext.Date(it.Issued))
	}
	return "", ""
}

func expiresAfterStart(it *Item) (string, string) {
	if it.Expires.IsZero() {
		return "", ""
	}
	start := it.Effective
	if start.IsZero() {
		start = it.Issued
	}
	if !it.Expires.After(start) {
		return "expires", locale.T("content.expires_before_start", vntext.Date(it.Expires), vntext.Date(start))
	}
	return "", ""
}

// WebAddress reports whether s is an absolute http(s) address, as a URL
// field must be.
func WebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
