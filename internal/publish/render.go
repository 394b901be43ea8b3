package publish

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/markdown"
	"cchc/internal/store"
)

// resolver resolves legal references against a snapshot of the registry:
// the documents citizens can see.
type resolver struct {
	docs map[string]*content.Item
	// validity is each stored document's validity on the day of now,
	// derived from its dates and relations (store.Validities); a document
	// only in docs (one an import is adding) has its dates' until the
	// import's final refresh.
	validity map[string]string
	// held are the keys of every document the column holds, public or not
	// yet (scheduled, draft) but not in the trash: a relation to one of
	// them is no typo, and it takes effect once both are public.
	held map[string]bool
	now  time.Time
}

func newResolver(now time.Time) *resolver {
	return &resolver{docs: map[string]*content.Item{}, validity: map[string]string{}, held: map[string]bool{}, now: now}
}

func (r *resolver) add(key string, it *content.Item) { r.docs[key] = it }

// Resolve implements markdown.Resolver.
func (r *resolver) Resolve(key string) (markdown.Target, bool) {
	d, ok := r.docs[key]
	if !ok {
		return markdown.Target{}, false
	}
	t := markdown.Target{URL: d.URL(), Title: d.DisplayTitle()}
	v, ok := r.validity[key]
	if !ok {
		v = d.DocumentValidity(r.now)
	}
	if !content.InForce(v) {
		t.Validity = v
	}
	return t, true
}

// state is what a rendering against r records for key (see store.Ref).
func (r *resolver) state(key string) string {
	t, ok := r.Resolve(key)
	switch {
	case !ok:
		return store.RefUnresolved
	case t.Validity != "":
		return t.Validity
	}
	return store.RefOK
}

// Warning is a problem found while rendering that does not stop a save: a
// cited number the registry does not hold.
type Warning struct {
	Field string // "body", or the front matter field at fault ("legal_basis", "portal_url", a relation field such as "replaced_by", …)
	Line  int    // 1-based line in the body, for Field "body"
	Msg   string
}

// Label is the form's label of the warning's field other than the body
// ("" for the body, whose place is its line).
func (w Warning) Label() string {
	for _, k := range []content.Kind{content.Procedure, content.Document} {
		if f, ok := content.DefaultSchema().Field(k, w.Field); ok {
			return f.Label
		}
	}
	return ""
}

// render fills it.HTML, it.Text and it.Refs from its body and legal basis.
// It is never called inside a write transaction: a body may take up to
// the renderer's time limit. A body past one of the renderer's limits gives
// a *markdown.LimitError.
func (s *Service) render(ctx context.Context, it *store.Item, reg *resolver) ([]Warning, error) {
	out, err := s.md.Render(ctx, it.Body, reg)
	if err != nil {
		return nil, err
	}
	it.HTML, it.Text = out.HTML, out.Text
	it.Refs = []store.Ref{}
	var warns []Warning
	for _, ref := range out.Refs {
		it.Refs = append(it.Refs, store.Ref{Key: ref.Key, Source: "body", Text: ref.Text, State: reg.state(ref.Key)})
		if !ref.Resolved {
			warns = append(warns, Warning{Field: "body", Line: ref.Line, Msg: unresolvedBody(ref.Text)})
		}
	}
	seen := map[string]bool{}
	for _, n := range it.LegalBasis {
		key, ok := legalref.Key(n)
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		st := reg.state(key)
		it.Refs = append(it.Refs, store.Ref{Key: key, Source: "legal_basis", Text: n, State: st})
		if st == store.RefUnresolved {
			warns = append(warns, Warning{Field: "legal_basis", Msg: unresolvedBasis(n)})
		}
	}
	// A procedure's announcing decision is a citation too.
	if key, ok := legalref.Key(it.Decision); ok && it.Kind == content.Procedure {
		st := reg.state(key)
		it.Refs = append(it.Refs, store.Ref{Key: key, Source: "decision", Text: it.Decision, State: st})
		if st == store.RefUnresolved {
			warns = append(warns, Warning{Field: "decision", Msg: locale.T("publish.unresolved.decision", it.Decision)})
		}
	}
	warns = append(warns, relationWarnings(&it.Item, func(key string) bool { _, ok := reg.docs[key]; return ok || reg.held[key] })...)
	more, err := s.fieldWarnings(ctx, &it.Item)
	return append(warns, more...), err
}

