package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"syscall"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/store"
)

// ImportActor is the uploaded_by of files that came with an import.
const ImportActor = "import"

// isURL tells a file field that points elsewhere (kept as it is).
func isURL(file string) bool { return strings.Contains(file, "://") }

// importFiles brings the attachment of every changed document (its file:
// path in the content folder) into the media library: read, sniffed and
// checked exactly like an upload, written under DATA/media/, and the item
// then names the stored file. A missing or refused file fails its content
// file at the line of file:. The library row to store is left in the
// source's media; storeFiles stores those of the sources that are written.
//
// A file: value that is already a stored name ("<sha256>.pdf", copied from
// the workspace's upload screen) is accepted when the library has it and
// the content folder does not.
func (s *Service) importFiles(ctx context.Context, fsys fs.FS, changed []*source, shown func(string) string, fail func(*source, ...*content.Error)) {
	lib := media.New(s.store, s.now)
	for _, src := range changed {
		if !src.failed && src.item.Kind == content.Procedure {
			s.importForms(fsys, lib, src, shown, fail)
		}
		if !src.failed && src.item.Kind == content.Activity {
			s.importEvidence(fsys, lib, src, shown, fail)
		}
		if src.failed || src.item.File == "" || isURL(src.item.File) {
			continue
		}
		file := src.item.File
		bad := func(msg string) {
			fail(src, &content.Error{Path: shown(src.rel), Line: src.item.Line("file"), Msg: msg})
		}
		data, msg, missing := readAttachment(fsys, file)
		if missing && media.ValidName(file) {
			if _, err := s.store.MediaFile(ctx, file); err == nil {
				continue
			}
		}
		if msg != "" {
			bad(msg)
			continue
		}
		t, err := media.Check(file, data)
		var me *media.Error
		if errors.As(err, &me) {
			bad(locale.T("import.attachment.refused", file, me.Msg))
			continue
		}
		if err == nil && t.Image {
			bad(locale.T("import.attachment.image", file))
			continue
		}
		m, err := lib.Write(media.Upload{FileName: file, Data: data, By: ImportActor, Source: file})
		if err != nil {
			bad(locale.T("import.attachment.not_saved", file, locale.Text(err)))
			continue
		}
		src.item.File = m.Name
		src.media = append(src.media, m)
	}
}

// importForms brings a procedure's forms that name a file of the content
// folder ("Mẫu 05 (mau/mau-05.docx)") into the media library, checked like
// an upload, and makes each entry name the stored file (/tep/NAME). A
// missing or refused file fails the content file at the line of forms:.
func (s *Service) importForms(fsys fs.FS, lib *media.Library, src *source, shown func(string) string, fail func(*source, ...*content.Error)) {
	for i, v := range src.item.Forms {
		f, ok := content.ParseForm(v)
		if !ok || f.Path == "" {
			continue
		}
		bad := func(msg string) {
			fail(src, &content.Error{Path: shown(src.rel), Line: src.item.Line("forms"), Msg: msg})
		}
		data, msg, _ := readAttachment(fsys, f.Path)
		if msg != "" {
			bad(msg)
			return
		}
		if _, err := media.Check(f.Path, data); err != nil {
			var me *media.Error
			if errors.As(err, &me) {
				bad(locale.T("import.attachment.refused", f.Path, me.Msg))
				return
			}
			bad(locale.T("import.attachment.not_saved", f.Path, locale.Text(err)))
			return
		}
		m, err := lib.Write(media.Upload{FileName: f.Path, Data: data, By: ImportActor, Source: f.Path})
		if err != nil {
			bad(locale.T("import.attachment.not_saved", f.Path, locale.Text(err)))
			return
		}
		f.Address = media.URL(m.Name)
		src.item.Forms[i] = f.String()
		src.media = append(src.media, m)
	}
}

