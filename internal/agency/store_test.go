package agency_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/config"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/web"
)

var at = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

func audit() store.AuditEntry { return store.AuditEntry{At: at, Actor: "admin"} }

func tuPhap() agency.Agency {
	return agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap",
		Address: "Số 1 Lê Lợi, Quảng Ngãi", Email: "stp@quangngai.gov.vn", Website: "https://stp.quangngai.gov.vn"}
}

// TestFirstAgency: a new database holds the first agency, today's column:
// the department, served at the root addresses.
func TestFirstAgency(t *testing.T) {
	st := store.New(testsupport.Database(t))
	list, err := st.Agencies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d agencies, want 1: %+v", len(list), list)
	}
	a := list[0]
	want := agency.Agency{ID: agency.Root, Slug: "so-khcn", Name: "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", ShortName: "Sở KH&CN"}
	if a != want {
		t.Errorf("first agency %+v\nwant %+v", a, want)
	}
	if !a.IsRoot() {
		t.Error("the first agency is not the root column")
	}
	if errs := agency.Check(a); errs != nil {
		t.Errorf("the first agency fails its own rules: %v", errs)
	}
	if b, err := st.AgencyBySlug(t.Context(), "so-khcn"); err != nil || *b != a {
		t.Errorf("by slug: %+v, %v", b, err)
	}
	if _, err := st.Agency(t.Context(), 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("agency 99: %v, want ErrNotFound", err)
	}
}

// TestCreateUpdateAgency: an agency is added, read back, changed, each
// time with its audit row; what another agency holds is refused with the
// field it is about and nothing written.
func TestCreateUpdateAgency(t *testing.T) {
	ctx := t.Context()
	db := testsupport.Database(t)
	st := store.New(db)
	id, err := st.CreateAgency(ctx, tuPhap(), audit())
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Agency(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := tuPhap()
	want.ID = id
	if *got != want {
		t.Errorf("read back %+v\nwant %+v", got, want)
	}
	got.Host = "STP.QuangNgai.gov.vn"
	got.ParentID = agency.Root
	if err := st.UpdateAgency(ctx, *got, audit()); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.Agency(ctx, id); again.Host != "stp.quangngai.gov.vn" || again.ParentID != agency.Root {
		t.Errorf("after update: %+v", again)
	}
	if n := testsupport.Count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency'`); n != 2 {
		t.Errorf("%d audit rows, want 2", n)
	}

	refused := []struct {
		name  string
		edit  func(a *agency.Agency)
		field string
	}{
		{"slug taken", func(a *agency.Agency) { a.Slug = "so-khcn" }, agency.FieldSlug},
		{"name taken", func(a *agency.Agency) { a.Name = "Sở Tư pháp tỉnh Quảng Ngãi" }, agency.FieldName},
		{"prefix taken", func(a *agency.Agency) { a.Prefix = "/SO-TU-PHAP/" }, agency.FieldPrefix},
		{"host taken", func(a *agency.Agency) { a.Prefix, a.Host = "", "stp.quangngai.gov.vn" }, agency.FieldHost},
		{"a second root column", func(a *agency.Agency) { a.Prefix = "" }, agency.FieldPrefix},
		{"reserved prefix", func(a *agency.Agency) { a.Prefix = "/tim-kiem" }, agency.FieldPrefix},
		{"missing parent", func(a *agency.Agency) { a.ParentID = 77 }, agency.FieldParent},
	}
	for _, c := range refused {
		a := agency.Agency{Slug: "so-noi-vu", Name: "Sở Nội vụ tỉnh Quảng Ngãi", ShortName: "Sở Nội vụ", Prefix: "/so-noi-vu"}
		c.edit(&a)
		_, err := st.CreateAgency(ctx, a, audit())
		if p := agency.Problems(err); p[c.field] == "" {
			t.Errorf("%s: %v; want a problem on %s", c.name, err, c.field)
		}
	}
	if n := testsupport.Count(t, db, `SELECT COUNT(*) FROM agencies`); n != 2 {
		t.Errorf("%d agencies after the refusals, want 2", n)
	}
	if n := testsupport.Count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency'`); n != 2 {
		t.Errorf("%d audit rows after the refusals, want 2", n)
	}

	// A loop: the department under the Sở Tư pháp, itself under the
	// department.
	root, _ := st.Agency(ctx, agency.Root)
	root.ParentID = id
	if p := agency.Problems(st.UpdateAgency(ctx, *root, audit())); p[agency.FieldParent] == "" {
		t.Errorf("a loop of parents is taken")
	}
	ghost := tuPhap()
	ghost.ID = 404
	ghost.Slug, ghost.Name, ghost.Prefix = "ma", "Cơ quan không có", "/ma"
	if err := st.UpdateAgency(ctx, ghost, audit()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a missing agency: %v", err)
	}
}

