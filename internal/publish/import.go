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
	"sync/atomic"
	"time"

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
	// DeferredIndexes counts the indexes built once at the end of an
	// import into an empty database instead of row by row (none when the
	// database held items).
	DeferredIndexes int
	// Errors are the problems that made files fail; Warnings did not.
	Errors   []*content.Error
	Warnings []*content.Error
	// Timings is what each step took.
	Timings ImportTimings

	// docKeys are the documents the trees wrote (their old and new
	// numbers): the items citing them are re-rendered once, when every
	// agency's tree is in, not after each tree — a tree's documents may be
	// cited from every other agency's, and a refresh walks every citing item.
	docKeys []string
}

// ImportTimings is what the steps of an import took, wall time: the
// claims pass (plans included), preparing the chunks for their write
// (reading bodies, rendering; on every core, beside the writer), the
// write transactions, the writer's waits for a chunk to be ready, and
// re-rendering the stored items citing documents the import changed.
// Index is building the indexes a first import deferred (part of no
// other step).
type ImportTimings struct {
	Claims, Prepare, Write, Wait, Refresh, Total time.Duration
	Index                                        time.Duration
}

// source is one content file on its way in. A claims pass reads and
// parses every file and keeps of it what the checks across files need —
// its hash, the values it claims (slug, number, code), a document's front
// matter for the registry — and the whole parsed file while the import's
// budget of kept bytes lasts (importKeep); the write pass renders and
// writes the files a chunk at a time (import_write.go), reading and
// parsing again the files the claims pass did not keep. Past the budget
// no more than two chunks of bodies are held at once, whatever the size
// of the tree.
type source struct {
	rel string // path relative to the content root, e.g. articles/x.md
	// key is what the item keeps as its source path (items.source_path,
	// unique across the instance): rel, under agencies/SLUG/ for another
	// agency's tree.
	key  string
	kind content.Kind
	hash string

	// old is the stored item (read without its body; in full while its
	// chunk is written).
	old    *store.Item
	failed bool

	// claims are the values the file claims, with their lines.
	claims []claim
	// doc is a document's parsed front matter (no body): the registry
	// links to it while the import renders.
	doc *content.Item
	// file is the file: field once its attachment is in the media
	// library (the stored name), forms a procedure's forms once theirs
	// are (each naming /tep/NAME), media the library rows to store.
	file  string
	forms []string
	// evidence is an activity's evidence once the files it names in the
	// content folder are in the library (each then /tep/NAME).
	evidence []string
	media    []*store.Media

	// item is the parsed file while a pass works on it, and from the
	// claims pass to the write when kept.
	item *content.Item
	// kept is the size of the file the claims pass kept item of for the
	// write, which then neither reads nor parses it again (0: not kept).
	kept int
	errs content.Errors
	// docx is set for a Word document (import_docx.go): where its
	// sidecar's lines are, and its images until they are stored.
	docx *docxSource
}

// claim is one value a file holds alone: its slug within its kind, a
// document's number key or a procedure's code.
type claim struct {
	what  string // "slug", "number" or "code"
	value string // as store.Owners keys it
	text  string // as written, for the message
	line  int
}

// Import phases, in the order their problems are listed: reading,
// parsing, content areas, attachments, uniqueness, then writing.
const (
	phaseRead = iota
	phaseParse
	phaseAreas
	phaseFiles
	phaseUnique
	phases
)

// claimsChunk is the number of files the claims pass reads and parses at
// a time.
const claimsChunk = 512

