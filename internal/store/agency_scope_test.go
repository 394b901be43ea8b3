package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/legalref"
	"cchc/internal/settings"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// Issue 20, the store layer: two agencies' columns in one database never
// see each other's rows.

var scopeNow = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

// twoAgencies is a migrated database holding agency 1 (the root column)
// and a second agency, with a context acting for each.
type twoAgencies struct {
	db         *database.DB
	st         *store.Store
	one, two   context.Context
	secondID   int64
	secondName string
}

func newTwoAgencies(t *testing.T) *twoAgencies {
	t.Helper()
	db := testsupport.Database(t)
	st := store.New(db)
	id, err := st.CreateAgency(t.Context(), agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp",
		Prefix: "/so-tu-phap"}, store.AuditEntry{At: scopeNow, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	return &twoAgencies{db: db, st: st, one: agency.WithID(t.Context(), agency.Root), two: agency.WithID(t.Context(), id),
		secondID: id, secondName: "Sở Tư pháp"}
}

// insert stores it for the agency ctx acts for.
func (e *twoAgencies) insert(t *testing.T, ctx context.Context, it *store.Item) {
	t.Helper()
	if it.Created.IsZero() {
		it.Created, it.Modified = scopeNow, scopeNow
	}
	if it.UID == "" {
		it.UID = fmt.Sprintf("u-%d-%s-%s", agency.IDFrom(ctx), it.Kind, it.Slug)
	}
	if it.Status == "" {
		it.Status = store.Draft
	}
	// An insert writes no trash date: an item is trashed by an update.
	deleted := it.Deleted
	it.Deleted = time.Time{}
	err := e.st.Tx(ctx, func(tx *sql.Tx) error {
		if err := e.st.InsertItem(ctx, tx, it, it.CreatedBy, ""); err != nil || deleted.IsZero() {
			return err
		}
		it.Deleted = deleted
		return e.st.UpdateItem(ctx, tx, it, it.CreatedBy, "")
	})
	if err != nil {
		t.Fatalf("insert %s/%s for agency %d: %v", it.Kind, it.Slug, agency.IDFrom(ctx), err)
	}
}

// TestSameAddressInTwoAgencies: two agencies may each have
// /tin-tuc/gioi-thieu and a plan for 2022; each reads its own, by slug,
// by id and in its lists; within one agency the slug stays unique.
func TestSameAddressInTwoAgencies(t *testing.T) {
	e := newTwoAgencies(t)
	for _, ctx := range []context.Context{e.one, e.two} {
		it := &store.Item{Item: content.Item{Kind: content.Article, Slug: "gioi-thieu", Title: fmt.Sprintf("Giới thiệu của cơ quan %d", agency.IDFrom(ctx))},
			Status: store.Published, Published: scopeNow.Add(-time.Hour)}
		e.insert(t, ctx, it)
		if it.AgencyID != agency.IDFrom(ctx) {
			t.Errorf("inserted for agency %d, AgencyID %d", agency.IDFrom(ctx), it.AgencyID)
		}
		err := e.st.Tx(ctx, func(tx *sql.Tx) error {
			return e.st.PutPlan(ctx, tx, &store.StoredPlan{Plan: content.Plan{Year: 2022, Number: fmt.Sprintf("%d/KH", agency.IDFrom(ctx)), Title: "Kế hoạch"},
				ContentHash: "h"})
		})
		if err != nil {
			t.Fatalf("plan 2022 of agency %d: %v", agency.IDFrom(ctx), err)
		}
	}
	for _, ctx := range []context.Context{e.one, e.two} {
		own := agency.IDFrom(ctx)
		it, err := e.st.ItemBySlug(ctx, content.Article, "gioi-thieu")
		if err != nil {
			t.Fatal(err)
		}
		if it.AgencyID != own || it.Title != fmt.Sprintf("Giới thiệu của cơ quan %d", own) {
			t.Errorf("agency %d reads /tin-tuc/gioi-thieu of agency %d (%q)", own, it.AgencyID, it.Title)
		}
		if got, err := e.st.ItemByID(ctx, it.ID); err != nil || got.AgencyID != own {
			t.Errorf("agency %d by its own id: %v, %v", own, got, err)
		}
		other := e.secondID
		if own != agency.Root {
			other = agency.Root
		}
		theirs, err := e.st.ItemBySlug(agency.WithID(ctx, other), content.Article, "gioi-thieu")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.ItemByID(ctx, theirs.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("agency %d reads agency %d's item %d by id: %v", own, other, theirs.ID, err)
		}
		p, err := e.st.Plan(ctx, 2022)
		if err != nil || p.Number != fmt.Sprintf("%d/KH", own) {
			t.Errorf("agency %d's plan 2022: %+v, %v", own, p, err)
		}
		plans, err := e.st.Plans(ctx)
		if err != nil || len(plans) != 1 {
			t.Errorf("agency %d has %d plans, want 1 (%v)", own, len(plans), err)
		}
		items, total, err := e.st.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: scopeNow})
		if err != nil || total != 1 || len(items) != 1 || items[0].AgencyID != own {
			t.Errorf("agency %d's list: %d of %d, %v", own, len(items), total, err)
		}
		// A second /tin-tuc/gioi-thieu in the same agency is refused.
		dup := &store.Item{Item: content.Item{Kind: content.Article, Slug: "gioi-thieu", Title: "Trùng"}, UID: fmt.Sprintf("dup-%d", own),
			Status: store.Draft, Created: scopeNow, Modified: scopeNow}
		err = e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.InsertItem(ctx, tx, dup, "t", "") })
		if !store.IsUniqueViolation(err) {
			t.Errorf("agency %d: a second gioi-thieu: %v, want a UNIQUE violation", own, err)
		}
		// Saving the plan again replaces it: still one.
		err = e.st.Tx(ctx, func(tx *sql.Tx) error {
			return e.st.PutPlan(ctx, tx, &store.StoredPlan{Plan: content.Plan{Year: 2022, Number: fmt.Sprintf("%d/KH-2", own), Title: "Kế hoạch"}, ContentHash: "h2"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if p, err := e.st.Plan(ctx, 2022); err != nil || p.Number != fmt.Sprintf("%d/KH-2", own) {
			t.Errorf("agency %d's plan 2022 after a second save: %+v, %v", own, p, err)
		}
	}
	if n := testsupport.Count(t, e.db, `SELECT COUNT(*) FROM plans WHERE year = 2022`); n != 2 {
		t.Errorf("%d plans for 2022, want one per agency", n)
	}
}

// TestSlugBurstPerAgency: 60 writers at once insert the same slug, half
// for each agency: one wins in each, the others are refused by the
// uniqueness (never a busy database, never a second row).
func TestSlugBurstPerAgency(t *testing.T) {
	e := newTwoAgencies(t)
	const writers = 60
	var wg sync.WaitGroup
	errs := make([]error, writers)
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := e.one
			if i%2 == 1 {
				ctx = e.two
			}
			it := &store.Item{Item: content.Item{Kind: content.Article, Slug: "gioi-thieu", Title: "Giới thiệu"}, UID: fmt.Sprintf("burst-%d", i),
				Status: store.Draft, Created: scopeNow, Modified: scopeNow}
			<-start
			errs[i] = e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.InsertItem(ctx, tx, it, "t", "") })
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	won := map[int]int{}
	for i, err := range errs {
		switch {
		case err == nil:
			won[i%2]++
		case !store.IsUniqueViolation(err):
			t.Errorf("writer %d: %v, want a UNIQUE violation", i, err)
		}
	}
	if won[0] != 1 || won[1] != 1 {
		t.Errorf("winners per agency %v, want one each", won)
	}
	// Reported, never asserted: a slow machine is not a wrong result.
	t.Logf("%d writers at once: winners per agency %v, the rest refused by the uniqueness, in %v", writers, won, took)
	rows := testsupport.Count(t, e.db, `SELECT COUNT(*) FROM items WHERE kind = 'article' AND slug = 'gioi-thieu'`)
	agencies := testsupport.Count(t, e.db, `SELECT COUNT(DISTINCT agency_id) FROM items WHERE kind = 'article' AND slug = 'gioi-thieu'`)
	if rows != 2 || agencies != 2 {
		t.Errorf("%d rows in %d agencies, want 2 in 2", rows, agencies)
	}
}

