package site_test

import (
	"bufio"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	demo "cchc/content"
	"cchc/internal/config"
	"cchc/internal/site"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// clock is the fixed clock of these tests: after every demo item of 2022 and
// before the article dated 2027.
var clock = time.Date(2023, 1, 15, 10, 0, 0, 0, vntext.Zone)

// newHandler is the whole service over the demo content at clock, with
// cfg.
func newHandler(t *testing.T, cfg config.Config) http.Handler {
	return testsupport.DemoHandler(t, cfg, func() time.Time { return clock })
}

var (
	stylesheetRE = regexp.MustCompile(`<link rel="stylesheet" href="(/assets/style\.[0-9a-f]{8}\.css)">`)
	dateRE       = regexp.MustCompile(`\b[0-3]\d/[01]\d/20\d\d\b`)
	scriptTagRE  = regexp.MustCompile(`(?i)<script[^>]*>`)
	scriptRE     = regexp.MustCompile(`(?is)<script.*?</script>`)
	entryRE      = regexp.MustCompile(`<a class="entry-title" href="/tin-tuc/([^"]+)"`)
)

// demoArticle is what the test reads itself from a demo article's front
// matter, independently of the content package.
type demoArticle struct {
	slug  string
	title string
	date  time.Time
	draft bool
}

func demoArticles(t *testing.T) []demoArticle {
	t.Helper()
	files, err := fs.Glob(demo.FS, "articles/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []demoArticle
	for _, f := range files {
		b, err := fs.ReadFile(demo.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		a := demoArticle{slug: strings.TrimSuffix(path.Base(f), ".md")}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		dashes := 0
		for sc.Scan() && dashes < 2 {
			line := sc.Text()
			if line == "---" {
				dashes++
				continue
			}
			k, v, _ := strings.Cut(line, ":")
			v = strings.Trim(strings.TrimSpace(v), `"`)
			switch k {
			case "slug":
				a.slug = v
			case "title":
				a.title = v
			case "draft":
				a.draft = v == "true"
			case "date":
				if a.date, err = vntext.ParseDate(v); err != nil {
					t.Fatalf("%s: date %q: %v", f, v, err)
				}
			}
		}
		out = append(out, a)
	}
	return out
}

// publicArticles are the demo articles citizens see at clock, newest first.
func publicArticles(t *testing.T) []demoArticle {
	var out []demoArticle
	for _, a := range demoArticles(t) {
		if !a.draft && !a.date.After(clock) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b demoArticle) int { return b.date.Compare(a.date) })
	return out
}

func TestPages(t *testing.T) {
	h := newHandler(t, config.Defaults)
	home := testsupport.Do(h, "GET", "/")
	m := stylesheetRE.FindStringSubmatch(home.Body.String())
	if m == nil {
		t.Fatalf("home page has no fingerprinted stylesheet link:\n%s", home.Body)
	}
	style := m[1]
	articles := publicArticles(t)
	if len(articles) <= site.PageSize {
		t.Fatalf("demo content has %d public articles; the pagination tests need more than %d", len(articles), site.PageSize)
	}
	newest, oldest := articles[0], articles[len(articles)-1]

	const (
		html = "text/html; charset=utf-8"
		n404 = "Không tìm thấy trang"
	)
	tests := []struct {
		name        string
		method      string
		target      string
		status      int
		contentType string
		want        []string
		wantNot     []string
	}{
		{
			name: "home", target: "/", status: 200, contentType: html,
			want:    []string{"Chuyên mục Cải cách hành chính", "Tin mới", newest.title, `href="/tin-tuc/` + newest.slug + `"`, vntext.Date(newest.date), "Thủ tục hành chính", "Văn bản mới", `href="/chu-de/cai-cach-thu-tuc-hanh-chinh"`},
			wantNot: []string{"bản nháp", "năm 2027"},
		},
		{
			name: "articles page 1", target: "/tin-tuc/", status: 200, contentType: html,
			want:    []string{"<h1>Tin tức</h1>", newest.title, `rel="next"`, `href="/tin-tuc/trang/2/"`},
			wantNot: []string{oldest.title, `rel="prev"`, "bản nháp", "năm 2027"},
		},
		{
			name: "articles page 2", target: "/tin-tuc/trang/2/", status: 200, contentType: html,
			want:    []string{"trang 2/", oldest.title, `rel="prev"`, `<span aria-current="page">2</span>`},
			wantNot: []string{newest.title, "bản nháp"},
		},
		{
			name: "article", target: "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", status: 200, contentType: html,
			want: []string{
				"<h1>Sở Khoa học và Công nghệ ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2022</h1>",
				"18/03/2022", "Cập nhật 25/03/2022", "Trung tâm Ứng dụng và Dịch vụ KH&amp;CN",
				`<a class="vb-ref vb-ref-invalid" href="/van-ban/272-kh-skhcn"`, `<a class="vb-ref vb-ref-invalid" href="/van-ban/34-kh-ubnd"`,
				"(Hết hiệu lực toàn bộ)", // at clock the 2022 plans have ended
				`<h2 id="muc-dich-yeu-cau">Mục đích, yêu cầu</h2>`, `href="/chu-de/van-ban-chi-dao"`,
			},
		},
		{
			name: "procedures", target: "/thu-tuc-hanh-chinh/", status: 200, contentType: html,
			want: []string{"<h1>Thủ tục hành chính</h1>", `href="/thu-tuc-hanh-chinh/dang-ky-hoat-dong-khcn"`, "1.002345.000.00.00.H48"},
		},
		{
			name: "procedure with portal", target: "/thu-tuc-hanh-chinh/dang-ky-hoat-dong-khcn", status: 200, contentType: html,
			want: []string{
				"<h1>Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ</h1>",
				`<th scope="row">Mã thủ tục</th><td>1.002345.000.00.00.H48</td>`,
				// No portal_url: the national portal's page keyed by the code.
				`<p class="portal"><a class="button" href="https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.002345.000.00.00.H48" rel="external">Nộp hồ sơ trực tuyến`,
				"Cổng Dịch vụ công quốc gia", "Thời hạn giải quyết", "Phí, lệ phí",
				`<h2 id="thanh-phan-ho-so">Thành phần hồ sơ</h2>`, `href="/van-ban/29-2013-qh13"`,
			},
		},
		{
			// Not offered online: the portal's page to read, not a submit button.
			name: "procedure not online", target: "/thu-tuc-hanh-chinh/kiem-tra-chat-luong-hang-nhap-khau", status: 200, contentType: html,
			want:    []string{"Mã thủ tục", `<p class="portal"><a href="https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=`, "Xem thủ tục trên Cổng Dịch vụ công quốc gia"},
			wantNot: []string{"dichvucong.gov.vn/p/home/dvc-tthc", "Nộp hồ sơ trực tuyến"},
		},
		{
			name: "documents", target: "/van-ban/", status: 200, contentType: html,
			want: []string{"<h1>Văn bản</h1>", `href="/van-ban/1256-qd-ubnd"`, "Quyết định số 1256/QĐ-UBND"},
		},
		{
			name: "document", target: "/van-ban/1256-qd-ubnd", status: 200, contentType: html,
			want: []string{
				"<h1>Quyết định số 1256/QĐ-UBND</h1>",
				`<th scope="row">Số ký hiệu</th><td>1256/QĐ-UBND</td>`,
				`<th scope="row">Loại văn bản</th><td>Quyết định</td>`,
				`<th scope="row">Cơ quan ban hành</th><td>UBND tỉnh Quảng Ngãi</td>`,
				`<th scope="row">Ngày ban hành</th><td>22/12/2021</td>`,
				`<th scope="row">Ngày có hiệu lực</th><td>22/12/2021</td>`,
				`<th scope="row">Tình trạng hiệu lực</th>`, "Còn hiệu lực",
				`<a class="vb-ref" href="/van-ban/76-nq-cp"`,
			},
			wantNot: []string{"notice-warn", "Hết hiệu lực"},
		},
		{
			name: "areas", target: "/chu-de/", status: 200, contentType: html,
			want: []string{"<h1", "Chủ đề", `href="/chu-de/van-ban-chi-dao"`, `href="/chu-de/cai-cach-thu-tuc-hanh-chinh"`},
		},
		{
			name: "area II.1", target: "/chu-de/van-ban-chi-dao", status: 200, contentType: html,
			want: []string{"Văn bản chỉ đạo của Trung ương, của tỉnh về cải cách hành chính", `href="/van-ban/1256-qd-ubnd"`},
		},
		{
			name: "area II.2.c", target: "/chu-de/cai-cach-thu-tuc-hanh-chinh", status: 200, contentType: html,
			want:    []string{"Cải cách thủ tục hành chính", `href="/thu-tuc-hanh-chinh/dang-ky-hoat-dong-khcn"`},
			wantNot: []string{"bản nháp", "năm 2027"},
		},
		{
			name: "stylesheet", target: style, status: 200, contentType: "text/css; charset=utf-8",
			want: []string{"{", "}"},
		},
		{
			name: "favicon", target: "/favicon.svg", status: 200, contentType: "image/svg+xml",
			want: []string{"<svg"},
		},

		{name: "unknown article", target: "/tin-tuc/khong-co-bai-nay", status: 404, contentType: html, want: []string{n404, "Mã lỗi: 404"}},
		{name: "unknown procedure", target: "/thu-tuc-hanh-chinh/khong-co", status: 404, contentType: html, want: []string{n404}},
		{name: "unknown document", target: "/van-ban/9999-qd-ubnd", status: 404, contentType: html, want: []string{n404}},
		{name: "unknown area", target: "/chu-de/II.9", status: 404, contentType: html, want: []string{n404}},
		{name: "page past the end", target: "/tin-tuc/trang/99/", status: 404, contentType: html, want: []string{n404}},
		{name: "area page past the end", target: "/chu-de/van-ban-chi-dao/trang/99/", status: 404, contentType: html, want: []string{n404}},
		{
			name: "draft article", target: "/tin-tuc/nhap-huong-dan-danh-gia-noi-bo", status: 404, contentType: html,
			want: []string{n404}, wantNot: []string{"bản nháp", "Hỏi – đáp"},
		},
		{
			name: "future article", target: "/tin-tuc/ke-hoach-tuyen-truyen-cchc-2027", status: 404, contentType: html,
			want: []string{n404}, wantNot: []string{"năm 2027"},
		},
		{name: "article slug under procedures", target: "/thu-tuc-hanh-chinh/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", status: 404, contentType: html, want: []string{n404}},
		{name: "unknown path", target: "/khong-co-trang-nay", status: 404, contentType: html, want: []string{n404, `href="/"`}},
		{name: "unknown asset", target: "/assets/style.00000000.css", status: 404, contentType: html, want: []string{"Không tìm thấy tệp."}},

		{name: "page not a number", target: "/tin-tuc/?trang=abc", status: 400, contentType: html, want: []string{"Số trang không hợp lệ.", "Mã lỗi: 400"}},
		{name: "page zero", target: "/van-ban/?trang=0", status: 400, contentType: html, want: []string{"Số trang không hợp lệ."}},
		{name: "area page not a number", target: "/chu-de/van-ban-chi-dao?trang=abc", status: 400, contentType: html, want: []string{"Số trang không hợp lệ."}},

		{name: "POST home", method: "POST", target: "/", status: 405, contentType: html, want: []string{"POST", "Mã lỗi: 405"}},
		{name: "DELETE article", method: "DELETE", target: "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", status: 405, contentType: html},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			w := testsupport.Do(h, method, tt.target)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("%s %s = %d, want %d\n%s", method, tt.target, w.Code, tt.status, body)
			}
			if ct := w.Header().Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(body, s) {
					t.Errorf("body contains %q", s)
				}
			}
			csp := w.Header().Get("Content-Security-Policy")
			if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if tt.contentType != html {
				return
			}
			for _, s := range []string{`<html lang="vi">`, `<a class="skip" href="#noi-dung">`, `<main id="noi-dung"`, `<meta charset="utf-8">`} {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("page has %d <h1>, want 1", n)
			}
			// Only JSON-LD data blocks; no script runs on a public page.
			for _, tag := range scriptTagRE.FindAllString(body, -1) {
				if !strings.Contains(tag, `type="application/ld+json"`) {
					t.Errorf("page has an executable script: %s", tag)
				}
			}
			for _, s := range []string{" style=", "onclick", "gin-gonic", "store:", "database:", "sql:"} {
				if strings.Contains(body, s) {
					t.Errorf("page contains %q", s)
				}
			}
		})
	}
}

