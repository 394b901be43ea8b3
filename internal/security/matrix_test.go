package security_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// Every input against every output it reaches (issue 12). Each field an
// editor or a content file controls carries a marker of its own; every
// output of the service is then read as its reader reads it (contexts_test.go),
// and wherever a marker shows it must show as itself — HTML-escaped in
// HTML, valid XML in feeds, valid JSON, a formula-neutral cell in CSV and
// XLSX, a literal in Markdown, a terminal line without control characters,
// a header that parses — and no marker may open an element, an attribute,
// a formula or a line of its own. The matrix below says which output each
// field reaches; the test fails when an output starts or stops showing a
// field, so that the table (copied into docs/RELIABILITY.md) stays true.

// Outputs: the columns of the matrix.
const (
	outHTML        = "public HTML"
	outJSONLD      = "JSON-LD"
	outRSS         = "RSS"
	outAtom        = "Atom"
	outJSONFeed    = "JSON Feed"
	outFeedHTML    = "feed entry HTML"
	outSitemap     = "sitemap, robots.txt"
	outCSV         = "CSV"
	outXLSX        = "XLSX"
	outMarkdown    = "Markdown report"
	outText        = "text report"
	outDashboard   = "report dashboard"
	outPrint       = "printable report"
	outAdmin       = "admin HTML"
	outTerminal    = "terminal"
	outExport      = "cchc export files"
	outDisposition = "Content-Disposition"
	outLocation    = "Location"
)

var outputs = []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outFeedHTML, outSitemap, outCSV, outXLSX,
	outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport, outDisposition, outLocation}

// docKind is how an output document is read.
type docKind int

const (
	kindHTML docKind = iota
	kindHTMLFragment
	kindXML
	kindJSON
	kindCSV
	kindXLSX
	kindMarkdown
	kindText
	kindTerminal
	kindHeader
	kindExport
)

// outDoc is one output document: a page, a feed, a report, what a command
// printed, a header.
type outDoc struct {
	output string
	name   string // where it came from
	kind   docKind
	header string // the header's name, for kindHeader
	body   []byte
}

// field is one row of the matrix: an input and the outputs it reaches.
type field struct {
	name string
	// short markers go where a path separator or length limit would cut
	// the long one (file names, display names).
	short   bool
	reaches []string
	// note says why a field reaches so little, for the docs.
	note string
}

// markerID finds a marker's identifier in any text.
var markerID = regexp.MustCompile(`(MK|CT)(\d\d)`)

// longMarker closes every raw-text element, opens one of its own with an
// attribute, carries both quotes, an entity, the end of a CDATA section,
// Markdown's table and emphasis characters, a backslash and template
// syntax, and starts like a spreadsheet formula.
func longMarker(id int) string {
	return fmt.Sprintf(`=MK%02d"dq'sq</title></textarea></script></style><mk-%02d data-mk%02d=1>&amp;]]>|*e*_u_\{{.}}`, id, id, id)
}

// shortMarker is the same without slashes and closing tags.
func shortMarker(id int) string {
	return fmt.Sprintf(`=MK%02d"dq'sq<mk-%02d data-mk%02d=1>&amp;]]>|*e*_u_{{.}}`, id, id, id)
}

