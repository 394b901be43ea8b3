// Package publish makes every change to content: importing files, and (with
// the editors' workspace) saving, submitting, publishing and withdrawing.
// Each change runs in one transaction with everything that goes with it:
// the item, its revision, the hooks (search index, citations), its
// publication-log rows and — for a workspace step or save — its audit-log
// row. The log and the audit log are given to New; there is no service
// without them. Whether a step is allowed is asked of auth's table
// (Service.Allowed), before the change and for the workspace's buttons.
// Markdown is never rendered inside a transaction: a body renders before
// the transaction that stores it, and the items citing a changed document
// are re-rendered after it commits (render.go), so the single writer is
// held only for SQL.
package publish

import (
	"log/slog"
	"sync"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/markdown"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Service makes changes to content.
type Service struct {
	store *store.Store
	md    *markdown.Renderer
	now   func() time.Time
	log   *slog.Logger

	hooks  []Hook
	events EventLog
	audit  AuditLog
	policy auth.Policy
	schema *content.Schema

	// importing lets one Import run at a time: each claims pass decides
	// what is new against the store as it finds it, so two at once both
	// insert the same new files and agencies, and the second stops on
	// UNIQUE with nothing of its own to say (h21-attack).
	importing sync.Mutex
	// importKeep is the budget of file bytes an import keeps parsed from
	// its claims pass for its write (defaultImportKeep).
	importKeep int64
}

// defaultImportKeep is how many bytes of content files an import keeps
// parsed between its claims pass and its write, so that those files are
// read and parsed once (docs/PERFORMANCE.md, h26-parse). A kept file costs
// about 1.35 × its size of live heap (its text, which its body is a slice
// of, and the parsed item), and the collector lets the heap grow to 3 ×
// the live one (GOGC=200 for an import, internal/app): keeping the whole
// 10,000-item corpus (67 MB) cut the CPU by 13% but took the peak from
// 236 to 422 MiB, past the 300 MB the import may use; 16 MiB took it to
// 266–282 MiB, too near. 12 MiB (a sixth of that corpus) cost 10–20 MiB.
const defaultImportKeep = 12 << 20

// New returns a Service over st that renders with md, records every
// publication event in events (the publication log, publog.Log) and every
// workspace step and save in audit (the audit log, the store itself),
// each inside the transaction of its change. Both are required: New
// panics without them, as without a store or a renderer. now is the clock
// (time.Now when nil); log may be nil.
func New(st *store.Store, md *markdown.Renderer, events EventLog, audit AuditLog, now func() time.Time, log *slog.Logger) *Service {
	switch {
	case st == nil:
		panic("publish.New: no store")
	case md == nil:
		panic("publish.New: no Markdown renderer")
	case events == nil:
		panic("publish.New: no publication log: every publication must be logged with its change")
	case audit == nil:
		panic("publish.New: no audit log: every step must be audited with its change")
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, md: md, events: events, audit: audit, now: now, log: log, policy: auth.DefaultPolicy,
		schema: content.DefaultSchema(), importKeep: defaultImportKeep}
}

// uid builds an item's permanent identity from the day it first went
// public and its first slug, in the form tag: URIs use (RFC 4151); it is
// deterministic so that the same content gives the same feeds.
func uid(k content.Kind, slug string, day time.Time) string {
	return day.In(vntext.Zone).Format("2006-01-02") + ":" + string(k) + "/" + slug
}

// SetSchema sets the field table the service parses, checks and the
// workspace shows items by (content.DefaultSchema unless set).
func (s *Service) SetSchema(sc *content.Schema) { s.schema = sc }

// Schema is the field table items are parsed, checked and edited by.
func (s *Service) Schema() *content.Schema { return s.schema }
