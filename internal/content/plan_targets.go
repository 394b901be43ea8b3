package content

import (
	"bytes"
	"encoding/json"
	"maps"
	"path"
	"slices"
	"strings"

	"cchc/internal/locale"
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
	case ArticlesPerMonth, EachAreaPerQuarter, ChannelCount:
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

// SourceLabel says where t comes from, in words.
func (t Target) SourceLabel() string {
	switch t.Source {
	case SourcePlan:
		return locale.T("content.target.source.plan")
	case SourceInternal:
		if t.SetBy != "" {
			return locale.T("content.target.source.internal_by", t.SetBy)
		}
		return locale.T("content.target.source.internal")
	}
	return locale.T("content.target.source.unstated")
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
	*ts = readTargets(old, func(string, string) {})
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
func readTargets(raw map[string]any, fail func(key, msg string)) Targets {
	var out Targets
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		if !slices.Contains(Measures, Measure(key)) {
			names := make([]string, len(Measures))
			for i, m := range Measures {
				names[i] = string(m)
			}
			fail(key, locale.T("content.target.unknown", key, strings.Join(names, ", ")))
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
			if !readFullTarget(&t, v, func(field, msg string) { fail(string(m)+field, msg) }) {
				continue
			}
		case bool:
			if takes && needs {
				fail(string(m), locale.T("content.target.needs_number", m))
				continue
			}
			if !v {
				continue
			}
		default:
			n, isInt := integer(v)
			switch {
			case !isInt || !takes:
				fail(string(m), locale.T("content.target.bad_shape", m))
				continue
			case n < 0:
				fail(string(m), locale.T("content.plan.negative_target"))
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
func readFullTarget(t *Target, v map[string]any, fail func(field, msg string)) bool {
	ok := true
	problem := func(field, msg string) {
		fail(field, msg)
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
				problem(".value", locale.T("content.target.no_value", t.Measure))
			case !isInt || n < 1:
				problem(".value", locale.T("content.target.bad_value", t.Measure))
			default:
				t.Value = n
			}
		case "source", "wording", "set_by":
			s, isString := x.(string)
			s = strings.TrimSpace(s)
			if !isString || s == "" {
				problem("."+k, locale.T("content.target.not_text", k, t.Measure))
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
			problem("."+k, locale.T("content.target.unknown_field", k))
		}
	}
	if !ok {
		return false
	}
	switch t.Source {
	case SourcePlan:
		if t.Wording == "" {
			problem(".source", locale.T("content.target.needs_wording", t.Measure))
		}
		if t.SetBy != "" {
			problem(".set_by", locale.T("content.target.plan_set_by", t.Measure))
		}
	case SourceInternal:
		if t.SetBy == "" {
			problem(".source", locale.T("content.target.needs_set_by", t.Measure))
		}
	case SourceUnstated:
		problem("", locale.T("content.target.needs_source", t.Measure))
	default:
		problem(".source", locale.T("content.target.bad_source", t.Measure, t.Source))
	}
	if ok && needs && t.Value == 0 {
		problem("", locale.T("content.target.needs_value", t.Measure))
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
