package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/report"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
	"cchc/internal/web"
	"cchc/themes"
)

// clock: 1/11/2022, nine days before the report is due; November is the
// current month, Q4 the current quarter.
var clock = time.Date(2022, 11, 1, 9, 0, 0, 0, vntext.Zone)

// server is the report routes over the demo content at clock.
func server(t *testing.T) (http.Handler, *app.Env) {
	t.Helper()
	now := func() time.Time { return clock }
	env := testsupport.Demo(t, config.Defaults, now)
	return reportRoutes(t, env, now), env
}

// reportRoutes is env's report routes on a plain group (no login: serve
// mounts them behind RequireRole), with the workspace's routes for its
// assets, at the clock now; each of with may change the report's Config.
func reportRoutes(t *testing.T, env *app.Env, now func() time.Time, with ...func(*report.Config)) http.Handler {
	t.Helper()
	sub, err := fs.Sub(themes.Default, "default/admin")
	if err != nil {
		t.Fatal(err)
	}
	th, err := admin.LoadTheme(sub)
	if err != nil {
		t.Fatal(err)
	}
	adm := admin.New(admin.Config{Store: env.Store, Theme: th, Now: now})
	r := web.Engine(env.Log, adm.RenderError)
	adm.Register(r) // for the admin assets
	cfg := report.Config{Admin: adm, Store: env.Store, Now: now, Log: env.Log}
	for _, f := range with {
		f(&cfg)
	}
	report.New(cfg).Register(r.Group("/bao-cao"))
	return r
}

