package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"cchc/internal/locale"
)

// importLockName is the file in the data folder whose lock an import
// holds while it runs.
const importLockName = ".cchc-nhap.lock"

// importLocks says that the import lock is real here (an flock).
const importLocks = true

// lockImport takes the data folder's import lock, waiting while another
// process (a second `cchc import`, or `serve` importing into an empty
// database) holds it: each import's claims pass decides what is new
// against the store as it finds it, so two at once both insert the same
// files and the second stops on UNIQUE. publish.Service serialises the
// imports of one process; this lock, an flock the kernel drops when its
// holder dies, those of several. ctx ends the wait.
func lockImport(ctx context.Context, data string) (unlock func(), err error) {
	name := filepath.Join(data, importLockName)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, locale.NewError("app.import_lock", name, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing drops the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, locale.NewError("app.import_lock", name, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tryLockImport takes the data folder's import lock if nobody holds it,
// without waiting: lockImport with a context already ended tries the
// lock once. held says that another process holds it; err, that the lock
// could not be tried (the lock file cannot be opened or locked).
func tryLockImport(data string) (unlock func(), held bool, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	unlock, err = lockImport(ctx, data)
	if errors.Is(err, context.Canceled) {
		return nil, true, nil
	}
	return unlock, false, err
}
