//go:build unix

package publish_test

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/content"
	"cchc/internal/media"
	"cchc/internal/publish"
)

// growingFS is a content folder whose files named in grow report, in
// their listing and their Stat, the size they had when written, but read
// on for 64 MiB: files that grow between the import's check and its read.
// It counts the bytes read from each.
type growingFS struct {
	files fstest.MapFS
	grow  map[string]bool
	mu    sync.Mutex
	read  map[string]int64
}

func (g *growingFS) Open(name string) (fs.File, error) {
	f, err := g.files.Open(name)
	if err != nil || !g.grow[name] {
		return f, err
	}
	return &growingFile{File: f, rest: 64 << 20, count: func(n int) {
		g.mu.Lock()
		g.read[name] += int64(n)
		g.mu.Unlock()
	}}, nil
}

func (g *growingFS) ReadDir(name string) ([]fs.DirEntry, error) { return g.files.ReadDir(name) }

type growingFile struct {
	fs.File
	rest  int64
	count func(int)
}

func (f *growingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if n == 0 && err == io.EOF && f.rest > 0 {
		n = int(min(int64(len(p)), f.rest))
		for i := range n {
			p[i] = 'a'
		}
		f.rest -= int64(n)
		err = nil
	}
	f.count(n)
	return n, err
}

// TestImportReadsBounded: what counts is what is read, not what Stat said.
// A content file, a plan and an attachment that grow past their limits
// after being listed are refused, and no more than limit+1 bytes of each
// are read (before, the content file and the plan were read whole).
func TestImportReadsBounded(t *testing.T) {
	e := newEnv(t)
	g := &growingFS{
		files: tree(map[string]string{
			"articles/lon.md":   goodArticle,
			"plans/2022.yaml":   testPlan,
			"documents/1256.md": documentWithFile("f/lon.pdf"),
			"f/lon.pdf":         pdfAttachment,
		}),
		grow: map[string]bool{"articles/lon.md": true, "plans/2022.yaml": true, "f/lon.pdf": true},
		read: map[string]int64{},
	}
	res := e.importFS(t, g)
	for _, want := range []string{
		"content/plans/2022.yaml: tệp quá lớn (tối đa 256 KB)",
		"content/articles/lon.md: tệp quá lớn (tối đa 1 MB)",
		`content/documents/1256.md:8: tệp đính kèm "f/lon.pdf" quá lớn`,
	} {
		if !hasError(res, want) {
			t.Errorf("no error starting %q in %v", want, res.Errors)
		}
	}
	limits := map[string]int64{"articles/lon.md": content.MaxFileSize, "plans/2022.yaml": content.MaxPlanSize, "f/lon.pdf": media.MaxBytes}
	for name, limit := range limits {
		if got := g.read[name]; got > limit+1 {
			t.Errorf("%s: read %d bytes, want at most %d", name, got, limit+1)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM items`) + e.count(t, `SELECT count(*) FROM plans`) + e.count(t, `SELECT count(*) FROM media`); n != 0 {
		t.Errorf("%d rows stored", n)
	}
}

func hasError(res *publish.ImportResult, prefix string) bool {
	for _, e := range res.Errors {
		if strings.HasPrefix(e.Error(), prefix) {
			return true
		}
	}
	return false
}

// swappedFS is a ContentDir that describes every .md file as a small
// regular file, whatever is there: a file swapped for something else
// after the import checked it.
type swappedFS struct{ *publish.ContentDir }

type regularInfo struct{ fs.FileInfo }

func (regularInfo) Mode() fs.FileMode { return 0o644 }
func (regularInfo) Size() int64       { return 10 }

func (s swappedFS) Lstat(name string) (fs.FileInfo, error) {
	info, err := s.ContentDir.Lstat(name)
	if err == nil && strings.HasSuffix(name, ".md") {
		return regularInfo{info}, nil
	}
	return info, err
}

func (s swappedFS) Stat(name string) (fs.FileInfo, error) {
	info, err := s.ContentDir.Stat(name)
	if err == nil && strings.HasSuffix(name, ".md") {
		return regularInfo{info}, nil
	}
	return info, err
}

// TestImportSwappedForFIFO: a FIFO put in place of a checked file is
// opened without blocking and refused on what the opened file is, so the
// import neither hangs nor reads it.
func TestImportSwappedForFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "articles", "ong.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := publish.OpenContentDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	e := newEnv(t)
	done := make(chan *publish.ImportResult, 1)
	go func() { done <- e.importFS(t, swappedFS{d}) }()
	select {
	case res := <-done:
		if !hasError(res, "content/articles/ong.md: tệp là ống dẫn (FIFO), không phải tệp thường") {
			t.Errorf("errors %v", res.Errors)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the import hung on a FIFO for 30 s")
	}
}
