package publish_test

import (
	"strings"
	"testing"
)

// A portal_url of the portal's old form, with a procedure code where the
// portal wants its internal id, opens an empty page: import warns at its
// line and still imports. The new form, and no portal_url, warn nothing.
func TestImportOldPortalForm(t *testing.T) {
	e := newEnv(t)
	old := strings.Replace(goodProcedure, "date: 2022-02-01\n",
		"date: 2022-02-01\nportal_url: https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193\n", 1)
	fresh := strings.Replace(strings.Replace(goodProcedure, "1.001193", "1.001194", 1), "date: 2022-02-01\n",
		"date: 2022-02-01\nportal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001194\n", 1)
	bare := strings.Replace(goodProcedure, "1.001193", "1.001195", 1)
	res := e.importFS(t, tree(map[string]string{
		"procedures/cu.md":    old,
		"procedures/moi.md":   fresh,
		"procedures/khong.md": bare,
	}))
	if res.Added != 4 || res.Failed != 0 {
		t.Fatalf("import: %+v %v", res, res.Errors)
	}
	var portal []string // the plan warns about its own number, not in this registry
	for _, w := range res.Warnings {
		if strings.Contains(w.Error(), "procedures/") {
			portal = append(portal, w.Error())
		}
	}
	if len(portal) != 1 {
		t.Fatalf("warnings = %v, want one about a procedure, procedures/cu.md", res.Warnings)
	}
	got := portal[0]
	const want = "content/procedures/cu.md:6: cảnh báo: địa chỉ trên Cổng Dịch vụ công theo dạng cũ"
	if !strings.HasPrefix(got, want) || !strings.Contains(got, "dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193") {
		t.Errorf("warning = %q, want it to start %q and name the address by code", got, want)
	}
}
