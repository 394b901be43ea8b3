package content

import (
	"net/url"
	"strings"
)

// The national public-service portal's page of a procedure, keyed by its
// code. The portal's older address (dvc-tthc-thu-tuc-hanh-chinh-chi-tiet)
// takes its own internal numeric id in ma_thu_tuc, not the procedure code:
// with a code there it shows an empty page (issue 15, point 5).
const (
	nationalPortalPage = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc="
	oldPortalPage      = "dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
)

// NationalPortalURL is the address of the procedure with code on the
// national public-service portal (Cổng Dịch vụ công quốc gia).
func NationalPortalURL(code string) string {
	return nationalPortalPage + url.QueryEscape(code)
}

// SubmitURL is where a procedure's "Nộp hồ sơ trực tuyến" button leads:
// its portal_url when it has one, else its page on the national portal,
// built from its code ("" for an item without a code).
func (it *Item) SubmitURL() string {
	if it.PortalURL != "" {
		return it.PortalURL
	}
	if it.Code == "" {
		return ""
	}
	return NationalPortalURL(it.Code)
}

// OldPortalForm reports whether u is the national portal's old address
// form with a procedure code where the portal expects its internal id:
// such a link opens an empty page, so import and the workspace warn.
func OldPortalForm(u string) bool {
	p, err := url.Parse(u)
	if err != nil || !strings.HasSuffix(strings.ToLower(p.Hostname()), "dichvucong.gov.vn") {
		return false
	}
	if !strings.HasSuffix(p.Path, "/"+oldPortalPage) {
		return false
	}
	return ValidProcedureCode(p.Query().Get("ma_thu_tuc"))
}
