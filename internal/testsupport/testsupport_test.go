package testsupport_test

import (
	"bytes"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"testing"

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
