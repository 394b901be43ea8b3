package reliability_test

import (
	"net/http"
	"strings"
	"testing"

	"cchc/internal/testsupport"
)

// TestBinaryDemoThreeAgencies runs the built binary as someone who has
// only the binary does: `cchc serve` with no content folder, so it
// imports the embedded demo. The demo is three agencies, and the binary
// alone must show all three: the root column at the root addresses, the
// Sở Tư pháp under /so-tu-phap and the district's committee under
// /huyen-son-tinh, each with its own articles in its own column, and the
// province's roll-up (/bao-cao/tinh) with a row for each.
func TestBinaryDemoThreeAgencies(t *testing.T) {
	data := t.TempDir()
	srv := startServer(t, data, testsupport.FreeAddr(t))
	ed := newEditor("http://" + srv.addr)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/", []string{"Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"}},
		{"/tin-tuc/so-ban-hanh-ke-hoach-tuyen-truyen-cchc-2022", []string{"<h1"}},
		{"/so-tu-phap/", []string{"Sở Tư pháp", `href="/so-tu-phap/tin-tuc/`}},
		{"/so-tu-phap/tin-tuc/stp-hoa-giai-o-co-so", []string{"Tuyên truyền về hòa giải ở cơ sở gắn với cải cách hành chính"}},
		{"/huyen-son-tinh/", []string{"Sơn Tịnh", `href="/huyen-son-tinh/tin-tuc/`}},
		{"/huyen-son-tinh/tin-tuc/son-tinh-chinh-quyen-so", []string{"<h1"}},
		{"/toan-tinh/tim-kiem?q=cai+cach", []string{"Sở Tư pháp", "UBND huyện Sơn Tịnh", "Sở KH&amp;CN"}},
	} {
		body, code, err := ed.get(tc.path)
		if err != nil || code != http.StatusOK {
			t.Errorf("GET %s: %d, %v", tc.path, code, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q", tc.path, w)
			}
		}
	}
	if err := ed.login("admin", adminPassword(t, data)); err != nil {
		t.Fatal(err)
	}
	body, code, err := ed.get("/bao-cao/tinh?nam=2022")
	if err != nil || code != http.StatusOK {
		t.Fatalf("roll-up: %d, %v", code, err)
	}
	for _, row := range []string{`id="co-quan-so-khcn"`, `id="co-quan-so-tu-phap"`, `id="co-quan-ubnd-huyen-son-tinh"`} {
		if !strings.Contains(body, row) {
			t.Errorf("the roll-up has no row %s", row)
		}
	}
}
