package content

import (
	"bytes"
	"encoding/json"
	"maps"
	"path"
	"slices"
	"strings"
)

// Measure is what a target counts.
type Measure string

// The measures a plan's targets can name. Those without a number are met
// or not; those with one ask for that many.
const (
	// ColumnOpen: the column has been opened — something is on it.
	ColumnOpen Measure = "column_open"
	// RegularUpdates: the column is updated every month (value: at least
	// that many publications or updates a month; 1 when absent).
	RegularUpdates Measure = "regular_updates"
	// ArticlesPerMonth: at least value articles a month for the item.
	ArticlesPerMonth Measure = "articles_per_month"
	// AllProcedures: every procedure on the official list is published.
	AllProcedures Measure = "all_procedures"
	// AllPlanDocuments: every document the plan names is published.
	AllPlanDocuments Measure = "all_plan_documents"
	// AreasCovered: every content area of section II has something.
	AreasCovered Measure = "areas_covered"
	// EachAreaPerQuarter: at least value items for each area each quarter.
	EachAreaPerQuarter Measure = "each_area_per_quarter"
)

// Measures lists every measure in the order targets are shown.
var Measures = []Measure{ColumnOpen, RegularUpdates, ArticlesPerMonth, AllProcedures, AllPlanDocuments, AreasCovered, EachAreaPerQuarter}

// counted reports whether m takes a number (value), and whether it needs one.
func (m Measure) counted() (takes, needs bool) {
	switch m {
	case ArticlesPerMonth, EachAreaPerQuarter:
		return true, true
	case RegularUpdates:
		return true, false
	}
	return false, false
}

// Source is who set a target.
type Source string

// The sources of a target.
const (
	// SourcePlan: the plan itself asks for it, in its own words (Wording).
	// Only these targets are judged in the official report.
	SourcePlan Source = "plan"
	// SourceInternal: a target the unit set itself (SetBy names who); the
	// official report lists it in an appendix marked as internal.
	SourceInternal Source = "internal"
	// SourceUnstated: a target written in the old short form (a number or
	// true), which says nothing of where it comes from; treated as
	// internal, and shown as unstated.
	SourceUnstated Source = ""
)

// Target is one target of a plan item, with its source.
type Target struct {
	Measure Measure `json:"measure"`
	// Value is the number asked for, for measures that take one.
	Value  int    `json:"value,omitempty"`
	Source Source `json:"source,omitempty"`
	// Wording is the plan's own words for a plan target; for an internal
	// one, optionally, how the unit put it.
	Wording string `json:"wording,omitempty"`
	// SetBy names who set an internal target (a unit, a meeting, a
	// decision).
	SetBy string `json:"set_by,omitempty"`
}

// Official reports whether the plan itself sets t.
func (t Target) Official() bool { return t.Source == SourcePlan }

// SourceLabel says where t comes from, in Vietnamese.
func (t Target) SourceLabel() string {
	switch t.Source {
	case SourcePlan:
		return "Theo Kế hoạch"
	case SourceInternal:
		if t.SetBy != "" {
			return "Chỉ tiêu nội bộ do " + t.SetBy + " đặt"
		}
		return "Chỉ tiêu nội bộ"
	}
	return "Chỉ tiêu nội bộ (tệp kế hoạch không ghi nguồn)"
}

// Targets are a plan item's targets, in Measures order.
type Targets []Target

// Get returns the target on measure m, if there is one.
func (ts Targets) Get(m Measure) (Target, bool) {
	for _, t := range ts {
		if t.Measure == m {
			return t, true
		}
	}
	return Target{}, false
}

// UnmarshalJSON reads the list stored with a plan, or the object plans
// were stored as before targets had sources
// ({"articles_per_month":2,"all_procedures":true,…}), whose targets come
// back with SourceUnstated.
func (ts *Targets) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		var list []Target
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*ts = list
		return nil
	}
	var old map[string]any
	if err := json.Unmarshal(b, &old); err != nil {
		return err
	}
	*ts = readTargets(old, func(string, string, ...any) {})
	return nil
}

// validListPath reports whether p names a .csv or .xlsx file inside the
// plans folder: relative, no "..".
func validListPath(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return (ext == ".csv" || ext == ".xlsx") && !strings.Contains(p, "\\") &&
		path.Clean(p) == p && !strings.HasPrefix(p, "/") && !slices.Contains(strings.Split(p, "/"), "..")
}

