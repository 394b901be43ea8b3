package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cchc/internal/store"
)

// TestMediaFilesPaged: an agency's library is the files it uploaded first
// and those it came to own since, newest first, a page at a time, counted
// whole; each page is found through the index of the agency's files in
// their order (media_agency) and the few ownership rows, never by reading
// and sorting every file of the library. The second agency shares two of
// the first's files.
func TestMediaFilesPaged(t *testing.T) {
	e := newTwoAgencies(t)
	put := func(ctx context.Context, i int) string {
		m := &store.Media{Name: mediaName(fmt.Sprintf("%04x", i)), ContentType: "application/pdf", Size: int64(i), OriginalName: fmt.Sprintf("tep-%d.pdf", i),
			UploadedBy: "bt", Uploaded: scopeNow.Add(time.Duration(i%50) * time.Minute)} // 50 moments: ties broken by name
		if err := e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.PutMedia(ctx, tx, m) }); err != nil {
			t.Fatal(err)
		}
		return m.Name
	}
	var one, two []*store.Media
	for i := range 130 {
		put(e.one, i)
		if i == 7 || i == 100 {
			put(e.two, i) // the same bytes: agency 2 owns the file too
		}
		if i%10 == 0 {
			put(e.two, 1000+i)
		}
	}
	for _, tt := range []struct {
		ctx  context.Context
		want *[]*store.Media
		n    int
	}{{e.one, &one, 130}, {e.two, &two, 15}} {
		all, total, err := e.st.MediaFiles(tt.ctx, 1000, 0)
		if err != nil || total != tt.n || len(all) != tt.n {
			t.Fatalf("whole library: %d of %d (%v), want %d", len(all), total, err, tt.n)
		}
		if !slices.IsSortedFunc(all, func(a, b *store.Media) int {
			if c := b.Uploaded.Compare(a.Uploaded); c != 0 {
				return c
			}
			return strings.Compare(a.Name, b.Name)
		}) {
			t.Error("the library is not newest first, then by name")
		}
		*tt.want = all
		var paged []*store.Media
		for off := 0; ; off += 4 {
			page, total, err := e.st.MediaFiles(tt.ctx, 4, off)
			if err != nil || total != tt.n {
				t.Fatalf("page at %d: total %d (%v)", off, total, err)
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
		}
		if !slices.EqualFunc(paged, all, func(a, b *store.Media) bool { return a.Name == b.Name }) {
			t.Errorf("the pages do not make up the library")
		}
	}
	if !slices.ContainsFunc(two, func(m *store.Media) bool { return m.Name == mediaName("0007") }) {
		t.Error("a file agency 2 owns since is not in its library")
	}
	plan := explain(t, e.db.Read, store.MediaPageQuery)
	if strings.Contains(plan, "SCAN media") || strings.Contains(plan, "MULTI-INDEX OR") || !strings.Contains(plan, "COVERING INDEX media_agency") {
		t.Errorf("a page of the library reads every file:\n%s", plan)
	}
	if plan := explain(t, e.db.Read, store.MediaCountQuery); strings.Contains(plan, "SCAN media") {
		t.Errorf("the count reads every file:\n%s", plan)
	}
}
