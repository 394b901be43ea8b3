package report_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/report"
	"cchc/internal/testsupport"
)

// inOrder fails unless every part is in body, each after the one before.
func inOrder(t *testing.T, body string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(body[at:], p)
		if i < 0 {
			if strings.Contains(body, p) {
				t.Errorf("%q is not after %q", p, body[max(0, at-60):at])
			} else {
				t.Errorf("no %q", p)
			}
			return
		}
		at += i + len(p)
	}
}

// TestPrintForm: the print is the administrative report form of Nghị
// định 30/2020/NĐ-CP, its parts in the decree's order, with the values of
// the plan's `report:` block (content/plans/2022.yaml), dated by the
// cut-off rather than the day it is printed.
func TestPrintForm(t *testing.T) {
	h, _ := server(t)
	page := testsupport.Get(h, "/bao-cao/in?nam=2022&den=2022-08-15").Body.String()
	inOrder(t, page,
		`<p class="parent">SỞ KHOA HỌC VÀ CÔNG NGHỆ</p>`,
		`<p class="unit"><span>TRUNG TÂM ỨNG DỤNG VÀ DỊCH VỤ KHOA HỌC VÀ CÔNG NGHỆ</span></p>`,
		`<p class="nation-name">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>`,
		`<p class="motto"><span>Độc lập - Tự do - Hạnh phúc</span></p>`,
		`<p class="doc-number">Số:`, `/BC-TTUD</p>`,
		// Dated by the cut-off (15/8/2022), not by the clock (1/11/2022).
		`<p class="place">Quảng Ngãi, ngày 15 tháng 8 năm 2022</p>`,
		`BÁO CÁO<span class="doc-subject">Kết quả thực hiện Kế hoạch số 272/KH-SKHCN ngày 15/3/2022`,
		"Kính gửi: Sở Khoa học và Công nghệ (qua Phòng Hành chính – Tổng hợp).",
		"Căn cứ Kế hoạch số 272/KH-SKHCN",
		"I. KẾT QUẢ THỰC HIỆN", "Mục III.1", "<strong>Đánh giá: Hoàn thành.</strong>", "Mục III.2", "<strong>Đánh giá: Chưa hoàn thành.</strong>",
		"II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "Mục III.2 — Thủ tục chưa đăng tải (02): 1.008102", "Nội dung chưa có bài (01): II.2.f", "Nguyên nhân: …",
		"III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ", "Kiến nghị: …",
		"<em>Nơi nhận:</em>", "<p>- Như trên;</p>", "<p>- Giám đốc Trung tâm (b/c);</p>", "<p>- Lưu: VT, HCTH.</p>",
		`<p class="authority"><strong>KT. GIÁM ĐỐC</strong></p>`, `<p class="position"><strong>PHÓ GIÁM ĐỐC</strong></p>`,
		`<p class="sign-space"`,
		// The plan leaves the name empty: a line to write it on.
		`<p class="signer-name blank">`,
		"PHỤ LỤC I.", "PHỤ LỤC II.", "Chỉ tiêu nội bộ của đơn vị",
	)
	if strings.Contains(page, "ngày 01 tháng 11 năm 2022") {
		t.Error("the print is dated by the day it is made")
	}
}

