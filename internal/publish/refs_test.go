package publish_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/markdown"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// refsEnv is a publish service over a fresh database with a clock the test
// moves.
type refsEnv struct {
	st  *store.Store
	pub *publish.Service
	now time.Time
}

// clock is the environment's clock, e.now.
func (e *refsEnv) clock() time.Time { return e.now }

func newRefsEnv(t *testing.T) *refsEnv { return newRefsEnvOn(t, testsupport.Database(t)) }

// newRefsEnvOn is newRefsEnv over db, for a test that reads it directly.
func newRefsEnvOn(t *testing.T, db *database.DB) *refsEnv {
	t.Helper()
	e := &refsEnv{st: store.New(db), now: time.Date(2022, 6, 1, 9, 0, 0, 0, vntext.Zone)}
	e.pub = publish.New(e.st, markdown.New(), publog.New(e.st, e.clock), e.st, e.clock, nil)
	return e
}

func (e *refsEnv) importFS(t *testing.T, fsys fstest.MapFS) *publish.ImportResult {
	t.Helper()
	res, err := e.pub.Import(context.Background(), fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed > 0 {
		t.Fatalf("import failed: %v", res.Errors)
	}
	return res
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

const citingArticle = `---
title: Sở triển khai quyết định mới
date: 2022-05-02
---
Thực hiện Quyết định số 9/QĐ-UBND ngày 05/01/2022 của UBND tỉnh,
Sở đã ban hành kế hoạch.
`

const decision9 = `---
number: 9/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh Quảng Ngãi
issued: 2022-01-05
title: Ban hành quy chế mẫu
date: 2022-01-10
---
`

func TestAddingDocumentLinksExistingArticle(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	fsys := fstest.MapFS{"articles/trien-khai.md": file(citingArticle)}
	res := e.importFS(t, fsys)
	if len(res.Warnings) != 1 || res.Warnings[0].Line != 5 || !strings.Contains(res.Warnings[0].Msg, "9/QĐ-UBND") {
		t.Fatalf("want one warning on line 5 naming 9/QĐ-UBND, got %v", res.Warnings)
	}
	art, err := e.st.ItemBySlug(ctx, content.Article, "trien-khai")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(art.HTML, "<a ") {
		t.Fatalf("unknown number must stay plain text: %s", art.HTML)
	}

	fsys["documents/9-qd-ubnd.md"] = file(decision9)
	res = e.importFS(t, fsys)
	if res.Added != 1 || res.Unchanged != 1 || res.Rerendered != 1 {
		t.Fatalf("want 1 added, 1 unchanged, 1 re-rendered; got %+v", res)
	}
	art, err = e.st.ItemBySlug(ctx, content.Article, "trien-khai")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.HTML, `<a class="vb-ref" href="/van-ban/9-qd-ubnd"`) {
		t.Fatalf("article does not link the new document: %s", art.HTML)
	}
	citing, err := e.st.CitingItems(ctx, "9/QD-UBND", e.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(citing) != 1 || citing[0].ID != art.ID {
		t.Fatalf("CitingItems = %v, want the article", citing)
	}
	revs, err := e.st.Revisions(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 {
		t.Fatalf("re-rendering must not add a revision; got %d", len(revs))
	}
}

func TestLinksFollowValidity(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	fsys := fstest.MapFS{
		"articles/trien-khai.md": file(citingArticle),
		// In force only from 01/07/2022: the clock starts on 01/06/2022.
		"documents/9-qd-ubnd.md": file(strings.Replace(decision9, "date: 2022-01-10", "date: 2022-01-10\neffective: 2022-07-01\nexpires: 2022-12-31", 1)),
	}
	e.importFS(t, fsys)
	html := func() string {
		art, err := e.st.ItemBySlug(ctx, content.Article, "trien-khai")
		if err != nil {
			t.Fatal(err)
		}
		return art.HTML
	}
	steps := []struct {
		name   string
		now    time.Time
		want   []string
		reject []string
	}{
		{"not yet in force", time.Date(2022, 6, 1, 9, 0, 0, 0, vntext.Zone),
			[]string{"vb-ref-invalid", "(Chưa có hiệu lực)", `title="Chưa có hiệu lực: `}, nil},
		{"in force", time.Date(2022, 7, 2, 9, 0, 0, 0, vntext.Zone),
			[]string{`class="vb-ref"`}, []string{"vb-ref-invalid", "vb-ref-status"}},
		{"expired", time.Date(2023, 1, 2, 9, 0, 0, 0, vntext.Zone),
			[]string{"vb-ref-invalid", "(Hết hiệu lực toàn bộ)"}, nil},
	}
	for i, step := range steps {
		e.now = step.now
		n, err := e.pub.RefreshRefs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && n != 1 {
			t.Errorf("%s: re-rendered %d items, want 1", step.name, n)
		}
		h := html()
		for _, w := range step.want {
			if !strings.Contains(h, w) {
				t.Errorf("%s: want %q in %s", step.name, w, h)
			}
		}
		for _, r := range step.reject {
			if strings.Contains(h, r) {
				t.Errorf("%s: unexpected %q in %s", step.name, r, h)
			}
		}
		// Nothing changed since: a second refresh does nothing.
		if n, err := e.pub.RefreshRefs(ctx); err != nil || n != 0 {
			t.Errorf("%s: second refresh re-rendered %d (%v), want 0", step.name, n, err)
		}
	}
}

func TestLegalBasisRefsAndPlanDocuments(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	fsys := fstest.MapFS{
		"documents/9-qd-ubnd.md": file(decision9),
		"procedures/thu-tuc.md": file(`---
title: Thủ tục mẫu
code: "1.001234"
legal_basis: ["9/QD-UBND", "42/2022/NĐ-CP"]
date: 2022-03-01
---
## Trình tự thực hiện
`),
		"plans/2022.yaml": file(`number: 272/KH-SKHCN
title: Kế hoạch mẫu
issued: 2022-03-15
year: 2022
areas:
  - {id: II.1, title: "Văn bản chỉ đạo"}
documents: [9/QĐ-UBND, 76/NQ-CP]
items:
  - {id: III.1, title: Chuyên mục, tracked: true, targets: {articles_per_month: 2}}
`),
	}
	res := e.importFS(t, fsys)
	var basisWarn, planWarns int
	for _, w := range res.Warnings {
		switch {
		case w.Path == "content/procedures/thu-tuc.md" && w.Line == 4 && strings.Contains(w.Msg, "42/2022/NĐ-CP"):
			basisWarn++
		case w.Path == "content/plans/2022.yaml" && w.Line == 7 && strings.Contains(w.Msg, "văn bản 76/NQ-CP"),
			w.Path == "content/plans/2022.yaml" && w.Line == 1 && strings.Contains(w.Msg, "văn bản 272/KH-SKHCN"):
			planWarns++
		default:
			t.Errorf("unexpected warning %v", w)
		}
	}
	if basisWarn != 1 {
		t.Errorf("want one legal_basis warning on line 4 for 42/2022/NĐ-CP; got %v", res.Warnings)
	}
	// 76/NQ-CP is named on line 7; the plan itself (272/KH-SKHCN) on line 1.
	if planWarns != 2 {
		t.Errorf("want two plan-document warnings; got %v", res.Warnings)
	}
	missing, err := e.pub.MissingPlanDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, m := range missing {
		numbers = append(numbers, m.Number)
	}
	if strings.Join(numbers, ",") != "272/KH-SKHCN,76/NQ-CP" {
		t.Errorf("missing plan documents = %v, want [272/KH-SKHCN 76/NQ-CP]", numbers)
	}
	proc, err := e.st.ItemBySlug(ctx, content.Procedure, "thu-tuc")
	if err != nil {
		t.Fatal(err)
	}
	refs, err := e.st.Refs(ctx, proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"9/QD-UBND": store.RefOK, "42/2022/ND-CP": store.RefUnresolved}
	if len(refs) != len(want) {
		t.Fatalf("refs = %+v", refs)
	}
	for _, r := range refs {
		if st, ok := want[r.Key]; !ok || st != r.State || r.Source != "legal_basis" {
			t.Errorf("ref %+v, want state %q from legal_basis", r, st)
		}
	}
}

// TestRenumberedDocumentUnlinksOldCitations: when an editor corrects a
// document's number in the workspace, items citing the old number lose
// their link in the same save, and items citing the new one gain it.
func TestRenumberedDocumentUnlinksOldCitations(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	e.importFS(t, fstest.MapFS{
		"articles/trien-khai.md": file(citingArticle),
		"articles/so-moi.md":     file(strings.Replace(citingArticle, "9/QĐ-UBND", "10/QĐ-UBND", 1)),
		"documents/9-qd-ubnd.md": file(decision9),
	})
	link := func(slug, target string) bool {
		it, err := e.st.ItemBySlug(ctx, content.Article, slug)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(it.HTML, `href="/van-ban/`+target+`"`)
	}
	if !link("trien-khai", "9-qd-ubnd") || link("so-moi", "9-qd-ubnd") {
		t.Fatal("setup: only the article citing 9/QĐ-UBND links it")
	}
	doc, err := e.st.ItemBySlug(ctx, content.Document, "9-qd-ubnd")
	if err != nil {
		t.Fatal(err)
	}
	edit := doc.Item
	edit.Number = "10/QĐ-UBND"
	approver := publish.Actor{Name: "minh", Role: auth.Approver}
	if _, _, err := e.pub.Save(ctx, approver, publish.SaveRequest{ID: doc.ID, Version: doc.Version, Item: edit}); err != nil {
		t.Fatal(err)
	}
	if link("trien-khai", "9-qd-ubnd") {
		t.Error("the article citing the old number still links the document")
	}
	if !link("so-moi", "9-qd-ubnd") {
		t.Error("the article citing the new number does not link the document")
	}
}
