package content

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"cchc/internal/agency"
	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// AgencyFileName is the record of another agency in the content folder:
// agencies/SLUG/agency.yaml, beside that agency's own articles/,
// procedures/, documents/, plans/ and activities/ (issue 20). The folder's
// name is the agency's slug.
const AgencyFileName = "agency.yaml"

// MaxAgencyFileSize is the largest agency.yaml accepted: a record is a few
// hundred bytes, and a value too long for its field is said at its line
// (agency.Check) rather than as a file too big, up to this size.
const MaxAgencyFileSize = 2 << 20

// AgencyFile is an agency.yaml as written: the record's fields and the
// slug of the agency it answers to.
type AgencyFile struct {
	Name      string `yaml:"name"`
	ShortName string `yaml:"short_name"`
	Parent    string `yaml:"parent"`
	Address   string `yaml:"address"`
	Phone     string `yaml:"phone"`
	Email     string `yaml:"email"`
	Website   string `yaml:"website"`
	Prefix    string `yaml:"prefix"`
	Host      string `yaml:"host"`

	path  string
	lines map[string]int
}

// Record is the agency the file describes, with slug (the folder's name)
// and no parent: the parent's id is the store's to find by its slug.
func (f *AgencyFile) Record(slug string) agency.Agency {
	return agency.Agency{
		Slug: slug, Name: f.Name, ShortName: f.ShortName, Address: f.Address, Phone: f.Phone,
		Email: f.Email, Website: f.Website, Prefix: f.Prefix, Host: f.Host,
	}
}

// Line is the line of field (agency's field names, or "parent"), 1 when
// the file does not hold it.
func (f *AgencyFile) Line(field string) int {
	if f.lines[field] > 0 {
		return f.lines[field]
	}
	return 1
}

// Problems turns problems by field (agency.Check's, the store's) into
// the file's errors, at their fields' lines, in the order of the lines.
func (f *AgencyFile) Problems(byField map[string]string) Errors {
	var errs Errors
	for _, field := range slices.Sorted(maps.Keys(byField)) {
		key := field
		if key == agency.FieldParent {
			key = "parent"
		}
		errs = append(errs, &Error{Path: f.path, Line: f.Line(key), Field: key, Msg: key + ": " + byField[field]})
	}
	slices.SortStableFunc(errs, func(a, b *Error) int { return a.Line - b.Line })
	return errs
}

// agencyFileFields are the keys an agency.yaml may hold, by the record's
// field names ("parent" is the parent's slug).
var agencyFileFields = []string{
	agency.FieldName, agency.FieldShortName, "parent", agency.FieldAddress, agency.FieldPhone,
	agency.FieldEmail, agency.FieldWebsite, agency.FieldPrefix, agency.FieldHost,
}

// ParseAgencyFile parses an agency.yaml shown as path and checks the
// record it describes for slug (agency.Clean and agency.Check: lengths,
// control characters, the shape of the prefix, host and addresses, a
// reserved prefix). What needs the other agencies (a value taken, the
// parent) is the store's. A file over MaxAgencyFileSize, not UTF-8, with
// control characters, anchors, aliases or tags is refused before it is
// parsed, as plans are; every problem is an *Error at its line.
func ParseAgencyFile(path, slug string, data []byte) (*AgencyFile, error) {
	fail := func(line int, msg string) (*AgencyFile, error) {
		return nil, Errors{{Path: path, Line: line, Msg: msg}}
	}
	if len(data) > MaxAgencyFileSize {
		return fail(0, locale.T("content.file.too_big", len(data), MaxAgencyFileSize))
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return fail(1, locale.T("content.file.empty"))
	}
	if l := vntext.ValidUTF8Line(data); l > 0 {
		return fail(l, locale.T("content.plan.not_utf8"))
	}
	if i := bytes.IndexFunc(data, vntext.IsControl); i >= 0 {
		r, _ := utf8.DecodeRune(data[i:])
		return fail(1+bytes.Count(data[:i], []byte("\n")), locale.T("content.file.control", vntext.ControlName(r)))
	}
	src := []byte(vntext.NFC(string(data)))
	if line, msg := checkYAMLTokens(string(src)); line > 0 {
		return fail(line, msg)
	}
	f := &AgencyFile{path: path, lines: map[string]int{}}
	if err := yaml.UnmarshalWithOptions(src, f, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		line, msg := yamlErrorPosition(err)
		var unknown *yaml.UnknownFieldError
		if errors.As(err, &unknown) {
			msg = locale.T("content.plan.unknown_field", msg)
		}
		return fail(line, msg)
	}
	if file, err := parser.ParseBytes(src, 0); err == nil {
		for _, field := range agencyFileFields {
			if p, err := yaml.PathString("$." + field); err == nil {
				if n, err := p.FilterFile(file); err == nil && n != nil {
					f.lines[field] = nodeLine(n)
				}
			}
		}
	}
	rec := agency.Clean(f.Record(slug))
	f.Name, f.ShortName, f.Address, f.Phone = rec.Name, rec.ShortName, rec.Address, rec.Phone
	f.Email, f.Website, f.Prefix, f.Host = rec.Email, rec.Website, rec.Prefix, rec.Host
	f.Parent = strings.TrimSpace(f.Parent)
	problems := agency.Check(rec)
	if problems[agency.FieldSlug] != "" {
		// The slug is the folder's name, on no line of the file.
		errs := Errors{{Path: path, Msg: locale.T("content.agency.folder", slug, problems[agency.FieldSlug])}}
		delete(problems, agency.FieldSlug)
		if len(problems) > 0 {
			errs = append(errs, f.Problems(problems)...)
		}
		return nil, errs
	}
	if len(problems) > 0 {
		return nil, f.Problems(problems)
	}
	if rec.Prefix == "" && rec.Host == "" {
		return nil, Errors{{Path: path, Line: 1, Msg: locale.T("content.agency.no_address")}}
	}
	return f, nil
}