// readTargets reads a targets mapping as written: each measure either in
// full — {value: 2, source: internal, set_by: "…"}, {source: plan,
// wording: "…"} — or in the old short form, a number or true, whose source
// is unstated. fail reports a problem at the measure named (key "" is the
// mapping itself, "measure.field" a field of one).
func readTargets(raw map[string]any, fail func(key, format string, args ...any)) Targets {
	var out Targets
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		if !slices.Contains(Measures, Measure(key)) {
			names := make([]string, len(Measures))
			for i, m := range Measures {
				names[i] = string(m)
			}
			fail(key, "chỉ tiêu %q không có; dùng một trong: %s", key, strings.Join(names, ", "))
		}
	}
	for _, m := range Measures {
		v, ok := raw[string(m)]
		if !ok || v == nil {
			continue
		}
		takes, needs := m.counted()
		t := Target{Measure: m}
		switch v := v.(type) {
		case map[string]any:
			if !readFullTarget(&t, v, func(field, format string, args ...any) { fail(string(m)+field, format, args...) }) {
				continue
			}
		case bool:
			if takes && needs {
				fail(string(m), "chỉ tiêu %q cần một số (ví dụ %s: {value: 2, source: internal, set_by: \"…\"})", m, m)
				continue
			}
			if !v {
				continue
			}
		default:
			n, isInt := integer(v)
			switch {
			case !isInt || !takes:
				fail(string(m), "chỉ tiêu %q viết không đúng: ghi {source: plan, wording: \"lời văn của kế hoạch\"} hoặc {source: internal, set_by: \"đơn vị đặt\"}", m)
				continue
			case n < 0:
				fail(string(m), "chỉ tiêu không được âm")
				continue
			case n == 0:
				continue
			}
			t.Value = n
		}
		out = append(out, t)
	}
	return out
}

// readFullTarget reads a target written in full into t; false when it has
// a problem (reported through fail, with ".field" or "").
func readFullTarget(t *Target, v map[string]any, fail func(field, format string, args ...any)) bool {
	ok := true
	problem := func(field, format string, args ...any) {
		fail(field, format, args...)
		ok = false
	}
	takes, needs := t.Measure.counted()
	for _, k := range slices.Sorted(maps.Keys(v)) {
		x := v[k]
		switch k {
		case "value":
			n, isInt := integer(x)
			switch {
			case !takes:
				problem(".value", "chỉ tiêu %q không có số lượng (bỏ value)", t.Measure)
			case !isInt || n < 1:
				problem(".value", "value của chỉ tiêu %q phải là số nguyên dương", t.Measure)
			default:
				t.Value = n
			}
		case "source", "wording", "set_by":
			s, isString := x.(string)
			s = strings.TrimSpace(s)
			if !isString || s == "" {
				problem("."+k, "%s của chỉ tiêu %q phải là một dòng chữ", k, t.Measure)
				continue
			}
			switch k {
			case "source":
				t.Source = Source(s)
			case "wording":
				t.Wording = s
			case "set_by":
				t.SetBy = s
			}
		default:
			problem("."+k, "trường không được phép: %q (chỉ tiêu có value, source, wording, set_by)", k)
		}
	}
	if !ok {
		return false
	}
	switch t.Source {
	case SourcePlan:
		if t.Wording == "" {
			problem(".source", "chỉ tiêu %q theo kế hoạch cần wording: lời văn của kế hoạch về yêu cầu này", t.Measure)
		}
		if t.SetBy != "" {
			problem(".set_by", "chỉ tiêu %q là của kế hoạch nên không có set_by; chỉ tiêu nội bộ thì ghi source: internal", t.Measure)
		}
	case SourceInternal:
		if t.SetBy == "" {
			problem(".source", "chỉ tiêu nội bộ %q cần set_by: đơn vị hoặc người đặt chỉ tiêu", t.Measure)
		}
	case SourceUnstated:
		problem("", "chỉ tiêu %q cần source: plan (kế hoạch yêu cầu) hoặc internal (chỉ tiêu nội bộ)", t.Measure)
	default:
		problem(".source", "source của chỉ tiêu %q phải là plan hoặc internal, không phải %q", t.Measure, t.Source)
	}
	if ok && needs && t.Value == 0 {
		problem("", "chỉ tiêu %q cần value: số lượng yêu cầu", t.Measure)
	}
	return ok
}

// integer reads a whole number as the YAML or JSON decoder gives it.
func integer(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), int64(int(n)) == n
	case uint64:
		return int(n), n <= 1<<31
	case float64:
		return int(n), n == float64(int(n)) && n > -1<<31 && n < 1<<31
	}
	return 0, false
}
