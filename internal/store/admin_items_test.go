package store_test

import (
	"strings"
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestAdminListPlans: an editors' list, in either order and with any of
// the filters an article list offers but the title, counts through an
// index and finds its page's ids in the index of its order (migration
// 0250), never reading every item of the kind and sorting them; the
// author filter's choices come from an index too, and so do the ids of a
// page of the trash.
func TestAdminListPlans(t *testing.T) {
	db := testsupport.Database(t)
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		q     store.AdminQuery
		index string
	}{
		{"all", store.AdminQuery{}, "items_admin_published"},
		{"all by last edit", store.AdminQuery{Sort: store.SortEdited}, "items_admin_edited"},
		{"drafts", store.AdminQuery{Status: store.FilterDraft}, "items_admin_published"},
		{"published", store.AdminQuery{Status: store.FilterPublished}, "items_admin_published"},
		{"scheduled by last edit", store.AdminQuery{Status: store.FilterScheduled, Sort: store.SortEdited}, "items_admin_edited"},
		{"an author", store.AdminQuery{Author: "bt"}, "items_admin_published"},
		{"an author's withdrawn", store.AdminQuery{Author: "bt", Status: store.FilterWithdrawn, Sort: store.SortEdited}, "items_admin_edited"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Kind, tt.q.Now = content.Article, now
			count, page, _ := store.AdminListQueries(t.Context(), tt.q)
			plan := explain(t, db.Read, page)
			if strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "SCAN items") || !strings.Contains(plan, "USING COVERING INDEX "+tt.index) {
				t.Errorf("the page is not read in the order of %s, from it alone:\n%s", tt.index, plan)
			}
			if plan := explain(t, db.Read, count); strings.Contains(plan, "SCAN items") || !strings.Contains(plan, "COVERING INDEX") {
				t.Errorf("the count reads the items:\n%s", plan)
			}
		})
	}
	plan := explain(t, db.Read, store.ItemAuthorsQuery)
	if strings.Contains(plan, "SCAN items") || !strings.Contains(plan, "COVERING INDEX") {
		t.Errorf("the authors read the items:\n%s", plan)
	}
	// One step: the index, and no other table looked up for each row.
	if plan := explain(t, db.Read, store.TrashPageQuery); strings.Count(plan, "\n") != 1 || !strings.Contains(plan, "COVERING INDEX items_agency_deleted") {
		t.Errorf("a page of the trash is not found from the index alone:\n%s", plan)
	}
}
