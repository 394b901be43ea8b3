package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Actor is who asks for a change: the account, its role, and the client
// address the audit log records ("" from the command line).
type Actor struct {
	Name    string
	Role    auth.Role
	Address string
	// Unit is the full name of the account's unit ("" for none): an
	// editor records the activities of that unit only (UnitAllowed).
	Unit string
}

// StateOf is the workflow state of it: the trash first, whatever the item
// was before; a publication waiting for its time (not yet recorded in the
// log, items.live) is scheduled.
func StateOf(it *store.Item) auth.State {
	switch {
	case !it.Deleted.IsZero():
		return auth.StateTrashed
	case it.Status == store.Draft:
		return auth.StateDraft
	case it.Status == store.Submitted:
		return auth.StateSubmitted
	case it.Status == store.Withdrawn:
		return auth.StateWithdrawn
	case it.Status == store.Published && !it.Live:
		return auth.StateScheduled
	}
	return auth.StatePublished
}

// Allowed reports whether role may take act on it now (nil, or
// auth.ErrForbidden or auth.ErrState); it == nil asks about creating an
// item. It is the check every change makes, and the one the workspace
// asks to decide which buttons to show.
func (s *Service) Allowed(role auth.Role, act auth.Action, it *store.Item) error {
	st := auth.StateDraft
	if it != nil {
		st = StateOf(it)
	}
	return s.policy.Allowed(role, act, st)
}

// SetPolicy sets the settings permissions depend on.
func (s *Service) SetPolicy(p auth.Policy) { s.policy = p }

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
// too. The audit row of the save is written in its transaction.
func (s *Service) Save(ctx context.Context, who Actor, req SaveRequest) (*store.Item, []Warning, error) {
	return s.save(ctx, who, req, nil)
}