func TestArticleListNewestFirst(t *testing.T) {
	h := newHandler(t, config.Defaults)
	want := publicArticles(t)
	var got []string
	for page := 1; ; page++ {
		target := "/tin-tuc/"
		if page > 1 {
			target += "trang/" + strconv.Itoa(page) + "/"
		}
		w := testsupport.Do(h, "GET", target)
		if w.Code == 404 && page > 1 {
			break
		}
		if w.Code != 200 {
			t.Fatalf("GET %s = %d", target, w.Code)
		}
		var slugs []string
		for _, m := range entryRE.FindAllStringSubmatch(w.Body.String(), -1) {
			slugs = append(slugs, m[1])
		}
		wantN := min(site.PageSize, len(want)-(page-1)*site.PageSize)
		if len(slugs) != wantN {
			t.Errorf("page %d lists %d articles, want %d", page, len(slugs), wantN)
		}
		got = append(got, slugs...)
		if page > 9 {
			t.Fatal("too many pages")
		}
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d articles, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i].slug {
			t.Errorf("article %d is %s, want %s (newest first)", i+1, got[i], want[i].slug)
		}
	}
}

func TestDatesVietnamese(t *testing.T) {
	h := newHandler(t, config.Defaults)
	for _, target := range []string{"/", "/tin-tuc/", "/van-ban/", "/van-ban/1256-qd-ubnd", "/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022"} {
		t.Run(target, func(t *testing.T) {
			body := testsupport.Do(h, "GET", target).Body.String()
			if !dateRE.MatchString(body) {
				t.Errorf("no dd/mm/yyyy date on %s", target)
			}
			// No English month names or ISO dates in visible text.
			visible := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(scriptRE.ReplaceAllString(body, " "), " ")
			if m := regexp.MustCompile(`\b20\d\d-[01]\d-[0-3]\d\b|January|February|March|December`).FindString(visible); m != "" {
				t.Errorf("visible text has %q", m)
			}
		})
	}
}

