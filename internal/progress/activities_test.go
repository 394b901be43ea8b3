package progress_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/progress"
	"cchc/internal/publog"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// activitiesEnv is the activities year (testsupport.ActivitiesYear) on a
// real migrated database, its clock at 5/1/2023 so that any cut-off of
// 2022 can be asked for.
func activitiesEnv(t *testing.T) *app.Env {
	t.Helper()
	env := testsupport.Open(t, config.Defaults, func() time.Time { return time.Date(2023, 1, 5, 9, 0, 0, 0, vntext.Zone) })
	testsupport.ActivitiesYear(t, env)
	return env
}

func measureOn(t *testing.T, env *app.Env, asOf time.Time, unit string) *progress.Report {
	t.Helper()
	r, err := progress.MeasureUnit(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, asOf, env.Now(), unit)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Chain.OK() {
		t.Fatalf("chain: %s", r.Chain.Summary())
	}
	return r
}

func item(t *testing.T, r *progress.Report, id string) progress.ItemProgress {
	t.Helper()
	for _, p := range r.Progress {
		if p.Item.ID == id {
			return p
		}
	}
	t.Fatalf("no item %s", id)
	return progress.ItemProgress{}
}

func vnDay(m time.Month, d int) time.Time { return time.Date(2022, m, d, 0, 0, 0, 0, vntext.Zone) }

// TestChannelCounts: III.3 counts per channel against the plan's target,
// by month and by quarter, each activity at its own date (the June radio
// programme approved on 2/7 is June's and Q2's), a withdrawn newsletter
// not at all, a column dated after the cut-off not at all; every record
// keeps its evidence.
func TestChannelCounts(t *testing.T) {
	env := activitiesEnv(t)
	r := measureOn(t, env, vnDay(11, 10), "")
	p := item(t, r, "III.3")
	got := map[string]progress.ChannelCount{}
	var order []string
	for _, c := range p.Channels {
		got[c.Code] = c
		order = append(order, c.Code)
	}
	// The plan's order; bao-in has no target and nothing counted by 10/11.
	if want := []string{"phat-thanh", "truyen-hinh", "ban-tin"}; !slices.Equal(order, want) {
		t.Fatalf("channels %v, want %v", order, want)
	}
	radio := got["phat-thanh"]
	if radio.Count != 2 || radio.Target.Value != 2 || radio.Level != progress.Done || radio.Short() != 0 {
		t.Errorf("radio: %d/%d %s", radio.Count, radio.Target.Value, radio.Level)
	}
	if radio.ByMonth[3] != 1 || radio.ByMonth[5] != 1 || radio.ByMonth[6] != 0 || radio.ByQuarter != [4]int{0, 2, 0, 0} {
		t.Errorf("radio by month %v, by quarter %v", radio.ByMonth, radio.ByQuarter)
	}
	if ev := radio.Done[1].Evidence; len(ev) != 1 || !strings.Contains(ev[0], "phat-thanh-thang-6") {
		t.Errorf("radio evidence %v", ev)
	}
	if news := got["ban-tin"]; news.Count != 0 || news.Target.Value != 1 || news.Level != progress.InProgress || news.Short() != 1 {
		t.Errorf("newsletter: %d/%d %s", news.Count, news.Target.Value, news.Level)
	}
	if tv := got["truyen-hinh"]; tv.Count != 1 || tv.Level != progress.NoTarget || tv.ByQuarter[3] != 1 {
		t.Errorf("television: %+v", tv)
	}
	if p.Level != progress.InProgress || p.Level.Label() != "Đang thực hiện" {
		t.Errorf("III.3 at 10/11: %s", p.Level)
	}
	if !strings.Contains(p.Reason, "Phát thanh: 02/02") || !strings.Contains(p.Reason, "Bản tin: 0/01") {
		t.Errorf("III.3 reason %q", p.Reason)
	}

	// At the year's end the newsletter is still short: not done; the
	// printed column of 20/11 now counts.
	end := measureOn(t, env, vnDay(12, 31), "")
	p = item(t, end, "III.3")
	if p.Level != progress.NotDone || p.Level.Label() != "Chưa hoàn thành" {
		t.Errorf("III.3 at 31/12: %s", p.Level)
	}
	if c := p.Channels[2]; c.Code != "bao-in" || c.Count != 1 || c.ByMonth[10] != 1 {
		t.Errorf("printed column at 31/12: %+v", c)
	}
	// Before anything was approved: nothing done.
	if p := item(t, measureOn(t, env, vnDay(4, 14), ""), "III.3"); p.Level != progress.NotStarted || p.Level.Label() != "Chưa thực hiện" {
		t.Errorf("III.3 at 14/4: %s", p.Level)
	}
	// The radio programme of 30/6 was approved on 2/7: at a cut-off of
	// 1/7 it is not recorded yet, so not counted.
	if c := item(t, measureOn(t, env, vnDay(7, 1), ""), "III.3").Channels[0]; c.Count != 1 {
		t.Errorf("radio at 1/7: %d, want 1", c.Count)
	}
}

