package report_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"cchc/internal/admin"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/report"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
	"cchc/internal/web"
	"cchc/themes"
)

// activityClock: 12/11/2022, two days after the Trung tâm's deadline and
// three before the Sở's.
var activityClock = time.Date(2022, 11, 12, 9, 0, 0, 0, vntext.Zone)

// activityServer is the report routes over the activities year
// (testsupport.ActivitiesYear) on a real migrated database.
func activityServer(t *testing.T) (http.Handler, *app.Env) {
	t.Helper()
	now := func() time.Time { return activityClock }
	env := testsupport.Open(t, config.Defaults, now)
	testsupport.ActivitiesYear(t, env)
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
	adm.Register(r)
	report.New(report.Config{Admin: adm, Store: env.Store, Now: now, Log: env.Log}).Register(r.Group("/bao-cao"))
	return r, env
}

// TestDashboardActivities: every plan item has its row with its unit in
// charge and status; III.3 its channels against the plan's numbers by
// quarter and month; the records link to the workspace and to their
// evidence; both deadlines with days overdue or left; ?don-vi= limits
// the records to a unit's.
func TestDashboardActivities(t *testing.T) {
	h, _ := activityServer(t)
	w := testsupport.Get(h, "/bao-cao/?nam=2022&den=2022-11-10")
	if w.Code != 200 {
		t.Fatalf("dashboard: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"Chưa ghi nhận việc gửi báo cáo: đã quá hạn 2 ngày (hạn 10/11/2022)",
		"Hạn báo cáo của Sở", "Còn 3 ngày đến hạn báo cáo (15/11/2022)", `href="/bao-cao/in?nam=2022&amp;den=2022-11-10&amp;cap=so"`,
		"Số lượng theo kênh so với kế hoạch",
		// Radio: 02 of 02, both in Q2, April and June.
		`<th scope="row">Phát thanh</th><td>02</td><td>02</td><td>0</td><td>2</td><td>0</td><td>0</td><td>Tháng 4: 01; Tháng 6: 01</td><td><span class="badge level-hoan-thanh">Hoàn thành</span></td>`,
		`<th scope="row">Bản tin</th><td>01</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>—</td><td><span class="badge level-dang-thuc-hien">Đang thực hiện</span> (còn thiếu 1)</td>`,
		"Đơn vị chủ trì: Chi cục Tiêu chuẩn Đo lường Chất lượng; thời gian: Quý IV",
		"Đơn vị chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng; thời gian: Quý I–II",
		`<a href="/media/2022/bang-chung-tap-huan-iso.pdf">minh chứng 1</a>`, `<a href="https://skhcn.quangngai.gov.vn/tap-huan-iso">minh chứng 2</a>`,
		"10/06/2022–11/06/2022", "35 người tham dự",
		`/106">tap-huan-iso</a>`, `href="/quan-tri/`,
		`<option value="Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard: no %q", want)
		}
	}
	// Every item has its status; III.6 (Quý IV, nothing yet) is running.
	for _, id := range []string{"III.1", "III.2", "III.3", "III.4", "III.5", "III.6"} {
		if !strings.Contains(body, "<strong>"+id+"</strong>") {
			t.Errorf("no row for %s", id)
		}
	}
	if strings.Contains(body, "Không theo dõi") {
		t.Error("an item is still not tracked")
	}

	unit := testsupport.UnitISO
	w = testsupport.Get(h, "/bao-cao/?nam=2022&den=2022-11-10&don-vi="+url.QueryEscape(unit))
	body = w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `<option value="`+unit+`" selected>`) || !strings.Contains(body, "tap-huan-iso</a>") ||
		strings.Contains(body, `/101">phat-thanh-thang-4</a>`) {
		t.Errorf("filtered by %s: %d, the other unit's records shown or its own missing", unit, w.Code)
	}
}
