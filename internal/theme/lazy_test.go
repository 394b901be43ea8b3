package theme

import (
	"bytes"
	"html/template"
	"sync"
	"testing"
	"testing/fstest"
)

func lazyTheme() fstest.MapFS {
	return fstest.MapFS{
		"layouts/base.html": {Data: []byte(`{{define "base"}}<main>{{block "main" .}}{{end}}</main>{{end}}`)},
		"pages/home.html":   {Data: []byte(`{{define "home"}}{{template "base" .}}{{end}}{{define "main"}}<h1>{{.}}</h1>{{end}}`)},
		"pages/about.html":  {Data: []byte(`{{define "about"}}{{template "base" .}}{{end}}{{define "main"}}<p>{{.}}</p>{{end}}`)},
		"pages/news.html":   {Data: []byte(`{{define "news"}}{{template "base" .}}{{end}}{{define "main"}}<ul><li>{{.}}</li></ul>{{end}}`)},
	}
}

// TestPagesBuiltWhenRendered: Load checks every page but keeps no page's
// template set; a set is built at the page's first render, once however
// many render it at that moment, and each renders as a set built at once
// from the same files would.
func TestPagesBuiltWhenRendered(t *testing.T) {
	fsys := lazyTheme()
	th, err := Load(fsys, template.FuncMap{})
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range th.pages {
		if p.set != nil {
			t.Errorf("page %s built by Load", name)
		}
	}
	const n = 8
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = th.RenderBytes("home", "<Trang chủ>") })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("render %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], got[0]) {
			t.Errorf("render %d = %s, render 0 = %s", i, got[i], got[0])
		}
	}
	if th.pages["home"].set == nil || th.pages["about"].set != nil || th.pages["news"].set != nil {
		t.Errorf("built: home %v, about %v, news %v; want home only",
			th.pages["home"].set != nil, th.pages["about"].set != nil, th.pages["news"].set != nil)
	}
	// Different pages built at the same moment clone the shared set
	// side by side (go test -race).
	var wg2 sync.WaitGroup
	for _, name := range []string{"about", "news", "about", "news"} {
		wg2.Go(func() {
			if _, err := th.RenderBytes(name, "x"); err != nil {
				t.Error(err)
			}
		})
	}
	wg2.Wait()
	// The oracle: every page parsed into its own clone up front, as Load
	// did before.
	shared := template.New("")
	if _, err := shared.New("layouts/base.html").Parse(string(fsys["layouts/base.html"].Data)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"home", "about", "news"} {
		set := template.Must(template.Must(shared.Clone()).New("pages/" + name + ".html").Parse(string(fsys["pages/"+name+".html"].Data)))
		var want bytes.Buffer
		if err := set.ExecuteTemplate(&want, name, "<Trang chủ>"); err != nil {
			t.Fatal(err)
		}
		b, err := th.RenderBytes(name, "<Trang chủ>")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want.Bytes()) {
			t.Errorf("%s = %s, built at once = %s", name, b, want.Bytes())
		}
	}
}

// TestPageRendersWhatWasChecked: a page file changed on disk after Load
// (an operator editing the theme folder of a running server) is not what
// the page renders; the bytes Load checked are.
func TestPageRendersWhatWasChecked(t *testing.T) {
	fsys := lazyTheme()
	th, err := Load(fsys, template.FuncMap{})
	if err != nil {
		t.Fatal(err)
	}
	fsys["pages/about.html"] = &fstest.MapFile{Data: []byte(`{{define "about"}}{{if}}{{end}}`)}
	b, err := th.RenderBytes("about", "x")
	if err != nil || string(b) != "<main><p>x</p></main>" {
		t.Errorf("about = %q, %v; want the page Load checked", b, err)
	}
}
