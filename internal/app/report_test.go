package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/docx"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/testsupport"
)

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("CSV without byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The days left until the deadline move with the clock.
	return slices.DeleteFunc(recs, func(rec []string) bool { return rec[0] == "Hạn báo cáo" || rec[0] == "Hạn báo cáo của Sở" })
}

// TestReportCommand: `cchc report` writes the figures of the dashboard's
// report (progress.Report) in each format.
func TestReportCommand(t *testing.T) {
	dir, _ := demoData(t)
	out := filepath.Join(t.TempDir(), "bao-cao.csv")
	if code, _, errs := runCLI(t, "report", "--data", dir, "--year", "2022", "--format", "csv", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults
	cfg.Data = dir
	env, err := app.Open(context.Background(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, time.Now())
	env.Close()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := r.WriteCSV(&want); err != nil {
		t.Fatal(err)
	}
	if g, w := readCSV(t, got), readCSV(t, want.Bytes()); !slices.EqualFunc(g, w, slices.Equal) {
		t.Errorf("cchc report CSV differs from the report:\n%q\n%q", g, w)
	}

	code, text, errs := runCLI(t, "report", "--data", dir, "--year", "2022")
	if code != 0 {
		t.Fatalf("text: exit %d: %s", code, errs)
	}
	for _, s := range []string{"Tháng 07/2022: 01 tin, bài (chỉ tiêu 02)", "Tháng 10/2022: 01 tin, bài (chỉ tiêu 02)", "Chuỗi nhật ký toàn vẹn", "Số liệu tính đến ngày  31/12/2022"} {
		if !strings.Contains(text, s) {
			t.Errorf("text report has no %q", s)
		}
	}
	for _, m := range r.Months {
		if !strings.Contains(text, m.Name()+"  "+strconv.Itoa(m.Articles)+" ") {
			t.Errorf("text report: %s should show %d articles", m.Name(), m.Articles)
		}
	}

	code, md, _ := runCLI(t, "report", "--data", dir, "--year", "2022", "--format", "md")
	if code != 0 || !strings.HasPrefix(md, "# Báo cáo Kết quả thực hiện Kế hoạch số 272/KH-SKHCN") || !strings.Contains(md, "| Tháng 07 | 1 | 2 | Chưa đạt |") {
		t.Errorf("md: exit %d\n%s", code, md)
	}

	xlsx := filepath.Join(t.TempDir(), "bao-cao.xlsx")
	if code, _, errs := runCLI(t, "report", "--data", dir, "--year", "2022", "--format", "xlsx", "-o", xlsx); code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, errs)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, err := f.GetRows(progress.SheetDetail()); err != nil || len(rows)-1 != len(r.Entries) {
		t.Errorf("xlsx detail rows %d, want %d (%v)", len(rows)-1, len(r.Entries), err)
	}
}

// TestReportCommandCutoff: `cchc report --to` gives the figures as of that
// day, in the year of that day, the month it falls in running.
func TestReportCommandCutoff(t *testing.T) {
	dir, _ := demoData(t)
	code, md, errs := runCLI(t, "report", "--data", dir, "--to", "2022-08-15", "--format", "md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"| Số liệu tính đến ngày | 15/08/2022 |", "| Tháng 08 | 1 | 2 | Đang thực hiện |", "| Tháng 09 | 0 | 2 | Chưa đến |",
		"## Chi tiết nhật ký đăng tải năm 2022 (tính đến ngày 15/08/2022)"} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in\n%s", want, md)
		}
	}
	if strings.Contains(md, "16/08/2022") {
		t.Error("a row after the cut-off is counted")
	}
}

