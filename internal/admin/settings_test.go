package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"cchc/internal/admin"
	"cchc/internal/auth"
	"cchc/internal/testsupport"
)

// settingsProcedure is one procedure, so a procedure page exists.
var settingsProcedure = fstest.MapFS{"procedures/cong-bo.md": {Data: []byte(`---
title: Công bố hợp chuẩn
code: "1.001193"
online: một phần
date: 2026-02-01
---
## Trình tự thực hiện
`)}}

// public fetches a public page without cookies (the page cache's case).
func (s *server) public(path string) string {
	s.t.Helper()
	res := s.do(request{method: "GET", path: path})
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, res.body)
	}
	return res.body
}

func (s *server) saveSettings(se session, v url.Values) response {
	s.t.Helper()
	v.Set("csrf", se.csrf)
	return s.do(request{method: "POST", path: admin.SettingsPath, form: v, cookies: []*http.Cookie{se.cookie}})
}

// TestSettingsScreen saves the settings through the real router and finds
// them in the footer of every page, on procedure pages and in the header,
// with the page cache dropped and the change audited.
func TestSettingsScreen(t *testing.T) {
	s := newServer(t)
	testsupport.Import(t, s.env, settingsProcedure)
	const proc = "/thu-tuc-hanh-chinh/cong-bo"
	// Cached before: defaults are empty, so nothing is claimed.
	for _, p := range []string{"/", proc} {
		body := s.public(p)
		for _, not := range []string{"Bộ phận Một cửa", "Đơn vị chịu trách nhiệm nội dung", "Cổng Dịch vụ công tỉnh", "brand-logo"} {
			if strings.Contains(body, not) {
				t.Errorf("%s shows %q before any setting", p, not)
			}
		}
		if !strings.Contains(body, `class="brand-mark"`) {
			t.Errorf("%s has no neutral mark", p)
		}
	}

	se := s.login(auth.Admin)
	res := s.send(upload{filename: "logo.png", data: testsupport.PNG(7), alt: strp("Biểu trưng của Sở"), csrf: se.csrf}, &se, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, res.body)
	}
	files, _, err := s.env.Store.MediaFiles(context.Background(), 10, 0)
	if err != nil || len(files) != 1 {
		t.Fatalf("media: %v %v", files, err)
	}
	logo := files[0].Name
	if res := s.do(request{method: "GET", path: admin.SettingsPath, cookies: []*http.Cookie{se.cookie}}); !strings.Contains(res.body, "<code>/tep/"+logo+"</code>") {
		t.Error("the settings screen does not offer the library's image")
	}
	for _, p := range []string{"/", "/tin-tuc/", proc} {
		s.public(p) // cached again after the upload moved the version
	}

	form := url.Values{
		"desk_address": {"Số 1 đường Ví Dụ, phường Mẫu, tỉnh Quảng Ngãi"},
		"desk_phone":   {"(0255) 000 0000"},
		"desk_email":   {"motcua@vidu.gov.vn"},
		"desk_hours":   {"Sáng: 7 giờ – 11 giờ 30\r\nChiều: 13 giờ 30 – 17 giờ"},
		"content_unit": {"Trung tâm Ví dụ"},
		"portal_url":   {"https://dichvucong.vidu.gov.vn/"},
		"logo":         {"/tep/" + logo},
	}
	res = s.saveSettings(se, form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != admin.SettingsPath {
		t.Fatalf("save: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	set, err := s.env.Store.Settings(context.Background())
	if err != nil || set.Logo != logo || set.DeskHours != "Sáng: 7 giờ – 11 giờ 30\nChiều: 13 giờ 30 – 17 giờ" || set.UpdatedBy != "admin" {
		t.Fatalf("stored %+v, %v", set, err)
	}
	if got := s.auditActions(); len(got) == 0 || got[0] != "settings" {
		t.Errorf("audit log %v, want the settings change first", got)
	}

	footer := []string{"Bộ phận Một cửa", "Số 1 đường Ví Dụ, phường Mẫu, tỉnh Quảng Ngãi", `<a href="tel:02550000000">(0255) 000 0000</a>`,
		`<a href="mailto:motcua@vidu.gov.vn">motcua@vidu.gov.vn</a>`, "Chiều: 13 giờ 30 – 17 giờ",
		"Đơn vị chịu trách nhiệm nội dung:", "<strong>Trung tâm Ví dụ</strong>",
		`<img class="brand-logo" src="/tep/` + logo + `"`}
	for _, p := range []string{"/", "/tin-tuc/", proc} {
		body := s.public(p) // was cached: the save must have dropped it
		for _, want := range footer {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q after the save (a stale cached page?)", p, want)
			}
		}
		if strings.Contains(body, `class="brand-mark"`) {
			t.Errorf("%s still shows the neutral mark", p)
		}
	}
	body := s.public(proc)
	for _, want := range []string{`<h2 id="lien-he">Bộ phận Một cửa</h2>`,
		`<a class="portal-province" href="https://dichvucong.vidu.gov.vn/" rel="external">Cổng Dịch vụ công tỉnh Quảng Ngãi</a>`,
		`href="https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193"`} {
		if !strings.Contains(body, want) {
			t.Errorf("procedure page lacks %q", want)
		}
	}

	// Saving the same values changes nothing and audits nothing.
	n := len(s.auditActions())
	if res := s.saveSettings(se, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same save: %d", res.StatusCode)
	}
	if len(s.auditActions()) != n {
		t.Error("an unchanged save was audited")
	}

	// Emptied again: nothing shown, the neutral mark back.
	if res := s.saveSettings(se, url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("empty save: %d\n%s", res.StatusCode, res.body)
	}
	body = s.public(proc)
	if strings.Contains(body, "Bộ phận Một cửa") || strings.Contains(body, "brand-logo") || !strings.Contains(body, "brand-mark") {
		t.Error("emptied settings still show")
	}
}

// TestSettingsRefused sends bad and hostile values: each comes back (422)
// in Vietnamese with what was typed, and nothing is stored.
func TestSettingsRefused(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Admin)
	res := s.send(upload{filename: "ban.pdf", data: testsupport.PDF(), alt: strp("x"), csrf: se.csrf}, &se, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	files, _, _ := s.env.Store.MediaFiles(context.Background(), 10, 0)
	pdf := files[0].Name
	huge := strings.Repeat("Đ", 100_000)
	tests := []struct {
		name, field, value, msg, shown string
	}{
		{"javascript URL", "portal_url", "javascript:alert(1)", "phải bắt đầu bằng https://", `value="javascript:alert(1)"`},
		{"http URL", "portal_url", "http://dichvucong.quangngai.gov.vn", "phải bắt đầu bằng https://", `value="http://dichvucong.quangngai.gov.vn"`},
		{"data URL", "portal_url", "data:text/html,<script>alert(1)</script>", "phải bắt đầu bằng https://", `value="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"`},
		{"URL with a user", "portal_url", "https://a@evil.example/", "phải bắt đầu bằng https://", ""},
		{"URL without host", "portal_url", "https:///x", "phải bắt đầu bằng https://", ""},
		{"bad e-mail", "desk_email", "motcua@", "Địa chỉ thư điện tử chưa đúng", `value="motcua@"`},
		{"e-mail with a name", "desk_email", "Một cửa <motcua@vidu.gov.vn>", "Địa chỉ thư điện tử chưa đúng", ""},
		{"escape in the address", "desk_address", "Số 1\x1b[2J", "001B (ESC)", "value=\"Số 1\uFFFD[2J\""},
		{"NEL in the hours", "desk_hours", "Sáng\u0085chiều", "0085 (NEL)", "Sáng\uFFFDchiều"},
		{"huge unit", "content_unit", huge, "Tối đa 300 ký tự (đã nhập 100000)", ""},
		{"huge hours", "desk_hours", huge, "Tối đa 500 ký tự", ""},
		{"logo not in the library", "logo", "khong-co.png", "Thư viện tệp không có tệp này", `value="khong-co.png"`},
		{"logo a path", "logo", "../../etc/passwd", "Thư viện tệp không có tệp này", ""},
		{"logo not an image", "logo", pdf, "không phải ảnh", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.snapshot()
			form := url.Values{"desk_phone": {"0255 123"}, tt.field: {tt.value}}
			res := s.saveSettings(se, form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%.2000s", res.StatusCode, res.body)
			}
			if !strings.Contains(res.body, tt.msg) || !strings.Contains(res.body, "Chưa lưu cài đặt") {
				t.Errorf("body lacks %q\n%.3000s", tt.msg, res.body)
			}
			// The other field's input comes back too.
			if !strings.Contains(res.body, `value="0255 123"`) {
				t.Error("the phone typed is not shown again")
			}
			if tt.shown != "" && !strings.Contains(res.body, tt.shown) {
				t.Errorf("input not shown again as %q", tt.shown)
			}
			if strings.Contains(res.body, "\x1b") || len(res.body) > 400_000 {
				t.Errorf("body carries a raw escape or the whole huge value (%d bytes)", len(res.body))
			}
			if s.snapshot() != before {
				t.Error("something was stored")
			}
		})
	}
}

