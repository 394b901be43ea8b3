package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"path"
	"strings"

	"cchc/internal/content"
	"cchc/internal/docx"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/vntext"
)

// A Word document beside the Markdown files: articles/NAME.docx is read
// as if it were articles/NAME.md whose front matter is the sidecar
// articles/NAME.yaml (the same YAML as a Markdown file's front matter,
// without the --- lines) and whose body is the document turned into
// Markdown by internal/docx. What the sidecar does not say comes from the
// document's properties (File › Info): title, else the document's first
// heading (taken out of the body); date (of an article or other item that
// has one), from the creation time. Without a sidecar those are the whole
// front matter, enough for an article; a document or procedure needs the
// sidecar for its number or code.
//
// The document's images go to the media library, checked as uploads; each
// needs its alt text in Word (right-click › Edit Alt Text) — the column's
// images all have one. Problems are `path: message` for the .docx, and
// `path:line: message` for the sidecar's lines.

const (
	docxExt    = ".docx"
	sidecarExt = ".yaml"
)

// isDocx tells a Word document among a kind's files.
func isDocx(name string) bool { return strings.HasSuffix(name, docxExt) }

// sidecarOf is the sidecar's path of the document at rel.
func sidecarOf(rel string) string { return strings.TrimSuffix(rel, docxExt) + sidecarExt }

// docxSource is a Word document read as a content file: the Markdown file
// it stands for, its images with their stored names, and how many lines
// of the Markdown are the sidecar's (from line 2).
type docxSource struct {
	data         []byte
	images       []docxImage
	sidecarLines int
	hasSidecar   bool
	// sidecarProblem says the problem that stopped the read is the
	// sidecar's.
	sidecarProblem bool
}

type docxImage struct {
	name string // stored name in the library
	img  docx.Image
}

// readDocxSource reads the document at rel and its sidecar and writes the
// Markdown file they stand for. msg is a problem with the files (for the
// document, or for the sidecar when onSidecar).
func readDocxSource(fsys fs.FS, rel string) (src *docxSource, msg string, onSidecar bool) {
	data, msg, _ := readContentFile(fsys, rel, media.MaxDocumentBytes, locale.T("import.subject.file"))
	if msg != "" {
		return nil, msg, false
	}
	out := &docxSource{}
	var side []byte
	if _, err := fs.Lstat(fsys, sidecarOf(rel)); err == nil {
		side, msg, _ = readContentFile(fsys, sidecarOf(rel), content.MaxFileSize, locale.T("import.subject.sidecar"))
		if msg != "" {
			return nil, msg, true
		}
		out.hasSidecar = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, locale.T("import.read.failed", locale.T("import.subject.sidecar"), err.Error()), true
	}
	doc, err := docx.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, docxProblem(err), false
	}
	var bad []string
	for _, img := range doc.Images {
		t, err := media.Check(img.Name, img.Data)
		var me *media.Error
		switch {
		case errors.As(err, &me):
			bad = append(bad, locale.T("import.docx.image_refused", img.Name, me.Msg))
			continue
		case err != nil:
			return nil, err.Error(), false
		case strings.TrimSpace(img.Alt) == "":
			bad = append(bad, locale.T("import.docx.image_no_alt", img.Name))
			continue
		}
		out.images = append(out.images, docxImage{name: media.Name(img.Data, t), img: img})
	}
	if len(bad) > 0 {
		return nil, strings.Join(bad, "; "), false
	}
	names := map[string]string{}
	for _, im := range out.images {
		names[im.img.Placeholder] = im.name
	}
	body := doc.MarkdownWith(func(img docx.Image) (string, string) {
		return media.URL(names[img.Placeholder]), media.CleanAlt(img.Alt)
	})

	side = bytes.TrimRight(bytes.ReplaceAll(side, []byte("\r\n"), []byte("\n")), "\n")
	var b bytes.Buffer
	b.WriteString("---\n")
	if len(side) > 0 {
		b.Write(side)
		b.WriteByte('\n')
		out.sidecarLines = bytes.Count(side, []byte("\n")) + 1
	}
	if !hasKey(side, "title") {
		title := doc.Title
		if title == "" {
			// The first heading, when the document starts with one.
			if first, rest, _ := strings.Cut(body, "\n"); strings.HasPrefix(first, "# ") {
				title, body = strings.TrimSpace(first[2:]), strings.TrimLeft(rest, "\n")
			}
		}
		if title != "" {
			q, _ := json.Marshal(vntext.NFC(title)) // a JSON string is a YAML double-quoted one
			b.WriteString("title: " + string(q) + "\n")
		}
	}
	if !hasKey(side, "date") && !doc.Created.IsZero() {
		b.WriteString("date: " + doc.Created.In(vntext.Zone).Format("2006-01-02T15:04:05-07:00") + "\n")
	}
	b.WriteString("---\n")
	b.WriteString(body)
	out.data = b.Bytes()
	return out, "", false
}

