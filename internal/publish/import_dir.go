package publish

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
)

// ContentDir is a content folder on disk as Import reads it. Every path is
// resolved inside the folder (os.Root): a symbolic link is followed only
// while it stays inside, so a link to /dev/zero or to a file elsewhere
// cannot be read, even one swapped in while the import runs. Files and
// folders are opened without blocking (O_NONBLOCK), so a FIFO put where a
// file was cannot hang the import; Import then refuses anything that is not
// a regular file (see readContentFile).
type ContentDir struct {
	root *os.Root
	fsys fs.FS
}

// OpenContentDir opens the content folder at path.
func OpenContentDir(path string) (*ContentDir, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &ContentDir{root: root, fsys: root.FS()}, nil
}

// Close releases the folder.
func (d *ContentDir) Close() error { return d.root.Close() }

// Open opens the named file for reading, without blocking.
func (d *ContentDir) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := d.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ReadDir lists the named folder, sorted by name. Entries describe links
// as links (fs.ModeSymlink), not what they point to.
func (d *ContentDir) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := d.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: syscall.ENOTDIR}
	}
	entries, err := dir.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// Stat describes the named file, following links inside the folder.
func (d *ContentDir) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.fsys, name) }

// Lstat describes the named file; a link is described as a link.
func (d *ContentDir) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(d.fsys, name) }

// ReadLink returns the target of the named link.
func (d *ContentDir) ReadLink(name string) (string, error) { return fs.ReadLink(d.fsys, name) }
