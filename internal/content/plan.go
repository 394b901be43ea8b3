package content

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Plan is one year's communication plan (content/plans/YEAR.yaml): the
// content areas (II.x), the channels (III.x) with their targets, and the
// documents it names. The publication log is measured against it.
type Plan struct {
	Number     string     `yaml:"number" json:"number"`
	Title      string     `yaml:"title" json:"title"`
	Issuer     string     `yaml:"issuer" json:"issuer,omitempty"`
	IssuedText string     `yaml:"issued" json:"-"`
	Year       int        `yaml:"year" json:"year"`
	Implements []string   `yaml:"implements" json:"implements,omitempty"`
	DueText    string     `yaml:"report_due" json:"-"`
	Areas      []Area     `yaml:"areas" json:"areas"`
	Documents  []string   `yaml:"documents" json:"documents,omitempty"`
	Items      []PlanItem `yaml:"items" json:"items"`
	// ProcedureList names the official list of procedures (a CSV or XLSX
	// file beside the plan, in plans/, as exported from the national
	// procedure database): the denominator of "publish every procedure".
	// Empty when the plan names none. The import reads it (package
	// tthclist) and keeps it with the plan.
	ProcedureList string `yaml:"procedure_list" json:"procedure_list,omitempty"`
	// Report is who sends the year's report and to whom (the letterhead,
	// Kính gửi, Nơi nhận, the signature); nil when the plan file has no
	// `report:` block, and the print leaves those parts to fill in.
	Report *ReportSettings `yaml:"report" json:"report,omitempty"`
	// Channels are the channels activities go through, as the plan names
	// them (codes from Channels; see plan_channels.go).
	Channels []PlanChannel `yaml:"channels" json:"channels,omitempty"`
	// DepartmentReport is the Sở's own consolidated report to the
	// province (plan section V), in the same form as Report; nil when the
	// plan file has none. DepartmentDueText is its deadline as written
	// (15 November when absent).
	DepartmentReport  *ReportSettings `yaml:"department_report" json:"department_report,omitempty"`
	DepartmentDueText string          `yaml:"department_report_due" json:"-"`

	Issued    time.Time `yaml:"-" json:"issued"`
	ReportDue time.Time `yaml:"-" json:"report_due"`
	// DepartmentDue is the Sở's report's deadline; zero when the plan has
	// neither a department_report block nor its due date.
	DepartmentDue time.Time `yaml:"-" json:"department_due,omitzero"`
}

// Area is one content area of a plan (II.1, II.2.a, …). Citizens see its
// title and its slug, never its plan code: the code is for staff screens
// and the report.
type Area struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	// Slug is the area's public address under /chu-de/ when the plan
	// gives one (a short one for a long title); empty means the title's
	// slug (see URLSlug).
	Slug string `yaml:"slug" json:"slug,omitempty"`
}

// URLSlug is the area's segment under /chu-de/: its Slug, or its title's.
func (a Area) URLSlug() string {
	if a.Slug != "" {
		return a.Slug
	}
	return vntext.Slug(a.Title)
}

// URL is the area's public page, /chu-de/SLUG.
func (a Area) URL() string { return "/chu-de/" + a.URLSlug() }

// PlanItem is one channel of a plan (III.1, …) with its targets.
type PlanItem struct {
	ID       string `yaml:"id" json:"id"`
	Title    string `yaml:"title" json:"title"`
	Lead     string `yaml:"lead" json:"lead,omitempty"`
	Partners string `yaml:"partners" json:"partners,omitempty"`
	Schedule string `yaml:"schedule" json:"schedule,omitempty"`
	Tracked  bool   `yaml:"tracked" json:"tracked"`
	// RawTargets is the targets mapping as written; ParsePlan reads it
	// into Targets, with a line for every problem.
	RawTargets map[string]any `yaml:"targets" json:"-"`
	Targets    Targets        `yaml:"-" json:"targets"`
	// RawChannelTargets are the item's targets per channel as written
	// (channel code → a target in full); ParsePlan reads them into
	// ChannelTargets, in the order of the plan's channels.
	RawChannelTargets map[string]any  `yaml:"channel_targets" json:"-"`
	ChannelTargets    []ChannelTarget `yaml:"-" json:"channel_targets,omitempty"`
	// Quarters are the quarters (1–4, consecutive) the item must be
	// carried out in, as the plan schedules it ("Quý I–II": [1, 2]);
	// empty for an item carried out all year.
	Quarters []int `yaml:"quarters" json:"quarters,omitempty"`
}

// Area returns the plan's area with id, if it has one.
func (p *Plan) Area(id string) (Area, bool) {
	for _, a := range p.Areas {
		if a.ID == id {
			return a, true
		}
	}
	return Area{}, false
}

// maxPlanProblems is how many problems of a plan are listed; the rest
// are counted in one more line. A file of thousands of bad entries would
// otherwise be thousands of lines nobody reads, each to be located.
const maxPlanProblems = 100

var planFileName = regexp.MustCompile(`^(\d{4})\.yaml$`)

// PlanYear returns the year a plan file name stands for ("2022.yaml" → 2022).
func PlanYear(name string) (int, bool) {
	m := planFileName.FindStringSubmatch(name)
	if m == nil {
		return 0, false
	}
	var y int
	fmt.Sscan(m[1], &y)
	return y, true
}

