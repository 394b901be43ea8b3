package publish

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/markdown"
	"cchc/internal/store"
)

// writeImported renders the parsed files and writes them. Rendering needs
// the registry: the stored documents overlaid with the public documents of
// this import. Files are rendered in chunks on all cores, outside any write
// transaction, and each chunk is written in a short transaction of its
// own while the next one renders: the single writer is never held while a
// body renders, and other writers get their turn between chunks. The
// whole tree is never held rendered in memory at once. Items stored earlier
// that cite a document this import adds or changes are re-rendered at the
// end, the same way.
func (s *Service) writeImported(ctx context.Context, srcs []*source, shown func(string) string, res *ImportResult) error {
	if len(srcs) == 0 {
		return nil
	}
	now := s.now().UTC()
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return err
	}
	for _, src := range srcs {
		it := src.item
		if src.kind != content.Document {
			continue
		}
		key, ok := legalref.Key(it.Number)
		if !ok {
			continue
		}
		reg.held[key] = true
		if !it.Draft && !it.Date.After(now) {
			reg.add(key, it)
		}
	}
	const chunk = 256
	type rendered struct {
		rows []*imported
		errs []error
	}
	render := func(part []*source) chan rendered {
		ch := make(chan rendered, 1)
		go func() {
			out := rendered{rows: make([]*imported, len(part)), errs: make([]error, len(part))}
			idx := make([]int, len(part))
			for i := range idx {
				idx[i] = i
			}
			parallel(idx, func(i int) { out.rows[i], out.errs[i] = s.buildImported(ctx, part[i], reg, now) })
			ch <- out
		}()
		return ch
	}
	var docKeys []string // documents written: their old and new numbers
	pending := render(srcs[:min(chunk, len(srcs))])
	for lo := 0; lo < len(srcs); lo += chunk {
		part := srcs[lo:min(lo+chunk, len(srcs))]
		got := <-pending
		if hi := lo + chunk; hi < len(srcs) {
			pending = render(srcs[hi:min(hi+chunk, len(srcs))])
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		err := s.store.Tx(ctx, func(tx *sql.Tx) error {
			written := make([]*store.Item, 0, len(part))
			for i, src := range part {
				it := got.rows[i]
				if err := got.errs[i]; err != nil {
					res.Failed++
					res.Errors = append(res.Errors, renderError(src, shown, err))
					continue
				}
				for _, w := range it.warnings {
					line := src.item.Line(w.Field)
					if w.Field == "body" {
						line = src.item.Line("body") + w.Line - 1
					}
					res.Warnings = append(res.Warnings, &content.Error{Path: shown(src.rel), Line: line, Msg: w.Msg, Warning: true})
				}
				evs := importEvents(src.old, &it.Item, now)
				note := ""
				for _, ev := range evs {
					switch ev.Type {
					case EventPublish, EventRepublish:
						it.Live = true
					case EventUpdate:
						it.Major, note = true, ev.Note
					}
				}
				if err := s.writeItemHooks(ctx, tx, &it.Item, false, "import", note, evs...); err != nil {
					return err
				}
				written = append(written, &it.Item)
				if src.old == nil {
					res.Added++
				} else {
					res.Updated++
				}
				if src.kind == content.Document {
					docKeys = append(append(docKeys, it.Number), relationNumbers(&it.Item.Item)...)
					if src.old != nil {
						docKeys = append(append(docKeys, src.old.Number), relationNumbers(&src.old.Item)...)
					}
				}
			}
			return s.runHooks(ctx, tx, written)
		})
		if err != nil {
			return err
		}
		for _, src := range part {
			// Done with it: let the memory go.
			src.item.Body, src.data = "", nil
		}
	}
	if len(docKeys) > 0 {
		n, err := s.refreshRefs(ctx, numberKeys(docKeys...))
		if err != nil {
			return err
		}
		res.Rerendered = n
	}
	return nil
}

// renderError is the problem reported for a file whose body did not
// render: past one of the renderer's limits, at the body's line.
func renderError(src *source, shown func(string) string, err error) *content.Error {
	line := src.item.Line("body")
	var le *markdown.LimitError
	if errors.As(err, &le) {
		if le.Line > 0 {
			line += le.Line - 1
		}
		return &content.Error{Path: shown(src.rel), Line: line, Msg: le.Msg}
	}
	return &content.Error{Path: shown(src.rel), Line: line, Msg: err.Error()}
}

// imported is a store item with the warnings its rendering produced.
type imported struct {
	store.Item
	warnings []Warning
}

// buildImported turns a parsed file into the row to store.
func (s *Service) buildImported(ctx context.Context, src *source, reg *resolver, now time.Time) (*imported, error) {
	it := src.item
	row := &imported{}
	if src.old != nil {
		row.Item = *src.old
	} else {
		row.Created = now
		row.CreatedBy = "import"
	}
	row.Item.Item = *it
	row.SourcePath, row.ContentHash = src.rel, src.hash
	row.Modified = now
	warns, err := s.render(ctx, &row.Item, reg)
	if err != nil {
		return nil, err
	}
	row.warnings = warns
	row.Status = store.Published
	row.Published = it.Date
	if it.Draft {
		row.Status = store.Draft
	} else if row.Published.IsZero() {
		row.Published = now
		if src.old != nil && !src.old.Published.IsZero() {
			row.Published = src.old.Published
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
			day = now
		}
		row.UID = uid(it.Kind, it.Slug, day)
	}
	return row, nil
}