// TestReportCommandDOCX: `cchc report --format docx -o FILE` writes the
// report of the print page as a Word document: read back, it has the
// form's parts and Phụ lục I numbered from 1, as of --to.
func TestReportCommandDOCX(t *testing.T) {
	dir, _ := demoData(t)
	out := filepath.Join(t.TempDir(), "bao-cao.docx")
	if code, _, errs := runCLI(t, "report", "--data", dir, "--to", "2022-08-15", "--format", "docx", "-o", out); code != 0 {
		t.Fatalf("docx: exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := docx.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	md := doc.Markdown()
	at := 0
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "/BC-TTUD", "Quảng Ngãi, ngày 15 tháng 8 năm 2022", "BÁO CÁO",
		"Kính gửi:", "I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ",
		"Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "PHỤ LỤC I.", "| 1 | 11/1/2022 |", "PHỤ LỤC II."} {
		i := strings.Index(md[at:], want)
		if i < 0 {
			t.Fatalf("no %q after byte %d:\n%s", want, at, md)
		}
		at += i + len(want)
	}
}

// TestReportCommandDepartment: `cchc report --cap so` writes the Sở's
// consolidated report: its letterhead, addressee and units' results in
// the Word document, and the Sở's report named in the CSV.
func TestReportCommandDepartment(t *testing.T) {
	dir, _ := demoData(t)
	out := filepath.Join(t.TempDir(), "bao-cao-so.docx")
	if code, _, errs := runCLI(t, "report", "--data", dir, "--to", "2022-11-10", "--cap", "so", "--format", "docx", "-o", out); code != 0 {
		t.Fatalf("docx: exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := docx.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	md := doc.Markdown()
	at := 0
	for _, want := range []string{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "/BC-SKHCN",
		"Kính gửi: Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông)", "I. KẾT QUẢ THỰC HIỆN", "Mục III.6",
		"Kết quả của các đơn vị", "Chi cục Tiêu chuẩn Đo lường Chất lượng: chủ trì III.6", "II. TỒN TẠI", "KT. GIÁM ĐỐC", "PHỤ LỤC I."} {
		i := strings.Index(md[at:], want)
		if i < 0 {
			t.Fatalf("no %q after byte %d:\n%s", want, at, md)
		}
		at += i + len(want)
	}
	code, csvOut, errs := runCLI(t, "report", "--data", dir, "--to", "2022-11-10", "--cap", "so", "--format", "csv")
	if code != 0 || !strings.Contains(csvOut, "Báo cáo tổng hợp của Sở Khoa học và Công nghệ") {
		t.Errorf("csv: exit %d: %s", code, errs)
	}
}

func TestReportCommandUsage(t *testing.T) {
	dir := migratedData(t)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad format", []string{"report", "--data", dir, "--format", "pdf"}, 2, "--format"},
		{"bad year", []string{"report", "--data", dir, "--year", "99"}, 2, "--year"},
		{"xlsx to the terminal", []string{"report", "--data", dir, "--format", "xlsx"}, 2, "-o"},
		{"docx to the terminal", []string{"report", "--data", dir, "--format", "docx"}, 2, "định dạng docx cần -o TỆP"},
		{"argument", []string{"report", "--data", dir, "2022"}, 2, "không nhận đối số"},
		{"empty year", []string{"report", "--data", dir, "--year", "2031"}, 0, "Chưa có kế hoạch cho năm này"},
		{"bad cut-off", []string{"report", "--data", dir, "--to", "31/02/2022"}, 2, "--to: ngày \"31/02/2022\" không có thật"},
		{"cut-off to come", []string{"report", "--data", dir, "--to", "2199-01-01"}, 2, "--to: Không thể tính số liệu đến ngày 01/01/2199"},
		{"cut-off before the year", []string{"report", "--data", dir, "--year", "2023", "--to", "2022-05-01"}, 2, "--to: Ngày tính số liệu 01/05/2022 ở trước năm báo cáo 2023"},
		{"bad report level", []string{"report", "--data", dir, "--cap", "tinh"}, 2, "--cap: Tham số cap chỉ nhận"},
		{"help", []string{"report", "--help"}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, c.args...)
			if code != c.code || !strings.Contains(out+errs, c.want) {
				t.Errorf("exit %d, want %d with %q\n%s%s", code, c.code, c.want, out, errs)
			}
		})
	}
}

// TestReportsNeedLogin: the service mounts /bao-cao/ behind the login.
func TestReportsNeedLogin(t *testing.T) {
	h := testsupport.Handler(t, testsupport.Open(t, config.Defaults, nil))
	for _, url := range []string{"/bao-cao/?nam=2022", "/bao-cao/2022.csv", "/bao-cao/2022.xlsx", "/bao-cao/in?nam=2022"} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept", "text/html")
		h.ServeHTTP(w, req)
		if w.Code == http.StatusOK || strings.Contains(w.Body.String(), "Báo cáo xuất bản") {
			t.Errorf("%s: %d without login", url, w.Code)
		}
	}
}
