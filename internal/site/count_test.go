package site_test

import (
	"testing"
	"testing/fstest"

	"cchc/internal/site"
	"cchc/internal/theme"
)

// TestCountFunc: a count in a page is written as Vietnamese writes it,
// with dots between thousands, in the catalogue's words.
func TestCountFunc(t *testing.T) {
	fsys := fstest.MapFS{"pages/p.html": {Data: []byte(`{{define "p"}}{{t "site.search.found_about" (num .) "công nghệ"}} · {{t "site.count.documents" (num 999)}}{{end}}`)}}
	th, err := theme.Load(fsys, site.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	got, err := th.RenderBytes("p", 9243)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Tìm thấy khoảng 9.243 kết quả cho “công nghệ” · 999 văn bản"; string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