func TestPages(t *testing.T) {
	h, _ := server(t)
	cases := []struct {
		name    string
		url     string
		status  int
		want    []string
		notWant []string
	}{
		{"dashboard", "/bao-cao/?nam=2022", 200, []string{
			"Báo cáo kết quả đăng tải năm 2022", "Số liệu tính đến ngày 01/11/2022.",
			// The plan's requirements, judged; the centre's own targets apart.
			"Theo Kế hoạch:</span> “Mở mục tuyên truyền cải cách hành chính trên Trang Thông tin điện tử của Sở”",
			"Chỉ tiêu nội bộ do Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ đặt:</span> Ít nhất 02 tin, bài mỗi tháng",
			`<span class="badge level-hoan-thanh">Hoàn thành</span>`, `<span class="badge level-chua-hoan-thanh">Chưa hoàn thành</span>`,
			// The demo's internal gaps: July and October have one article;
			// February is before the plan (15/3/2022), so not judged.
			"Tháng 07/2022: 01 tin, bài (chỉ tiêu 02)", "Tháng 10/2022: 01 tin, bài (chỉ tiêu 02)",
			`<span class="badge level-chua-dat">Chưa đạt</span>`, `<span class="badge level-dat">Đạt</span>`, `<span class="badge level-chua-den">Chưa đến</span>`,
			`<span class="badge level-truoc-ke-hoach">Trước khi ban hành kế hoạch</span>`, `<span class="badge level-dang-thuc-hien">Đang thực hiện</span>`,
			"Còn 9 ngày đến hạn báo cáo (10/11/2022)",
			// The official list: one listed procedure missing, one on the
			// column not listed.
			"Đã đăng tải 11/12 thủ tục theo Quyết định công bố số 000/QĐ-UBND ngày 01/3/2022 của Chủ tịch UBND tỉnh (ví dụ minh họa)",
			"1.009999.000.00.00.H48 — Cấp Giấy xác nhận đăng ký lưu hành sản phẩm ứng dụng kết quả nghiên cứu (ví dụ minh họa)",
			`<a href="/thu-tuc-hanh-chinh/cap-lai-dang-ky-hoat-dong-khcn">1.002361</a>`,
			// Everything of the demo was imported on the clock's day with
			// older dates.
			"94 mục được nhập với ngày đăng khai báo", "ngày khai báo; ghi vào nhật ký 09:00 01/11/2022",
			"Toàn vẹn", "Độ trễ từ ngày ban hành", "văn bản ban hành năm 2022",
			`<svg viewBox="0 0 760 280" role="img" aria-labelledby="bieu-do-tieu-de" aria-describedby="bang-thang"`,
			`id="bang-thang"`, "Tháng 11 (chưa hết tháng)",
			`href="/bao-cao/2022.csv"`, `href="/bao-cao/2022.xlsx"`, `href="/bao-cao/in?nam=2022"`,
			`<option value="2022" selected>2022</option>`, `<input id="den" name="den" type="date" value="2022-11-01"`,
			`href="/tin-tuc/phat-dong-thi-dua-day-manh-cchc"`,
			"Chưa ghi nhận việc gửi báo cáo năm 2022",
		}, []string{"<script", " style=", "xuất bản", "Xuất bản", "Tháng 02/2022: 01 tin, bài", `action="/bao-cao/gui"`}},
		{"default year is the clock's", "/bao-cao/", 200, []string{"Báo cáo kết quả đăng tải năm 2022"}, nil},
		{"cut-off in the middle of a quarter", "/bao-cao/?nam=2022&den=2022-08-15", 200, []string{
			"Số liệu tính đến ngày 15/08/2022.", "Tháng 08 (chưa hết tháng)", `value="2022-08-15"`,
			`href="/bao-cao/2022.csv?den=2022-08-15"`, `href="/bao-cao/in?nam=2022&amp;den=2022-08-15"`,
			`<td class="level-dang-thuc-hien">0 <span class="badge level-dang-thuc-hien">Đang thực hiện</span></td>`,
			// The in-progress month and quarter are not shortfalls.
			"Tháng 07/2022: 01 tin, bài (chỉ tiêu 02)",
		}, []string{"Tháng 08/2022: 01 tin, bài", "Tháng 10/2022: 01 tin, bài", "Quý III: II.2.b"}},
		{"cut-off names the year", "/bao-cao/?den=2022-04-20", 200, []string{"Báo cáo kết quả đăng tải năm 2022", "Số liệu tính đến ngày 20/04/2022."}, nil},
		{"cut-off to come", "/bao-cao/?nam=2022&den=2022-11-02", 400, []string{"chưa đến"}, nil},
		{"cut-off before the year", "/bao-cao/?nam=2022&den=2021-12-31", 400, []string{"ở trước năm báo cáo 2022"}, nil},
		{"bad cut-off", "/bao-cao/?nam=2022&den=2022-13-01", 400, []string{"Ngày tính số liệu không hợp lệ"}, nil},
		{"filtered log", "/bao-cao/?nam=2022&thang=2&loai=article", 200, []string{
			"1 / ", `href="/tin-tuc/phat-dong-thi-dua-day-manh-cchc"`, `<option value="2" selected>Tháng 02</option>`, "Bỏ lọc",
		}, []string{`href="/tin-tuc/chuong-trinh-tong-the-cchc-2021-2030"`}},
		{"filter by author", "/bao-cao/?nam=2022&tac-gia=V%C4%83n+ph%C3%B2ng+S%E1%BB%9F", 200, []string{"Văn phòng Sở"}, []string{`href="/tin-tuc/phat-dong-thi-dua-day-manh-cchc"`}},
		{"year without a plan", "/bao-cao/?nam=2019", 200, []string{"Năm 2019 chưa có kế hoạch", "Không có bản ghi nào khớp bộ lọc.", "tính đến ngày 31/12/2019"}, nil},
		{"bad year", "/bao-cao/?nam=hai-nghin", 400, []string{"Năm báo cáo không hợp lệ"}, nil},
		{"bad month", "/bao-cao/?nam=2022&thang=13", 400, []string{"Tháng không hợp lệ"}, nil},
		{"bad kind", "/bao-cao/?nam=2022&loai=video", 400, []string{"Loại nội dung không hợp lệ"}, nil},
		{"printable report", "/bao-cao/in?nam=2022", 200, []string{
			"SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TRUNG TÂM ỨNG DỤNG VÀ DỊCH VỤ KHOA HỌC VÀ CÔNG NGHỆ",
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 01 tháng 11 năm 2022",
			"BÁO CÁO", "Kết quả thực hiện Kế hoạch số 272/KH-SKHCN ngày 15/3/2022", "số liệu tính đến ngày 1/11/2022",
			"I. KẾT QUẢ THỰC HIỆN", "Mục III.1", "Mục III.2", "<strong>Đánh giá: Hoàn thành.</strong>", "<strong>Đánh giá: Chưa hoàn thành.</strong>",
			"đã đăng tải 11/12 thủ tục theo Quyết định công bố số 000/QĐ-UBND",
			"II. TỒN TẠI, HẠN CHẾ", "Thủ tục chưa đăng tải (01): 1.009999.000.00.00.H48",
			"Thủ tục không có trong danh mục công bố (01): 1.002361",
			"GIÁM ĐỐC", "/quan-tri/assets/report.", "PHỤ LỤC", "Chỉ tiêu nội bộ của đơn vị",
			"Quý I/2022 bắt đầu trước khi ban hành kế hoạch (15/3/2022): chỉ ghi số liệu, không đánh giá.",
		}, []string{"<script", " style=", "xuất bản", "Xuất bản"}},
		{"printable report as of a day", "/bao-cao/in?nam=2022&den=2022-08-15", 200, []string{"số liệu tính đến ngày 15/8/2022", "Tháng 08 (đến ngày 15/8/2022)"}, []string{"Tháng 09"}},
		{"unknown export", "/bao-cao/2022.pdf", 404, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := testsupport.Get(h, c.url)
			body := w.Body.String()
			if w.Code != c.status {
				t.Fatalf("status %d, want %d\n%s", w.Code, c.status, body)
			}
			for _, s := range c.want {
				if !strings.Contains(body, s) {
					t.Errorf("no %q", s)
				}
			}
			for _, s := range c.notWant {
				if strings.Contains(body, s) {
					t.Errorf("has %q", s)
				}
			}
		})
	}
}

