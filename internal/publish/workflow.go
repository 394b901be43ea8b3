package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cchc/internal/content"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Role is what a user may do; it mirrors the accounts' roles.
type Role string

// The roles of the editors' workspace.
const (
	RoleViewer   Role = "viewer"
	RoleEditor   Role = "editor"
	RoleApprover Role = "approver"
	RoleAdmin    Role = "admin"
)

// Action is a step of the workflow.
type Action string

// The steps of the workflow (GOV.UK publisher's, simplified): draft →
// submitted (chờ duyệt) → published, with rejection back to draft,
// scheduling, withdrawal, and a trash.
const (
	ActSave      Action = "save"      // create or edit
	ActSubmit    Action = "submit"    // draft → submitted
	ActReject    Action = "reject"    // submitted → draft, with a comment
	ActPublish   Action = "publish"   // draft/submitted → published, now or at a time
	ActWithdraw  Action = "withdraw"  // published → withdrawn, with a public reason
	ActRepublish Action = "republish" // withdrawn → published
	ActUnpublish Action = "unpublish" // published/withdrawn → draft
	ActDelete    Action = "delete"    // any → trash
	ActRestore   Action = "restore"   // trash → draft
)

// Actor is who asks for a change.
type Actor struct {
	Name string
	Role Role
}

// Policy holds the workflow's settings.
type Policy struct {
	// RequireReview stops editors from publishing (their own or any) work:
	// an approver must publish it.
	RequireReview bool
}

// ErrForbidden is returned when the actor's role does not allow an action.
var ErrForbidden = errors.New("bạn không có quyền thực hiện thao tác này")

// ErrTransition is returned when an action does not apply to the item's
// current state.
var ErrTransition = errors.New("thao tác này không áp dụng cho trạng thái hiện tại của nội dung")

// Allowed reports whether role may take action on an item in status st
// (deleted: in the trash).
func (p Policy) Allowed(role Role, act Action, st store.Status, deleted bool) error {
	if role == RoleViewer || role == "" {
		return ErrForbidden
	}
	approver := role == RoleApprover || role == RoleAdmin
	if deleted {
		if act == ActRestore && role == RoleAdmin {
			return nil
		}
		if act == ActRestore {
			return ErrForbidden
		}
		return ErrTransition
	}
	switch act {
	case ActSave:
		if st == store.Published || st == store.Withdrawn {
			// Changing what the public sees is an approver's call when
			// review is required.
			if !approver && !(role == RoleEditor && !p.RequireReview) {
				return ErrForbidden
			}
		}
		return nil
	case ActSubmit:
		if st != store.Draft {
			return ErrTransition
		}
		return nil
	case ActReject:
		if st != store.Submitted {
			return ErrTransition
		}
		if !approver {
			return ErrForbidden
		}
		return nil
	case ActPublish:
		if st != store.Draft && st != store.Submitted && st != store.Published {
			return ErrTransition
		}
		if !approver && !(role == RoleEditor && !p.RequireReview) {
			return ErrForbidden
		}
		return nil
	case ActWithdraw, ActUnpublish:
		if st != store.Published && !(act == ActUnpublish && st == store.Withdrawn) {
			return ErrTransition
		}
		if !approver {
			return ErrForbidden
		}
		return nil
	case ActRepublish:
		if st != store.Withdrawn {
			return ErrTransition
		}
		if !approver {
			return ErrForbidden
		}
		return nil
	case ActDelete:
		if !approver && !(role == RoleEditor && st == store.Draft) {
			return ErrForbidden
		}
		return nil
	case ActRestore:
		return ErrTransition
	}
	return ErrTransition
}

// SetPolicy sets the workflow's settings.
func (s *Service) SetPolicy(p Policy) { s.policy = p }

// Policy is the workflow's settings.
func (s *Service) Policy() Policy { return s.policy }

// SaveRequest is an edit from the editors' workspace.
type SaveRequest struct {
	ID      int64 // 0 to create
	Version int   // the version the editor started from (ignored when creating)
	Item    content.Item
	// Major marks an edit of a published item as a major update, shown
	// publicly with ChangeNote; otherwise it is a minor edit.
	Major      bool
	ChangeNote string
}

