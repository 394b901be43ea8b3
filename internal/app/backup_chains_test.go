package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"cchc/internal/agency"
	"cchc/internal/database"
	"cchc/internal/store"
)

// TestBackupChainHeads: `cchc backup` of an instance with two agencies'
// content prints the head of each agency's log chain — the root's on its
// line as before, Sở Tư pháp's on one of its own — each the hash of that
// chain's last row in the copy.
func TestBackupChainHeads(t *testing.T) {
	content := contentDir(t)
	writeFile(t, filepath.Join(content, "agencies", "so-tu-phap", "agency.yaml"),
		"name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: Sở Tư pháp\nprefix: /so-tu-phap\n")
	for _, f := range []struct{ name, title, date string }{
		{"stp-1.md", "Sở Tư pháp triển khai kế hoạch cải cách hành chính", "2022-03-21"},
		{"stp-2.md", "Sở Tư pháp rà soát thủ tục hành chính", "2022-05-12"},
	} {
		writeFile(t, filepath.Join(content, "agencies", "so-tu-phap", "articles", f.name),
			"---\ntitle: "+f.title+"\ndate: "+f.date+"T08:00:00+07:00\n---\nNội dung.\n")
	}
	data := t.TempDir()
	if code, out, errs := run(t, nil, "import", "--data", data, content); code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	file := filepath.Join(t.TempDir(), "sao-luu.db")
	code, out, errs := run(t, nil, "backup", file, "--data", data)
	if code != 0 {
		t.Fatalf("backup: %d\n%s\n%s", code, out, errs)
	}

	db, err := database.OpenReadOnly(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := store.New(db)
	stp, err := st.AgencyBySlug(context.Background(), "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id   int64
		line string
	}{
		{agency.Root, "nhật ký đăng tải %d bản ghi (mã băm cuối chuỗi %s)"},
		{stp.ID, "Nhật ký đăng tải của cơ quan so-tu-phap: %d bản ghi (mã băm cuối chuỗi %s)."},
	} {
		h, err := st.LogHead(agency.WithID(context.Background(), c.id))
		if err != nil || h.Rows == 0 {
			t.Fatalf("agency %d's chain in the copy: %+v %v", c.id, h, err)
		}
		if want := fmt.Sprintf(c.line, h.Rows, h.Hash); !strings.Contains(out, want) {
			t.Errorf("backup's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "Nhật ký đăng tải của cơ quan") != 1 {
		t.Errorf("backup's output: want one line for the one other agency:\n%s", out)
	}
}