// TestPrintBodyJudgesOnlyThePlan: the printed report's body judges what
// the plan asks; the internal targets, their gaps, the median delay and
// the chain's head are only in the appendix after the signature.
func TestPrintBodyJudgesOnlyThePlan(t *testing.T) {
	h, _ := server(t)
	page := testsupport.Get(h, "/bao-cao/in?nam=2022").Body.String()
	body, appendix, ok := strings.Cut(page, `<section class="appendix"`)
	if !ok {
		t.Fatal("no appendix")
	}
	for _, s := range []string{"Chỉ tiêu nội bộ", "chỉ tiêu nội bộ", "Tháng dưới chỉ tiêu", "Ít nhất 02 tin, bài", "mã băm", "Độ trễ", "trung vị"} {
		if strings.Contains(body, s) {
			t.Errorf("the body has %q", s)
		}
	}
	for _, s := range []string{"Chỉ tiêu nội bộ do Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ đặt", "Ít nhất 02 tin, bài mỗi tháng",
		"Tháng dưới chỉ tiêu (chỉ tiêu nội bộ) (02): Tháng 07/2022: 01 tin, bài (chỉ tiêu 02); Tháng 10/2022", "mã băm <code class=\"hash\">", "Xác thực số liệu"} {
		if !strings.Contains(appendix, s) {
			t.Errorf("the appendix has no %q", s)
		}
	}
	if strings.Index(page, "GIÁM ĐỐC") > strings.Index(page, `<section class="appendix"`) {
		t.Error("the appendix comes before the signature")
	}
}

