package store_test

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestDraftsBy: a dashboard's "my drafts" are the drafts the account saved
// a revision of, most recently changed first, not trashed, not another
// account's, not published; each draft asks for its own revisions, never
// a scan of every revision saved (which grows with every save).
func TestDraftsBy(t *testing.T) {
	db := testsupport.Database(t)
	st := store.New(db)
	err := st.Tx(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO items (id, uid, kind, slug, status, title, created_at, modified_at, deleted_at) VALUES
			(1, 'u1', 'article', 'a', 'draft', 'Nháp cũ của bt', 1, 10, NULL),
			(2, 'u2', 'article', 'b', 'draft', 'Nháp mới của bt', 1, 30, NULL),
			(3, 'u3', 'article', 'c', 'draft', 'Nháp của người khác', 1, 40, NULL),
			(4, 'u4', 'article', 'd', 'published', 'Bài đã đăng tải', 1, 50, NULL),
			(5, 'u5', 'article', 'e', 'draft', 'Nháp trong thùng rác', 1, 60, 61),
			(6, 'u6', 'document', 'f', 'draft', 'Nháp bt sửa sau người khác', 1, 20, NULL);
			INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, content_hash) VALUES
			(1, 1, 1, 'bt', 't', '{}', '', ''), (2, 1, 1, 'bt', 't', '{}', '', ''), (2, 2, 2, 'bt', 't', '{}', '', ''),
			(3, 1, 1, 'khac', 't', '{}', '', ''), (4, 1, 1, 'bt', 't', '{}', '', ''), (5, 1, 1, 'bt', 't', '{}', '', ''),
			(6, 1, 1, 'khac', 't', '{}', '', ''), (6, 2, 2, 'bt', 't', '{}', '', '')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	drafts, err := st.DraftsBy(t.Context(), "bt", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, it := range drafts {
		got = append(got, it.ID)
	}
	if want := []int64{2, 6, 1}; !slices.Equal(got, want) {
		t.Errorf("drafts of bt: %v, want %v", got, want)
	}
	if drafts, err := st.DraftsBy(t.Context(), "bt", 2); err != nil || len(drafts) != 2 {
		t.Errorf("limit 2: %d drafts (%v)", len(drafts), err)
	}
	plan := explain(t, db.Read, `SELECT items.id FROM items LEFT JOIN item_bodies b ON b.item_id = items.id `+store.DraftsByWhere)
	if strings.Contains(plan, "SCAN revisions") || !strings.Contains(plan, "revisions") {
		t.Errorf("the drafts read every revision:\n%s", plan)
	}
}