// save is Save; detail, when not nil, says in the audit log what the save
// was (given the item as saved).
func (s *Service) save(ctx context.Context, who Actor, req SaveRequest, detail func(*store.Item) string) (*store.Item, []Warning, error) {
	it := req.Item
	if err := s.schema.Validate(&it); err != nil {
		return nil, nil, err
	}
	if req.Major && strings.TrimSpace(req.ChangeNote) == "" {
		return nil, nil, content.Errors{{Field: "change_note", Msg: locale.T("publish.change_note.required")}}
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
		saved      *store.Item
		oldNumbers []string
		moved      bool
	)
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC()
		var row *store.Item
		if req.ID == 0 {
			if err := s.Allowed(who.Role, auth.ActSave, nil); err != nil {
				return err
			}
			if err := s.UnitAllowed(who, nil, &it); err != nil {
				return err
			}
			row = &store.Item{Status: store.Draft, Created: now, CreatedBy: who.Name}
			row.UID = uid(it.Kind, it.Slug, now)
		} else {
			cur, err := s.itemTx(ctx, tx, req.ID)
			if err != nil {
				return err
			}
			if err := s.Allowed(who.Role, auth.ActSave, cur); err != nil {
				return err
			}
			if err := s.UnitAllowed(who, cur, &it); err != nil {
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
		oldNumbers = append([]string{row.Number}, relationNumbers(&row.Item)...)
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
			note = locale.T("publish.note.minor")
		}
		fresh, err := s.linkRegistry(ctx, tx, row.Refs)
		if err != nil {
			return err
		}
		moved = !sameLinks(reg, fresh, row.Refs)
		if err := s.writeItem(ctx, tx, row, who.Name, note, evs...); err != nil {
			return err
		}
		what := locale.T("publish.audit.edit")
		switch {
		case detail != nil:
			what = detail(row)
		case req.ID == 0:
			what = locale.T("publish.audit.create", row.Title)
		case row.Major:
			what = locale.T("publish.audit.major", note)
		}
		if err := s.record(ctx, tx, who, store.AuditSave, row, what, now); err != nil {
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
	s.documentChanged(ctx, saved, oldNumbers...)
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
		errs = append(errs, &content.Error{Field: "slug", Msg: locale.T("publish.taken.slug", it.Slug)})
	}
	if taken(owners.Number, c.Numbers) {
		errs = append(errs, &content.Error{Field: "number", Msg: locale.T("publish.taken.number", it.Number)})
	}
	if taken(owners.Code, c.Codes) {
		errs = append(errs, &content.Error{Field: "code", Msg: locale.T("import.taken.code", it.Code)})
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
	// Action is the step. auth.ActPublish with At in the future schedules,
	// as auth.ActSchedule does; auth.ActSave is Save's.
	Action auth.Action
	// Note is the rejection comment or the withdrawal reason (required for
	// those), or an optional note otherwise.
	Note string
	// At schedules a publication; zero means now.
	At time.Time
}

// Transition applies a workflow step, with its log event, in one
// transaction. The role is checked first (auth.ErrForbidden), then the
// item's state (auth.ErrState), then the version (*ConflictError), then
// what the step needs typed (content.Errors).
func (s *Service) Transition(ctx context.Context, who Actor, req TransitionRequest) (*store.Item, error) {
	note := strings.TrimSpace(req.Note)
	var out *store.Item
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC()
		it, err := s.itemTx(ctx, tx, req.ID)
		if err != nil {
			return err
		}
		at := req.At.UTC()
		step := req.Action
		if step == auth.ActPublish && at.After(now) {
			step = auth.ActSchedule
		}
		if err := s.Allowed(who.Role, step, it); err != nil {
			return err
		}
		if err := s.UnitAllowed(who, it, nil); err != nil {
			return err
		}
		if req.Version != 0 && it.Version != req.Version {
			return &ConflictError{Current: it}
		}
		switch {
		case step == auth.ActReject && note == "":
			return content.Errors{{Field: "note", Msg: locale.T("publish.reject.note_required")}}
		case step == auth.ActWithdraw && note == "":
			return content.Errors{{Field: "note", Msg: locale.T("publish.withdraw.note_required")}}
		case step == auth.ActSchedule && !at.After(now):
			return content.Errors{{Field: "at", Msg: locale.T("publish.schedule.past")}}
		}
		if err := noteText("note", note); err != nil {
			return err
		}
		wasPublic := it.Deleted.IsZero() && (it.Status == store.Published || it.Status == store.Withdrawn) && it.Live
		var evs []Event
		revNote := ""
		it.Modified = now
		switch step {
		case auth.ActSubmit:
			it.Status, it.ReviewNote = store.Submitted, ""
			revNote = locale.T("publish.revision.submit")
		case auth.ActReject:
			it.Status, it.ReviewNote = store.Draft, note
			revNote = locale.T("publish.revision.reject", note)
		case auth.ActPublish:
			it.Status, it.ReviewNote, it.Published, it.Live = store.Published, "", now, true
			evs = append(evs, Event{Type: EventPublish, At: now, Note: note})
			revNote = locale.T("publish.revision.publish")
		case auth.ActSchedule:
			it.Status, it.ReviewNote, it.Published, it.Live = store.Published, "", at, false
			revNote = locale.T("publish.revision.schedule", at.Format(time.RFC3339))
		case auth.ActWithdraw:
			it.Status, it.WithdrawnReason = store.Withdrawn, note
			evs = append(evs, Event{Type: EventWithdraw, At: now, Note: note})
			revNote = locale.T("publish.revision.withdraw", note)
		case auth.ActRepublish:
			it.Status, it.WithdrawnReason = store.Published, ""
			evs = append(evs, Event{Type: EventRepublish, At: now, Note: note})
			revNote = locale.T("publish.revision.republish")
		case auth.ActUnpublish:
			it.Status, it.Live = store.Draft, false
			if wasPublic {
				evs = append(evs, Event{Type: EventUnpublish, At: now, Note: note})
			}
			revNote = locale.T("publish.revision.unpublish")
		case auth.ActDelete:
			it.Deleted = now
			if wasPublic {
				evs = append(evs, Event{Type: EventUnpublish, At: now, Note: locale.T("publish.revision.trash")})
			}
			revNote = locale.T("publish.revision.trash")
		case auth.ActRestore:
			// A restored item comes back as a draft: putting it online
			// again is a deliberate, logged publication.
			it.Deleted, it.Status, it.Live = time.Time{}, store.Draft, false
			revNote = locale.T("publish.revision.restore")
		default:
			return fmt.Errorf("publish: %s is not a workflow step of Transition", step)
		}
		if err := s.writeItem(ctx, tx, it, who.Name, revNote, evs...); err != nil {
			return err
		}
		action, detail := stepAudit(step, it, note, at)
		if err := s.record(ctx, tx, who, action, it, detail, now); err != nil {
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

// stepAudit is the audit log's action and detail for step on it (with the
// step's note and, for a schedule, its time).
func stepAudit(step auth.Action, it *store.Item, note string, at time.Time) (store.AuditAction, string) {
	switch step {
	case auth.ActSubmit:
		return store.AuditSubmit, it.Title
	case auth.ActReject:
		return store.AuditReject, locale.T("publish.audit.with_note", it.Title, note)
	case auth.ActSchedule:
		return store.AuditSchedule, locale.T("publish.audit.with_note", it.Title, vntext.DateTime(at))
	case auth.ActPublish:
		return store.AuditPublish, it.Title
	case auth.ActWithdraw:
		return store.AuditWithdraw, locale.T("publish.audit.with_note", it.Title, note)
	case auth.ActRepublish:
		return store.AuditPublish, locale.T("publish.audit.republish", it.Title)
	case auth.ActUnpublish:
		return store.AuditWithdraw, locale.T("publish.audit.unpublish", it.Title)
	case auth.ActDelete:
		return store.AuditDelete, it.Title
	}
	return store.AuditRestore, it.Title
}

// PublishDue records the publication of every scheduled item whose time has
// come, of every agency, each in its own transaction with its log row, at
// its scheduled time, acting for the item's agency. It is idempotent and
// catches up after a restart. It returns the items published.
func (s *Service) PublishDue(ctx context.Context) ([]*store.Item, error) {
	now := s.now().UTC()
	due, err := s.store.DueItems(ctx, now)
	if err != nil {
		return nil, err
	}
	var done []*store.Item
	for _, d := range due {
		id, ctx := d.ID, agency.WithID(ctx, d.AgencyID)
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
			if err := s.writeItem(ctx, tx, it, "scheduler", locale.T("publish.revision.scheduled"), Event{Type: EventPublish, At: it.Published, Actor: "scheduler"}); err != nil {
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
	return s.save(ctx, who, SaveRequest{ID: id, Version: version, Item: it}, func(saved *store.Item) string {
		return locale.T("publish.audit.revision_restore", n, saved.Version)
	})
}

// noteText refuses a note that is not UTF-8 text or holds a control
// character, as every field of the forms does (vntext.IsControl): a note
// reaches the public page, the reports and, through a downloaded CSV, a
// terminal.
func noteText(field, note string) error {
	if !utf8.ValidString(note) {
		return content.Errors{{Field: field, Msg: locale.T("publish.note.not_utf8")}}
	}
	i := vntext.ControlAt(note)
	if i < 0 {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(note[i:])
	return content.Errors{{Field: field, Msg: locale.T("publish.note.control", vntext.ControlName(r))}}
}
