package content

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// exampleFile is a file of kind k in which every field of s has its
// example value.
func exampleFile(s *Schema, k Kind) string {
	var b strings.Builder
	b.WriteString("---\n")
	for _, f := range s.Fields(k) {
		b.WriteString(f.Name + ": " + f.Example + "\n")
	}
	b.WriteString("---\n## Nội dung\n\nThân bài.\n")
	return b.String()
}

// TestSchemaRows checks every row of the table: it is well formed, its
// example is a valid value, and no two kinds disagree on what a shared
// name holds.
func TestSchemaRows(t *testing.T) {
	s := DefaultSchema()
	member := map[string]string{}
	for _, k := range Kinds {
		for _, f := range s.Fields(k) {
			if err := f.check(); err != nil {
				t.Errorf("%s: %v", k, err)
			}
			if f.Label == "" || f.Example == "" {
				t.Errorf("%s.%s: no label or example", k, f.Name)
			}
			if f.OnForm() && f.Group == "" {
				t.Errorf("%s.%s: on the form but in no fieldset", k, f.Name)
			}
			var it Item
			off := reflect.ValueOf(f.Ptr(&it)).Pointer() - reflect.ValueOf(&it).Pointer()
			key := fmt.Sprint(off)
			if other, ok := member[f.Name]; ok && other != key {
				t.Errorf("%s.%s: names another member than in another kind", k, f.Name)
			}
			member[f.Name] = key
			// items.meta keeps the member under its JSON name: the field's.
			for _, sf := range reflect.VisibleFields(reflect.TypeFor[Item]()) {
				if sf.Offset == off {
					if name, _, _ := strings.Cut(sf.Tag.Get("json"), ","); name != f.Name {
						t.Errorf("%s.%s: member %s is %q in items.meta", k, f.Name, sf.Name, name)
					}
				}
			}
		}
		it, err := s.Parse("vi-du.md", k, []byte(exampleFile(s, k)))
		if err != nil {
			t.Fatalf("%s: the examples do not parse: %v", k, err)
		}
		for _, f := range s.Fields(k) {
			if f.Empty(it) {
				t.Errorf("%s.%s: empty after parsing its example %s", k, f.Name, f.Example)
			}
		}
	}
}

// TestMarshalRoundTrip: every field of every kind, written by Marshal and
// parsed again, gives the same item.
func TestMarshalRoundTrip(t *testing.T) {
	s := DefaultSchema()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			want, err := s.Parse("a.md", k, []byte(exampleFile(s, k)))
			if err != nil {
				t.Fatal(err)
			}
			out := s.Marshal(want)
			got, err := s.Parse("b.md", k, out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			want.Lines, got.Lines = nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the item\n got %+v\nwant %+v\n%s", got, want, out)
			}
		})
	}
}

// TestMarshalKeepsTimeOfDay: a day field given a time (the form takes
// dd/mm/yyyy HH:MM in every date) keeps it through an export. Marshal
// wrote such fields as a day, so the export lost the time.
func TestMarshalKeepsTimeOfDay(t *testing.T) {
	at := time.Date(2021, 12, 22, 8, 30, 0, 0, ict)
	it := &Item{Kind: Document, Number: "1256/QĐ-UBND", Type: "Quyết định", Issuer: "UBND tỉnh", Title: "Ban hành",
		Issued: at, Effective: at.Add(24 * time.Hour), Expires: day(2025, 12, 31)}
	if err := Validate(it); err != nil {
		t.Fatal(err)
	}
	out := Marshal(it)
	got, err := Parse("d.md", Document, out)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Issued.Equal(it.Issued) || !got.Effective.Equal(it.Effective) || !got.Expires.Equal(it.Expires) {
		t.Errorf("dates changed: issued %v effective %v expires %v\n%s", got.Issued, got.Effective, got.Expires, out)
	}
	if !strings.Contains(string(out), "expires: 2025-12-31\n") || !strings.Contains(string(out), "issued: 2021-12-22T08:30:00+07:00\n") {
		t.Errorf("a day is written yyyy-mm-dd, a moment with its time:\n%s", out)
	}
}

