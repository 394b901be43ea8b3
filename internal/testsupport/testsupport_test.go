package testsupport_test

import (
	"bytes"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"strings"
	"testing"

	demo "cchc/content"
	"cchc/internal/config"
	"cchc/internal/media"
	"cchc/internal/testsupport"
)

// TestFilesAreWhatTheySay: each file builder's bytes pass the media
// library's sniffing as the type its name says, and the images decode,
// so a test that uploads them tests what it means to.
func TestFilesAreWhatTheySay(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want media.Type
	}{
		{"a.png", testsupport.PNG(1), media.PNG},
		{"a.jpg", testsupport.JPEG(1), media.JPEG},
		{"a.gif", testsupport.GIF(1), media.GIF},
		{"a.webp", testsupport.WebP(), media.WebP},
		{"a.pdf", testsupport.PDF(), media.PDF},
		{"a.docx", testsupport.DOCX(), media.DOCX},
		{"a.xlsx", testsupport.XLSX(), media.XLSX},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := media.Check(tt.name, tt.data)
			if err != nil || got != tt.want {
				t.Fatalf("media.Check = %v, %v; want %v", got.Label, err, tt.want.Label)
			}
			if tt.want.Image && tt.want != media.WebP {
				if _, _, err := image.Decode(bytes.NewReader(tt.data)); err != nil {
					t.Errorf("does not decode: %v", err)
				}
			}
		})
	}
	if bytes.Equal(testsupport.PNG(1), testsupport.PNG(2)) || bytes.Equal(testsupport.JPEG(1), testsupport.JPEG(2)) {
		t.Error("images of different n are the same bytes")
	}
}

// TestPlanYear: the plan year imports whole and logs its 16 rows.
func TestPlanYear(t *testing.T) {
	env := testsupport.Open(t, config.Defaults, testsupport.PlanClock)
	res := testsupport.Import(t, env, testsupport.PlanYear())
	if res.Added != 18 {
		t.Errorf("%d files added, want 18 (17 items and the plan)", res.Added)
	}
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM publog`); n != 16 {
		t.Errorf("%d log rows, want 16", n)
	}
}

// TestDemoRoot: the embedded demo holds the three agencies (the root
// column and agencies/so-tu-phap, agencies/ubnd-huyen-son-tinh), and
// DemoRoot is the same tree, byte for byte, without agencies/.
func TestDemoRoot(t *testing.T) {
	for _, p := range []string{"agencies/so-tu-phap/agency.yaml", "agencies/ubnd-huyen-son-tinh/agency.yaml", "agencies/so-tu-phap/plans/2022.yaml"} {
		if _, err := fs.Stat(demo.FS, p); err != nil {
			t.Errorf("the embedded demo has no %s: %v", p, err)
		}
	}
	root := testsupport.DemoRoot(t)
	if _, err := fs.Stat(root, "agencies"); err == nil {
		t.Error("DemoRoot has agencies/")
	}
	whole, kept := 0, 0
	err := fs.WalkDir(demo.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "agencies/") {
			return err
		}
		whole++
		want, _ := fs.ReadFile(demo.FS, p)
		if got, err := fs.ReadFile(root, p); err != nil || !bytes.Equal(got, want) {
			t.Errorf("DemoRoot %s: %v, or other bytes", p, err)
		} else {
			kept++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if whole < 50 || kept != whole {
		t.Errorf("DemoRoot keeps %d of the root column's %d files", kept, whole)
	}
}
