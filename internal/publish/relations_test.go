package publish_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"cchc/internal/content"
)

// TestImportRelationWarnings: a relation to a number the column does not
// hold warns at the field's line, like a citation; one to a document that
// is held but not public yet (scheduled) does not, nor does one to a
// document of the same import; the stored item's warnings say the same.
func TestImportRelationWarnings(t *testing.T) {
	e := newEnv(t)
	doc := `---
number: 34/KH-UBND
type: Kế hoạch
issuer: UBND tỉnh Quảng Ngãi
issued: 2022-02-10
title: Kế hoạch tuyên truyền
date: 2022-02-11
guides: 1256/QĐ-UBND
replaced_by: 77/KH-UBND (2030-01-01)
amended_by: 88/KH-UBND
---
`
	later := strings.Replace(strings.Replace(goodDocument, "1256/QĐ-UBND", "88/KH-UBND", 1), "date: 2022-01-24", "date: 2029-01-01", 1)
	res := e.importFS(t, tree(map[string]string{
		"documents/34-kh-ubnd.md":   doc,
		"documents/1256-qd-ubnd.md": goodDocument,
		"documents/88-kh-ubnd.md":   later,
	}))
	if res.Failed != 0 {
		t.Fatalf("import: %+v", res.Errors)
	}
	var got []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Path, "documents/") {
			got = append(got, w.Error())
		}
	}
	want := []string{"content/documents/34-kh-ubnd.md:9: cảnh báo: văn bản 77/KH-UBND chưa có trong danh mục văn bản"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
	it, err := e.st.ItemBySlug(context.Background(), content.Document, "34-kh-ubnd")
	if err != nil {
		t.Fatal(err)
	}
	warns, err := e.svc.Warnings(context.Background(), it)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].Field != "replaced_by" || !strings.Contains(warns[0].Msg, "77/KH-UBND") {
		t.Errorf("stored warnings %+v", warns)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM doc_relations`); n != 3 {
		t.Errorf("relations stored: %d, want 3", n)
	}
}