// ParsePlan parses a plan file. year is the year from its file name, which
// must agree with the year inside. A file over MaxPlanSize, with control
// characters, anchors or aliases, or nested too deep is refused before it
// is parsed (see checkYAMLTokens).
func ParsePlan(path string, year int, data []byte) (*Plan, error) {
	fail := func(line int, msg string) (*Plan, error) {
		return nil, Errors{{Path: path, Line: line, Msg: msg}}
	}
	if len(data) > MaxPlanSize {
		return fail(0, locale.T("content.file.too_big", len(data), MaxPlanSize))
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
	var p Plan
	if err := yaml.UnmarshalWithOptions(src, &p, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		line, msg := yamlErrorPosition(err)
		var unknown *yaml.UnknownFieldError
		if errors.As(err, &unknown) {
			msg = locale.T("content.plan.unknown_field", msg)
		}
		return fail(line, msg)
	}
	// The file's syntax tree is parsed once, on the first problem: a plan
	// with thousands of bad entries parsed it once per entry (issue 16's
	// 4,000 unknown channels took 2 min 42 s and 93 GB of allocations).
	var file *ast.File
	var fileErr error
	var errs Errors
	dropped := 0
	lineOf := func(p string) int {
		if len(errs) >= maxPlanProblems {
			return 0 // not reported: no need to find it
		}
		if file == nil && fileErr == nil {
			file, fileErr = parser.ParseBytes(src, 0)
		}
		if fileErr != nil {
			return 1
		}
		path, err := yaml.PathString(p)
		if err != nil {
			return 1
		}
		n, err := path.FilterFile(file)
		if err != nil || n == nil {
			return 1
		}
		return nodeLine(n)
	}
	add := func(line int, msg string) {
		if len(errs) >= maxPlanProblems {
			dropped++
			return
		}
		errs = append(errs, &Error{Path: path, Line: line, Msg: msg})
	}
	for _, req := range []struct{ name, value string }{{"number", p.Number}, {"title", p.Title}, {"issued", p.IssuedText}} {
		if strings.TrimSpace(req.value) == "" {
			add(1, locale.T("content.field.missing", req.name))
		}
	}
	if p.Year != year {
		add(lineOf("$.year"), locale.T("content.plan.year", p.Year, year))
	}
	var err error
	if p.IssuedText != "" {
		if p.Issued, err = vntext.ParseDate(p.IssuedText); err != nil {
			add(lineOf("$.issued"), locale.T("content.field.problem", "issued", locale.Text(err)))
		}
	}
	if p.DueText == "" {
		// The plan's own default: units report before 10 November.
		p.ReportDue = time.Date(year, time.November, 10, 0, 0, 0, 0, vntext.Zone)
	} else if p.ReportDue, err = vntext.ParseDate(p.DueText); err != nil {
		add(lineOf("$.report_due"), locale.T("content.field.problem", "report_due", locale.Text(err)))
	}
	seen := map[string]bool{}
	seenSlug := map[string]string{}
	for i, a := range p.Areas {
		if !areaID.MatchString(a.ID) || strings.TrimSpace(a.Title) == "" {
			add(lineOf(fmt.Sprintf("$.areas[%d]", i)), locale.T("content.plan.area_shape", a.ID))
		}
		if seen[a.ID] {
			add(lineOf(fmt.Sprintf("$.areas[%d]", i)), locale.T("content.plan.area_twice", a.ID))
		}
		seen[a.ID] = true
		// The slug is an address: the slug function's output (so never
		// shaped like a plan code, which answers with a redirect), one per
		// area.
		if a.Slug != "" && vntext.Slug(a.Slug) != a.Slug {
			add(lineOf(fmt.Sprintf("$.areas[%d].slug", i)), locale.T("content.plan.area_slug", a.Slug, vntext.Slug(a.Slug)))
		}
		if sl := a.URLSlug(); sl != "" && seenSlug[sl] != "" {
			add(lineOf(fmt.Sprintf("$.areas[%d]", i)), locale.T("content.plan.area_slug_twice", a.ID, seenSlug[sl], sl))
		} else {
			seenSlug[sl] = a.ID
		}
	}
	for i := range p.Items {
		it := &p.Items[i]
		if !planItemID.MatchString(it.ID) || strings.TrimSpace(it.Title) == "" {
			add(lineOf(fmt.Sprintf("$.items[%d]", i)), locale.T("content.plan.item_shape", it.ID))
		}
		if seen[it.ID] {
			add(lineOf(fmt.Sprintf("$.items[%d]", i)), locale.T("content.plan.item_twice", it.ID))
		}
		seen[it.ID] = true
		it.Targets = readTargets(it.RawTargets, func(key, msg string) {
			at := fmt.Sprintf("$.items[%d].targets", i)
			if key != "" {
				at += "." + key
			}
			add(lineOf(at), msg)
		})
	}
	if p.ProcedureList != "" && !validListPath(p.ProcedureList) {
		add(lineOf("$.procedure_list"), locale.T("content.plan.procedure_list", p.ProcedureList))
	}
	if p.Report != nil {
		p.Report.check(func(at, msg string) { add(lineOf(at), msg) })
	}
	p.checkChannels(year, func(at, msg string) { add(lineOf(at), msg) })
	for i, d := range slices.Concat(p.Documents, p.Implements) {
		if strings.TrimSpace(d) == "" {
			add(lineOf(fmt.Sprintf("$.documents[%d]", i)), locale.T("content.plan.empty_document"))
		}
	}
	if dropped > 0 {
		errs = append(errs, &Error{Path: path, Line: 0, Msg: locale.T("content.plan.more_problems", dropped)})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &p, nil
}
