package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"cchc/internal/admin"
	"cchc/internal/auth"
)

// TestAccountUnitsDuringImport: the root admin saves an agency 2
// account's unit 30 times at once (in and out of a unit) while an import
// brings agency 2's record and 40 plans naming 50 new leads each. No save
// fails (no UNIQUE or busy error as a 500), the import has no error, and
// the account page then offers at most the agency's 100 units (before:
// 2,006 options, 2,001 of them units).
func TestAccountUnitsDuringImport(t *testing.T) {
	s := newAgencyServer(t)
	if _, err := s.env.DB.Write.Exec(`INSERT INTO units (slug, name, agency_id) VALUES ('van-phong-so', 'Văn phòng Sở', ?)`, s.other); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"agencies/so-tu-phap/agency.yaml": {Data: []byte("name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: Sở Tư pháp\nprefix: /so-tu-phap\n")}}
	for y := 2000; y < 2040; y++ {
		var leads []string
		for i := range 50 {
			leads = append(leads, fmt.Sprintf("Phòng %d-%d", y, i))
		}
		fsys[fmt.Sprintf("agencies/so-tu-phap/plans/%d.yaml", y)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"number: %d/KH-STP\ntitle: Kế hoạch thử\nissued: %d-03-25\nyear: %d\nareas:\n  - {id: II.1, title: Văn bản chỉ đạo}\n"+
				"items:\n  - {id: III.4, title: Hội nghị, tracked: true, lead: %q}\n", y, y, y, strings.Join(leads, "; "))}
	}
	root := s.login(auth.Admin)
	own := fmt.Sprintf("%s/%d", admin.UsersPath, s.staff[auth.Editor].ID)
	const n = 30
	codes := make([]int, n)
	var importErr error
	var failed int
	var wg sync.WaitGroup
	wg.Go(func() {
		res, err := s.env.Publish.Import(context.Background(), fsys, "content")
		if importErr = err; err == nil {
			failed = res.Failed
		}
	})
	for i := range n {
		wg.Go(func() {
			unit := []string{"van-phong-so", ""}[i%2]
			codes[i] = s.post(root, own, url.Values{"display_name": {""}, "role": {"editor"}, "unit": {unit}}).StatusCode
		})
	}
	wg.Wait()
	if importErr != nil || failed != 0 {
		t.Errorf("the import: %v, %d failed", importErr, failed)
	}
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("save %d: %d", i, c)
		}
	}
	page := s.get(root, own)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("the account page: %d", page.StatusCode)
	}
	if opts := strings.Count(page.body, "<option"); opts > 100+10 {
		t.Errorf("the account page has %d options: the unit list is not bounded", opts)
	}
}
