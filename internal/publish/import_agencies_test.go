package publish_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/agency"
)

const stpRecord = `name: Sở Tư pháp tỉnh Quảng Ngãi
short_name: Sở Tư pháp
prefix: /so-tu-phap
address: Quảng Ngãi
email: stp@example.gov.vn
website: https://stp.example.gov.vn
`

// stpArticle has the same file name as an article of the root's tree and a
// slug of its own.
const stpArticle = `---
title: Sở Tư pháp triển khai kế hoạch cải cách hành chính
slug: stp-trien-khai-ke-hoach
date: 2022-03-21T08:00:00+07:00
---
Nội dung thử nghiệm.
`

// TestImportAgency: agencies/SLUG/agency.yaml creates the agency through
// the store's checks, and its tree is imported beside the root's, each
// item keeping its own source path; a second import writes nothing, and a
// changed record is updated with an audit row.
func TestImportAgency(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{
		"articles/a.md":                           goodArticle,
		"agencies/so-tu-phap/agency.yaml":         stpRecord,
		"agencies/so-tu-phap/articles/a.md":       stpArticle,
		"agencies/so-tu-phap/documents/1256.md":   strings.Replace(goodDocument, "1256/QĐ-UBND", "15/KH-STP", 1),
		"agencies/so-tu-phap/articles/.hidden.md": "ignored",
	})
	res := e.importFS(t, fsys)
	// Three items and the root's plan.
	if res.Failed != 0 || res.Added != 4 {
		t.Fatalf("first import: added %d, failed %d: %v", res.Added, res.Failed, res.Errors)
	}
	a, err := e.st.AgencyBySlug(context.Background(), "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	want := agency.Agency{ID: a.ID, Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap",
		Address: "Quảng Ngãi", Email: "stp@example.gov.vn", Website: "https://stp.example.gov.vn"}
	if *a != want {
		t.Errorf("agency %+v, want %+v", *a, want)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE source_path = 'agencies/so-tu-phap/articles/a.md' AND slug = 'stp-trien-khai-ke-hoach'`); n != 1 {
		t.Errorf("the agency's article is not kept under its own source path (%d)", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE source_path LIKE 'agencies/so-tu-phap/%' AND agency_id = ?`, a.ID); n != 2 {
		t.Errorf("%d of the agency's two items are its own", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE source_path = 'articles/a.md' AND agency_id = 1`); n != 1 {
		t.Errorf("the root's article: %d rows", n)
	}
	audits := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency'`)
	if audits != 1 {
		t.Errorf("%d agency audit rows after the first import, want 1", audits)
	}
	res = e.importFS(t, fsys)
	if res.Added != 0 || res.Updated != 0 || res.Unchanged != 4 || res.Failed != 0 {
		t.Errorf("second import: %+v", res)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency'`); n != audits {
		t.Errorf("an unchanged record wrote %d audit rows", n-audits)
	}
	fsys["agencies/so-tu-phap/agency.yaml"].Data = []byte(strings.Replace(stpRecord, "address: Quảng Ngãi", "address: 142 Hùng Vương, Quảng Ngãi", 1))
	e.importFS(t, fsys)
	if got := e.str(t, `SELECT address FROM agencies WHERE slug = 'so-tu-phap'`); got != "142 Hùng Vương, Quảng Ngãi" {
		t.Errorf("address after the edit: %q", got)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency'`); n != audits+1 {
		t.Errorf("the edit wrote %d audit rows, want 1", n-audits)
	}
}

