package publish

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/markdown"
	"cchc/internal/store"
)

// resolver resolves legal references against a snapshot of the registry:
// the documents citizens can see.
type resolver struct {
	docs map[string]*content.Item
	now  time.Time
}

func newResolver(now time.Time) *resolver {
	return &resolver{docs: map[string]*content.Item{}, now: now}
}

func (r *resolver) add(key string, it *content.Item) { r.docs[key] = it }

// Resolve implements markdown.Resolver.
func (r *resolver) Resolve(key string) (markdown.Target, bool) {
	d, ok := r.docs[key]
	if !ok {
		return markdown.Target{}, false
	}
	t := markdown.Target{URL: "/" + content.Document.Section() + "/" + d.Slug, Title: d.Type + " số " + d.Number + ": " + d.Title}
	switch v := d.DocumentValidity(r.now); v {
	case content.ValidityExpired, content.ValidityNotYet:
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
	Field string // "body" or "legal_basis"
	Line  int    // 1-based line in the body, for Field "body"
	Msg   string
}

// render fills it.HTML, it.Text and it.Refs from its body and legal basis.
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
			warns = append(warns, Warning{Field: "body", Line: ref.Line,
				Msg: fmt.Sprintf("văn bản %s chưa có trong danh mục văn bản; số này chưa được tạo liên kết", ref.Text)})
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
			warns = append(warns, Warning{Field: "legal_basis", Msg: fmt.Sprintf("căn cứ pháp lý %s chưa có trong danh mục văn bản", n)})
		}
	}
	return warns, nil
}

// registry loads the documents references may link to, through tx when
// given (to see the transaction's own changes).
func (s *Service) registry(ctx context.Context, tx *sql.Tx) (*resolver, error) {
	now := s.now()
	docs, err := s.store.RegistryDocuments(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	reg := newResolver(now)
	for _, d := range docs {
		if key, ok := legalref.Key(d.Number); ok {
			reg.add(key, &d.Item)
		}
	}
	return reg, nil
}

// refreshRefs re-renders, in tx, every item whose stored rendering linked a
// reference differently from what the registry now says: a document added,
// removed, renumbered, or one that came into force or expired. keys limits
// the check to those document keys; nil checks every reference. It returns
// the number of items re-rendered.
func (s *Service) refreshRefs(ctx context.Context, tx *sql.Tx, keys []string) (int, error) {
	reg, err := s.registry(ctx, tx)
	if err != nil {
		return 0, err
	}
	states, err := s.store.RefStates(ctx, tx, keys)
	if err != nil {
		return 0, err
	}
	stale := map[int64]bool{}
	for key, items := range states {
		want := reg.state(key)
		for id, st := range items {
			if st != want {
				stale[id] = true
			}
		}
	}
	if len(stale) == 0 {
		return 0, nil
	}
	ids := make([]int64, 0, len(stale))
	for id := range stale {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	items, err := s.store.ItemsByIDs(ctx, tx, ids)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if _, err := s.render(ctx, it, reg); err != nil {
			return 0, fmt.Errorf("publish: re-render item %d: %w", it.ID, err)
		}
		if err := s.store.SetRendered(ctx, tx, it); err != nil {
			return 0, err
		}
		for _, h := range s.hooks {
			if err := h.ItemChanged(ctx, tx, it); err != nil {
				return 0, err
			}
		}
	}
	return len(items), nil
}

// documentChanged re-renders, in tx, the items citing a document that was
// just written, under its number and (when renumbered) its old one. Only
// those citations are read, not every citation of the column.
func (s *Service) documentChanged(ctx context.Context, tx *sql.Tx, it *store.Item, oldNumber string) error {
	if it.Kind != content.Document {
		return nil
	}
	_, err := s.refreshRefs(ctx, tx, numberKeys(it.Number, oldNumber))
	return err
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
	var n int
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = s.refreshRefs(ctx, tx, nil)
		return err
	})
	return n, err
}