// TestValidateOneLine: a one-line field typed over several lines (the
// document's extract has a text area) is refused as in a file, whose
// parser would refuse the export.
func TestValidateOneLine(t *testing.T) {
	it := &Item{Kind: Document, Number: "1256/QĐ-UBND", Type: "Quyết định", Issuer: "UBND tỉnh", Issued: day(2021, 12, 22),
		Title: "Ban hành\nKế hoạch"}
	err := Validate(it)
	if err == nil || !strings.Contains(err.Error(), `trường "title" chỉ được viết trên một dòng`) {
		t.Errorf("err = %v", err)
	}
}

// TestSchemaWith shows what one more row does: the parser takes the new
// field, checks it as its row says, and Marshal writes it back.
func TestSchemaWith(t *testing.T) {
	extra := Field{Name: "source_url", Type: TypeURL, Label: "Nguồn tin", Hint: "Địa chỉ bài gốc, nếu có.", Group: "Bài viết",
		Widget: WidgetURL, Example: "https://mic.gov.vn/tin/1", Ptr: func(it *Item) any { return &it.SourceURL }}
	s, err := DefaultSchema().With(Article, "image", extra)
	if err != nil {
		t.Fatal(err)
	}
	src := "---\ntitle: Tin\nsource_url: https://mic.gov.vn/tin/1\n---\n"
	if _, err := Parse("a.md", Article, []byte(src)); err == nil || !strings.Contains(err.Error(), `trường "source_url" không dùng cho tin, bài`) {
		t.Fatalf("the default schema took the field: %v", err)
	}
	it, err := s.Parse("a.md", Article, []byte(src))
	if err != nil || it.SourceURL != "https://mic.gov.vn/tin/1" {
		t.Fatalf("%+v %v", it, err)
	}
	if out := string(s.Marshal(it)); !strings.Contains(out, "source_url: \"https://mic.gov.vn/tin/1\"\n") {
		t.Errorf("Marshal left the field out:\n%s", out)
	}
	if _, err := s.Parse("a.md", Article, []byte("---\ntitle: Tin\nsource_url: ftp://x\n---\n")); err == nil ||
		!strings.Contains(err.Error(), `a.md:3: trường "source_url" phải là một địa chỉ http:// hoặc https:// đầy đủ`) {
		t.Errorf("the row's type is not checked: %v", err)
	}
	names := func(s *Schema) (out []string) {
		for _, f := range s.Fields(Article) {
			out = append(out, f.Name)
		}
		return out
	}
	if i := slices.Index(names(s), "source_url"); i < 0 || names(s)[i-1] != "image" {
		t.Errorf("fields %v", names(s))
	}
	if slices.Contains(names(DefaultSchema()), "source_url") {
		t.Error("With changed the default schema")
	}
	if _, err := DefaultSchema().With(Article, "", Field{Name: "bad", Type: TypeDate, Ptr: func(it *Item) any { return &it.Title }}); err == nil {
		t.Error("a row whose member does not hold its type was accepted")
	}
}

func TestDisplayTitle(t *testing.T) {
	doc := &Item{Kind: Document, Slug: "1256-qd-ubnd", Type: "Quyết định", Number: "1256/QĐ-UBND", Title: "Ban hành Kế hoạch"}
	art := &Item{Kind: Article, Slug: "tin", Title: "Tin mới"}
	for _, c := range []struct{ got, want string }{
		{doc.Designation(), "Quyết định số 1256/QĐ-UBND"},
		{doc.DisplayTitle(), "Quyết định số 1256/QĐ-UBND: Ban hành Kế hoạch"},
		{art.Designation(), "Tin mới"},
		{art.DisplayTitle(), "Tin mới"},
		{doc.URL(), "/van-ban/1256-qd-ubnd"},
		{art.URL(), "/tin-tuc/tin"},
		{URL(Procedure, "x"), "/thu-tuc-hanh-chinh/x"},
		{Procedure.Path(), "/thu-tuc-hanh-chinh/"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
