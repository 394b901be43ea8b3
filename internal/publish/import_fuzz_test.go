package publish_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	demo "cchc/content"
	"cchc/internal/content"
)

// FuzzImport imports a tree of one fuzzed file (with the demo plan, so
// areas resolve) into one database shared by the worker's inputs, as a
// repeated `cchc import` would: the import never fails as a whole, the
// file is either stored or refused with `path:line: message` errors, and
// a stored item is valid UTF-8 with a usable slug.
func FuzzImport(f *testing.F) {
	plan, err := fs.ReadFile(demo.FS, "plans/2022.yaml")
	if err != nil {
		f.Fatal(err)
	}
	list, err := fs.ReadFile(demo.FS, "plans/2022-tthc.csv") // the plan's procedure_list
	if err != nil {
		f.Fatal(err)
	}
	for i, k := range content.Kinds {
		entries, err := fs.ReadDir(demo.FS, k.Dir())
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries[:min(2, len(entries))] {
			data, err := fs.ReadFile(demo.FS, k.Dir()+"/"+e.Name())
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), data)
		}
	}
	f.Add(uint8(2), []byte("---\ntitle: \"<script>alert(1)</script>\"\nareas: [II.9]\n---\n<img src=x onerror=alert(1)>\n"))
	f.Add(uint8(0), []byte("---\nnumber: 1256/QĐ-UBND\ntype: Quyết định\n---\n"))
	f.Add(uint8(1), []byte("---\ntitle: a\ncode: 1.001193\nslug: ../../x\n---\n"))
	f.Add(uint8(2), []byte("---\ntitle: [\n---\n"))
	f.Add(uint8(2), []byte("\xff\xfe---\n"))
	e := newEnv(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := content.Kinds[int(kind)%len(content.Kinds)]
		rel := k.Dir() + "/thu-nghiem.md"
		fsys := fstest.MapFS{
			"plans/2022.yaml":     {Data: plan},
			"plans/2022-tthc.csv": {Data: list},
			rel:                   {Data: data},
		}
		res, err := e.svc.Import(ctx, fsys, "content")
		if err != nil {
			t.Fatalf("Import failed as a whole: %v", err)
		}
		// The plan counts as a file too (added once, then unchanged).
		if n := res.Added + res.Updated + res.Unchanged + res.Failed; n != 2 || res.Failed > 1 {
			t.Fatalf("a plan and one file counted as %d: %+v", n, res)
		}
		if res.Failed == 1 {
			if len(res.Errors) == 0 {
				t.Fatal("a refused file without a message")
			}
			for _, x := range res.Errors {
				if x.Msg == "" || !strings.HasPrefix(x.Path, "content/") || x.Line < 0 {
					t.Fatalf("bad error %+v", x)
				}
			}
			return
		}
		if len(res.Errors) != 0 {
			t.Fatalf("stored with errors: %v", res.Errors)
		}
		items, err := e.st.ItemsBySource(ctx)
		if err != nil {
			t.Fatal(err)
		}
		it := items[rel]
		if it == nil {
			t.Fatalf("%s counted as stored, not in the database", rel)
		}
		if !content.ValidSlug(it.Slug) || !utf8.ValidString(it.Title) {
			t.Fatalf("stored item with slug %q title %q", it.Slug, it.Title)
		}
	})
}
