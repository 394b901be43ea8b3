package publish

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"cchc/internal/locale"
	"cchc/internal/store"
)

// EventType is the kind of change the publication log records.
type EventType string

// The changes the publication log records.
const (
	EventPublish   EventType = "publish"   // first time public
	EventUpdate    EventType = "update"    // major update, with a change note
	EventWithdraw  EventType = "withdraw"  // taken out of lists, with a reason
	EventRepublish EventType = "republish" // public again after a withdrawal or unpublish
	EventUnpublish EventType = "unpublish" // back to draft or into the trash
)

// Event is one change for the publication log.
type Event struct {
	Type  EventType
	At    time.Time // when the change took effect (an imported item's own date)
	Actor string
	Item  *store.Item // the item as it is after the change
	Note  string      // change note or reason
	// Imported marks events made by importing content files.
	Imported bool
}

// Hook is kept in step with items inside the transaction that changes
// them: the search index and the citation table are hooks.
type Hook interface {
	ItemChanged(ctx context.Context, tx *sql.Tx, it *store.Item) error
}

// BatchHook is a Hook that can take many items at once, for imports.
type BatchHook interface {
	Hook
	ItemsChanged(ctx context.Context, tx *sql.Tx, items []*store.Item) error
}

// PreparingHook is a BatchHook with pure work to do on an item before the
// transaction that writes it (the search index folds its text): an
// import prepares a chunk on every core while the writer stores the one
// before.
type PreparingHook interface {
	BatchHook
	Precompute(it *store.Item)
}

// EventLog records events inside the transaction of the change
// (publog.Log).
type EventLog interface {
	Append(ctx context.Context, tx *sql.Tx, ev Event) error
}

// AuditLog records who took a workspace step or saved an edit, inside the
// transaction of the change (store.Store.Audit).
type AuditLog interface {
	Audit(ctx context.Context, tx *sql.Tx, e store.AuditEntry) error
}

// AddHook adds h to the hooks run on every item change.
func (s *Service) AddHook(h Hook) { s.hooks = append(s.hooks, h) }

// record writes the audit row of who's change to it, in tx.
func (s *Service) record(ctx context.Context, tx *sql.Tx, who Actor, action store.AuditAction, it *store.Item, detail string, at time.Time) error {
	return s.audit.Audit(ctx, tx, store.AuditEntry{At: at, Actor: who.Name, Action: action, Target: "item:" + strconv.FormatInt(it.ID, 10),
		Detail: detail, Address: who.Address})
}

// writeItem stores it (inserting when it has no ID yet), runs every hook
// and records events, all in tx: they commit together or not at all.
func (s *Service) writeItem(ctx context.Context, tx *sql.Tx, it *store.Item, actor, note string, events ...Event) error {
	return s.writeItemHooks(ctx, tx, it, true, actor, note, events...)
}

// runHooks runs every hook on items, in tx, batch hooks at once.
func (s *Service) runHooks(ctx context.Context, tx *sql.Tx, items []*store.Item) error {
	for _, h := range s.hooks {
		if b, ok := h.(BatchHook); ok {
			if err := b.ItemsChanged(ctx, tx, items); err != nil {
				return err
			}
			continue
		}
		for _, it := range items {
			if err := h.ItemChanged(ctx, tx, it); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeItemHooks is writeItem; with hooks false the caller runs them
// itself (runHooks), later in the same transaction.
func (s *Service) writeItemHooks(ctx context.Context, tx *sql.Tx, it *store.Item, hooks bool, actor, note string, events ...Event) error {
	var err error
	if it.ID == 0 {
		err = s.store.InsertItem(ctx, tx, it, actor, note)
	} else {
		err = s.store.UpdateItem(ctx, tx, it, actor, note)
	}
	if err != nil {
		return err
	}
	if hooks {
		for _, h := range s.hooks {
			if err := h.ItemChanged(ctx, tx, it); err != nil {
				return err
			}
		}
	}
	for _, ev := range events {
		ev.Item = it
		if ev.Actor == "" {
			ev.Actor = actor
		}
		if err := s.events.Append(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// importEvents are the events an import of it records, given the stored
// row before (nil when new) at time now: a first publication at the item's
// own date, a major update at its updated date, or an unpublish.
func importEvents(old, it *store.Item, now time.Time) []Event {
	wasPublic := old != nil && old.Status == store.Published && !old.Published.After(now)
	isPublic := it.Status == store.Published && !it.Published.After(now)
	var evs []Event
	switch {
	case isPublic && old == nil:
		evs = append(evs, Event{Type: EventPublish, At: it.Published, Imported: true})
	case isPublic && !wasPublic:
		if old.Status == store.Published {
			// It was scheduled and its time has come.
			evs = append(evs, Event{Type: EventPublish, At: it.Published, Imported: true})
		} else {
			evs = append(evs, Event{Type: EventRepublish, At: now, Imported: true})
		}
	case !isPublic && wasPublic && it.Status == store.Draft:
		evs = append(evs, Event{Type: EventUnpublish, At: now, Imported: true})
	}
	if isPublic && !it.Updated.IsZero() && (old == nil || !it.Updated.Equal(old.Updated)) && it.Updated.After(it.Published) {
		evs = append(evs, Event{Type: EventUpdate, At: it.Updated, Imported: true, Note: locale.T("publish.note.imported_update")})
	}
	return evs
}
