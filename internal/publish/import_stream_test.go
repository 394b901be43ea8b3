package publish_test

import (
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// shiftingFS serves a content tree whose file changed is read with other
// bytes from its second opening on: a file an editor saves while an
// import runs.
type shiftingFS struct {
	fstest.MapFS
	changed string
	after   []byte

	mu     sync.Mutex
	opened map[string]int
}

func (f *shiftingFS) Open(name string) (fs.File, error) {
	f.mu.Lock()
	f.opened[name]++
	n := f.opened[name]
	f.mu.Unlock()
	if name == f.changed && n > 1 {
		return fstest.MapFS{name: &fstest.MapFile{Data: f.after}}.Open(name)
	}
	return f.MapFS.Open(name)
}

// TestImportTwoPasses: the import checks every file in a claims pass and
// reads each file again for its body when it writes it, a chunk at a
// time, so that the tree is never held in memory whole. A file whose
// bytes changed in between is not written — what was checked (its slug,
// number, code) is not what would be stored — and says so; the others go
// in, and the next import brings it in.
func TestImportTwoPasses(t *testing.T) {
	e := newEnv(t)
	files := tree(map[string]string{
		"plans/2022.yaml":   testPlan,
		"articles/a.md":     goodArticle,
		"articles/b.md":     goodArticle,
		"procedures/tt.md":  goodProcedure,
		"articles/notes.md": strings.Replace(goodArticle, "Nội dung bài viết.", "Bài khác.", 1),
	})
	later := strings.Replace(goodArticle, "Nội dung bài viết.", "Nội dung đã sửa trong khi nhập.", 1)
	fsys := &shiftingFS{MapFS: files, changed: "articles/b.md", after: []byte(later), opened: map[string]int{}}
	res := e.importFS(t, fsys)
	if res.Added != 4 || res.Failed != 1 {
		t.Fatalf("added %d, failed %d (errors %v); want 4 added (the plan and three files), 1 failed", res.Added, res.Failed, res.Errors)
	}
	if len(res.Errors) != 1 || res.Errors[0].Path != "content/articles/b.md" || !strings.Contains(res.Errors[0].Msg, "đã thay đổi trong khi đang nhập") {
		t.Errorf("errors %v; want content/articles/b.md changed while importing", res.Errors)
	}
	for _, name := range []string{"articles/a.md", "procedures/tt.md", "articles/notes.md"} {
		if n := fsys.opened[name]; n != 2 {
			t.Errorf("%s opened %d times, want 2 (claims pass, then its write)", name, n)
		}
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE source_path = 'articles/b.md'`); n != 0 {
		t.Errorf("the changed file was written (%d rows)", n)
	}
	res = e.importFS(t, fstest.MapFS(fsys.MapFS))
	if res.Failed != 0 || res.Added != 1 {
		t.Errorf("import again: added %d, failed %d (%v); want the changed file added", res.Added, res.Failed, res.Errors)
	}
	if got := e.str(t, `SELECT body_md FROM items WHERE source_path = 'articles/b.md'`); got != "Nội dung bài viết.\n" {
		t.Errorf("stored body %q", got)
	}
}
