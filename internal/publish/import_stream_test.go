package publish_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/store"
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

// shiftingTree is a plan and four files; articles/b.md is read with a
// changed body from its second opening on.
func shiftingTree() *shiftingFS {
	files := tree(map[string]string{
		"plans/2022.yaml":   testPlan,
		"articles/a.md":     goodArticle,
		"articles/b.md":     goodArticle,
		"procedures/tt.md":  goodProcedure,
		"articles/notes.md": strings.Replace(goodArticle, "Nội dung bài viết.", "Bài khác.", 1),
	})
	later := strings.Replace(goodArticle, "Nội dung bài viết.", "Nội dung đã sửa trong khi nhập.", 1)
	return &shiftingFS{MapFS: files, changed: "articles/b.md", after: []byte(later), opened: map[string]int{}}
}

// TestImportTwoPasses: past the import's budget of kept files (here 0
// bytes: none kept), the import checks every file in a claims pass and
// reads each file again for its body when it writes it, a chunk at a
// time, so that the tree is never held in memory whole. A file whose
// bytes changed in between is not written — what was checked (its slug,
// number, code) is not what would be stored — and says so; the others go
// in, and the next import brings it in.
func TestImportTwoPasses(t *testing.T) {
	e := newEnv(t)
	e.svc.SetImportKeep(0)
	fsys := shiftingTree()
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
	if got := e.str(t, `SELECT body_md FROM items JOIN item_bodies ON item_id = id WHERE source_path = 'articles/b.md'`); got != "Nội dung bài viết.\n" {
		t.Errorf("stored body %q", got)
	}
}

// TestImportReadsOnce: within the import's budget (the default, far above
// this tree) every file is opened, read and parsed once — its claims
// pass keeps the parsed file for its write. What is written is then what
// was checked by construction: a file an editor saves after the claims
// pass read it is stored as it was read, with the hash of those bytes,
// so the next import sees the new bytes as a change and brings them in.
func TestImportReadsOnce(t *testing.T) {
	e := newEnv(t)
	fsys := shiftingTree()
	res := e.importFS(t, fsys)
	if res.Added != 5 || res.Failed != 0 {
		t.Fatalf("added %d, failed %d (errors %v); want 5 added (the plan and four files)", res.Added, res.Failed, res.Errors)
	}
	for _, name := range []string{"articles/a.md", "articles/b.md", "procedures/tt.md", "articles/notes.md"} {
		if n := fsys.opened[name]; n != 1 {
			t.Errorf("%s opened %d times, want 1 (its claims pass, kept for its write)", name, n)
		}
	}
	sum := sha256.Sum256([]byte(goodArticle))
	if got := e.str(t, `SELECT body_md || ' ' || content_hash FROM items JOIN item_bodies ON item_id = id WHERE source_path = 'articles/b.md'`); got != "Nội dung bài viết.\n "+hex.EncodeToString(sum[:]) {
		t.Errorf("stored body and hash %q; want the bytes the claims pass read, and their hash", got)
	}
	res = e.importFS(t, fstest.MapFS{"articles/b.md": &fstest.MapFile{Data: fsys.after}})
	if res.Failed != 0 || res.Updated != 1 {
		t.Errorf("import the new bytes: updated %d, failed %d (%v); want the changed file updated", res.Updated, res.Failed, res.Errors)
	}
	if got := e.str(t, `SELECT body_md FROM items JOIN item_bodies ON item_id = id WHERE source_path = 'articles/b.md'`); got != "Nội dung đã sửa trong khi nhập.\n" {
		t.Errorf("stored body %q after the next import", got)
	}
}

// racingFS runs race once, when the import's write pass opens name
// again (its claims pass opened it first): what an editor's save landing
// between the two passes looks like to the import.
type racingFS struct {
	fstest.MapFS
	name string
	race func()

	mu     sync.Mutex
	opened map[string]int
}

func (f *racingFS) Open(name string) (fs.File, error) {
	f.mu.Lock()
	f.opened[name]++
	second := name == f.name && f.opened[name] == 2
	f.mu.Unlock()
	if second {
		f.race()
	}
	return f.MapFS.Open(name)
}

// TestImportSlugTakenMeanwhile: an editor saves an item with a file's
// slug after the import's claims pass found the slug free and before
// the import writes the file. The import used to stop on the UNIQUE
// index with the trees before it written and a message in English; the
// file is now refused, naming its line, and the rest of the tree goes in.
func TestImportSlugTakenMeanwhile(t *testing.T) {
	e := newEnv(t)
	e.svc.SetImportKeep(0) // the write pass reads every file again
	ctx := context.Background()
	editor := publish.Actor{Name: "lan", Role: auth.Editor}
	var saved *store.Item
	fsys := &racingFS{
		MapFS: tree(map[string]string{
			"plans/2022.yaml": testPlan,
			"articles/a.md":   goodArticle,
			"articles/b.md":   strings.Replace(goodArticle, "title:", "slug: tin-moi\ntitle:", 1),
			"articles/c.md":   goodArticle,
		}),
		name:   "articles/b.md",
		opened: map[string]int{},
	}
	fsys.race = func() {
		var err error
		saved, _, err = e.svc.Save(ctx, editor, publish.SaveRequest{Item: content.Item{Kind: content.Article, Slug: "tin-moi", Title: "Tin của biên tập viên", Body: "Viết trên trang quản trị.\n"}})
		if err != nil {
			t.Errorf("the editor's save: %v", err)
		}
	}
	res, err := e.svc.Import(ctx, fsys, "content")
	if err != nil {
		t.Fatalf("Import: %v; want the file taking the slug refused, not the import stopped", err)
	}
	if saved == nil {
		t.Fatal("the race did not run: the write pass did not read articles/b.md again")
	}
	if res.Added != 3 || res.Failed != 1 {
		t.Errorf("added %d, failed %d (%v); want the plan, a.md and c.md added and b.md refused", res.Added, res.Failed, res.Errors)
	}
	want := `content/articles/b.md:2: slug "tin-moi" đã được dùng ở một mục khác` // as when the item was there before the import
	if len(res.Errors) != 1 || res.Errors[0].Error() != want {
		t.Errorf("errors %v; want [%s]", res.Errors, want)
	}
	if got := e.str(t, `SELECT title FROM items WHERE slug = 'tin-moi'`); got != "Tin của biên tập viên" {
		t.Errorf("the item with the slug is %q; want the editor's", got)
	}
	if n := e.count(t, `SELECT count(*) FROM items WHERE source_path IN ('articles/a.md', 'articles/c.md')`); n != 2 {
		t.Errorf("%d of a.md and c.md stored; want both", n)
	}
}