// Import brings the content tree fsys into the database. Unchanged files
// (same content hash) write nothing; changed files add a revision; a file
// with any problem is skipped whole while the rest goes in. display is the
// prefix shown in messages (e.g. "content").
//
// The tree is the root column's (agency 1's); each folder
// agencies/SLUG/ holding an agency.yaml is another agency's record and
// tree (import_agencies.go). Every tree's claims pass runs before any
// tree is written, so that the writes render against one registry holding
// every tree's documents: an item citing a document of an agency written
// after its own links it at its first render, and is not warned about a
// number the import is bringing in. The indexes an import into an empty
// database defers are built once, after the last tree; the items stored
// earlier that cite a document the import changed are re-rendered once.
// Imports through one Service run one at a time.
func (s *Service) Import(ctx context.Context, fsys fs.FS, display string) (*ImportResult, error) {
	s.importing.Lock()
	defer s.importing.Unlock()
	start := time.Now()
	run := &importRun{numbers: map[string]string{}, released: map[int64]bool{}, keep: s.importKeep}
	root, err := s.claimTree(ctx, fsys, display, "", run)
	if err != nil {
		return nil, err
	}
	trees, err := s.claimAgencies(ctx, fsys, display, run)
	if err != nil {
		return nil, err
	}
	trees = append([]*treeImport{root}, trees...)
	if err := s.writeTrees(ctx, trees); err != nil {
		return nil, err
	}
	res := root.res
	for _, t := range trees[1:] {
		res.add(t.res)
	}
	if len(res.docKeys) > 0 {
		t := time.Now()
		n, err := s.refreshRefs(ctx, numberKeys(res.docKeys...))
		res.Timings.Refresh += time.Since(t)
		if err != nil {
			return nil, err
		}
		res.Rerendered = n
	}
	res.Timings.Total = time.Since(start)
	return res, nil
}

// importRun is what the trees of one import share while they are
// claimed: the document numbers already taken by a file (numbers are
// unique across the instance, slugs and codes within an agency).
type importRun struct {
	numbers map[string]string // number key → the path shown of the file that took it
	// released are the stored items changed by the trees claimed so far
	// (written before the later trees): the numbers they give up are free.
	released map[int64]bool
	// keep is what is left of the budget of file bytes the claims passes
	// keep parsed for the write (importKeep).
	keep int64
}

// treeImport is one agency's tree between its claims pass and its write.
// An agency's record that was refused has no tree (fsys is nil), only its
// problems in res.
type treeImport struct {
	ctx   context.Context // acts for the tree's agency
	fsys  fs.FS
	shown func(string) string
	// ok are the files that passed the claims pass, to be written.
	ok  []*source
	res *ImportResult
}

// writeTrees writes every tree's files that passed their claims pass:
// into an empty database with the secondary indexes deferred (built once
// after the last tree), rendering against one registry of the stored
// documents and every tree's, in the store's bulk mode (the search index
// merged once after the last tree, the WAL truncated then); then it warns
// about plans naming documents the registry still lacks.
func (s *Service) writeTrees(ctx context.Context, trees []*treeImport) error {
	var writes bool
	for _, t := range trees {
		writes = writes || len(t.ok) > 0
	}
	if writes {
		done, err := s.store.BulkWrites(ctx)
		if err != nil {
			return err
		}
		defer done() // on an early return
		reg, err := s.importRegistry(ctx, trees)
		if err != nil {
			return err
		}
		restore, deferred, err := s.store.DeferIndexes(ctx)
		if err != nil {
			return err
		}
		trees[0].res.DeferredIndexes = deferred
		defer restore(ctx) // on an early return; a crash leaves it to the next open
		held := map[string]string{}
		for _, t := range trees {
			if err := s.storeFiles(t.ctx, t.ok); err != nil {
				return err
			}
			if err := s.writeImported(t.ctx, t.fsys, t.ok, t.shown, t.res, reg, held); err != nil {
				return err
			}
		}
		start := time.Now()
		if err := restore(ctx); err != nil {
			return err
		}
		// The search index's segments merged once, the WAL truncated.
		if err := done(); err != nil {
			return err
		}
		trees[0].res.Timings.Index = time.Since(start)
	}
	for _, t := range trees {
		if t.fsys == nil { // a refused record: no tree
			continue
		}
		start := time.Now()
		if err := s.warnMissingPlanDocuments(t.ctx, t.fsys, t.shown, t.res); err != nil {
			return err
		}
		t.res.Timings.Refresh += time.Since(start)
	}
	return nil
}

