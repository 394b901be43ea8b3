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

// server is the report routes on a plain group (no login: the lead mounts
// them behind RequireRole) over the demo content.
func server(t *testing.T) (http.Handler, *app.Env) {
	t.Helper()
	now := func() time.Time { return clock }
	env := testsupport.Demo(t, config.Defaults, now)
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
	report.New(report.Config{Admin: adm, Store: env.Store, Now: now, Log: env.Log}).Register(r.Group("/bao-cao"))
	return r, env
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
			"Báo cáo xuất bản năm 2022",
			// The demo's gaps: February, July and October have one article.
			"Tháng 02/2022: 1 tin bài, chỉ tiêu 2", "Tháng 07/2022: 1 tin bài, chỉ tiêu 2", "Tháng 10/2022: 1 tin bài, chỉ tiêu 2",
			`<span class="badge level-chua-dat">Chưa đạt</span>`, `<span class="badge level-dat">Đạt</span>`, `<span class="badge level-chua-den">Chưa đến</span>`,
			"Còn 9 ngày đến hạn báo cáo (10/11/2022)",
			"Toàn vẹn", "Độ trễ từ ngày ban hành",
			`<svg viewBox="0 0 760 280" role="img" aria-labelledby="bieu-do-tieu-de" aria-describedby="bang-thang"`,
			`id="bang-thang"`, "Tháng 11 (tháng này)",
			`href="/bao-cao/2022.csv"`, `href="/bao-cao/2022.xlsx"`, `href="/bao-cao/in?nam=2022"`,
			`<option value="2022" selected>2022</option>`,
			`href="/tin-tuc/phat-dong-thi-dua-day-manh-cchc"`,
		}, []string{"<script", " style="}},
		{"default year is the clock's", "/bao-cao/", 200, []string{"Báo cáo xuất bản năm 2022"}, nil},
		{"filtered log", "/bao-cao/?nam=2022&thang=2&loai=article", 200, []string{
			"1 / ", `href="/tin-tuc/phat-dong-thi-dua-day-manh-cchc"`, `<option value="2" selected>Tháng 02</option>`, "Bỏ lọc",
		}, []string{`href="/tin-tuc/chuong-trinh-tong-the-cchc-2021-2030"`}},
		{"filter by author", "/bao-cao/?nam=2022&tac-gia=V%C4%83n+ph%C3%B2ng+S%E1%BB%9F", 200, []string{"Văn phòng Sở"}, []string{`href="/tin-tuc/phat-dong-thi-dua-day-manh-cchc"`}},
		{"year without a plan", "/bao-cao/?nam=2019", 200, []string{"Năm 2019 chưa có kế hoạch", "Không có hàng nào khớp bộ lọc."}, nil},
		{"bad year", "/bao-cao/?nam=hai-nghin", 400, []string{"Năm báo cáo không hợp lệ"}, nil},
		{"bad month", "/bao-cao/?nam=2022&thang=13", 400, []string{"Tháng không hợp lệ"}, nil},
		{"bad kind", "/bao-cao/?nam=2022&loai=video", 400, []string{"Loại nội dung không hợp lệ"}, nil},
		{"printable report", "/bao-cao/in?nam=2022", 200, []string{
			"SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TRUNG TÂM ỨNG DỤNG VÀ DỊCH VỤ KHOA HỌC VÀ CÔNG NGHỆ",
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 01 tháng 11 năm 2022",
			"BÁO CÁO", "Kết quả thực hiện Kế hoạch số 272/KH-SKHCN ngày 15/03/2022",
			"I. KẾT QUẢ THỰC HIỆN", "Mục III.1", "Mục III.2", "II. TỒN TẠI, HẠN CHẾ",
			"Tháng dưới chỉ tiêu: Tháng 10/2022: 1 tin bài, chỉ tiêu 2.", "GIÁM ĐỐC", "/quan-tri/assets/report.",
		}, []string{"<script", " style="}},
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
		if !strings.HasPrefix(rec[0], "Tháng ") || len(rec) < 5 || strings.Contains(rec[0], "/") {
			continue
		}
		row := regexp.MustCompile(`<th scope="row">` + rec[0] + `(?: \(tháng này\))?</th>\s*<td>` + rec[1] + ` / ` + rec[2] + `</td>\s*<td><span class="badge level-[a-z-]+">` + rec[3] + `</span></td>\s*<td>` + rec[4] + `</td>`)
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
	rows, err := f.GetRows(progress.SheetDetail)
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
	head := fmt.Sprintf("hàng số %d, mã băm %s", check.LastSeq, check.Head)
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
		rows, err := f.GetRows(progress.SheetSummary)
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
		if want := fmt.Sprintf("01/11/2022, hàng số %d", check.LastSeq); !strings.Contains(body, want) {
			t.Errorf("%s: no %q", name, want)
		}
	}
	if page := testsupport.Get(h, "/bao-cao/?nam=2022").Body.String(); !strings.Contains(page, fmt.Sprintf("Mốc kiểm chứng gần nhất: 01/11/2022, hàng số %d", check.LastSeq)) {
		t.Error("dashboard does not show the last anchor")
	}
}
