package report_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// stpPlan is Sở Tư pháp's small plan of 2022: one tracked item, its own
// report due 10/11 (no consolidated report).
const stpPlan = `number: 15/KH-STP
title: Kế hoạch tuyên truyền cải cách hành chính năm 2022 của Sở Tư pháp
issuer: Sở Tư pháp tỉnh Quảng Ngãi
issued: 2022-02-20
year: 2022
report_due: 2022-11-10
areas:
  - {id: II.1, title: Văn bản chỉ đạo}
items:
  - {id: III.1, title: Cập nhật chuyên mục cải cách hành chính của Sở Tư pháp, tracked: true}
`

func stpArticle(title, date string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: " + date + "\nareas: [II.1]\nauthor: Văn phòng Sở Tư pháp\n---\nNội dung tin của Sở Tư pháp.\n")}
}

// threeAgencies is the demo (agency 1, its consolidated report sent on
// time, 14/11) with Sở Tư pháp (agency 2: its plan, three articles in
// April and June, its report sent late, 25/11 against 10/11) and Sở Y tế
// (agency 3: no plan, nothing published, nothing sent), each written with
// the agency in the context as its own workspace and import write.
func threeAgencies(t *testing.T) (*site, int64, int64) {
	t.Helper()
	s := newSite(t)
	a2, a3 := addAgencies(t, s)
	ctx2 := agency.WithID(context.Background(), a2)
	res, err := s.env.Publish.Import(ctx2, fstest.MapFS{
		"plans/2022.yaml":         {Data: []byte(stpPlan)},
		"articles/stp-tin-mot.md": stpArticle("Sở Tư pháp mở chuyên mục cải cách hành chính", "2022-04-05"),
		"articles/stp-tin-hai.md": stpArticle("Sở Tư pháp phổ biến thủ tục mới", "2022-04-20"),
		"articles/stp-tin-ba.md":  stpArticle("Sở Tư pháp tập huấn cải cách hành chính", "2022-06-10"),
	}, "content-stp")
	if err != nil || res.Failed > 0 {
		t.Fatalf("import for agency 2: %v %+v", err, res)
	}
	send := func(ctx context.Context, report string, on time.Time, number string) {
		t.Helper()
		if err := s.env.Store.Tx(ctx, func(tx *sql.Tx) error {
			return s.env.Store.InsertReportSending(ctx, tx, &store.ReportSending{Year: 2022, Report: report, SentOn: on, Number: number, RecordedBy: "approver", RecordedAt: later})
		}); err != nil {
			t.Fatal(err)
		}
	}
	send(agency.WithID(context.Background(), agency.Root), "so", time.Date(2022, 11, 14, 0, 0, 0, 0, vntext.Zone), "11/BC-SKHCN")
	send(ctx2, "", time.Date(2022, 11, 25, 0, 0, 0, 0, vntext.Zone), "20/BC-STP")
	return s, a2, a3
}

