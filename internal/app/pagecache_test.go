package app_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/publish"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// TestPageCacheNeverStale shows that a cached public page changes as soon
// as what it shows changes: a withdrawal through the workspace, and a write
// by another process on the same database.
func TestPageCacheNeverStale(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 12, 1, 9, 0, 0, 0, vntext.Zone)
	env := testsupport.Demo(t, config.Defaults, func() time.Time { return now })
	h := testsupport.Handler(t, env)
	get := func(path string) string { return testsupport.Get(h, path).Body.String() }
	it, err := env.Store.ItemBySlug(ctx, content.Article, "bao-cao-ket-qua-tuyen-truyen-cchc-2022")
	if err != nil {
		t.Fatal(err)
	}
	list := get("/tin-tuc/")
	if !strings.Contains(list, it.URL()) {
		t.Fatalf("the list lacks %s before the withdrawal", it.URL())
	}
	hits0, _, _ := env.Pages.Stats()
	get("/tin-tuc/")
	if hits, _, _ := env.Pages.Stats(); hits != hits0+1 {
		t.Fatalf("the second request was not a cache hit (%d → %d)", hits0, hits)
	}

	approver := publish.Actor{Name: "minh", Role: auth.Approver}
	if _, err := env.Publish.Transition(ctx, approver, publish.TransitionRequest{ID: it.ID, Action: auth.ActWithdraw, Note: "Đã có báo cáo chính thức"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(get("/tin-tuc/"), it.URL()) {
		t.Fatal("the cached list still shows the withdrawn article")
	}

	// Another process renames an article; the poller sees the version move.
	other, err := database.Open(ctx, env.DB.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	before := get("/tin-tuc/")
	err = other.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE items SET title = 'Tiêu đề do tiến trình khác sửa' WHERE kind = 'article' AND slug = 'ky-luat-ky-cuong-sap-xep-to-chuc'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(before, "Siết chặt kỷ luật") {
		t.Fatal("the list lacks the article the other process renames")
	}
	if strings.Contains(get("/tin-tuc/"), "Tiêu đề do tiến trình khác sửa") {
		t.Fatal("the page should still come from the cache before the poll (setup check)")
	}
	st, err := env.Store.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env.Pages.Watch(st.Version, st.NextScheduled, "2022-12-01")
	if !strings.Contains(get("/tin-tuc/"), "Tiêu đề do tiến trình khác sửa") {
		t.Fatal("after the poll the list must show the other process's change")
	}
}