// matrix is the table: every field and the outputs it reaches.
var matrix = []field{
	// Content files (cchc import) — front matter of each kind and body.
	{name: "article title", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport},
		note: "the printed report's Phụ lục I lists everything published"},
	{name: "article summary", reaches: []string{outHTML, outJSONLD, outAtom, outJSONFeed, outFeedHTML, outAdmin, outExport}},
	{name: "article author", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outCSV, outXLSX, outMarkdown, outDashboard, outAdmin, outTerminal, outExport}},
	{name: "article tags", reaches: []string{outHTML, outJSONLD, outAdmin, outExport}},
	{name: "article body", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "article image (file name)", short: true, reaches: []string{outAdmin, outExport}, note: "kept, not shown on the public pages"},
	{name: "content file name (file with an error)", short: true, reaches: []string{outTerminal}, note: "in cchc import's path:line: message"},
	{name: "slug (refused, quoted in the error)", reaches: []string{outTerminal}, note: "refused; quoted in the message"},
	{name: "procedure title", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport},
		note: "the printed report names procedures missing from, or not on, the official list"},
	{name: "procedure summary", reaches: []string{outHTML, outJSONLD, outAtom, outJSONFeed, outFeedHTML, outAdmin, outExport}},
	{name: "procedure field", reaches: []string{outHTML, outJSONLD, outFeedHTML, outAdmin, outExport}},
	{name: "procedure level", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "procedure agency", reaches: []string{outHTML, outJSONLD, outFeedHTML, outAdmin, outExport}},
	{name: "procedure processing_time", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "procedure fee", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "procedure applicants", reaches: []string{outHTML, outJSONLD, outAdmin, outExport}},
	{name: "procedure result", reaches: []string{outHTML, outJSONLD, outAdmin, outExport}},
	{name: "procedure authority", reaches: []string{outHTML, outAdmin, outExport}},
	{name: "procedure delegated_agency", reaches: []string{outHTML, outAdmin, outExport}},
	{name: "procedure receiving_address", reaches: []string{outHTML, outAdmin, outExport}},
	{name: "procedure requirements", reaches: []string{outHTML, outAdmin, outExport}},
	{name: "procedure form name", reaches: []string{outHTML, outAdmin, outExport}},
	{name: "procedure portal_url (query)", reaches: []string{outHTML, outJSONLD, outAdmin, outExport}},
	{name: "procedure body", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "document title", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outFeedHTML, outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport},
		note: "the printed report's Phụ lục I lists everything published"},
	{name: "document summary", reaches: []string{outHTML, outJSONLD, outAtom, outJSONFeed, outFeedHTML, outAdmin, outExport}},
	{name: "document type", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outFeedHTML, outAdmin, outExport}},
	{name: "document issuer", reaches: []string{outHTML, outJSONLD, outFeedHTML, outAdmin, outExport}},
	{name: "document signer", reaches: []string{outHTML, outJSONLD, outFeedHTML, outAdmin, outExport}},
	{name: "document field", reaches: []string{outHTML, outAdmin, outExport}},
	{name: "document source_url (query)", reaches: []string{outHTML, outJSONLD, outAdmin, outExport}},
	{name: "document file (file name)", short: true, reaches: []string{outAdmin, outExport, outDisposition}},
	{name: "document body", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "plan number", reaches: []string{outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport}},
	{name: "plan title", reaches: []string{outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outTerminal, outExport}},
	{name: "plan issuer", reaches: []string{outPrint, outExport}},
	{name: "plan area title", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outFeedHTML, outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport}},
	{name: "plan item title", reaches: []string{outDashboard, outPrint, outAdmin, outExport},
		note: "the exports name each requirement in the plan's wording, not the item's title"},
	{name: "plan item lead", reaches: []string{outDashboard, outPrint, outAdmin, outExport},
		note: "each unit a lead names becomes one of the agency's units: the accounts' unit choice"},
	{name: "plan item partners", reaches: []string{outExport}, note: "kept for the plan's record, shown nowhere"},
	{name: "plan item schedule", reaches: []string{outPrint, outExport}},
	{name: "plan documents entry", short: true, reaches: []string{outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outTerminal, outExport}},
	{name: "plan implements entry", short: true, reaches: []string{outExport}, note: "kept for the plan's record, shown nowhere"},
	// The workspace.
	{name: "form: article title", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal, outExport},
		note: "the printed report's Phụ lục I lists everything published"},
	{name: "form: article summary", reaches: []string{outHTML, outJSONLD, outAtom, outJSONFeed, outFeedHTML, outAdmin, outExport}},
	{name: "form: article author", reaches: []string{outHTML, outJSONLD, outRSS, outAtom, outJSONFeed, outCSV, outXLSX, outMarkdown, outDashboard, outAdmin, outTerminal, outExport}},
	{name: "form: article tags", reaches: []string{outHTML, outJSONLD, outAdmin, outExport}},
	{name: "form: article body", reaches: []string{outHTML, outFeedHTML, outAdmin, outExport}},
	{name: "change note", reaches: []string{outHTML, outCSV, outXLSX, outMarkdown, outDashboard, outAdmin, outTerminal}},
	{name: "publication note", reaches: []string{outCSV, outXLSX, outMarkdown, outDashboard, outTerminal}},
	{name: "withdrawal reason", reaches: []string{outHTML, outCSV, outXLSX, outMarkdown, outText, outDashboard, outPrint, outAdmin, outTerminal}},
	{name: "review comment", reaches: []string{outAdmin}},
	{name: "upload file name", short: true, reaches: []string{outAdmin, outDisposition}},
	{name: "image alt text", reaches: []string{outAdmin}},
	{name: "account display name", short: true, reaches: []string{outAdmin, outTerminal}},
	// Readers and staff.
	{name: "login return address (next)", reaches: []string{outAdmin, outLocation}},
	{name: "query string of a redirected address", reaches: []string{outLocation}},
	{name: "search query", reaches: []string{outHTML, outRSS, outAtom, outJSONFeed, outFeedHTML}},
	{name: "directory query", reaches: []string{outHTML}},
	{name: "directory filter value", reaches: []string{outHTML}},
	{name: "admin list query", reaches: []string{outAdmin}},
	{name: "admin list filter value", reaches: nil, note: "matched against the list's choices; never shown back"},
	{name: "report filter: author", reaches: nil, note: "matched against the year's log rows; never shown back"},
	{name: "report filter: area", reaches: nil, note: "matched against the year's log rows; never shown back"},
}

// markers gives each field of the matrix its marker.
type markers struct {
	prefix string // "MK", or "CT" for control characters
	byName map[string]int
	used   map[string]bool
	make   func(id int, short bool) string
}

func newMarkers(make func(id int, short bool) string) *markers {
	m := &markers{byName: map[string]int{}, used: map[string]bool{}, make: make}
	for i, f := range matrix {
		m.byName[f.name] = i + 1
	}
	return m
}

// of is the marker of the field named name.
func (m *markers) of(name string) string {
	id, ok := m.byName[name]
	if !ok {
		panic("no field " + name + " in the matrix")
	}
	m.used[name] = true
	return m.make(id, matrix[id-1].short)
}

func markupMarker(id int, short bool) string {
	if short {
		return shortMarker(id)
	}
	return longMarker(id)
}

