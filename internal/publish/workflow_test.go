package publish_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/markdown"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
)

// events lists the publication log's rows as "type@dd/mm HH:MM:note", in
// Vietnam's time.
func events(t *testing.T, st *store.Store) []string {
	t.Helper()
	entries, err := publog.New(st, nil).All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, fmt.Sprintf("%s@%s:%s", e.Type, e.Local().Format("02/01 15:04"), e.Note))
	}
	return out
}

func draftArticle(title string) content.Item {
	return content.Item{Kind: content.Article, Title: title, Body: "Nội dung **thử**.\n"}
}

func TestWorkflowEndToEnd(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	editor := publish.Actor{Name: "lan", Role: auth.Editor}
	approver := publish.Actor{Name: "minh", Role: auth.Approver}

	it, _, err := e.pub.Save(ctx, editor, publish.SaveRequest{Item: draftArticle("Tin thử nghiệm quy trình")})
	if err != nil {
		t.Fatal(err)
	}
	if it.Status != store.Draft || it.Slug != "tin-thu-nghiem-quy-trinh" || it.CreatedBy != "lan" {
		t.Fatalf("new item = %s %s %s", it.Status, it.Slug, it.CreatedBy)
	}
	step := func(who publish.Actor, act auth.Action, note string, at time.Time) *store.Item {
		t.Helper()
		got, err := e.pub.Transition(ctx, who, publish.TransitionRequest{ID: it.ID, Version: it.Version, Action: act, Note: note, At: at})
		if err != nil {
			t.Fatalf("%s: %v", act, err)
		}
		it = got
		return got
	}
	if _, err := e.pub.Transition(ctx, editor, publish.TransitionRequest{ID: it.ID, Action: auth.ActPublish}); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("editor publishing with review required: %v", err)
	}
	step(editor, auth.ActSubmit, "", time.Time{})
	if _, err := e.pub.Transition(ctx, approver, publish.TransitionRequest{ID: it.ID, Action: auth.ActReject}); err == nil {
		t.Fatal("a rejection without a comment must be refused")
	}
	step(approver, auth.ActReject, "Bổ sung số liệu", time.Time{})
	if it.Status != store.Draft || it.ReviewNote != "Bổ sung số liệu" {
		t.Fatalf("after reject: %s %q", it.Status, it.ReviewNote)
	}
	step(editor, auth.ActSubmit, "", time.Time{})
	step(approver, auth.ActPublish, "", time.Time{})
	if !it.Visible(e.now) || !it.Live {
		t.Fatal("published item is not public")
	}
	// A minor edit keeps Updated; a major one sets it and logs its note.
	edit := draftArticle("Tin thử nghiệm quy trình")
	edit.Body = "Nội dung sửa lỗi chính tả.\n"
	e.now = e.now.Add(time.Hour)
	got, _, err := e.pub.Save(ctx, approver, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: edit})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Updated.IsZero() {
		t.Fatal("a minor edit must not set Updated")
	}
	it = got
	edit.Body = "Nội dung cập nhật số liệu quý II.\n"
	e.now = e.now.Add(time.Hour)
	if _, _, err := e.pub.Save(ctx, approver, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: edit, Major: true}); err == nil {
		t.Fatal("a major update without a change note must be refused")
	}
	got, _, err = e.pub.Save(ctx, approver, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: edit, Major: true, ChangeNote: "Cập nhật số liệu quý II"})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Updated.Equal(e.now.UTC().Truncate(time.Second)) && got.Updated.Unix() != e.now.Unix() {
		t.Fatalf("Updated = %v, want %v", got.Updated, e.now)
	}
	it = got
	changes, err := e.st.MajorChanges(ctx, it.ID)
	if err != nil || len(changes) != 1 || changes[0].Note != "Cập nhật số liệu quý II" {
		t.Fatalf("major changes = %v, %v", changes, err)
	}
	step(approver, auth.ActWithdraw, "Thông tin đã được thay thế", time.Time{})
	step(approver, auth.ActRepublish, "", time.Time{})
	step(approver, auth.ActDelete, "", time.Time{})
	if _, err := e.pub.Transition(ctx, approver, publish.TransitionRequest{ID: it.ID, Action: auth.ActRestore}); !errors.Is(err, auth.ErrForbidden) {
		t.Fatalf("approver restoring from trash: %v", err)
	}
	step(publish.Actor{Name: "quantri", Role: auth.Admin}, auth.ActRestore, "", time.Time{})
	if it.Status != store.Draft || !it.Deleted.IsZero() {
		t.Fatalf("restored item = %s deleted=%v", it.Status, it.Deleted)
	}
	want := []string{
		"publish@01/06 09:00:",
		"update@01/06 11:00:Cập nhật số liệu quý II",
		"withdraw@01/06 11:00:Thông tin đã được thay thế",
		"republish@01/06 11:00:",
		"unpublish@01/06 11:00:Chuyển vào thùng rác",
	}
	if got := events(t, e.st); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}
	revs, _ := e.st.Revisions(ctx, it.ID)
	if len(revs) < 10 {
		t.Errorf("every save must be a revision; got %d", len(revs))
	}
}

