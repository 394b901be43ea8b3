package publish

import (
	"context"
	"database/sql"
	"fmt"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/store"
)

// writeImported renders the parsed files and writes them in one
// transaction. Rendering needs the registry: the stored documents overlaid
// with the documents of this import.
func (s *Service) writeImported(ctx context.Context, srcs []*source, shown func(string) string, res *ImportResult) error {
	if len(srcs) == 0 {
		return nil
	}
	now := s.now().UTC()
	reg, err := s.registry(ctx)
	if err != nil {
		return err
	}
	for _, src := range srcs {
		if src.kind == content.Document {
			if key, ok := legalref.Key(src.item.Number); ok {
				reg.add(key, src.item)
			}
		}
	}
	items := make([]*imported, len(srcs))
	errs := make([]error, len(srcs))
	idx := make([]int, len(srcs))
	for i := range idx {
		idx[i] = i
	}
	parallel(idx, func(i int) {
		items[i], errs[i] = s.buildImported(srcs[i], reg)
	})
	for i, src := range srcs {
		if errs[i] != nil {
			res.Failed++
			res.Errors = append(res.Errors, &content.Error{Path: shown(src.rel), Line: src.item.Line("body"), Msg: errs[i].Error()})
			items[i] = nil
		}
	}
	for i, src := range srcs {
		if items[i] == nil {
			continue
		}
		for _, w := range items[i].warnings {
			w.Path = shown(src.rel)
			res.Warnings = append(res.Warnings, w)
		}
	}
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		for i, src := range srcs {
			it := items[i]
			if it == nil {
				continue
			}
			evs := importEvents(src.old, &it.Item, now)
			if err := s.writeItem(ctx, tx, &it.Item, "import", "", evs...); err != nil {
				return err
			}
			if src.old == nil {
				res.Added++
			} else {
				res.Updated++
			}
		}
		return nil
	})
}

// imported is a store item with the warnings its rendering produced.
type imported struct {
	store.Item
	warnings []*content.Error
}

// buildImported turns a parsed file into the row to store.
func (s *Service) buildImported(src *source, reg *resolver) (*imported, error) {
	it := src.item
	out, err := s.md.Render(it.Body, reg)
	if err != nil {
		return nil, err
	}
	t := s.now().UTC()
	row := &imported{}
	if src.old != nil {
		row.Item = *src.old
	} else {
		row.Created = t
	}
	row.Item.Item = *it
	row.HTML, row.Text = out.HTML, out.Text
	row.SourcePath, row.ContentHash = src.rel, src.hash
	row.Modified = t
	switch {
	case it.Draft:
		row.Status = store.Draft
		row.Published = it.Date
	default:
		row.Status = store.Published
		row.Published = it.Date
		if row.Published.IsZero() {
			if src.old != nil && !src.old.Published.IsZero() {
				row.Published = src.old.Published
			} else {
				row.Published = t
			}
		}
	}
	if src.old != nil && src.old.Status == store.Withdrawn && !it.Draft {
		// A withdrawal made by an editor is not undone by re-importing.
		row.Status = store.Withdrawn
	}
	row.Updated = it.Updated
	if src.old == nil {
		day := row.Published
		if day.IsZero() {
			day = t
		}
		row.UID = uid(it.Kind, it.Slug, day)
	}
	bodyLine := it.Line("body")
	for _, ref := range out.Refs {
		if !ref.Resolved {
			row.warnings = append(row.warnings, &content.Error{Line: bodyLine + ref.Line - 1, Warning: true,
				Msg: fmt.Sprintf("văn bản %s chưa có trong danh mục văn bản; số này chưa được tạo liên kết", ref.Text)})
		}
	}
	for _, n := range it.LegalBasis {
		if key, ok := legalref.Key(n); ok {
			if _, found := reg.Resolve(key); !found {
				row.warnings = append(row.warnings, &content.Error{Line: it.Line("legal_basis"), Warning: true,
					Msg: fmt.Sprintf("căn cứ pháp lý %s chưa có trong danh mục văn bản", n)})
			}
		}
	}
	return row, nil
}

// registry loads the stored documents into a resolver.
func (s *Service) registry(ctx context.Context) (*resolver, error) {
	docs, err := s.store.Documents(ctx)
	if err != nil {
		return nil, err
	}
	reg := newResolver(s.now())
	for _, d := range docs {
		if key, ok := legalref.Key(d.Number); ok {
			d := d
			reg.add(key, &d.Item)
		}
	}
	return reg, nil
}