// yamlQ is s as a YAML double-quoted scalar (JSON is YAML).
func yamlQ(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// markerTree writes the content folder of the markers: the year's plan,
// an article, a procedure and a document with every free-text field
// marked, and the files they attach.
func markerTree(t *testing.T, m *markers, year int, date string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	q := func(name string) string { return yamlQ(m.of(name)) }
	plan, err := fs.ReadFile(os.DirFS("../../content"), "plans/2022.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := string(plan)
	p = strings.Replace(p, "number: 272/KH-SKHCN", "number: "+q("plan number"), 1)
	p = regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(p, "title: "+q("plan title"))
	p = regexp.MustCompile(`(?m)^issuer: .*$`).ReplaceAllString(p, "issuer: "+q("plan issuer"))
	p = regexp.MustCompile(`(?m)^issued: .*$`).ReplaceAllString(p, fmt.Sprintf("issued: %d-01-02", year))
	p = regexp.MustCompile(`(?m)^year: .*$`).ReplaceAllString(p, fmt.Sprintf("year: %d", year))
	p = regexp.MustCompile(`(?m)^report_due: .*$`).ReplaceAllString(p, fmt.Sprintf("report_due: %d-12-20", year))
	p = strings.Replace(p, `{id: II.1, title: "Văn bản chỉ đạo của Trung ương, của tỉnh về cải cách hành chính", slug: van-ban-chi-dao}`,
		"{id: II.1, title: "+q("plan area title")+", slug: van-ban-chi-dao}", 1)
	p = strings.Replace(p, "implements: [34/KH-UBND, 305/HD-STTTT]", "implements: ["+q("plan implements entry")+", 34/KH-UBND]", 1)
	p = strings.Replace(p, "documents: [76/NQ-CP,", "documents: ["+q("plan documents entry")+", 76/NQ-CP,", 1)
	p = strings.Replace(p, "    title: Mở mục tuyên truyền cải cách hành chính trên Trang Thông tin điện tử của Sở và cập nhật thông tin về cải cách hành chính\n"+
		"    lead: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ\n    partners: Các phòng, đơn vị thuộc Sở\n    schedule: Thường xuyên trong năm",
		"    title: "+q("plan item title")+"\n    lead: "+q("plan item lead")+"\n    partners: "+q("plan item partners")+"\n    schedule: "+q("plan item schedule"), 1)
	p = strings.ReplaceAll(p, "Quý I–II/2022", "Quý I–II")
	p = strings.ReplaceAll(p, "/2022", "")
	for _, name := range []string{"plan number", "plan title", "plan issuer", "plan area title", "plan item title", "plan item lead",
		"plan item partners", "plan item schedule", "plan documents entry", "plan implements entry"} {
		if !strings.Contains(p, yamlQ(m.of(name))) {
			t.Fatalf("the plan does not carry the marker of %s:\n%s", name, p)
		}
	}
	write(fmt.Sprintf("plans/%d.yaml", year), []byte(p))
	// The official procedure list the plan names, as it is.
	list, err := fs.ReadFile(os.DirFS("../../content"), "plans/2022-tthc.csv")
	if err != nil {
		t.Fatal(err)
	}
	write("plans/2022-tthc.csv", list)

	code := func(name string) string { return "Nội dung:\n\n```\n" + m.of(name) + "\n```\n" }
	image := "anh/" + m.of("article image (file name)") + ".png"
	write(image, png1x1Bytes)
	write("articles/"+m.of("content file name (file with an error)")+".md", fmt.Appendf(nil,
		"---\ntitle: Tin có slug sai\nslug: %s\n---\nThân bài.\n", q("slug (refused, quoted in the error)")))
	write("articles/tin-danh-dau.md", fmt.Appendf(nil,
		"---\ntitle: %s\nsummary: %s\nauthor: %s\ntags: [%s, cải cách]\nimage: %s\nareas: [II.1]\ndate: %s\n---\n%s",
		q("article title"), q("article summary"), q("article author"), q("article tags"), yamlQ(image), date, code("article body")))
	write("procedures/thu-tuc-danh-dau.md", fmt.Appendf(nil,
		"---\ntitle: %s\ncode: \"1.099901\"\nsummary: %s\nfield: %s\nlevel: %s\nagency: %s\nprocessing_time: %s\nfee: %s\n"+
			"applicants: %s\nresult: %s\nauthority: %s\ndelegated_agency: %s\nreceiving_address: %s\nrequirements: %s\n"+
			"forms:\n  - %s\nportal_url: %s\nareas: [II.2.c]\ndate: %s\n---\n%s",
		q("procedure title"), q("procedure summary"), q("procedure field"), q("procedure level"), q("procedure agency"),
		q("procedure processing_time"), q("procedure fee"), q("procedure applicants"), q("procedure result"),
		q("procedure authority"), q("procedure delegated_agency"), q("procedure receiving_address"), q("procedure requirements"),
		yamlQ(m.of("procedure form name")+" (https://dichvucong.gov.vn/mau.docx)"),
		yamlQ("https://dichvucong.gov.vn/p?ma="+m.of("procedure portal_url (query)")), date, code("procedure body")))
	attachment := "tep/" + m.of("document file (file name)") + ".pdf"
	write(attachment, pdfBytes)
	write("documents/van-ban-danh-dau.md", fmt.Appendf(nil,
		"---\nnumber: 9901/QĐ-UBND\ntype: %s\nissuer: %s\nissued: %d-01-02\ntitle: %s\nsigner: %s\nfield: %s\nsummary: %s\n"+
			"source_url: %s\nfile: %s\nareas: [II.1]\ndate: %s\n---\n%s",
		q("document type"), q("document issuer"), year, q("document title"), q("document signer"), q("document field"),
		q("document summary"), yamlQ("https://vbpl.vn/van-ban?id="+m.of("document source_url (query)")), yamlQ(attachment),
		date, code("document body")))
	return dir
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// recorder is a logged-in browser that keeps every answer's headers.
type recorder struct {
	*testsupport.Browser
	mu      sync.Mutex
	headers []outDoc
}

func (r *recorder) keep(path string, res *http.Response) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range []string{"Location", "Content-Disposition"} {
		if v := res.Header.Get(h); v != "" {
			out := outLocation
			if h == "Content-Disposition" {
				out = outDisposition
			}
			r.headers = append(r.headers, outDoc{output: out, name: h + " of " + path, kind: kindHeader, header: h, body: []byte(v)})
		}
	}
}

// get fetches path as this browser and returns status and body.
func (r *recorder) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", r.Base+path, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	req.Header.Set("Accept", "text/html")
	res, err := r.Client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	r.keep(path, res)
	return res.StatusCode, b
}

// post sends a form of the session and returns status, Location, body.
func (r *recorder) post(t *testing.T, path string, form url.Values) (int, string, string) {
	t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", r.CSRF)
	}
	req, _ := http.NewRequest("POST", r.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	res, err := r.Client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r.keep(path, res)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// upload sends one file to the media library.
func (r *recorder) upload(t *testing.T, name string, data []byte, alt string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", r.CSRF)
	_ = mw.WriteField("alt", alt)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", r.Base+"/quan-tri/tep", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	res, err := r.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r.keep("/quan-tri/tep", res)
	return res.StatusCode, string(b)
}

// newArticle saves a new article and returns its edit page.
func (r *recorder) newArticle(t *testing.T, form url.Values) string {
	t.Helper()
	st, loc, body := r.post(t, "/quan-tri/tin-bai/moi", form)
	if st != http.StatusSeeOther {
		t.Fatalf("new article: %d\n%.2000s", st, body)
	}
	return loc
}

// version reads the form's version of an edit page.
func (r *recorder) version(t *testing.T, edit string) string {
	t.Helper()
	_, b := r.get(t, edit)
	m := formVersionRe.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no version on %s", edit)
	}
	return string(m[1])
}

var formVersionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// command runs cchc with args and returns what it printed, both streams.
func command(t *testing.T, args ...string) []byte {
	t.Helper()
	var out bytes.Buffer
	code := app.Run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &out)
	if code != 0 && args[0] != "import" {
		t.Fatalf("cchc %s: exit %d\n%s", strings.Join(args, " "), code, out.String())
	}
	return out.Bytes()
}

