package admin_test

import (
	"context"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	demo "cchc/content"
	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/content"
)

// exampleFile is a content file of kind k in which every field of the
// table sc has its example value.
func exampleFile(sc *content.Schema, k content.Kind) string {
	var b strings.Builder
	b.WriteString("---\n")
	for _, f := range sc.Fields(k) {
		b.WriteString(f.Name + ": " + f.Example + "\n")
	}
	b.WriteString("---\n## Nội dung\n\nĐoạn có **chữ đậm** và số 08/2014/NĐ-CP.\n")
	return b.String()
}

// schemaServer is a server editing by the field table sc, with the demo
// plan (its content areas and plan items) imported.
func schemaServer(t *testing.T, sc *content.Schema, files fstest.MapFS) *server {
	t.Helper()
	s := newServer(t)
	s.env.Publish.SetSchema(sc)
	// The plan and the official procedure list it names.
	for _, name := range []string{"plans/2022.yaml", "plans/2022-tthc.csv"} {
		b, err := fs.ReadFile(demo.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	res, err := s.env.Publish.Import(context.Background(), files, "vd")
	if err != nil || res.Failed != 0 {
		t.Fatalf("import: %+v %v %v", res, res.Errors, err)
	}
	return s
}

// exported exports s by sc and parses back its one item of kind k.
func exported(t *testing.T, s *server, sc *content.Schema, k content.Kind) (*content.Item, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "xuat")
	if _, err := app.Export(context.Background(), s.env.Store, sc, dir); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, k.Dir(), "*.md"))
	if err != nil || len(files) != 1 {
		t.Fatalf("exported %v %v, want one %s", files, err, k)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	it, err := sc.Parse(files[0], k, data)
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, data)
	}
	it.Lines = nil
	return it, string(data)
}

var (
	formRe     = regexp.MustCompile(`(?s)<form method="post" action="[^"]*" class="item-form".*?</form>`)
	inputRe    = regexp.MustCompile(`<input ([^>]*)>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea ([^>]*)>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select ([^>]*)>(.*?)</select>`)
	optionRe   = regexp.MustCompile(`<option ([^>]*)>`)
	attrRe     = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(s, -1) {
		m[a[1]] = html.UnescapeString(a[2])
	}
	return m
}

