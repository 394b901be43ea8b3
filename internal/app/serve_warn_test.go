package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cchc/internal/testsupport"
)

// TestServePrintsImportWarnings: the first start's import prints each
// warning, path:line and message, not only their count (issue 17.11).
func TestServePrintsImportWarnings(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "noi-dung")
	if err := os.MkdirAll(filepath.Join(src, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(src, "articles", "tin.md"), "---\ntitle: Tin\ndate: 2022-03-20\n---\nThực hiện Kế hoạch số 999/KH-UBND chưa có trong danh mục.\n")
	srv := testsupport.Serve(t, "--data", filepath.Join(dir, "data"), "--content", src)
	log := srv.Stderr.String()
	var warning string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "import warning") {
			warning = l
		}
	}
	if !strings.Contains(warning, "level=WARN") || !strings.Contains(warning, "articles/tin.md:5:") || !strings.Contains(warning, "999/KH-UBND") {
		t.Errorf("no WARN line naming the file, line and number; log:\n%s", log)
	}
	if testing.Verbose() {
		t.Log(warning)
	}
	if !strings.Contains(log, "warnings=1") {
		t.Errorf("count of warnings not 1; log:\n%s", log)
	}
}