// inputs is what filling the fields found: the fields refused, and how
// (the status, or "400" for a directory filter).
type inputs struct {
	refused map[string]string
}

// fillWorkspace sets the workspace's fields through the admin over HTTP:
// an article (title, summary, author, tags, body), published with a
// note and updated with a change note; another withdrawn with a reason;
// a third sent back with a review comment by an approver whose display
// name is marked; an upload named by a marker, an image with a marked alt
// text. A field refused with 422 is noted in refused.
func fillWorkspace(t *testing.T, s *site, cl *recorder, m *markers) inputs {
	t.Helper()
	in := inputs{refused: map[string]string{}}
	// explain checks that a refusal says why, in the editor's words.
	explain := func(what, body string) {
		t.Helper()
		if !strings.Contains(body, "ký tự điều khiển") {
			t.Errorf("%s refused without saying why:\n%.3000s", what, body)
		}
	}
	// create makes an article, or returns "" when the form is refused.
	create := func(form url.Values) string {
		st, loc, body := cl.post(t, "/quan-tri/tin-bai/moi", form)
		if st == http.StatusUnprocessableEntity {
			explain("the article form", body)
			return ""
		}
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/quan-tri/tin-bai/") {
			t.Fatalf("new article: %d %q\n%.2000s", st, loc, body)
		}
		return loc
	}
	// act takes a workflow step with a note; it tells whether the note
	// was refused.
	act := func(edit, action, note string) bool {
		st, _, body := cl.post(t, edit+"/"+action, url.Values{"version": {cl.version(t, edit)}, "note": {note}})
		switch {
		case st == http.StatusUnprocessableEntity && note != "":
			explain("the note of "+action, body)
			return true
		case st != http.StatusSeeOther:
			t.Fatalf("%s %s: %d\n%.2000s", action, edit, st, body)
		}
		return false
	}
	plain := func(title string) url.Values {
		return url.Values{"title": {title}, "summary": {"Tin thử."}, "body": {"Nội dung thử."}, "areas": {"II.1"}}
	}

	// An article with every field of the form marked; when it is
	// refused, each field alone tells which.
	fields := []struct{ key, name string }{{"title", "form: article title"}, {"summary", "form: article summary"},
		{"author", "form: article author"}, {"tags", "form: article tags"}, {"body", "form: article body"}}
	value := func(key, name string) string {
		if key == "body" {
			return "Nội dung:\n\n```\n" + m.of(name) + "\n```\n"
		}
		return m.of(name)
	}
	form := plain("")
	for _, f := range fields {
		form.Set(f.key, value(f.key, f.name))
	}
	e := create(form)
	if e == "" {
		for i, f := range fields {
			one := plain(fmt.Sprintf("Tin thử trường %d", i+1))
			one.Set(f.key, value(f.key, f.name))
			if create(one) == "" {
				in.refused[f.name] = "422"
			}
		}
		form = plain("Tin thử ghi chú")
		if e = create(form); e == "" {
			t.Fatal("a plain article is refused")
		}
	}
	if act(e, "xuat-ban", m.of("publication note")) {
		in.refused["publication note"] = "422"
		act(e, "xuat-ban", "")
	}
	form.Set("version", cl.version(t, e))
	form.Set("change", "quan-trong")
	form.Set("change_note", m.of("change note"))
	if st, _, body := cl.post(t, e, form); st == http.StatusUnprocessableEntity {
		explain("the change note", body)
		in.refused["change note"] = "422"
	} else if st != http.StatusSeeOther {
		t.Fatalf("major update: %d\n%.2000s", st, body)
	}
	if e := create(plain("Tin được gỡ để thử lý do")); e != "" {
		act(e, "xuat-ban", "")
		if act(e, "go-bo", m.of("withdrawal reason")) {
			in.refused["withdrawal reason"] = "422"
		}
	}

	// An approver whose display name is marked (or, when that is
	// refused, plain) sends an article back.
	name := "duyet-" + strings.ToLower(m.prefix)
	account := url.Values{"name": {name}, "display_name": {m.of("account display name")},
		"role": {"approver"}, "password": {testsupport.Password}, "password2": {testsupport.Password}}
	st, _, body := cl.post(t, "/quan-tri/nguoi-dung", account)
	if st == http.StatusUnprocessableEntity {
		explain("the display name", body)
		in.refused["account display name"] = "422"
		account.Set("display_name", "Người duyệt thử")
		account.Del("csrf")
		st, _, body = cl.post(t, "/quan-tri/nguoi-dung", account)
	}
	if st != http.StatusSeeOther {
		t.Fatalf("add account: %d\n%.2000s", st, body)
	}
	ap := &recorder{Browser: newClient(t, cl.Base)}
	ap.Login(name, testsupport.Password)
	e = create(plain("Tin được trả lại để thử nhận xét"))
	act(e, "gui-duyet", "")
	st, _, body = ap.post(t, e+"/tra-lai", url.Values{"version": {ap.version(t, e)}, "note": {m.of("review comment")}})
	if st == http.StatusUnprocessableEntity {
		explain("the review comment", body)
		in.refused["review comment"] = "422"
	} else if st != http.StatusSeeOther {
		t.Fatalf("send back: %d\n%.2000s", st, body)
	}
	ap.mu.Lock()
	cl.headers = append(cl.headers, ap.headers...)
	ap.mu.Unlock()

	pdf := append(append([]byte(nil), pdfBytes...), []byte("%"+m.prefix+"\n")...) // a file of its own
	if st, body := cl.upload(t, m.of("upload file name")+".pdf", pdf, ""); st == http.StatusUnprocessableEntity || st == http.StatusBadRequest {
		// 400: Go's multipart reader refuses a part header with control
		// characters; the page says the form could not be read.
		in.refused["upload file name"] = strconv.Itoa(st)
		if !strings.Contains(body, "Không đọc được biểu mẫu") && !strings.Contains(body, "ký tự") {
			t.Errorf("upload refused without saying why:\n%.3000s", body)
		}
	} else if st != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%.2000s", st, body)
	}
	png := append(append([]byte(nil), png1x1Bytes...), []byte(m.prefix)...) // a file of its own
	if st, body := cl.upload(t, "anh-mo-ta.png", png, m.of("image alt text")); st == http.StatusUnprocessableEntity {
		explain("the alt text", body)
		in.refused["image alt text"] = "422"
	} else if st != http.StatusSeeOther {
		t.Fatalf("upload image: %d\n%.2000s", st, body)
	}
	return in
}