// fieldWarnings are the warnings of an item's front matter that need no
// registry: a portal address of the old form, which opens an empty page,
// and a form naming a file the media library lacks (its page names it
// without a link).
func (s *Service) fieldWarnings(ctx context.Context, it *content.Item) ([]Warning, error) {
	if it.Kind != content.Procedure {
		return nil, nil
	}
	var warns []Warning
	if content.OldPortalForm(it.PortalURL) {
		warns = append(warns, Warning{Field: "portal_url", Msg: locale.T("publish.portal_old_form", content.NationalPortalURL(it.Code))})
	}
	for _, f := range it.ParsedForms() {
		if f.Path != "" {
			// Saved from the workspace: only an import copies a path in.
			warns = append(warns, Warning{Field: "forms", Msg: locale.T("publish.form_missing", f.Name, f.Address)})
			continue
		}
		if f.Media == "" {
			continue
		}
		_, err := s.store.MediaFile(ctx, f.Media)
		if errors.Is(err, store.ErrNotFound) {
			warns = append(warns, Warning{Field: "forms", Msg: locale.T("publish.form_missing", f.Name, f.Address)})
		} else if err != nil {
			return nil, err
		}
	}
	return warns, nil
}

// relationWarnings are the warnings of the relations document it states
// to numbers known does not hold, one per number and field: like a
// citation of a number the registry lacks, most likely a typo.
func relationWarnings(it *content.Item, known func(key string) bool) []Warning {
	var warns []Warning
	self, _ := legalref.Key(it.Number)
	for _, r := range it.Relations() {
		other, key := r.Target, r.TargetKey
		if r.TargetKey == self {
			other, key = r.Actor, r.ActorKey
		}
		if !known(key) {
			warns = append(warns, Warning{Field: r.Field, Msg: locale.T("publish.unresolved.relation", other)})
		}
	}
	return warns
}

// relationNumbers are the numbers of the documents it relates to, on
// either side: those whose validity a change of it may move.
func relationNumbers(it *content.Item) []string {
	var out []string
	for _, r := range it.Relations() {
		out = append(out, r.Actor, r.Target)
	}
	return out
}

func unresolvedBody(number string) string {
	return locale.T("publish.unresolved.body", number)
}

func unresolvedBasis(number string) string {
	return locale.T("publish.unresolved.basis", number)
}

// bodyError turns a body refused by the renderer's limits into a problem
// with the form's body field, naming its line; other errors pass.
func bodyError(err error) error {
	var le *markdown.LimitError
	if !errors.As(err, &le) {
		return err
	}
	msg := le.Msg
	if le.Line > 0 {
		msg = locale.T("publish.body_line", le.Line, msg)
	}
	return content.Errors{{Field: "body", Msg: msg}}
}