// importRegistry is the registry an import's files render against: the
// stored documents overlaid with the public documents of every tree
// (kept by the claims passes without their bodies).
func (s *Service) importRegistry(ctx context.Context, trees []*treeImport) (*resolver, error) {
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	for _, t := range trees {
		for _, src := range t.ok {
			it := src.doc
			if it == nil {
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
	}
	return reg, nil
}

// claimTree runs the claims pass of one agency's tree fsys, shown as
// display, for the agency ctx acts for: plans and sendings are stored,
// attachments brought into the media library, and every file read,
// parsed and checked; the files that passed are left to writeTrees.
// keyPrefix starts the source paths its items keep ("" for the root's
// tree, "agencies/SLUG/" for another's: the paths are unique across the
// instance). Plans keep theirs as in the tree: a plan is the agency's by
// its row, and is read back from the agency's tree.
func (s *Service) claimTree(ctx context.Context, fsys fs.FS, display, keyPrefix string, run *importRun) (*treeImport, error) {
	res := &ImportResult{}
	start := time.Now()
	shown := func(rel string) string { return path.Join(display, rel) }
	// Problems are kept by phase, so that they are listed check by check
	// (every read error first, then every parse error, …) although the
	// claims pass runs every check on one chunk before the next.
	var byPhase [phases][]*content.Error
	fail := func(phase int) func(*source, ...*content.Error) {
		return func(src *source, errs ...*content.Error) {
			if !src.failed {
				src.failed = true
				res.Failed++
			}
			byPhase[phase] = append(byPhase[phase], errs...)
		}
	}

	plans, err := s.importPlans(ctx, fsys, shown, res)
	if err != nil {
		return nil, err
	}
	if err := s.importSendings(ctx, fsys, shown, res); err != nil {
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
			byPhase[phaseRead] = append(byPhase[phaseRead], &content.Error{Path: shown(k.Dir()), Msg: folderProblem(fsys, k.Dir(), err)})
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !(strings.HasSuffix(e.Name(), ".md") || isDocx(e.Name())) || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			src := &source{rel: k.Dir() + "/" + e.Name(), kind: k}
			src.key = keyPrefix + src.rel
			src.old = known[src.key]
			sources = append(sources, src)
		}
	}
	known = nil

	// The claims pass, a chunk at a time: read, hash, parse what changed
	// (on every core: parsing and validating is pure), check content
	// areas and bring attachments in, then keep only the claims.
	var changed []*source
	chunk := func(lo int) []*source { return sources[min(lo, len(sources)):min(lo+claimsChunk, len(sources))] }
	ahead := s.readAhead(fsys, chunk(0))
	for lo := 0; lo < len(sources); lo += claimsChunk {
		if err := ctx.Err(); err != nil {
			ahead() // its readers end before the tree's folder may be closed
			return nil, err
		}
		part := chunk(lo)
		read := ahead()
		if next := chunk(lo + claimsChunk); len(next) > 0 {
			ahead = s.readAhead(fsys, next)
		}
		msgs := make([]string, len(part))
		unchanged := make([]bool, len(part))
		sizes := make([]int, len(part))
		idx := make([]int, len(part))
		for i := range idx {
			idx[i] = i
		}
		parallel(idx, func(i int) {
			src := part[i]
			data, msg := read[i].data, read[i].msg
			if isDocx(src.rel) {
				data, msg = s.readSource(fsys, src)
			}
			read[i] = fileRead{}
			if msg != "" {
				msgs[i] = msg
				return
			}
			sum := sha256.Sum256(data)
			src.hash = hex.EncodeToString(sum[:])
			if src.old != nil && src.old.ContentHash == src.hash && !s.attachmentChanged(ctx, fsys, src.old) {
				unchanged[i] = true
				return
			}
			src.item, src.errs = s.parseSource(src, data, shown)
			sizes[i] = len(data)
		})
		var fresh []*source
		for i, src := range part {
			switch {
			case msgs[i] != "":
				at := src.rel
				if src.docx != nil && src.docx.sidecarProblem {
					at = sidecarOf(src.rel)
				}
				fail(phaseRead)(src, &content.Error{Path: shown(at), Msg: msgs[i]})
			case unchanged[i]:
				res.Unchanged++
				src.docx = nil
			default:
				fresh = append(fresh, src)
			}
		}
		for _, src := range fresh {
			if src.errs != nil {
				fail(phaseParse)(src, src.errs...)
				src.errs = nil
			}
		}
		s.checkAreas(fresh, plans, shown, fail(phaseAreas))
		s.checkPlanItems(fresh, plans, shown, fail(phaseAreas))
		s.checkUnits(ctx, fresh, shown, fail(phaseAreas))
		s.importFiles(ctx, fsys, fresh, shown, fail(phaseFiles)) // attachments into the media library (import_files.go)
		s.importDocxImages(fresh, shown, fail(phaseFiles))       // a Word document's images (import_docx.go)
		for i, src := range part {
			if msgs[i] != "" || unchanged[i] {
				continue
			}
			if !src.failed {
				src.claims = fileClaims(src.item)
				src.file = src.item.File
				src.forms = src.item.Forms
				src.evidence = src.item.Evidence
				if n := int64(sizes[i]); n <= run.keep {
					// Kept for the write: read and parsed once, and what
					// is written is what was checked.
					run.keep -= n
					src.kept = sizes[i]
				}
				if src.kind == content.Document {
					doc := *src.item
					doc.Body = ""
					src.doc = &doc
				}
			}
			if src.kept == 0 {
				src.item = nil
			}
			changed = append(changed, src)
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
	s.checkUnique(ctx, changed, shown, fail(phaseUnique), run)
	for _, src := range changed {
		if src.failed && src.kept > 0 {
			// Not written: its share of the budget goes to later trees.
			run.keep += int64(src.kept)
			src.item, src.kept = nil, 0
		}
	}
	res.Timings.Claims = time.Since(start)
	for _, errs := range byPhase {
		res.Errors = append(res.Errors, errs...)
	}
	t := &treeImport{ctx: ctx, fsys: fsys, shown: shown, res: res}
	for _, src := range changed {
		if !src.failed {
			t.ok = append(t.ok, src)
		}
	}
	return t, nil
}

// parseSource parses the content file src holds the bytes of. As in Hugo,
// the file name is the slug when the front matter gives none: editors
// pick short names, titles are long.
func (s *Service) parseSource(src *source, data []byte, shown func(string) string) (*content.Item, content.Errors) {
	it, err := s.schema.Parse(shown(src.rel), src.kind, data)
	if err != nil {
		var errs content.Errors
		if !errors.As(err, &errs) {
			errs = content.Errors{{Path: shown(src.rel), Msg: err.Error()}}
		}
		if src.docx != nil {
			errs = docxErrors(src.rel, src.docx, errs, shown)
		}
		return nil, errs
	}
	if _, set := it.Lines["slug"]; !set {
		stem := strings.TrimSuffix(path.Base(src.rel), ".md")
		if src.docx != nil {
			stem = docxSlug(src.rel)
		}
		if content.ValidSlug(stem) {
			it.Slug = stem
		}
	}
	return it, nil
}

// aheadReaders is how many files the claims pass reads at once. Reading
// waits for the disk where the files are not in the page cache (the
// first import of a tree just copied or restored), and the disk answers
// several requests at once: the 100,000 corpus read cold with 2 readers
// took 6.5 s, with 16 3.1 s (h30).
const aheadReaders = 16

// fileRead is a Markdown file read ahead: its bytes, or why it could not
// be read.
type fileRead struct {
	data []byte
	msg  string
}

// readAhead starts reading the Markdown files of part (a Word document
// is read where it is converted) on aheadReaders goroutines, and returns
// the function that waits for them and gives what they read, in part's
// order. The claims pass reads the next chunk this way while it parses
// the current one.
func (s *Service) readAhead(fsys fs.FS, part []*source) func() []fileRead {
	out := make([]fileRead, len(part))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(aheadReaders, len(part)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(part) {
					return
				}
				if isDocx(part[i].rel) {
					continue
				}
				data, msg := s.readSource(fsys, part[i])
				out[i] = fileRead{data: data, msg: msg}
			}
		})
	}
	return func() []fileRead {
		wg.Wait()
		return out
	}
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
	var c store.Claims
	addClaims(&c, fileClaims(it))
	return c
}

