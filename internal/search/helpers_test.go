package search_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	demo "cchc/content"
	"cchc/internal/app"
	"cchc/internal/config"
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

// contentFS is the demo content with the fixtures added.
func contentFS(t testing.TB) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(demo.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(demo.FS, p)
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, s := range fixtures {
		m[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return m
}

// openEnv opens a fresh data folder with the demo content and fixtures.
func openEnv(t testing.TB) *app.Env {
	t.Helper()
	ctx := context.Background()
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	env, err := app.Open(ctx, &cfg, nil, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	res, err := env.Publish.Import(ctx, contentFS(t), "content")
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed > 0 {
		t.Fatalf("import: %v", res.Errors)
	}
	return env
}
