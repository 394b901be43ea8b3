package content

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	demo "cchc/content"
)

func TestParsePlanReal(t *testing.T) {
	data, err := demo.FS.ReadFile("plans/2022.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePlan("content/plans/2022.yaml", 2022, data)
	if err != nil {
		t.Fatalf("ParsePlan: %v", err)
	}
	var iii1, iii2, iii3, iii4, iii5, iii6 PlanItem
	for _, it := range p.Items {
		switch it.ID {
		case "III.1":
			iii1 = it
		case "III.2":
			iii2 = it
		case "III.3":
			iii3 = it
		case "III.4":
			iii4 = it
		case "III.5":
			iii5 = it
		case "III.6":
			iii6 = it
		}
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"number", p.Number, "272/KH-SKHCN"},
		{"year", p.Year, 2022},
		{"areas", len(p.Areas), 9},
		{"area address from the title", p.Areas[3].URL(), "/chu-de/cai-cach-thu-tuc-hanh-chinh"},
		{"area address the plan gives", p.Areas[0].URL(), "/chu-de/van-ban-chi-dao"},
		{"items", len(p.Items), 6},
		{"first area", p.Areas[0].ID, "II.1"},
		{"last area", p.Areas[8].ID, "II.5"},
		{"III.1 tracked", iii1.Tracked, true},
		// The plan says "thường xuyên" and "tất cả"; the numbers are the
		// centre's own.
		{"III.1 targets", targetList(iii1.Targets), "column_open/plan regular_updates/plan articles_per_month=2/internal"},
		{"III.2 targets", targetList(iii2.Targets), "all_procedures/plan all_plan_documents/plan areas_covered/plan each_area_per_quarter=1/internal"},
		{"III.1 internal target set by", mustTarget(iii1.Targets, ArticlesPerMonth).SetBy, "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ"},
		{"III.2 plan wording", mustTarget(iii2.Targets, AllProcedures).Wording, "Đăng tải công khai tất cả các thủ tục hành chính"},
		{"procedure list", p.ProcedureList, "2022-tthc.csv"},
		// Issue 16: every item is tracked; III.3 counts per channel, as
		// the plan states it; III.4–III.6 are bound to quarters.
		{"III.3 tracked", iii3.Tracked, true},
		{"III.3 channel targets", channelTargetList(iii3.ChannelTargets), "phat-thanh=12 truyen-hinh=12 bao-in=12 ban-tin=6"},
		{"III.3 radio wording", iii3.ChannelTargets[0].Wording, "Thực hiện 12 chuyên mục khoa học và công nghệ trên sóng phát thanh"},
		{"III.4 quarters", iii4.QuarterText(), "Quý II"},
		{"III.5 quarters", iii5.QuarterText(), "Quý I–II"},
		{"III.6 quarters", iii6.QuarterText(), "Quý IV"},
		{"III.6 tracked", iii6.Tracked, true},
		{"channels", len(p.Channels), 8},
		{"channel name", p.ChannelName("bao-in"), "Báo in"},
		{"department report due", p.DepartmentDue.Equal(day(2022, 11, 15)), true},
		{"department report to", p.DepartmentReport.To, "Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông)"},
		{"department report signer", p.DepartmentReport.Signer.Authority + " / " + p.DepartmentReport.Signer.Position + " / " + p.DepartmentReport.Signer.Name, "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / "},
		{"issued", p.Issued.Equal(day(2022, 3, 15)), true},
		{"report due", p.ReportDue.Equal(day(2022, 11, 10)), true},
		{"implements", strings.Join(p.Implements, " "), "34/KH-UBND 305/HD-STTTT"},
		{"documents", len(p.Documents), 10},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if a, ok := p.Area("II.2.c"); !ok || a.Title != "Cải cách thủ tục hành chính" {
		t.Errorf("Area(II.2.c) = %+v, %v", a, ok)
	}
	if _, ok := p.Area("II.4"); ok {
		t.Errorf("Area(II.4) found; the plan has no II.4")
	}
}

const planSrc = `number: 272/KH-SKHCN
title: Kế hoạch tuyên truyền
issued: 2022-03-15
year: 2022
areas:
  - {id: II.1, title: Văn bản chỉ đạo}
items:
  - id: III.1
    title: Mở mục tuyên truyền
    tracked: true
    targets: {articles_per_month: 2}
`

func TestParsePlan(t *testing.T) {
	const path = "content/plans/2022.yaml"
	tests := []struct {
		name   string
		year   int
		src    string
		line   int    // 0: success
		phrase string // on success, the expected report due date
	}{
		{"report due defaults to 10 November", 2022, planSrc, 0, "10/11/2022"},
		{"explicit report due", 2022, planSrc + "report_due: 5/11/2022\n", 0, "05/11/2022"},
		{"unknown top-level key", 2022, strings.Replace(planSrc, "year: 2022\n", "year: 2022\nowner: Sở\n", 1), 5, "trường không được phép"},
		{"unknown key in an item", 2022, strings.Replace(planSrc, "    tracked: true\n", "    tracked: true\n    budget: 10\n", 1), 11, "trường không được phép"},
		{"year differs from file name", 2023, planSrc, 4, "năm trong tệp (2022) khác năm của tên tệp (2023)"},
		{"impossible issue date", 2022, strings.Replace(planSrc, "2022-03-15", "31/02/2022", 1), 3, `"issued": ngày "31/02/2022" không có thật`},
		{"bad report due", 2022, planSrc + "report_due: ngày mai\n", 12, `"report_due"`},
		{"missing title", 2022, strings.Replace(planSrc, "title: Kế hoạch tuyên truyền\n", "", 1), 1, `thiếu trường bắt buộc "title"`},
		{"bad area id", 2022, strings.Replace(planSrc, "id: II.1,", "id: III.9,", 1), 6, `nội dung "III.9" cần id dạng II.1`},
		{"bad area slug", 2022, strings.Replace(planSrc, "title: Văn bản chỉ đạo}", "title: Văn bản chỉ đạo, slug: Văn bản}", 1), 6, `slug "Văn bản" không dùng được làm địa chỉ; viết dạng chữ thường không dấu nối bằng gạch ngang, ví dụ "van-ban"`},
		{"two areas, one address", 2022, strings.Replace(planSrc, "  - {id: II.1, title: Văn bản chỉ đạo}\n", "  - {id: II.1, title: Văn bản chỉ đạo}\n  - {id: II.2.a, title: Khác, slug: van-ban-chi-dao}\n", 1), 7, `nội dung "II.2.a" có cùng địa chỉ /chu-de/van-ban-chi-dao với nội dung "II.1"`},
		{"duplicate item", 2022, planSrc + "  - {id: III.1, title: Lặp}\n", 12, `mục "III.1" khai báo hai lần`},
		{"negative target", 2022, strings.Replace(planSrc, "articles_per_month: 2", "articles_per_month: -1", 1), 11, "chỉ tiêu không được âm"},
		{"unknown measure", 2022, strings.Replace(planSrc, "articles_per_month: 2", "bai_moi_thang: 2", 1), 11, `chỉ tiêu "bai_moi_thang" không có`},
		{"plan target without wording", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      column_open: {source: plan}", 1), 12, "cần wording"},
		{"internal target without set_by", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      articles_per_month:\n        value: 2\n        source: internal", 1), 14, "cần set_by"},
		{"full target without source", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      articles_per_month: {value: 2}", 1), 12, "cần source: plan"},
		{"unknown source", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      articles_per_month: {value: 2, source: trung-tam, set_by: x}", 1), 12, `phải là plan hoặc internal, không phải "trung-tam"`},
		{"plan target with set_by", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      column_open: {source: plan, wording: x, set_by: y}", 1), 12, "không có set_by"},
		{"count without value", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      articles_per_month: {source: internal, set_by: y}", 1), 12, "cần value"},
		{"value on a yes/no measure", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      all_procedures: {value: 3, source: plan, wording: x}", 1), 12, "không có số lượng"},
		{"unknown field in a target", 2022, strings.Replace(planSrc, "{articles_per_month: 2}", "\n      column_open: {source: plan, wording: x, due: 2022}", 1), 12, `trường không được phép: "due"`},
		{"list outside plans", 2022, planSrc + "procedure_list: ../tthc.csv\n", 12, `"procedure_list" phải là tên một tệp .csv hoặc .xlsx`},
		{"list of another type", 2022, planSrc + "procedure_list: tthc.pdf\n", 12, `"procedure_list"`},
		{"broken yaml", 2022, "number: \"272\ntitle: x\n", 1, ""},
		{"empty", 2022, "\n \n", 1, "tệp trống"},
		{"invalid utf-8", 2022, "number: 1\ntitle: \xff\n", 2, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePlan(path, tt.year, []byte(tt.src))
			if tt.line == 0 {
				if err != nil {
					t.Fatalf("ParsePlan: %v", err)
				}
				if got := p.ReportDue.In(ict).Format("02/01/2006"); got != tt.phrase {
					t.Errorf("report due = %s, want %s", got, tt.phrase)
				}
				if len(p.Areas) != 1 || len(p.Items) != 1 || targetList(p.Items[0].Targets) != "articles_per_month=2/" {
					t.Errorf("plan = %+v", p)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("err = %v, want Errors", err)
			}
			prefix := fmt.Sprintf("%s:%d: ", path, tt.line)
			for _, e := range errs {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.phrase) {
					return
				}
			}
			t.Errorf("errors:\n%v\nwant one starting with %q and containing %q", err, prefix, tt.phrase)
		})
	}
}

func TestPlanYear(t *testing.T) {
	tests := []struct {
		name string
		want int
		ok   bool
	}{
		{"2022.yaml", 2022, true},
		{"2022.yml", 0, false},
		{"ke-hoach-2022.yaml", 0, false},
		{"22.yaml", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PlanYear(tt.name)
			if got != tt.want || ok != tt.ok {
				t.Errorf("PlanYear(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func targetList(ts Targets) string {
	var out []string
	for _, t := range ts {
		s := string(t.Measure)
		if t.Value != 0 {
			s += fmt.Sprintf("=%d", t.Value)
		}
		out = append(out, s+"/"+string(t.Source))
	}
	return strings.Join(out, " ")
}

func mustTarget(ts Targets, m Measure) Target {
	t, _ := ts.Get(m)
	return t
}

// TestTargetsStoredBefore: a plan stored before targets had sources (its
// targets a JSON object) reads back with the same targets, source unstated.
func TestTargetsStoredBefore(t *testing.T) {
	var it PlanItem
	if err := json.Unmarshal([]byte(`{"id":"III.2","title":"x","tracked":true,"targets":{"all_procedures":true,"all_plan_documents":false,"each_area_per_quarter":1}}`), &it); err != nil {
		t.Fatal(err)
	}
	if got := targetList(it.Targets); got != "all_procedures/ each_area_per_quarter=1/" {
		t.Errorf("targets %q", got)
	}
	b, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	var again PlanItem
	if err := json.Unmarshal(b, &again); err != nil || targetList(again.Targets) != targetList(it.Targets) {
		t.Errorf("round trip %s: %v %q", b, err, targetList(again.Targets))
	}
}

// TestFullTargets: a target written in full keeps its source, words and
// who set it; the short form still reads, as unstated.
func TestFullTargets(t *testing.T) {
	src := strings.Replace(planSrc, "{articles_per_month: 2}", `
      column_open: {source: plan, wording: "Mở mục tuyên truyền"}
      regular_updates: {value: 3, source: plan, wording: "Thường xuyên trong năm"}
      articles_per_month: {value: 4, source: internal, set_by: "Trung tâm", wording: "Bốn bài"}
      all_procedures: true
      each_area_per_quarter: 0`, 1)
	p, err := ParsePlan("p.yaml", 2022, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ts := p.Items[0].Targets
	if got := targetList(ts); got != "column_open/plan regular_updates=3/plan articles_per_month=4/internal all_procedures/" {
		t.Errorf("targets %q", got)
	}
	labels := []string{}
	for _, tg := range ts {
		labels = append(labels, tg.SourceLabel())
	}
	if want := []string{"Theo Kế hoạch", "Theo Kế hoạch", "Chỉ tiêu nội bộ do Trung tâm đặt", "Chỉ tiêu nội bộ (tệp kế hoạch không ghi nguồn)"}; strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("labels %q", labels)
	}
}

// TestPlanReportBlock: the report block is read with the plan, and each of
// its problems is a line of the file.
func TestPlanReportBlock(t *testing.T) {
	const path = "plans/2022.yaml"
	block := `report:
  parent: Sở Khoa học và Công nghệ
  unit: Trung tâm Ứng dụng
  symbol: BC-TTUD
  place: Quảng Ngãi
  to: Sở Khoa học và Công nghệ
  recipients: [Như trên;, "- Lưu: VT."]
  signer: {authority: KT. GIÁM ĐỐC, position: PHÓ GIÁM ĐỐC}
`
	p, err := ParsePlan(path, 2022, []byte(planSrc+block))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Report
	if r == nil || r.Symbol != "BC-TTUD" || r.Signer.Authority != "KT. GIÁM ĐỐC" || r.Signer.Name != "" ||
		len(r.Recipients) != 2 || r.Recipients[1] != "Lưu: VT." {
		t.Fatalf("report block read as %+v", r)
	}
	if p, err := ParsePlan(path, 2022, []byte(planSrc)); err != nil || p.Report != nil {
		t.Fatalf("a plan without the block: %v, %+v", err, p)
	}
	lines := strings.Count(planSrc, "\n")
	tests := []struct {
		name, from, to string
		line           int
		want           string
	}{
		{"bad symbol", "symbol: BC-TTUD", "symbol: TTUD", lines + 4, "ký hiệu báo cáo"},
		{"missing unit", "  unit: Trung tâm Ứng dụng\n", "", lines + 2, "report.unit"},
		{"missing position", "position: PHÓ GIÁM ĐỐC", "name: X", lines + 2, "report.signer.position"},
		{"empty recipient", "[Như trên;, ", "[Như trên;, \"  \", ", lines + 7, "Nơi nhận"},
		{"unknown field", "  place:", "  seal: yes\n  place:", lines + 5, "trường không được phép"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlan(path, 2022, []byte(planSrc+strings.Replace(block, tt.from, tt.to, 1)))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err %v", err)
			}
			if errs[0].Line != tt.line || !strings.Contains(errs[0].Msg, tt.want) {
				t.Errorf("got %d: %s; want line %d with %q", errs[0].Line, errs[0].Msg, tt.line, tt.want)
			}
		})
	}
}

func channelTargetList(ts []ChannelTarget) string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%s=%d", t.Channel, t.Value))
		if !t.Official() {
			out = append(out, "(not the plan's)")
		}
	}
	return strings.Join(out, " ")
}

// TestParsePlanChannels: bad channel codes, targets on undeclared
// channels, and quarters that are not consecutive quarters of a year are
// refused at their line.
func TestParsePlanChannels(t *testing.T) {
	base := planSrc + `channels:
  - {code: phat-thanh, name: Phát thanh}
  - {code: ban-tin, name: Bản tin}
`
	cases := []struct {
		name, extra string
		line        int
		want        string
	}{
		{"unknown channel code", "  - {code: radio, name: Radio}\n", 15, "kênh \"radio\" không có trong danh sách cố định"},
		{"channel twice", "  - {code: ban-tin, name: Bản tin}\n", 15, "kênh \"ban-tin\" khai báo hai lần"},
		{"channel without a name", "  - {code: khac, name: \"\"}\n", 15, "kênh \"khac\" cần một tên"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePlan("plans/2022.yaml", 2022, []byte(base+c.extra))
			wantError(t, err, c.line, c.want)
		})
	}
	items := `number: 1/KH
title: K
issued: 2022-03-15
year: 2022
channels:
  - {code: phat-thanh, name: Phát thanh}
items:
  - id: III.3
    title: Chuyên mục
    channel_targets:
      %s
  - id: III.4
    title: Ngày 18/5
    quarters: %s
`
	for _, c := range []struct {
		name, targets, quarters string
		line                    int
		want                    string
	}{
		{"target on an undeclared channel", "truyen-hinh: {value: 12, source: plan, wording: 12 chuyên mục}", "[2]", 11, "kênh \"truyen-hinh\" chưa khai báo"},
		{"target without a number", "phat-thanh: {source: plan, wording: 12 chuyên mục}", "[2]", 11, "channel_count"},
		{"target in short form", "phat-thanh: 12", "[2]", 11, "phải viết đầy đủ"},
		{"quarter 5", "phat-thanh: {value: 12, source: plan, wording: 12 chuyên mục}", "[5]", 14, "quarters phải là các quý liên tiếp"},
		{"quarters not consecutive", "phat-thanh: {value: 12, source: plan, wording: 12 chuyên mục}", "[1, 3]", 14, "quarters phải là các quý liên tiếp"},
		{"quarter 0", "phat-thanh: {value: 12, source: plan, wording: 12 chuyên mục}", "[0]", 14, "mục \"III.4\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePlan("plans/2022.yaml", 2022, []byte(fmt.Sprintf(items, c.targets, c.quarters)))
			wantError(t, err, c.line, c.want)
		})
	}
	good := fmt.Sprintf(items, "phat-thanh: {value: 12, source: plan, wording: 12 chuyên mục}", "[1, 2]")
	p, err := ParsePlan("plans/2022.yaml", 2022, []byte(good))
	if err != nil {
		t.Fatalf("good plan: %v", err)
	}
	if got := channelTargetList(p.Items[0].ChannelTargets); got != "phat-thanh=12" {
		t.Errorf("channel targets = %q", got)
	}
	if !p.DepartmentDue.IsZero() {
		t.Errorf("a plan without a department report has its deadline %v", p.DepartmentDue)
	}
}

// wantError checks that err is one path:line error at line whose message
// holds want.
func wantError(t *testing.T, err error, line int, want string) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("err = %v, want a path:line error", err)
	}
	for _, e := range errs {
		if e.Line == line && strings.Contains(e.Msg, want) && e.Path == "plans/2022.yaml" {
			return
		}
	}
	t.Fatalf("errors %v, want one at line %d with %q", errs, line, want)
}
