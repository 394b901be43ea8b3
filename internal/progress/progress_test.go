package progress_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/progress"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// clock is the time of the plan year's tests (testsupport.PlanYear):
// 15/8/2022.
var clock = testsupport.PlanClock()

// open is the service over an empty database at clock.
func open(t *testing.T) *app.Env { return testsupport.Open(t, config.Defaults, testsupport.PlanClock) }

// withdraw withdraws the article with slug the way the workflow does: the
// status change and its log row in one transaction.
func withdraw(t *testing.T, env *app.Env, slug, reason string) {
	t.Helper()
	ctx := context.Background()
	it, err := env.Store.ItemBySlug(ctx, content.Article, slug)
	if err != nil {
		t.Fatal(err)
	}
	log := publog.New(env.Store, env.Now)
	err = env.Store.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE items SET status = 'withdrawn', withdrawn_reason = ? WHERE id = ?`, reason, it.ID); err != nil {
			return err
		}
		it.Status, it.WithdrawnReason = store.Withdrawn, reason
		return log.Append(ctx, tx, publish.Event{Type: publish.EventWithdraw, At: env.Now(), Actor: "nguyen.van.a", Item: it, Note: reason})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func fixtureReport(t *testing.T) (*app.Env, *progress.Report) {
	t.Helper()
	env := open(t)
	testsupport.Import(t, env, testsupport.PlanYear())
	withdraw(t, env, "a06", "Thông tin đã cũ")
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, clock)
	if err != nil {
		t.Fatal(err)
	}
	return env, r
}

func TestReportFigures(t *testing.T) {
	_, r := fixtureReport(t)

	months := func(f func(progress.Month) int) []int {
		var out []int
		for _, m := range r.Months {
			out = append(out, f(m))
		}
		return out
	}
	levels := func() []progress.Level {
		var out []progress.Level
		for _, m := range r.Months {
			out = append(out, m.Level)
		}
		return out
	}
	M, X, P := progress.Met, progress.Missed, progress.Pending
	cases := []struct {
		name      string
		got, want any
	}{
		// III.1 has no articles_per_month in the plan: the default 2.
		{"target", r.Months[0].Target, 2},
		{"articles a month", months(func(m progress.Month) int { return m.Articles }), []int{2, 1, 2, 1, 2, 0, 1, 1, 0, 0, 0, 0}},
		{"items a month", months(func(m progress.Month) int { return m.Items }), []int{3, 2, 3, 1, 2, 1, 1, 1, 0, 0, 0, 0}},
		// August is running (1 of 2): not judged yet; later months to come.
		{"month levels", levels(), []progress.Level{M, X, M, X, M, X, X, P, P, P, P, P}},
		{"II.1 by month", months(func(m progress.Month) int { return m.ByArea[0] }), []int{2, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0}},
		{"article total", r.ArticleTotal(), 10},
		{"articles", r.Totals[0], progress.KindTotal{Kind: content.Article, Publish: 11, Update: 1, Withdraw: 1}},
		{"procedures", r.Totals[1], progress.KindTotal{Kind: content.Procedure, Publish: 1}},
		{"documents", r.Totals[2], progress.KindTotal{Kind: content.Document, Publish: 2}},
		{"total", r.Total, progress.KindTotal{Publish: 14, Update: 1, Withdraw: 1}},
		{"entries", len(r.Entries), 16},
		{"coverage II.1", cells(r.Coverage[0]), "4/dat 2/dat 1/dat 0/chua-den"},
		{"coverage II.2.a", cells(r.Coverage[1]), "2/dat 2/dat 0/chua-dat 0/chua-den"},
		{"coverage II.3", cells(r.Coverage[2]), "2/dat 1/dat 1/dat 0/chua-den"},
		{"area gaps", fmt.Sprintf("%d %s %d", len(r.Gaps.Areas), r.Gaps.Areas[0].Area.ID, r.Gaps.Areas[0].Quarter), "1 II.2.a 3"},
		{"month gaps", fmt.Sprint(gapMonths(r)), "[2 4 6 7]"},
		{"procedures published", fmt.Sprint(r.Procedures.Published, "/", r.Procedures.Total), "1/2"},
		{"procedure missing", r.Gaps.UnpublishedProcedures[0].Ref, "1.000002"},
		{"documents", docStates(r), "1256/QĐ-UBND:true:true:1 76/NQ-CP:true:true:0 999/QĐ-UBND:false:false:0"},
		{"missing documents", len(r.Gaps.MissingDocuments), 1},
		{"uncited documents", r.Gaps.UncitedDocuments[0].Number, "76/NQ-CP"},
		// 10/01/2022 − 22/12/2021 = 19 days; 05/02/2022 − 15/07/2021 = 205.
		{"median delay", r.Delay, progress.Delay{Count: 2, Median: 112}},
		{"days to deadline", r.Due.Days, 87},
		{"deadline text", r.Due.Text(), "Còn 87 ngày đến hạn báo cáo (10/11/2022)"},
		{"withdrawals", fmt.Sprintf("%d %s %s", len(r.Withdrawals), r.Withdrawals[0].Note, r.Withdrawals[0].Actor), "1 Thông tin đã cũ nguyen.van.a"},
		{"III.1", itemProgress(r, 0), "chua-dat: 3/7 tháng đạt tối thiểu 2 tin bài; chưa đạt: tháng 02 (1 bài), tháng 04 (1 bài), tháng 06 (0 bài), tháng 07 (1 bài)."},
		{"III.2 level", r.Progress[1].Level, progress.Missed},
		{"III.2 targets", targets(r.Progress[1]), "1/2 chua-dat, 2/3 chua-dat, 8/9 gan-dat"},
		{"III.3", r.Progress[2].Level, progress.Untrack},
		{"chain", r.Chain.OK(), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if fmt.Sprintf("%#v", c.got) != fmt.Sprintf("%#v", c.want) {
				t.Errorf("got %#v, want %#v", c.got, c.want)
			}
		})
	}
}

func cells(row progress.AreaRow) string {
	var s []string
	for _, c := range row.Cells {
		s = append(s, fmt.Sprintf("%d/%s", c.Count, c.Level))
	}
	return strings.Join(s, " ")
}

func gapMonths(r *progress.Report) []int {
	var out []int
	for _, m := range r.Gaps.Months {
		out = append(out, m.Month)
	}
	return out
}

func docStates(r *progress.Report) string {
	var s []string
	for _, d := range r.Documents {
		s = append(s, fmt.Sprintf("%s:%v:%v:%d", d.Number, d.InRegistry, d.Published, d.Cited))
	}
	return strings.Join(s, " ")
}

func itemProgress(r *progress.Report, i int) string {
	return string(r.Progress[i].Level) + ": " + r.Progress[i].Reason
}

func targets(p progress.ItemProgress) string {
	var s []string
	for _, t := range p.Targets {
		s = append(s, fmt.Sprintf("%d/%d %s", t.Done, t.Total, t.Level))
	}
	return strings.Join(s, ", ")
}

func TestCSV(t *testing.T) {
	_, r := fixtureReport(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no byte order mark")
	}
	if !bytes.Contains(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("lines do not end in CRLF")
	}
	cr := csv.NewReader(bytes.NewReader(b[3:]))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	find := func(first string) []string {
		for _, rec := range recs {
			if rec[0] == first {
				return rec
			}
		}
		t.Fatalf("no row %q", first)
		return nil
	}
	cases := []struct {
		name string
		got  []string
		want []string
	}{
		{"february", find("Tháng 02")[:5], []string{"Tháng 02", "1", "2", "Chưa đạt", "2"}},
		{"articles", find("Tin bài"), []string{"Tin bài", "11", "1", "1", "0", "0"}},
		{"total", find("Tổng cộng"), []string{"Tổng cộng", "14", "1", "1", "0", "0"}},
		{"header", find("Số thứ tự"), progress.DetailHeader},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	// The detail rows are the log rows of the year, one each.
	i := slices.IndexFunc(recs, func(rec []string) bool { return rec[0] == "Số thứ tự" })
	detail := recs[i+1:]
	if len(detail) != len(r.Entries) {
		t.Fatalf("%d detail rows, want %d", len(detail), len(r.Entries))
	}
	withdrawn := detail[len(detail)-1]
	if withdrawn[1] != "15/08/2022" || withdrawn[3] != "Gỡ xuống" || withdrawn[10] != "nguyen.van.a" || withdrawn[11] != "Thông tin đã cũ" || withdrawn[12] != "Không" {
		t.Errorf("withdrawal row: %q", withdrawn)
	}
}

func TestXLSX(t *testing.T) {
	_, r := fixtureReport(t)
	var buf bytes.Buffer
	if err := r.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{progress.SheetSummary, progress.SheetDetail}) {
		t.Fatalf("sheets %q", got)
	}
	cell := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Find the month table on the summary sheet.
	rows, err := f.GetRows(progress.SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	feb := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Tháng 02" }) + 1
	if feb == 0 {
		t.Fatal("no February row")
	}
	ftype, err := f.GetCellType(progress.SheetSummary, fmt.Sprintf("B%d", feb))
	if err != nil {
		t.Fatal(err)
	}
	first := r.Entries[0]
	cases := []struct{ name, got, want string }{
		{"title", cell(progress.SheetSummary, "A1"), "BÁO CÁO " + r.Title()},
		{"february articles", cell(progress.SheetSummary, fmt.Sprintf("B%d", feb)), "1"},
		{"february target", cell(progress.SheetSummary, fmt.Sprintf("C%d", feb)), "2"},
		{"february level", cell(progress.SheetSummary, fmt.Sprintf("D%d", feb)), "Chưa đạt"},
		{"count is a number", fmt.Sprint(ftype == excelize.CellTypeNumber || ftype == excelize.CellTypeUnset), "true"},
		{"detail header", cell(progress.SheetDetail, "A1") + "|" + cell(progress.SheetDetail, "B1") + "|" + cell(progress.SheetDetail, "G1"), "Số thứ tự|Ngày|Tiêu đề"},
		{"first seq", cell(progress.SheetDetail, "A2"), fmt.Sprint(first.Seq)},
		{"first date shown", cell(progress.SheetDetail, "B2"), "10/01/2022"},
		{"first title", cell(progress.SheetDetail, "G2"), first.Title},
		{"first ref", cell(progress.SheetDetail, "F2"), "1256/QĐ-UBND"},
		{"last event", cell(progress.SheetDetail, fmt.Sprintf("D%d", len(r.Entries)+1)), "Gỡ xuống"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	// The date is a real date: a serial number with a dd/mm/yyyy format.
	raw, err := f.GetCellValue(progress.SheetDetail, "B2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw != "44571" { // 10/01/2022 as an Excel serial day
		t.Errorf("raw date %q", raw)
	}
	style, err := f.GetCellStyle(progress.SheetDetail, "B2")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy" {
		t.Errorf("date format %v", st.CustomNumFmt)
	}
	if w, err := f.GetColWidth(progress.SheetDetail, "G"); err != nil || w != 60 {
		t.Errorf("title column width %v, %v", w, err)
	}
}

func TestTextAndMarkdown(t *testing.T) {
	_, r := fixtureReport(t)
	for name, write := range map[string]func(io.Writer) error{"text": r.WriteText, "md": r.WriteMarkdown} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"Tháng 02/2022: 1 tin bài, chỉ tiêu 2", "999/QĐ-UBND", "1.000002", "Còn 87 ngày", "Gỡ xuống"} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("no %q in\n%s", want, buf.String())
				}
			}
		})
	}
}

func TestReportWithoutPlan(t *testing.T) {
	env := open(t)
	testsupport.Import(t, env, testsupport.PlanYear())
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2021, clock)
	if err != nil {
		t.Fatal(err)
	}
	if r.Plan != nil || r.Total.Publish != 1 || len(r.Progress) != 0 || r.Months[11].Items != 1 || r.Months[11].Level != progress.Pending {
		t.Errorf("2021: plan %v, total %+v, progress %d, december %+v", r.Plan, r.Total, len(r.Progress), r.Months[11])
	}
	if _, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 0, clock); err == nil {
		t.Error("year 0 accepted")
	}
}

func BenchmarkReport(b *testing.B) {
	env := testsupport.Open(b, config.Defaults, testsupport.PlanClock)
	testsupport.Import(b, env, testsupport.PlanYear())
	l := publog.New(env.Store, env.Now)
	for b.Loop() {
		if _, err := progress.Measure(context.Background(), env.Store, l, 2022, clock); err != nil {
			b.Fatal(err)
		}
	}
}