// scopeData writes one copy of a column's rows for the agency ctx acts
// for, every name suffixed with copyN so that copies never collide where
// uniqueness is across the instance (uids, document numbers, file paths).
func (e *twoAgencies) scopeData(t *testing.T, ctx context.Context, copyN int) {
	t.Helper()
	own := agency.IDFrom(ctx)
	sfx := fmt.Sprintf("%d-%d", own, copyN)
	past := scopeNow.Add(-48 * time.Hour)
	author := fmt.Sprintf("bientap%d", copyN)
	items := []*store.Item{
		{Item: content.Item{Kind: content.Article, Slug: "tin-" + sfx, Title: "Tin " + sfx, Areas: []string{"II.1"}}, Status: store.Published, Published: past, SourcePath: "articles/tin-" + sfx + ".md"},
		{Item: content.Item{Kind: content.Article, Slug: "nhap-" + sfx, Title: "Nháp " + sfx}, Status: store.Draft},
		{Item: content.Item{Kind: content.Article, Slug: "cho-duyet-" + sfx, Title: "Chờ duyệt " + sfx}, Status: store.Submitted},
		{Item: content.Item{Kind: content.Article, Slug: "hen-gio-" + sfx, Title: "Hẹn giờ " + sfx, Areas: []string{"II.1"}}, Status: store.Published, Published: scopeNow.Add(24 * time.Hour)},
		{Item: content.Item{Kind: content.Article, Slug: "thung-rac-" + sfx, Title: "Thùng rác " + sfx}, Status: store.Draft, Deleted: past},
		{Item: content.Item{Kind: content.Procedure, Slug: "thu-tuc-" + sfx, Title: "Thủ tục " + sfx, Code: "1.0000" + sfx, Field: "Khoa học " + sfx, Level: "Toàn trình"},
			Status: store.Published, Published: past},
		{Item: content.Item{Kind: content.Document, Slug: "van-ban-" + sfx, Title: "Văn bản " + sfx, Number: fmt.Sprintf("%d%d/QĐ-UBND", own, copyN), Type: "Quyết định",
			Issuer: "UBND tỉnh " + sfx, Issued: past}, Status: store.Published, Published: past},
	}
	for _, it := range items {
		it.CreatedBy = author
		e.insert(t, ctx, it)
	}
	// One article moves: its old address is the agency's.
	moved := items[0]
	moved.Slug = "tin-moi-" + sfx
	moved.Modified = scopeNow
	if err := e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.UpdateItem(ctx, tx, moved, author, "") }); err != nil {
		t.Fatal(err)
	}
	if err := e.st.Tx(ctx, func(tx *sql.Tx) error {
		return e.st.PutPlan(ctx, tx, &store.StoredPlan{Plan: content.Plan{Year: 2020 + copyN, Number: "KH " + sfx, Title: "Kế hoạch"}, ContentHash: "h"})
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SaveReportDraft(ctx, &store.ReportDraft{Year: 2022, Shortcomings: "Tồn tại " + sfx, Directions: "Phương hướng", Author: author, SavedAt: scopeNow},
		copyN-1, store.AuditEntry{At: scopeNow, Actor: author, Action: store.AuditReportDraft}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.RecordReportSending(ctx, &store.ReportSending{Year: 2022, SentOn: scopeNow, Number: "45/BC-" + sfx, RecordedBy: author, RecordedAt: scopeNow},
		store.AuditEntry{At: scopeNow, Actor: author, Action: store.AuditReportSent}); err != nil {
		t.Fatal(err)
	}
	// A unit (names are unique across the instance: see DECISIONS).
	if _, err := e.db.Write.Exec(`INSERT INTO units (slug, name, agency_id) VALUES (?, ?, ?)`, "don-vi-"+sfx, "Đơn vị "+sfx, own); err != nil {
		t.Fatal(err)
	}
	// A file of its own.
	m := &store.Media{Name: mediaName(fmt.Sprintf("f%d%d", own, copyN)), ContentType: "image/png", Size: 1, UploadedBy: author, Uploaded: scopeNow}
	if err := e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.PutMedia(ctx, tx, m) }); err != nil {
		t.Fatal(err)
	}
}

