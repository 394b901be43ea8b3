package admin_test

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/markdown"
	"cchc/internal/publish"
	"cchc/internal/publog"
)

// wideTable is a table of 100,000 columns: 200 KB typed, its header alone
// 2 MB of HTML (and each row as much again).
var wideTable = "Bảng số liệu:\n\n|" + strings.Repeat("a|", 100000) + "\n|" + strings.Repeat("-|", 100000) + "\n"

// TestBodyPastLimits: a body past the renderer's limits comes back on the
// form with 422, the message naming the limit on the body field and
// everything typed kept, whether it is saved, created or previewed; nothing
// is written.
func TestBodyPastLimits(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	before := s.itemsState()
	const msg = "Dòng 4: bảng có 100.000 cột (giới hạn 64 cột)."
	for _, tc := range []struct{ name, path string }{
		{"save", editPath(f.draft)},
		{"create", "/quan-tri/tin-bai/moi"},
		{"preview", "/quan-tri/tin-bai/xem-truoc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"title": {"Tiêu đề đang gõ"}, "body": {wideTable}}
			if tc.name != "create" {
				form.Set("id", strconv.FormatInt(f.draft.ID, 10))
				form.Set("version", ver(f.draft))
			}
			res := s.post(ed, tc.path, form)
			if res.StatusCode != 422 {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.body, msg) {
				t.Errorf("page lacks %q", msg)
			}
			if !strings.Contains(res.body, `value="Tiêu đề đang gõ"`) || !strings.Contains(res.body, html.EscapeString(wideTable[:200])) {
				t.Error("what was typed is not kept")
			}
			if strings.Contains(res.body, "<th>a</th>") {
				t.Error("the table was rendered")
			}
			if s.itemsState() != before {
				t.Error("something was saved")
			}
		})
	}
}

// TestEditPageDoesNotRender: opening an item's edit page shows the
// warnings of its stored rendering without rendering its body again. The
// item here was stored under raised limits with 10,000 headings, which
// took 6.7 s to render each time the page was opened; under the default
// limits it would not render at all.
func TestEditPageDoesNotRender(t *testing.T) {
	s, _ := newItemServer(t)
	lenient := markdown.DefaultLimits
	lenient.Headings = 1 << 20
	pub := publish.New(s.env.Store, markdown.NewWithLimits(lenient), publog.New(s.env.Store, s.clock.Now), s.env.Store, s.clock.Now, nil)
	body := "Theo Quyết định 99/QĐ-XYZ.\n\n" + strings.Repeat("# a\n", 10000) + "\nVà Kế hoạch 77/KH-ABC.\n"
	it, warns, err := pub.Save(context.Background(), asEditor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bài rất nhiều tiêu đề",
		Body: body, LegalBasis: []string{"88/QĐ-UBND"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 3 {
		t.Fatalf("save warned %v, want 3 warnings", warns)
	}
	ed := s.login(auth.Editor)
	start := time.Now()
	res := s.get(ed, editPath(it))
	took := time.Since(start)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		"Nội dung, dòng 1: văn bản 99/QĐ-XYZ chưa có trong danh mục văn bản",
		"Nội dung, dòng 10004: văn bản 77/KH-ABC chưa có trong danh mục văn bản",
		"Căn cứ pháp lý: căn cứ pháp lý 88/QĐ-UBND chưa có trong danh mục văn bản",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("edit page lacks warning %q", want)
		}
	}
	// Generous: the page reads a few rows; rendering the body took 6.7 s.
	if took > 2*time.Second {
		t.Errorf("the edit page took %v", took)
	}
	t.Logf("edit page of a 10,000-heading item in %v", took.Round(time.Millisecond))
}

// TestManyListValuesThroughTheForm: 150,000 tags (1.4 MB, under the
// form's 2 MiB) sent to the preview and to a save come back on the form
// with the limit named on the tags field and the title kept; nothing is
// written. Before, each request compared the tags pairwise for 24 s
// (TestListFieldsStopAtTheirLimit holds the reading to the limit).
func TestManyListValuesThroughTheForm(t *testing.T) {
	s, f := newItemServer(t)
	ed := s.login(auth.Editor)
	before := s.itemsState()
	var tags strings.Builder
	for i := range 150000 {
		if i > 0 {
			tags.WriteByte(',')
		}
		tags.WriteString("t" + strconv.Itoa(i))
	}
	for _, tc := range []struct {
		path   string
		status int
	}{{"/quan-tri/tin-bai/xem-truoc", 200}, {editPath(f.draft), 422}} {
		form := url.Values{"title": {"Tiêu đề đang gõ"}, "body": {"Đoạn văn."}, "tags": {tags.String()},
			"id": {strconv.FormatInt(f.draft.ID, 10)}, "version": {ver(f.draft)}}
		res := s.post(ed, tc.path, form)
		if res.StatusCode != tc.status {
			t.Fatalf("%s: status %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if !strings.Contains(res.body, "Nhiều nhất 100 giá trị.") || !strings.Contains(res.body, `value="Tiêu đề đang gõ"`) {
			t.Errorf("%s: the limit is not named or the title is lost", tc.path)
		}
	}
	if s.itemsState() != before {
		t.Error("something was saved")
	}
}
