package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/tthclist"
)

// ImportResult counts what an import did and lists every problem.
type ImportResult struct {
	Added, Updated, Unchanged, Failed int
	// Rerendered counts stored items re-rendered because a document they
	// cite was added or changed.
	Rerendered int
	// Errors are the problems that made files fail; Warnings did not.
	Errors   []*content.Error
	Warnings []*content.Error
}

// source is one content file on its way in.
type source struct {
	rel  string // path relative to the content root, e.g. articles/x.md
	kind content.Kind
	data []byte
	hash string

	item   *content.Item
	errs   content.Errors
	old    *store.Item
	failed bool
}

// Import brings the content tree fsys into the database. Unchanged files
// (same content hash) write nothing; changed files add a revision; a file
// with any problem is skipped whole while the rest goes in. display is the
// prefix shown in messages (e.g. "content").
func (s *Service) Import(ctx context.Context, fsys fs.FS, display string) (*ImportResult, error) {
	res := &ImportResult{}
	shown := func(rel string) string { return path.Join(display, rel) }
	fail := func(src *source, errs ...*content.Error) {
		if !src.failed {
			src.failed = true
			res.Failed++
		}
		res.Errors = append(res.Errors, errs...)
	}

	plans, err := s.importPlans(ctx, fsys, shown, res)
	if err != nil {
		return nil, err
	}
	known, err := s.store.ItemsBySource(ctx)
	if err != nil {
		return nil, err
	}

	var sources []*source
	for _, k := range content.Kinds {
		entries, err := fs.ReadDir(fsys, k.Dir())
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			// A folder that is a link out of the content folder, or a
			// FIFO: the others still go in.
			res.Failed++
			res.Errors = append(res.Errors, &content.Error{Path: shown(k.Dir()), Msg: folderProblem(fsys, k.Dir(), err)})
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			src := &source{rel: k.Dir() + "/" + e.Name(), kind: k}
			src.old = known[src.rel]
			sources = append(sources, src)
			var msg string
			if src.data, msg, _ = readContentFile(fsys, src.rel, content.MaxFileSize, locale.T("import.subject.file")); msg != "" {
				fail(src, &content.Error{Path: shown(src.rel), Msg: msg})
				continue
			}
			sum := sha256.Sum256(src.data)
			src.hash = hex.EncodeToString(sum[:])
		}
	}

	// Parse what changed, in parallel: parsing and validating is pure.
	var changed []*source
	for _, src := range sources {
		switch {
		case src.failed:
		case src.old != nil && src.old.ContentHash == src.hash && !s.attachmentChanged(ctx, fsys, src.old):
			res.Unchanged++
			src.data = nil
		default:
			changed = append(changed, src)
		}
	}
	// The stored items were read without their bodies; what changed is
	// rewritten from the stored row, so load those in full.
	for _, src := range changed {
		if src.old != nil {
			full, err := s.store.ItemByID(ctx, src.old.ID)
			if err != nil {
				return nil, err
			}
			src.old = full
		}
	}
	parallel(changed, func(src *source) {
		it, err := s.schema.Parse(shown(src.rel), src.kind, src.data)
		src.data = nil // the parsed item holds what is needed
		if err != nil {
			if !errors.As(err, &src.errs) {
				src.errs = content.Errors{{Path: shown(src.rel), Msg: err.Error()}}
			}
			return
		}
		if _, set := it.Lines["slug"]; !set {
			// As in Hugo, the file name is the slug when the front matter
			// gives none: editors pick short names, titles are long.
			if stem := strings.TrimSuffix(path.Base(src.rel), ".md"); content.ValidSlug(stem) {
				it.Slug = stem
			}
		}
		src.item = it
	})
	for _, src := range changed {
		if src.errs != nil {
			fail(src, src.errs...)
		}
	}

	// Stored items being changed claim their slug, number and code before
	// new files, and are written first: a new file can neither take a value
	// its stored owner keeps nor be inserted while the owner still holds
	// one it gives up (either would break the write on UNIQUE). Uniqueness
	// is checked last, so that an owner counted as changing is written.
	slices.SortStableFunc(changed, func(a, b *source) int {
		switch {
		case a.old != nil && b.old == nil:
			return -1
		case a.old == nil && b.old != nil:
			return 1
		}
		return 0
	})
	s.checkAreas(changed, plans, shown, fail)
	files := s.importFiles(ctx, fsys, changed, shown, fail) // attachments into the media library (import_files.go)
	s.checkUnique(ctx, changed, shown, fail)

	var ok []*source
	for _, src := range changed {
		if !src.failed {
			ok = append(ok, src)
		}
	}
	if err := s.storeFiles(ctx, ok, files); err != nil {
		return nil, err
	}
	if err := s.writeImported(ctx, ok, shown, res); err != nil {
		return nil, err
	}
	if err := s.warnMissingPlanDocuments(ctx, fsys, shown, res); err != nil {
		return nil, err
	}
	return res, nil
}

