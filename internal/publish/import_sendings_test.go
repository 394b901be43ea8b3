package publish_test

import (
	"strings"
	"testing"
)

const lateSending = `# The district's report, sent after the 15/11 deadline.
- sent_on: 25/11/2022
  number: 98/BC-UBND
  note: Gửi sau hạn 15/11/2022.
`

// TestImportSendings: reports/YEAR.yaml records the year's reports sent,
// for the agency whose tree holds it, with an audit row each; a second
// import writes nothing.
func TestImportSendings(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{
		"reports/2022.yaml":                              "- {sent_on: 2022-11-08, number: 45/BC-TTUD}\n- {report: so, sent_on: 2022-11-14, number: 12/BC-SKHCN}\n",
		"agencies/ubnd-huyen-son-tinh/agency.yaml":       "name: Ủy ban nhân dân huyện Sơn Tịnh\nshort_name: UBND huyện Sơn Tịnh\nprefix: /huyen-son-tinh\n",
		"agencies/ubnd-huyen-son-tinh/reports/2022.yaml": lateSending,
	})
	res := e.importFS(t, fsys)
	if res.Failed != 0 {
		t.Fatalf("failed: %v", res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM report_sendings WHERE agency_id = 1 AND year = 2022`); n != 2 {
		t.Errorf("agency 1: %d sendings, want 2", n)
	}
	if got := e.str(t, `SELECT r.sent_on || ' ' || r.number || ' ' || r.recorded_by FROM report_sendings r JOIN agencies a ON a.id = r.agency_id WHERE a.slug = 'ubnd-huyen-son-tinh'`); got != "2022-11-25 98/BC-UBND import" {
		t.Errorf("the district's sending: %q", got)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'report_sent' AND actor = 'import'`); n != 3 {
		t.Errorf("%d audit rows, want 3", n)
	}
	e.importFS(t, fsys)
	if n := e.count(t, `SELECT COUNT(*) FROM report_sendings`); n != 3 {
		t.Errorf("after a second import: %d sendings, want 3", n)
	}
	// A report dated after today (the clock) is not recorded yet: a
	// warning at its line, and recorded by an import once its day came.
	fsys["reports/2022.yaml"].Data = append(fsys["reports/2022.yaml"].Data, "- {sent_on: 2022-12-20, number: 50/BC-TTUD}\n"...)
	res = e.importFS(t, fsys)
	if res.Failed != 0 || len(res.Warnings) == 0 || !strings.HasPrefix(res.Warnings[0].Error(), "content/reports/2022.yaml:3: cảnh báo: ngày gửi 20/12/2022 chưa đến") {
		t.Errorf("a report dated later: failed %d, warnings %v", res.Failed, res.Warnings)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM report_sendings`); n != 3 {
		t.Errorf("a report dated later was recorded: %d sendings", n)
	}
	e.now = e.now.AddDate(0, 1, 0)
	e.importFS(t, fsys)
	if n := e.count(t, `SELECT COUNT(*) FROM report_sendings WHERE number = '50/BC-TTUD'`); n != 1 {
		t.Errorf("once its day came: %d rows", n)
	}
}

// TestImportSendingsHostile: a record the dashboard's form would refuse is
// refused as path:line, with the whole file.
func TestImportSendingsHostile(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"before the year", "- {sent_on: 2021-12-31, number: 1/BC}\n", "content/reports/2022.yaml:1: Báo cáo năm 2022 không thể gửi trước năm 2022"},
		{"no number", "- {sent_on: 2022-11-20, number: ''}\n", "content/reports/2022.yaml:1: Nhập số, ký hiệu"},
		{"long number", "- {sent_on: 2022-11-20, number: " + strings.Repeat("9", 61) + "}\n", "content/reports/2022.yaml:1: Số, ký hiệu dài quá 60"},
		{"control in number", "- {sent_on: 2022-11-20, number: \"1/BC\\u0007\"}\n", "content/reports/2022.yaml:1: "},
		{"bad report", "- {sent_on: 2022-11-20, number: 1/BC}\n- {report: tinh, sent_on: 2022-11-20, number: 2/BC}\n", "content/reports/2022.yaml:2: "},
		{"unknown field", "- {sent_on: 2022-11-20, number: 1/BC, file: x.pdf}\n", "content/reports/2022.yaml:1: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.importFS(t, tree(map[string]string{"reports/2022.yaml": tc.file}))
			if res.Failed != 1 || len(res.Errors) == 0 || !strings.HasPrefix(res.Errors[0].Error(), tc.want) {
				t.Errorf("failed %d, errors %v; want one starting %q", res.Failed, res.Errors, tc.want)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM report_sendings`); n != 0 {
				t.Errorf("%d sendings written", n)
			}
		})
	}
}
