package content

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Type is how a field's value is written in a file and kept in an Item.
type Type int

// The types of field.
const (
	// TypeString is one line of text (*string).
	TypeString Type = iota
	// TypeText is text that may run over several lines (*string).
	TypeText
	// TypeURL is an absolute http:// or https:// address (*string).
	TypeURL
	// TypeDate is a day, or a moment of one, in Vietnam's time (*time.Time).
	TypeDate
	// TypeBool is true or false (*bool).
	TypeBool
	// TypeList is a list of one-line strings (*[]string).
	TypeList
	// TypeInt is a whole number, zero or more; zero is empty (*int).
	TypeInt
)

// Widget is how the workspace's form shows a field.
type Widget string

// The widgets of the form. A field without one is not on the form (the
// workflow keeps it).
const (
	WidgetText     Widget = "text"     // one line
	WidgetTextarea Widget = "textarea" // a few lines
	WidgetDate     Widget = "date"     // dd/mm/yyyy, optionally HH:MM
	WidgetURL      Widget = "url"      // an http(s) address
	WidgetTags     Widget = "tags"     // a comma-separated list
	WidgetLines    Widget = "lines"    // one value a line
	WidgetRadio    Widget = "radio"    // one of Values
	WidgetChecks   Widget = "checks"   // any of Values
	WidgetSelect   Widget = "select"   // one of Values
	WidgetAreas    Widget = "areas"    // the plans' content areas (checkboxes)
	WidgetPlanItem Widget = "planitem" // the plans' items (a select)
	WidgetMedia    Widget = "media"    // a media library name (or a path or address)
	// Widgets of the activities' form.
	WidgetNumber    Widget = "number"    // a whole number
	WidgetCheckbox  Widget = "checkbox"  // yes or no
	WidgetUnit      Widget = "unit"      // the units (a select)
	WidgetPlanItems Widget = "planitems" // the plans' items (checkboxes)
)

// Choice is one allowed value of a field and how the form labels it.
type Choice struct {
	Value, Label string
}

// LD says how a field appears in the schema.org JSON-LD of its item's
// page: as Prop, holding the value itself, or, when Type is set, an object
// of that @type holding it under Key ("name" when empty), named Name when
// Key is another.
type LD struct {
	Prop, Type, Key, Name string
}

// Field is one front matter field of one kind: the row of the field table
// that the parser, the validation, the workspace's form, the export and
// the JSON-LD all read.
type Field struct {
	// Name is the front matter key, and the form field's name.
	Name string
	Type Type
	// Required, when set, makes the field required (a file must declare
	// it, a form must fill it) and is the form's message when it is left
	// empty.
	Required string
	// Label and Hint are the form's Vietnamese label and help.
	Label, Hint string
	// Group is the legend of the form's fieldset holding the field;
	// consecutive fields with the same Group share one.
	Group  string
	Widget Widget
	// Values, when set, are the only values allowed (each value of a list),
	// in the form's order; one with Value "" is the form's "not set"
	// choice. A value is matched without regard to case and kept as
	// written here.
	Values []Choice
	// Suggest are values the form suggests (a datalist), any other allowed.
	Suggest []string
	// Default is the value an item takes when the field is empty.
	Default string
	// Check returns the problem with a non-empty value (with each value of a
	// list), "" when none. It also sees a required field left empty in a
	// file.
	Check func(v string) string
	// Example is a valid value as a file writes it (YAML): documentation,
	// and what the round-trip test fills the field with.
	Example string
	LD      LD
	// Column, when set, is the column of items that keeps the field for
	// queries (the directories' filters and sorts): the store writes it
	// on every save, and a migration adds it. A field without one lives
	// in items.meta only. Title, summary, slug, number and code have
	// columns the store reads back and keys of its own (uniqueness,
	// sorting): it writes those itself.
	Column string
	// Ptr returns the address of the field's member of it: a *string,
	// *[]string, *time.Time, *bool or *int, as Type says. Members are stored in
	// items.meta by their JSON names.
	Ptr func(it *Item) any
}

// OnForm reports whether the workspace's form shows the field.
func (f Field) OnForm() bool { return f.Widget != "" }

// Get is the field's value in it: a string, []string, time.Time, bool or
// int.
func (f Field) Get(it *Item) any {
	switch p := f.Ptr(it).(type) {
	case *int:
		return *p
	case *string:
		return *p
	case *[]string:
		return *p
	case *time.Time:
		return *p
	case *bool:
		return *p
	}
	return nil
}

// Set sets the field's value in it; v has the type Get returns.
func (f Field) Set(it *Item, v any) {
	switch p := f.Ptr(it).(type) {
	case *string:
		*p = v.(string)
	case *[]string:
		*p = v.([]string)
	case *time.Time:
		*p = v.(time.Time)
	case *bool:
		*p = v.(bool)
	case *int:
		*p = v.(int)
	}
}

// Str is the value of a string field (TypeString, TypeText, TypeURL).
func (f Field) Str(it *Item) string {
	if p, ok := f.Ptr(it).(*string); ok {
		return *p
	}
	return ""
}

// List is the value of a list field.
func (f Field) List(it *Item) []string {
	if p, ok := f.Ptr(it).(*[]string); ok {
		return *p
	}
	return nil
}

// Time is the value of a date field.
func (f Field) Time(it *Item) time.Time {
	if p, ok := f.Ptr(it).(*time.Time); ok {
		return *p
	}
	return time.Time{}
}