// parallel runs fn on every element of xs on all cores.
func parallel[T any](xs []T, fn func(T)) {
	n := min(runtime.GOMAXPROCS(0), len(xs))
	var wg sync.WaitGroup
	ch := make(chan T)
	for range n {
		wg.Go(func() {
			for x := range ch {
				fn(x)
			}
		})
	}
	for _, x := range xs {
		ch <- x
	}
	close(ch)
	wg.Wait()
}

// claims are the values it must hold alone: its slug within its kind, a
// document's number key, a procedure's code (keys as in store.Owners).
func claims(it *content.Item) store.Claims {
	c := store.Claims{Slugs: []string{string(it.Kind) + "/" + it.Slug}}
	switch it.Kind {
	case content.Document:
		key, _ := legalref.Key(it.Number)
		c.Numbers = []string{key}
	case content.Procedure:
		c.Codes = []string{it.Code}
	}
	return c
}

// checkUnique refuses a slug, document number or procedure code that
// another item (stored, or earlier in this import) already has. The
// stored owners of every value the files claim come from one query, the
// one the workspace's save uses (store.ItemOwners).
func (s *Service) checkUnique(ctx context.Context, changed []*source, shown func(string) string, fail func(*source, ...*content.Error)) {
	var all store.Claims
	for _, src := range changed {
		if !src.failed {
			c := claims(src.item)
			all.Slugs = append(all.Slugs, c.Slugs...)
			all.Numbers = append(all.Numbers, c.Numbers...)
			all.Codes = append(all.Codes, c.Codes...)
		}
	}
	owners, err := s.store.ItemOwners(ctx, nil, all)
	if err != nil {
		for _, src := range changed {
			fail(src, &content.Error{Path: shown(src.rel), Msg: err.Error()})
		}
		return
	}
	taken := map[string]string{} // "what:value" → rel path that took it in this import
	for _, src := range changed {
		if src.failed {
			continue
		}
		it := src.item
		type claim struct {
			what, value string
			line        int
			owner       map[string]int64
			msg         string
		}
		claims := []claim{{"slug", string(it.Kind) + "/" + it.Slug, it.Line("slug"), owners.Slug, locale.T("import.taken.slug", it.Slug)}}
		switch it.Kind {
		case content.Document:
			key, _ := legalref.Key(it.Number)
			claims = append(claims, claim{"number", key, it.Line("number"), owners.Number, locale.T("import.taken.number", it.Number)})
		case content.Procedure:
			claims = append(claims, claim{"code", it.Code, it.Line("code"), owners.Code, locale.T("import.taken.code", it.Code)})
		}
		var self int64 = -1
		if src.old != nil {
			self = src.old.ID
		}
		for _, cl := range claims {
			if other, ok := taken[cl.what+":"+cl.value]; ok {
				fail(src, &content.Error{Path: shown(src.rel), Line: cl.line, Msg: locale.T("import.taken.in_file", cl.msg, shown(other))})
				continue
			}
			if id, ok := cl.owner[cl.value]; ok && id != self && !releasedInImport(id, changed) {
				fail(src, &content.Error{Path: shown(src.rel), Line: cl.line, Msg: locale.T("import.taken.elsewhere", cl.msg)})
				continue
			}
		}
		if src.failed {
			// A file that is not written holds nothing.
			continue
		}
		for _, cl := range claims {
			taken[cl.what+":"+cl.value] = src.rel
		}
	}
}

// releasedInImport reports whether stored item id is being changed by this
// import (so its old slug, number or code are free for others).
func releasedInImport(id int64, changed []*source) bool {
	for _, src := range changed {
		if src.old != nil && src.old.ID == id && !src.failed {
			return true
		}
	}
	return false
}

