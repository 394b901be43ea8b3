package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Library is the media store: the files under DATA/media/ and their rows.
type Library struct {
	st  *store.Store
	dir string
	now func() time.Time
}

// New returns the library of st (files in st.MediaDir()). now is the
// clock; nil means time.Now.
func New(st *store.Store, now func() time.Time) *Library {
	if now == nil {
		now = time.Now
	}
	return &Library{st: st, dir: st.MediaDir(), now: now}
}

// Dir is the folder the files are stored in.
func (l *Library) Dir() string { return l.dir }

// Path is where the stored file called name is; ok is false when name is
// not a stored name, so no other path can ever be built from a request.
func (l *Library) Path(name string) (string, bool) {
	if !ValidName(name) {
		return "", false
	}
	return filepath.Join(l.dir, name), true
}

// Upload is a file on its way into the library.
type Upload struct {
	// FileName is the name the file came with: the browser's, or the path
	// in the content folder. Only its extension and its cleaned last
	// element are used; it never becomes a path.
	FileName string
	Data     []byte
	Alt      string // an image's text alternative (NFC, single spaces)
	By       string // account name, or "import"
	Source   string // relative path in the content folder, for export
}

// Write checks up and writes its file; it returns the row to store
// (with store.PutMedia, in the caller's transaction — together with its
// audit entry). A refused file is an *Error with a Vietnamese message and
// writes nothing. The file is written before its row exists, so a row
// never names a missing file; a file left without a row by a failed
// transaction is harmless (the same bytes give the same name next time).
func (l *Library) Write(up Upload) (*store.Media, error) {
	t, err := Check(up.FileName, up.Data)
	if err != nil {
		return nil, err
	}
	name := Name(up.Data, t)
	if err := l.writeFile(name, up.Data); err != nil {
		return nil, err
	}
	return &store.Media{
		Name: name, ContentType: t.ContentType, Size: int64(len(up.Data)),
		OriginalName: CleanName(up.FileName, t), Alt: CleanAlt(up.Alt),
		SourcePath: up.Source, UploadedBy: up.By, Uploaded: l.now().UTC(),
	}, nil
}

// Add is Write followed by storing the row in its own transaction.
func (l *Library) Add(ctx context.Context, up Upload) (*store.Media, error) {
	m, err := l.Write(up)
	if err != nil {
		return nil, err
	}
	if err := l.st.Tx(ctx, func(tx *sql.Tx) error { return l.st.PutMedia(ctx, tx, m) }); err != nil {
		return nil, err
	}
	return m, nil
}

// writeFile stores data as name: a temporary file in the same folder,
// synced, then renamed into place, so a reader never sees half a file.
func (l *Library) writeFile(name string, data []byte) error {
	dst, ok := l.Path(name)
	if !ok {
		return fmt.Errorf("media: invalid name %q", name)
	}
	if info, err := os.Stat(dst); err == nil && info.Size() == int64(len(data)) {
		// Content-addressed: the same name holds the same bytes.
		return nil
	}
	if err := os.MkdirAll(l.dir, 0o750); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	f, err := os.CreateTemp(l.dir, ".tai-len-*")
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o640)
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	return nil
}

// Open opens the stored file called name.
func (l *Library) Open(name string) (*os.File, error) {
	p, ok := l.Path(name)
	if !ok {
		return nil, fmt.Errorf("media: %q: %w", name, store.ErrNotFound)
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("media: %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return f, nil
}

// ReadFile returns the bytes of the stored file called name.
func (l *Library) ReadFile(name string) ([]byte, error) {
	p, ok := l.Path(name)
	if !ok {
		return nil, fmt.Errorf("media: %q: %w", name, store.ErrNotFound)
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("media: %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return b, nil
}

// MaxAltLen bounds an alt text, in characters.
const MaxAltLen = 300

// CleanAlt normalises a typed alt text: NFC, one line, single spaces, no
// control characters (vntext.IsControl; as CleanName drops them from file
// names, an alt text shown in the library and pasted into bodies holds
// none).
func CleanAlt(s string) string {
	s = strings.Map(func(r rune) rune {
		if vntext.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return vntext.NFC(strings.Join(strings.Fields(s), " "))
}