// importEvidence brings the files of an activity's evidence that the
// content folder holds ("minh-chung/ban-tin-so-1.pdf") into the media
// library, checked like an upload, and makes each entry name the stored
// file (/tep/NAME); addresses and library names stay as they are. A
// missing or refused file fails the content file at the line of evidence:.
func (s *Service) importEvidence(fsys fs.FS, lib *media.Library, src *source, shown func(string) string, fail func(*source, ...*content.Error)) {
	for i, v := range src.item.Evidence {
		if isURL(v) || media.ValidName(strings.TrimPrefix(v, "/tep/")) {
			continue
		}
		bad := func(msg string) {
			fail(src, &content.Error{Path: shown(src.rel), Line: src.item.Line("evidence"), Msg: msg})
		}
		data, msg, _ := readAttachment(fsys, v)
		if msg != "" {
			bad(msg)
			return
		}
		if _, err := media.Check(v, data); err != nil {
			var me *media.Error
			if errors.As(err, &me) {
				bad(locale.T("import.attachment.refused", v, me.Msg))
				return
			}
			bad(locale.T("import.attachment.not_saved", v, locale.Text(err)))
			return
		}
		m, err := lib.Write(media.Upload{FileName: v, Data: data, By: ImportActor, Source: v})
		if err != nil {
			bad(locale.T("import.attachment.not_saved", v, locale.Text(err)))
			return
		}
		src.item.Evidence[i] = media.URL(m.Name)
		src.media = append(src.media, m)
	}
}

// readAttachment reads file from the content folder (readContentFile, at
// most media.MaxBytes). On failure msg says why, for people, and missing
// tells a file that is not there.
func readAttachment(fsys fs.FS, file string) (data []byte, msg string, missing bool) {
	data, msg, missing = readContentFile(fsys, file, media.MaxBytes, locale.T("import.subject.attachment", file))
	if missing {
		msg = locale.T("import.attachment.missing", file)
	}
	return data, msg, missing
}

// readContentFile reads the file name of the content folder fsys, at most
// limit bytes. Only a regular file, or a link to one that stays inside the
// folder, is read: a FIFO would block the import, a device (/dev/zero)
// never ends, and a link out of the folder would publish a file its author
// never put there. Links are checked before opening, and the opened file
// again, since it may have been swapped meanwhile; then it is read through
// a limit of limit+1 bytes, so what counts is what was read, not what Stat
// said. On failure msg says why, for people, naming subject (the words
// of import.subject.file or import.subject.attachment); missing tells that
// nothing is there.
func readContentFile(fsys fs.FS, name string, limit int64, subject string) (data []byte, msg string, missing bool) {
	if !fs.ValidPath(name) {
		return nil, locale.T("import.read.missing", subject), true
	}
	fail := func(err error) ([]byte, string, bool) {
		msg, missing := readProblem(subject, err)
		return nil, msg, missing
	}
	info, err := fs.Lstat(fsys, name)
	if err != nil {
		return fail(err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if target, err := fs.ReadLink(fsys, name); err == nil && leavesFolder(name, target) {
			return nil, locale.T("import.read.link_out_to", subject, target), false
		}
		if info, err = fs.Stat(fsys, name); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, locale.T("import.read.broken_link", subject), false
			}
			return fail(err)
		}
	}
	if m := notRegular(info.Mode()); m != "" {
		return nil, locale.T("import.read.not_regular", subject, m), false
	}
	if info.Size() > limit {
		return nil, locale.T("import.read.too_big", subject, media.HumanSize(info.Size()), media.HumanSize(limit)), false
	}
	f, err := fsys.Open(name)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return fail(err)
	}
	if m := notRegular(info.Mode()); m != "" {
		return nil, locale.T("import.read.not_regular", subject, m), false
	}
	data, err = readSized(io.LimitReader(f, limit+1), max(0, min(info.Size(), limit)))
	if err != nil {
		return fail(err)
	}
	if int64(len(data)) > limit {
		return nil, locale.T("import.read.too_big_read", subject, media.HumanSize(limit)), false
	}
	return data, "", false
}

