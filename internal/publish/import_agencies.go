package publish

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
)

// AgenciesDir is the folder of the content tree holding the other
// agencies (issue 20): agencies/SLUG/agency.yaml is an agency's record,
// and agencies/SLUG/ beside it holds that agency's articles/,
// procedures/, documents/, plans/ and activities/, as the content folder
// holds the root column's.
const AgenciesDir = "agencies"

// agencyTree is one folder of AgenciesDir on its way in.
type agencyTree struct {
	slug string
	dir  string // agencies/SLUG
	file *content.AgencyFile
}

// claimAgencies reads every agency of fsys's AgenciesDir after the
// root's tree was claimed: each record is created or updated through the
// store's checks (an audit row with actor "import" when it changes), then
// its tree's claims pass runs for that agency; the trees are written by
// Import, after every claims pass. A record with any problem is refused
// with its tree, every problem said as path:line: message, nothing of it
// written; the other agencies still go in. An agency naming a parent is
// written after that parent. The trees come back in the order their
// records were written, each refused record as a tree of its problems.
func (s *Service) claimAgencies(ctx context.Context, fsys fs.FS, display string, run *importRun) ([]*treeImport, error) {
	entries, err := fs.ReadDir(fsys, AgenciesDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	shown := func(rel string) string { return path.Join(display, rel) }
	var out []*treeImport
	fail := func(errs ...*content.Error) {
		out = append(out, &treeImport{res: &ImportResult{Failed: 1, Errors: errs}})
	}
	if err != nil {
		fail(&content.Error{Path: shown(AgenciesDir), Msg: folderProblem(fsys, AgenciesDir, err)})
		return out, nil
	}
	var trees []*agencyTree
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := AgenciesDir + "/" + e.Name()
		if !e.IsDir() {
			fail(&content.Error{Path: shown(dir), Msg: locale.T("import.agency.not_folder")})
			continue
		}
		rel := dir + "/" + content.AgencyFileName
		data, msg, _ := readContentFile(fsys, rel, content.MaxAgencyFileSize, locale.T("import.subject.file"))
		if msg != "" {
			fail(&content.Error{Path: shown(rel), Msg: msg})
			continue
		}
		f, err := content.ParseAgencyFile(shown(rel), e.Name(), data)
		if err != nil {
			fail(fileErrors(shown(rel), err)...)
			continue
		}
		trees = append(trees, &agencyTree{slug: e.Name(), dir: dir, file: f})
	}
	// Parents first: each pass writes the agencies whose parent is in the
	// store (or that name none); what is left when a pass writes nothing
	// names a parent that is not there. The store's agencies are read
	// once, and each record written joins them: asking the store for
	// every waiting agency's parent on every pass was half a million
	// queries for a chain of 1,000 folders each sorting before its
	// parent's (h21-attack).
	stored, err := s.store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(stored)+len(trees))
	for _, a := range stored {
		ids[a.Slug] = a.ID
	}
	for len(trees) > 0 {
		var later []*agencyTree
		for _, t := range trees {
			parentID, ok := ids[t.file.Parent]
			if !ok && t.file.Parent != "" {
				later = append(later, t)
				continue
			}
			tree, id, err := s.claimAgency(ctx, fsys, display, t, parentID, run)
			if err != nil {
				return nil, err
			}
			if id != 0 {
				ids[t.slug] = id
			}
			out = append(out, tree)
		}
		if len(later) == len(trees) {
			for _, t := range later {
				fail(&content.Error{Path: shown(t.dir + "/" + content.AgencyFileName), Line: t.file.Line("parent"), Field: "parent",
					Msg: "parent: " + locale.T("import.agency.parent", t.file.Parent)})
			}
			break
		}
		trees = later
	}
	return out, nil
}

// claimAgency writes t's record (when it changed) and runs its tree's
// claims pass for it; id is the agency's, 0 when its record was refused.
func (s *Service) claimAgency(ctx context.Context, fsys fs.FS, display string, t *agencyTree, parentID int64, run *importRun) (tree *treeImport, id int64, err error) {
	rel := t.dir + "/" + content.AgencyFileName
	rec := t.file.Record(t.slug)
	rec.ParentID = parentID
	audit := store.AuditEntry{At: s.now(), Actor: "import", Detail: locale.T("import.agency.audit", rel)}
	old, err := s.store.AgencyBySlug(ctx, t.slug)
	switch {
	case errors.Is(err, store.ErrNotFound):
		id, err = s.store.CreateAgency(ctx, rec, audit)
	case err != nil:
		return nil, 0, err
	default:
		id, rec.ID = old.ID, old.ID
		if agency.Clean(rec) != *old {
			err = s.store.UpdateAgency(ctx, rec, audit)
		}
	}
	if p := agency.Problems(err); p != nil {
		return &treeImport{res: &ImportResult{Failed: 1, Errors: t.file.Problems(p)}}, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	sub, err := fs.Sub(fsys, t.dir)
	if err != nil {
		return nil, 0, err
	}
	tree, err = s.claimTree(agency.WithID(ctx, id), sub, path.Join(display, t.dir), t.dir+"/", run)
	return tree, id, err
}

// add counts r, an agency's tree, into res.
func (res *ImportResult) add(r *ImportResult) {
	res.Added += r.Added
	res.Updated += r.Updated
	res.Unchanged += r.Unchanged
	res.Failed += r.Failed
	res.Rerendered += r.Rerendered
	res.docKeys = append(res.docKeys, r.docKeys...)
	res.DeferredIndexes += r.DeferredIndexes
	res.Errors = append(res.Errors, r.Errors...)
	res.Warnings = append(res.Warnings, r.Warnings...)
	for _, d := range []struct {
		to   *time.Duration
		from time.Duration
	}{
		{&res.Timings.Claims, r.Timings.Claims}, {&res.Timings.Prepare, r.Timings.Prepare}, {&res.Timings.Write, r.Timings.Write},
		{&res.Timings.Wait, r.Timings.Wait}, {&res.Timings.Refresh, r.Timings.Refresh}, {&res.Timings.Index, r.Timings.Index},
	} {
		*d.to += d.from
	}
}

// fileErrors are err's problems as content errors (one at path when err
// is not content.Errors).
func fileErrors(path string, err error) []*content.Error {
	var errs content.Errors
	if errors.As(err, &errs) {
		return errs
	}
	return []*content.Error{{Path: path, Msg: err.Error()}}
}