// Empty reports whether the field has no value in it.
func (f Field) Empty(it *Item) bool {
	switch p := f.Ptr(it).(type) {
	case *string:
		return strings.TrimSpace(*p) == ""
	case *[]string:
		return len(*p) == 0
	case *time.Time:
		return p.IsZero()
	case *bool:
		return !*p
	case *int:
		return *p == 0
	}
	return true
}

// Allowed lists the values the field allows, without the form's "not set".
func (f Field) Allowed() []string {
	var out []string
	for _, c := range f.Values {
		if c.Value != "" {
			out = append(out, c.Value)
		}
	}
	return out
}

// canonical is v as the field's Values write it, or v itself.
func (f Field) canonical(v string) string {
	for _, c := range f.Values {
		if c.Value != "" && strings.EqualFold(c.Value, v) {
			return c.Value
		}
	}
	return v
}

// check validates the row itself: a member of the type Type says, a
// widget that can hold the value.
func (f Field) check() error {
	if f.Name == "" || f.Ptr == nil {
		return fmt.Errorf("content: field %q: a field needs a name and a member", f.Name)
	}
	var it Item
	want := map[Type]string{TypeString: "*string", TypeText: "*string", TypeURL: "*string", TypeDate: "*time.Time", TypeBool: "*bool", TypeList: "*[]string", TypeInt: "*int"}[f.Type]
	if got := fmt.Sprintf("%T", f.Ptr(&it)); got != want {
		return fmt.Errorf("content: field %q: member is %s, type needs %s", f.Name, got, want)
	}
	widgets := map[Type][]Widget{
		TypeString: {WidgetText, WidgetTextarea, WidgetRadio, WidgetSelect, WidgetPlanItem, WidgetMedia, WidgetUnit},
		TypeText:   {WidgetTextarea},
		TypeURL:    {WidgetURL},
		TypeDate:   {WidgetDate},
		TypeList:   {WidgetTags, WidgetLines, WidgetChecks, WidgetAreas, WidgetPlanItems},
		TypeInt:    {WidgetNumber},
		TypeBool:   {WidgetCheckbox},
	}[f.Type]
	if f.Widget != "" && !slices.Contains(widgets, f.Widget) {
		return fmt.Errorf("content: field %q: widget %q cannot hold a value of its type", f.Name, f.Widget)
	}
	if (f.Widget == WidgetRadio || f.Widget == WidgetSelect || f.Widget == WidgetChecks) != (len(f.Values) > 0) {
		return fmt.Errorf("content: field %q: radios, selects and checkboxes, and only they, need Values", f.Name)
	}
	if f.Column != "" && f.Type != TypeString && f.Type != TypeText && f.Type != TypeDate {
		return fmt.Errorf("content: field %q: only text and dates have columns", f.Name)
	}
	if f.Required != "" && f.Widget == "" {
		return fmt.Errorf("content: field %q: a required field must be on the form", f.Name)
	}
	return nil
}

// Schema is the field table of every kind.
type Schema struct {
	fields map[Kind][]Field
}

// newSchema builds a schema, checking every row.
func newSchema(fields map[Kind][]Field) (*Schema, error) {
	for k, fs := range fields {
		seen := map[string]bool{}
		for _, f := range fs {
			if err := f.check(); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			if seen[f.Name] {
				return nil, fmt.Errorf("content: %s: field %q twice", k, f.Name)
			}
			seen[f.Name] = true
		}
	}
	return &Schema{fields: fields}, nil
}

// Fields is kind k's fields, in the order of its form and its files.
func (s *Schema) Fields(k Kind) []Field { return slices.Clone(s.fields[k]) }

// Field is kind k's field called name.
func (s *Schema) Field(k Kind, name string) (Field, bool) {
	i := slices.IndexFunc(s.fields[k], func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return s.fields[k][i], true
}

// With is a copy of s in which kind k also has field f, placed after the
// field called after (last when after is ""). It is how a test shows that
// one row is all a new field needs.
func (s *Schema) With(k Kind, after string, f Field) (*Schema, error) {
	fields := map[Kind][]Field{}
	for kk, fs := range s.fields {
		fields[kk] = slices.Clone(fs)
	}
	i := len(fields[k])
	if after != "" {
		j := slices.IndexFunc(fields[k], func(g Field) bool { return g.Name == after })
		if j < 0 {
			return nil, fmt.Errorf("content: %s has no field %q", k, after)
		}
		i = j + 1
	}
	fields[k] = slices.Insert(fields[k], i, f)
	return newSchema(fields)
}

// Columns lists the fields kept in columns of items, each column once,
// by the first kind (in Kinds order) that has it: a column holds the same
// member of Item for every kind.
func (s *Schema) Columns() []Field {
	var out []Field
	seen := map[string]bool{}
	for _, k := range Kinds {
		for _, f := range s.fields[k] {
			if f.Column != "" && !seen[f.Column] {
				seen[f.Column] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// names lists the field names of kind k, sorted.
func (s *Schema) names(k Kind) []string {
	var out []string
	for _, f := range s.fields[k] {
		out = append(out, f.Name)
	}
	slices.Sort(out)
	return out
}

// Fields is kind k's fields in the default schema.
func Fields(k Kind) []Field { return DefaultSchema().Fields(k) }

// OnlineLevels lists the accepted values of a procedure's online field.
func OnlineLevels() []string {
	f, _ := DefaultSchema().Field(Procedure, "online")
	return f.Allowed()
}
