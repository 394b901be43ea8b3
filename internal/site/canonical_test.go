package site_test

import (
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
)

// Documents of the Sở Tư pháp and of a district committee (test
// fixtures, not real documents).
const (
	stpDocument = `---
number: 997/KH-STP
type: Kế hoạch
issuer: Sở Tư pháp tỉnh Quảng Ngãi
issued: 2022-06-01
title: Kế hoạch thử nghiệm kênh tin của Sở Tư pháp
date: 2022-06-02
---
Kế hoạch thử nghiệm.
`
	districtDocument = `---
number: 998/QĐ-UBND
type: Quyết định
issuer: Ủy ban nhân dân huyện Sơn Tịnh
issued: 2022-06-01
title: Ban hành Quy chế thử nghiệm của bộ phận một cửa cấp huyện
date: 2022-06-02
---
Quy chế thử nghiệm.
`
)

var canonicalRE = regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)

// TestRegistryDocumentOneAddress: a document of the shared registry
// answers under every column, and every copy names one canonical address:
// that of the column whose agency keeps it (a prefix, a host, or the
// root's), as the sitemap of that column lists it.
func TestRegistryDocumentOneAddress(t *testing.T) {
	p := newProvince(t)
	mustWrite(t, filepath.Join(p.dir, "agencies", "so-tu-phap", "documents", "997-kh-stp.md"), stpDocument)
	mustWrite(t, filepath.Join(p.dir, "agencies", "ubnd-son-tinh", "documents", "998-qd-ubnd.md"), districtDocument)
	p.importContent()
	columns := []string{"", "/so-tu-phap", "http://" + districtHost}
	for path, want := range map[string]string{
		"/van-ban/997-kh-stp":    feedBase + "/so-tu-phap/van-ban/997-kh-stp",
		"/van-ban/998-qd-ubnd":   "https://" + districtHost + "/van-ban/998-qd-ubnd",
		"/van-ban/42-2022-nd-cp": feedBase + "/van-ban/42-2022-nd-cp", // the shared registry's
		"/van-ban/999-qd-skhcn":  feedBase + "/van-ban/999-qd-skhcn",  // the root agency's
	} {
		for _, col := range columns {
			w := p.get(col + path)
			if w.Code != http.StatusOK {
				t.Errorf("%s%s: %d", col, path, w.Code)
				continue
			}
			m := canonicalRE.FindStringSubmatch(w.Body.String())
			if m == nil || m[1] != want {
				t.Errorf("%s%s names canonical %v, want %s", col, path, m, want)
			}
		}
	}
}