// hasKey reports whether YAML front matter sets key at its top level.
func hasKey(yaml []byte, key string) bool {
	for line := range strings.Lines(string(yaml)) {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			return true
		}
	}
	return false
}

// docxProblem says why a Word document was refused.
func docxProblem(err error) string {
	switch {
	case errors.Is(err, docx.ErrMacros):
		return locale.T("import.docx.macros")
	case errors.Is(err, docx.ErrOldOrEncrypted):
		return locale.T("import.docx.old_or_locked")
	case errors.Is(err, docx.ErrTooLarge):
		return locale.T("import.docx.too_large")
	case errors.Is(err, docx.ErrNotDocx):
		return locale.T("import.docx.not_docx")
	}
	return locale.T("import.docx.damaged")
}

// docxErrors places the problems of a document's Markdown: a line of the
// sidecar is that line of the sidecar file; anything else is the
// document's, without a line (its lines are not the Markdown's).
func docxErrors(rel string, ds *docxSource, errs content.Errors, shown func(string) string) content.Errors {
	out := make(content.Errors, 0, len(errs))
	for _, e := range errs {
		e2 := *e
		if ds.hasSidecar && e.Line >= 2 && e.Line <= ds.sidecarLines+1 {
			e2.Path, e2.Line = shown(sidecarOf(rel)), e.Line-1
		} else {
			e2.Path, e2.Line = shown(rel), 0
		}
		out = append(out, &e2)
	}
	return out
}

// docxSlug is the slug a document's file name gives.
func docxSlug(rel string) string { return strings.TrimSuffix(path.Base(rel), docxExt) }

// readSource reads the content file src names: a Markdown file's bytes,
// or the Markdown a Word document and its sidecar stand for.
func (s *Service) readSource(fsys fs.FS, src *source) ([]byte, string) {
	if !isDocx(src.rel) {
		data, msg, _ := readContentFile(fsys, src.rel, content.MaxFileSize, locale.T("import.subject.file"))
		return data, msg
	}
	ds, msg, onSidecar := readDocxSource(fsys, src.rel)
	if msg != "" {
		src.docx = &docxSource{sidecarProblem: onSidecar}
		return nil, msg
	}
	if len(ds.data) > content.MaxFileSize {
		src.docx = &docxSource{}
		return nil, locale.T("import.docx.body_too_long")
	}
	src.docx = ds
	return ds.data, ""
}

// importDocxImages writes the images of the Word documents among changed
// into the media library (the rows are stored with the item, as an
// attachment's are). The images were checked when the document was read.
func (s *Service) importDocxImages(changed []*source, shown func(string) string, fail func(*source, ...*content.Error)) {
	lib := media.New(s.store, s.now)
	for _, src := range changed {
		if src.docx == nil {
			continue
		}
		images := src.docx.images
		src.docx.images, src.docx.data = nil, nil
		if src.failed {
			continue
		}
		for _, im := range images {
			m, err := lib.Write(media.Upload{FileName: im.img.Name, Data: im.img.Data, Alt: media.CleanAlt(im.img.Alt), By: ImportActor})
			if err != nil {
				fail(src, &content.Error{Path: shown(src.rel), Msg: locale.T("import.attachment.not_saved", im.img.Name, locale.Text(err))})
				break
			}
			src.media = append(src.media, m)
		}
	}
}