// addClaims adds the values of cs to c.
func addClaims(c *store.Claims, cs []claim) {
	for _, cl := range cs {
		switch cl.what {
		case "slug":
			c.Slugs = append(c.Slugs, cl.value)
		case "number":
			c.Numbers = append(c.Numbers, cl.value)
		case "code":
			c.Codes = append(c.Codes, cl.value)
		}
	}
}

// fileClaims are claims with what a file's messages need.
func fileClaims(it *content.Item) []claim {
	c := []claim{{"slug", string(it.Kind) + "/" + it.Slug, it.Slug, it.Line("slug")}}
	switch it.Kind {
	case content.Document:
		key, _ := legalref.Key(it.Number)
		c = append(c, claim{"number", key, it.Number, it.Line("number")})
	case content.Procedure:
		c = append(c, claim{"code", it.Code, it.Code, it.Line("code")})
	}
	return c
}

// message is what a file is told when another holds the value it claims.
func (c claim) message() string {
	switch c.what {
	case "number":
		return locale.T("import.taken.number", c.text)
	case "code":
		return locale.T("import.taken.code", c.text)
	}
	return locale.T("import.taken.slug", c.text)
}

// ownerOf is the stored item holding the value c claims, as owners
// (store.ItemOwners) found it.
func ownerOf(owners *store.Owners, c claim) (int64, bool) {
	held := owners.Slug
	switch c.what {
	case "number":
		held = owners.Number
	case "code":
		held = owners.Code
	}
	id, ok := held[c.value]
	return id, ok
}

