package security_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/browsertest"
	"cchc/internal/testsupport"
)

// inlineScriptRe finds a script element that is neither loaded from a file
// nor a JSON-LD data block: inline script, which the policy forbids.
var inlineScriptRe = regexp.MustCompile(`(?i)<script\b([^>]*)>`)

func inlineScripts(body string) []string {
	var out []string
	for _, m := range inlineScriptRe.FindAllStringSubmatch(body, -1) {
		attrs := strings.ToLower(m[1])
		if strings.Contains(attrs, "src=") || strings.Contains(attrs, `type="application/ld+json"`) {
			continue
		}
		out = append(out, m[0])
	}
	return out
}

// TestSecurityHeaders checks every kind of page, public and private, for a
// strict Content-Security-Policy (no inline script or style, nothing from
// elsewhere), nosniff and a Referrer-Policy; private pages (the workspace,
// its login page and the reports) may never be framed.
func TestSecurityHeaders(t *testing.T) {
	s := newSite(t)
	base := browsertest.Server(t, s.h)
	cl, anon := newClient(t, base), newClient(t, base)
	cl.Login(adminName, testsupport.Password)
	tests := []struct {
		name, path string
		private    bool
		status     int
	}{
		{"home", "/", false, 200},
		{"articles", "/tin-tuc/", false, 200},
		{"article", "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", false, 200},
		{"procedures", "/thu-tuc-hanh-chinh/", false, 200},
		{"documents", "/van-ban/", false, 200},
		{"document", "/van-ban/1256-qd-ubnd", false, 200},
		{"areas", "/chu-de/", false, 200},
		{"search", "/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch", false, 200},
		{"feed", "/rss.xml", false, 200},
		{"not found", "/khong-co-trang-nay", false, 404},
		{"login", "/quan-tri/dang-nhap", true, 200},
		{"dashboard", "/quan-tri/", true, 200},
		{"article list", "/quan-tri/tin-bai/", true, 200},
		{"editor", "/quan-tri/tin-bai/moi", true, 200},
		{"users", "/quan-tri/nguoi-dung", true, 200},
		{"audit", "/quan-tri/nhat-ky", true, 200},
		{"media", "/quan-tri/tep", true, 200},
		{"reports", "/bao-cao/", true, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+tt.path, nil)
			req.Header.Set("Accept", "text/html")
			who := cl
			if tt.path == "/quan-tri/dang-nhap" {
				who = anon // a logged-in browser is sent on
			}
			res, err := who.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b strings.Builder
			if _, err := io.Copy(&b, res.Body); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
				t.Errorf("Content-Security-Policy %q is not strict", csp)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := h.Get("Referrer-Policy"); got == "" || got == "unsafe-url" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			if tt.private {
				if !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
					t.Errorf("private page may be framed: CSP %q, X-Frame-Options %q", csp, h.Get("X-Frame-Options"))
				}
			} else if !strings.Contains(csp, "frame-ancestors") {
				t.Errorf("public page without frame-ancestors: %q", csp)
			}
			if strings.Contains(h.Get("Content-Type"), "text/html") {
				if got := inlineScripts(b.String()); len(got) > 0 {
					t.Errorf("inline script in the page: %q", got)
				}
				if regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle=`).MatchString(b.String()) || strings.Contains(strings.ToLower(b.String()), "<style") {
					t.Errorf("inline style in the page (the policy would block it)")
				}
			}
		})
	}
}

// TestAdminNotFramedEvenOnRefusal checks that the refusal pages of the
// workspace (401, 403) are not framable either.
func TestAdminNotFramedEvenOnRefusal(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/quan-tri/", "/quan-tri/nguoi-dung", "/bao-cao/"} {
		req := httptest.NewRequest("GET", path, nil)
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized && w.Code != http.StatusFound {
			t.Errorf("%s without a session: %d", path, w.Code)
		}
		if !strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") || w.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: refusal may be framed: %q", path, w.Header().Get("Content-Security-Policy"))
		}
	}
}
