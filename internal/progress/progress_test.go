package progress_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/progress"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/tthclist"
	"cchc/internal/vntext"
)

// clock is the time of the plan year's tests (testsupport.PlanYear):
// 15/8/2022.
var clock = testsupport.PlanClock()

// fixture is the plan year (testsupport.PlanYear) with the plan's targets
// and official procedure list, a document and a procedure more: a small
// year of content whose figures are worked out by hand in
// TestReportFigures. The clock stands at 15/8/2022: January–July are
// over, August is the current month, Q3 the current quarter, Q4 to come.
// The plan was issued on 15/3/2022, so January–March and Q1 are not
// judged. Every row is imported on 15/8 with its file's date: all but the
// withdrawal made that day rest on declared dates.
var fixture = testsupport.With(testsupport.PlanYear(), fstest.MapFS{
	"plans/2022.yaml": {Data: []byte(`number: 272/KH-SKHCN
title: Kế hoạch tuyên truyền cải cách hành chính năm 2022
issued: 2022-03-15
year: 2022
report_due: 2022-11-10
procedure_list: 2022-tthc.csv
areas:
  - {id: II.1, title: Văn bản chỉ đạo}
  - {id: II.2.a, title: "Công tác chỉ đạo, điều hành"}
  - {id: II.3, title: Chính quyền số}
documents: [1256/QĐ-UBND, 76/NQ-CP, 999/QĐ-UBND]
items:
  - id: III.1
    title: Mở mục tuyên truyền
    tracked: true
    targets:
      column_open: {source: plan, wording: Mở mục tuyên truyền trên Trang Thông tin điện tử}
      regular_updates: {source: plan, wording: Cập nhật thông tin thường xuyên trong năm}
      articles_per_month: {value: 2, source: internal, set_by: Trung tâm}
  - id: III.2
    title: Đăng tải công khai
    tracked: true
    targets:
      all_procedures: {source: plan, wording: Đăng tải công khai tất cả các thủ tục hành chính}
      all_plan_documents: {source: plan, wording: Đăng tải các văn bản liên quan}
      areas_covered: {source: plan, wording: Đăng tải các nội dung tuyên truyền tại mục II}
      each_area_per_quarter: {value: 1, source: internal, set_by: Trung tâm}
  - {id: III.3, title: Bản tin, tracked: false}
`)},
	// The official list: 1.000001 is on the column, 1.000002 is a draft
	// and 1.000003 is not there at all; the column's 1.000009 is not on it.
	"plans/2022-tthc.csv": {Data: []byte("Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Quyết định công bố\n" +
		"1.000001,Thủ tục một,KH&CN,Cấp tỉnh,Quyết định số 12/QĐ-UBND ngày 1/3/2022 (ví dụ)\n" +
		"1.000002,Thủ tục hai,KH&CN,Cấp tỉnh,Quyết định số 12/QĐ-UBND ngày 1/3/2022 (ví dụ)\n" +
		"1.000003,Thủ tục ba chưa đăng,KH&CN,Cấp tỉnh,Quyết định số 12/QĐ-UBND ngày 1/3/2022 (ví dụ)\n")},
	"documents/7-qd-ubnd.md": {Data: []byte("---\nnumber: 7/QĐ-UBND\ntype: Quyết định\nissuer: UBND tỉnh\nissued: 2022-07-20\ntitle: Văn bản 7/QĐ-UBND\ndate: 2022-07-25\nareas: [II.3]\n---\n")},
	"procedures/p3.md":       {Data: []byte("---\ntitle: Thủ tục đã bãi bỏ\ncode: \"1.000009\"\ndate: 2022-06-20\n---\nNội dung.\n")},
})

// open is the service over an empty database at clock.
func open(t *testing.T) *app.Env { return testsupport.Open(t, config.Defaults, testsupport.PlanClock) }

// withdraw withdraws the article with slug the way the workflow does: the
// status change and its log row in one transaction.
func withdraw(t *testing.T, env *app.Env, slug, reason string) {
	t.Helper()
	withdrawKind(t, env, content.Article, slug, reason)
}

