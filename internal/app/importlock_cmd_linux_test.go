package app_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestImportCommandsAtOnce: four `cchc import` of one tree into one data
// folder at once, each with its own database handle and service as
// separate processes have: every one ends well, and together they add
// the tree once. Before the data folder's import lock, the imports after
// the first stopped on UNIQUE (the service's mutex serialises one
// process's imports only).
func TestImportCommandsAtOnce(t *testing.T) {
	content := contentDir(t)
	data := t.TempDir()
	// The database made first: opening a new one from several processes
	// at once races on its creation, which is not this test's subject.
	if code, _, stderr := run(t, nil, "import", "--data", data, content); code != 0 {
		t.Fatalf("the first import: %s", stderr)
	}
	for i := range 20 {
		writeFile(t, filepath.Join(content, "articles", fmt.Sprintf("bai-%02d.md", i)), strings.Replace(article, "title:", fmt.Sprintf("slug: bai-%02d\ntitle:", i), 1))
	}
	const n = 4
	codes, stderrs := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { codes[i], _, stderrs[i] = run(t, nil, "import", "--data", data, content) })
	}
	wg.Wait()
	for i := range n {
		if codes[i] != 0 {
			t.Errorf("import %d: exit %d: %s", i, codes[i], stderrs[i])
		}
	}
	code, stdout, _ := run(t, nil, "import", "--data", data, content)
	if code != 0 || !strings.Contains(stdout, "thêm mới: 0, cập nhật: 0, không đổi: 23, lỗi: 0") {
		t.Errorf("the import after: exit %d: %s", code, stdout)
	}
}
