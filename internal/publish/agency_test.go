package publish_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

// TestOtherAgencyRefusedInTransaction: the workflow itself, asked
// directly (no handler in front), refuses every change to an item of
// agency 1 by an account of agency 2 as not found — a save, every step,
// restoring a revision — and writes nothing: no item, revision, log row
// or audit row. The same actor of agency 1 is let through.
func TestOtherAgencyRefusedInTransaction(t *testing.T) {
	ctx := context.Background()
	db := testsupport.Database(t)
	e := newRefsEnvOn(t, db)
	other, err := e.st.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp", ShortName: "STP", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: e.now, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	admin1 := publish.Actor{Name: "quantri", Role: auth.Admin}
	it, _, err := e.pub.Save(ctx, admin1, publish.SaveRequest{Item: draftArticle("Tin của Sở KH&CN")})
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		return fmt.Sprint(testsupport.Count(t, db, `SELECT version FROM items WHERE id = ?`, it.ID),
			testsupport.Count(t, db, `SELECT COUNT(*) FROM revisions`),
			testsupport.Count(t, db, `SELECT COUNT(*) FROM publog`),
			testsupport.Count(t, db, `SELECT COUNT(*) FROM audit_log`))
	}
	before := state()
	for _, who := range []publish.Actor{
		{Name: "stp.admin", Role: auth.Admin, AgencyID: other},
		// An actor without its own agency acts for the context's.
		{Name: "stp.lenh", Role: auth.Admin},
	} {
		wctx := ctx
		if who.AgencyID == 0 {
			wctx = agency.WithID(ctx, other)
		}
		edit := it.Item
		edit.Title = "Sửa trộm"
		_, _, err := e.pub.Save(wctx, who, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: edit})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: save answered %v, want not found", who.Name, err)
		}
		for _, act := range auth.Actions {
			if act == auth.ActSave {
				continue
			}
			_, err := e.pub.Transition(wctx, who, publish.TransitionRequest{ID: it.ID, Version: it.Version, Action: act, Note: "Lý do"})
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: %s answered %v, want not found", who.Name, act, err)
			}
		}
		if _, _, err := e.pub.RestoreRevision(wctx, who, it.ID, it.Version, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: restoring a revision answered %v, want not found", who.Name, err)
		}
		if got := state(); got != before {
			t.Errorf("%s: written: %s → %s", who.Name, before, got)
		}
	}
	// Not vacuous: agency 1's admin publishes it.
	if _, err := e.pub.Transition(ctx, publish.Actor{Name: "quantri", Role: auth.Admin, AgencyID: agency.Root},
		publish.TransitionRequest{ID: it.ID, Version: it.Version, Action: auth.ActPublish}); err != nil {
		t.Fatalf("agency 1's admin: %v", err)
	}
}
