package content

import (
	"slices"
	"strings"
	"testing"
)

const activitySrc = `---
title: Chuyên mục khoa học và công nghệ tháng 3 trên sóng phát thanh
plan_item: III.3
plan_items: [III.4, III.3]
channel: Phat-Thanh
date: 2022-03-20
date_end: 22/03/2022
place: Đài Phát thanh – Truyền hình Quảng Ngãi
unit: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ
audience: 45
evidence:
  - https://example.gov.vn/chuyen-muc-3.mp3
  - /tep/` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.pdf" + `
  - minh-chung/ban-tin-1.pdf
public: true
---
Ghi chú.
`

func TestParseActivity(t *testing.T) {
	it := mustParse(t, "content/activities/a.md", Activity, activitySrc)
	checks := []struct {
		name      string
		got, want any
	}{
		{"kind", it.Kind, Activity},
		{"slug from title", it.Slug, "chuyen-muc-khoa-hoc-va-cong-nghe-thang-3-tren-song-phat-thanh"},
		{"plan item", it.PlanItem, "III.3"},
		{"all plan items, once each, in order", strings.Join(it.AllPlanItems(), ","), "III.3,III.4"},
		{"channel kept as the list writes it", it.Channel, "phat-thanh"},
		{"date", it.Date.Equal(day(2022, 3, 20)), true},
		{"date end", it.DateEnd.Equal(day(2022, 3, 22)), true},
		{"place", it.Place, "Đài Phát thanh – Truyền hình Quảng Ngãi"},
		{"unit", it.Unit, "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ"},
		{"audience", it.Audience, 45},
		{"evidence", len(it.Evidence), 3},
		{"public", it.Public, true},
		{"notes", it.Body, "Ghi chú.\n"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	// The file written back parses to the same item.
	again := mustParse(t, "again.md", Activity, string(Marshal(it)))
	if again.Audience != 45 || !again.Public || !again.DateEnd.Equal(it.DateEnd) || !slices.Equal(again.Evidence, it.Evidence) ||
		!slices.Equal(again.PlanItems, it.PlanItems) || again.Channel != it.Channel {
		t.Errorf("round trip: %+v\nwant %+v", again, it)
	}
}

func TestParseActivityProblems(t *testing.T) {
	cases := []struct {
		name, replace, with, want string
	}{
		{"unknown channel", "channel: Phat-Thanh", "channel: radio", `a.md:5: hình thức "radio" không có trong danh sách`},
		{"end before start", "date_end: 22/03/2022", "date_end: 19/03/2022", "a.md:7: ngày kết thúc (19/03/2022) trước ngày bắt đầu (20/03/2022)"},
		{"bad plan item", "plan_items: [III.4, III.3]", "plan_items: [III.4, IV]", `a.md:4: mục kế hoạch "IV" không đúng dạng`},
		{"no plan item: an activity has no default", "plan_item: III.3\n", "", "a.md:1: thiếu trường bắt buộc"},
		{"no channel", "channel: Phat-Thanh\n", "", "a.md:1: thiếu trường bắt buộc"},
		{"audience not a number", "audience: 45", "audience: nhiều", `a.md:10: trường "audience" phải là một số nguyên`},
		{"audience negative", "audience: 45", "audience: -3", `a.md:10: trường "audience" phải là một số nguyên`},
		{"evidence in clear", "https://example.gov.vn/chuyen-muc-3.mp3", "http://example.gov.vn/x.mp3", `minh chứng "http://example.gov.vn/x.mp3" phải là địa chỉ https`},
		{"evidence outside the folder", "minh-chung/ban-tin-1.pdf", "../../etc/passwd", `minh chứng "../../etc/passwd" phải là`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(activitySrc, c.replace, c.with, 1)
			if src == activitySrc {
				t.Fatalf("the case changes nothing")
			}
			_, err := Parse("content/activities/a.md", Activity, []byte(src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestAllPlanItems(t *testing.T) {
	cases := []struct {
		it   Item
		want string
	}{
		{Item{Kind: Article}, "III.1"},
		{Item{Kind: Article, PlanItems: []string{"III.4"}}, "III.1,III.4"},
		{Item{Kind: Article, PlanItem: "III.4", PlanItems: []string{"III.1", "III.4", "III.1"}}, "III.4,III.1"},
		{Item{Kind: Activity}, ""},
		{Item{Kind: Activity, PlanItems: []string{"III.5"}}, "III.5"},
	}
	for _, c := range cases {
		if got := strings.Join(c.it.AllPlanItems(), ","); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.it, got, c.want)
		}
	}
}

func TestChannels(t *testing.T) {
	var codes []string
	for _, c := range Channels {
		codes = append(codes, c.Code)
		if c.Label == "" || c.Label == c.Code {
			t.Errorf("channel %s has no label", c.Code)
		}
	}
	if got := strings.Join(codes, ","); got != "phat-thanh,truyen-hinh,bao-in,ban-tin,hoi-nghi,tap-huan,kiem-tra,khac" {
		t.Errorf("channels %s", got)
	}
	if !ValidChannel("bao-in") || ValidChannel("radio") || ChannelLabel("ban-tin") != "Bản tin" {
		t.Error("ValidChannel/ChannelLabel")
	}
}
