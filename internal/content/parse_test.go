package content

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var ict = time.FixedZone("ICT", 7*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ict) }

func mustParse(t *testing.T, path string, k Kind, src string) *Item {
	t.Helper()
	it, err := Parse(path, k, []byte(src))
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return it
}

func TestParseArticle(t *testing.T) {
	src := `---
title: Sở ban hành Kế hoạch tuyên truyền CCHC năm 2022
date: 2022-03-20T08:00:00+07:00
updated: 25/03/2022
summary: Sở ban hành Kế hoạch số 272/KH-SKHCN.
tags: [kế hoạch, tuyên truyền]
areas: [II.1, II.2.a]
author: Trung tâm Ứng dụng và Dịch vụ KH&CN
image: images/ke-hoach.jpg
draft: true
---
Ngày 15/3/2022, Sở ban hành Kế hoạch số 272/KH-SKHCN.
`
	it := mustParse(t, "content/articles/a.md", Article, src)
	checks := []struct {
		name      string
		got, want any
	}{
		{"kind", it.Kind, Article},
		{"title", it.Title, "Sở ban hành Kế hoạch tuyên truyền CCHC năm 2022"},
		{"slug from title", it.Slug, "so-ban-hanh-ke-hoach-tuyen-truyen-cchc-nam-2022"},
		{"summary", it.Summary, "Sở ban hành Kế hoạch số 272/KH-SKHCN."},
		{"date", it.Date.UTC(), time.Date(2022, 3, 20, 1, 0, 0, 0, time.UTC)},
		{"updated", it.Updated.UTC(), time.Date(2022, 3, 24, 17, 0, 0, 0, time.UTC)},
		{"tags", fmt.Sprint(it.Tags), "[kế hoạch tuyên truyền]"},
		{"areas", fmt.Sprint(it.Areas), "[II.1 II.2.a]"},
		{"author", it.Author, "Trung tâm Ứng dụng và Dịch vụ KH&CN"},
		{"image", it.Image, "images/ke-hoach.jpg"},
		{"draft", it.Draft, true},
		{"plan item default", it.PlanItem, "III.1"},
		{"body", it.Body, "Ngày 15/3/2022, Sở ban hành Kế hoạch số 272/KH-SKHCN.\n"},
		{"line of title", it.Line("title"), 2},
		{"line of draft", it.Line("draft"), 10},
		{"line of body", it.Line("body"), 12},
		{"line of absent field", it.Line("slug"), 1},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseProcedure(t *testing.T) {
	src := `---
title: Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ
code: "1.002345.000.00.00.H48"
field: Hoạt động khoa học và công nghệ
level: Cấp tỉnh
agency: Sở Khoa học và Công nghệ
online: Toàn trình
processing_time: 15 ngày làm việc
fee: "Phí thẩm định: 2.000.000 đồng/hồ sơ"
submission: [Trực tiếp, trực tuyến, bưu chính]
applicants: Tổ chức khoa học và công nghệ
result: Giấy chứng nhận
legal_basis: ["29/2013/QH13", "08/2014/NĐ-CP"]
portal_url: https://dichvucong.gov.vn/p/home/x.html?ma=1.002345
areas: II.2.c
date: 14/02/2022
---
## Trình tự thực hiện
`
	it := mustParse(t, "content/procedures/p.md", Procedure, src)
	checks := []struct {
		name      string
		got, want any
	}{
		{"code", it.Code, "1.002345.000.00.00.H48"},
		{"field", it.Field, "Hoạt động khoa học và công nghệ"},
		{"level", it.Level, "Cấp tỉnh"},
		{"agency", it.Agency, "Sở Khoa học và Công nghệ"},
		{"online lower-cased", it.Online, "toàn trình"},
		{"processing time", it.ProcessingTime, "15 ngày làm việc"},
		{"fee", it.Fee, "Phí thẩm định: 2.000.000 đồng/hồ sơ"},
		{"submission lower-cased", strings.Join(it.Submission, "|"), "trực tiếp|trực tuyến|bưu chính"},
		{"applicants", it.Applicants, "Tổ chức khoa học và công nghệ"},
		{"result", it.Result, "Giấy chứng nhận"},
		{"legal basis", strings.Join(it.LegalBasis, "|"), "29/2013/QH13|08/2014/NĐ-CP"},
		{"portal url", it.PortalURL, "https://dichvucong.gov.vn/p/home/x.html?ma=1.002345"},
		{"single area is a list of one", strings.Join(it.Areas, "|"), "II.2.c"},
		{"date", it.Date.Equal(day(2022, 2, 14)), true},
		{"plan item default", it.PlanItem, "III.2"},
		{"slug from title", it.Slug, "cap-giay-chung-nhan-dang-ky-hoat-dong-khoa-hoc-va-cong-nghe"},
		{"line of body", it.Line("body"), 18},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseDocument(t *testing.T) {
	src := `---
number: 1256/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh Quảng Ngãi
issued: 2021-12-22
signer: Đặng Văn Minh
title: Ban hành Kế hoạch cải cách hành chính giai đoạn 2021–2025
effective: 22/12/2021
expires: 31/12/2025
validity: còn hiệu lực
field: Cải cách hành chính
file: files/1256-qd-ubnd.pdf
source_url: https://vbpl.vn/quangngai/1256
areas: [II.1]
plan_item: III.2
date: 2022-01-24T08:00:00+07:00
---
`
	it := mustParse(t, "content/documents/d.md", Document, src)
	checks := []struct {
		name      string
		got, want any
	}{
		{"number", it.Number, "1256/QĐ-UBND"},
		{"slug from number", it.Slug, "1256-qd-ubnd"},
		{"type", it.Type, "Quyết định"},
		{"issuer", it.Issuer, "UBND tỉnh Quảng Ngãi"},
		{"issued", it.Issued.Equal(day(2021, 12, 22)), true},
		{"signer", it.Signer, "Đặng Văn Minh"},
		{"title", it.Title, "Ban hành Kế hoạch cải cách hành chính giai đoạn 2021–2025"},
		{"effective", it.Effective.Equal(day(2021, 12, 22)), true},
		{"expires", it.Expires.Equal(day(2025, 12, 31)), true},
		{"validity canonical case", it.Validity, ValidityInForce},
		{"field", it.Field, "Cải cách hành chính"},
		{"file", it.File, "files/1256-qd-ubnd.pdf"},
		{"source url", it.SourceURL, "https://vbpl.vn/quangngai/1256"},
		{"areas", strings.Join(it.Areas, "|"), "II.1"},
		{"plan item", it.PlanItem, "III.2"},
		{"date", it.Date.UTC(), time.Date(2022, 1, 24, 1, 0, 0, 0, time.UTC)},
		{"empty body", it.Body, ""},
		{"line of number", it.Line("number"), 2},
		{"line of body", it.Line("body"), 18},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseDefaults(t *testing.T) {
	tests := []struct {
		name             string
		kind             Kind
		src              string
		slug, planItem   string
		draft            bool
		areas, subs, tag int
	}{
		{"article minimal", Article, "---\ntitle: Đẩy mạnh ứng dụng CNTT\n---\n", "day-manh-ung-dung-cntt", "III.1", false, 0, 0, 0},
		{"article explicit slug and plan item", Article, "---\ntitle: Tin\nslug: tin-moi\nplan_item: III.2\n---\n", "tin-moi", "III.2", false, 0, 0, 0},
		{"procedure minimal", Procedure, "---\ntitle: Công bố hợp chuẩn\ncode: 1.001193\n---\n", "cong-bo-hop-chuan", "III.2", false, 0, 0, 0},
		{"document minimal", Document, "---\nnumber: 04-NQ/TU\ntype: Nghị quyết\nissuer: Tỉnh ủy\nissued: 2021-08-10\ntitle: Về CCHC\n---\n", "04-nq-tu", "III.2", false, 0, 0, 0},
		{"empty lists", Article, "---\ntitle: Tin\ntags:\nareas: []\n---\n", "tin", "III.1", false, 0, 0, 0},
		{"draft false", Article, "---\ntitle: Tin\ndraft: false\n---\n", "tin", "III.1", false, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := mustParse(t, "x.md", tt.kind, tt.src)
			if it.Slug != tt.slug || it.PlanItem != tt.planItem || it.Draft != tt.draft ||
				len(it.Areas) != tt.areas || len(it.Submission) != tt.subs || len(it.Tags) != tt.tag {
				t.Errorf("got slug %q plan %q draft %v areas %q submission %q tags %q", it.Slug, it.PlanItem, it.Draft, it.Areas, it.Submission, it.Tags)
			}
		})
	}
}

// docFront is a valid document's front matter with one field replaced or
// removed (value "-"), one field a line, starting on line 2.
func docFront(override map[string]string) string {
	fields := [][2]string{
		{"number", "1256/QĐ-UBND"}, {"type", "Quyết định"}, {"issuer", "UBND tỉnh Quảng Ngãi"},
		{"issued", "2021-12-22"}, {"title", "Ban hành Kế hoạch"},
	}
	var b strings.Builder
	b.WriteString("---\n")
	for _, f := range fields {
		v, ok := override[f[0]]
		if !ok {
			v = f[1]
		}
		if v != "-" {
			fmt.Fprintf(&b, "%s: %s\n", f[0], v)
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range override {
			if !yield(k) {
				return
			}
		}
	}) {
		if !slices.ContainsFunc(fields, func(f [2]string) bool { return f[0] == k }) {
			fmt.Fprintf(&b, "%s: %s\n", k, override[k])
		}
	}
	b.WriteString("---\n")
	return b.String()
}

func TestParseErrors(t *testing.T) {
	const path = "content/x.md"
	tests := []struct {
		name   string
		kind   Kind
		src    string
		line   int
		phrase string
	}{
		// Broken YAML. The front matter starts on file line 2.
		{"unclosed quote", Article, "---\ntitle: Tin\nsummary: \"chưa đóng\ndate: 2022-03-01\n---\n", 3, "YAML không hợp lệ"},
		{"bad list indentation", Article, "---\ntitle: Tin\ntags:\n  - a\n - b\n---\n", 5, "YAML không hợp lệ"},
		{"tab indentation", Article, "---\ntitle: Tin\n\tsummary: x\n---\n", 3, "YAML không hợp lệ"},
		{"colon in plain value", Article, "---\ntitle: Tin\nauthor: x\nsummary: a: b\n---\n", 4, "YAML không hợp lệ"},
		{"front matter is a list", Article, "---\n- a\n- b\n---\n", 2, "tên: giá trị"},
		{"front matter is a scalar", Article, "---\n\nchỉ là chữ\n---\n", 3, "tên: giá trị"},
		{"empty front matter", Article, "---\n---\nbody\n", 1, "front matter) trống"},

		// Fields.
		{"unknown field", Article, "---\ntitle: Tin\nauthor: A\ncode: 1.001193\n---\n", 4, `trường "code" không dùng cho tin, bài`},
		{"unknown field on document", Document, docFront(map[string]string{"tags": "[a]"}), 7, `trường "tags" không dùng cho văn bản`},
		{"duplicate key", Article, "---\ntitle: Tin\nauthor: A\ntitle: B\n---\n", 4, `trường "title" khai báo hai lần`},
		{"non-string key", Article, "---\ntitle: Tin\n2022: b\n---\n", 3, "tên trường phải là chữ"},
		{"article without title", Article, "---\nsummary: x\n---\n", 1, `thiếu trường bắt buộc "title"`},
		{"article with empty title", Article, "---\ntitle:\nsummary: x\n---\n", 2, `"title" không được để trống`},
		{"procedure without code", Procedure, "---\ntitle: Thủ tục\n---\n", 1, `thiếu trường bắt buộc "code"`},
		{"procedure without title", Procedure, "---\ncode: 1.001193\n---\n", 1, `thiếu trường bắt buộc "title"`},
		{"document without number", Document, docFront(map[string]string{"number": "-"}), 1, `thiếu trường bắt buộc "number"`},
		{"document without type", Document, docFront(map[string]string{"type": "-"}), 1, `thiếu trường bắt buộc "type"`},
		{"document without issuer", Document, docFront(map[string]string{"issuer": "-"}), 1, `thiếu trường bắt buộc "issuer"`},
		{"document without issued", Document, docFront(map[string]string{"issued": "-"}), 1, `thiếu trường bắt buộc "issued"`},
		{"document without title", Document, docFront(map[string]string{"title": "-"}), 1, `thiếu trường bắt buộc "title"`},
		{"document with empty issuer", Document, docFront(map[string]string{"issuer": `""`}), 4, `"issuer" không được để trống`},

		// Types.
		{"list for string", Article, "---\ntitle: [a, b]\n---\n", 2, `"title" phải là một chuỗi chữ, không phải một danh sách`},
		{"map for string", Article, "---\ntitle: Tin\nauthor: {a: b}\n---\n", 3, `"author" phải là một chuỗi chữ, không phải một nhóm trường`},
		{"string for draft", Article, "---\ntitle: Tin\ndraft: \"yes\"\n---\n", 3, `"draft" phải là true hoặc false`},
		{"number for draft", Article, "---\ntitle: Tin\ndraft: 1\n---\n", 3, `"draft" phải là true hoặc false, không phải một số`},
		{"map for areas", Article, "---\ntitle: Tin\nareas: {II.1: x}\n---\n", 3, `"areas" phải là một danh sách`},
		{"block map for areas", Article, "---\ntitle: Tin\nareas:\n  II.1: x\n---\n", 4, `"areas" phải là một danh sách`},
		{"list in list", Article, "---\ntitle: Tin\ntags:\n  - a\n  - [b, c]\n---\n", 5, `mỗi mục của trường "tags"`},
		{"multi-line title", Article, "---\ntitle: |\n  dòng một\n  dòng hai\n---\n", 2, "chỉ được viết trên một dòng"},
		{"yaml alias", Article, "---\ntitle: &t Tin\nauthor: *t\n---\n", 3, "tham chiếu YAML"},

		// Dates.
		{"31 february", Article, "---\ntitle: Tin\ndate: 31/02/2022\n---\n", 3, `trường "date": ngày "31/02/2022" không có thật`},
		{"words for a date", Article, "---\ntitle: Tin\nsummary: x\ndate: ngày mai\n---\n", 4, `trường "date": ngày "ngày mai" không đúng dạng`},
		{"empty date", Document, docFront(map[string]string{"issued": `""`}), 5, `"issued" phải là một ngày`},
		{"list for a date", Article, "---\ntitle: Tin\ndate: [2022-01-01]\n---\n", 3, `"date" phải là một ngày`},
		{"updated before date", Article, "---\ntitle: Tin\ndate: 2022-03-20\nupdated: 2022-03-19\n---\n", 4, "ngày cập nhật (19/03/2022) trước ngày đăng (20/03/2022)"},
		{"effective before issued", Document, docFront(map[string]string{"effective": "2021-12-01"}), 7, "ngày có hiệu lực (01/12/2021) trước ngày ban hành (22/12/2021)"},
		{"expires before effective", Document, docFront(map[string]string{"effective": "2022-01-01", "expires": "2021-12-31"}), 8, "ngày hết hiệu lực (31/12/2021) phải sau ngày có hiệu lực (01/01/2022)"},
		{"expires on issue day", Document, docFront(map[string]string{"expires": "2021-12-22"}), 7, "ngày hết hiệu lực (22/12/2021) phải sau"},

		// Whole file.
		{"invalid utf-8", Article, "---\ntitle: Tin\nsummary: x\nauthor: Vi\xeat\n---\n", 4, "không phải UTF-8 hợp lệ"},
		{"invalid utf-8 in body", Article, "---\ntitle: Tin\n---\nok\n\xff\n", 5, "không phải UTF-8 hợp lệ"},
		{"nul byte", Article, "---\ntitle: Tin\n---\na\x00b\n", 4, "ký tự NUL"},
		{"empty file", Article, "", 1, "tệp trống"},
		{"whitespace only", Article, " \n\t\r\n  \n", 1, "tệp trống"},
		{"bom only", Article, "\uFEFF\n", 1, "tệp trống"},
		{"no front matter", Article, "title: Tin\n\nThân bài\n", 1, "thiếu phần khai báo"},
		{"front matter after a blank line", Article, "\n---\ntitle: Tin\n---\n", 1, "thiếu phần khai báo"},
		{"unclosed front matter", Article, "---\ntitle: Tin\n\nThân bài\n", 1, "không có dòng --- đóng lại"},

		// Procedure values.
		{"code too short", Procedure, "---\ntitle: T\ncode: 1.0011\n---\n", 3, `mã thủ tục "1.0011" không đúng dạng`},
		{"code without number", Procedure, "---\ntitle: T\ncode: H48\n---\n", 3, `mã thủ tục "H48" không đúng dạng`},
		{"code with lower-case agency", Procedure, "---\ntitle: T\ncode: 1.001612.000.00.00.h48\n---\n", 3, `mã thủ tục "1.001612.000.00.00.h48" không đúng dạng`},
		{"bad online", Procedure, "---\ntitle: T\ncode: 1.001193\nonline: mức 4\n---\n", 4, `mức dịch vụ trực tuyến "mức 4" không hợp lệ`},
		{"bad submission", Procedure, "---\ntitle: T\ncode: 1.001193\nsubmission: [trực tiếp, fax]\n---\n", 4, `cách thức nộp hồ sơ "fax" không hợp lệ`},
		{"legal basis not a number", Procedure, "---\ntitle: T\ncode: 1.001193\nlegal_basis: [15/3/2022]\n---\n", 4, `căn cứ pháp lý "15/3/2022"`},
		{"portal url not http", Procedure, "---\ntitle: T\ncode: 1.001193\nportal_url: ftp://dichvucong.gov.vn\n---\n", 4, `"portal_url" phải là một địa chỉ http`},

		// Document values.
		{"number is a date", Document, docFront(map[string]string{"number": "15/3/2022"}), 2, `số ký hiệu "15/3/2022" không đúng dạng`},
		{"number is a word", Document, docFront(map[string]string{"number": "abc"}), 2, `số ký hiệu "abc" không đúng dạng`},
		{"bad validity", Document, docFront(map[string]string{"validity": "Còn hiệu lực một phần"}), 7, `tình trạng hiệu lực "Còn hiệu lực một phần" không hợp lệ`},
		{"file outside content", Document, docFront(map[string]string{"file": "../bi-mat.pdf"}), 7, `đường dẫn "../bi-mat.pdf" không hợp lệ`},
		{"file in a subfolder going up", Document, docFront(map[string]string{"file": "files/../../x.pdf"}), 7, "không có \"..\""},
		{"absolute file", Document, docFront(map[string]string{"file": "/etc/passwd"}), 7, `đường dẫn "/etc/passwd" không hợp lệ`},
		{"source url without host", Document, docFront(map[string]string{"source_url": "https://"}), 7, `"source_url" phải là một địa chỉ http`},

		// Common values.
		{"bad slug", Article, "---\ntitle: Tin\nslug: Tin_Mới\n---\n", 3, `slug "Tin_Mới" chỉ được gồm chữ thường`},
		{"slug longer than 120 bytes", Article, "---\ntitle: Tin\nslug: " + strings.Repeat("ab-", 41) + "c\n---\n", 3, "chỉ được gồm chữ thường"},
		{"slug with double hyphen", Article, "---\ntitle: Tin\nslug: tin--moi\n---\n", 3, `slug "tin--moi"`},
		{"area of wrong shape", Article, "---\ntitle: Tin\nareas: [II.1, III.1]\n---\n", 3, `nội dung tuyên truyền "III.1" không đúng dạng`},
		{"plan item of wrong shape", Article, "---\ntitle: Tin\nplan_item: II.1\n---\n", 3, `mục kế hoạch "II.1" không đúng dạng`},
		{"image with backslash", Article, "---\ntitle: Tin\nimage: ..\\x.png\n---\n", 3, "đường dẫn"},
		{"title without letters", Article, "---\ntitle: \"!!!\"\n---\n", 2, "không tạo được slug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, err := Parse(path, tt.kind, []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error at line %d", it, tt.line)
			}
			if it != nil {
				t.Errorf("Parse returned an item together with an error")
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %T %q is not a non-empty Errors", err, err)
			}
			prefix := fmt.Sprintf("%s:%d: ", path, tt.line)
			for _, e := range errs {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.phrase) {
					return
				}
			}
			t.Errorf("errors:\n%v\nwant one starting with %q and containing %q", err, prefix, tt.phrase)
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	data := []byte("---\ntitle: Tin\n---\n" + strings.Repeat("a", MaxFileSize))
	_, err := Parse("content/big.md", Article, data)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("err = %v, want one error", err)
	}
	e := errs[0]
	if e.Line != 0 || !strings.HasPrefix(e.Error(), "content/big.md: tệp quá lớn") {
		t.Errorf("error = %q (line %d), want content/big.md: tệp quá lớn…", e, e.Line)
	}
	// Exactly the limit is accepted.
	ok := append([]byte("---\ntitle: Tin\n---\n"), bytes.Repeat([]byte("a"), MaxFileSize-len("---\ntitle: Tin\n---\n"))...)
	if _, err := Parse("content/ok.md", Article, ok); err != nil {
		t.Errorf("file of exactly MaxFileSize: %v", err)
	}
}

func TestParseNormalises(t *testing.T) {
	tests := []struct {
		name, src          string
		title, body, slug  string
		titleLine, bodyLen int
		bodyLine           int
	}{
		{
			"nfd stored as nfc",
			norm.NFD.String("---\ntitle: Thủ tục hành chính\nsummary: Đổi mới\n---\nNội dung chính.\n"),
			"Thủ tục hành chính", "Nội dung chính.\n", "thu-tuc-hanh-chinh", 2, 0, 5,
		},
		{
			"crlf line endings",
			"---\r\ntitle: Tin mới\r\nsummary: Tóm tắt\r\n---\r\nDòng 1\r\nDòng 2\r\n",
			"Tin mới", "Dòng 1\nDòng 2\n", "tin-moi", 2, 0, 5,
		},
		{
			"utf-8 bom",
			"\uFEFF---\ntitle: Tin mới\n---\nThân bài\n",
			"Tin mới", "Thân bài\n", "tin-moi", 2, 0, 4,
		},
		{
			"closing line at end of file",
			"---\ntitle: Tin mới\n---",
			"Tin mới", "", "tin-moi", 2, 0, 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := mustParse(t, "x.md", Article, tt.src)
			if it.Title != tt.title {
				t.Errorf("title = %+q, want %+q", it.Title, tt.title)
			}
			if it.Body != tt.body {
				t.Errorf("body = %+q, want %+q", it.Body, tt.body)
			}
			if it.Slug != tt.slug {
				t.Errorf("slug = %q, want %q", it.Slug, tt.slug)
			}
			if it.Line("title") != tt.titleLine || it.Line("body") != tt.bodyLine {
				t.Errorf("lines: title %d body %d, want %d and %d", it.Line("title"), it.Line("body"), tt.titleLine, tt.bodyLine)
			}
			if !norm.NFC.IsNormalString(it.Title+it.Summary+it.Body) || strings.ContainsAny(it.Body, "\r\uFEFF") {
				t.Errorf("item text not normalised: %+q %+q", it.Title, it.Body)
			}
		})
	}
}

func TestParseCRLFErrorLine(t *testing.T) {
	_, err := Parse("x.md", Article, []byte("---\r\ntitle: Tin\r\nauthor: A\r\nfoo: 1\r\n---\r\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "x.md:4: ") {
		t.Errorf("err = %v, want x.md:4: …", err)
	}
}

func TestDocumentValidity(t *testing.T) {
	effective, expires := day(2022, 1, 1), day(2023, 1, 1)
	tests := []struct {
		name string
		item Item
		now  time.Time
		want string
	}{
		{"before effective", Item{Effective: effective, Expires: expires}, day(2021, 12, 31), ValidityNotYet},
		{"on effective day", Item{Effective: effective, Expires: expires}, effective, ValidityInForce},
		{"in force", Item{Effective: effective, Expires: expires}, day(2022, 6, 1), ValidityInForce},
		{"on expiry day", Item{Effective: effective, Expires: expires}, expires, ValidityExpired},
		{"after expiry", Item{Effective: effective, Expires: expires}, day(2024, 1, 1), ValidityExpired},
		{"no dates", Item{}, day(2022, 6, 1), ValidityInForce},
		{"explicit value wins over dates", Item{Effective: effective, Expires: expires, Validity: ValidityPartly}, day(2024, 1, 1), ValidityPartly},
		{"explicit in force before effective", Item{Effective: effective, Validity: ValidityInForce}, day(2021, 1, 1), ValidityInForce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.item.DocumentValidity(tt.now); got != tt.want {
				t.Errorf("DocumentValidity = %q, want %q", got, tt.want)
			}
		})
	}
}
