package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/markdown"
	"cchc/internal/store"
)

// writeImported renders and writes the files of one tree that passed the
// claims pass. They render against reg: the stored documents overlaid
// with the public documents of every tree of this import
// (importRegistry). Files are prepared in chunks on all cores, outside
// any write transaction — the files the claims pass did not keep read
// and parsed again (reread), every file rendered — and each chunk is
// written in a short transaction of its own while the next one is
// prepared: the single writer is never held while a body renders, other
// writers get their turn between chunks, and besides the files kept (at
// most importKeep bytes, let go as they are written) no more than two
// chunks of bodies are in memory, whatever the size of the tree. Items
// stored earlier that cite a
// document this import adds or changes are re-rendered by Import at the
// end, once.
//
// held are the values stored items still hold because their file failed
// at its write (read again changed, or past a limit of the renderer):
// the claims pass counted them as given up, so a later file taking one —
// in this tree or a later one — is refused here, naming the file, rather
// than break the import on UNIQUE with the trees before it written.
func (s *Service) writeImported(ctx context.Context, fsys fs.FS, srcs []*source, shown func(string) string, res *ImportResult, reg *resolver, held map[string]string) error {
	if len(srcs) == 0 {
		return nil
	}
	own := agency.IDFrom(ctx)
	// heldKey scopes a claim as its UNIQUE index does: numbers across the
	// instance, slugs and codes within the agency.
	heldKey := func(cl claim) string {
		if cl.what == "number" {
			return "number\x00" + cl.value
		}
		return fmt.Sprintf("%s\x00%d\x00%s", cl.what, own, cl.value)
	}
	hold := func(src *source) {
		if src.old == nil {
			return
		}
		for _, cl := range fileClaims(&src.old.Item) {
			if cl.value != "" {
				held[heldKey(cl)] = shown(src.rel)
			}
		}
	}
	takes := func(src *source) *content.Error {
		for _, cl := range src.claims {
			if other, ok := held[heldKey(cl)]; ok {
				return &content.Error{Path: shown(src.rel), Line: cl.line, Msg: locale.T("import.taken.in_file", cl.message(), other)}
			}
		}
		return nil
	}
	now := s.now().UTC()
	// Chunks grow from 32 files to 256, so that the writer starts as soon
	// as a few files are ready rather than waiting for a whole chunk.
	const firstChunk, chunk = 32, 256
	type prepared struct {
		rows []*imported
		errs []error
		err  error // the chunk could not be prepared at all
	}
	var prepTime time.Duration // summed by the goroutines, one at a time
	var prepMu sync.Mutex
	prepare := func(part []*source) chan prepared {
		ch := make(chan prepared, 1)
		go func() {
			t := time.Now()
			defer func() { prepMu.Lock(); prepTime += time.Since(t); prepMu.Unlock() }()
			out := prepared{rows: make([]*imported, len(part)), errs: make([]error, len(part))}
			out.err = s.loadOld(ctx, part)
			if out.err != nil {
				ch <- out
				return
			}
			idx := make([]int, len(part))
			for i := range idx {
				idx[i] = i
			}
			parallel(idx, func(i int) {
				src := part[i]
				if src.kept == 0 {
					if out.errs[i] = s.reread(fsys, src, shown); out.errs[i] != nil {
						return
					}
				}
				if out.rows[i], out.errs[i] = s.buildImported(ctx, src, reg, now); out.errs[i] != nil {
					return
				}
				for _, h := range s.hooks {
					if p, ok := h.(PreparingHook); ok {
						p.Precompute(&out.rows[i].Item)
					}
				}
			})
			ch <- out
		}()
		return ch
	}
	var docKeys []string // documents written: their old and new numbers
	size := firstChunk
	pending := prepare(srcs[:min(size, len(srcs))])
	for lo := 0; lo < len(srcs); {
		part := srcs[lo:min(lo+size, len(srcs))]
		lo += len(part)
		size = min(2*size, chunk)
		t := time.Now()
		got := <-pending
		res.Timings.Wait += time.Since(t)
		if got.err != nil {
			return got.err
		}
		if lo < len(srcs) {
			pending = prepare(srcs[lo:min(lo+size, len(srcs))])
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		t = time.Now()
		// A chunk's values were checked free by the claims pass; an
		// editor's save between that pass and this write may have taken
		// one since. The write then fails on a UNIQUE index: it is rolled
		// back and done again with each file's values checked against the
		// stored items first, refusing the file that would take one.
		before := snapshotChunk(res, got.rows, len(docKeys))
		check := false
		write := func(tx *sql.Tx) error {
			written := make([]*store.Item, 0, len(part))
			for i, src := range part {
				it := got.rows[i]
				if err := got.errs[i]; err != nil {
					res.Failed++
					res.Errors = append(res.Errors, prepareError(src, shown, err))
					hold(src)
					continue
				}
				if e := takes(src); e != nil {
					res.Failed++
					res.Errors = append(res.Errors, e)
					hold(src)
					continue
				}
				if check {
					e, err := s.takenMeanwhile(ctx, tx, src, shown)
					if err != nil {
						return err
					}
					if e != nil {
						res.Failed++
						res.Errors = append(res.Errors, e)
						hold(src)
						continue
					}
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
		}
		err := s.store.Tx(ctx, write)
		if err != nil && store.IsUniqueViolation(err) {
			docKeys = before.restore(res, got.rows, docKeys)
			check = true
			err = s.store.Tx(ctx, write)
		}
		res.Timings.Write += time.Since(t)
		if err != nil {
			return err
		}
		for _, src := range part {
			// Done with it: let the memory go.
			src.item, src.old, src.doc = nil, nil, nil
		}
	}
	prepMu.Lock()
	res.Timings.Prepare = prepTime
	prepMu.Unlock()
	res.docKeys = append(res.docKeys, docKeys...) // refreshed by Import, once
	return nil
}

// loadOld reads in full the stored items the sources of part change: the
// claims pass saw them without their bodies, and a changed file is
// written over its stored row.
func (s *Service) loadOld(ctx context.Context, part []*source) error {
	var ids []int64
	for _, src := range part {
		if src.old != nil {
			ids = append(ids, src.old.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	full, err := s.store.ItemsByIDs(ctx, nil, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]*store.Item, len(full))
	for _, it := range full {
		byID[it.ID] = it
	}
	for _, src := range part {
		if src.old != nil {
			it := byID[src.old.ID]
			if it == nil {
				return fmt.Errorf("publish: import %s: stored item %d: %w", src.rel, src.old.ID, store.ErrNotFound)
			}
			src.old = it
		}
	}
	return nil
}

// reread reads and parses src again for its write, as the claims pass
// did, and gives it the attachment the claims pass stored: a file the
// claims pass did not keep (past the import's budget, importKeep). The
// bytes must be the ones the claims pass hashed, so that what was
// checked is what is written — as it is, by construction, for a file
// the claims pass kept: that one is written as it was parsed then.
func (s *Service) reread(fsys fs.FS, src *source, shown func(string) string) error {
	data, msg := s.readSource(fsys, src)
	if msg != "" {
		return &content.Error{Path: shown(src.rel), Msg: msg}
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != src.hash {
		// The bytes changed between the claims pass and the write: what
		// was checked is not what would be written.
		return &content.Error{Path: shown(src.rel), Msg: locale.T("import.changed_meanwhile")}
	}
	it, errs := s.parseSource(src, data, shown)
	if src.docx != nil {
		// The images were stored by the claims pass.
		src.docx.images, src.docx.data = nil, nil
	}
	if errs != nil {
		return errs
	}
	it.File = src.file
	if src.forms != nil {
		it.Forms = src.forms
	}
	if src.evidence != nil {
		it.Evidence = src.evidence
	}
	src.item = it
	return nil
}

// prepareError is the problem reported for a file that could not be
// prepared for its write: read again, parsed again or rendered.
func prepareError(src *source, shown func(string) string, err error) *content.Error {
	var ce *content.Error
	if errors.As(err, &ce) {
		return ce
	}
	var ces content.Errors
	if errors.As(err, &ces) && len(ces) > 0 {
		return ces[0]
	}
	if src.item == nil {
		return &content.Error{Path: shown(src.rel), Msg: err.Error()}
	}
	return renderError(src, shown, err)
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
	row.SourcePath, row.ContentHash = src.key, src.hash
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

// takenMeanwhile is the problem of a file whose slug, number or code a
// stored item other than its own holds, asked in tx: a value the claims
// pass found free and an editor's save took before the write.
func (s *Service) takenMeanwhile(ctx context.Context, tx *sql.Tx, src *source, shown func(string) string) (*content.Error, error) {
	var c store.Claims
	addClaims(&c, src.claims)
	owners, err := s.store.ItemOwners(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	for _, cl := range src.claims {
		if id, ok := ownerOf(owners, cl); ok && id != src.self() {
			return &content.Error{Path: shown(src.rel), Line: cl.line, Msg: locale.T("import.taken.elsewhere", cl.message())}, nil
		}
	}
	return nil, nil
}

// chunkState is what a chunk's write changes outside the database, kept
// so that a write rolled back can be done again from where it started.
type chunkState struct {
	failed, added, updated, errs, warns, docKeys int
	rows                                         []store.Item
}

func snapshotChunk(res *ImportResult, rows []*imported, docKeys int) chunkState {
	st := chunkState{failed: res.Failed, added: res.Added, updated: res.Updated,
		errs: len(res.Errors), warns: len(res.Warnings), docKeys: docKeys, rows: make([]store.Item, len(rows))}
	for i, r := range rows {
		if r != nil {
			st.rows[i] = r.Item
		}
	}
	return st
}

// restore puts res and rows back as they were at the snapshot (the ID
// and version an insert or update gave a row, the counts and messages)
// and returns docKeys as they were.
func (st chunkState) restore(res *ImportResult, rows []*imported, docKeys []string) []string {
	res.Failed, res.Added, res.Updated = st.failed, st.added, st.updated
	res.Errors, res.Warnings = res.Errors[:st.errs], res.Warnings[:st.warns]
	for i, r := range rows {
		if r != nil {
			r.Item = st.rows[i]
		}
	}
	return docKeys[:st.docKeys]
}
