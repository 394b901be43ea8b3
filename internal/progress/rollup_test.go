package progress_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

func day2022(m time.Month, d int) time.Time { return time.Date(2022, m, d, 0, 0, 0, 0, vntext.Zone) }

// TestRollupSending: the report an agency owes the province is its
// consolidated one (plan section V: the demo's 15/11/2022) when the plan
// has it; a sending counts when dated by the cut-off; it is late when
// dated after the deadline, or missing with the deadline passed by the
// cut-off. A sending of the unit's report does not count for it.
func TestRollupSending(t *testing.T) {
	later := time.Date(2026, 12, 6, 9, 0, 0, 0, vntext.Zone)
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return later })
	ctx := context.Background()
	log := publog.New(env.Store, env.Now)
	agencies, err := env.Store.Agencies(ctx)
	if err != nil || len(agencies) != 1 {
		t.Fatalf("agencies: %v %v", agencies, err)
	}
	row := func(asOf time.Time) progress.RollupRow {
		t.Helper()
		ru, err := progress.MeasureProvince(ctx, env.Store, log, agencies, 2022, asOf, later)
		if err != nil {
			t.Fatal(err)
		}
		if len(ru.Rows) != 1 || ru.Rows[0].Agency.ID != agency.Root {
			t.Fatalf("rows: %+v", ru.Rows)
		}
		return ru.Rows[0]
	}
	send := func(report string, on time.Time, number string) {
		t.Helper()
		err := env.Store.Tx(ctx, func(tx *sql.Tx) error {
			return env.Store.InsertReportSending(ctx, tx, &store.ReportSending{Year: 2022, Report: report, SentOn: on, Number: number, RecordedBy: "duyet", RecordedAt: later})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, r progress.RollupRow, sent, late, lateText string) {
		t.Helper()
		if r.Send != "so" || !r.Due.Equal(day2022(time.November, 15)) || r.DueText() != "15/11/2022 (báo cáo tổng hợp)" {
			t.Errorf("%s: report %q due %v %q", name, r.Send, r.Due, r.DueText())
		}
		if r.SentText() != sent || (r.Late != (late == "late")) || r.LateText() != lateText {
			t.Errorf("%s: sent %q late %v %q; want %q %s %q", name, r.SentText(), r.Late, r.LateText(), sent, late, lateText)
		}
	}
	check("none, year over", row(time.Time{}), "Chưa gửi", "late", "Trễ hạn")
	check("none, before the deadline", row(day2022(time.November, 1)), "Chưa gửi", "", "")
	check("none, on the deadline", row(day2022(time.November, 15)), "Chưa gửi", "", "")
	send("", day2022(time.November, 9), "45/BC-TTUD") // the unit's: not the province's
	check("unit's report only", row(time.Time{}), "Chưa gửi", "late", "Trễ hạn")
	send("so", day2022(time.November, 20), "12/BC-SKHCN")
	check("sent late", row(time.Time{}), "Đã gửi ngày 20/11/2022, số 12/BC-SKHCN", "late", "Trễ hạn")
	check("sent after the cut-off", row(day2022(time.November, 18)), "Chưa gửi", "late", "Trễ hạn")
	send("so", day2022(time.November, 14), "11/BC-SKHCN") // recorded later, dated earlier: the newest record wins
	check("corrected", row(time.Time{}), "Đã gửi ngày 14/11/2022, số 11/BC-SKHCN", "", "Đúng hạn")

	r := row(time.Time{})
	if !r.HasPlan() || r.PlanText() != "272/KH-SKHCN" || r.ProceduresText() != "11/12" || r.Total == 0 {
		t.Errorf("plan %q procedures %q total %d", r.PlanText(), r.ProceduresText(), r.Total)
	}
	// The row is the agency's own report: the same figures as its dashboard.
	own, err := progress.MeasureAsOf(ctx, env.Store, log, 2022, time.Time{}, later)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for i, m := range own.Months {
		if r.Published[i] != m.Items {
			t.Errorf("month %d: %d, the dashboard %d", i+1, r.Published[i], m.Items)
		}
		sum += m.Items
	}
	if r.Total != sum || len(r.Items) != len(own.Tracked()) || r.Done+r.NotDone+r.Running+r.Unknown != len(r.Items) {
		t.Errorf("total %d (dashboard %d), items %d (%d)", r.Total, sum, len(r.Items), len(own.Tracked()))
	}
}

// TestRollupView: the orders and filters the page offers by links.
func TestRollupView(t *testing.T) {
	plan := &progress.Report{Year: 2022, Plan: &content.Plan{Number: "1/KH"}}
	noPlan := &progress.Report{Year: 2022}
	sent := func(m time.Month, d int) *store.ReportSending { return &store.ReportSending{SentOn: day2022(m, d)} }
	ru := &progress.Rollup{Year: 2022, Rows: []progress.RollupRow{
		{Agency: agency.Agency{ID: 1, Name: "Sở Khoa học và Công nghệ"}, R: plan, Done: 4, NotDone: 2, Sent: sent(11, 20), Late: true},
		{Agency: agency.Agency{ID: 2, Name: "Ủy ban nhân dân huyện Ba Tơ"}, R: plan, Done: 1, NotDone: 3, Sent: sent(11, 10)},
		{Agency: agency.Agency{ID: 3, Name: "Sở Y tế"}, R: noPlan, Late: true},
		{Agency: agency.Agency{ID: 4, Name: "Sở Tư pháp"}, R: plan, Done: 4, NotDone: 0},
	}}
	names := func(rows []progress.RollupRow) string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Agency.Name)
		}
		return strings.Join(out, "|")
	}
	for _, tc := range []struct{ sort, filter, want string }{
		{"", "", "Sở Khoa học và Công nghệ|Sở Tư pháp|Sở Y tế|Ủy ban nhân dân huyện Ba Tơ"},
		{progress.SortName, "", "Sở Khoa học và Công nghệ|Sở Tư pháp|Sở Y tế|Ủy ban nhân dân huyện Ba Tơ"},
		{progress.SortDone, "", "Sở Khoa học và Công nghệ|Sở Tư pháp|Ủy ban nhân dân huyện Ba Tơ|Sở Y tế"},
		{progress.SortNotDone, "", "Ủy ban nhân dân huyện Ba Tơ|Sở Khoa học và Công nghệ|Sở Tư pháp|Sở Y tế"},
		{progress.SortSent, "", "Ủy ban nhân dân huyện Ba Tơ|Sở Khoa học và Công nghệ|Sở Tư pháp|Sở Y tế"},
		{"", progress.FilterNoPlan, "Sở Y tế"},
		{"", progress.FilterNotSent, "Sở Tư pháp|Sở Y tế"},
		{"", progress.FilterLate, "Sở Khoa học và Công nghệ|Sở Y tế"},
		{progress.SortSent, progress.FilterLate, "Sở Khoa học và Công nghệ|Sở Y tế"},
	} {
		if got := names(ru.View(tc.sort, tc.filter)); got != tc.want {
			t.Errorf("sort %q filter %q:\n got %s\nwant %s", tc.sort, tc.filter, got, tc.want)
		}
	}
	for _, v := range []string{"ten", "hoan-thanh", "chua-hoan-thanh", "ngay-gui", ""} {
		if !progress.ValidSort(v) {
			t.Errorf("sort %q refused", v)
		}
	}
	for _, v := range []string{"TEN", "ten ", "name", "<script>"} {
		if progress.ValidSort(v) || progress.ValidFilter(v) {
			t.Errorf("%q accepted", v)
		}
	}
}
