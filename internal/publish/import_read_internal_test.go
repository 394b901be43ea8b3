package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"cchc/internal/content"
)

// TestReadContentFileAllocatesItsSize: reading a content file allocates
// about its size, once — io.ReadAll, which doubles from 512 bytes, took
// twice to three times the size of every file an import read, twice per
// file (h26-parse). The file read is checked to be the file, and a file
// at the limit still reads whole.
func TestReadContentFileAllocatesItsSize(t *testing.T) {
	dir := t.TempDir()
	want := bytes.Repeat([]byte("Cải cách hành chính.\n"), 256<<10/24)
	if err := os.WriteFile(filepath.Join(dir, "a.md"), want, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(dir)
	read := func() []byte {
		data, msg, _ := readContentFile(fsys, "a.md", content.MaxFileSize, "tệp")
		if msg != "" {
			t.Fatal(msg)
		}
		return data
	}
	if got := read(); !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want the file's %d", len(got), len(want))
	}
	const runs = 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		read()
	}
	runtime.ReadMemStats(&after)
	perRead := (after.TotalAlloc - before.TotalAlloc) / runs
	if limit := uint64(len(want)) * 5 / 4; perRead > limit {
		t.Errorf("a read of %d bytes allocated %d bytes, want at most %d (the file, once)", len(want), perRead, limit)
	}

	exact := want[:1<<15]
	if err := os.WriteFile(filepath.Join(dir, "b.md"), exact, 0o644); err != nil {
		t.Fatal(err)
	}
	if data, msg, _ := readContentFile(fsys, "b.md", int64(len(exact)), "tệp"); msg != "" || !bytes.Equal(data, exact) {
		t.Errorf("a file of exactly the limit: %d bytes, %q", len(data), msg)
	}
	if _, msg, _ := readContentFile(fsys, "b.md", int64(len(exact))-1, "tệp"); msg == "" {
		t.Error("a file one byte past the limit was read")
	}
}