// readSized reads r to its end into a buffer of size+1 bytes to start
// with, growing it only when r holds more than size said (a file that grew
// since its Stat): io.ReadAll starts at 512 bytes and doubles, allocating
// twice a file's size on its way (h26-parse).
func readSized(r io.Reader, size int64) ([]byte, error) {
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readProblem says, for people, why subject could not be opened or read;
// missing tells that nothing is there.
func readProblem(subject string, err error) (msg string, missing bool) {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return locale.T("import.read.link_loop", subject), false
	case escapesRoot(err):
		return locale.T("import.read.link_out", subject), false
	case errors.Is(err, fs.ErrNotExist):
		return locale.T("import.read.missing", subject), true
	case errors.Is(err, fs.ErrPermission):
		return locale.T("import.read.permission", subject), false
	}
	return locale.T("import.read.failed", subject, locale.Text(err)), false
}

// folderProblem says, for people, why the folder dir of the content folder
// could not be listed (err).
func folderProblem(fsys fs.FS, dir string, err error) string {
	if info, lerr := fs.Lstat(fsys, dir); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
		if target, rerr := fs.ReadLink(fsys, dir); rerr == nil && leavesFolder(dir, target) {
			return locale.T("import.folder.link_out", target)
		}
	}
	if info, serr := fs.Stat(fsys, dir); serr == nil && !info.IsDir() {
		return locale.T("import.folder.not_folder")
	}
	msg, _ := readProblem(locale.T("import.subject.folder"), err)
	return msg
}

// leavesFolder reports whether the link name, whose target is target,
// points out of the content folder on its face: an absolute target, or one
// climbing above the folder with "..". (os.Root refuses these too, and
// every other way out; this only gives the plainer message.)
func leavesFolder(name, target string) bool {
	if path.IsAbs(target) || strings.HasPrefix(target, `\`) || (len(target) > 1 && target[1] == ':') {
		return true
	}
	p := path.Join(path.Dir(name), target)
	return p == ".." || strings.HasPrefix(p, "../")
}

// escapesRoot reports os.Root's refusal of a path that leads out of the
// folder. Its error value is not exported; its text is all there is.
func escapesRoot(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent"
}

// notRegular names, for people, what a file of mode m is when it is not
// a regular file, or returns "".
func notRegular(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return locale.T("import.mode.folder")
	case m&fs.ModeNamedPipe != 0:
		return locale.T("import.mode.fifo")
	case m&fs.ModeSocket != 0:
		return locale.T("import.mode.socket")
	case m&fs.ModeDevice != 0:
		return locale.T("import.mode.device")
	case m&fs.ModeSymlink != 0:
		return locale.T("import.mode.link")
	}
	return locale.T("import.mode.other")
}

// storeFiles stores the library rows of the sources about to be written, in
// one transaction ahead of theirs: a stored item never names a file the
// library does not list.
func (s *Service) storeFiles(ctx context.Context, ok []*source) error {
	var todo []*store.Media
	for _, src := range ok {
		todo = append(todo, src.media...)
	}
	if len(todo) == 0 {
		return nil
	}
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range todo {
			if err := s.store.PutMedia(ctx, tx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// attachmentChanged reports whether the attachment of a stored document
// whose content file did not change must be brought in again: its file in
// the content folder has other bytes now, is gone (the import then says
// so), or was stored as a path before the media library existed.
func (s *Service) attachmentChanged(ctx context.Context, fsys fs.FS, old *store.Item) bool {
	if old == nil || old.Kind != content.Document || old.File == "" || isURL(old.File) {
		return false
	}
	if !media.ValidName(old.File) {
		return true
	}
	m, err := s.store.MediaFile(ctx, old.File)
	if err != nil {
		return true
	}
	if m.SourcePath == "" {
		return false
	}
	data, msg, _ := readContentFile(fsys, m.SourcePath, media.MaxBytes, locale.T("import.subject.file"))
	if msg != "" || int64(len(data)) != m.Size {
		// Brought in again, the import then says what is wrong with it.
		return true
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) != old.File[:64]
}