// collect fetches every output of the service into documents.
func collect(t *testing.T, s *site, cl *recorder, m *markers, tree string, year int, in inputs) []outDoc {
	t.Helper()
	ctx := context.Background()
	var docs []outDoc
	add := func(output, name string, kind docKind, body []byte) {
		docs = append(docs, outDoc{output: output, name: name, kind: kind, body: body})
	}
	anon := &recorder{Browser: newClient(t, cl.Base)}
	page := func(output, path string, kind docKind, want ...int) {
		t.Helper()
		st, b := anon.get(t, path)
		if len(want) == 0 {
			want = []int{http.StatusOK}
		}
		if !slices.Contains(want, st) {
			t.Errorf("GET %s: %d", path, st)
			return
		}
		add(output, path, kind, b)
	}
	adminPage := func(output, path string, kind docKind) {
		t.Helper()
		st, b := cl.get(t, path)
		if st != http.StatusOK {
			t.Errorf("GET %s (signed in): %d", path, st)
			return
		}
		add(output, path, kind, b)
	}

	// Public pages: the sitemap's, the lists, every item (withdrawn ones
	// too), searches for each marked item and for the query marker.
	_, sm := anon.get(t, "/sitemap.xml")
	paths := map[string]bool{}
	for _, mt := range regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllSubmatch(sm, -1) {
		u, err := url.Parse(string(mt[1]))
		if err != nil {
			t.Fatal(err)
		}
		paths[u.Path] = true
	}
	all, err := s.env.Store.AllItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var marked []*store.Item
	for _, it := range all {
		if markerID.MatchString(it.Title) || strings.Contains(it.Title, "để thử") {
			marked = append(marked, it)
			if it.Status == store.Published || it.Status == store.Withdrawn {
				paths[it.URL()] = true
			}
		}
	}
	for _, p := range []string{"/", "/tin-tuc/", "/thu-tuc-hanh-chinh/", "/van-ban/", "/chu-de/", "/chu-de/van-ban-chi-dao", "/chu-de/cai-cach-thu-tuc-hanh-chinh", "/theo-doi"} {
		paths[p] = true
	}
	var sorted []string
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		page(outHTML, p, kindHTML)
	}
	for _, it := range marked {
		if id := markerID.FindString(it.Title); id != "" {
			// Lower case: the search finds it, the page does not show a
			// marker of its own.
			page(outHTML, "/tim-kiem?q="+strings.ToLower(id), kindHTML)
		}
	}
	sq := url.QueryEscape(m.of("search query"))
	page(outHTML, "/tim-kiem?q="+sq, kindHTML)
	page(outHTML, "/thu-tuc-hanh-chinh/?q="+url.QueryEscape(m.of("directory query")), kindHTML)
	page(outHTML, "/van-ban/?q="+url.QueryEscape(m.of("directory query")), kindHTML)
	for _, p := range []string{"/thu-tuc-hanh-chinh/?linh-vuc=", "/van-ban/?co-quan="} {
		p += url.QueryEscape(m.of("directory filter value"))
		if st, b := anon.get(t, p); st == http.StatusBadRequest {
			in.refused["directory filter value"] = "400"
		} else if st == http.StatusOK {
			add(outHTML, p, kindHTML, b)
		} else {
			t.Errorf("GET %s: %d", p, st)
		}
	}

	// Redirects: back to a workspace page after logging in, an old
	// address, a missing trailing slash, with a query string of their
	// own (sent unencoded, Go's server refuses them with 400 before any
	// handler: they are sent encoded).
	next := "/quan-tri/tin-bai/?q=" + url.QueryEscape(m.of("login return address (next)"))
	visitor := &recorder{Browser: newClient(t, cl.Base)}
	if st, _ := visitor.get(t, next); st != http.StatusFound {
		t.Errorf("GET %s without a session: %d", next, st)
	}
	st, b := visitor.get(t, "/quan-tri/dang-nhap?next="+url.QueryEscape(next))
	if st != http.StatusOK {
		t.Fatalf("login page: %d", st)
	}
	add(outAdmin, "/quan-tri/dang-nhap?next=…", kindHTML, b)
	if mt := testsupport.CSRFField.FindSubmatch(b); mt != nil {
		if st, loc, _ := visitor.post(t, "/quan-tri/dang-nhap", url.Values{"csrf": {string(mt[1])}, "name": {adminName},
			"password": {testsupport.Password}, "next": {next}}); st != http.StatusSeeOther || loc != next {
			t.Errorf("login with next: %d %q, want 303 %q", st, loc, next)
		}
	} else {
		t.Error("login page without a form token")
	}
	old, _ := renameArticle(t, s)
	raw := m.of("query string of a redirected address")
	for _, p := range []string{old, "/tin-tuc", "/van-ban"} {
		req, _ := http.NewRequest("GET", cl.Base+p, nil)
		req.URL.RawQuery = "x=" + url.QueryEscape(raw)
		res, err := anon.Client.Do(req)
		if err != nil {
			t.Fatalf("GET %s?x=…: %v", p, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently {
			t.Errorf("GET %s?x=…: %d, want 301", p, res.StatusCode)
		}
		anon.keep(p+"?x=…", res)
	}
	visitor.mu.Lock()
	anon.headers = append(anon.headers, visitor.headers...)
	visitor.mu.Unlock()

	// Feeds: the column, the sections, two areas, searches.
	for _, d := range []string{"", "/tin-tuc", "/thu-tuc-hanh-chinh", "/van-ban", "/chu-de/van-ban-chi-dao", "/chu-de/cai-cach-thu-tuc-hanh-chinh"} {
		page(outRSS, d+"/rss.xml", kindXML)
		page(outAtom, d+"/atom.xml", kindXML)
		page(outJSONFeed, d+"/feed.json", kindJSON)
	}
	for _, q := range []string{sq, "dq+sq"} {
		page(outRSS, "/tim-kiem/rss.xml?q="+q, kindXML)
		page(outAtom, "/tim-kiem/atom.xml?q="+q, kindXML)
		page(outJSONFeed, "/tim-kiem/feed.json?q="+q, kindJSON)
	}
	page(outSitemap, "/sitemap.xml", kindXML)
	page(outSitemap, "/robots.txt", kindText)

	// Stored files: each one's Content-Disposition.
	files, err := s.env.Store.AllMedia(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		anon.get(t, "/tep/"+f.Name)
		adminPage(outAdmin, "/quan-tri/tep/"+f.Name, kindHTML)
	}

	// Reports.
	y := strconv.Itoa(year)
	filter := "&tac-gia=" + url.QueryEscape(m.of("report filter: author")) + "&noi-dung=" + url.QueryEscape(m.of("report filter: area"))
	adminPage(outDashboard, "/bao-cao/?nam="+y, kindHTML)
	adminPage(outDashboard, "/bao-cao/?nam="+y+filter, kindHTML)
	adminPage(outPrint, "/bao-cao/in?nam="+y, kindHTML)
	adminPage(outCSV, "/bao-cao/"+y+".csv", kindCSV)
	adminPage(outXLSX, "/bao-cao/"+y+".xlsx", kindXLSX)

	// The workspace.
	for _, p := range []string{"/quan-tri/", "/quan-tri/tin-bai/", "/quan-tri/thu-tuc/", "/quan-tri/van-ban/", "/quan-tri/nhat-ky",
		"/quan-tri/tep", "/quan-tri/thung-rac", "/quan-tri/nguoi-dung", "/quan-tri/tin-bai/?q=" + url.QueryEscape(m.of("admin list query")),
		"/quan-tri/thu-tuc/?q=" + url.QueryEscape(m.of("admin list query")),
		"/quan-tri/tin-bai/?nguoi-tao=" + url.QueryEscape(m.of("admin list filter value")) + "&chu-de=" + url.QueryEscape(m.of("admin list filter value"))} {
		adminPage(outAdmin, p, kindHTML)
	}
	for _, it := range marked {
		e := admin.EditURL(it)
		adminPage(outAdmin, e, kindHTML)
		adminPage(outAdmin, e+"/lich-su", kindHTML)
		if it.Version >= 2 {
			adminPage(outAdmin, fmt.Sprintf("%s/so-sanh?tu=1&den=%d", e, it.Version), kindHTML)
		}
	}
	users, err := s.env.Store.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		adminPage(outAdmin, "/quan-tri/nguoi-dung/"+strconv.FormatInt(u.ID, 10), kindHTML)
	}

	// Commands, as a terminal shows them.
	data := s.env.Config.Data
	add(outText, "cchc report --format text", kindText, command(t, "report", "--data", data, "--year", y))
	md := command(t, "report", "--data", data, "--year", y, "--format", "md")
	add(outMarkdown, "cchc report --format md", kindMarkdown, md)
	add(outTerminal, "cchc report --format md (terminal)", kindTerminal, md)
	add(outTerminal, "cchc report --format csv (terminal)", kindTerminal, command(t, "report", "--data", data, "--year", y, "--format", "csv"))
	add(outTerminal, "cchc user list", kindTerminal, command(t, "user", "list", "--data", data))
	add(outTerminal, "cchc import", kindTerminal, command(t, "import", "--data", t.TempDir(), tree))
	out := filepath.Join(t.TempDir(), "xuat")
	add(outTerminal, "cchc export", kindTerminal, command(t, "export", "--data", data, out))
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".yaml") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			add(outExport, filepath.ToSlash(rel), kindExport, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Headers seen on the way.
	for _, r := range []*recorder{cl, anon} {
		r.mu.Lock()
		docs = append(docs, r.headers...)
		r.headers = nil
		r.mu.Unlock()
	}
	return docs
}