func withdrawKind(t *testing.T, env *app.Env, kind content.Kind, slug, reason string) {
	t.Helper()
	ctx := context.Background()
	it, err := env.Store.ItemBySlug(ctx, kind, slug)
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
	testsupport.Import(t, env, fixture)
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
	B, M, X, I, P := progress.BeforePlan, progress.Met, progress.Missed, progress.InProgress, progress.Pending
	cases := []struct {
		name      string
		got, want any
	}{
		{"as of", r.AsOfText(), "tính đến ngày 15/08/2022"},
		{"target", r.Months[0].Target, 2},
		{"articles a month", months(func(m progress.Month) int { return m.Articles }), []int{2, 1, 2, 1, 2, 0, 1, 1, 0, 0, 0, 0}},
		{"items a month", months(func(m progress.Month) int { return m.Items }), []int{3, 2, 3, 1, 2, 2, 2, 1, 0, 0, 0, 0}},
		{"updates a month", months(func(m progress.Month) int { return m.Updates }), []int{3, 2, 3, 1, 2, 3, 2, 1, 0, 0, 0, 0}},
		{"declared a month", months(func(m progress.Month) int { return m.Declared }), []int{3, 2, 3, 1, 2, 3, 2, 1, 0, 0, 0, 0}},
		// January–March began before the plan (15/3): not judged. August
		// is running (1 of 2): in progress, not a shortfall.
		{"month levels", levels(), []progress.Level{B, B, B, X, M, X, X, I, P, P, P, P}},
		{"current month", r.Months[7].Current, true},
		{"II.1 by month", months(func(m progress.Month) int { return m.ByArea[0] }), []int{2, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0}},
		{"article total", r.ArticleTotal(), 10},
		{"articles", r.Totals[0], progress.KindTotal{Kind: content.Article, Publish: 11, Update: 1, Withdraw: 1}},
		{"procedures", r.Totals[1], progress.KindTotal{Kind: content.Procedure, Publish: 2}},
		{"documents", r.Totals[2], progress.KindTotal{Kind: content.Document, Publish: 3}},
		{"total", r.Total, progress.KindTotal{Publish: 16, Update: 1, Withdraw: 1}},
		{"entries", len(r.Entries), 18},
		// Everything imported on 15/8 with older dates is declared; the
		// withdrawal made that day is not.
		{"declared", r.Declared, 17},
		{"declared text", strings.HasPrefix(r.DeclaredText(), "17 mục được nhập với ngày đăng khai báo"), true},
		{"coverage II.1", cells(r.Coverage[0]), "4/truoc-ke-hoach 2/dat 1/dat 0/chua-den"},
		{"coverage II.2.a", cells(r.Coverage[1]), "2/truoc-ke-hoach 2/dat 0/dang-thuc-hien 0/chua-den"},
		{"coverage II.3", cells(r.Coverage[2]), "2/truoc-ke-hoach 1/dat 2/dat 0/chua-den"},
		{"procedures on the list", fmt.Sprint(r.Procedures.Published, "/", r.Procedures.Listed), "1/3"},
		{"procedures missing", listRows(r.Procedures.Missing), "1.000002 Thủ tục hai, 1.000003 Thủ tục ba chưa đăng"},
		{"procedures not on the list", fmt.Sprint(r.Procedures.Unlisted[0].Ref, " ", r.Procedures.Unlisted[0].Title), "1.000009 Thủ tục đã bãi bỏ"},
		{"procedures on the column", r.Procedures.OnColumn, 2},
		{"decision", r.Procedures.DecisionText(), "Quyết định công bố số 12/QĐ-UBND ngày 1/3/2022 (ví dụ)"},
		{"documents", docStates(r), "1256/QĐ-UBND:true:true:1 76/NQ-CP:true:true:0 999/QĐ-UBND:false:false:0"},
		// Only documents issued in the plan's year: 7/QĐ-UBND, 5 days.
		{"median delay", r.Delay, progress.Delay{Year: 2022, Count: 1, Median: 5}},
		{"days to deadline", r.Due.Days, 87},
		{"deadline text", r.Due.Text(), "Còn 87 ngày đến hạn báo cáo (10/11/2022)"},
		{"withdrawals", fmt.Sprintf("%d %s %s", len(r.Withdrawals), r.Withdrawals[0].Note, r.Withdrawals[0].Actor), "1 Thông tin đã cũ nguyen.van.a"},
		// III.1: the plan's requirements are met; the centre's own two
		// articles a month is not — shown apart, never the verdict.
		{"III.1", itemProgress(r, 0), "hoan-thanh: Chuyên mục đang hoạt động: 16 mục công khai tính đến ngày 15/8/2022; mục đầu tiên của năm đăng tải ngày 10/1/2022. " +
			"Có đăng tải, cập nhật trong cả 4/4 tháng đã qua kể từ khi ban hành kế hoạch. Tháng 01, 02, 03/2022 bắt đầu trước khi ban hành kế hoạch (15/3/2022) nên không đánh giá."},
		{"III.1 official", targets(r.Progress[0].Official), "1/1 hoan-thanh plan, 4/4 hoan-thanh plan"},
		{"III.1 internal", targets(r.Progress[0].Internal), "1/4 chua-dat internal"},
		{"III.1 internal reason", r.Progress[0].Internal[0].Reason, "1/4 tháng đạt tối thiểu 02 tin, bài; chưa đạt: tháng 04 (01 bài), tháng 06 (0 bài), tháng 07 (01 bài). Tháng 01, 02, 03/2022 bắt đầu trước khi ban hành kế hoạch (15/3/2022) nên không đánh giá."},
		{"III.2 level", r.Progress[1].Level, progress.NotDone},
		{"III.2 official", targets(r.Progress[1].Official), "1/3 chua-hoan-thanh plan, 2/3 chua-hoan-thanh plan, 3/3 hoan-thanh plan"},
		{"III.2 procedures reason", r.Progress[1].Official[0].Reason, "Đã đăng tải 1/3 thủ tục theo Quyết định công bố số 12/QĐ-UBND ngày 1/3/2022 (ví dụ), tính đến ngày 15/8/2022. Còn 02 thủ tục chưa đăng tải. 01 thủ tục trên chuyên mục không có trong danh mục công bố (đã bãi bỏ hoặc ghi sai mã)."},
		// Q2 three times, Q3 twice (II.2.a's Q3 is running, not judged).
		{"III.2 internal", targets(r.Progress[1].Internal), "5/5 dat internal"},
		{"III.3", r.Progress[2].Level, progress.Untrack},
		{"official gaps", gapKinds(r.OfficialGaps()), "Thủ tục chưa đăng tải: 1.000002 — Thủ tục hai; Thủ tục chưa đăng tải: 1.000003 — Thủ tục ba chưa đăng; " +
			"Thủ tục không có trong danh mục công bố: 1.000009 — Thủ tục đã bãi bỏ; Văn bản chưa có trong cơ sở dữ liệu: 999/QĐ-UBND"},
		{"internal gaps", gapKinds(r.InternalGaps()), "Tháng dưới chỉ tiêu (chỉ tiêu nội bộ): Tháng 04/2022: 01 tin, bài (chỉ tiêu 02); Tháng dưới chỉ tiêu (chỉ tiêu nội bộ): Tháng 06/2022: 0 tin, bài (chỉ tiêu 02); Tháng dưới chỉ tiêu (chỉ tiêu nội bộ): Tháng 07/2022: 01 tin, bài (chỉ tiêu 02)"},
		// The report's section II: one paragraph an item, each kind of gap
		// once with its count in two digits.
		{"gap sentences", strings.Join(r.GapSentences(), " | "), "Mục III.2 — Thủ tục chưa đăng tải (02): 1.000002 — Thủ tục hai; 1.000003 — Thủ tục ba chưa đăng. " +
			"Thủ tục không có trong danh mục công bố (01): 1.000009 — Thủ tục đã bãi bỏ. Văn bản chưa có trong cơ sở dữ liệu (01): 999/QĐ-UBND."},
		{"internal gap sentences", strings.Join(r.InternalGapSentences(), " | "), "Mục III.1 — Tháng dưới chỉ tiêu (chỉ tiêu nội bộ) (03): " +
			"Tháng 04/2022: 01 tin, bài (chỉ tiêu 02); Tháng 06/2022: 0 tin, bài (chỉ tiêu 02); Tháng 07/2022: 01 tin, bài (chỉ tiêu 02)."},
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

// TestCutoffMidQuarter: figures as of 20/4/2022, in the middle of Q2 and
// of April, on 15/8: April and Q2 are running (never a shortfall), later
// periods have not come, nothing after the cut-off is counted, and the
// deadline is still counted from today.
func TestCutoffMidQuarter(t *testing.T) {
	env, _ := fixtureReport(t)
	r, err := progress.MeasureAsOf(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, time.Date(2022, 4, 20, 0, 0, 0, 0, vntext.Zone), clock)
	if err != nil {
		t.Fatal(err)
	}
	var lv []progress.Level
	for _, m := range r.Months {
		lv = append(lv, m.Level)
	}
	B, I, P := progress.BeforePlan, progress.InProgress, progress.Pending
	cases := []struct {
		name      string
		got, want any
	}{
		{"as of", r.AsOfText(), "tính đến ngày 20/04/2022"},
		{"entries", len(r.Entries), 9},
		{"month levels", lv, []progress.Level{B, B, B, I, P, P, P, P, P, P, P, P}},
		{"april current", r.Months[3].Current, true},
		{"Q2 II.1 nothing yet", cells(r.Coverage[0]), "4/truoc-ke-hoach 0/dang-thuc-hien 0/chua-den 0/chua-den"},
		{"Q2 II.2.a reached", cells(r.Coverage[1]), "2/truoc-ke-hoach 1/dat 0/chua-den 0/chua-den"},
		{"III.1 in progress", r.Progress[0].Level, progress.InProgress},
		{"III.1 official", targets(r.Progress[0].Official), "1/1 hoan-thanh plan, 0/0 dang-thuc-hien plan"},
		{"regular updates reason", strings.HasPrefix(r.Progress[0].Official[1].Reason, "Chưa hết tháng nào kể từ khi ban hành kế hoạch."), true},
		{"no month gap", len(r.InternalGaps()), 0},
		{"procedures at the cut-off", fmt.Sprint(r.Procedures.Published, "/", r.Procedures.Listed, " ", len(r.Procedures.Unlisted)), "1/3 0"},
		{"deadline from today", r.Due.Days, 87},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if fmt.Sprintf("%#v", c.got) != fmt.Sprintf("%#v", c.want) {
				t.Errorf("got %#v, want %#v", c.got, c.want)
			}
		})
	}
}

