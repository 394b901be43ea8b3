package theme

import (
	"errors"
	"io/fs"
	"slices"
)

// Layered is a file system made of layers: the first layer that has a file
// wins, so a theme folder on disk overrides the embedded default file by
// file. Directory listings merge every layer.
type Layered []fs.FS

// Open opens name from the first layer that has it.
func (l Layered) Open(name string) (fs.File, error) {
	var firstErr error
	for _, layer := range l {
		if layer == nil {
			continue
		}
		f, err := layer.Open(name)
		if err == nil {
			return f, nil
		}
		if firstErr == nil || !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fs.ErrNotExist
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: firstErr}
}

// ReadDir lists name across every layer, upper layers first for names
// present in several.
func (l Layered) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, layer := range l {
		if layer == nil {
			continue
		}
		entries, err := fs.ReadDir(layer, name)
		if err != nil {
			continue
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int {
		switch {
		case a.Name() < b.Name():
			return -1
		case a.Name() > b.Name():
			return 1
		}
		return 0
	})
	return out, nil
}