// TestPrintAppendixNumbering: Phụ lục I numbers what was published in the
// period 1…N, whatever the log's row numbers, with date, kind, title,
// area and the page's address; the cut-off shortens it.
func TestPrintAppendixNumbering(t *testing.T) {
	h, _ := server(t)
	for _, tc := range []struct {
		url  string
		want int
	}{{"/bao-cao/in?nam=2022", 52}, {"/bao-cao/in?nam=2022&den=2022-02-10", 12}} {
		page := testsupport.Get(h, tc.url).Body.String()
		_, list, _ := strings.Cut(page, `<table class="doc-table published">`)
		list, _, _ = strings.Cut(list, "</table>")
		rows := strings.Split(list, "<tr><td>")[1:]
		if len(rows) != tc.want {
			t.Fatalf("%s: %d rows, want %d", tc.url, len(rows), tc.want)
		}
		for i, row := range rows {
			n, _, _ := strings.Cut(row, "</td>")
			if n != strconv.Itoa(i+1) {
				t.Fatalf("%s: row %d numbered %q", tc.url, i+1, n)
			}
		}
		if !strings.Contains(rows[0], `<td class="nowrap">11/1/2022</td><td>Văn bản</td><td class="text">76/NQ-CP: Ban hành Chương trình tổng thể`) ||
			!strings.Contains(rows[0], `<td>II.1, II.2.a</td><td class="url">/van-ban/76-nq-cp</td>`) {
			t.Errorf("%s: first row %s", tc.url, rows[0])
		}
	}
}

