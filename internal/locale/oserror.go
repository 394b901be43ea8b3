package locale

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// What the operating system says goes to people too: a command given a
// file where it needs a folder, a disk that is full, a folder it may not
// write. Text gives those in Vietnamese, the path as the system gave it:
// "không tạo được thư mục /srv/cchc: không phải thư mục" where Go says
// "mkdir /srv/cchc: not a directory". An operation or a cause not listed
// here stays as the system wrote it.

// opKeys are the messages of the operations of package os on one path
// (fs.PathError's Op), the ones a command of this program can meet.
var opKeys = map[string]string{
	"open":       "os.op.open",
	"mkdir":      "os.op.mkdir",
	"stat":       "os.op.stat",
	"lstat":      "os.op.stat",
	"fstat":      "os.op.stat",
	"read":       "os.op.read",
	"readdirent": "os.op.read",
	"readdir":    "os.op.read",
	"write":      "os.op.write",
	"sync":       "os.op.write",
	"close":      "os.op.close",
	"truncate":   "os.op.write",
	"remove":     "os.op.remove",
	"unlinkat":   "os.op.remove",
	"chmod":      "os.op.chmod",
}

// causes are the messages of the system's errors, matched with errors.Is
// so that the portable sentinels (fs.ErrNotExist) and the numbered
// errors of each system (syscall.ENOENT) read the same.
var causes = []struct {
	err error
	key string
}{
	{fs.ErrNotExist, "os.err.not_exist"},
	{fs.ErrClosed, "os.err.closed"},
	{fs.ErrPermission, "os.err.permission"},
	{syscall.ENOTEMPTY, "os.err.not_empty"},
	{fs.ErrExist, "os.err.exist"},
	{syscall.ENOTDIR, "os.err.not_dir"},
	{syscall.EISDIR, "os.err.is_dir"},
	{syscall.ENOSPC, "os.err.no_space"},
	{syscall.EROFS, "os.err.read_only"},
	{syscall.EMFILE, "os.err.too_many_open"},
	{syscall.ENFILE, "os.err.too_many_open"},
	{syscall.ENAMETOOLONG, "os.err.name_too_long"},
	{syscall.ELOOP, "os.err.loop"},
	{syscall.EIO, "os.err.io"},
	{syscall.EXDEV, "os.err.cross_device"},
	{syscall.EBUSY, "os.err.busy"},
}

// osText is err in Vietnamese when it is an error of the operating
// system this file knows, and false when it is not.
func osText(err error) (string, bool) {
	switch e := err.(type) {
	case *fs.PathError:
		key, ok := opKeys[e.Op]
		if !ok {
			return "", false
		}
		return T(key, e.Path, Text(e.Err)), true
	case *os.LinkError:
		switch e.Op {
		case "rename":
			return T("os.op.rename", e.Old, e.New, Text(e.Err)), true
		case "link", "symlink":
			return T("os.op.link", e.New, e.Old, Text(e.Err)), true
		}
		return "", false
	case syscall.Errno:
		return causeText(e)
	}
	// The sentinels themselves (fs.ErrNotExist is an errors.New): only
	// the error itself, never one that wraps it with words of its own.
	for _, c := range causes {
		if err == c.err {
			return T(c.key), true
		}
	}
	return "", false
}

// causeText is the message of a system error number.
func causeText(e syscall.Errno) (string, bool) {
	for _, c := range causes {
		if errors.Is(e, c.err) {
			return T(c.key), true
		}
	}
	return "", false
}