// readExport parses an exported content file or plan as cchc import
// would: it must parse, and its values are what it holds.
func readExport(name string, b []byte) readout {
	var r readout
	if strings.HasPrefix(name, "plans/") {
		year, _ := content.PlanYear(filepath.Base(name))
		p, err := content.ParsePlan(name, year, b)
		if err != nil {
			r.problem("exported plan does not parse: %v", err)
			return r
		}
		r.units = append(r.units, p.Number, p.Title, p.Issuer)
		r.units = append(r.units, p.Documents...)
		r.units = append(r.units, p.Implements...)
		for _, a := range p.Areas {
			r.unit(a.Title)
		}
		for _, it := range p.Items {
			r.units = append(r.units, it.Title, it.Lead, it.Partners, it.Schedule)
		}
		return r
	}
	dir, _, _ := strings.Cut(name, "/")
	var kind content.Kind
	for _, k := range content.Kinds {
		if k.Dir() == dir {
			kind = k
		}
	}
	it, err := content.Parse(name, kind, b)
	if err != nil {
		r.problem("exported file does not parse: %v", err)
		return r
	}
	r.units = append(r.units, it.Title, it.Summary, it.Author, it.Image, it.Field, it.Level, it.Agency, it.ProcessingTime, it.Fee,
		it.Applicants, it.Result, it.PortalURL, it.Type, it.Issuer, it.Signer, it.File, it.SourceURL, name,
		it.Authority, it.DelegatedAgency, it.ReceivingAddress, it.Requirements)
	r.units = append(r.units, it.Tags...)
	r.units = append(r.units, it.Forms...)
	r.units = append(r.units, strings.Split(it.Body, "\n")...)
	for _, u := range []string{it.PortalURL, it.SourceURL} {
		if v, err := url.QueryUnescape(u); err == nil {
			r.unit(v)
		}
	}
	return r
}

// read reads one document in its context.
func read(d outDoc) readout {
	switch d.kind {
	case kindHTML, kindHTMLFragment:
		return readHTML(d.body, outJSONLD)
	case kindXML:
		return readXML(d.body, outFeedHTML)
	case kindJSON:
		return readJSON(d.body, outFeedHTML)
	case kindCSV:
		return readCSV(d.body)
	case kindXLSX:
		return readXLSX(d.body)
	case kindMarkdown:
		return readMarkdown(d.body)
	case kindText:
		return readPlainText(d.body)
	case kindTerminal:
		return readTerminal(d.body)
	case kindHeader:
		return readHeader(d.header, d.body)
	case kindExport:
		return readExport(d.name, d.body)
	}
	panic("unknown kind")
}

