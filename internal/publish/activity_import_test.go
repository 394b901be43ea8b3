package publish_test

import (
	"golang.org/x/text/unicode/norm"
	"strings"
	"testing"
	"testing/fstest"

	"cchc/internal/testsupport"
)

// activityPlan is testPlan with the items activities serve.
const activityPlan = testPlan + `  - {id: III.3, title: Bản tin và chuyên mục}
  - {id: III.4, title: Ngày Khoa học và Công nghệ Việt Nam 18/5}
`

const goodActivity = `---
title: Chuyên mục khoa học và công nghệ tháng 3
plan_item: III.3
channel: phat-thanh
date: 2022-03-20
place: Đài Phát thanh – Truyền hình Quảng Ngãi
unit: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
audience: 45
evidence: [minh-chung/lich-phat-song.pdf, "https://example.gov.vn/chuyen-muc-3.mp3"]
---
Ghi chú.
`

// TestImportActivities: an activity file goes in with its evidence file
// brought into the media library, published (its publication in the log)
// but not shown to the public; an article serving a second plan item
// keeps it. A plan item no plan has, a unit not in the list, and the
// problems of the file itself are path:line: messages, and the file is
// not written.
func TestImportActivities(t *testing.T) {
	e := newEnv(t)
	files := fstest.MapFS{
		"plans/2022.yaml":                 {Data: []byte(activityPlan)},
		"minh-chung/lich-phat-song.pdf":   {Data: testsupport.PDF()},
		"activities/chuyen-muc-3.md":      {Data: []byte(goodActivity)},
		"articles/ngay-khcn.md":           {Data: []byte(strings.Replace(goodArticle, "areas: [II.1]", "areas: [II.1]\nplan_items: [III.4]", 1))},
		"activities/muc-la.md":            {Data: []byte(strings.Replace(goodActivity, "plan_item: III.3", "plan_item: III.9", 1))},
		"activities/don-vi-la.md":         {Data: []byte(strings.Replace(goodActivity, "unit: Trung tâm Ứng dụng", "unit: Trung tâm Ứng Dụng", 1))},
		"activities/het-truoc-bat-dau.md": {Data: []byte(strings.Replace(goodActivity, "date: 2022-03-20", "date: 2022-03-20\ndate_end: 2022-03-19", 1))},
		"activities/hinh-thuc-la.md":      {Data: []byte(strings.Replace(goodActivity, "channel: phat-thanh", "channel: radio", 1))},
		"activities/thieu-tep.md":         {Data: []byte(strings.Replace(goodActivity, "minh-chung/lich-phat-song.pdf", "minh-chung/khong-co.pdf", 1))},
		"articles/muc-them-la.md":         {Data: []byte(strings.Replace(goodArticle, "areas: [II.1]", "areas: [II.1]\nplan_items: [III.8]", 1))},
	}
	res := e.importFS(t, files)
	var got []string
	for _, err := range res.Errors {
		got = append(got, err.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`content/activities/muc-la.md:3: mục kế hoạch "III.9" không có trong kế hoạch nào (có: III.1, III.2, III.3, III.4)`,
		`content/activities/don-vi-la.md:7: đơn vị "Trung tâm Ứng Dụng và Dịch vụ khoa học và công nghệ" không có trong danh sách đơn vị`,
		`content/activities/het-truoc-bat-dau.md:6: ngày kết thúc (19/03/2022) trước ngày bắt đầu (20/03/2022)`,
		`content/activities/hinh-thuc-la.md:4: hình thức "radio" không có trong danh sách`,
		`content/activities/thieu-tep.md:9: không tìm thấy tệp đính kèm "minh-chung/khong-co.pdf"`,
		`content/articles/muc-them-la.md:5: mục kế hoạch "III.8" không có trong kế hoạch nào`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in\n%s", want, all)
		}
	}
	if res.Failed != 6 || res.Added != 3 { // the activity, the article and the plan
		t.Errorf("failed %d, added %d; want 6 and 3\n%s", res.Failed, res.Added, all)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE kind = 'activity' AND status = 'published' AND public = 0 AND unit = ?`,
		"Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ"); n != 1 {
		t.Errorf("%d stored activities of the unit, hidden from the public; want 1", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM publog p JOIN items i ON i.id = p.item_id WHERE i.kind = 'activity' AND p.type = 'publish'`); n != 1 {
		t.Errorf("%d log rows of the activity, want 1", n)
	}
	evidence := e.str(t, `SELECT json_extract(meta, '$.evidence') FROM items WHERE kind = 'activity'`)
	if !strings.Contains(evidence, `"/tep/`) || !strings.Contains(evidence, "https://example.gov.vn/chuyen-muc-3.mp3") || strings.Contains(evidence, "minh-chung/") {
		t.Errorf("evidence %s: the file should name the library's copy, the address stay", evidence)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM media WHERE source_path = 'minh-chung/lich-phat-song.pdf'`); n != 1 {
		t.Errorf("%d library rows of the evidence file, want 1", n)
	}
	if pi := e.str(t, `SELECT json_extract(meta, '$.plan_items') FROM items WHERE slug = 'ngay-khcn'`); pi != `["III.4"]` {
		t.Errorf("the article's plan_items: %s", pi)
	}
	// Imported again, nothing changes.
	again := e.importFS(t, files)
	if again.Added != 0 || again.Updated != 0 || again.Unchanged != 3 {
		t.Errorf("second import: %+v", again)
	}
}

// TestImportActivityOtherUnit: `cchc import` is run by whoever runs the
// server, with no account, so it binds no unit: a file naming another unit
// of the list (the Chi cục) goes in as that unit's, and its log row says
// so (actor "import"). What the list does not hold is refused with
// path:line and nothing written: a unit by its slug or short name, with a
// zero-width space, or two units at once. A name in NFD is the list's
// name once normalised, as every imported text is.
func TestImportActivityOtherUnit(t *testing.T) {
	e := newEnv(t)
	const office = "Chi cục Tiêu chuẩn Đo lường Chất lượng"
	with := func(unit string) []byte {
		return []byte(strings.Replace(goodActivity, "unit: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", "unit: "+unit, 1))
	}
	retitle := func(b []byte, title string) []byte {
		return []byte(strings.Replace(string(b), "title: ", "title: "+title+" ", 1))
	}
	files := fstest.MapFS{
		"plans/2022.yaml":               {Data: []byte(activityPlan)},
		"minh-chung/lich-phat-song.pdf": {Data: testsupport.PDF()},
		"activities/chi-cuc.md":         {Data: retitle(with(office), "A")},
		"activities/nfd.md":             {Data: retitle(with(norm.NFD.String(office)), "B")},
		"activities/slug.md":            {Data: retitle(with("chi-cuc-tieu-chuan-do-luong-chat-luong"), "C")},
		"activities/ten-ngan.md":        {Data: retitle(with("Chi cục TĐC"), "D")},
		"activities/zero-width.md":      {Data: retitle(with("Chi cục\u200b Tiêu chuẩn Đo lường Chất lượng"), "E")},
		"activities/hai-don-vi.md":      {Data: retitle(with("["+office+", Phòng Hành chính – Tổng hợp]"), "F")},
	}
	res := e.importFS(t, files)
	var got []string
	for _, err := range res.Errors {
		got = append(got, err.Error())
	}
	all := strings.Join(got, "\n")
	for _, name := range []string{"slug", "ten-ngan", "zero-width", "hai-don-vi"} {
		if !strings.Contains(all, "content/activities/"+name+".md:7: ") {
			t.Errorf("no path:line problem for %s.md in\n%s", name, all)
		}
	}
	if res.Failed != 4 {
		t.Errorf("failed %d, want 4\n%s", res.Failed, all)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE kind = 'activity' AND unit = ?`, office); n != 2 {
		t.Errorf("%d activities of the Chi cục, want 2 (its name, in NFC and in NFD)", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE kind = 'activity' AND unit <> ?`, office); n != 0 {
		t.Errorf("%d activities stored under another unit", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM publog WHERE type = 'publish' AND actor = 'import' AND json_extract(facts, '$.unit') = ?`, office); n != 2 {
		t.Errorf("%d log rows naming the Chi cục by the import, want 2", n)
	}
}
