package site_test

import (
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// dirHandler serves the demo content on 01/12/2022.
func dirHandler(t *testing.T) http.Handler {
	now := time.Date(2022, 12, 1, 9, 0, 0, 0, vntext.Zone)
	return testsupport.DemoHandler(t, config.Defaults, func() time.Time { return now })
}

// get is the status and body of GET target.
func get(t *testing.T, h http.Handler, target string) (int, string) {
	w := testsupport.Get(h, target)
	return w.Code, w.Body.String()
}

var entryTitle = regexp.MustCompile(`<a class="entry-title" href="([^"]+)">`)

func entries(body string) []string {
	var out []string
	for _, m := range entryTitle.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestDirectories(t *testing.T) {
	h := dirHandler(t)
	q := url.QueryEscape
	tests := []struct {
		name   string
		target string
		status int
		// want lists entries that must be present (in this order when
		// ordered is set); count is the exact number expected, -1 to skip.
		want    []string
		ordered bool
		count   int
		body    []string
	}{
		{"procedures all", "/thu-tuc-hanh-chinh/", 200, nil, false, 12, []string{"12 thủ tục", `<option value="">Tất cả (12)</option>`}},
		{"procedures online full", "/thu-tuc-hanh-chinh/?truc-tuyen=" + q("toàn trình"), 200, nil, false, 5,
			[]string{"5 thủ tục", `value="toàn trình" selected>toàn trình (5)`, `value="một phần">một phần (5)`, "Bỏ lọc Dịch vụ công trực tuyến"}},
		{"procedures online partial", "/thu-tuc-hanh-chinh/?truc-tuyen=" + q("một phần"), 200, nil, false, 5, nil},
		{"procedures by name", "/thu-tuc-hanh-chinh/?sap-xep=ten", 200,
			[]string{"/thu-tuc-hanh-chinh/chung-chi-nhan-vien-buc-xa", "/thu-tuc-hanh-chinh/chung-nhan-doanh-nghiep-khcn"}, true, 12, nil},
		{"procedures text", "/thu-tuc-hanh-chinh/?q=" + q("buc xa"), 200, nil, false, -1, []string{`value="buc xa"`}},
		{"documents number exact", "/van-ban/?q=" + q("1256/QĐ-UBND"), 200, []string{"/van-ban/1256-qd-ubnd"}, false, 1, nil},
		{"documents number no marks", "/van-ban/?q=" + q("1256/QD-UBND"), 200, []string{"/van-ban/1256-qd-ubnd"}, false, 1, nil},
		{"documents number spaced", "/van-ban/?q=" + q("1256 qd ubnd"), 200, []string{"/van-ban/1256-qd-ubnd"}, false, 1, nil},
		{"documents number loose", "/van-ban/?q=" + q("qđ 1256"), 200, []string{"/van-ban/1256-qd-ubnd"}, false, 1, nil},
		{"documents party number", "/van-ban/?q=" + q("4-nq/tu"), 200, []string{"/van-ban/04-nq-tu"}, false, 1, nil},
		{"documents by year", "/van-ban/?nam=2022", 200, []string{"/van-ban/272-kh-skhcn", "/van-ban/42-2022-nd-cp"}, false, -1, []string{`value="2022" selected`}},
		{"documents by type", "/van-ban/?loai=" + q("Nghị quyết"), 200, []string{"/van-ban/76-nq-cp", "/van-ban/04-nq-tu", "/van-ban/93-nq-hdnd"}, false, 3, nil},
		{"documents newest issued first", "/van-ban/?co-quan=" + q("UBND tỉnh Quảng Ngãi"), 200,
			[]string{"/van-ban/34-kh-ubnd", "/van-ban/93-qd-ubnd", "/van-ban/1256-qd-ubnd"}, true, -1, nil},
		{"documents in force", "/van-ban/?hieu-luc=" + q("Còn hiệu lực"), 200, nil, false, -1, []string{"Còn hiệu lực ("}},
		{"documents unknown number", "/van-ban/?q=" + q("9999/QĐ-UBND"), 200, nil, false, 0, []string{"Không có văn bản nào phù hợp"}},
		{"bad year", "/van-ban/?nam=abc", 400, nil, false, -1, []string{"Giá trị lọc không hợp lệ."}},
		{"bad sort", "/thu-tuc-hanh-chinh/?sap-xep=x", 400, nil, false, -1, nil},
		{"page past the end", "/van-ban/trang/9/", 404, nil, false, -1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(t, h, tc.target)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			got := entries(body)
			if tc.count >= 0 && status == 200 && len(got) != tc.count {
				t.Errorf("%d entries, want %d: %v", len(got), tc.count, got)
			}
			last := -1
			for _, w := range tc.want {
				i := indexOf(got, w)
				if i < 0 {
					t.Errorf("missing %s in %v", w, got)
					continue
				}
				if tc.ordered && i < last {
					t.Errorf("%s out of order in %v", w, got)
				}
				last = i
			}
			for _, b := range tc.body {
				if !strings.Contains(body, b) {
					t.Errorf("body lacks %q", b)
				}
			}
		})
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func TestCitationsBothWays(t *testing.T) {
	h := dirHandler(t)
	_, doc := get(t, h, "/van-ban/1256-qd-ubnd")
	if !strings.Contains(doc, "Văn bản được trích dẫn trong…") {
		t.Fatal("document page lacks the cited-by section")
	}
	cited := doc[strings.Index(doc, "duoc-trich-dan"):]
	if !strings.Contains(cited, `href="/tin-tuc/ke-hoach-cchc-giai-doan-2021-2025"`) {
		t.Errorf("cited-by list lacks the article citing 1256/QĐ-UBND")
	}
	_, art := get(t, h, "/tin-tuc/ke-hoach-cchc-giai-doan-2021-2025")
	if !strings.Contains(art, `<a class="vb-ref" href="/van-ban/1256-qd-ubnd"`) {
		t.Errorf("article body does not link 1256/QĐ-UBND")
	}
	if !strings.Contains(art, "Văn bản được nhắc đến") || !strings.Contains(art[strings.Index(art, "van-ban-trich-dan"):], `href="/van-ban/1256-qd-ubnd"`) {
		t.Errorf("article lacks the list of documents it cites")
	}
	_, proc := get(t, h, "/thu-tuc-hanh-chinh/cap-lai-dang-ky-hoat-dong-khcn")
	if !strings.Contains(proc, `<a href="/van-ban/29-2013-qh13"`) {
		t.Errorf("procedure legal basis is not linked")
	}
}

// TestDirectoryFacetsShared: a directory's facet counts are counted once
// for all its pages with the same filters (they do not depend on the page
// or the order), and its text box's hits once for all its pages; both are
// found again after a change to public content.
func TestDirectoryFacetsShared(t *testing.T) {
	now := time.Date(2022, 12, 1, 9, 0, 0, 0, vntext.Zone)
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return now })
	h := testsupport.Handler(t, env)
	all := `<option value="">Tất cả (12)</option>`
	if _, body := get(t, h, "/thu-tuc-hanh-chinh/?sap-xep=ten"); !strings.Contains(body, all) {
		t.Fatalf("the directory lacks %q", all)
	}
	// A write that moves nothing the pages watch (as no commit of this
	// process, or any process's, would): the counts of the same filters,
	// in another order, are the ones already counted.
	db := testsupport.FileDB(t, env.DB.Path, false)
	if _, err := db.Exec(`UPDATE items SET status = 'draft' WHERE kind = 'procedure' AND slug = 'chung-chi-nhan-vien-buc-xa'`); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, h, "/thu-tuc-hanh-chinh/?sap-xep=moi"); !strings.Contains(body, all) {
		t.Errorf("the same filters in another order counted again: want the shared %q", all)
	}
	if _, err := db.Exec(`UPDATE items SET status = 'published' WHERE kind = 'procedure' AND slug = 'chung-chi-nhan-vien-buc-xa'`); err != nil {
		t.Fatal(err)
	}
	// The text box's hits are kept the same way.
	text := "/thu-tuc-hanh-chinh/?q=" + url.QueryEscape("bức xạ")
	if _, body := get(t, h, text); indexOf(entries(body), "/thu-tuc-hanh-chinh/chung-chi-nhan-vien-buc-xa") < 0 {
		t.Fatalf("%s lacks the procedure it names", text)
	}
	// A withdrawal through the workflow drops them with the pages.
	it, err := env.Store.ItemBySlug(t.Context(), content.Procedure, "chung-chi-nhan-vien-buc-xa")
	if err != nil {
		t.Fatal(err)
	}
	approver := publish.Actor{Name: "duyet", Role: auth.Approver}
	if _, err := env.Publish.Transition(t.Context(), approver, publish.TransitionRequest{ID: it.ID, Action: auth.ActWithdraw, Note: "Thủ tục đã bãi bỏ"}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/thu-tuc-hanh-chinh/?sap-xep=ten", "/thu-tuc-hanh-chinh/?sap-xep=moi", "/thu-tuc-hanh-chinh/"} {
		if _, body := get(t, h, target); !strings.Contains(body, `<option value="">Tất cả (11)</option>`) {
			t.Errorf("%s after a withdrawal: the counts were not counted again", target)
		}
	}
	for _, target := range []string{text, text + "&sap-xep=ten"} {
		if _, body := get(t, h, target); indexOf(entries(body), "/thu-tuc-hanh-chinh/chung-chi-nhan-vien-buc-xa") >= 0 {
			t.Errorf("%s after a withdrawal still lists the withdrawn procedure", target)
		}
	}
	// A new procedure the text finds is found on every page of it.
	testsupport.Import(t, env, fstest.MapFS{"procedures/thu-nghiem-buc-xa.md": {Data: []byte("---\ntitle: Thủ tục thử nghiệm về an toàn bức xạ\ncode: 9.999901\ndate: 2022-11-01\n---\n## Trình tự thực hiện\n")}})
	for _, target := range []string{text, text + "&sap-xep=ten"} {
		if _, body := get(t, h, target); indexOf(entries(body), "/thu-tuc-hanh-chinh/thu-nghiem-buc-xa") < 0 {
			t.Errorf("%s after an import: the new procedure is not found (its hits were kept from before)", target)
		}
	}
}