// self is the stored item src changes, -1 for a new file: the one owner
// of its values that does not take them from it.
func (src *source) self() int64 {
	if src.old != nil {
		return src.old.ID
	}
	return -1
}

// checkUnique refuses a slug, document number or procedure code that
// another item (stored, or earlier in this import) already has. The
// stored owners of every value the files claim come from one query, the
// one the workspace's save uses (store.ItemOwners). Document numbers are
// unique across the instance: a number another agency's tree took earlier
// in this import (run) is taken too.
func (s *Service) checkUnique(ctx context.Context, changed []*source, shown func(string) string, fail func(*source, ...*content.Error), run *importRun) {
	var all store.Claims
	for _, src := range changed {
		if !src.failed {
			addClaims(&all, src.claims)
		}
	}
	owners, err := s.store.ItemOwners(ctx, nil, all)
	if err != nil {
		for _, src := range changed {
			fail(src, &content.Error{Path: shown(src.rel), Msg: err.Error()})
		}
		return
	}
	// The stored items this import changes: their old values are free
	// for others, unless their file fails.
	changing := map[int64]*source{}
	for _, src := range changed {
		if src.old != nil {
			changing[src.old.ID] = src
		}
	}
	released := func(id int64) bool { o := changing[id]; return run.released[id] || o != nil && !o.failed }
	taken := map[string]string{} // "what:value" → path shown of the file that took it in this import
	takenBy := func(cl claim) (string, bool) {
		if cl.what == "number" {
			other, ok := run.numbers[cl.value]
			return other, ok
		}
		other, ok := taken[cl.what+":"+cl.value]
		return other, ok
	}
	for _, src := range changed {
		if src.failed {
			continue
		}
		for _, cl := range src.claims {
			if other, ok := takenBy(cl); ok {
				fail(src, &content.Error{Path: shown(src.rel), Line: cl.line, Msg: locale.T("import.taken.in_file", cl.message(), other)})
				continue
			}
			if id, ok := ownerOf(owners, cl); ok && id != src.self() && !released(id) {
				fail(src, &content.Error{Path: shown(src.rel), Line: cl.line, Msg: locale.T("import.taken.elsewhere", cl.message())})
				continue
			}
		}
		if src.failed {
			// A file that is not written holds nothing.
			continue
		}
		for _, cl := range src.claims {
			if cl.what == "number" {
				run.numbers[cl.value] = shown(src.rel)
			} else {
				taken[cl.what+":"+cl.value] = shown(src.rel)
			}
		}
	}
	for id, src := range changing {
		if !src.failed {
			run.released[id] = true
		}
	}
}

