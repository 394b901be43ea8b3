package content

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// SendingsDir holds what a content tree says of its year reports sent:
// reports/YEAR.yaml, a list of records such as the dashboard's "Ghi nhận
// đã gửi" makes (the dispatch's date and number, which report, a note).
// It is how a tree that was not served — the demo's agencies — carries
// the record of a report sent (issue 20, point 7).
const SendingsDir = "reports"

// Limits of a sending's text, the dashboard form's.
const (
	MaxSendingNumber = 60
	MaxSendingNote   = 500
	// maxSendingsFile bounds reports/YEAR.yaml: a few records.
	maxSendingsFile = 64 << 10
)

// Sending is one report sent, as reports/YEAR.yaml holds it.
type Sending struct {
	// Report is "" for the unit's report (the plan's report_due), "so"
	// for the department's consolidated one (department_report_due).
	Report string `yaml:"report"`
	OnText string `yaml:"sent_on"`
	Number string `yaml:"number"`
	Note   string `yaml:"note"`
	// On is OnText read: midnight in Vietnam.
	On   time.Time `yaml:"-"`
	Line int       `yaml:"-"`
	// Later is set when On is after today: not recorded yet (a report is
	// recorded once sent), and said as a warning.
	Later bool `yaml:"-"`
}

// ParseSendings parses reports/YEAR.yaml (shown as path) of year, with
// the dashboard form's rules: a date in or after the year (one after
// today is marked Later: the importer records it once its day has come,
// as a demo imported on an earlier clock needs), a number of at most MaxSendingNumber characters, a note of at
// most MaxSendingNote, no control character; every problem an *Error at
// its line.
func ParseSendings(path string, year int, data []byte, now time.Time) ([]Sending, error) {
	fail := func(line int, msg string) ([]Sending, error) {
		return nil, Errors{{Path: path, Line: line, Msg: msg}}
	}
	if len(data) > maxSendingsFile {
		return fail(0, locale.T("content.file.too_big", len(data), maxSendingsFile))
	}
	if l := vntext.ValidUTF8Line(data); l > 0 {
		return fail(l, locale.T("content.plan.not_utf8"))
	}
	if i := bytes.IndexFunc(data, func(r rune) bool { return r != '\n' && vntext.IsControl(r) }); i >= 0 {
		r, _ := utf8.DecodeRune(data[i:])
		return fail(1+bytes.Count(data[:i], []byte("\n")), locale.T("content.file.control", vntext.ControlName(r)))
	}
	src := []byte(vntext.NFC(string(data)))
	if line, msg := checkYAMLTokens(string(src)); line > 0 {
		return fail(line, msg)
	}
	var list []Sending
	if err := yaml.UnmarshalWithOptions(src, &list, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		line, msg := yamlErrorPosition(err)
		var unknown *yaml.UnknownFieldError
		if errors.As(err, &unknown) {
			msg = locale.T("content.plan.unknown_field", msg)
		}
		return fail(line, msg)
	}
	file, _ := parser.ParseBytes(src, 0)
	var errs Errors
	today := sentDay(now)
	for i := range list {
		s := &list[i]
		s.Line = 1
		if file != nil {
			if p, err := yaml.PathString("$[" + strconv.Itoa(i) + "]"); err == nil {
				if n, err := p.FilterFile(file); err == nil && n != nil {
					s.Line = nodeLine(n)
				}
			}
		}
		s.Number, s.Note, s.OnText = strings.TrimSpace(s.Number), strings.TrimSpace(s.Note), strings.TrimSpace(s.OnText)
		add := func(msg string) { errs = append(errs, &Error{Path: path, Line: s.Line, Msg: msg}) }
		if s.Report != "" && s.Report != "so" {
			add(locale.T("report.send.which.bad"))
		}
		on, err := vntext.ParseDate(s.OnText)
		switch {
		case s.OnText == "":
			add(locale.T("report.send.on.required"))
		case err != nil:
			add(locale.T("report.send.on.invalid"))
		case sentDay(on).After(today):
			s.On, s.Later = sentDay(on), true
		case on.In(vntext.Zone).Year() < year:
			add(locale.T("report.send.on.before_year", year, year))
		default:
			s.On = sentDay(on)
		}
		switch n := s.Number; {
		case n == "":
			add(locale.T("report.send.number.required"))
		case utf8.RuneCountInString(n) > MaxSendingNumber:
			add(locale.T("report.send.number.long", MaxSendingNumber))
		case vntext.ControlAt(n) >= 0:
			add(locale.T("report.send.number.control"))
		}
		if utf8.RuneCountInString(s.Note) > MaxSendingNote {
			add(locale.T("report.send.note.long", MaxSendingNote))
		} else if vntext.ControlAt(s.Note) >= 0 {
			add(locale.T("report.send.note.control"))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return list, nil
}

// sentDay is t's date: midnight of its day in Vietnam (progress.Day, which
// this package cannot import).
func sentDay(t time.Time) time.Time {
	t = t.In(vntext.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vntext.Zone)
}
