package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"cchc/internal/content"
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
// file at the line of file:. It returns the library rows to store, by
// source; they are stored by storeFiles for the sources that are written.
//
// A file: value that is already a stored name ("<sha256>.pdf", copied from
// the workspace's upload screen) is accepted when the library has it and
// the content folder does not.
func (s *Service) importFiles(ctx context.Context, fsys fs.FS, changed []*source, shown func(string) string, fail func(*source, ...*content.Error)) map[*source]*store.Media {
	lib := media.New(s.store, s.now)
	rows := map[*source]*store.Media{}
	for _, src := range changed {
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
			bad(fmt.Sprintf("tệp đính kèm %q: %s", file, me.Msg))
			continue
		}
		if err == nil && t.Image {
			bad(fmt.Sprintf("tệp đính kèm %q là ảnh; tệp đính kèm của văn bản phải là PDF, DOCX hoặc XLSX", file))
			continue
		}
		m, err := lib.Write(media.Upload{FileName: file, Data: data, By: ImportActor, Source: file})
		if err != nil {
			bad(fmt.Sprintf("không lưu được tệp đính kèm %q: %v", file, err))
			continue
		}
		src.item.File = m.Name
		rows[src] = m
	}
	return rows
}

// readAttachment reads file from the content folder, refusing one larger
// than any accepted type before reading it. On failure msg says why, for
// people, and missing tells a file that is not there.
func readAttachment(fsys fs.FS, file string) (data []byte, msg string, missing bool) {
	notFound := fmt.Sprintf("không tìm thấy tệp đính kèm %q trong thư mục nội dung", file)
	if !fs.ValidPath(file) {
		return nil, notFound, true
	}
	f, err := fsys.Open(file)
	if err != nil {
		return nil, notFound, true
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil, notFound, true
	}
	if info.Size() > media.MaxBytes {
		return nil, fmt.Sprintf("tệp đính kèm %q quá lớn (%s); tối đa %s", file, media.HumanSize(info.Size()), media.HumanSize(media.MaxBytes)), false
	}
	data, err = io.ReadAll(io.LimitReader(f, media.MaxBytes+1))
	if err != nil {
		return nil, fmt.Sprintf("không đọc được tệp đính kèm %q", file), false
	}
	return data, "", false
}

// storeFiles stores the library rows of the sources about to be written, in
// one transaction ahead of theirs: a stored item never names a file the
// library does not list.
func (s *Service) storeFiles(ctx context.Context, ok []*source, rows map[*source]*store.Media) error {
	var todo []*store.Media
	for _, src := range ok {
		if m := rows[src]; m != nil {
			todo = append(todo, m)
		}
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
	info, err := fs.Stat(fsys, m.SourcePath)
	if err != nil || info.Size() != m.Size {
		return true
	}
	data, err := fs.ReadFile(fsys, m.SourcePath)
	if err != nil {
		return true
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) != old.File[:64]
}
