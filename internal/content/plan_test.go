package content

import (
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
	var iii1, iii2, iii3 PlanItem
	for _, it := range p.Items {
		switch it.ID {
		case "III.1":
			iii1 = it
		case "III.2":
			iii2 = it
		case "III.3":
			iii3 = it
		}
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"number", p.Number, "272/KH-SKHCN"},
		{"year", p.Year, 2022},
		{"areas", len(p.Areas), 9},
		{"items", len(p.Items), 6},
		{"first area", p.Areas[0].ID, "II.1"},
		{"last area", p.Areas[8].ID, "II.5"},
		{"III.1 tracked", iii1.Tracked, true},
		{"III.1 articles per month", iii1.Targets.ArticlesPerMonth, 2},
		{"III.2 all procedures", iii2.Targets.AllProcedures, true},
		{"III.2 all plan documents", iii2.Targets.AllPlanDocuments, true},
		{"III.2 each area per quarter", iii2.Targets.EachAreaPerQuarter, 1},
		{"III.3 not tracked", iii3.Tracked, false},
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
		{"duplicate item", 2022, planSrc + "  - {id: III.1, title: Lặp}\n", 12, `mục "III.1" khai báo hai lần`},
		{"negative target", 2022, strings.Replace(planSrc, "articles_per_month: 2", "articles_per_month: -1", 1), 11, "chỉ tiêu không được âm"},
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
				if len(p.Areas) != 1 || len(p.Items) != 1 || p.Items[0].Targets.ArticlesPerMonth != 2 {
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