// TestAgencyBurst: 60 admins add an agency under the same prefix at once;
// exactly one is added, every other is refused on the prefix, none fails
// otherwise (the writer is one connection; the check and the insert share
// one transaction).
func TestAgencyBurst(t *testing.T) {
	ctx := t.Context()
	db := testsupport.Database(t)
	st := store.New(db)
	const n = 60
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			a := agency.Agency{Slug: "co-quan-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Name: "Cơ quan " + strings.Repeat("I", i+1),
				ShortName: "CQ", Prefix: "/cung-duong-dan"}
			_, errs[i] = st.CreateAgency(ctx, a, audit())
		})
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case agency.Problems(err)[agency.FieldPrefix] == "":
			t.Errorf("create %d: %v", i, err)
		}
	}
	if ok != 1 {
		t.Errorf("%d creates under one prefix succeeded, want 1", ok)
	}
	if c := testsupport.Count(t, db, `SELECT COUNT(*) FROM agencies WHERE prefix = '/cung-duong-dan'`); c != 1 {
		t.Errorf("%d rows hold the prefix", c)
	}
}

// TestAgencyForeignKeys: the agency_id columns migration 0130 adds refuse
// an agency that does not exist, and take one that does.
func TestAgencyForeignKeys(t *testing.T) {
	ctx := context.Background()
	db := testsupport.Database(t)
	st := store.New(db)
	id, err := st.CreateAgency(ctx, tuPhap(), audit())
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"items", "plans", "users", "units", "media", "publog", "log_anchors", "report_sendings", "report_drafts", "audit_log"} {
		var sql string
		if err := db.Read.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sql, "agency_id INTEGER NOT NULL DEFAULT 1 REFERENCES agencies (id)") {
			t.Errorf("%s has no agency_id with its foreign key:\n%s", table, sql)
		}
	}
	insert := `INSERT INTO audit_log (at, action, agency_id) VALUES (1, 'test', ?)`
	if _, err := db.Write.ExecContext(ctx, insert, 99); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("an audit row of agency 99: %v; want a foreign key failure", err)
	}
	if _, err := db.Write.ExecContext(ctx, insert, id); err != nil {
		t.Errorf("an audit row of agency %d: %v", id, err)
	}
	if _, err := db.Write.ExecContext(ctx, `INSERT INTO items (uid, kind, slug, title, created_at, modified_at, agency_id) VALUES ('u', 'article', 'a', 't', 1, 1, 42)`); err == nil {
		t.Error("an item of agency 42 is taken")
	}
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM agencies WHERE id = ?`, agency.Root); err == nil {
		t.Error("the first agency is deleted while rows are its")
	}
}

// TestReservedCoversRouter: every first path segment the real router
// answers (the public column, the workspace, the reports) is reserved, so
// no agency's prefix can hide a page of another column.
func TestReservedCoversRouter(t *testing.T) {
	env := testsupport.Open(t, config.Defaults, nil)
	h := testsupport.Handler(t, env)
	f, ok := h.(*web.Front)
	if !ok {
		t.Fatalf("handler is %T, not the front", h)
	}
	seen := map[string]bool{}
	for _, r := range f.Routes() {
		seg, _, _ := strings.Cut(strings.TrimPrefix(r.Path, "/"), "/")
		if seg == "" || seen[seg] {
			continue
		}
		seen[seg] = true
		if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
			t.Errorf("route %s %s starts with a parameter: any prefix would collide", r.Method, r.Path)
			continue
		}
		if !agency.IsReserved("/" + seg) {
			t.Errorf("route %s %s: /%s is not reserved", r.Method, r.Path, seg)
		}
	}
	for _, r := range agency.Reserved {
		if !seen[r] {
			t.Errorf("/%s is reserved but the router has no route under it", r)
		}
	}
	if len(seen) < 5 {
		t.Fatalf("only %d first segments found: %v", len(seen), seen)
	}
	t.Logf("%d first segments, all reserved", len(seen))
}