// TestTwoItemArticle: the 18/5 article serves III.4 and III.1 (III.1
// named twice, and the article logged four times): it is one record in
// each item and one article of May for III.1's monthly count, never two.
func TestTwoItemArticle(t *testing.T) {
	env := activitiesEnv(t)
	r := measureOn(t, env, vnDay(11, 10), "")
	for _, id := range []string{"III.1", "III.4"} {
		p := item(t, r, id)
		n := 0
		for _, d := range p.Done {
			if strings.Contains(d.Title, "18/5") {
				n++
				if !d.Date.Equal(vnDay(5, 18).Add(8 * time.Hour)) {
					t.Errorf("%s: the article counts at %v, want its first publication 18/5", id, d.Date)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s counts the 18/5 article %d times, want once", id, n)
		}
	}
	if m := r.Months[4]; m.Articles != 1 {
		t.Errorf("May's articles for III.1: %d, want 1 (the article serving III.4 and III.1)", m.Articles)
	}
	if m := r.Months[5]; m.Articles != 0 {
		t.Errorf("June's articles: %d, want 0 (a republication is not a new article)", m.Articles)
	}
}

// TestQuarterStatus: each quarter-bound item's status as of cut-offs
// before, during and after its quarters.
func TestQuarterStatus(t *testing.T) {
	env := activitiesEnv(t)
	cases := []struct {
		id    string
		asOf  time.Time
		want  progress.Level
		label string
	}{
		// III.4 (Quý II): running on 15/4 with nothing yet, done by 10/11.
		{"III.4", vnDay(3, 31), progress.NotStarted, "Chưa thực hiện"},
		{"III.4", vnDay(4, 15), progress.InProgress, "Đang thực hiện"},
		{"III.4", vnDay(11, 10), progress.Done, "Hoàn thành"},
		// III.5 (Quý I–II): the training of 10/6, approved 12/6.
		{"III.5", vnDay(6, 11), progress.InProgress, "Đang thực hiện"},
		{"III.5", vnDay(6, 12), progress.Done, "Hoàn thành"},
		// III.6 (Quý IV), nothing ever recorded: not begun on 15/8, running
		// on 10/11 (the Trung tâm's deadline), not done at the year's end.
		{"III.6", vnDay(8, 15), progress.NotStarted, "Chưa thực hiện"},
		{"III.6", vnDay(11, 10), progress.InProgress, "Đang thực hiện"},
		{"III.6", vnDay(12, 31), progress.NotStarted, "Chưa thực hiện"},
	}
	for _, c := range cases {
		p := item(t, measureOn(t, env, c.asOf, ""), c.id)
		if p.Level != c.want || p.StatusText() != c.label {
			t.Errorf("%s at %s: %s (%s), want %s — %s", c.id, vntext.Date(c.asOf), p.Level, p.StatusText(), c.want, p.Reason)
		}
	}
	p := item(t, measureOn(t, env, vnDay(11, 10), ""), "III.5")
	if len(p.Done) != 1 || p.Done[0].Audience != 35 || p.Done[0].DateText() != "10/06/2022–11/06/2022" || len(p.Done[0].Evidence) != 2 {
		t.Errorf("III.5 record: %+v", p.Done)
	}
}

// TestUnitFilter: with a unit chosen only its activities count; the
// units to choose from are those the year's rows name.
func TestUnitFilter(t *testing.T) {
	env := activitiesEnv(t)
	r := measureOn(t, env, vnDay(11, 10), testsupport.UnitISO)
	if n := len(item(t, r, "III.3").Done); n != 0 {
		t.Errorf("III.3 for the ISO unit: %d records", n)
	}
	if p := item(t, r, "III.5"); len(p.Done) != 1 || p.Level != progress.Done {
		t.Errorf("III.5 for the ISO unit: %+v", p)
	}
	if want := []string{testsupport.UnitISO, testsupport.UnitCentre}; !slices.Equal(r.Units, want) {
		t.Errorf("units %q, want %q", r.Units, want)
	}
}

// TestBothDeadlines: the Trung tâm's report (10/11) and the Sở's (15/11),
// each with days left or overdue.
func TestBothDeadlines(t *testing.T) {
	env := testsupport.Open(t, config.Defaults, func() time.Time { return time.Date(2022, 11, 12, 9, 0, 0, 0, vntext.Zone) })
	testsupport.ActivitiesYear(t, env)
	r, err := progress.Measure(context.Background(), env.Store, publog.New(env.Store, env.Now), 2022, env.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Due.Days != -2 || !r.Due.Overdue() {
		t.Errorf("Trung tâm's deadline: %d days, %s", r.Due.Days, r.Due.Text())
	}
	if d := r.DepartmentDue; d == nil || d.Days != 3 || d.Overdue() || !strings.Contains(d.Text(), "15/11/2022") {
		t.Fatalf("Sở's deadline: %+v", d)
	}
}

// TestActivitiesOffTheColumn: activities are the register, not the
// column: April's approved radio programme is no item of April on the
// column, nor a content update; the TV programme made a public page is
// October's. Both count in III.3.
func TestActivitiesOffTheColumn(t *testing.T) {
	env := activitiesEnv(t)
	r := measureOn(t, env, vnDay(11, 10), "")
	if m := r.Months[3]; m.Items != 0 || m.Updates != 0 {
		t.Errorf("April on the column: %d items, %d updates; want none (an activity only)", m.Items, m.Updates)
	}
	if m := r.Months[9]; m.Items != 1 {
		t.Errorf("October on the column: %d items, want 1 (the TV programme made public)", m.Items)
	}
	if n := len(item(t, r, "III.3").Done); n != 3 {
		t.Errorf("III.3 records: %d, want 3 (two radio, one TV)", n)
	}
}

// TestColumnTotalsLeaveHiddenActivitiesOut: the year's totals by kind and
// III.1's "mục công khai" count what is on the column: a hidden activity
// (a broadcast, a training) is in neither, so the total is the sum of the
// kinds' rows, and the one activity made a public page has a row of its
// own. Before, the demo's Sở report said "98 mục công khai" under a table
// whose rows summed to 56 (the 41 hidden activities and the public one
// counted in the total only).
func TestColumnTotalsLeaveHiddenActivitiesOut(t *testing.T) {
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return time.Date(2023, 1, 5, 9, 0, 0, 0, vntext.Zone) })
	r := measureOn(t, env, vnDay(12, 31), "")
	sum := progress.KindTotal{}
	var activity *progress.KindTotal
	for i, k := range r.Totals {
		sum.Publish += k.Publish
		sum.Update += k.Update
		sum.Withdraw += k.Withdraw
		sum.Republish += k.Republish
		sum.Unpublish += k.Unpublish
		if k.Kind == content.Activity {
			activity = &r.Totals[i]
		}
	}
	sum.Kind = r.Total.Kind
	if sum != r.Total {
		t.Errorf("total %+v, the kinds' rows sum to %+v", r.Total, sum)
	}
	if activity == nil || activity.Publish != 1 {
		t.Errorf("activity row %+v, want one (the public 18/5 meeting)", activity)
	}
	if r.Total.Publish != 57 {
		t.Errorf("published on the column in 2022: %d, want 57 (Phụ lục I's 57)", r.Total.Publish)
	}
	var open progress.Target
	for _, tg := range item(t, r, "III.1").Official {
		if tg.Spec.Measure == content.ColumnOpen {
			open = tg
		}
	}
	if !strings.Contains(open.Reason, "57 mục công khai") {
		t.Errorf("III.1 column open: %q, want 57 public items", open.Reason)
	}
}
