package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"cchc/internal/auth"
	"cchc/internal/testsupport"
)

// TestProcedureFormsDownloadable uploads a form to the media library,
// imports a procedure naming it (and a form elsewhere, its announcing
// decision and the national database's fields), and downloads the form
// from the procedure page: from its list of forms and from the
// "Thành phần hồ sơ" table.
func TestProcedureFormsDownloadable(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Admin)
	docx := testsupport.DOCX()
	if res := s.send(upload{filename: "mau-05.docx", data: docx, alt: strp(""), csrf: se.csrf}, &se, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, res.body)
	}
	files, _, err := s.env.Store.MediaFiles(context.Background(), 10, 0)
	if err != nil || len(files) != 1 {
		t.Fatalf("media %v %v", files, err)
	}
	name := files[0].Name
	res := testsupport.Import(t, s.env, fstest.MapFS{
		"documents/qd.md": {Data: []byte(`---
number: 123/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh Quảng Ngãi
issued: 2026-01-05
title: Công bố thủ tục hành chính (ví dụ)
date: 2026-01-06
---
`)},
		"procedures/cap-phep.md": {Data: []byte(`---
title: Cấp phép ví dụ
code: "1.001193"
online: một phần
decision: 123/QĐ-UBND
authority: Sở Ví dụ
delegated_agency: Phòng Ví dụ
receiving_address: Bộ phận Một cửa, số 1 đường Ví Dụ
requirements: Có đủ điều kiện ví dụ
forms:
  - Mẫu 05 (/tep/` + name + `)
  - Tờ khai <b>"x"</b> (https://example.gov.vn/to-khai.pdf)
  - Mẫu 06 (/tep/` + strings.Repeat("0", 64) + `.docx)
checked: 2026-02-20
date: 2026-02-21
---
## Thành phần hồ sơ

| Tên giấy tờ | Mẫu đơn, tờ khai | Bản chính |
|---|---|---|
| Đơn đề nghị | Mẫu 05 | 1 |
| Tờ khai | Tờ khai <b>"x"</b> | 1 |
| Bản sao | Mẫu 05 bis | 0 |
`)},
	})
	// The form the library lacks is a warning at the line of forms:.
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0].Error(), "content/procedures/cap-phep.md:10: cảnh báo: mẫu Mẫu 06: Thư viện tệp không có tệp /tep/000") {
		t.Errorf("warnings: %v", res.Warnings)
	}
	page := s.public("/thu-tuc-hanh-chinh/cap-phep")
	link := `<a class="form-link" href="/tep/` + name + `" download>Mẫu 05</a>`
	for _, want := range []string{
		"<td>" + link + "</td>",
		`<td><a class="form-link" href="https://example.gov.vn/to-khai.pdf" rel="external">Tờ khai &lt;b&gt;&quot;x&quot;&lt;/b&gt;</a></td>`,
		"<td>Mẫu 05 bis</td>", // only a cell holding exactly the name
		`<h2 id="mau-don">Mẫu đơn, tờ khai</h2>`,
		`<a href="/tep/` + name + `" download>Tải Mẫu 05</a> (DOCX, `,
		"<li>Mẫu 06</li>", // not in the library: named, not linked
		`<th scope="row">Quyết định công bố</th><td><a`, `href="/van-ban/qd"`,
		`<th scope="row">Cơ quan có thẩm quyền</th><td>Sở Ví dụ</td>`,
		`<th scope="row">Cơ quan được ủy quyền</th><td>Phòng Ví dụ</td>`,
		`<th scope="row">Địa chỉ tiếp nhận hồ sơ</th><td class="lines">Bộ phận Một cửa, số 1 đường Ví Dụ</td>`,
		`<th scope="row">Yêu cầu, điều kiện thực hiện</th><td class="lines">Có đủ điều kiện ví dụ</td>`,
		"Thông tin được đối chiếu với Cơ sở dữ liệu quốc gia về thủ tục hành chính ngày 20/02/2026.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("procedure page lacks %q", want)
		}
	}
	if strings.Contains(page, `<b>"x"</b>`) {
		t.Error("a form's name reached the page unescaped")
	}
	got := s.do(request{method: "GET", path: "/tep/" + name})
	if got.StatusCode != http.StatusOK || got.body != string(docx) || !strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %d %q, %d bytes", got.StatusCode, got.Header.Get("Content-Disposition"), len(got.body))
	}
}

// A decision the registry lacks is a warning at its line, like any citation.
func TestProcedureDecisionUnresolved(t *testing.T) {
	s := newServer(t)
	res := testsupport.Import(t, s.env, fstest.MapFS{"procedures/x.md": {Data: []byte("---\ntitle: X\ncode: \"1.001193\"\ndecision: 999/QĐ-UBND\ndate: 2026-01-01\n---\n")}})
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0].Error(), "content/procedures/x.md:4: cảnh báo: quyết định công bố 999/QĐ-UBND chưa có") {
		t.Errorf("warnings %v", res.Warnings)
	}
}

// A form given as a file of the content folder is brought into the media
// library by the import, like a document's file:, and downloads from the
// page; a form file that is not what its name says fails the file at the
// line of forms:.
func TestProcedureFormFromContentFolder(t *testing.T) {
	s := newServer(t)
	docx := testsupport.DOCX()
	proc := "---\ntitle: Thủ tục có mẫu\ncode: \"1.001193\"\nforms: [\"Mẫu 01 (mau/mau-01.docx)\"]\ndate: 2026-01-01\n---\n| Tên | Mẫu |\n|---|---|\n| Đơn | Mẫu 01 |\n"
	res := testsupport.Import(t, s.env, fstest.MapFS{
		"procedures/co-mau.md": {Data: []byte(proc)},
		"mau/mau-01.docx":      {Data: docx},
	})
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %v", res.Warnings)
	}
	it, err := s.env.Store.ItemBySlug(context.Background(), "procedure", "co-mau")
	if err != nil || len(it.Forms) != 1 || !strings.HasPrefix(it.Forms[0], "Mẫu 01 (/tep/") {
		t.Fatalf("stored forms %v, %v", it.Forms, err)
	}
	page := s.public("/thu-tuc-hanh-chinh/co-mau")
	href := regexpFind(page, `<td><a class="form-link" href="(/tep/[0-9a-f]{64}\.docx)" download>Mẫu 01</a></td>`)
	if href == "" {
		t.Fatalf("no link in the table:\n%s", page)
	}
	if got := s.do(request{method: "GET", path: href}); got.StatusCode != http.StatusOK || got.body != string(docx) {
		t.Errorf("download: %d, %d bytes", got.StatusCode, len(got.body))
	}

	s2 := newServer(t)
	bad := strings.Replace(proc, "1.001193", "1.001194", 1)
	r2, err := s2.env.Publish.Import(context.Background(), fstest.MapFS{
		"procedures/sai.md": {Data: []byte(bad)},
		"mau/mau-01.docx":   {Data: []byte("<html>không phải tệp Word</html>")},
	}, "content")
	if err != nil || r2.Failed != 1 || len(r2.Errors) != 1 || !strings.HasPrefix(r2.Errors[0].Error(), "content/procedures/sai.md:4: ") {
		t.Errorf("a bad form file: %v %+v", err, r2)
	}
}