// ConflictError is returned when an item changed since the editor opened
// it: nothing was written, and Current is what is stored now.
type ConflictError struct {
	Current *store.Item
}

func (e *ConflictError) Error() string { return store.ErrConflict.Error() }

// Unwrap makes errors.Is(err, store.ErrConflict) true.
func (e *ConflictError) Unwrap() error { return store.ErrConflict }

// Save creates or edits an item. Validation problems come back as
// content.Errors (with Field set) and nothing is written; so does a body
// past the renderer's limits. Warnings (cited numbers the registry lacks)
// do not stop the save.
//
// The body is rendered before the write transaction begins, against the
// registry as it is then: the single writer is never held while a body
// renders. Inside the transaction the registry is read again; if what the
// body cites changed meanwhile, the item is written all the same and
// re-rendered right after the commit, like any item a registry change
// concerns. Items citing a saved document are re-rendered after the commit
// too.
func (s *Service) Save(ctx context.Context, who Actor, req SaveRequest) (*store.Item, []Warning, error) {
	it := req.Item
	if err := content.Validate(&it); err != nil {
		return nil, nil, err
	}
	if req.Major && strings.TrimSpace(req.ChangeNote) == "" {
		return nil, nil, content.Errors{{Field: "change_note", Msg: "cập nhật quan trọng cần có ghi chú thay đổi để công bố cho người đọc"}}
	}
	if err := noteText("change_note", req.ChangeNote); err != nil {
		return nil, nil, err
	}
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	draft := &store.Item{Item: it}
	warns, err := s.render(ctx, draft, reg)
	if err != nil {
		return nil, nil, bodyError(err)
	}
	var (
		saved     *store.Item
		oldNumber string
		moved     bool
	)
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC()
		var row *store.Item
		if req.ID == 0 {
			if err := s.policy.Allowed(who.Role, ActSave, store.Draft, false); err != nil {
				return err
			}
			row = &store.Item{Status: store.Draft, Created: now, CreatedBy: who.Name}
			row.UID = uid(it.Kind, it.Slug, now)
		} else {
			cur, err := s.itemTx(ctx, tx, req.ID)
			if err != nil {
				return err
			}
			if err := s.policy.Allowed(who.Role, ActSave, cur.Status, !cur.Deleted.IsZero()); err != nil {
				return err
			}
			if cur.Version != req.Version {
				return &ConflictError{Current: cur}
			}
			if cur.Kind != it.Kind {
				return fmt.Errorf("publish: save item %d: kind %s cannot become %s", cur.ID, cur.Kind, it.Kind)
			}
			row = cur
		}
		if err := s.checkTaken(ctx, tx, row.ID, &it); err != nil {
			return err
		}
		oldNumber = row.Number
		row.Item = it
		row.Modified = now
		row.SourcePath = ""
		row.ContentHash = hashItem(&it)
		row.HTML, row.Text, row.Refs = draft.HTML, draft.Text, draft.Refs
		var evs []Event
		note := ""
		if row.Status == store.Published && row.Live && req.Major {
			row.Major, note = true, strings.TrimSpace(req.ChangeNote)
			row.Updated = now
			evs = append(evs, Event{Type: EventUpdate, At: now, Note: note})
		} else if row.Status == store.Published || row.Status == store.Withdrawn {
			note = "Sửa nhỏ"
		}
		fresh, err := s.registry(ctx, tx)
		if err != nil {
			return err
		}
		moved = !sameLinks(reg, fresh, row.Refs)
		if err := s.writeItem(ctx, tx, row, who.Name, note, evs...); err != nil {
			return err
		}
		saved = row
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if moved {
		s.refreshKeys(ctx, refKeys(saved.Refs))
	}
	s.documentChanged(ctx, saved, oldNumber)
	return saved, warns, nil
}

