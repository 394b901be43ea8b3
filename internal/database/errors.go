package database

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// code is SQLite's primary result code of err, 0 when err is not SQLite's.
func code(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// IsBusy reports whether err is SQLite's SQLITE_BUSY (or one of its
// extended codes): a lock another connection holds.
func IsBusy(err error) bool { return code(err) == sqlite3.SQLITE_BUSY }

// IsCorrupt reports whether err is SQLite finding the file damaged
// (SQLITE_CORRUPT, or SQLITE_NOTADB for a broken header), or ErrDamaged.
func IsCorrupt(err error) bool {
	if errors.Is(err, ErrDamaged) {
		return true
	}
	c := code(err)
	return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
}

// IsFull reports whether err is a full disk: SQLITE_FULL from the
// database, or ENOSPC or EDQUOT from writing a file.
func IsFull(err error) bool {
	return code(err) == sqlite3.SQLITE_FULL || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
