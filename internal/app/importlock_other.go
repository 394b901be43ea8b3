//go:build !linux

package app

import "context"

// importLocks says that there is no import lock here.
const importLocks = false

// lockImport does not lock where this program has no flock: imports of
// one process are still one at a time (publish.Service), those of
// several are not.
func lockImport(ctx context.Context, data string) (unlock func(), err error) {
	return func() {}, nil
}

// tryLockImport takes the lock that is not there: nobody ever holds it.
func tryLockImport(data string) (unlock func(), held bool, err error) { return func() {}, false, nil }