func TestConflict(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	ed := publish.Actor{Name: "lan", Role: auth.Editor}
	it, _, err := e.pub.Save(ctx, ed, publish.SaveRequest{Item: draftArticle("Bài viết chung")})
	if err != nil {
		t.Fatal(err)
	}
	first := draftArticle("Bài viết chung")
	first.Body = "Bản của người thứ nhất.\n"
	if _, _, err := e.pub.Save(ctx, ed, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: first}); err != nil {
		t.Fatal(err)
	}
	second := draftArticle("Bài viết chung")
	second.Body = "Bản của người thứ hai.\n"
	_, _, err = e.pub.Save(ctx, publish.Actor{Name: "hoa", Role: auth.Editor}, publish.SaveRequest{ID: it.ID, Version: it.Version, Item: second})
	var conflict *publish.ConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale save: %v, want a ConflictError", err)
	}
	if conflict.Current.Body != first.Body {
		t.Fatalf("conflict shows %q, want the stored version", conflict.Current.Body)
	}
	stored, _ := e.st.ItemByID(ctx, it.ID)
	if stored.Body != first.Body {
		t.Fatal("the stale save overwrote the stored version")
	}
}

func TestSchedulerCatchesUp(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	ap := publish.Actor{Name: "minh", Role: auth.Approver}
	var ids []int64
	for i, h := range []int{1, 2, 30} {
		it, _, err := e.pub.Save(ctx, ap, publish.SaveRequest{Item: draftArticle(fmt.Sprintf("Bài hẹn giờ %d", i))})
		if err != nil {
			t.Fatal(err)
		}
		at := e.now.Add(time.Duration(h) * time.Hour)
		if _, err := e.pub.Transition(ctx, ap, publish.TransitionRequest{ID: it.ID, Action: auth.ActPublish, At: at}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	if due, err := e.pub.PublishDue(ctx); err != nil || len(due) != 0 {
		t.Fatalf("nothing is due yet: %v %v", due, err)
	}
	if got := events(t, e.st); len(got) != 0 {
		t.Fatalf("scheduling must not log a publication: %v", got)
	}
	// The server was down for three hours: a new service over the same
	// database (a restart) catches up on both items that fell due.
	e.now = e.now.Add(3 * time.Hour)
	restarted := publish.New(e.st, markdown.New(), publog.New(e.st, e.clock), e.st, e.clock, nil)
	due, err := restarted.PublishDue(ctx)
	if err != nil || len(due) != 2 {
		t.Fatalf("PublishDue = %d items, %v; want 2", len(due), err)
	}
	if again, _ := restarted.PublishDue(ctx); len(again) != 0 {
		t.Fatalf("PublishDue is not idempotent: %d", len(again))
	}
	want := "publish@01/06 10:00:|publish@01/06 11:00:"
	if got := strings.Join(events(t, e.st), "|"); got != want {
		t.Errorf("events = %s, want %s (logged at the scheduled times)", got, want)
	}
	third, _ := e.st.ItemByID(ctx, ids[2])
	if third.Live || third.Visible(e.now) {
		t.Error("the item due later must not be public yet")
	}
}

func TestSaveValidationKeepsNothing(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	ed := publish.Actor{Name: "lan", Role: auth.Editor}
	bad := content.Item{Kind: content.Procedure, Title: "Thủ tục thiếu mã", Code: "1.23"}
	_, _, err := e.pub.Save(ctx, ed, publish.SaveRequest{Item: bad})
	var errs content.Errors
	if !errors.As(err, &errs) || len(errs) == 0 || errs[0].Field != "code" {
		t.Fatalf("want a field error on code, got %v", err)
	}
	if n, err := e.st.CountItems(ctx); err != nil || n != 0 {
		t.Fatalf("a refused save wrote %d items (%v)", n, err)
	}
	// Duplicate slug is a field error too.
	if _, _, err := e.pub.Save(ctx, ed, publish.SaveRequest{Item: draftArticle("Trùng tên")}); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.pub.Save(ctx, ed, publish.SaveRequest{Item: draftArticle("Trùng tên")})
	if !errors.As(err, &errs) || errs[0].Field != "slug" {
		t.Fatalf("duplicate slug: %v", err)
	}
}

// TestRoleBeforeState: a step the role may never take is refused as
// forbidden whatever the item's state; before issue 13 the state was
// checked first, so an editor rejecting a draft (or withdrawing one) was
// told the step did not apply to the state.
func TestRoleBeforeState(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	editor := publish.Actor{Name: "lan", Role: auth.Editor}
	approver := publish.Actor{Name: "minh", Role: auth.Approver}
	it, _, err := e.pub.Save(ctx, editor, publish.SaveRequest{Item: draftArticle("Bản nháp của biên tập viên")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who  publish.Actor
		act  auth.Action
		want error
	}{
		{editor, auth.ActReject, auth.ErrForbidden},
		{editor, auth.ActWithdraw, auth.ErrForbidden},
		{editor, auth.ActRepublish, auth.ErrForbidden},
		{approver, auth.ActReject, auth.ErrState},
		{approver, auth.ActWithdraw, auth.ErrState},
	} {
		_, err := e.pub.Transition(ctx, tc.who, publish.TransitionRequest{ID: it.ID, Action: tc.act, Note: "Lý do"})
		if err != tc.want && !errors.Is(err, tc.want) {
			t.Errorf("%s %s on a draft: %v, want %v", tc.who.Role, tc.act, err, tc.want)
		}
	}
}

// TestWithdrawScheduled: a scheduled item was never public, so it cannot
// be withdrawn (Hủy hẹn giờ takes it back to a draft). Before issue 13 the
// service allowed it, writing a withdrawal into the publication log for an
// item that had never been published.
func TestWithdrawScheduled(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	ap := publish.Actor{Name: "minh", Role: auth.Approver}
	it, _, err := e.pub.Save(ctx, ap, publish.SaveRequest{Item: draftArticle("Bài hẹn giờ")})
	if err != nil {
		t.Fatal(err)
	}
	it, err = e.pub.Transition(ctx, ap, publish.TransitionRequest{ID: it.ID, Action: auth.ActPublish, At: e.now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if publish.StateOf(it) != auth.StateScheduled {
		t.Fatalf("state %s, want scheduled", publish.StateOf(it))
	}
	_, err = e.pub.Transition(ctx, ap, publish.TransitionRequest{ID: it.ID, Action: auth.ActWithdraw, Note: "Không đăng nữa"})
	if !errors.Is(err, auth.ErrState) {
		t.Fatalf("withdrawing a scheduled item: %v, want ErrState", err)
	}
	if got := events(t, e.st); len(got) != 0 {
		t.Errorf("the log has %v for an item never published", got)
	}
	if cur, _ := e.st.ItemByID(ctx, it.ID); cur.Status != store.Published || cur.Live || cur.Version != it.Version {
		t.Errorf("item changed: %s live=%v v%d", cur.Status, cur.Live, cur.Version)
	}
	// Cancelling the schedule is the step that applies.
	if _, err := e.pub.Transition(ctx, ap, publish.TransitionRequest{ID: it.ID, Action: auth.ActUnpublish}); err != nil {
		t.Fatalf("cancelling the schedule: %v", err)
	}
}

// failAfter wraps the real publication log or audit log: it writes the
// row, then fails, as a full disk or a constraint would after the insert.
type failAfter struct {
	events publish.EventLog
	audit  publish.AuditLog
}

var errAppend = errors.New("append failed")

func (f failAfter) Append(ctx context.Context, tx *sql.Tx, ev publish.Event) error {
	if err := f.events.Append(ctx, tx, ev); err != nil {
		return err
	}
	return errAppend
}

func (f failAfter) Audit(ctx context.Context, tx *sql.Tx, e store.AuditEntry) error {
	if err := f.audit.Audit(ctx, tx, e); err != nil {
		return err
	}
	return errAppend
}

// TestNoChangeWithoutItsRows: a step or save commits with its
// publication-log rows and its audit row or not at all. A log or an audit
// log that fails after writing its row rolls the whole change back.
func TestNoChangeWithoutItsRows(t *testing.T) {
	ctx := context.Background()
	e := newRefsEnv(t)
	realLog := publog.New(e.st, e.clock)
	badLog := publish.New(e.st, markdown.New(), failAfter{events: realLog}, e.st, e.clock, nil)
	badAudit := publish.New(e.st, markdown.New(), realLog, failAfter{audit: e.st}, e.clock, nil)
	ap := publish.Actor{Name: "minh", Role: auth.Approver, Address: "192.0.2.7"}

	// state is everything a change may touch.
	state := func() string {
		t.Helper()
		var b strings.Builder
		items, _, err := e.st.AdminItems(ctx, store.AdminQuery{Kind: content.Article, Now: e.now, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			revs, err := e.st.Revisions(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%d v%d %s live=%v revs=%d\n", it.ID, it.Version, it.Status, it.Live, len(revs))
		}
		_, audits, err := e.st.AuditEntries(ctx, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "audit=%d log=%v", audits, events(t, e.st))
		return b.String()
	}

	before := state()
	if _, _, err := badAudit.Save(ctx, ap, publish.SaveRequest{Item: draftArticle("Bài không được kiểm toán")}); !errors.Is(err, errAppend) {
		t.Fatalf("save with a failing audit log: %v", err)
	}
	if got := state(); got != before {
		t.Errorf("a save whose audit row failed left:\n%s\nwas:\n%s", got, before)
	}

	it, _, err := e.pub.Save(ctx, ap, publish.SaveRequest{Item: draftArticle("Bài sẽ xuất bản")})
	if err != nil {
		t.Fatal(err)
	}
	before = state()
	// A publication needs both rows; trashing a draft only its audit row.
	for name, svc := range map[string]*publish.Service{"log": badLog, "audit": badAudit} {
		acts := []auth.Action{auth.ActPublish}
		if name == "audit" {
			acts = append(acts, auth.ActDelete)
		}
		for _, act := range acts {
			_, err := svc.Transition(ctx, ap, publish.TransitionRequest{ID: it.ID, Version: it.Version, Action: act})
			if !errors.Is(err, errAppend) {
				t.Fatalf("%s with a failing %s: %v", act, name, err)
			}
			if got := state(); got != before {
				t.Errorf("%s with a failing %s left:\n%s\nwas:\n%s", act, name, got, before)
			}
		}
	}

	// With both logs working, the step leaves both rows.
	if _, err := e.pub.Transition(ctx, ap, publish.TransitionRequest{ID: it.ID, Version: it.Version, Action: auth.ActPublish}); err != nil {
		t.Fatal(err)
	}
	entries, _, err := e.st.AuditEntries(ctx, 1, 0)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: %v %v", entries, err)
	}
	if got := entries[0]; got.Action != store.AuditPublish || got.Actor != "minh" || got.Address != "192.0.2.7" || got.Target != fmt.Sprintf("item:%d", it.ID) || got.Detail != "Bài sẽ xuất bản" {
		t.Errorf("audit row %+v", got)
	}
	if got := events(t, e.st); len(got) != 1 || !strings.HasPrefix(got[0], "publish@") {
		t.Errorf("log %v", got)
	}
}

// TestNewNeedsBothLogs: there is no service that could change content
// without logging it.
func TestNewNeedsBothLogs(t *testing.T) {
	e := newRefsEnv(t)
	for name, build := range map[string]func(){
		"no publication log": func() { publish.New(e.st, markdown.New(), nil, e.st, nil, nil) },
		"no audit log":       func() { publish.New(e.st, markdown.New(), publog.New(e.st, nil), nil, nil, nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: New built a service", name)
				}
			}()
			build()
		}()
	}
}
