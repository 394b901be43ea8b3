package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
)

// TestPublicPreview: an editor sees a draft as citizens will — the public
// theme's frame (header, menu, breadcrumbs, footer) around the draft's
// body — and in a phone-wide frame, while the public address still answers
// 404 and nothing is published; anonymous visitors and viewers are refused
// as on every workspace route (issue 17.5).
func TestPublicPreview(t *testing.T) {
	s, _ := newItemServer(t)
	ctx := context.Background()
	it, _, err := s.env.Publish.Save(ctx, asEditor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: "Bản nháp xem như bạn đọc",
		Slug: "ban-nhap-xem-truoc", Body: "## Mục một\n\nĐoạn **riêng** của bản nháp.\n", Areas: []string{"II.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/quan-tri/tin-bai/%d/xem-truoc", it.ID)
	before := s.itemsState()

	for _, tt := range []struct {
		name string
		role auth.Role // "" is an anonymous visitor
	}{{"anonymous", ""}, {"viewer", auth.Viewer}} {
		rq := request{method: "GET", path: path}
		if tt.role != "" {
			rq.cookies = append(rq.cookies, s.login(tt.role).cookie)
		}
		res := s.do(rq)
		if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 302/303/401/403", tt.name, res.StatusCode)
		}
		if strings.Contains(res.body, "riêng</strong> của bản nháp") {
			t.Errorf("%s sees the draft's body", tt.name)
		}
	}

	se := s.login(auth.Editor)
	res := s.do(request{method: "GET", path: path, cookies: []*http.Cookie{se.cookie}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d\n%s", res.StatusCode, res.body)
	}
	for _, want := range []string{
		`<header class="site-header">`, `<nav class="menu"`, `<nav class="breadcrumbs wrap"`, `<footer class="site-footer">`, // the public frame
		`<article class="wrap item article">`, "<h1>Bản nháp xem như bạn đọc</h1>", // the public article page
		"<strong>riêng</strong> của bản nháp", // the draft's body
		`<div class="preview-banner" role="note">`, `<meta name="robots" content="noindex, nofollow">`,
		fmt.Sprintf(`href="/quan-tri/tin-bai/%d"`, it.ID), path + "?kho=dien-thoai",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("preview lacks %s", want)
		}
	}
	if strings.Contains(res.body, "admin.css") || strings.Contains(res.body, `rel="canonical"`) {
		t.Error("preview carries the workspace's stylesheet or a canonical link")
	}
	if got := res.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("preview X-Frame-Options %q, want DENY", got)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("preview Cache-Control %q", cc)
	}

	// The phone view frames the page, which only then may be framed, by
	// the column's own pages.
	phone := s.do(request{method: "GET", path: path + "?kho=dien-thoai", cookies: []*http.Cookie{se.cookie}})
	frame := path + "?khung=1"
	if phone.StatusCode != 200 || !strings.Contains(phone.body, `<iframe src="`+frame+`" width="390" height="844"`) {
		t.Errorf("phone view: %d, no 390 px frame of %s\n%s", phone.StatusCode, frame, phone.body)
	}
	if phone.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("phone view X-Frame-Options %q", phone.Header.Get("X-Frame-Options"))
	}
	framed := s.do(request{method: "GET", path: frame, cookies: []*http.Cookie{se.cookie}})
	if framed.StatusCode != 200 || !strings.Contains(framed.body, "<strong>riêng</strong> của bản nháp") || strings.Contains(framed.body, "preview-banner") {
		t.Errorf("framed page: %d, body or banner wrong", framed.StatusCode)
	}
	if framed.Header.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(framed.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("framed page headers: %q, %q", framed.Header.Get("X-Frame-Options"), framed.Header.Get("Content-Security-Policy"))
	}

	// Nothing published: the public address is still unknown to citizens,
	// and no item, revision or log entry changed.
	if pub := s.do(request{method: "GET", path: "/tin-tuc/ban-nhap-xem-truoc"}); pub.StatusCode != http.StatusNotFound {
		t.Errorf("public page of the draft: %d, want 404", pub.StatusCode)
	}
	if after := s.itemsState(); after != before {
		t.Error("previewing changed the items, revisions or publication log")
	}

	// The edit screen links the preview; another kind's address or an
	// unknown id is not found.
	edit := s.do(request{method: "GET", path: fmt.Sprintf("/quan-tri/tin-bai/%d", it.ID), cookies: []*http.Cookie{se.cookie}})
	if !strings.Contains(edit.body, `href="`+path+`"`) {
		t.Error("the edit screen does not link the preview")
	}
	for _, p := range []string{fmt.Sprintf("/quan-tri/van-ban/%d/xem-truoc", it.ID), "/quan-tri/tin-bai/999999/xem-truoc"} {
		if res := s.do(request{method: "GET", path: p, cookies: []*http.Cookie{se.cookie}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}