// checkAreas refuses content areas that no plan defines.
func (s *Service) checkAreas(changed []*source, plans []*content.Plan, shown func(string) string, fail func(*source, ...*content.Error)) {
	if len(plans) == 0 {
		return
	}
	known := map[string]bool{}
	var ids []string
	for _, p := range plans {
		for _, a := range p.Areas {
			if !known[a.ID] {
				ids = append(ids, a.ID)
			}
			known[a.ID] = true
		}
	}
	slices.Sort(ids)
	for _, src := range changed {
		if src.failed {
			continue
		}
		for _, a := range src.item.Areas {
			if !known[a] {
				fail(src, &content.Error{Path: shown(src.rel), Line: src.item.Line("areas"),
					Msg: locale.T("import.area_unknown", a, strings.Join(ids, ", "))})
				break
			}
		}
	}
}

// readProcedureList reads the official list of procedures sp's plan names
// (procedure_list, a file in plans/) into sp, or says what is wrong with
// it, as `path:line: message`.
func readProcedureList(fsys fs.FS, sp *store.StoredPlan, shown func(string) string) []*content.Error {
	if sp.ProcedureList == "" {
		return nil
	}
	rel := "plans/" + sp.ProcedureList
	data, msg, _ := readContentFile(fsys, rel, tthclist.MaxSize, locale.T("import.subject.procedure_list"))
	if msg != "" {
		return []*content.Error{{Path: shown(rel), Msg: msg}}
	}
	list, err := tthclist.Parse(shown(rel), data)
	if err != nil {
		var errs tthclist.Errors
		if !errors.As(err, &errs) {
			return []*content.Error{{Path: shown(rel), Msg: err.Error()}}
		}
		out := make([]*content.Error, len(errs))
		for i, e := range errs {
			out[i] = &content.Error{Path: e.Path, Line: e.Line, Msg: e.Msg}
		}
		return out
	}
	sp.ListPath, sp.ListSource, sp.Procedures = rel, data, list
	return nil
}

// importPlans reads plans/YEAR.yaml files and stores those that changed. It
// returns every plan known after the import.
func (s *Service) importPlans(ctx context.Context, fsys fs.FS, shown func(string) string, res *ImportResult) ([]*content.Plan, error) {
	stored, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	byYear := map[int]*store.StoredPlan{}
	for _, p := range stored {
		byYear[p.Year] = p
	}
	entries, err := fs.ReadDir(fsys, "plans")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("publish: import plans: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		rel := "plans/" + e.Name()
		year, ok := content.PlanYear(e.Name())
		if !ok {
			res.Failed++
			res.Errors = append(res.Errors, &content.Error{Path: shown(rel), Msg: locale.T("import.plan_name")})
			continue
		}
		data, msg, _ := readContentFile(fsys, rel, content.MaxPlanSize, locale.T("import.subject.file"))
		if msg != "" {
			res.Failed++
			res.Errors = append(res.Errors, &content.Error{Path: shown(rel), Msg: msg})
			continue
		}
		p, err := content.ParsePlan(shown(rel), year, data)
		if err != nil {
			var errs content.Errors
			errors.As(err, &errs)
			res.Failed++
			res.Errors = append(res.Errors, errs...)
			continue
		}
		sp := &store.StoredPlan{Plan: *p, SourcePath: rel, SourceYAML: string(data)}
		if errs := readProcedureList(fsys, sp, shown); len(errs) > 0 {
			res.Failed++
			res.Errors = append(res.Errors, errs...)
			continue
		}
		// The hash covers the list too: a changed list is a changed plan.
		h := sha256.New()
		h.Write(data)
		h.Write([]byte{0})
		h.Write(sp.ListSource)
		sp.ContentHash = hex.EncodeToString(h.Sum(nil))
		if old := byYear[year]; old != nil && old.ContentHash == sp.ContentHash {
			res.Unchanged++
			continue
		}
		if err := s.store.Tx(ctx, func(tx *sql.Tx) error { return s.store.PutPlan(ctx, tx, sp) }); err != nil {
			return nil, err
		}
		if byYear[year] == nil {
			res.Added++
		} else {
			res.Updated++
		}
		byYear[year] = sp
	}
	var out []*content.Plan
	for _, p := range byYear {
		out = append(out, &p.Plan)
	}
	slices.SortFunc(out, func(a, b *content.Plan) int { return b.Year - a.Year })
	return out, nil
}
