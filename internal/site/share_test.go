package site_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/config"
	"cchc/internal/testsupport"
)

var (
	shareHrefRE  = regexp.MustCompile(`<a href="([^"]+)" rel="noopener noreferrer">([^<]+)</a>`)
	shareValueRE = regexp.MustCompile(`<input id="dia-chi-trang" type="url" readonly value="([^"]+)">`)
)

// TestShareLinks: every item page offers its absolute address to copy,
// from --base-url (else the public base feeds use, never the request's
// Host), and plain Facebook and Zalo links carrying that address escaped
// in their query, without any script (issue 17.8).
func TestShareLinks(t *testing.T) {
	for _, tt := range []struct {
		name, baseURL, base string
	}{
		{"base url", "https://skhcn.quangngai.gov.vn/cchc", "https://skhcn.quangngai.gov.vn/cchc"},
		{"no base url", "", "http://127.0.0.1:8080"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults
			cfg.BaseURL = tt.baseURL
			h := newHandler(t, cfg)
			for _, path := range []string{
				"/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022",
				"/thu-tuc-hanh-chinh/dang-ky-hoat-dong-khcn",
				"/van-ban/1256-qd-ubnd",
			} {
				w := testsupport.Do(h, "GET", path, "X-Forwarded-Host", "ke-gia-mao.example")
				body := w.Body.String()
				if w.Code != 200 {
					t.Fatalf("%s: %d", path, w.Code)
				}
				want := tt.base + path
				m := shareValueRE.FindStringSubmatch(body)
				if m == nil || html.UnescapeString(m[1]) != want {
					t.Errorf("%s: copy field %q, want %q", path, m, want)
				}
				links := map[string]string{}
				for _, a := range shareHrefRE.FindAllStringSubmatch(body, -1) {
					links[a[2]] = html.UnescapeString(a[1])
				}
				for label, prefix := range map[string]string{
					"Chia sẻ lên Facebook": "https://www.facebook.com/sharer/sharer.php",
					"Chia sẻ qua Zalo":     "https://sp.zalo.me/share_inline",
				} {
					href, ok := links[label]
					if !ok {
						t.Errorf("%s: no %q link in %v", path, label, links)
						continue
					}
					u, err := url.Parse(href)
					if err != nil || !strings.HasPrefix(href, prefix+"?") {
						t.Errorf("%s: %s link %q", path, label, href)
						continue
					}
					q := u.Query()
					if got := q.Get("u") + q.Get("url"); got != want {
						t.Errorf("%s: %s shares %q, want %q", path, label, got, want)
					}
				}
				if strings.Contains(body, "ke-gia-mao") || strings.Contains(body, "example.com") {
					t.Errorf("%s: the request's Host reached the page", path)
				}
				if !strings.Contains(body, "<summary>In trang</summary>") {
					t.Errorf("%s: no In trang", path)
				}
			}
		})
	}
}
