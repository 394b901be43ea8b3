package search_test

import (
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// testNow is the clock of every test: after the demo content's 2022 items,
// before its article scheduled for 2027.
var testNow = time.Date(2026, 11, 30, 10, 0, 0, 0, vntext.Zone)

// fixtures are added to the demo content: an article that has "đường dây
// nóng" in its title, as a citizen looking for the hotline expects first.
var fixtures = map[string]string{
	"articles/duong-day-nong-phan-anh-tthc.md": `---
title: Công bố đường dây nóng tiếp nhận phản ánh về thủ tục hành chính
date: 2022-06-01T08:00:00+07:00
summary: Số điện thoại đường dây nóng của Sở để người dân, doanh nghiệp phản ánh, kiến nghị về thủ tục hành chính.
areas: [II.2.c]
---
Người dân, doanh nghiệp gọi đường dây nóng 0255.3822.xxx trong giờ hành chính để phản ánh việc giải quyết thủ tục hành chính tại Bộ phận Một cửa của Sở.
`,
}

// openEnv opens a fresh data folder with the demo content and fixtures.
func openEnv(t testing.TB) *app.Env {
	t.Helper()
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return testNow })
	extra := fstest.MapFS{}
	for p, s := range fixtures {
		extra[p] = &fstest.MapFile{Data: []byte(s)}
	}
	testsupport.Import(t, env, extra)
	return env
}
