package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"cchc/internal/auth"
)

// TestStepAuditedInItsTransaction: a workflow step and a save write their
// audit row in the transaction of the change, with the client's address.
// When the audit row cannot be written, nothing of the change stays:
// before issue 13 the workspace wrote it afterwards in a transaction of
// its own, logging its failure, so the publication went out unaudited.
func TestStepAuditedInItsTransaction(t *testing.T) {
	s, f := newItemServer(t)
	ap := s.login(auth.Approver)

	// The audit log refuses every row, as a damaged table would.
	if _, err := s.env.DB.Write.Exec(`CREATE TRIGGER test_audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`); err != nil {
		t.Fatal(err)
	}
	before := s.itemsState()
	for _, step := range []struct{ path, name string }{
		{editPath(f.submitted) + "/xuat-ban", "publish"},
		{editPath(f.published) + "/go-bo", "withdraw"},
		{editPath(f.draft), "save"},
	} {
		it := map[string]string{"publish": ver(f.submitted), "withdraw": ver(f.published), "save": ver(f.draft)}[step.name]
		res := s.post(ap, step.path, url.Values{"version": {it}, "note": {"Lý do"}, "title": {"Tiêu đề mới"}, "body": {"Mới."}})
		if res.StatusCode < 500 {
			t.Errorf("%s without its audit row: %d, want a failure page", step.name, res.StatusCode)
		}
	}
	if got := s.itemsState(); got != before {
		t.Errorf("steps whose audit row failed changed:\n%s\nwas:\n%s", got, before)
	}
	if _, err := s.env.DB.Write.Exec(`DROP TRIGGER test_audit_refused`); err != nil {
		t.Fatal(err)
	}

	res := s.post(ap, editPath(f.submitted)+"/xuat-ban", url.Values{"version": {ver(f.submitted)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.StatusCode, res.body)
	}
	entries, _, err := s.env.Store.AuditEntries(t.Context(), 1, 0)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit %v %v", entries, err)
	}
	if e := entries[0]; e.Action != "publish" || e.Actor != "approver" || e.Address != "192.0.2.1" || e.Detail != f.submitted.Title {
		t.Errorf("audit row %+v", e)
	}
}