// checkTaken refuses a slug, number or code another item has, as a field
// error the form can show. It asks the store as an import does
// (store.ItemOwners), inside the save's transaction.
func (s *Service) checkTaken(ctx context.Context, tx *sql.Tx, self int64, it *content.Item) error {
	c := claims(it)
	owners, err := s.store.ItemOwners(ctx, tx, c)
	if err != nil {
		return fmt.Errorf("publish: check unique: %w", err)
	}
	taken := func(owner map[string]int64, values []string) bool {
		for _, v := range values {
			if id, ok := owner[v]; ok && id != self {
				return true
			}
		}
		return false
	}
	var errs content.Errors
	if taken(owners.Slug, c.Slugs) {
		errs = append(errs, &content.Error{Field: "slug", Msg: fmt.Sprintf("đường dẫn (slug) %q đã được dùng cho một nội dung khác", it.Slug)})
	}
	if taken(owners.Number, c.Numbers) {
		errs = append(errs, &content.Error{Field: "number", Msg: fmt.Sprintf("số ký hiệu %q đã có trong danh mục văn bản", it.Number)})
	}
	if taken(owners.Code, c.Codes) {
		errs = append(errs, &content.Error{Field: "code", Msg: fmt.Sprintf("mã thủ tục %q đã có", it.Code)})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func hashItem(it *content.Item) string {
	b, _ := json.Marshal(it)
	h := sha256.New()
	h.Write(b)
	h.Write([]byte(it.Body))
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Service) itemTx(ctx context.Context, tx *sql.Tx, id int64) (*store.Item, error) {
	items, err := s.store.ItemsByIDs(ctx, tx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("publish: item %d: %w", id, store.ErrNotFound)
	}
	return items[0], nil
}

// TransitionRequest is one workflow step on an item.
type TransitionRequest struct {
	ID      int64
	Version int // the version the user saw; 0 skips the check
	Action  Action
	// Note is the rejection comment or the withdrawal reason (required for
	// those), or an optional note otherwise.
	Note string
	// At schedules a publication; zero means now.
	At time.Time
}

// Transition applies a workflow step, with its log event, in one
// transaction.
func (s *Service) Transition(ctx context.Context, who Actor, req TransitionRequest) (*store.Item, error) {
	note := strings.TrimSpace(req.Note)
	if (req.Action == ActReject || req.Action == ActWithdraw) && note == "" {
		field := "note"
		msg := "cần ghi lý do trả lại để người viết biết cần sửa gì"
		if req.Action == ActWithdraw {
			msg = "cần ghi lý do gỡ bỏ; lý do được công bố cùng nội dung"
		}
		return nil, content.Errors{{Field: field, Msg: msg}}
	}
	if err := noteText("note", note); err != nil {
		return nil, err
	}
	var out *store.Item
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC()
		it, err := s.itemTx(ctx, tx, req.ID)
		if err != nil {
			return err
		}
		if err := s.policy.Allowed(who.Role, req.Action, it.Status, !it.Deleted.IsZero()); err != nil {
			return err
		}
		if req.Version != 0 && it.Version != req.Version {
			return &ConflictError{Current: it}
		}
		wasPublic := it.Deleted.IsZero() && (it.Status == store.Published || it.Status == store.Withdrawn) && it.Live
		var evs []Event
		revNote := ""
		it.Modified = now
		switch req.Action {
		case ActSubmit:
			it.Status, it.ReviewNote = store.Submitted, ""
			revNote = "Gửi duyệt"
		case ActReject:
			it.Status, it.ReviewNote = store.Draft, note
			revNote = "Trả lại: " + note
		case ActPublish:
			at := req.At.UTC()
			if at.IsZero() || !at.After(now) {
				at = now
			}
			if it.Status == store.Published && it.Live {
				return ErrTransition
			}
			it.Status, it.ReviewNote, it.Published = store.Published, "", at
			if !at.After(now) {
				it.Live = true
				evs = append(evs, Event{Type: EventPublish, At: at, Note: note})
				revNote = "Xuất bản"
			} else {
				it.Live = false
				revNote = "Hẹn giờ xuất bản lúc " + at.Format(time.RFC3339)
			}
		case ActWithdraw:
			it.Status, it.WithdrawnReason = store.Withdrawn, note
			evs = append(evs, Event{Type: EventWithdraw, At: now, Note: note})
			revNote = "Gỡ bỏ: " + note
		case ActRepublish:
			it.Status, it.WithdrawnReason = store.Published, ""
			evs = append(evs, Event{Type: EventRepublish, At: now, Note: note})
			revNote = "Đăng lại"
		case ActUnpublish:
			it.Status, it.Live = store.Draft, false
			if wasPublic {
				evs = append(evs, Event{Type: EventUnpublish, At: now, Note: note})
			}
			revNote = "Thôi xuất bản"
		case ActDelete:
			it.Deleted = now
			if wasPublic {
				evs = append(evs, Event{Type: EventUnpublish, At: now, Note: "Chuyển vào thùng rác"})
			}
			revNote = "Chuyển vào thùng rác"
		case ActRestore:
			// A restored item comes back as a draft: putting it online
			// again is a deliberate, logged publication.
			it.Deleted, it.Status, it.Live = time.Time{}, store.Draft, false
			revNote = "Khôi phục từ thùng rác"
		default:
			return ErrTransition
		}
		if err := s.writeItem(ctx, tx, it, who.Name, revNote, evs...); err != nil {
			return err
		}
		out = it
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.documentChanged(ctx, out, "")
	return out, nil
}

// PublishDue records the publication of every scheduled item whose time has
// come, each in its own transaction with its log row, at its scheduled
// time. It is idempotent and catches up after a restart. It returns the
// items published.
func (s *Service) PublishDue(ctx context.Context) ([]*store.Item, error) {
	now := s.now().UTC()
	ids, err := s.store.DueItems(ctx, now)
	if err != nil {
		return nil, err
	}
	var done []*store.Item
	for _, id := range ids {
		err := s.store.Tx(ctx, func(tx *sql.Tx) error {
			it, err := s.itemTx(ctx, tx, id)
			if err != nil {
				return err
			}
			// Re-check inside the transaction: an editor may have changed it.
			if it.Live || it.Status != store.Published || !it.Deleted.IsZero() || it.Published.After(now) {
				return nil
			}
			it.Live = true
			if err := s.writeItem(ctx, tx, it, "scheduler", "Xuất bản theo lịch", Event{Type: EventPublish, At: it.Published, Actor: "scheduler"}); err != nil {
				return err
			}
			done = append(done, it)
			return nil
		})
		if err != nil {
			return done, err
		}
		if n := len(done); n > 0 && done[n-1].ID == id {
			s.documentChanged(ctx, done[n-1], "")
		}
	}
	return done, nil
}

// RestoreRevision makes revision n of an item its current content again,
// as a new revision (nothing is lost), checked like any save.
func (s *Service) RestoreRevision(ctx context.Context, who Actor, id int64, version, n int) (*store.Item, []Warning, error) {
	rev, err := s.store.Revision(ctx, id, n)
	if err != nil {
		return nil, nil, err
	}
	var it content.Item
	if err := json.Unmarshal([]byte(rev.Meta), &it); err != nil {
		return nil, nil, fmt.Errorf("publish: revision %d of item %d: %w", n, id, err)
	}
	it.Body = rev.Body
	return s.Save(ctx, who, SaveRequest{ID: id, Version: version, Item: it})
}

// noteText refuses a note that is not UTF-8 text or holds a control
// character, as every field of the forms does (vntext.IsControl): a note
// reaches the public page, the reports and, through a downloaded CSV, a
// terminal.
func noteText(field, note string) error {
	if !utf8.ValidString(note) {
		return content.Errors{{Field: field, Msg: "ghi chú có ký tự không hợp lệ (không phải văn bản UTF-8)"}}
	}
	i := vntext.ControlAt(note)
	if i < 0 {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(note[i:])
	return content.Errors{{Field: field, Msg: "ghi chú có ký tự điều khiển " + vntext.ControlName(r) + ", không được phép"}}
}