// browserForm is what a browser sends when the item form of page is
// submitted as it is: text inputs and hidden fields, checked radios and
// checkboxes, text areas (less the newline after the start tag, which
// HTML drops), each select's chosen option.
func browserForm(t *testing.T, page string) url.Values {
	t.Helper()
	form := formRe.FindString(page)
	if form == "" {
		t.Fatalf("no item form in the page:\n%s", page)
	}
	v := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(form, -1) {
		a := attrs(m[1])
		if a["name"] == "" {
			continue
		}
		if (a["type"] == "radio" || a["type"] == "checkbox") && !strings.Contains(" "+m[1]+" ", " checked ") {
			continue
		}
		v.Add(a["name"], a["value"])
	}
	for _, m := range textareaRe.FindAllStringSubmatch(form, -1) {
		v.Add(attrs(m[1])["name"], html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
	}
	for _, m := range selectRe.FindAllStringSubmatch(form, -1) {
		for _, o := range optionRe.FindAllStringSubmatch(m[2], -1) {
			if strings.Contains(o[1], " selected") {
				v.Add(attrs(m[1])["name"], attrs(o[1])["value"])
			}
		}
	}
	return v
}

// roundTrip takes one item of kind k with every field of sc through
// everything that reads the table: the parser (an import), the export,
// the workspace's form (its page, as a browser submits it, into a new
// item on another server), and the export again; each time the parsed
// item must be the same. It returns the form page and the second export.
func roundTrip(t *testing.T, sc *content.Schema, k content.Kind) (string, string) {
	t.Helper()
	ctx := context.Background()
	file := exampleFile(sc, k)
	want, err := sc.Parse("vi-du.md", k, []byte(file))
	if err != nil {
		t.Fatalf("the examples do not parse: %v\n%s", err, file)
	}
	want.Lines = nil
	for _, f := range sc.Fields(k) {
		if f.Empty(want) {
			t.Fatalf("%s is empty: the test would not see it", f.Name)
		}
	}

	// Parse (import) → save → export → parse.
	a := schemaServer(t, sc, fstest.MapFS{k.Dir() + "/vi-du.md": {Data: []byte(file)}})
	got, _ := exported(t, a, sc, k)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("import, export: the item changed\n got %+v\nwant %+v", got, want)
	}

	// The form of the saved item, as a browser posts it → a new item.
	items, err := a.env.Store.AllItems(ctx)
	if err != nil || len(items) != 1 {
		t.Fatalf("items %v %v", items, err)
	}
	ad := a.login(auth.Admin)
	page := a.do(request{method: "GET", path: admin.EditURL(items[0]), cookies: []*http.Cookie{ad.cookie}})
	if page.StatusCode != http.StatusOK {
		t.Fatalf("edit page: %d", page.StatusCode)
	}
	form := browserForm(t, page.body)
	b := schemaServer(t, sc, fstest.MapFS{})
	// An activity's example is public and of a unit: an editor may set
	// neither (TestActivityUnitPermissions); an admin posts it.
	role := auth.Editor
	if k == content.Activity {
		role = auth.Admin
	}
	ed := b.login(role)
	form.Set("csrf", ed.csrf)
	res := b.do(request{method: "POST", path: admin.KindPath(k) + "moi", form: form, cookies: []*http.Cookie{ed.cookie}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the form: %d\n%s", res.StatusCode, regexpFind(res.body, `(?s)(<div class="error-summary".*?</div>)`))
	}
	got, data := exported(t, b, sc, k)
	// What the form does not carry is the workflow's: a new item is a
	// draft (the example is one), and has no major update.
	want.Updated = got.Updated
	if !reflect.DeepEqual(got, want) {
		t.Errorf("form, save, export: the item changed\n got %+v\nwant %+v\n%s", got, want, data)
	}
	return page.body, data
}

// TestItemRoundTrip: for every field of every kind, parse → form → save →
// export → parse gives the same item.
func TestItemRoundTrip(t *testing.T) {
	for _, k := range content.Kinds {
		t.Run(string(k), func(t *testing.T) { roundTrip(t, content.DefaultSchema(), k) })
	}
}

// TestNewFieldIsOneRow adds one row to the articles' table — an article's
// source, kept in Item.SourceURL, which only documents have — and sees the
// parser, the form and the export take it with nothing else changed.
func TestNewFieldIsOneRow(t *testing.T) {
	row := content.Field{Name: "source_url", Type: content.TypeURL, Label: "Nguồn tin", Hint: "Địa chỉ bài gốc, nếu có.",
		Group: "Bài viết", Widget: content.WidgetURL, Example: "https://mic.gov.vn/tin/123",
		Ptr: func(it *content.Item) any { return &it.SourceURL }}
	sc, err := content.DefaultSchema().With(content.Article, "image", row)
	if err != nil {
		t.Fatal(err)
	}
	form, export := roundTrip(t, sc, content.Article)
	if !strings.Contains(form, `<label for="f-source_url">Nguồn tin</label>`) ||
		!strings.Contains(form, `<input type="text" id="f-source_url" name="source_url" value="https://mic.gov.vn/tin/123" aria-describedby="f-source_url-hint">`) {
		t.Errorf("the form does not show the new field:\n%s", regexpFind(form, `(?s)(<fieldset class="group">.*?</fieldset>)`))
	}
	if !strings.Contains(export, "source_url: \"https://mic.gov.vn/tin/123\"\n") {
		t.Errorf("the export does not write the new field:\n%s", export)
	}
	// The form checks it as its row says.
	s := schemaServer(t, sc, fstest.MapFS{})
	ed := s.login(auth.Editor)
	res := s.do(request{method: "POST", path: admin.KindPath(content.Article) + "moi", cookies: []*http.Cookie{ed.cookie},
		form: url.Values{"csrf": {ed.csrf}, "title": {"Tin"}, "source_url": {"javascript:alert(1)"}}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `<a href="#f-source_url">Nguồn tin: Địa chỉ không hợp lệ`) {
		t.Errorf("a bad value of the new field: %d\n%s", res.StatusCode, regexpFind(res.body, `(?s)(<div class="error-summary".*?</div>)`))
	}
}

// TestFormExtractOnOneLine: a document's extract (trích yếu) has a text
// area, but is one line in a file. Typed over two lines it was saved with
// its line break, and the export's file then failed to import; now the
// break is a space.
func TestFormExtractOnOneLine(t *testing.T) {
	s := schemaServer(t, content.DefaultSchema(), fstest.MapFS{})
	ed := s.login(auth.Editor)
	res := s.do(request{method: "POST", path: admin.KindPath(content.Document) + "moi", cookies: []*http.Cookie{ed.cookie},
		form: url.Values{"csrf": {ed.csrf}, "number": {"12/KH-SKHCN"}, "type": {"Kế hoạch"}, "issuer": {"Sở Khoa học và Công nghệ"},
			"issued": {"02/03/2026"}, "title": {"Triển khai cải cách hành chính\r\nnăm 2026"}}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, regexpFind(res.body, `(?s)(<div class="error-summary".*?</div>)`))
	}
	it, _ := exported(t, s, content.DefaultSchema(), content.Document)
	if it.Title != "Triển khai cải cách hành chính năm 2026" {
		t.Errorf("title %q", it.Title)
	}
}