// Warnings are the warnings of an item's stored rendering — the cited
// numbers the registry lacked when it was last rendered, which every
// registry change keeps current — read without rendering it again.
func (s *Service) Warnings(ctx context.Context, it *store.Item) ([]Warning, error) {
	refs, err := s.store.Refs(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	var warns []Warning
	basis := map[string]bool{} // unresolved legal basis, as written
	decision := ""             // an unresolved announcing decision
	for _, r := range refs {
		if r.State != store.RefUnresolved {
			continue
		}
		switch r.Source {
		case "body":
			line := 0
			if i := strings.Index(it.Body, r.Text); i >= 0 {
				line = 1 + strings.Count(it.Body[:i], "\n")
			}
			warns = append(warns, Warning{Field: "body", Line: line, Msg: unresolvedBody(r.Text)})
		case "legal_basis":
			basis[r.Text] = true
		case "decision":
			decision = r.Text
		}
	}
	slices.SortStableFunc(warns, func(a, b Warning) int { return a.Line - b.Line })
	for _, n := range it.LegalBasis {
		if basis[n] {
			warns = append(warns, Warning{Field: "legal_basis", Msg: unresolvedBasis(n)})
			delete(basis, n)
		}
	}
	if decision != "" {
		warns = append(warns, Warning{Field: "decision", Msg: locale.T("publish.unresolved.decision", decision)})
	}
	if it.Kind == content.Document && len(it.Relations()) > 0 {
		held, err := s.heldDocuments(ctx)
		if err != nil {
			return nil, err
		}
		warns = append(warns, relationWarnings(&it.Item, func(key string) bool { return held[key] })...)
	}
	more, err := s.fieldWarnings(ctx, &it.Item)
	return append(warns, more...), err
}

// sameLinks reports whether the registries a and b link every key of refs
// to the same target: a rendering made against a is then what b would make.
func sameLinks(a, b *resolver, refs []store.Ref) bool {
	for _, r := range refs {
		ta, oka := a.Resolve(r.Key)
		tb, okb := b.Resolve(r.Key)
		if oka != okb || ta != tb {
			return false
		}
	}
	return true
}

// registry loads the documents references may link to, through tx when
// given (to see the transaction's own changes).
func (s *Service) registry(ctx context.Context, tx *sql.Tx) (*resolver, error) {
	now := s.now()
	docs, err := s.store.RegistryDocuments(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	reg := resolverOf(now, docs)
	if reg.validity, err = s.store.Validities(ctx, tx, nil, now); err != nil {
		return nil, err
	}
	if reg.held, err = s.heldDocuments(ctx); err != nil {
		return nil, err
	}
	return reg, nil
}

// resolverOf is a resolver holding docs under their numbers' keys.
func resolverOf(now time.Time, docs []*store.Item) *resolver {
	reg := newResolver(now)
	for _, d := range docs {
		if key, ok := legalref.Key(d.Number); ok {
			reg.add(key, &d.Item)
		}
	}
	return reg
}

// linkRegistry is the registry for the keys refs cite only (no held
// documents: it checks links, it renders nothing): a write transaction
// checking whether a batch's links moved reads what the batch cites, not
// every document and every relation.
func (s *Service) linkRegistry(ctx context.Context, tx *sql.Tx, refs []store.Ref) (*resolver, error) {
	now := s.now()
	keys := refKeys(refs)
	docs, err := s.store.RegistryDocumentsByKeys(ctx, tx, keys, now)
	if err != nil {
		return nil, err
	}
	reg := resolverOf(now, docs)
	if reg.validity, err = s.store.Validities(ctx, tx, keys, now); err != nil {
		return nil, err
	}
	return reg, nil
}

// heldDocuments is the set of the keys of every document not in the trash.
func (s *Service) heldDocuments(ctx context.Context) (map[string]bool, error) {
	names, err := s.store.NumberedDocuments(ctx)
	if err != nil {
		return nil, err
	}
	held := make(map[string]bool, len(names))
	for _, n := range names {
		held[n.Key] = true
	}
	return held, nil
}

// refreshRefs re-renders every item whose stored rendering linked a
// reference differently from what the registry now says: a document added,
// removed, renumbered, or one that came into force or expired. keys limits
// the check to those document keys; nil checks every reference. It returns
// the number of items re-rendered.
//
// The items render outside any write transaction; each batch is then
// written in a short one that reads the items again and leaves out any
// whose text changed meanwhile (their save rendered them). When the
// registry moved meanwhile for a key an item cites, the check runs again
// from the new registry.
func (s *Service) refreshRefs(ctx context.Context, keys []string) (int, error) {
	total := 0
	for range 3 {
		n, moved, err := s.refreshOnce(ctx, keys)
		total += n
		if err != nil || !moved {
			return total, err
		}
	}
	return total, nil
}

// refreshBatch is the number of items re-rendered per write transaction.
const refreshBatch = 64

func (s *Service) refreshOnce(ctx context.Context, keys []string) (n int, moved bool, err error) {
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	ids, err := s.store.StaleRefs(ctx, nil, keys, reg.state)
	if err != nil {
		return 0, false, err
	}
	for lo := 0; lo < len(ids); lo += refreshBatch {
		items, err := s.store.ItemsByIDs(ctx, nil, ids[lo:min(lo+refreshBatch, len(ids))])
		if err != nil {
			return n, false, err
		}
		done := map[int64]*store.Item{}
		var doneIDs []int64
		for _, it := range items {
			if _, err := s.render(ctx, it, reg); err != nil {
				var le *markdown.LimitError
				if errors.As(err, &le) {
					// Stored before the limits, or under other ones: its
					// page keeps the links it had until it is edited.
					s.log.Warn("publish: item past the renderer's limits, links not refreshed", slog.Int64("item", it.ID), slog.String("limit", le.Msg))
					continue
				}
				return n, false, fmt.Errorf("publish: re-render item %d: %w", it.ID, err)
			}
			done[it.ID] = it
			doneIDs = append(doneIDs, it.ID)
		}
		var batchRefs []store.Ref
		for _, it := range done {
			batchRefs = append(batchRefs, it.Refs...)
		}
		err = s.store.Tx(ctx, func(tx *sql.Tx) error {
			fresh, err := s.linkRegistry(ctx, tx, batchRefs)
			if err != nil {
				return err
			}
			current, err := s.store.ItemsByIDs(ctx, tx, doneIDs)
			if err != nil {
				return err
			}
			for _, cur := range current {
				r := done[cur.ID]
				if cur.ContentHash != r.ContentHash {
					continue
				}
				if !sameLinks(reg, fresh, r.Refs) {
					moved = true
					continue
				}
				cur.HTML, cur.Text, cur.Refs = r.HTML, r.Text, r.Refs
				if err := s.store.SetRendered(ctx, tx, cur); err != nil {
					return err
				}
				for _, h := range s.hooks {
					if err := h.ItemChanged(ctx, tx, cur); err != nil {
						return err
					}
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, false, err
		}
	}
	return n, moved, nil
}

// documentChanged re-renders the items citing a document that was just
// written, under its number, the numbers it relates to (their validity may
// have moved) and the old numbers given (its number and relations before
// the write), after the write committed. Only those citations are read, not every citation of
// the column. The change itself is committed whatever happens here: a
// failure is logged, and the hourly refresh catches up.
func (s *Service) documentChanged(ctx context.Context, it *store.Item, old ...string) {
	if it.Kind != content.Document {
		return
	}
	s.refreshKeys(ctx, numberKeys(append(append([]string{it.Number}, relationNumbers(&it.Item)...), old...)...))
}

// refreshKeys is refreshRefs for keys after a committed change, logging a
// failure instead of returning it.
func (s *Service) refreshKeys(ctx context.Context, keys []string) {
	if len(keys) == 0 {
		return
	}
	if _, err := s.refreshRefs(ctx, keys); err != nil {
		s.log.Error("publish: re-render citing items", slog.Any("keys", keys), slog.Any("err", err))
	}
}

// refKeys is the set of keys refs cite.
func refKeys(refs []store.Ref) []string {
	keys := []string{}
	for _, r := range refs {
		if !slices.Contains(keys, r.Key) {
			keys = append(keys, r.Key)
		}
	}
	return keys
}

// numberKeys is the set of canonical keys of numbers (blank and malformed
// ones left out), never nil.
func numberKeys(numbers ...string) []string {
	keys := []string{}
	for _, n := range numbers {
		if k, ok := legalref.Key(n); ok && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// RefreshRefs re-renders every item whose links are stale. serve runs it at
// start and every hour, so a document coming into force or expiring shows
// in the links of the items that cite it.
func (s *Service) RefreshRefs(ctx context.Context) (int, error) {
	return s.refreshRefs(ctx, nil)
}
