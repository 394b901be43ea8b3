//go:build browser

package security_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mmcdole/gofeed"

	demo "cchc/content"
	"cchc/internal/admin"
	"cchc/internal/browsertest"
	"cchc/internal/testsupport"
)

// payloads reads the corpus and adds what a text file holds badly: a NUL
// and an overlong payload.
func payloads(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/xss-payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimRight(line, "\r"); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	out = append(out, "<script>alert(\x00 38)</script>\x00", strings.Repeat("<img src=x onerror=alert(39)>", 400))
	return out
}

// yamlString is s as a YAML double-quoted scalar (JSON is YAML).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// xssTree is the content tree of the payloads: the demo plan with its
// areas' titles replaced, and an article, a procedure and a document for
// each payload, which has every free-text field, the body included.
func xssTree(t *testing.T, ps []string) fstest.MapFS {
	t.Helper()
	plan, err := fs.ReadFile(demo.FS, "plans/2022.yaml")
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	planText := regexp.MustCompile(`title: "[^"]*"\}`).ReplaceAllStringFunc(string(plan), func(string) string {
		i++
		return "title: " + yamlString(ps[i%len(ps)]) + "}"
	})
	tree := fstest.MapFS{"plans/2022.yaml": {Data: []byte(planText)}}
	for i, p := range ps {
		q := yamlString(p)
		body := p + "\n\n[liên kết](javascript:alert(1)) ![ảnh](javascript:alert(2)) <" + "script>alert(3)</script>\n"
		tree[fmt.Sprintf("articles/xss-%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: %s\ndate: 2022-05-%02d\nsummary: %s\nauthor: %s\ntags: [%s]\nareas: [II.2.a]\n---\n%s", q, 1+i%28, q, q, q, body)}
		tree[fmt.Sprintf("procedures/xss-%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: %s\ncode: 1.09%04d\nfield: %s\nlevel: %s\nagency: %s\nprocessing_time: %s\nfee: %s\napplicants: %s\nresult: %s\nsummary: %s\ndate: 2022-05-01\n---\n%s",
			q, i, q, q, q, q, q, q, q, q, body)}
		tree[fmt.Sprintf("documents/xss-%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\nnumber: %d/QĐ-UBND\ntype: Quyết định\nissuer: %s\nissued: 2022-04-01\ntitle: %s\nsigner: %s\nfield: %s\nsummary: %s\ndate: 2022-05-01\n---\n%s",
			900+i, q, q, q, q, q, body)}
		// Payloads in fields with a fixed shape must be refused, with a message.
		tree[fmt.Sprintf("articles/xss-shape-%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: Tin\nslug: %s\nimage: %s\nareas: [%s]\n---\nThân bài.\n", q, q, q)}
	}
	return tree
}

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// workspaceItems saves each payload through the workspace as an approver
// would: a new article (title, summary, tags, body), published, changed
// with a major-update note, and every other one withdrawn with the payload
// as reason. It returns the edit addresses of the articles made.
func workspaceItems(t *testing.T, cl *testsupport.Browser, ps []string) []string {
	t.Helper()
	var made []string
	version := func(edit string) string {
		_, _, body := cl.Do("GET", edit, nil)
		m := versionRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no version on %s", edit)
		}
		return m[1]
	}
	for i, p := range ps {
		form := url.Values{"title": {p}, "summary": {p}, "tags": {p}, "body": {p + "\n\n[x](javascript:alert(1))"}, "areas": {"II.2.b"}, "author": {p}}
		st, loc, body := cl.Post("/quan-tri/tin-bai/moi", form)
		if st == http.StatusUnprocessableEntity {
			if !strings.Contains(body, `class="error-summary"`) && !strings.Contains(body, "role=\"alert\"") {
				t.Errorf("payload %d refused without a message", i)
			}
			continue
		}
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/quan-tri/tin-bai/") {
			t.Fatalf("save payload %d: %d %q", i, st, loc)
		}
		made = append(made, loc)
		if st, _, _ := cl.Post(loc+"/xuat-ban", url.Values{"version": {version(loc)}}); st != http.StatusSeeOther {
			t.Fatalf("publish payload %d: %d", i, st)
		}
		form.Set("version", version(loc))
		form.Set("change", "quan-trong")
		form.Set("change_note", p)
		form.Set("body", p+" (cập nhật)")
		if st, _, body := cl.Post(loc, form); st != http.StatusSeeOther && st != http.StatusUnprocessableEntity {
			t.Fatalf("major update of payload %d: %d\n%s", i, st, body)
		}
		if i%2 == 1 {
			if st, _, _ := cl.Post(loc+"/go-bo", url.Values{"version": {version(loc)}, "note": {p}}); st != http.StatusSeeOther && st != http.StatusUnprocessableEntity {
				t.Fatalf("withdraw payload %d: %d", i, st)
			}
		}
	}
	return made
}

