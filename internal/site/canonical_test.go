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
	stcDocument = `---
number: 996/QĐ-STC
type: Quyết định
issuer: Sở Tài chính tỉnh Quảng Ngãi
issued: 2022-06-01
title: Ban hành Quy chế thử nghiệm kênh tin của Sở Tài chính
date: 2022-06-02
---
Quy chế thử nghiệm.
`
)

// stcHost is the host of an agency that has a prefix too.
const stcHost = "stc.quangngai.gov.vn"

var canonicalRE = regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)

// TestRegistryDocumentOneAddress: a document of the shared registry
// answers under every column, and every copy names one canonical address:
// that of the column whose agency keeps it (a prefix, a host, or the
// root's), as the sitemap of that column lists it. An agency with both a
// prefix and a host is at its host, from its prefix too.
func TestRegistryDocumentOneAddress(t *testing.T) {
	p := newProvince(t)
	mustWrite(t, filepath.Join(p.dir, "agencies", "so-tu-phap", "documents", "997-kh-stp.md"), stpDocument)
	mustWrite(t, filepath.Join(p.dir, "agencies", "ubnd-son-tinh", "documents", "998-qd-ubnd.md"), districtDocument)
	mustWrite(t, filepath.Join(p.dir, "agencies", "so-tai-chinh", "agency.yaml"), "name: Sở Tài chính tỉnh Quảng Ngãi\nshort_name: Sở Tài chính\nprefix: /so-tai-chinh\nhost: "+stcHost+"\n")
	mustWrite(t, filepath.Join(p.dir, "agencies", "so-tai-chinh", "documents", "996-qd-stc.md"), stcDocument)
	p.importContent()
	columns := []string{"", "/so-tu-phap", "http://" + districtHost, "/so-tai-chinh", "http://" + stcHost}
	for path, want := range map[string]string{
		"/van-ban/997-kh-stp":    feedBase + "/so-tu-phap/van-ban/997-kh-stp",
		"/van-ban/998-qd-ubnd":   "https://" + districtHost + "/van-ban/998-qd-ubnd",
		"/van-ban/996-qd-stc":    "https://" + stcHost + "/van-ban/996-qd-stc",
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
	// The pages of the agency with a host and a prefix name its host.
	for _, path := range []string{"/", "/van-ban/", "/tin-tuc/"} {
		for _, col := range []string{"/so-tai-chinh", "http://" + stcHost} {
			m := canonicalRE.FindStringSubmatch(p.get(col + path).Body.String())
			if want := "https://" + stcHost + path; m == nil || m[1] != want {
				t.Errorf("%s%s names canonical %v, want %s", col, path, m, want)
			}
		}
	}
}