// literal reports whether output must show a value exactly as typed
// (a terminal may quote it, as Go's %q does).
func literal(output string) bool { return output != outTerminal }

// sighting is where a field's marker showed.
type sighting struct {
	whole bool // the whole marker, as typed
}

// scan reads every document and finds the markers in what it shows.
// It returns, for each field, the outputs where its marker showed, and
// the problems found.
func scan(docs []outDoc, m *markers) (map[string]map[string]sighting, []string) {
	seen := map[string]map[string]sighting{}
	var problems []string
	byID := map[string]string{}
	for name, id := range m.byName {
		byID[fmt.Sprintf("%s%02d", m.prefix, id)] = name
	}
	for len(docs) > 0 {
		d := docs[0]
		docs = docs[1:]
		r := read(d)
		for _, p := range r.problems {
			problems = append(problems, fmt.Sprintf("%s (%s): %s", d.output, d.name, p))
		}
		for _, more := range r.more {
			more.name = d.name
			if more.output == "" {
				more.output = d.output
			}
			docs = append(docs, more)
		}
		for _, u := range r.units {
			raw := u
			u = unescapeURLs(u)
			// A page may show a value in capitals: the identifier is
			// upper case anyway (a slug's is not), the rest compares
			// case aside.
			upper := strings.ToUpper(u)
			for _, loc := range markerID.FindAllStringIndex(u, -1) {
				id := u[loc[0]:loc[1]]
				name, ok := byID[id]
				if !ok || loc[0] > 0 && upper[loc[0]-1] == '-' {
					continue // not a marker, or its attribute's name (data-mk07)
				}
				want := strings.ToUpper(m.make(m.byName[name], matrix[m.byName[name]-1].short))
				if seen[name] == nil {
					seen[name] = map[string]sighting{}
				}
				sg := seen[name][d.output]
				if strings.Contains(upper, want) {
					sg.whole = true
				} else if literal(d.output) && m.prefix != "CT" {
					if p := altered(upper[loc[0]:], want[strings.Index(want, id):]); p != "" {
						problems = append(problems, fmt.Sprintf("%s (%s): %s shows altered: %s", d.output, d.name, name, p))
					}
				}
				// A control character percent-encoded in an address is
				// written as it should be; a header's raw bytes are read
				// by readHeader.
				if m.prefix == "CT" && u == raw && d.kind != kindHeader && strings.IndexFunc(u, vntext.IsControl) >= 0 {
					problems = append(problems, fmt.Sprintf("%s (%s): %s shows a control character: %.80q", d.output, d.name, name, u[loc[0]:]))
				}
				seen[name][d.output] = sg
			}
		}
	}
	return seen, problems
}

// unescapeURLs decodes a text that holds an address whose query holds an
// address (a return address after logging in): what a marker there
// carries is what it decodes to, once per level.
func unescapeURLs(u string) string {
	for range 3 {
		i := strings.Index(u, "%")
		if i < 0 || !markerID.MatchString(u) {
			return u
		}
		d, err := url.QueryUnescape(u)
		if err != nil || d == u {
			return u
		}
		u = d
	}
	return u
}

// altered tells a value cut short (it ends, or goes on with an ellipsis:
// fine) from one changed on the way (escaped twice, an entity decoded, a
// template run): it returns what was shown where it differs, or "".
func altered(shown, want string) string {
	k := 0
	for k < len(shown) && k < len(want) && shown[k] == want[k] {
		k++
	}
	rest := shown[k:]
	if k == len(want) || rest == "" || strings.HasPrefix(rest, "…") || strings.HasPrefix(rest, "...") {
		return ""
	}
	return fmt.Sprintf("…%q where %q", shown[max(0, k-12):min(len(shown), k+24)], want[max(0, k-12):min(len(want), k+24)])
}

// TestEveryInputEveryOutput fills every field of the matrix with its
// marker — a content folder imported as cchc import does, the workspace
// over HTTP as an admin and an approver, searches — then reads every
// output: every public page, feed and JSON-LD block, the sitemap, the
// reports (dashboard, print, CSV, XLSX, Markdown, text), every workspace
// page that shows them, what cchc report, user list, import and export
// print, the files export writes, and the Location and Content-Disposition
// headers of every answer on the way. Wherever a marker shows, it must
// show as itself and open nothing; and the outputs each field reaches
// must be the matrix's.
func TestEveryInputEveryOutput(t *testing.T) {
	s := newSite(t)
	m := newMarkers(markupMarker)
	m.prefix = "MK"
	now := time.Now().In(vntext.Zone)
	year := now.Year()
	tree := markerTree(t, m, year, now.Add(-2*time.Hour).Format(time.RFC3339))
	res, err := s.env.Publish.Import(context.Background(), os.DirFS(tree), "content")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, e := range res.Errors {
		if !strings.Contains(e.Path, m.of("content file name (file with an error)")) {
			t.Errorf("import refused: %v", e)
		}
	}
	cl := &recorder{Browser: newClient(t, serveSite(t, s))}
	cl.Login(adminName, testsupport.Password)
	in := fillWorkspace(t, s, cl, m)
	for f, why := range in.refused {
		t.Errorf("%s: refused (%s)", f, why)
	}
	docs := collect(t, s, cl, m, tree, year, in)
	for _, f := range matrix {
		if !m.used[f.name] {
			t.Errorf("field %q of the matrix is never filled", f.name)
		}
	}
	seen, problems := scan(docs, m)
	for _, p := range problems {
		t.Error(p)
	}
	var table strings.Builder
	table.WriteString("| field |")
	for _, o := range outputs {
		table.WriteString(" " + o + " |")
	}
	table.WriteString(" note |\n")
	for _, f := range matrix {
		table.WriteString("| " + f.name + " |")
		var got []string
		for _, o := range outputs {
			sg, ok := seen[f.name][o]
			cell := " — |"
			if ok {
				got = append(got, o)
				cell = " ✓ |"
				if !sg.whole && literal(o) {
					cell = " part |"
				}
			}
			table.WriteString(cell)
		}
		table.WriteString(" " + f.note + " |\n")
		if !slices.Equal(got, f.reaches) {
			t.Errorf("%s reaches %q; the matrix says %q", f.name, got, f.reaches)
		}
	}
	t.Logf("%d fields × %d outputs, %d documents read\n%s", len(matrix), len(outputs), len(docs), table.String())
}