// planIDs gathers the ids each plan gives (its areas, its items) across
// plans: the set to check against, and the sorted list a message names.
func planIDs(plans []*content.Plan, each func(p *content.Plan, add func(string))) (map[string]bool, []string) {
	known := map[string]bool{}
	var ids []string
	for _, p := range plans {
		each(p, func(id string) {
			if !known[id] {
				ids = append(ids, id)
			}
			known[id] = true
		})
	}
	slices.Sort(ids)
	return known, ids
}

// checkAreas refuses content areas that no plan defines.
func (s *Service) checkAreas(changed []*source, plans []*content.Plan, shown func(string) string, fail func(*source, ...*content.Error)) {
	if len(plans) == 0 {
		return
	}
	known, ids := planIDs(plans, func(p *content.Plan, add func(string)) {
		for _, a := range p.Areas {
			add(a.ID)
		}
	})
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

// checkPlanItems refuses plan items that no plan has: an activity's
// plan_item, and any item's plan_items (an article's plan_item has a
// default and older files name items by their shape only).
func (s *Service) checkPlanItems(changed []*source, plans []*content.Plan, shown func(string) string, fail func(*source, ...*content.Error)) {
	if len(plans) == 0 {
		return
	}
	known, ids := planIDs(plans, func(p *content.Plan, add func(string)) {
		for _, pi := range p.Items {
			add(pi.ID)
		}
	})
	for _, src := range changed {
		if src.failed {
			continue
		}
		check := map[string][]string{"plan_items": src.item.PlanItems}
		if src.item.Kind == content.Activity {
			check["plan_item"] = []string{src.item.PlanItem}
		}
		for _, field := range []string{"plan_item", "plan_items"} {
			if i := slices.IndexFunc(check[field], func(id string) bool { return !known[id] }); i >= 0 {
				fail(src, &content.Error{Path: shown(src.rel), Line: src.item.Line(field),
					Msg: locale.T("import.plan_item_unknown", check[field][i], strings.Join(ids, ", "))})
				break
			}
		}
	}
}

// checkUnits refuses an activity whose unit is not one of the Sở's units
// (the units table), by its full name.
func (s *Service) checkUnits(ctx context.Context, changed []*source, shown func(string) string, fail func(*source, ...*content.Error)) {
	var units []*store.Unit
	for _, src := range changed {
		if src.failed || src.item.Kind != content.Activity {
			continue
		}
		if units == nil {
			var err error
			if units, err = s.store.Units(ctx); err != nil {
				fail(src, &content.Error{Path: shown(src.rel), Msg: locale.Text(err)})
				continue
			}
		}
		if _, ok := store.UnitNamed(units, src.item.Unit); !ok {
			var names []string
			for _, u := range units {
				names = append(names, u.Name)
			}
			fail(src, &content.Error{Path: shown(src.rel), Line: src.item.Line("unit"),
				Msg: locale.T("import.unit_unknown", src.item.Unit, strings.Join(names, "; "))})
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
