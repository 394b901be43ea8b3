package content

import (
	"errors"
	"strings"
	"testing"

	"cchc/internal/vntext"
)

// FuzzParsePlan: any bytes give a plan or path:line errors, never a panic;
// an accepted plan holds no control character; a plan with an anchor or
// alias is never accepted. Seeds in testdata/fuzz/FuzzParsePlan: the real
// plan, the 743-byte billion laughs, deep nesting, an escape in a title.
func FuzzParsePlan(f *testing.F) {
	f.Add([]byte("number: 1/KH\ntitle: K\nissued: 2022-01-01\nyear: 2022\nareas: [{id: II.1, title: \"A\\e\"}]\n"))
	f.Add([]byte("year: 2022\nitems: [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]\n"))
	// Issue 16: channels, a channel target, quarters, the Sở's report.
	f.Add([]byte("number: 1/KH\ntitle: K\nissued: 2022-03-15\nyear: 2022\nchannels: [{code: ban-tin, name: B}]\n" +
		"department_report_due: 2022-11-15\nitems:\n  - id: III.3\n    title: T\n    quarters: [1, 2]\n" +
		"    channel_targets: {ban-tin: {value: 6, source: plan, wording: W}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlan("content/plans/2022.yaml", 2022, data)
		if err == nil {
			text := p.Number + p.Title + p.Issuer + strings.Join(p.Documents, "") + strings.Join(p.Implements, "")
			for _, a := range p.Areas {
				text += a.ID + a.Title
			}
			for _, it := range p.Items {
				text += it.ID + it.Title + it.Lead + it.Partners + it.Schedule
				for _, ct := range it.ChannelTargets {
					text += ct.Channel + ct.Wording
				}
			}
			for _, c := range p.Channels {
				text += c.Code + c.Name
			}
			if vntext.ControlAt(text) >= 0 {
				t.Fatalf("accepted plan holds a control character: %q", text)
			}
			if strings.ContainsAny(string(data), "&*") {
				if line, _ := checkYAMLTokens(string(data)); line > 0 {
					t.Fatalf("accepted a plan its token check refuses at line %d", line)
				}
			}
			return
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T %q is not a non-empty Errors", err, err)
		}
		for _, e := range errs {
			if e.Path != "content/plans/2022.yaml" || e.Line < 0 || e.Msg == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}