// ctrlMarker carries the control characters a terminal acts on (an OSC
// that sets the window title, a screen clear, BEL, NUL, DEL, the C1
// introducer of a control sequence) and a pipe; NUL but in file names.
func ctrlMarker(id int, short bool) string {
	if short { // a file name holds no NUL
		return fmt.Sprintf("=CT%02d\x1b]0;x\x07\x1b[2J\x7f\u009b|x", id)
	}
	return fmt.Sprintf("=CT%02d\x1b]0;x\x07\x1b[2J\x00\x7f\u009b|x", id)
}

// TestControlCharactersNeverReachAnOutput fills every field of the matrix
// with control characters, the same ways: each is refused (a 422 with
// the form kept, an import error naming the character) or dropped, and no
// output — a page, a feed (where one would make the XML invalid), a
// report, a workbook, a terminal line, a header — ever shows one.
func TestControlCharactersNeverReachAnOutput(t *testing.T) {
	s := newSite(t)
	m := newMarkers(ctrlMarker)
	m.prefix = "CT"
	now := time.Now().In(vntext.Zone)
	year := now.Year()
	tree := markerTree(t, m, year, now.Add(-2*time.Hour).Format(time.RFC3339))
	res, err := s.env.Publish.Import(context.Background(), os.DirFS(tree), "content")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	cl := &recorder{Browser: newClient(t, serveSite(t, s))}
	cl.Login(adminName, testsupport.Password)
	in := fillWorkspace(t, s, cl, m)
	docs := collect(t, s, cl, m, tree, year, in)
	seen, problems := scan(docs, m)
	for _, p := range problems {
		t.Error(p)
	}
	// A note that is not UTF-8 text is refused too, as every form field is.
	e := cl.newArticle(t, url.Values{"title": {"Tin thử ghi chú UTF-8"}, "body": {"Nội dung."}, "areas": {"II.1"}})
	cl.post(t, e+"/xuat-ban", url.Values{"version": {cl.version(t, e)}})
	if st, _, body := cl.post(t, e+"/go-bo", url.Values{"version": {cl.version(t, e)}, "note": {"Lý do \xff\xfe"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "UTF-8") {
		t.Errorf("a withdrawal reason of invalid UTF-8: %d, want 422 saying so", st)
	}
	var refused, dropped, unseen []string
	for _, f := range matrix {
		switch {
		case in.refused[f.name] != "":
			refused = append(refused, f.name)
		case len(seen[f.name]) > 0:
			dropped = append(dropped, f.name)
		default:
			unseen = append(unseen, f.name)
		}
	}
	t.Logf("import: %d files refused, %d added", res.Failed, res.Added)
	var why []string
	for _, f := range refused {
		why = append(why, f+" ("+in.refused[f]+")")
	}
	t.Logf("refused by the workspace: %s", strings.Join(why, "; "))
	t.Logf("accepted, shown without a raw control character (dropped, or escaped: %%1B in an address, \\x1b in a message): %s", strings.Join(dropped, "; "))
	t.Logf("shown nowhere (refused by the import, or never shown): %s", strings.Join(unseen, "; "))
}

// fixedShape lists the front-matter fields whose values have a shape of
// their own (a slug, a code, a number, a date, a plan's identifiers, a
// choice from a list, an address): a marker there never reaches an
// output, because the file is refused at that field's line.
var fixedShape = []struct {
	kind  content.Kind
	field string
}{
	{content.Article, "slug"}, {content.Article, "date"}, {content.Article, "updated"}, {content.Article, "draft"},
	{content.Article, "areas"}, {content.Article, "plan_item"},
	{content.Procedure, "code"}, {content.Procedure, "online"}, {content.Procedure, "submission"},
	{content.Procedure, "legal_basis"}, {content.Procedure, "portal_url"}, {content.Procedure, "decision"}, {content.Procedure, "checked"},
	{content.Document, "number"}, {content.Document, "issued"}, {content.Document, "effective"},
	{content.Document, "expires"}, {content.Document, "validity"}, {content.Document, "source_url"}, {content.Document, "file"},
	{content.Document, "replaces"}, {content.Document, "replaced_by"}, {content.Document, "amends"}, {content.Document, "amended_by"},
	{content.Document, "repeals"}, {content.Document, "repealed_by"}, {content.Document, "repeals_part"},
	{content.Document, "repealed_in_part_by"}, {content.Document, "guides"}, {content.Document, "guided_by"},
}

// TestFixedShapeFieldsRefuseMarkers puts the long marker into each field
// of fixedShape: the file is refused with a message at that field's line,
// and nothing of it is stored.
func TestFixedShapeFieldsRefuseMarkers(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	base := map[content.Kind]map[string]string{
		content.Article:   {"title": `"Tin thử"`, "date": "2022-05-02"},
		content.Procedure: {"title": `"Thủ tục thử"`, "code": `"1.099902"`},
		content.Document:  {"number": "9902/QĐ-UBND", "type": "Quyết định", "issuer": "UBND tỉnh", "issued": "2022-04-01", "title": `"Văn bản thử"`},
	}
	order := []string{"number", "type", "issuer", "issued", "title", "code", "date"}
	for i, f := range fixedShape {
		t.Run(string(f.kind)+" "+f.field, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("---\n")
			line, at := 1, 0
			for _, k := range order {
				if v, ok := base[f.kind][k]; ok && k != f.field {
					line++
					fmt.Fprintf(&b, "%s: %s\n", k, v)
				}
			}
			at = line + 1
			fmt.Fprintf(&b, "%s: %s\n---\nThân bài.\n", f.field, yamlQ(longMarker(90+i%10)))
			rel := fmt.Sprintf("%s/hinh-dang-%02d.md", f.kind.Dir(), i)
			res, err := s.env.Publish.Import(ctx, fstest.MapFS{rel: {Data: []byte(b.String())}}, "content")
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != 0 || len(res.Errors) == 0 {
				t.Fatalf("%s with a marker: %d added, errors %v\n%s", f.field, res.Added, res.Errors, b.String())
			}
			found := false
			for _, e := range res.Errors {
				found = found || e.Line == at
			}
			if !found {
				t.Errorf("%s: refused, but not at line %d: %v", f.field, at, res.Errors)
			}
		})
	}
}
