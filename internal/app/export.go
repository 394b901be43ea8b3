package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"cchc/internal/agency"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

func (c *cli) export(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("export", locale.T("cli.synopsis.export"), args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(c.stderr, "cchc export: %s\n", locale.T("cli.export.one_folder"))
		return exitUsage
	}
	out := fs.Arg(0)
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		fmt.Fprintf(c.stderr, "cchc export: %s\n", locale.T("cli.export.not_empty", vntext.Terminal(out)))
		return exitUsage
	}
	env, err := c.openExisting(ctx, cfg, "cchc export")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc export: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	// The folder is made even for a column with nothing to export, so
	// that "đã xuất 0 mục ra OUT" is true of OUT (and a file there is
	// said to be one rather than passed over).
	if err := os.MkdirAll(out, 0o750); err != nil {
		fmt.Fprintf(c.stderr, "cchc export: %s\n", locale.Text(err))
		return exitFail
	}
	n, err := Export(ctx, env.Store, env.Publish.Schema(), out)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc export: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("cli.export.done", n, vntext.Terminal(out)))
	return exitOK
}

// Export writes every item not in the trash, and every plan, to dir in the
// content format, so that importing dir into an empty database gives the
// same items. Items that are not published are written as drafts. A
// document's attached file (a procedure's forms, an activity's evidence)
// is copied out of the media library to the path it was imported from (or
// tep/NAME for an upload), and its file: says so.
// Items are written by the field table sc (the one they were imported and
// edited by: env.Publish.Schema()).
//
// The root column's tree is dir itself; every other agency's is
// dir/agencies/SLUG/ with its record in agency.yaml (issue 20), which
// cchc import reads back into the same agencies. Each tree holds its
// agency's year reports sent in reports/YEAR.yaml (for the years it has a
// plan), without their signed copies, which stay in the library.
func Export(ctx context.Context, st *store.Store, sc *content.Schema, dir string) (int, error) {
	agencies, err := st.Agencies(ctx)
	if err != nil {
		return 0, err
	}
	slugs := map[int64]string{}
	for _, a := range agencies {
		slugs[a.ID] = a.Slug
	}
	n := 0
	for _, a := range agencies {
		tree := dir
		if !a.IsRoot() {
			tree = filepath.Join(dir, publish.AgenciesDir, a.Slug)
			if err := writeNew(filepath.Join(tree, content.AgencyFileName), agencyYAML(a, slugs[a.ParentID])); err != nil {
				return n, err
			}
		}
		m, err := exportTree(agency.WithID(ctx, a.ID), st, sc, tree)
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// agencyYAML is a's record as agency.yaml holds it, parent by its slug.
func agencyYAML(a agency.Agency, parent string) []byte {
	var b strings.Builder
	for _, f := range []struct{ key, value string }{
		{"name", a.Name}, {"short_name", a.ShortName}, {"parent", parent}, {"prefix", a.Prefix}, {"host", a.Host},
		{"address", a.Address}, {"phone", a.Phone}, {"email", a.Email}, {"website", a.Website},
	} {
		if f.value != "" {
			b.WriteString(f.key + ": " + strconv.Quote(f.value) + "\n")
		}
	}
	return []byte(b.String())
}

// exportTree writes the items, plans and reports sent of the agency ctx
// acts for into dir, as Export describes.
func exportTree(ctx context.Context, st *store.Store, sc *content.Schema, dir string) (int, error) {
	items, err := st.AllItems(ctx)
	if err != nil {
		return 0, err
	}
	files, err := newFileExport(ctx, st, dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if !it.Deleted.IsZero() {
			continue
		}
		c := it.Item
		if c.File, err = files.write(c.File); err != nil {
			return n, err
		}
		// A procedure's forms from the library go out beside it too.
		c.Forms = slices.Clone(c.Forms)
		for i, v := range c.Forms {
			if f, ok := content.ParseForm(v); ok && f.Media != "" {
				if f.Address, err = files.write(f.Media); err != nil {
					return n, err
				}
				c.Forms[i] = f.String()
			}
		}
		// So does an activity's evidence from the library (/tep/NAME).
		c.Evidence = slices.Clone(c.Evidence)
		for i, v := range c.Evidence {
			if name := strings.TrimPrefix(v, "/tep/"); name != v && media.ValidName(name) {
				if c.Evidence[i], err = files.write(name); err != nil {
					return n, err
				}
			}
		}
		c.Draft = it.Status == store.Draft || it.Status == store.Submitted
		if c.Date.IsZero() && !it.Published.IsZero() {
			c.Date = it.Published
		}
		path := filepath.Join(dir, it.Kind.Dir(), it.Slug+".md")
		if err := writeNew(path, sc.Marshal(&c)); err != nil {
			return n, err
		}
		n++
	}
	plans, err := st.Plans(ctx)
	if err != nil {
		return n, err
	}
	lists := map[string][]byte{} // list files written, by path
	for _, p := range plans {
		if p.SourceYAML == "" {
			continue
		}
		if err := writeNew(filepath.Join(dir, "plans", fmt.Sprintf("%d.yaml", p.Year)), []byte(p.SourceYAML)); err != nil {
			return n, err
		}
		// The official list of procedures the plan names, as it was given.
		// Plans of several years may name one file: it is written once,
		// and two different files under one name are an error.
		if p.ListPath != "" && filepath.IsLocal(filepath.FromSlash(p.ListPath)) {
			path := filepath.Join(dir, filepath.FromSlash(p.ListPath))
			if prev, ok := lists[path]; ok {
				if !bytes.Equal(prev, p.ListSource) {
					return n, locale.NewError("cli.export.list_clash", path, p.Year)
				}
				continue
			}
			if err := writeNew(path, p.ListSource); err != nil {
				return n, err
			}
			lists[path] = p.ListSource
		}
		if err := exportSendings(ctx, st, dir, p.Year); err != nil {
			return n, err
		}
	}
	return n, nil
}

// exportSendings writes the reports of year recorded as sent, oldest
// first, to reports/YEAR.yaml (none when there are none).
func exportSendings(ctx context.Context, st *store.Store, dir string, year int) error {
	sent, err := st.ReportSendings(ctx, year, vntext.Zone)
	if err != nil || len(sent) == 0 {
		return err
	}
	var b strings.Builder
	for i := len(sent) - 1; i >= 0; i-- { // ReportSendings lists newest first
		r := sent[i]
		b.WriteString("- sent_on: " + r.SentOn.In(vntext.Zone).Format("2006-01-02") + "\n")
		if r.Report != "" {
			b.WriteString("  report: " + strconv.Quote(r.Report) + "\n")
		}
		b.WriteString("  number: " + strconv.Quote(r.Number) + "\n")
		if r.Note != "" {
			b.WriteString("  note: " + strconv.Quote(r.Note) + "\n")
		}
	}
	return writeNew(filepath.Join(dir, content.SendingsDir, fmt.Sprintf("%d.yaml", year)), []byte(b.String()))
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return locale.NewError("cli.export.exists", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// fileExport copies the library files the exported items name.
type fileExport struct {
	lib     *media.Library
	dir     string
	rows    map[string]*store.Media
	written map[string]string // relative path → stored name written there
	paths   map[string]string // stored name → relative path it went to
}

func newFileExport(ctx context.Context, st *store.Store, dir string) (*fileExport, error) {
	all, err := st.AllMedia(ctx)
	if err != nil {
		return nil, err
	}
	fe := &fileExport{lib: media.New(st, nil), dir: dir, rows: map[string]*store.Media{},
		written: map[string]string{}, paths: map[string]string{}}
	for _, m := range all {
		fe.rows[m.Name] = m
	}
	return fe, nil
}

// write copies the stored file called name (once) and returns the path to
// put in file:. Anything that is not a stored name (an address elsewhere)
// is returned as it is.
func (fe *fileExport) write(name string) (string, error) {
	if !media.ValidName(name) {
		return name, nil
	}
	if rel, ok := fe.paths[name]; ok {
		return rel, nil
	}
	rel := "tep/" + name
	if m := fe.rows[name]; m != nil && m.SourcePath != "" && fs.ValidPath(m.SourcePath) && !strings.HasSuffix(m.SourcePath, ".md") {
		if other, taken := fe.written[m.SourcePath]; !taken || other == name {
			rel = m.SourcePath
		}
	}
	data, err := fe.lib.ReadFile(name)
	if err != nil {
		return "", locale.NewError("cli.export.attachment", name, err)
	}
	if err := writeNew(filepath.Join(fe.dir, filepath.FromSlash(rel)), data); err != nil {
		return "", err
	}
	fe.written[rel], fe.paths[name] = name, rel
	return rel, nil
}