func TestAssetCaching(t *testing.T) {
	h := newHandler(t, config.Defaults)
	style := stylesheetRE.FindStringSubmatch(testsupport.Do(h, "GET", "/").Body.String())
	if style == nil {
		t.Fatal("no stylesheet link")
	}
	w := testsupport.Do(h, "GET", style[1])
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control = %q, want a year and immutable", cc)
	}
	b, err := fs.ReadFile(os.DirFS("../../themes/default/assets"), "style.css")
	if err != nil {
		t.Fatal(err)
	}
	if w.Body.String() != string(b) {
		t.Error("stylesheet differs from themes/default/assets/style.css")
	}
}

func TestCanonicalWithBaseURL(t *testing.T) {
	cfg := config.Defaults
	cfg.BaseURL = "https://skhcn.quangngai.gov.vn/cchc"
	h := newHandler(t, cfg)
	tests := []struct {
		name, target, want string
	}{
		{"home", "/", `<link rel="canonical" href="https://skhcn.quangngai.gov.vn/cchc/">`},
		{"page 2", "/tin-tuc/trang/2/", `<link rel="canonical" href="https://skhcn.quangngai.gov.vn/cchc/tin-tuc/trang/2/">`},
		{"document", "/van-ban/1256-qd-ubnd", `<link rel="canonical" href="https://skhcn.quangngai.gov.vn/cchc/van-ban/1256-qd-ubnd">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if body := testsupport.Do(h, "GET", tt.target).Body.String(); !strings.Contains(body, tt.want) {
				t.Errorf("%s lacks %s", tt.target, tt.want)
			}
		})
	}
	if body := testsupport.Do(h, "GET", "/khong-co").Body.String(); strings.Contains(body, `rel="canonical"`) {
		t.Error("404 page has a canonical link")
	}
}

func TestThemeOverride(t *testing.T) {
	dir := t.TempDir()
	override := filepath.Join(dir, "themes", "custom", "pages", "error.html")
	if err := os.MkdirAll(filepath.Dir(override), 0o755); err != nil {
		t.Fatal(err)
	}
	page := `{{define "error"}}{{template "base" .}}{{end}}
{{define "main"}}<div class="wrap"><h1>Trang riêng: {{.Title}}</h1><p>Lỗi {{.Status}} của giao diện custom.</p></div>{{end}}
`
	if err := os.WriteFile(override, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cfg := config.Defaults
	cfg.Theme = "custom"
	h := newHandler(t, cfg)

	tests := []struct {
		name, target string
		status       int
		want         []string
		wantNot      []string
	}{
		{"404 from the override", "/khong-co", 404, []string{"<h1>Trang riêng: Không tìm thấy trang</h1>", "Lỗi 404 của giao diện custom.", `<html lang="vi">`}, []string{"Mã lỗi"}},
		{"400 from the override", "/tin-tuc/?trang=abc", 400, []string{"Lỗi 400 của giao diện custom."}, nil},
		{"home from the default", "/", 200, []string{"Tin mới", "Chuyên mục Cải cách hành chính"}, []string{"giao diện custom"}},
		{"document from the default", "/van-ban/1256-qd-ubnd", 200, []string{"Số ký hiệu"}, []string{"giao diện custom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := testsupport.Do(h, "GET", tt.target)
			if w.Code != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.target, w.Code, tt.status)
			}
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(body, s) {
					t.Errorf("body contains %q", s)
				}
			}
		})
	}
}

func TestUnknownTheme(t *testing.T) {
	t.Chdir(t.TempDir())
	cfg := config.Defaults
	cfg.Theme = "khong-co"
	env := testsupport.Open(t, cfg, func() time.Time { return clock })
	_, err := env.Handler()
	if err == nil || !strings.Contains(err.Error(), "--theme") {
		t.Errorf("Handler() error = %v, want one naming --theme", err)
	}
}