// TestProvinceThreeAgencies: each agency's row holds its own rows only —
// its plan or none, its items' statuses, its months, its procedures, its
// report's sending against its own deadline — and the sort, the filters
// and the exports (parsed back) say the same.
func TestProvinceThreeAgencies(t *testing.T) {
	s, _, _ := threeAgencies(t)
	c, _ := s.login(auth.Admin)
	page := s.do("GET", "/bao-cao/tinh?nam=2022", nil, c)
	if page.code != 200 {
		t.Fatalf("%d\n%s", page.code, page.body)
	}
	row := func(body, slug string) string {
		t.Helper()
		i := strings.Index(body, `<tr id="co-quan-`+slug+`">`)
		if i < 0 {
			t.Fatalf("no row for %s", slug)
		}
		return body[i : i+strings.Index(body[i:], "</tr>")]
	}
	cells := func(r string) string { // the row's cells as text, "|"-joined
		var out []string
		for _, part := range strings.Split(r, "<td")[1:] {
			part = part[strings.Index(part, ">")+1:]
			part = part[:strings.Index(part, "</td>")]
			for strings.Contains(part, "<") {
				a, b := strings.Index(part, "<"), strings.Index(part, ">")
				part = part[:a] + part[b+1:]
			}
			out = append(out, part)
		}
		return strings.Join(out, "|")
	}
	for slug, want := range map[string]string{
		// TT | plan | done, not done, running, unknown | 12 months | year | procedures | due | sent | late
		"so-khcn":    "1|272/KH-SKHCN|4|2|0|0|8|12|8|6|5|5|1|3|3|1|2|3|57|11/12|15/11/2022 (báo cáo tổng hợp)|Đã gửi ngày 14/11/2022, số 11/BC-SKHCN|Đúng hạn",
		"so-tu-phap": "2|15/KH-STP|",
		"so-y-te":    "3|Chưa có kế hoạch|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0 (kế hoạch không nêu danh mục)|10/11/2022 (báo cáo của đơn vị)|Chưa gửi|Trễ hạn",
	} {
		if got := cells(row(page.body, slug)); !strings.HasPrefix(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", slug, got, want)
		}
	}
	// Each agency's own chain vouches for its figures.
	if n := strings.Count(page.body, "Chuỗi nhật ký toàn vẹn: "); n != 3 || !strings.Contains(page.body, "Chuỗi nhật ký toàn vẹn: 0 bản ghi") {
		t.Errorf("%d chain lines, want one per agency", n)
	}
	stp := cells(row(page.body, "so-tu-phap"))
	if !strings.Contains(stp, "|0|0|0|2|0|1|0|0|0|0|0|0|3|0 (kế hoạch không nêu danh mục)|10/11/2022 (báo cáo của đơn vị)|Đã gửi ngày 25/11/2022, số 20/BC-STP|Trễ hạn") {
		t.Errorf("so-tu-phap: %s", stp)
	}

	order := func(q string) string {
		t.Helper()
		got := s.do("GET", "/bao-cao/tinh?nam=2022"+q, nil, c)
		if got.code != 200 {
			t.Fatalf("%s: %d", q, got.code)
		}
		var slugs []string
		for _, part := range strings.Split(got.body, `<tr id="co-quan-`)[1:] {
			slugs = append(slugs, part[:strings.Index(part, `"`)])
		}
		return strings.Join(slugs, ",")
	}
	for q, want := range map[string]string{
		"":                         "so-khcn,so-tu-phap,so-y-te",
		"&sap-xep=ngay-gui":        "so-khcn,so-tu-phap,so-y-te",
		"&sap-xep=chua-hoan-thanh": "so-khcn,so-tu-phap,so-y-te",
		"&loc=chua-gui":            "so-y-te",
		"&loc=thieu-ke-hoach":      "so-y-te",
		"&loc=tre-han":             "so-tu-phap,so-y-te",
		// At 20/11 agency 1's report (14/11) is on time, agency 2's (25/11)
		// not yet sent and past its 10/11.
		"&loc=tre-han&den=2022-11-20": "so-tu-phap,so-y-te",
	} {
		if got := order(q); got != want {
			t.Errorf("%q: %s, want %s", q, got, want)
		}
	}

	// The CSV and the workbook carry the same rows, the months as counts.
	recs, err := csvRecords(s.do("GET", "/bao-cao/tinh/2022.csv", nil, c).body)
	if err != nil {
		t.Fatal(err)
	}
	var csvRows []string
	for _, r := range recs {
		if len(r) == 24 && r[0] != "TT" {
			csvRows = append(csvRows, strings.Join(r, "|"))
		}
	}
	if len(csvRows) != 3 || !strings.Contains(csvRows[1], "Sở Tư pháp tỉnh Quảng Ngãi|15/KH-STP|") ||
		!strings.Contains(csvRows[1], "|0|0|0|2|0|1|0|0|0|0|0|0|3|") || !strings.HasPrefix(csvRows[2], "3|Sở Y tế tỉnh Quảng Ngãi|Chưa có kế hoạch|0|0|0|0|") || !strings.HasSuffix(csvRows[2], "|Chưa gửi|Trễ hạn") {
		t.Errorf("CSV rows:\n%s", strings.Join(csvRows, "\n"))
	}
	x := s.do("GET", "/bao-cao/tinh/2022.xlsx", nil, c)
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, r := range rows {
		if len(r) > 10 && r[1] == "Sở Tư pháp tỉnh Quảng Ngãi" {
			found = true
			ref, _ := excelize.CoordinatesToCellName(11, i+1) // April
			typ, _ := f.GetCellType("Tổng hợp", ref)
			v, _ := f.GetCellValue("Tổng hợp", ref)
			if v != "2" || typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("xlsx April of agency 2: %q (%v)", v, typ)
			}
		}
	}
	if !found {
		t.Error("xlsx: no row for agency 2")
	}
	// The appendix of agency 2 lists its own item, of agency 3 none.
	print := s.do("GET", "/bao-cao/tinh/in?nam=2022", nil, c).body
	inOrder(t, print, "Phụ lục 2: Sở Tư pháp tỉnh Quảng Ngãi", "Cập nhật chuyên mục cải cách hành chính của Sở Tư pháp",
		"Phụ lục 3: Sở Y tế tỉnh Quảng Ngãi", "Chưa có kế hoạch năm 2022")
}
