package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// PlanChannel is one channel a plan declares: its code, one of the fixed
// Channels (a plan cannot invent a code, because activities recorded under
// one code must keep counting whatever the year's plan), and the name the
// plan gives it ("Phát thanh").
type PlanChannel struct {
	Code string `yaml:"code" json:"code"`
	Name string `yaml:"name" json:"name"`
}

// channelCodes lists the codes of Channels, for a message.
func channelCodes() string {
	codes := make([]string, len(Channels))
	for i, c := range Channels {
		codes[i] = c.Code
	}
	return strings.Join(codes, ", ")
}

// ChannelCount is the measure of a channel target: at least Value
// activities through one channel in the year. It is not one of Measures:
// it is written under an item's channel_targets, never under targets.
const ChannelCount Measure = "channel_count"

// ChannelTarget is one target of a plan item on one channel (III.3: 12
// chuyên mục on radio, …), with its source like every target.
type ChannelTarget struct {
	Channel string `json:"channel"`
	Target
}

// ChannelName is the plan's name for channel code, or the code itself
// when the plan does not declare it.
func (p *Plan) ChannelName(code string) string {
	for _, c := range p.Channels {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// QuarterText is "Quý II" or "Quý I–II": the quarters an item must happen
// in, "" when it has none.
func (it PlanItem) QuarterText() string {
	if len(it.Quarters) == 0 {
		return ""
	}
	first, last := it.Quarters[0], it.Quarters[len(it.Quarters)-1]
	if first == last {
		return locale.T("content.plan.quarter", Roman(first))
	}
	return locale.T("content.plan.quarter", Roman(first)+"–"+Roman(last))
}

// Roman is n (1–4) in Roman numerals, as quarters are written.
func Roman(n int) string {
	if n >= 1 && n <= 4 {
		return []string{"I", "II", "III", "IV"}[n-1]
	}
	return fmt.Sprint(n)
}

// checkChannels reads and checks what issue 16 added to a plan file: the
// channels, each item's channel targets and quarters, and the Sở's own
// report (its due date and block). add reports a problem at a YAML path.
func (p *Plan) checkChannels(year int, add func(at, msg string)) {
	declared := map[string]bool{}
	for i, c := range p.Channels {
		at := fmt.Sprintf("$.channels[%d]", i)
		c.Code, c.Name = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name)
		p.Channels[i] = c
		switch {
		case !ValidChannel(c.Code):
			add(at, locale.T("content.plan.channel.code", c.Code, channelCodes()))
		case declared[c.Code]:
			add(at, locale.T("content.plan.channel.twice", c.Code))
		case c.Name == "":
			add(at, locale.T("content.plan.channel.name", c.Code))
		}
		declared[c.Code] = true
	}
	for i := range p.Items {
		it := &p.Items[i]
		for _, code := range slices.Sorted(maps.Keys(it.RawChannelTargets)) {
			at := fmt.Sprintf("$.items[%d].channel_targets.%s", i, code)
			if !declared[code] {
				add(fmt.Sprintf("$.items[%d].channel_targets", i), locale.T("content.plan.channel.undeclared", code))
				continue
			}
			raw, ok := it.RawChannelTargets[code].(map[string]any)
			if !ok {
				add(at, locale.T("content.plan.channel.target_shape", code))
				continue
			}
			t := Target{Measure: ChannelCount}
			if readFullTarget(&t, raw, func(field, msg string) { add(at+field, msg) }) {
				it.ChannelTargets = append(it.ChannelTargets, ChannelTarget{Channel: code, Target: t})
			}
		}
		// Channel targets follow the plan's order of channels.
		slices.SortStableFunc(it.ChannelTargets, func(a, b ChannelTarget) int {
			return slices.IndexFunc(p.Channels, func(c PlanChannel) bool { return c.Code == a.Channel }) -
				slices.IndexFunc(p.Channels, func(c PlanChannel) bool { return c.Code == b.Channel })
		})
		for j, q := range it.Quarters {
			if q < 1 || q > 4 || (j > 0 && q != it.Quarters[j-1]+1) {
				add(fmt.Sprintf("$.items[%d].quarters", i), locale.T("content.plan.quarters", it.ID))
				break
			}
		}
	}
	if p.DepartmentDueText != "" {
		var err error
		if p.DepartmentDue, err = vntext.ParseDate(p.DepartmentDueText); err != nil {
			add("$.department_report_due", locale.T("content.field.problem", "department_report_due", locale.Text(err)))
		}
	} else if p.DepartmentReport != nil {
		// The plan's own default (section V): the Sở reports before 15
		// November.
		p.DepartmentDue = time.Date(year, time.November, 15, 0, 0, 0, 0, vntext.Zone)
	}
	if p.DepartmentReport != nil {
		p.DepartmentReport.checkAt("$.department_report", add)
	}
}