// mediaName is a library name (sha256hex.png) made of seed.
func mediaName(seed string) string {
	h := seed
	for len(h) < 64 {
		h += "0"
	}
	return h[:64] + ".png"
}

// allIDs are the ids of every item of every agency.
func (e *twoAgencies) allIDs() ([]int64, error) {
	rows, err := e.db.Read.Query(`SELECT id FROM items ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// byID sums, over every item of every agency, what read finds of it.
func (e *twoAgencies) byID(ctx context.Context, read func(ctx context.Context, id int64) (int, error)) (int, error) {
	ids, err := e.allIDs()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		k, err := read(ctx, id)
		if err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}

// found is 1 when err is nil, 0 when it is ErrNotFound, else err.
func found(err error) (int, error) {
	switch {
	case err == nil:
		return 1, nil
	case errors.Is(err, store.ErrNotFound):
		return 0, nil
	}
	return 0, err
}

// scoped is a store method that reads what one agency owns, as a number
// of rows (or a sum that grows with them).
type scoped struct {
	name string
	n    func(ctx context.Context) (int, error)
}

// scopedReads are every store method that reads rows an agency owns. A new
// such method belongs here: TestScopedReads then fails if it forgets the
// agency.
func scopedReads(e *twoAgencies) []scoped {
	st := e.st
	byLen := func(f func(ctx context.Context) (int, error)) func(ctx context.Context) (int, error) { return f }
	return []scoped{
		{"PublicItems (articles)", func(ctx context.Context) (int, error) {
			items, total, err := st.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: scopeNow})
			return len(items) + total, err
		}},
		{"PublicItems (every kind)", func(ctx context.Context) (int, error) {
			items, total, err := st.PublicItems(ctx, store.PublicQuery{Now: scopeNow})
			return len(items) + total, err
		}},
		{"PublicItems (area)", func(ctx context.Context) (int, error) {
			items, total, err := st.PublicItems(ctx, store.PublicQuery{Area: "II.1", Now: scopeNow})
			return len(items) + total, err
		}},
		{"PublicItems (with withdrawn)", func(ctx context.Context) (int, error) {
			items, total, err := st.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Area: "II.1", Now: scopeNow, WithWithdrawn: true})
			return len(items) + total, err
		}},
		{"AreaCounts", func(ctx context.Context) (int, error) {
			m, err := st.AreaCounts(ctx, scopeNow)
			return m["II.1"], err
		}},
		{"AdminItems", func(ctx context.Context) (int, error) {
			items, total, err := st.AdminItems(ctx, store.AdminQuery{Kind: content.Article, Now: scopeNow, Limit: 100})
			return len(items) + total, err
		}},
		{"ItemAuthors", func(ctx context.Context) (int, error) {
			a, err := st.ItemAuthors(ctx, content.Article)
			return len(a), err
		}},
		{"TrashedItems", func(ctx context.Context) (int, error) {
			items, total, err := st.TrashedItems(ctx, 100, 0)
			return len(items) + total, err
		}},
		{"DraftsBy", func(ctx context.Context) (int, error) {
			n := 0
			for _, a := range []string{"bientap1", "bientap2"} {
				items, err := st.DraftsBy(ctx, a, 100)
				if err != nil {
					return 0, err
				}
				n += len(items)
			}
			return n, nil
		}},
		{"ItemsWithStatus", func(ctx context.Context) (int, error) {
			items, err := st.ItemsWithStatus(ctx, store.Submitted, 100)
			return len(items), err
		}},
		{"ScheduledItems", func(ctx context.Context) (int, error) {
			items, err := st.ScheduledItems(ctx, scopeNow, 100)
			return len(items), err
		}},
		{"RecentlyPublished", func(ctx context.Context) (int, error) {
			items, err := st.RecentlyPublished(ctx, scopeNow, 100)
			return len(items), err
		}},
		{"Directory (procedures)", func(ctx context.Context) (int, error) {
			items, total, err := st.Directory(ctx, store.DirectoryQuery{Kind: content.Procedure, Now: scopeNow})
			return len(items) + total, err
		}},
		{"Directory (documents)", func(ctx context.Context) (int, error) {
			items, total, err := st.Directory(ctx, store.DirectoryQuery{Kind: content.Document, Now: scopeNow})
			return len(items) + total, err
		}},
		{"DirectoryFacets", func(ctx context.Context) (int, error) {
			f, err := st.DirectoryFacets(ctx, store.DirectoryQuery{Kind: content.Procedure, Now: scopeNow}, store.DimField)
			return len(f), err
		}},
		{"SitemapItems", func(ctx context.Context) (int, error) {
			items, err := st.SitemapItems(ctx, scopeNow)
			return len(items), err
		}},
		{"MirrorStamps", func(ctx context.Context) (int, error) {
			m, err := st.MirrorStamps(ctx, scopeNow)
			return len(m), err
		}},
		{"OldSlugs", func(ctx context.Context) (int, error) {
			s, err := st.OldSlugs(ctx)
			return len(s), err
		}},
		{"AllItems", func(ctx context.Context) (int, error) {
			items, err := st.AllItems(ctx)
			return len(items), err
		}},
		{"CountItems", byLen(st.CountItems)},
		{"Procedures", func(ctx context.Context) (int, error) {
			p, err := st.Procedures(ctx)
			return len(p), err
		}},
		{"ItemsBySource", func(ctx context.Context) (int, error) {
			m, err := st.ItemsBySource(ctx)
			return len(m), err
		}},
		{"Plans", func(ctx context.Context) (int, error) {
			p, err := st.Plans(ctx)
			return len(p), err
		}},
		{"ReportDrafts", func(ctx context.Context) (int, error) {
			d, err := st.ReportDrafts(ctx, 2022)
			return len(d), err
		}},
		{"ReportSendings", func(ctx context.Context) (int, error) {
			r, err := st.ReportSendings(ctx, 2022, time.UTC)
			return len(r), err
		}},
		{"AuditEntries", func(ctx context.Context) (int, error) {
			entries, _, err := st.AuditEntries(ctx, 1000, 0)
			n := 0
			for _, a := range entries {
				// Leave out the agency's creation, recorded by the root's admin.
				if a.Action == store.AuditReportDraft || a.Action == store.AuditReportSent {
					n++
				}
			}
			return n, err
		}},
		{"Units", func(ctx context.Context) (int, error) {
			u, err := st.Units(ctx)
			n := 0
			for _, x := range u {
				if strings.HasPrefix(x.Slug, "don-vi-") {
					n++ // leave out agency 1's four units of migration 0091
				}
			}
			return n, err
		}},
		{"MediaFiles", func(ctx context.Context) (int, error) {
			m, total, err := st.MediaFiles(ctx, 100, 0)
			return len(m) + total, err
		}},
		{"MediaFile", func(ctx context.Context) (int, error) {
			n := 0
			for _, seed := range []string{"f11", fmt.Sprintf("f%d1", e.secondID), fmt.Sprintf("f%d2", e.secondID)} {
				_, err := st.MediaFile(ctx, mediaName(seed))
				k, err := found(err)
				if err != nil {
					return 0, err
				}
				n += k
			}
			return n, nil
		}},
		{"Revisions", func(ctx context.Context) (int, error) {
			return e.byID(ctx, func(ctx context.Context, id int64) (int, error) {
				r, err := st.Revisions(ctx, id)
				return len(r), err
			})
		}},
		{"LastRevision", func(ctx context.Context) (int, error) {
			return e.byID(ctx, func(ctx context.Context, id int64) (int, error) {
				_, err := st.LastRevision(ctx, id)
				return found(err)
			})
		}},
		{"ItemByID", func(ctx context.Context) (int, error) {
			return e.byID(ctx, func(ctx context.Context, id int64) (int, error) {
				_, err := st.ItemByID(ctx, id)
				return found(err)
			})
		}},
		{"ReportDraft", func(ctx context.Context) (int, error) {
			d, err := st.ReportDraft(ctx, 2022)
			if err != nil {
				return 0, err
			}
			return d.Revision, nil
		}},
	}
}

// TestScopedReads: agency 1 holds one copy of a column's rows, the second
// agency two; every method that reads what an agency owns returns, for
// each, what that agency holds (twice as much for the second), never the
// sum of both.
func TestScopedReads(t *testing.T) {
	e := newTwoAgencies(t)
	e.scopeData(t, e.one, 1)
	e.scopeData(t, e.two, 1)
	e.scopeData(t, e.two, 2)
	for _, m := range scopedReads(e) {
		t.Run(m.name, func(t *testing.T) {
			one, err := m.n(e.one)
			if err != nil {
				t.Fatal(err)
			}
			two, err := m.n(e.two)
			if err != nil {
				t.Fatal(err)
			}
			if one == 0 || two != 2*one {
				t.Errorf("agency 1 reads %d, agency %d reads %d: want n > 0 and 2n", one, e.secondID, two)
			}
		})
	}
}

// TestScopedLookups: what one agency reads by slug, old slug or id is its
// own; another agency's row is not found.
func TestScopedLookups(t *testing.T) {
	e := newTwoAgencies(t)
	e.scopeData(t, e.one, 1)
	e.scopeData(t, e.two, 1)
	for _, tt := range []struct {
		ctx   context.Context
		owner int64
		sfx   string
	}{{e.one, agency.Root, fmt.Sprintf("%d-1", agency.Root)}, {e.two, e.secondID, fmt.Sprintf("%d-1", e.secondID)}} {
		for _, ctx := range []context.Context{e.one, e.two} {
			mine := agency.IDFrom(ctx) == tt.owner
			it, err := e.st.ItemBySlug(ctx, content.Article, "tin-moi-"+tt.sfx)
			if mine != (err == nil) {
				t.Errorf("agency %d reads agency %d's article by slug: %v", agency.IDFrom(ctx), tt.owner, err)
			}
			if mine && it.AgencyID != tt.owner {
				t.Errorf("AgencyID %d, want %d", it.AgencyID, tt.owner)
			}
			if _, err := e.st.ItemByOldSlug(ctx, content.Article, "tin-"+tt.sfx); mine != (err == nil) {
				t.Errorf("agency %d reads agency %d's old slug: %v", agency.IDFrom(ctx), tt.owner, err)
			}
		}
	}
	// Old addresses are the agency's: the same old slug in two agencies
	// leads each to its own item.
	for _, ctx := range []context.Context{e.one, e.two} {
		a := &store.Item{Item: content.Item{Kind: content.Article, Slug: "cu", Title: "Cũ"}}
		e.insert(t, ctx, a)
		a.Slug = "moi"
		if err := e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.UpdateItem(ctx, tx, a, "t", "") }); err != nil {
			t.Fatal(err)
		}
		got, err := e.st.ItemByOldSlug(ctx, content.Article, "cu")
		if err != nil || got.ID != a.ID {
			t.Errorf("agency %d's old slug cu leads to %v, %v; want item %d", agency.IDFrom(ctx), got, err, a.ID)
		}
	}
	// An update acting for another agency changes nothing.
	theirs, err := e.st.ItemBySlug(e.two, content.Article, "moi")
	if err != nil {
		t.Fatal(err)
	}
	theirs.Title = "Sửa trộm"
	err = e.st.Tx(e.one, func(tx *sql.Tx) error { return e.st.UpdateItem(e.one, tx, theirs, "t", "") })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("agency 1 updating agency %d's item: %v, want ErrConflict", e.secondID, err)
	}
}

// TestCountsKeyedByAgency: public_counts keeps agency 1's keys as before
// and another agency's under its prefix, and the counts equal the rows.
func TestCountsKeyedByAgency(t *testing.T) {
	e := newTwoAgencies(t)
	e.scopeData(t, e.one, 1)
	e.scopeData(t, e.two, 1)
	e.scopeData(t, e.two, 2)
	var keys []string
	rows, err := e.db.Read.Query(`SELECT key FROM public_counts WHERE n > 0 ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	a := fmt.Sprintf("a%d:", e.secondID)
	want := []string{a + "area:II.1", a + "kind:article", a + "kind:document", a + "kind:procedure", "area:II.1", "kind:article", "kind:document", "kind:procedure"}
	if !slices.Equal(keys, want) {
		t.Errorf("public_counts keys %v\nwant %v", keys, want)
	}
	for _, tt := range []struct {
		key  string
		want int
	}{{"kind:article", 2}, {a + "kind:article", 4}, {"area:II.1", 2}, {a + "area:II.1", 4}} {
		if n := testsupport.Count(t, e.db, `SELECT n FROM public_counts WHERE key = ?`, tt.key); n != tt.want {
			t.Errorf("%s = %d, want %d", tt.key, n, tt.want)
		}
	}
}

// TestScopedQueriesSearchIndexes: the hot public queries, now with the
// agency in their condition, still find their rows through an index
// (agency_id leads each), never by scanning items; the trash's count no
// longer scans at all.
func TestScopedQueriesSearchIndexes(t *testing.T) {
	e := newTwoAgencies(t)
	for i := 1; i <= 3; i++ {
		e.scopeData(t, e.one, i)
		e.scopeData(t, e.two, i)
	}
	if _, err := e.db.Write.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	list := func(q store.PublicQuery) (string, []any) {
		where, args := store.PublicWhere(e.two, q)
		return `SELECT id FROM items ` + where + ` ORDER BY published_at DESC, id DESC LIMIT 20 OFFSET 0`, args
	}
	dir := func(q store.DirectoryQuery) (string, []any) {
		where, args := store.DirectoryWhere(e.two, q)
		return `SELECT id FROM items ` + where + ` ORDER BY published_at DESC, id DESC LIMIT 20 OFFSET 0`, args
	}
	type query struct {
		name string
		sql  string
		args []any
	}
	var queries []query
	for _, q := range []store.PublicQuery{{Kind: content.Article, Now: scopeNow}, {Now: scopeNow}, {Area: "II.1", Now: scopeNow}} {
		sql, args := list(q)
		queries = append(queries, query{fmt.Sprintf("list %q %q", q.Kind, q.Area), sql, args})
	}
	for _, k := range []content.Kind{content.Procedure, content.Document} {
		sql, args := dir(store.DirectoryQuery{Kind: k, Now: scopeNow})
		queries = append(queries, query{"directory " + string(k), sql, args})
	}
	queries = append(queries,
		query{"item by slug", `SELECT id FROM items WHERE agency_id = ? AND kind = ? AND slug = ? LIMIT 1`, []any{e.secondID, "article", "x"}},
		query{"trash count", `SELECT COUNT(*) FROM items WHERE agency_id = ? AND deleted_at IS NOT NULL`, []any{e.secondID}},
		query{"old slug", `SELECT h.item_id FROM slug_history h JOIN items i ON i.id = h.item_id WHERE h.kind = ? AND h.slug = ? AND i.agency_id = ?`,
			[]any{"article", "x", e.secondID}},
	)
	for _, q := range queries {
		rows, err := e.db.Read.Query(`EXPLAIN QUERY PLAN `+q.sql, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan += detail + "\n"
		}
		rows.Close()
		if !strings.Contains(plan, "SEARCH items USING") && !strings.Contains(plan, "SEARCH h USING PRIMARY KEY") || strings.Contains(plan, "SCAN items") {
			t.Errorf("%s scans items:\n%s", q.name, plan)
		}
		t.Logf("%s: %s", q.name, plan)
	}
}

// TestSettingsPerAgency: each agency reads and writes its own settings;
// one that never saved reads the defaults; a save of one leaves the
// other's record, its audit log and its static mirror's fingerprint as
// they were.
func TestSettingsPerAgency(t *testing.T) {
	e := newTwoAgencies(t)
	for _, ctx := range []context.Context{e.one, e.two} {
		got, err := e.st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if *got != (store.SiteSettings{}) {
			t.Errorf("agency %d before any save: %+v, want the defaults", agency.IDFrom(ctx), got)
		}
	}
	oneMirror, err := e.st.MirrorGlobal(e.one)
	if err != nil {
		t.Fatal(err)
	}
	twoMirror, err := e.st.MirrorGlobal(e.two)
	if err != nil {
		t.Fatal(err)
	}
	save := func(ctx context.Context, phone string) {
		t.Helper()
		v := settings.Settings{DeskAddress: "Số 1 đường Hùng Vương", DeskPhone: phone}
		if err := e.st.SaveSettings(ctx, v, "quantri", scopeNow, store.AuditEntry{At: scopeNow, Actor: "quantri", Action: store.AuditSettings}); err != nil {
			t.Fatal(err)
		}
	}
	save(e.two, "0255 3822 222")
	if got, err := e.st.Settings(e.two); err != nil || got.DeskPhone != "0255 3822 222" || got.UpdatedBy != "quantri" {
		t.Errorf("agency %d after its save: %+v, %v", e.secondID, got, err)
	}
	if got, err := e.st.Settings(e.one); err != nil || *got != (store.SiteSettings{}) {
		t.Errorf("agency 1 after agency %d's save: %+v, %v; want the defaults", e.secondID, got, err)
	}
	if g, err := e.st.MirrorGlobal(e.one); err != nil || g != oneMirror {
		t.Errorf("agency 1's mirror fingerprint moved with agency %d's settings (%v)", e.secondID, err)
	}
	if g, err := e.st.MirrorGlobal(e.two); err != nil || g == twoMirror {
		t.Errorf("agency %d's mirror fingerprint did not move with its settings (%v)", e.secondID, err)
	}
	save(e.one, "0255 3711 111")
	save(e.two, "0255 3822 333")
	for _, tt := range []struct {
		ctx   context.Context
		phone string
	}{{e.one, "0255 3711 111"}, {e.two, "0255 3822 333"}} {
		got, err := e.st.Settings(tt.ctx)
		if err != nil || got.DeskPhone != tt.phone {
			t.Errorf("agency %d reads %+v, %v; want phone %s", agency.IDFrom(tt.ctx), got, err, tt.phone)
		}
		entries, _, err := e.st.AuditEntries(tt.ctx, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range entries {
			if a.Action == store.AuditSettings {
				n++
			}
		}
		if want := map[bool]int{true: 1, false: 2}[agency.IDFrom(tt.ctx) == agency.Root]; n != want {
			t.Errorf("agency %d's log holds %d settings rows, want %d", agency.IDFrom(tt.ctx), n, want)
		}
	}
	if n := testsupport.Count(t, e.db, `SELECT COUNT(*) FROM settings`); n != 2 {
		t.Errorf("%d settings rows, want one per agency", n)
	}
	// A settings row is an agency's: none for an agency that does not exist.
	if _, err := e.db.Write.Exec(`INSERT INTO settings (id) VALUES (99)`); err == nil {
		t.Error("a settings row for agency 99 was written")
	}
}

// TestSharedBytesOwnedByBoth: the same bytes uploaded by two agencies are
// one file owned by both; the second upload changes nothing of the first
// agency's row, and each reads the alt text it typed (migration 0220); a
// third agency owns nothing.
func TestSharedBytesOwnedByBoth(t *testing.T) {
	e := newTwoAgencies(t)
	name := mediaName("ab")
	for _, up := range []struct {
		ctx context.Context
		alt string
	}{{e.one, "Biểu trưng của Sở"}, {e.two, "Ảnh của Sở Tư pháp"}} {
		m := &store.Media{Name: name, ContentType: "image/png", Size: 1, Alt: up.alt, UploadedBy: "bt", Uploaded: scopeNow}
		if err := e.st.Tx(up.ctx, func(tx *sql.Tx) error { return e.st.PutMedia(up.ctx, tx, m) }); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		ctx context.Context
		alt string
	}{{e.one, "Biểu trưng của Sở"}, {e.two, "Ảnh của Sở Tư pháp"}} {
		ctx := tt.ctx
		m, err := e.st.MediaFile(ctx, name)
		if err != nil {
			t.Fatalf("agency %d: %v", agency.IDFrom(ctx), err)
		}
		if m.Alt != tt.alt {
			t.Errorf("agency %d reads alt %q, want its own %q", agency.IDFrom(ctx), m.Alt, tt.alt)
		}
		if list, _, err := e.st.MediaFiles(ctx, 10, 0); err != nil || len(list) != 1 || list[0].Alt != tt.alt {
			t.Errorf("agency %d's library: %v %v, want its own alt text", agency.IDFrom(ctx), list, err)
		}
		if list, total, err := e.st.MediaFiles(ctx, 10, 0); err != nil || total != 1 || len(list) != 1 {
			t.Errorf("agency %d lists %d of %d, %v", agency.IDFrom(ctx), len(list), total, err)
		}
	}
	third, err := e.st.CreateAgency(t.Context(), agency.Agency{Slug: "so-y-te", Name: "Sở Y tế tỉnh Quảng Ngãi", ShortName: "Sở Y tế", Prefix: "/so-y-te"},
		store.AuditEntry{At: scopeNow, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.MediaFile(agency.WithID(t.Context(), third), name); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a third agency reads the file: %v", err)
	}
	var alt string
	if err := e.db.Read.QueryRow(`SELECT alt FROM media WHERE name = ?`, name).Scan(&alt); err != nil || alt != "Biểu trưng của Sở" {
		t.Errorf("the first agency's row holds alt %q (%v)", alt, err)
	}
	if all, err := e.st.AllMedia(e.two); err != nil || len(all) != 1 {
		t.Errorf("AllMedia (every agency's, for backup and check): %d, %v", len(all), err)
	}
}

// TestOneRegistry: documents are one registry. The second agency's article
// citing the first agency's document number resolves it; the document's
// address answers in both columns; "cited by" lists the citing items of
// both agencies, each with its agency; the number stays unique across the
// instance.
func TestOneRegistry(t *testing.T) {
	e := newTwoAgencies(t)
	key, ok := legalref.Key("1256/QĐ-UBND")
	if !ok {
		t.Fatal("no key")
	}
	past := scopeNow.Add(-72 * time.Hour)
	doc := &store.Item{Item: content.Item{Kind: content.Document, Slug: "1256-qd-ubnd", Title: "Quyết định 1256", Number: "1256/QĐ-UBND", Type: "Quyết định",
		Issuer: "UBND tỉnh Quảng Ngãi"}, Status: store.Published, Published: past}
	e.insert(t, e.one, doc)
	var citing []int64
	for _, ctx := range []context.Context{e.one, e.two} {
		a := &store.Item{Item: content.Item{Kind: content.Article, Slug: "trien-khai", Title: fmt.Sprintf("Triển khai (cơ quan %d)", agency.IDFrom(ctx))},
			Status: store.Published, Published: past.Add(time.Duration(agency.IDFrom(ctx)) * time.Hour),
			Refs: []store.Ref{{Key: key, Source: "body", Text: "1256/QĐ-UBND", State: store.RefOK}}}
		e.insert(t, ctx, a)
		citing = append(citing, a.ID)
	}
	cited, err := e.st.CitedDocuments(e.two, citing[1], scopeNow)
	if err != nil {
		t.Fatal(err)
	}
	if d := cited[key]; d == nil || d.ID != doc.ID || d.AgencyID != agency.Root {
		t.Errorf("agency %d's article cites %v, want agency 1's document %d", e.secondID, cited, doc.ID)
	}
	for _, ctx := range []context.Context{e.one, e.two} {
		d, err := e.st.ItemBySlug(ctx, content.Document, "1256-qd-ubnd")
		if err != nil || d.ID != doc.ID {
			t.Errorf("agency %d reads the document's address: %v, %v", agency.IDFrom(ctx), d, err)
		}
		by, err := e.st.CitingItems(ctx, key, scopeNow)
		if err != nil {
			t.Fatal(err)
		}
		var got [][2]int64
		for _, it := range by {
			got = append(got, [2]int64{it.ID, it.AgencyID})
		}
		want := [][2]int64{{citing[1], e.secondID}, {citing[0], agency.Root}}
		if !slices.Equal(got, want) {
			t.Errorf("agency %d: cited by (id, agency) %v, want %v", agency.IDFrom(ctx), got, want)
		}
		reg, err := e.st.RegistryDocumentsByKeys(ctx, nil, []string{key}, scopeNow)
		if err != nil || len(reg) != 1 || reg[0].ID != doc.ID {
			t.Errorf("agency %d's registry by key: %d documents, %v", agency.IDFrom(ctx), len(reg), err)
		}
		o, err := e.st.ItemOwners(ctx, nil, store.Claims{Numbers: []string{key}, Slugs: []string{"document/1256-qd-ubnd"}})
		if err != nil {
			t.Fatal(err)
		}
		if o.Number[key] != doc.ID {
			t.Errorf("agency %d: the number is held by %v, want %d", agency.IDFrom(ctx), o.Number, doc.ID)
		}
		if _, taken := o.Slug["document/1256-qd-ubnd"]; taken != (agency.IDFrom(ctx) == agency.Root) {
			t.Errorf("agency %d: slug claims %v", agency.IDFrom(ctx), o.Slug)
		}
	}
	// The same number in the second agency is refused: one registry.
	dup := &store.Item{Item: content.Item{Kind: content.Document, Slug: "1256-qd-ubnd-ban-sao", Title: "Bản sao", Number: "1256/QĐ-UBND"},
		UID: "dup-doc", Status: store.Draft, Created: scopeNow, Modified: scopeNow}
	err = e.st.Tx(e.two, func(tx *sql.Tx) error { return e.st.InsertItem(e.two, tx, dup, "t", "") })
	if !store.IsUniqueViolation(err) {
		t.Errorf("a second 1256/QĐ-UBND in agency %d: %v, want a UNIQUE violation", e.secondID, err)
	}
}

// TestMediaAltBurst: 60 uploads of the same bytes at once, 20 by each of
// three agencies with words of their own, after the first agency's
// first: the file stays one row with the first agency's words, each
// other agency owns it once, and each agency reads words it typed — never
// another agency's.
func TestMediaAltBurst(t *testing.T) {
	e := newTwoAgencies(t)
	third, err := e.st.CreateAgency(t.Context(), agency.Agency{Slug: "so-y-te", Name: "Sở Y tế tỉnh Quảng Ngãi", ShortName: "Sở Y tế", Prefix: "/so-y-te"},
		store.AuditEntry{At: scopeNow, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	ctxs := []context.Context{e.one, e.two, agency.WithID(t.Context(), third)}
	name := mediaName("cd")
	put := func(ctx context.Context, alt string) error {
		m := &store.Media{Name: name, ContentType: "image/png", Size: 1, Alt: alt, UploadedBy: "bt", Uploaded: scopeNow}
		return e.st.Tx(ctx, func(tx *sql.Tx) error { return e.st.PutMedia(ctx, tx, m) })
	}
	if err := put(e.one, "Ảnh của cơ quan 1 lần 0"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	start := make(chan struct{})
	for i := range 60 {
		wg.Go(func() {
			<-start
			errs <- put(ctxs[i%3], fmt.Sprintf("Ảnh của cơ quan %d lần %d", agency.IDFrom(ctxs[i%3]), i+1))
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for _, ctx := range ctxs {
		m, err := e.st.MediaFile(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("Ảnh của cơ quan %d lần ", agency.IDFrom(ctx)); !strings.HasPrefix(m.Alt, want) {
			t.Errorf("agency %d reads %q, not words of its own", agency.IDFrom(ctx), m.Alt)
		}
	}
	var rows, owners int
	var alt string
	if err := e.db.Read.QueryRow(`SELECT COUNT(*), MAX(alt) FROM media WHERE name = ?`, name).Scan(&rows, &alt); err != nil || rows != 1 || !strings.HasPrefix(alt, "Ảnh của cơ quan 1 lần ") {
		t.Errorf("media rows %d, alt %q (%v): want one, the first agency's", rows, alt, err)
	}
	if err := e.db.Read.QueryRow(`SELECT COUNT(*) FROM media_owners WHERE name = ?`, name).Scan(&owners); err != nil || owners != 2 {
		t.Errorf("%d ownership rows (%v), want 2", owners, err)
	}
}
