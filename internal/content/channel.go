package content

import (
	"slices"

	"cchc/internal/locale"
)

// Channel is one way an activity reaches people (a broadcast, a printed
// page, a meeting…): its code, which files and the plan file write, and
// its label from the catalogue.
type Channel struct {
	Code, Label string
}

// Channels is the fixed list of an activity's channels, in the form's
// order. The plan file states its targets per channel by these codes.
var Channels = []Channel{
	{Code: "phat-thanh", Label: locale.T("channel.phat_thanh")},
	{Code: "truyen-hinh", Label: locale.T("channel.truyen_hinh")},
	{Code: "bao-in", Label: locale.T("channel.bao_in")},
	{Code: "ban-tin", Label: locale.T("channel.ban_tin")},
	{Code: "hoi-nghi", Label: locale.T("channel.hoi_nghi")},
	{Code: "tap-huan", Label: locale.T("channel.tap_huan")},
	{Code: "kiem-tra", Label: locale.T("channel.kiem_tra")},
	{Code: "khac", Label: locale.T("channel.khac")},
}

// ValidChannel reports whether code is one of Channels.
func ValidChannel(code string) bool {
	return slices.ContainsFunc(Channels, func(c Channel) bool { return c.Code == code })
}

// ChannelLabel is the label of the channel called code, or code itself
// when there is none.
func ChannelLabel(code string) string {
	for _, c := range Channels {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}
