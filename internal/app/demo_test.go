package app_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportDemoContent imports the repository's content folder with the
// real command, as README tells a newcomer to, and wants no error and no
// warning: every document number the demo cites is in its own registry.
func TestImportDemoContent(t *testing.T) {
	dir := filepath.Join("..", "..", "content")
	files := 0
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		// Items, and the plans and reports sent of every agency (agencies/SLUG/
		// holds the others' trees).
		tree := p
		if rest, ok := strings.CutPrefix(p, "agencies/"); ok {
			_, tree, _ = strings.Cut(rest, "/")
		}
		if strings.HasSuffix(p, ".md") || (strings.HasPrefix(tree, "plans/") || strings.HasPrefix(tree, "reports/")) && strings.HasSuffix(p, ".yaml") {
			files++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("found %d content files in %s; the walk is wrong", files, dir)
	}
	code, stdout, stderr := run(t, nil, "import", "--data", t.TempDir(), dir)
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if want := fmt.Sprintf("thêm mới: %d, cập nhật: 0, không đổi: 0, lỗi: 0", files); !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want it to contain %q", stdout, want)
	}
	if stderr != "" {
		t.Errorf("the demo import reports problems:\n%s", stderr)
	}
}