// TestDraft: sections II and III are written on the dashboard's draft
// page by approvers and admins, saved as revisions (history kept), and
// printed; a form with a problem comes back with what was typed; two
// people saving over the same revision — the second is shown both
// versions and nothing is saved or lost.
func TestDraft(t *testing.T) {
	s := newSite(t)
	approver, token := s.login(auth.Approver)
	adm, adminToken := s.login(auth.Admin)
	rows := func() int { return count(t, s.env, `SELECT COUNT(*) FROM report_drafts WHERE year = 2022`) }

	if dash := s.do("GET", "/bao-cao/?nam=2022", nil, approver); !strings.Contains(dash.body, `href="/bao-cao/du-thao?nam=2022"`) || !strings.Contains(dash.body, "(chưa có phiên bản nào)") {
		t.Error("the dashboard has no link to the draft")
	}
	form := s.do("GET", "/bao-cao/du-thao?nam=2022", nil, approver)
	if form.code != 200 || !strings.Contains(form.body, "nội dung dưới đây được gợi ý từ số liệu") ||
		!strings.Contains(form.body, "Mục III.2 — Thủ tục chưa đăng tải (01)") || !strings.Contains(form.body, `name="ban-goc" value="0"`) {
		t.Fatalf("first form: %d\n%s", form.code, form.body)
	}
	save := func(who *http.Cookie, tok, base, ii, iii string) reply {
		t.Helper()
		return s.do("POST", "/bao-cao/du-thao", url.Values{"csrf": {tok}, "nam": {"2022"}, "ban-goc": {base}, "phan-ii": {ii}, "phan-iii": {iii}}, who)
	}

	// A problem: section II empty. The form comes back with section III
	// as typed, and nothing is saved.
	res := save(approver, token, "0", "  ", "Phương hướng của phòng & đơn vị")
	if res.code != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Chưa nhập nội dung.") ||
		!strings.Contains(res.body, "Phương hướng của phòng &amp; đơn vị</textarea>") || rows() != 0 {
		t.Fatalf("empty section: %d, %d rows\n%s", res.code, rows(), res.body)
	}
	if res := save(approver, token, "0", "Hạn chế\x07", "x"); res.code != http.StatusUnprocessableEntity || rows() != 0 {
		t.Fatalf("control character: %d", res.code)
	}
	if res := save(approver, token, "0", "Hạn chế", "x\uFFFF"); res.code != http.StatusUnprocessableEntity || rows() != 0 {
		t.Fatalf("noncharacter: %d", res.code)
	}

	// Revision 1, then 2 over it.
	if res := save(approver, token, "0", "Tồn tại thứ nhất.\r\n\r\nNguyên nhân: thiếu người.", "Phương hướng thứ nhất."); res.code != http.StatusSeeOther {
		t.Fatalf("save 1: %d\n%s", res.code, res.body)
	}
	if res := save(approver, token, "1", "Tồn tại đã sửa.\nNguyên nhân: thiếu người.", "Phương hướng đã sửa."); res.code != http.StatusSeeOther {
		t.Fatalf("save 2: %d\n%s", res.code, res.body)
	}
	if rows() != 2 {
		t.Fatalf("%d revisions, want 2", rows())
	}
	if dash := s.do("GET", "/bao-cao/?nam=2022", nil, approver); !strings.Contains(dash.body, "(phiên bản 2, approver, ") {
		t.Error("the dashboard does not show the draft's revision")
	}
	form = s.do("GET", "/bao-cao/du-thao?nam=2022", nil, approver)
	if !strings.Contains(form.body, `name="ban-goc" value="2"`) || !strings.Contains(form.body, "Tồn tại đã sửa.") ||
		!strings.Contains(form.body, "Phiên bản 2</a> — approver") || !strings.Contains(form.body, "Phiên bản 1</a> — approver") {
		t.Fatalf("form after two saves:\n%s", form.body)
	}
	// The first revision is still there to open.
	if old := s.do("GET", "/bao-cao/du-thao?nam=2022&ban=1", nil, approver); !strings.Contains(old.body, "Tồn tại thứ nhất.") || !strings.Contains(old.body, "Đang mở phiên bản 1") {
		t.Fatalf("revision 1: %d", old.code)
	}

	// The print uses the newest revision, a paragraph a line.
	page := s.do("GET", "/bao-cao/in?nam=2022", nil, approver).body
	inOrder(t, page, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "<p>Tồn tại đã sửa.</p>", "<p>Nguyên nhân: thiếu người.</p>",
		"III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ", "<p>Phương hướng đã sửa.</p>", "Nơi nhận:")
	if strings.Contains(page, "Tồn tại thứ nhất") || strings.Contains(page, "Nguyên nhân: …") {
		t.Error("the print does not use the newest revision")
	}

	// A conflict: the admin opened revision 2; the approver saves 3; the
	// admin's save over 2 is refused, both versions shown, nothing lost.
	if res := save(approver, token, "2", "Tồn tại của người phê duyệt.", "Phương hướng của người phê duyệt."); res.code != http.StatusSeeOther {
		t.Fatalf("save 3: %d", res.code)
	}
	res = save(adm, adminToken, "2", "Tồn tại của quản trị viên.", "Phương hướng của quản trị viên.")
	if res.code != http.StatusConflict || rows() != 3 {
		t.Fatalf("conflict: %d, %d rows\n%s", res.code, rows(), res.body)
	}
	inOrder(t, res.body, "approver đã lưu phiên bản 3", "Phiên bản 3 (approver,", "Tồn tại của người phê duyệt.", "Phương hướng của người phê duyệt.",
		"Bản bạn vừa nhập", `name="ban-goc" value="3"`, "Tồn tại của quản trị viên.</textarea>", "Phương hướng của quản trị viên.</textarea>")
	// Saving again, having read theirs, replaces it on purpose.
	if res := save(adm, adminToken, "3", "Tồn tại của quản trị viên.", "Phương hướng chung."); res.code != http.StatusSeeOther || rows() != 4 {
		t.Fatalf("save after the conflict: %d, %d rows", res.code, rows())
	}
	if n := count(t, s.env, `SELECT COUNT(*) FROM audit_log WHERE action = 'report_draft'`); n != 4 {
		t.Errorf("%d audit rows, want 4", n)
	}
	if _, err := s.env.DB.Write.Exec(`UPDATE report_drafts SET directions = 'x'`); err == nil {
		t.Error("a revision can be changed")
	}
	if _, err := s.env.DB.Write.Exec(`DELETE FROM report_drafts`); err == nil {
		t.Error("a revision can be deleted")
	}

	// Only those who may record the report write its draft.
	for _, role := range []auth.Role{auth.Viewer, auth.Editor} {
		c, tok := s.login(role)
		if res := s.do("GET", "/bao-cao/du-thao?nam=2022", nil, c); res.code != http.StatusForbidden {
			t.Errorf("%s reads the form: %d", role, res.code)
		}
		if res := save(c, tok, "4", "x", "y"); res.code != http.StatusForbidden {
			t.Errorf("%s saves: %d", role, res.code)
		}
	}
	if rows() != 4 {
		t.Errorf("%d revisions after refused saves", rows())
	}
}