// TestDirectoryCountsAcrossADueTime: the counts kept for a directory's
// pages are never those of a clock read before the pages were last
// dropped. Here a scheduled procedure falls due exactly while the first
// request counts (the clock moves past it when the page cache is asked
// for what it keeps): that request's counts, made before the time, must
// not be kept as the counts after it.
func TestDirectoryCountsAcrossADueTime(t *testing.T) {
	t0 := time.Date(2022, 12, 1, 9, 0, 0, 0, vntext.Zone)
	due := t0.Add(time.Hour)
	var passed atomic.Bool
	clock := func() time.Time {
		if !passed.Load() {
			pcs := make([]uintptr, 8)
			frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
			for {
				f, more := frames.Next()
				if strings.Contains(f.Function, "(*PageCache).Derived") {
					passed.Store(true)
				}
				if !more {
					break
				}
			}
		}
		if passed.Load() {
			return due.Add(time.Second)
		}
		return t0
	}
	env := testsupport.Demo(t, config.Defaults, clock)
	db := testsupport.FileDB(t, env.DB.Path, false)
	if _, err := db.Exec(`UPDATE items SET published_at = ? WHERE kind = 'procedure' AND slug = 'chung-chi-nhan-vien-buc-xa'`, due.Unix()); err != nil {
		t.Fatal(err)
	}
	env.Pages.Watch(1, due, t0.Format(time.DateOnly))
	h := testsupport.Handler(t, env)
	get(t, h, "/thu-tuc-hanh-chinh/")
	if !passed.Load() {
		t.Fatal("the clock never passed the due time: the test did not test")
	}
	_, body := get(t, h, "/thu-tuc-hanh-chinh/?sap-xep=ten")
	if n := len(entries(body)); n != 12 || !strings.Contains(body, `<option value="">Tất cả (12)</option>`) {
		t.Errorf("after the due time: %d procedures listed, and the counts %s; want 12 and Tất cả (12)", n, regexp.MustCompile(`Tất cả \(\d+\)`).FindString(body))
	}
}