// TestExportsAgree: the CSV and XLSX served are the report the dashboard
// shows, and the same bytes `cchc report` would write for that clock.
func TestExportsAgree(t *testing.T) {
	h, env := server(t)
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, clock)
	if err != nil {
		t.Fatal(err)
	}

	w := testsupport.Get(h, "/bao-cao/2022.csv")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") ||
		w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-2022.csv"` {
		t.Fatalf("csv: %d %v", w.Code, w.Header())
	}
	var want bytes.Buffer
	if err := r.WriteCSV(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Body.Bytes(), want.Bytes()) {
		t.Error("served CSV differs from the report's")
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(w.Body.Bytes(), []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The dashboard's month table and the CSV's month rows agree.
	page := testsupport.Get(h, "/bao-cao/?nam=2022").Body.String()
	for _, rec := range recs {
		if !strings.HasPrefix(rec[0], "Tháng ") || len(rec) < 7 || strings.Contains(rec[0], "/") {
			continue
		}
		row := regexp.MustCompile(`<th scope="row">` + rec[0] + `(?: \(chưa hết tháng\))?</th>\s*<td>` + rec[1] + ` / ` + rec[2] + `</td>\s*<td><span class="badge level-[a-z-]+">` + rec[3] + `</span></td>\s*<td>` + rec[4] + `</td>\s*<td>` + rec[5] + `</td>\s*<td>` + rec[6] + `</td>`)
		if !row.MatchString(page) {
			t.Errorf("dashboard has no row matching CSV %q", rec[:5])
		}
	}

	w = testsupport.Get(h, "/bao-cao/2022.xlsx")
	if w.Code != 200 {
		t.Fatalf("xlsx: %d", w.Code)
	}
	f, err := excelize.OpenReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(progress.SheetDetail())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != len(r.Entries) {
		t.Errorf("xlsx has %d log rows, report %d", len(rows)-1, len(r.Entries))
	}
}

// TestHeadInEveryReport: every output of the report — dashboard, print
// page, CSV, XLSX, text and Markdown — carries the chain's last row and
// full hash as of its making, and the last anchor's date.
func TestHeadInEveryReport(t *testing.T) {
	h, env := server(t)
	ctx := context.Background()
	log := publog.New(env.Store, env.Now)
	check, err := log.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	key, err := publog.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	head := fmt.Sprintf("bản ghi số %d, mã băm %s", check.LastSeq, check.Head)
	outputs := func() map[string]string {
		out := map[string]string{}
		for name, url := range map[string]string{"dashboard": "/bao-cao/?nam=2022", "print": "/bao-cao/in?nam=2022", "csv": "/bao-cao/2022.csv"} {
			w := testsupport.Get(h, url)
			if w.Code != 200 {
				t.Fatalf("%s: %d", url, w.Code)
			}
			// The pages put the hash in <code>.
			out[name] = regexp.MustCompile(`<code class="hash">([0-9a-f]+)</code>`).ReplaceAllString(w.Body.String(), "$1")
		}
		f, err := excelize.OpenReader(testsupport.Get(h, "/bao-cao/2022.xlsx").Body)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(progress.SheetSummary())
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			out["xlsx"] += strings.Join(row, ": ") + "\n"
		}
		r, err := progress.Measure(ctx, env.Store, log, 2022, clock)
		if err != nil {
			t.Fatal(err)
		}
		var text, md bytes.Buffer
		if err := r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		out["text"], out["md"] = text.String(), md.String()
		return out
	}
	for name, body := range outputs() {
		for _, want := range []string{head, "Mốc kiểm chứng gần nhất", "Chưa có (lập bằng lệnh cchc log anchor)"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: no %q", name, want)
			}
		}
	}
	a, err := publog.NewAnchor(check, clock, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.RecordAnchor(ctx, a); err != nil {
		t.Fatal(err)
	}
	for name, body := range outputs() {
		if want := fmt.Sprintf("01/11/2022, bản ghi số %d", check.LastSeq); !strings.Contains(body, want) {
			t.Errorf("%s: no %q", name, want)
		}
	}
	if page := testsupport.Get(h, "/bao-cao/?nam=2022").Body.String(); !strings.Contains(page, fmt.Sprintf("Mốc kiểm chứng gần nhất: 01/11/2022, bản ghi số %d", check.LastSeq)) {
		t.Error("dashboard does not show the last anchor")
	}
}