// TestSettingsBurst saves the settings 60 times at once while 60 readers
// fetch public pages: no request fails, every save is audited, and the
// page served afterwards shows what is stored (no stale cached page).
func TestSettingsBurst(t *testing.T) {
	s := newServer(t)
	se := s.login(auth.Admin)
	s.public("/") // cached
	const n = 60
	var wg sync.WaitGroup
	codes := make(chan int, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			v := url.Values{"desk_phone": {fmt.Sprintf("0255 %04d", i)}, "csrf": {se.csrf}}
			codes <- s.do(request{method: "POST", path: admin.SettingsPath, form: v, cookies: []*http.Cookie{se.cookie}}).StatusCode
		}()
		go func() {
			defer wg.Done()
			codes <- s.do(request{method: "GET", path: "/"}).StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusSeeOther && c != http.StatusOK {
			t.Errorf("a request got %d", c)
		}
	}
	set, err := s.env.Store.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if body := s.public("/"); !strings.Contains(body, ">"+set.DeskPhone+"</a>") {
		t.Errorf("the page does not show the stored phone %q", set.DeskPhone)
	}
	saves := 0
	for _, a := range s.auditActions() {
		if a == "settings" {
			saves++
		}
	}
	// Every value differs from the one before it, so every save is one.
	if saves != n {
		t.Errorf("%d settings saves audited for %d requests", saves, n)
	}
}
