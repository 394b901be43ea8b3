package content

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"cchc/internal/vntext"
)

// Marshal writes it back as a content file with the default schema; see
// Schema.Marshal.
func Marshal(it *Item) []byte { return DefaultSchema().Marshal(it) }

// Marshal writes it back as a content file: YAML front matter with the
// fields of its kind in the order of the table, then the body. Parsing the
// result gives the same item. Strings are written as JSON strings, which
// are valid YAML double-quoted scalars, so no value can break the front
// matter; a field at its default is left out.
func (s *Schema) Marshal(it *Item) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	for _, f := range s.fields[it.Kind] {
		if f.Empty(it) {
			continue
		}
		var v []byte
		switch x := f.Get(it).(type) {
		case string:
			if x == f.Default {
				continue
			}
			v, _ = json.Marshal(x) // a string: cannot fail
		case []string:
			v, _ = json.Marshal(x)
		case time.Time:
			v = []byte(FormatDate(x))
		case bool:
			v = []byte("true") // false is empty
		case int:
			v = []byte(strconv.Itoa(x)) // 0 is empty
		}
		b.WriteString(f.Name + ": ")
		b.Write(v)
		b.WriteByte('\n')
	}
	b.WriteString("---\n")
	b.WriteString(it.Body)
	return b.Bytes()
}

// FormatDate writes t as a file does: yyyy-mm-dd when it is midnight in
// Vietnam, else with its time (RFC 3339, Vietnam's offset), so that a
// time of day given in the form survives an export.
func FormatDate(t time.Time) string {
	v := t.In(vntext.Zone)
	if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
		return v.Format("2006-01-02")
	}
	return v.Format(time.RFC3339)
}