// uploads sends a file named after each payload, with the payload as alt
// text, to the media library.
func uploads(t *testing.T, cl *testsupport.Browser, ps []string) int {
	t.Helper()
	stored := 0
	for i, p := range ps {
		body, ct := testsupport.UploadBody(cl.CSRF, p, p+".png", testsupport.PNG(0))
		req, _ := http.NewRequest("POST", cl.Base+"/quan-tri/tep", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Accept", "text/html")
		res, err := cl.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		switch res.StatusCode {
		case http.StatusSeeOther:
			stored++
		case http.StatusUnprocessableEntity, http.StatusBadRequest:
			// Refused with a message (a file name past the multipart
			// header limit cannot even be read: 400).
			b, _ := io.ReadAll(res.Body)
			if !strings.Contains(string(b), "role=\"alert\"") && !strings.Contains(string(b), "error") {
				t.Errorf("upload %d refused without a message", i)
			}
		default:
			t.Errorf("upload %d: %d", i, res.StatusCode)
		}
	}
	return stored
}

// TestXSS places the payload corpus in every field a person can fill —
// by import (front matter, bodies, plan area titles) and through the
// workspace (titles, bodies, change notes, withdrawal reasons, file names,
// alt text) — then opens every public and admin page that shows them, and
// the search results for each payload, in headless Chromium: no dialog
// opens, no script or event handler is injected, no javascript: URL is
// live, and the Content-Security-Policy reports nothing.
func TestXSS(t *testing.T) {
	ps := payloads(t)
	s := newSite(t)
	ctx := context.Background()
	res, err := s.env.Publish.Import(ctx, xssTree(t, ps), "content")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	refused := map[string]bool{}
	for _, e := range res.Errors {
		if e.Msg == "" {
			t.Errorf("error without a message: %+v", e)
		}
		refused[e.Path] = true
	}
	items, err := s.env.Store.ItemsBySource(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for rel := range xssTree(t, ps) {
		if strings.HasPrefix(rel, "plans/") {
			continue
		}
		if items[rel] == nil && !refused["content/"+rel] {
			t.Errorf("%s neither stored nor refused with a message", rel)
		}
	}
	t.Logf("import: %d payloads, %d added, %d refused", len(ps), res.Added, res.Failed)

	base := browsertest.Server(t, s.h)
	cl := newClient(t, base)
	cl.Login(adminName, testsupport.Password)
	made := workspaceItems(t, cl, ps)
	files := uploads(t, cl, ps)
	t.Logf("workspace: %d articles saved, published and updated; %d files uploaded", len(made), files)

	checkFeeds(t, cl)

	all, err := s.env.Store.AllItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	pages = append(pages, "/", "/tin-tuc/", "/thu-tuc-hanh-chinh/", "/van-ban/", "/chu-de/", "/theo-doi")
	for n := 2; n <= 8; n++ {
		pages = append(pages, "/tin-tuc/trang/"+strconv.Itoa(n)+"/")
	}
	for _, a := range []string{"van-ban-chi-dao", "cong-tac-chi-dao-dieu-hanh", "cai-cach-the-che", "cai-cach-thu-tuc-hanh-chinh", "chinh-quyen-dien-tu-chinh-quyen-so", "iso-9001"} {
		pages = append(pages, "/chu-de/"+a)
	}
	for _, p := range ps {
		pages = append(pages, "/tim-kiem?q="+url.QueryEscape(p))
		pages = append(pages, "/thu-tuc-hanh-chinh/?q="+url.QueryEscape(p))
	}
	var adminPages []string
	adminPages = append(adminPages, "/quan-tri/", "/quan-tri/tin-bai/", "/quan-tri/thu-tuc/", "/quan-tri/van-ban/",
		"/quan-tri/nhat-ky", "/quan-tri/tep", "/quan-tri/thung-rac", "/quan-tri/tin-bai/?q="+url.QueryEscape(ps[0]))
	for _, it := range all {
		if it.Visible(s.env.Now()) && (strings.Contains(it.SourcePath, "xss") || it.SourcePath == "") {
			pages = append(pages, it.URL())
		}
		if it.SourcePath == "" || strings.HasPrefix(it.SourcePath, "articles/xss-") {
			adminPages = append(adminPages, admin.EditURL(it), admin.EditURL(it)+"/lich-su")
		}
	}
	for _, edit := range made {
		adminPages = append(adminPages, edit+"/so-sanh?tu=1&den=2")
	}

	browser := browsertest.Browser(t)
	tab, dialogs := newTab(t, browser)
	checked := 0
	check := func(path string) {
		r := visit(t, tab, base+path)
		checked++
		if r.Scripts != 0 || len(r.Handlers) != 0 || len(r.JSURLs) != 0 || r.Embeds != 0 || len(r.CSP) != 0 {
			t.Errorf("%s: injected: scripts %d, handlers %q, javascript: URLs %q, embeds %d, CSP violations %q",
				path, r.Scripts, r.Handlers, r.JSURLs, r.Embeds, r.CSP)
		}
	}
	for _, p := range pages {
		check(p)
	}
	browserLogin(t, tab, base)
	for _, p := range adminPages {
		check(p)
	}
	if got := dialogs.Seen(); len(got) != 0 {
		t.Errorf("dialogs opened: %q", got)
	}
	t.Logf("%d payloads, %d pages opened in Chromium (%d public, %d admin), dialogs: %d",
		len(ps), checked, len(pages), len(adminPages), len(dialogs.Seen()))
}

// htmlHandlerRe finds an element with an event handler in decoded HTML.
var htmlHandlerRe = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=|<script|<iframe|<svg|<object|href="\s*javascript:`)

// checkFeeds reads the feeds as a reader would (gofeed): raw markup never
// appears unescaped, titles are plain text, and the entries' HTML holds no
// script, handler or javascript: link.
func checkFeeds(t *testing.T, cl *testsupport.Browser) {
	t.Helper()
	for _, path := range []string{"/rss.xml", "/atom.xml", "/feed.json", "/tin-tuc/rss.xml", "/thu-tuc-hanh-chinh/atom.xml", "/van-ban/feed.json", "/chu-de/cong-tac-chi-dao-dieu-hanh/rss.xml"} {
		st, _, raw := cl.Do("GET", path, nil)
		if st != http.StatusOK {
			t.Errorf("%s: %d", path, st)
			continue
		}
		// In XML a raw <script is an element; JSON strings are plain text
		// (title, summary) or HTML only in content_html, checked below.
		if !strings.HasSuffix(path, ".json") && strings.Contains(strings.ToLower(raw), "<script") {
			t.Errorf("%s: raw <script in the feed", path)
		}
		f, err := gofeed.NewParser().ParseString(raw)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for _, it := range f.Items {
			// Content is HTML in every format; the description is HTML in
			// RSS only (Atom's summary is type="text", JSON's is plain).
			html := it.Content
			if f.FeedType == "rss" {
				html += it.Description
			}
			if htmlHandlerRe.MatchString(html) {
				t.Errorf("%s: entry %q carries live markup", path, it.Title)
			}
		}
	}
}