// TestDraftBurst: 30 people save over the same revision at once. Exactly
// one save becomes revision 1; the 29 others are told of the conflict
// (409) and shown both versions; nothing else is written. A section past
// the limit is refused at once, whatever its size.
func TestDraftBurst(t *testing.T) {
	s := newSite(t)
	c, token := s.login(auth.Approver)
	const n = 30
	codes := make(chan int, n)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := s.do("POST", "/bao-cao/du-thao", url.Values{"csrf": {token}, "nam": {"2022"}, "ban-goc": {"0"},
				"phan-ii": {fmt.Sprintf("Tồn tại %d.", i)}, "phan-iii": {"Phương hướng."}}, c)
			codes <- res.code
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for code := range codes {
		got[code]++
	}
	t.Logf("%d concurrent saves in %v: %v", n, time.Since(start), got)
	if got[http.StatusSeeOther] != 1 || got[http.StatusConflict] != n-1 {
		t.Errorf("statuses %v, want one 303 and %d 409", got, n-1)
	}
	if rows := count(t, s.env, `SELECT COUNT(*) FROM report_drafts`); rows != 1 {
		t.Errorf("%d revisions, want 1", rows)
	}

	// 1 MiB in one section: refused with the limit named, the typed text
	// kept, in well under the 2 s a slow machine is allowed (it is one
	// count of runes).
	big := strings.Repeat("Tồn tại. ", 1<<20/len("Tồn tại. "))
	start = time.Now()
	res := s.do("POST", "/bao-cao/du-thao", url.Values{"csrf": {token}, "nam": {"2022"}, "ban-goc": {"1"}, "phan-ii": {big}, "phan-iii": {"x"}}, c)
	if took := time.Since(start); res.code != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Dài quá 20000 ký tự.") || took > 2*time.Second {
		t.Errorf("1 MiB section: %d in %v", res.code, took)
	}
	if rows := count(t, s.env, `SELECT COUNT(*) FROM report_drafts`); rows != 1 {
		t.Errorf("%d revisions after the refused save", rows)
	}
	// A forged base (a revision that does not exist) is a conflict, not a
	// save and not a 500.
	if res := s.do("POST", "/bao-cao/du-thao", url.Values{"csrf": {token}, "nam": {"2031"}, "ban-goc": {"7"}, "phan-ii": {"a"}, "phan-iii": {"b"}}, c); res.code != http.StatusConflict {
		t.Errorf("forged base: %d", res.code)
	}
	for _, bad := range []url.Values{{"nam": {"2022"}, "ban-goc": {"-1"}}, {"nam": {"x"}, "ban-goc": {"0"}}, {"nam": {"2022"}}} {
		bad.Set("csrf", token)
		bad.Set("phan-ii", "a")
		bad.Set("phan-iii", "b")
		if res := s.do("POST", "/bao-cao/du-thao", bad, c); res.code != http.StatusBadRequest {
			t.Errorf("%v: %d", bad, res.code)
		}
	}
}

// TestPaperWithoutSettings: a plan without a `report:` block prints the
// defaults and says so; nothing is invented for the signer.
func TestPaperWithoutSettings(t *testing.T) {
	_, env := server(t)
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, clock)
	if err != nil {
		t.Fatal(err)
	}
	r.Plan.Report = nil
	p, err := report.NewPaper(context.Background(), env.Store, r, "https://cchc.example.vn/")
	if err != nil {
		t.Fatal(err)
	}
	if p.Settings || p.Parent != "SỞ KHOA HỌC VÀ CÔNG NGHỆ" || p.Signer != "" || p.Authority != "" || p.Place != "Quảng Ngãi, ngày 01 tháng 11 năm 2022" ||
		p.Published[0].URL != "https://cchc.example.vn/van-ban/76-nq-cp" {
		t.Errorf("paper without settings: %+v", p)
	}
}
