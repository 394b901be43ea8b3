package site_test

import (
	"strings"
	"testing"
	"time"

	"cchc/internal/config"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// TestHistoryShowsClaimedDates: the demo imported years after its dates
// (on 06/12/2026) shows each update at the date the file gives it, as
// the page header and the publication log do — not the day of the import.
func TestHistoryShowsClaimedDates(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, vntext.Zone)
	h := testsupport.DemoHandler(t, config.Defaults, func() time.Time { return now })
	for _, c := range []struct{ path, first, update string }{
		{"/tin-tuc/dich-vu-cong-truc-tuyen-toan-trinh", "26/04/2022", "05/07/2022"},
		{"/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", "18/03/2022", "25/03/2022"},
	} {
		t.Run(c.path, func(t *testing.T) {
			code, body := get(t, h, c.path)
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			i := strings.Index(body, `id="lich-su-cap-nhat"`)
			if i < 0 {
				t.Fatal("no Lịch sử cập nhật")
			}
			history := body[i:]
			history = history[:strings.Index(history, "</section>")]
			for _, want := range []string{">" + c.first + "</time>: Đăng lần đầu.", ">" + c.update + "</time>: Cập nhật nội dung"} {
				if !strings.Contains(history, want) {
					t.Errorf("no %q in\n%s", want, history)
				}
			}
			if strings.Contains(history, "06/12/2026") {
				t.Errorf("the history shows the day of the import:\n%s", history)
			}
		})
	}
}
