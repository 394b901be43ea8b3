package testsupport

import (
	"context"
	"database/sql"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/app"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Units of the activities year (issue 16), as the plan writes them.
const (
	UnitCentre = "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ"
	UnitISO    = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
	UnitOffice = "Phòng Hành chính – Tổng hợp"
)

// ActivityPlan is a plan file for the activities year: the six items of
// plan 272/KH-SKHCN with small targets — III.3 asks for 2 radio programmes
// and 1 newsletter; III.4 is Quý II, III.5 Quý I–II, III.6 Quý IV — both
// deadlines (10/11 and 15/11) and the Sở's report block.
var ActivityPlan = fstest.MapFS{"plans/2022.yaml": {Data: []byte(`number: 272/KH-SKHCN
title: Kế hoạch tuyên truyền cải cách hành chính năm 2022
issuer: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi
issued: 2022-03-15
year: 2022
report_due: 2022-11-10
report:
  parent: Sở Khoa học và Công nghệ
  unit: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
  symbol: BC-TTUD
  place: Quảng Ngãi
  to: Sở Khoa học và Công nghệ (qua Phòng Hành chính – Tổng hợp)
  recipients: [Như trên;, "Lưu: VT."]
  signer: {authority: KT. GIÁM ĐỐC, position: PHÓ GIÁM ĐỐC, name: ""}
department_report_due: 2022-11-15
department_report:
  parent: Ủy ban nhân dân tỉnh Quảng Ngãi
  unit: Sở Khoa học và Công nghệ
  symbol: BC-SKHCN
  place: Quảng Ngãi
  to: Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông)
  recipients: [Như trên;, Sở Thông tin và Truyền thông;, "Lưu: VT, HCTH."]
  signer: {authority: KT. GIÁM ĐỐC, position: PHÓ GIÁM ĐỐC, name: ""}
channels:
  - {code: phat-thanh, name: Phát thanh}
  - {code: truyen-hinh, name: Truyền hình}
  - {code: bao-in, name: Báo in}
  - {code: ban-tin, name: Bản tin}
  - {code: tap-huan, name: Tập huấn}
areas:
  - {id: II.1, title: Văn bản chỉ đạo}
items:
  - id: III.1
    title: Mở mục tuyên truyền
    lead: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
    tracked: true
    targets:
      articles_per_month: {value: 1, source: internal, set_by: Trung tâm}
  - id: III.2
    title: Đăng tải công khai
    lead: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
    tracked: true
    targets:
      areas_covered: {source: plan, wording: Đăng tải các nội dung tuyên truyền tại mục II}
  - id: III.3
    title: Bản tin và chuyên mục khoa học và công nghệ
    lead: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
    tracked: true
    channel_targets:
      phat-thanh: {value: 2, source: plan, wording: 02 chuyên mục trên sóng phát thanh}
      ban-tin: {value: 1, source: plan, wording: 01 bản tin}
  - id: III.4
    title: Hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5
    lead: Phòng Hành chính – Tổng hợp; Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
    quarters: [2]
    tracked: true
  - id: III.5
    title: Tập huấn ISO 9001:2015
    lead: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng
    quarters: [1, 2]
    tracked: true
  - id: III.6
    title: Kiểm tra ISO 9001:2015
    lead: Chi cục Tiêu chuẩn Đo lường Chất lượng
    quarters: [4]
    tracked: true
`)}}

// day is 08:00 on a day of 2022 in Vietnam.
func day(month time.Month, d int) time.Time {
	return time.Date(2022, month, d, 8, 0, 0, 0, vntext.Zone)
}

// ActivitiesYear imports ActivityPlan into env and records, through the
// publication log's own Append (in a transaction, as the workflow does),
// the year the issue-16 tests count:
//
//   - 2 radio programmes for III.3, dated 12/4 and 30/6, the second
//     approved on 2/7 (it counts in June, by its own date);
//   - a newsletter dated 1/9, approved, then withdrawn on 5/9 (not
//     counted: the newsletter target stays short);
//   - a TV programme dated 1/10 (no target on TV: listed, not judged),
//     made a public page (so also on the column);
//   - a printed-newspaper column dated 20/11, recorded on 5/11 ahead of
//     time (after a 10/11 cut-off: not counted);
//   - the 18/5 article, serving III.4 and III.1, published on 18/5,
//     updated on 20/5 and logged again (withdrawn and republished) in June:
//     one Record in each item, never two;
//   - an ISO training (III.5) of the ISO unit, 10–11/6, with 35 attending
//     and two pieces of evidence.
//
// Nothing is recorded for III.6 (Quý IV).
func ActivitiesYear(t testing.TB, env *app.Env) {
	t.Helper()
	Import(t, env, ActivityPlan)
	ctx := context.Background()
	activity := func(id int64, plan, channel, title, unit string, date, end time.Time) *store.Item {
		it := &store.Item{ID: id, UID: "hoat-dong-" + title}
		it.Kind, it.Title, it.Slug, it.PlanItem = content.Activity, title, title, plan
		it.Channel, it.Unit, it.Date, it.DateEnd = channel, unit, date, end
		it.Evidence = []string{"/media/2022/bang-chung-" + title + ".pdf"}
		return it
	}
	radio1 := activity(101, "III.3", "phat-thanh", "phat-thanh-thang-4", UnitCentre, day(4, 12), time.Time{})
	radio2 := activity(102, "III.3", "phat-thanh", "phat-thanh-thang-6", UnitCentre, day(6, 30), time.Time{})
	news := activity(103, "III.3", "ban-tin", "ban-tin-so-3", UnitCentre, day(9, 1), time.Time{})
	tv := activity(104, "III.3", "truyen-hinh", "truyen-hinh-thang-10", UnitCentre, day(10, 1), time.Time{})
	tv.Item.Public = true
	paper := activity(105, "III.3", "bao-in", "bao-in-thang-11", UnitCentre, day(11, 20), time.Time{})
	training := activity(106, "III.5", "tap-huan", "tap-huan-iso", UnitISO, day(6, 10), day(6, 11))
	training.Audience = 35
	training.Evidence = append(training.Evidence, "https://skhcn.quangngai.gov.vn/tap-huan-iso")
	article := &store.Item{ID: 107, UID: "tin-18-5"}
	article.Kind, article.Title, article.Slug, article.PlanItem = content.Article, "Hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5", "huong-ung-18-5", "III.4"
	article.PlanItems = []string{"III.1", "III.4", "III.1"}

	events := []publish.Event{
		{Type: publish.EventPublish, At: day(4, 15), Item: radio1},
		{Type: publish.EventPublish, At: day(5, 18), Item: article},
		{Type: publish.EventUpdate, At: day(5, 20), Item: article, Note: "Bổ sung ảnh"},
		{Type: publish.EventWithdraw, At: day(6, 1), Item: article, Note: "Sửa lỗi"},
		{Type: publish.EventRepublish, At: day(6, 2), Item: article},
		{Type: publish.EventPublish, At: day(6, 12), Item: training},
		{Type: publish.EventPublish, At: day(7, 2), Item: radio2},
		{Type: publish.EventPublish, At: day(9, 2), Item: news},
		{Type: publish.EventWithdraw, At: day(9, 5), Item: news, Note: "Trùng số"},
		{Type: publish.EventPublish, At: day(10, 3), Item: tv},
		{Type: publish.EventPublish, At: day(11, 5), Item: paper},
	}
	for _, ev := range events {
		at := ev.At
		log := publog.New(env.Store, func() time.Time { return at })
		ev.Actor = "duyet"
		err := env.Store.Tx(ctx, func(tx *sql.Tx) error { return log.Append(ctx, tx, ev) })
		if err != nil {
			t.Fatalf("log %s of %s: %v", ev.Type, ev.Item.Slug, err)
		}
	}
}