func TestCutoff(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, vntext.Zone) }
	cases := []struct {
		name       string
		year       int
		asOf, now  time.Time
		want       time.Time
		wantErrSub string
	}{
		{"today by default", 2022, time.Time{}, d(2022, 8, 15).Add(10 * time.Hour), d(2022, 8, 15), ""},
		{"a past year ends on 31 December", 2022, time.Time{}, d(2026, 12, 6), d(2022, 12, 31), ""},
		{"a chosen day", 2022, d(2022, 4, 20), d(2022, 8, 15), d(2022, 4, 20), ""},
		{"a day after the year", 2022, d(2023, 2, 1), d(2026, 1, 1), d(2022, 12, 31), ""},
		{"a day to come", 2022, d(2022, 8, 16), d(2022, 8, 15).Add(23 * time.Hour), time.Time{}, "chưa đến"},
		{"a day before the year", 2022, d(2021, 12, 31), d(2022, 8, 15), time.Time{}, "trước năm báo cáo 2022"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := progress.Cutoff(c.year, c.asOf, c.now)
			if c.wantErrSub != "" {
				var ce *progress.CutoffError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.wantErrSub) {
					t.Fatalf("err %v, want one with %q", err, c.wantErrSub)
				}
				return
			}
			if err != nil || !got.Equal(c.want) {
				t.Errorf("got %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

// TestSentReport: a past year whose report was sent says so, not "Đã quá
// hạn 1487 ngày"; before that, the countdown.
func TestSentReport(t *testing.T) {
	env, _ := fixtureReport(t)
	ctx := context.Background()
	later := time.Date(2026, 12, 6, 9, 0, 0, 0, vntext.Zone)
	log := publog.New(env.Store, env.Now)
	r, err := progress.Measure(ctx, env.Store, log, 2022, later)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Due.Text(); got != "Chưa ghi nhận việc gửi báo cáo: đã quá hạn 1487 ngày (hạn 10/11/2022)" || !r.Due.Overdue() {
		t.Errorf("unsent: %q", got)
	}
	err = env.Store.Tx(ctx, func(tx *sql.Tx) error {
		return env.Store.InsertReportSending(ctx, tx, &store.ReportSending{Year: 2022, SentOn: time.Date(2022, 11, 8, 0, 0, 0, 0, vntext.Zone),
			Number: "45/BC-TTUD", RecordedBy: "duyet", RecordedAt: later})
	})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = progress.Measure(ctx, env.Store, log, 2022, later); err != nil {
		t.Fatal(err)
	}
	if got := r.Due.Text(); got != "Đã gửi báo cáo ngày 08/11/2022, số 45/BC-TTUD (hạn 10/11/2022)" || r.Due.Overdue() {
		t.Errorf("sent: %q", got)
	}
	if r.AsOfText() != "tính đến ngày 31/12/2022" {
		t.Errorf("past year as of %q", r.AsOfText())
	}
}

// TestProceduresFromTheLog: what is published is the log's word at the
// cut-off, not the items as they are now: a procedure withdrawn today
// counts as published on a day before, and not after.
func TestProceduresFromTheLog(t *testing.T) {
	env, _ := fixtureReport(t)
	withdrawKind(t, env, content.Procedure, "p1", "Thủ tục đã thay đổi")
	log := publog.New(env.Store, env.Now)
	now, err := progress.Measure(context.Background(), env.Store, log, 2022, clock)
	if err != nil {
		t.Fatal(err)
	}
	before, err := progress.MeasureAsOf(context.Background(), env.Store, log, 2022, time.Date(2022, 4, 20, 0, 0, 0, 0, vntext.Zone), clock)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(now.Procedures.Published, "/", now.Procedures.Listed, " ", listRows(now.Procedures.Missing)); got != "0/3 1.000001 Thủ tục một, 1.000002 Thủ tục hai, 1.000003 Thủ tục ba chưa đăng" {
		t.Errorf("today: %s", got)
	}
	if got := fmt.Sprint(before.Procedures.Published, "/", before.Procedures.Listed); got != "1/3" {
		t.Errorf("as of 20/4: %s", got)
	}
}

// TestNoOfficialList: without a list the procedures cannot be judged,
// and the report says so rather than counting the column against itself.
func TestNoOfficialList(t *testing.T) {
	env := open(t)
	fs := fstest.MapFS{}
	for k, v := range fixture {
		fs[k] = v
	}
	delete(fs, "plans/2022-tthc.csv")
	fs["plans/2022.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(string(fixture["plans/2022.yaml"].Data), "procedure_list: 2022-tthc.csv\n", "", 1))}
	if res, err := env.Publish.Import(context.Background(), fs, "content"); err != nil || res.Failed > 0 {
		t.Fatalf("import: %v %v", err, res.Errors)
	}
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, clock)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Progress[1].Official[0]
	if got.Level != progress.Unknown || !strings.Contains(got.Reason, "chưa nêu danh mục thủ tục hành chính được công bố") || !strings.Contains(got.Reason, "2 thủ tục đang công khai") {
		t.Errorf("%s: %s", got.Level, got.Reason)
	}
	if r.Progress[1].Level != progress.NotDone {
		t.Errorf("III.2 %s (documents are still missing)", r.Progress[1].Level)
	}
}

// TestOfficialListImport: a bad row of the list fails the plan at its
// line, and nothing of it is stored.
func TestOfficialListImport(t *testing.T) {
	env := open(t)
	fs := fstest.MapFS{}
	for k, v := range fixture {
		fs[k] = v
	}
	fs["plans/2022-tthc.csv"] = &fstest.MapFile{Data: []byte("Mã thủ tục,Tên thủ tục\n1.000001,Một\n1.0000X2,Hai\n")}
	res, err := env.Publish.Import(context.Background(), fs, "content")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range res.Errors {
		msgs = append(msgs, e.Error())
	}
	if !slices.ContainsFunc(msgs, func(m string) bool {
		return strings.HasPrefix(m, `content/plans/2022-tthc.csv:3: mã thủ tục "1.0000X2"`)
	}) {
		t.Errorf("errors %q", msgs)
	}
	if _, err := env.Store.Plan(context.Background(), 2022); err == nil {
		t.Error("plan stored with a bad list")
	}
}

func cells(row progress.AreaRow) string {
	var s []string
	for _, c := range row.Cells {
		s = append(s, fmt.Sprintf("%d/%s", c.Count, c.Level))
	}
	return strings.Join(s, " ")
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

func targets(ts []progress.Target) string {
	var s []string
	for _, t := range ts {
		src := "internal"
		if t.Official() {
			src = "plan"
		}
		s = append(s, fmt.Sprintf("%d/%d %s %s", t.Done, t.Total, t.Level, src))
	}
	return strings.Join(s, ", ")
}

func listRows(rows []tthclist.Row) string {
	var s []string
	for _, r := range rows {
		s = append(s, r.Code+" "+r.Name)
	}
	return strings.Join(s, ", ")
}

func gapKinds(gs []progress.GapLine) string {
	var s []string
	for _, g := range gs {
		s = append(s, g.Kind+": "+g.Text)
	}
	return strings.Join(s, "; ")
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
		{"february", find("Tháng 02")[:7], []string{"Tháng 02", "1", "2", "Trước khi ban hành kế hoạch", "2", "2", "2"}},
		{"april", find("Tháng 04")[:7], []string{"Tháng 04", "1", "2", "Chưa đạt", "1", "1", "1"}},
		{"articles", find("Tin, bài"), []string{"Tin, bài", "11", "1", "1", "0", "0"}},
		{"total", find("Tổng cộng"), []string{"Tổng cộng", "16", "1", "1", "0", "0"}},
		{"header", find("Số thứ tự"), progress.DetailHeader()},
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
	if withdrawn[1] != "15/08/2022" || withdrawn[3] != "Gỡ xuống" || withdrawn[10] != "nguyen.van.a" || withdrawn[11] != "Thông tin đã cũ" || withdrawn[12] != "Không" ||
		withdrawn[14] != "10:00 15/08/2022" || withdrawn[15] != "Không" {
		t.Errorf("withdrawal row: %q", withdrawn)
	}
	// An imported row carries both times, and is marked declared.
	if first := detail[0]; first[1] != "10/01/2022" || first[14] != "10:00 15/08/2022" || first[15] != "Có" || first[12] != "Có" {
		t.Errorf("imported row: %q", first)
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
	if got := f.GetSheetList(); !slices.Equal(got, []string{progress.SheetSummary(), progress.SheetDetail()}) {
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
	rows, err := f.GetRows(progress.SheetSummary())
	if err != nil {
		t.Fatal(err)
	}
	feb := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Tháng 04" }) + 1
	if feb == 0 {
		t.Fatal("no April row")
	}
	ftype, err := f.GetCellType(progress.SheetSummary(), fmt.Sprintf("B%d", feb))
	if err != nil {
		t.Fatal(err)
	}
	first := r.Entries[0]
	cases := []struct{ name, got, want string }{
		{"title", cell(progress.SheetSummary(), "A1"), "BÁO CÁO " + r.Title()},
		{"april articles", cell(progress.SheetSummary(), fmt.Sprintf("B%d", feb)), "1"},
		{"april target", cell(progress.SheetSummary(), fmt.Sprintf("C%d", feb)), "2"},
		{"april level", cell(progress.SheetSummary(), fmt.Sprintf("D%d", feb)), "Chưa đạt"},
		{"count is a number", fmt.Sprint(ftype == excelize.CellTypeNumber || ftype == excelize.CellTypeUnset), "true"},
		{"detail header", cell(progress.SheetDetail(), "A1") + "|" + cell(progress.SheetDetail(), "B1") + "|" + cell(progress.SheetDetail(), "G1"), "Số thứ tự|Ngày|Tiêu đề"},
		{"first seq", cell(progress.SheetDetail(), "A2"), fmt.Sprint(first.Seq)},
		{"first date shown", cell(progress.SheetDetail(), "B2"), "10/01/2022"},
		{"first title", cell(progress.SheetDetail(), "G2"), first.Title},
		{"first ref", cell(progress.SheetDetail(), "F2"), "1256/QĐ-UBND"},
		{"last event", cell(progress.SheetDetail(), fmt.Sprintf("D%d", len(r.Entries)+1)), "Gỡ xuống"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	// The date is a real date: a serial number with a dd/mm/yyyy format.
	raw, err := f.GetCellValue(progress.SheetDetail(), "B2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw != "44571" { // 10/01/2022 as an Excel serial day
		t.Errorf("raw date %q", raw)
	}
	style, err := f.GetCellStyle(progress.SheetDetail(), "B2")
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
	if w, err := f.GetColWidth(progress.SheetDetail(), "G"); err != nil || w != 60 {
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
			for _, want := range []string{"Tháng 04/2022: 01 tin, bài (chỉ tiêu 02)", "999/QĐ-UBND", "1.000002", "1.000009", "Còn 87 ngày", "Gỡ xuống",
				"tính đến ngày 15/08/2022", "17 mục được nhập với ngày đăng khai báo", "Phụ lục: Chỉ tiêu nội bộ", "Chỉ tiêu nội bộ do Trung tâm đặt"} {
				if !strings.Contains(strings.ToLower(buf.String()), strings.ToLower(want)) {
					t.Errorf("no %q in\n%s", want, buf.String())
				}
			}
		})
	}
}

func TestReportWithoutPlan(t *testing.T) {
	env := open(t)
	testsupport.Import(t, env, fixture)
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2021, clock)
	if err != nil {
		t.Fatal(err)
	}
	if r.Plan != nil || r.Total.Publish != 1 || len(r.Progress) != 0 || r.Months[11].Items != 1 ||
		r.Months[11].Level != progress.NoTarget || r.Months[11].Level.Label() != "—" || r.AsOfText() != "tính đến ngày 31/12/2021" {
		t.Errorf("2021: plan %v, total %+v, progress %d, december %+v", r.Plan, r.Total, len(r.Progress), r.Months[11])
	}
	if _, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 0, clock); err == nil {
		t.Error("year 0 accepted")
	}
}

func BenchmarkReport(b *testing.B) {
	env := testsupport.Open(b, config.Defaults, testsupport.PlanClock)
	testsupport.Import(b, env, fixture)
	l := publog.New(env.Store, env.Now)
	for b.Loop() {
		if _, err := progress.Measure(context.Background(), env.Store, l, 2022, clock); err != nil {
			b.Fatal(err)
		}
	}
}
