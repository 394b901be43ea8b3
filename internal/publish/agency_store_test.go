package publish_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/store"
)

// secondAgency adds an agency to e's database and returns a context acting
// for it.
func secondAgency(t *testing.T, e *refsEnv) context.Context {
	t.Helper()
	id, err := e.st.CreateAgency(t.Context(), agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp",
		Prefix: "/so-tu-phap"}, store.AuditEntry{At: e.now, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	return agency.WithID(t.Context(), id)
}

// TestImportCitesAnotherAgencysDocument: the first agency imports a
// decision, the second its own file, whose article (at the same slug as
// the first agency's) cites that decision: the citation resolves through
// the one registry, with no warning, and "cited by" lists both agencies'
// articles, each with its agency.
func TestImportCitesAnotherAgencysDocument(t *testing.T) {
	e := newRefsEnv(t)
	one := context.Background()
	two := secondAgency(t, e)
	e.importFS(t, fstest.MapFS{"documents/9-qd-ubnd.md": file(decision9), "articles/trien-khai.md": file(citingArticle)})
	res, err := e.pub.Import(two, fstest.MapFS{"articles/stp-trien-khai.md": file(withSlug(citingArticle, "trien-khai"))}, "content")
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 || res.Added != 1 || len(res.Warnings) != 0 {
		t.Fatalf("second agency's import: %+v (errors %v, warnings %v)", res, res.Errors, res.Warnings)
	}
	art, err := e.st.ItemBySlug(two, content.Article, "trien-khai")
	if err != nil {
		t.Fatal(err)
	}
	if art.AgencyID != agency.IDFrom(two) || !strings.Contains(art.HTML, `href="/van-ban/9-qd-ubnd"`) {
		t.Errorf("agency %d's article (agency %d) does not link the registry's document: %s", agency.IDFrom(two), art.AgencyID, art.HTML)
	}
	citing, err := e.st.CitingItems(one, "9/QD-UBND", e.now)
	if err != nil {
		t.Fatal(err)
	}
	agencies := map[int64]int{}
	for _, it := range citing {
		agencies[it.AgencyID]++
	}
	if len(citing) != 2 || agencies[agency.Root] != 1 || agencies[agency.IDFrom(two)] != 1 {
		t.Errorf("cited by %d items, by agency %v; want one of each", len(citing), agencies)
	}
	// The second import again: nothing changed, found by its own path.
	res, err = e.pub.Import(two, fstest.MapFS{"articles/stp-trien-khai.md": file(withSlug(citingArticle, "trien-khai"))}, "content")
	if err != nil || res.Unchanged != 1 || res.Added != 0 {
		t.Errorf("second agency's import again: %+v, %v", res, err)
	}
}

// TestSchedulerPublishesEveryAgency: one scheduler publishes the due items
// of every agency, each acting for its own.
func TestSchedulerPublishesEveryAgency(t *testing.T) {
	e := newRefsEnv(t)
	two := secondAgency(t, e)
	later := `---
title: Bài hẹn giờ
date: 2022-06-02T08:00:00+07:00
---
Nội dung.
`
	for _, ctx := range []context.Context{context.Background(), two} {
		path := fmt.Sprintf("articles/hen-gio-%d.md", agency.IDFrom(ctx))
		if res, err := e.pub.Import(ctx, fstest.MapFS{path: file(withSlug(later, "hen-gio"))}, "content"); err != nil || res.Added != 1 {
			t.Fatalf("agency %d's import: %+v, %v", agency.IDFrom(ctx), res, err)
		}
	}
	e.now = e.now.Add(48 * time.Hour)
	done, err := e.pub.PublishDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 {
		t.Fatalf("published %d due items, want one per agency", len(done))
	}
	for _, ctx := range []context.Context{context.Background(), two} {
		it, err := e.st.ItemBySlug(ctx, content.Article, "hen-gio")
		if err != nil || !it.Live {
			t.Errorf("agency %d's scheduled article: %+v, %v; want it published", agency.IDFrom(ctx), it, err)
		}
	}
}

// withSlug gives a content file's front matter a slug: field. Source paths
// are unique across the instance (each agency's files have their own), the
// slugs only within an agency.
func withSlug(file, slug string) string {
	return strings.Replace(file, "---\n", "---\nslug: "+slug+"\n", 1)
}