// TestImportAgencyParent: a district's office names its committee as its
// parent, whichever folder sorts first.
func TestImportAgencyParent(t *testing.T) {
	e := newEnv(t)
	res := e.importFS(t, tree(map[string]string{
		"agencies/a-phong-tu-phap/agency.yaml": "name: Phòng Tư pháp huyện Sơn Tịnh\nshort_name: Phòng Tư pháp Sơn Tịnh\nprefix: /phong-tu-phap-son-tinh\nparent: ubnd-son-tinh\n",
		"agencies/ubnd-son-tinh/agency.yaml":   "name: Ủy ban nhân dân huyện Sơn Tịnh\nshort_name: UBND huyện Sơn Tịnh\nhost: sontinh.example.gov.vn\n",
	}))
	if res.Failed != 0 {
		t.Fatalf("failed: %v", res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies c JOIN agencies p ON p.id = c.parent_id WHERE c.slug = 'a-phong-tu-phap' AND p.slug = 'ubnd-son-tinh'`); n != 1 {
		t.Errorf("the office's parent is not the committee")
	}
}

// TestImportAgencyHostile: a hostile agency.yaml is refused with
// path:line: messages, and nothing of it — the agency, its tree — is
// written; the other agencies and the root's tree still go in.
func TestImportAgencyHostile(t *testing.T) {
	huge := strings.Repeat("Sở", 500_000) // 1 MB of name
	cases := []struct {
		name, slug, file string
		line             int
		msg              string // a part of the message
	}{
		{"bad prefix", "so-a", "name: A\nshort_name: A\nprefix: /Sở Tư Pháp\n", 3, "prefix: Đường dẫn phải có dạng"},
		{"prefix with a slash inside", "so-b", "name: B\nshort_name: B\nprefix: /a/b\n", 3, "prefix: Đường dẫn phải có dạng"},
		{"reserved prefix", "so-c", "name: C\nshort_name: C\nprefix: /tin-tuc\n", 3, "prefix: Đường dẫn /tin-tuc đã dùng"},
		{"reserved province prefix", "so-d", "name: D\nshort_name: D\nprefix: /toan-tinh\n", 3, "prefix: Đường dẫn /toan-tinh đã dùng"},
		{"1 MB name", "so-e", "short_name: E\nprefix: /so-e\nname: " + huge + "\n", 3, "name: Tối đa 300 ký tự (đã nhập 1000000)"},
		{"raw control character", "so-f", "name: F\nshort_name: F\x07\nprefix: /so-f\n", 2, "ký tự điều khiển"},
		{"escaped control character", "so-g", "name: G\nshort_name: \"G\\u0007\"\nprefix: /so-g\n", 2, "ký tự điều khiển"},
		{"no address", "so-i", "name: I\nshort_name: I\n", 1, "cần có prefix"},
		{"unknown field", "so-j", "name: J\nshort_name: J\nprefix: /so-j\nadmin_password: x\n", 4, "trường không được phép"},
		{"alias", "so-k", "name: &n K\nshort_name: *n\nprefix: /so-k\n", 1, ""},
		{"missing parent", "so-l", "name: L\nshort_name: L\nprefix: /so-l\nparent: khong-co\n", 4, "parent: không có cơ quan có mã \"khong-co\""},
		{"bad host", "so-m", "name: M\nshort_name: M\nhost: http://evil.example/\n", 3, "host: Tên miền chưa đúng"},
		{"taken prefix", "so-xn", "name: N\nshort_name: N\nprefix: /so-tu-phap\n", 3, "prefix: Giá trị này đã được cơ quan khác sử dụng"},
		{"taken name", "so-xo", "name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: O\nprefix: /so-xo\n", 1, "name: Giá trị này đã được cơ quan khác sử dụng"},
		{"not a mapping", "so-p", "- a\n- b\n", 1, ""},
		{"empty", "so-q", "\n\n", 1, "tệp trống"},
		{"folder not a slug", "So_Q", "name: Q\nshort_name: Q\nprefix: /so-q\n", 0, "tên thư mục \"So_Q\" là mã cơ quan"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			dir := "agencies/" + tc.slug
			fsys := tree(map[string]string{
				"articles/a.md":                     goodArticle,
				"agencies/so-tu-phap/agency.yaml":   stpRecord,
				"agencies/so-tu-phap/articles/a.md": stpArticle,
				dir + "/agency.yaml":                tc.file,
				dir + "/articles/b.md":              strings.Replace(goodArticle, "title:", "slug: hostile-b\ntitle:", 1),
			})
			start := time.Now()
			res := e.importFS(t, fsys)
			// Generous: the whole import, 1 MB record included, takes under a
			// second on a loaded two-core machine; the file is lexed once,
			// linearly, and its value is never copied into a message.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("the import took %v", d)
			}
			if res.Failed != 1 {
				t.Errorf("failed %d, want 1: %v", res.Failed, res.Errors)
			}
			path := "content/" + dir + "/agency.yaml"
			var msgs []string
			for _, err := range res.Errors {
				msgs = append(msgs, err.Error())
			}
			all := strings.Join(msgs, "\n")
			at := path + ": "
			if tc.line > 0 {
				at = path + ":" + strconv.Itoa(tc.line) + ": "
			}
			if !strings.HasPrefix(all, at) {
				t.Errorf("errors %q do not start with %q", all, at)
			}
			if !strings.Contains(all, tc.msg) {
				t.Errorf("errors %q lack %q", all, tc.msg)
			}
			if len(all) > 2000 {
				t.Errorf("the message is %d bytes long: it repeats the hostile value", len(all))
			}
			if n := e.count(t, `SELECT COUNT(*) FROM agencies WHERE slug = ?`, tc.slug); n != 0 {
				t.Errorf("the agency was written")
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items WHERE slug = 'hostile-b' OR source_path LIKE ?`, dir+"/%"); n != 0 {
				t.Errorf("%d items of its tree were written", n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency'`); n != 1 {
				t.Errorf("%d agency audit rows, want the Sở Tư pháp's alone", n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM items`); n != 2 {
				t.Errorf("%d items, want the root's and the Sở Tư pháp's", n)
			}
		})
	}
}

// TestImportRefreshesOnce: an article of the root's tree cites documents
// that two later agencies' trees keep. Every tree's claims pass runs
// before any tree is written, so the article links both documents at its
// first render: it is not warned about numbers the import brings in, and
// not re-rendered (it was once after each tree, then once at the end,
// each time after a false warning).
func TestImportRefreshesOnce(t *testing.T) {
	e := newEnv(t)
	doc := func(number string) string { return strings.Replace(goodDocument, "1256/QĐ-UBND", number, 1) }
	fsys := tree(map[string]string{
		"articles/a.md": `---
title: Hai kế hoạch của hai sở
slug: hai-ke-hoach
date: 2022-03-21T08:00:00+07:00
---
Theo Kế hoạch số 15/KH-STP và Kế hoạch số 21/KH-SYT.
`,
		"agencies/so-tu-phap/agency.yaml":     stpRecord,
		"agencies/so-tu-phap/documents/15.md": doc("15/KH-STP"),
		"agencies/so-y-te/agency.yaml":        "name: Sở Y tế tỉnh Quảng Ngãi\nshort_name: Sở Y tế\nprefix: /so-y-te\n",
		"agencies/so-y-te/documents/21.md":    doc("21/KH-SYT"),
	})
	res := e.importFS(t, fsys)
	if res.Failed != 0 || res.Added != 4 {
		t.Fatalf("import: added %d, failed %d: %v", res.Added, res.Failed, res.Errors)
	}
	if res.Rerendered != 0 {
		t.Errorf("the citing article was re-rendered %d times, want none: its first render had every tree's documents", res.Rerendered)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "/KH-STP") || strings.Contains(w.Msg, "/KH-SYT") {
			t.Errorf("a false warning: %v", w)
		}
	}
	html := e.str(t, `SELECT body_html FROM items JOIN item_bodies ON item_id = id WHERE slug = 'hai-ke-hoach'`)
	for _, number := range []string{"15", "21"} {
		if !strings.Contains(html, `href="/van-ban/`+number+`"`) {
			t.Errorf("the article does not link %s: %s", number, html)
		}
	}
}

// TestImportNumberTakenAcrossTrees: a document number is unique across the
// instance (the one registry). Two agencies' trees giving the same number
// in one import: the later file is refused, told which file holds it, and
// the rest goes in — the trees' claims are checked together before any
// is written.
func TestImportNumberTakenAcrossTrees(t *testing.T) {
	e := newEnv(t)
	doc := func(number string) string { return strings.Replace(goodDocument, "1256/QĐ-UBND", number, 1) }
	res := e.importFS(t, tree(map[string]string{
		"documents/15.md":                     doc("15/KH-STP"),
		"agencies/so-tu-phap/agency.yaml":     stpRecord,
		"agencies/so-tu-phap/documents/15.md": doc("15/KH-STP"),
		"agencies/so-tu-phap/articles/b.md":   "---\ntitle: Bài của Sở Tư pháp\ndate: 2022-04-02\n---\nNội dung.\n",
	}))
	if res.Failed != 1 {
		t.Fatalf("failed %d, want 1: %v", res.Failed, res.Errors)
	}
	msg := res.Errors[0].Error()
	if !strings.HasPrefix(msg, "content/agencies/so-tu-phap/documents/15.md:") || !strings.Contains(msg, "content/documents/15.md") {
		t.Errorf("the refused file is told %q, want its path and the file holding the number", msg)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE number_key IS NOT NULL`); n != 1 {
		t.Errorf("%d documents stored, want the root's", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE slug = 'b'`); n != 1 {
		t.Errorf("the Sở Tư pháp's article was not written")
	}
}

// TestImportAgencyUnits: an agency's units are the ones its plans put in
// charge. The Sở Tư pháp's plan names "Văn phòng Sở", which the root's
// plan names too: each agency has a unit of that name (before 0230 a name
// was unique across the instance, and an agency had no unit at all, so
// every activity of its tree was refused), and the Sở Tư pháp's activity
// naming it goes in as that agency's.
func TestImportAgencyUnits(t *testing.T) {
	e := newEnv(t)
	plan := func(number string) string {
		return "number: " + number + "\ntitle: Kế hoạch thử\nissued: 2022-03-25\nyear: 2022\nareas:\n  - {id: II.1, title: Văn bản chỉ đạo}\n" +
			"items:\n  - {id: III.4, title: Hội nghị, lead: Văn phòng Sở; Phòng Hành chính – Tổng hợp, tracked: true}\n"
	}
	activity := "---\ntitle: Hội nghị triển khai kế hoạch\nplan_item: III.4\nchannel: hoi-nghi\ndate: 2022-05-18\nunit: Văn phòng Sở\n---\nGhi chú.\n"
	fsys := tree(map[string]string{
		"agencies/so-tu-phap/agency.yaml":         stpRecord,
		"agencies/so-tu-phap/plans/2022.yaml":     plan("01/KH-STP"),
		"agencies/so-tu-phap/activities/hn.md":    activity,
		"agencies/so-tu-phap/activities/other.md": strings.Replace(activity, "unit: Văn phòng Sở", "unit: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", 1),
	})
	fsys["plans/2022.yaml"].Data = []byte(plan("272/KH-SKHCN"))
	res := e.importFS(t, fsys)
	if res.Failed != 1 {
		t.Fatalf("failed %d, want the activity naming the root's unit: %v", res.Failed, res.Errors)
	}
	if msg := res.Errors[0].Error(); !strings.HasPrefix(msg, "content/agencies/so-tu-phap/activities/other.md:") {
		t.Errorf("refused: %s", msg)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM units WHERE name = 'Văn phòng Sở'`); n != 2 {
		t.Errorf("%d units named Văn phòng Sở, want one per agency", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM units u JOIN agencies a ON a.id = u.agency_id WHERE a.slug = 'so-tu-phap'`); n != 2 {
		t.Errorf("the Sở Tư pháp has %d units, want the two its plan names", n)
	}
	if slug := e.str(t, `SELECT u.slug FROM units u JOIN agencies a ON a.id = u.agency_id WHERE a.slug = 'so-tu-phap' AND u.name = 'Phòng Hành chính – Tổng hợp'`); slug != "phong-hanh-chinh-tong-hop" {
		t.Errorf("unit slug %q", slug)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items i JOIN agencies a ON a.id = i.agency_id WHERE a.slug = 'so-tu-phap' AND i.kind = 'activity'`); n != 1 {
		t.Errorf("%d activities of the Sở Tư pháp, want 1", n)
	}
	// The import again: nothing more.
	before := e.count(t, `SELECT COUNT(*) FROM units`)
	e.importFS(t, fsys)
	if n := e.count(t, `SELECT COUNT(*) FROM units`); n != before {
		t.Errorf("a second import made %d units of %d", n, before)
	}
}
